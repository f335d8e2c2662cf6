//! OSV advisories and the offline advisory store (the crate is being written).

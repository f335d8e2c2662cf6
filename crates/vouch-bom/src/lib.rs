//! AI bills of materials (the crate is being written).

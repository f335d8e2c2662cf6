//! Model licenses and openness (the crate is being written).

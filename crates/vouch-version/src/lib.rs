//! Version orderings per ecosystem (work in progress in this commit: the crate is being written).

//! A model repository read into one [`ModelRecord`], shared by `vouch bom` and `vouch license`.

pub mod record;

pub use record::*;

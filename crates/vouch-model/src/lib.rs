//! A model repository read into one [`ModelRecord`], shared by `vouch bom` and `vouch license`.
//!
//! [`read_model`] takes a Hugging Face model folder, a Hugging Face cache snapshot or one
//! GGUF/safetensors/ONNX file. It reads metadata only (model card, configs, safetensors and GGUF
//! headers, top-level ONNX fields), streams every file once for its SHA-256, and records what it
//! could not read in [`ModelRecord::problems`] instead of failing.

mod card;
mod read;
pub mod record;
mod weights;

pub use read::{read_model, ModelError, ReadOptions};
pub use record::*;

//! `vouch scan`: finds code execution and hidden payloads in model files without loading them.
//!
//! Content is routed by its bytes ([`sniff`]), containers are read the way real loaders read
//! them ([`zip`], [`tar`], [`sevenz`], [`npy`], compressed streams), pickles are simulated by
//! `vouch-pickle` and judged by an allowlist-first [`policy`]. Directories are walked in
//! parallel ([`walk`]); every file yields a [`vouch_report::FileReport`].

pub mod analyse;
pub mod config;
pub mod gguf;
pub mod hdf5;
pub mod inflate;
pub mod keras;
pub mod npy;
pub mod onnx;
pub mod policy;
mod proto_gen;
pub mod safetensors;
pub mod sevenz;
pub mod sniff;
pub mod source;
pub mod tar;
pub mod template;
#[cfg(test)]
mod testutil;
pub mod tf;
pub mod torch_legacy;
pub mod torchscript;
pub mod walk;
pub mod xz;
pub mod zip;

#[cfg(test)]
mod bypass_tests;

pub use analyse::{scan_file, Outcome};
pub use config::{Config, ConfigError, HashMode, Limits};
pub use walk::{scan_paths, Target};

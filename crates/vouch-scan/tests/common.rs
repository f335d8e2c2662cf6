//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared corpus beside the repository; fails with a message saying where it looked.
pub fn corpus(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let p = root.join(rel);
    assert!(p.exists(), "test data not found: looked for {} (../shared/corpus must sit beside the repository)", p.display());
    p
}

/// Fixtures committed in this repository.
pub fn fixture(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel);
    assert!(p.exists(), "fixture not found: {}", p.display());
    p
}

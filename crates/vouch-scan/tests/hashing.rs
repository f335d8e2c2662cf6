//! `hash = auto` hashes what the analysis reads anyway; `always` everything; `never` nothing.

mod common;

use sha2::{Digest, Sha256};
use vouch_scan::{scan_file, Config, HashMode};

fn cfg(mode: HashMode) -> Config {
    Config { hash: mode, ..Config::default() }
}

#[test]
fn auto_hashes_what_is_read_anyway() {
    // A 1 MiB safetensors file: the analysis reads its header only.
    let weights = common::corpus("models/modelaudit/samples/safetensors/safe_model.safetensors");
    let bytes = std::fs::read(&weights).unwrap();
    assert!(bytes.len() > 256 << 10);
    let auto = scan_file(&weights, "w".into(), &cfg(HashMode::Auto));
    assert_eq!(auto.sha256, None, "weights are not read just to hash them");
    assert!(auto.bytes_read < bytes.len() as u64 / 2, "read {} of {}", auto.bytes_read, bytes.len());
    let always = scan_file(&weights, "w".into(), &cfg(HashMode::Always));
    assert_eq!(always.sha256.as_deref(), Some(hex::encode(Sha256::digest(&bytes)).as_str()));
    assert_eq!(always.bytes_read, bytes.len() as u64);

    // A 550 KiB pickle: the analysis reads all of it, so auto hashes it.
    let pickle = common::corpus("models/modelaudit/samples/pickles/safe_large_model.pkl");
    let bytes = std::fs::read(&pickle).unwrap();
    assert!(bytes.len() > 256 << 10);
    let auto = scan_file(&pickle, "p".into(), &cfg(HashMode::Auto));
    assert_eq!(auto.sha256.as_deref(), Some(hex::encode(Sha256::digest(&bytes)).as_str()));

    // A small file is read whole: hashed in auto, not with never.
    let small = common::corpus("models/picklescan/pytorch_model.bin");
    let bytes = std::fs::read(&small).unwrap();
    assert!(bytes.len() <= 256 << 10);
    let auto = scan_file(&small, "s".into(), &cfg(HashMode::Auto));
    assert_eq!(auto.sha256.as_deref(), Some(hex::encode(Sha256::digest(&bytes)).as_str()));
    let never = scan_file(&small, "s".into(), &cfg(HashMode::Never));
    assert_eq!(never.sha256, None);
    assert_eq!(never.verdict, auto.verdict);
}

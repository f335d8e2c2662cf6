//! Every reader on every fixture (whatever its real format), on truncated copies and on copies with
//! bytes flipped: results or errors, never a panic.

mod common;
use common::files_under;
use std::path::PathBuf;

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/lockfiles");

#[test]
fn every_reader_survives_every_fixture_and_its_mutations() {
    let base = PathBuf::from(BASE);
    assert!(base.is_dir(), "lockfile corpus not found: looked in {}", base.display());
    let mut files = Vec::new();
    files_under(&base, &mut files);
    let mut runs = 0;
    for f in files {
        let mut data = std::fs::read(&f).unwrap();
        // Large files (Go binaries, big real lockfiles): their first 16 KiB are enough here.
        data.truncate(16 * 1024);
        let mut variants = vec![data.clone(), data[..data.len() / 3].to_vec(), data[..data.len() * 2 / 3].to_vec()];
        let mut flipped = data.clone();
        let mut x: u32 = 0x9e37_79b9 ^ data.len() as u32;
        for _ in 0..(data.len() / 64).max(1) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if !flipped.is_empty() {
                let i = x as usize % flipped.len();
                let alphabet = b"{}[]\":,\n\\#@=<>/'- ";
                flipped[i] = alphabet[(x >> 8) as usize % alphabet.len()];
            }
        }
        variants.push(flipped);
        for v in &variants {
            for format in vouch_lockfile::FORMATS {
                let _ = vouch_lockfile::read_bytes(format, v);
                runs += 1;
            }
        }
    }
    eprintln!("{runs} reads without a panic");
}

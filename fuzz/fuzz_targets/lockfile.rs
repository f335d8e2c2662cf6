//! Every lockfile, manifest and SBOM reader on arbitrary bytes: the first byte picks the format from
//! `vouch_lockfile::FORMATS`, the rest is the file. In-memory reads never follow includes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let formats = vouch_lockfile::FORMATS;
    let format = formats[pick as usize % formats.len()];
    if let Ok(lock) = vouch_lockfile::read_bytes(format, rest) {
        assert_eq!(lock.format, format);
    }
});

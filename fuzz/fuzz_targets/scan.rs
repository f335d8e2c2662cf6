//! The whole dispatcher (sniffing, zip, tar, 7z, npy, gzip/zlib, pickle, policy) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch_scan::analyse::analyse_bytes(data, &vouch_scan::Config::default());
});

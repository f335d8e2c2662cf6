//! The GGUF header reader (and the templates it finds) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = data.to_vec();
    let info = vouch_scan::gguf::read_gguf(&v, &vouch_scan::gguf::GgufLimits::default());
    let _ = vouch_scan::gguf::findings(&info);
});

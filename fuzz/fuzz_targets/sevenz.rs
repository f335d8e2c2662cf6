//! 7z reader (headers, LZMA/LZMA2 decoders) on arbitrary bytes, with small limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vouch_scan::sevenz::fuzz_one(data);
});

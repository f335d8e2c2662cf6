//! safetensors header validation on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = data.to_vec();
    let _ = vouch_scan::safetensors::analyse(&v, &vouch_scan::safetensors::StLimits::default());
});

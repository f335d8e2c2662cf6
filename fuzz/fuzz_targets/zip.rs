//! Zip central directory reader and member opening on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = data.to_vec();
    let limits = vouch_scan::Limits::default();
    if let Ok(a) = vouch_scan::zip::read(&v, &limits) {
        for e in &a.entries {
            let _ = vouch_scan::zip::open(&v, e, 1 << 20, &limits);
        }
    }
});

//! The report claim extractor on arbitrary bytes: no panic, limits respected.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = vouch_claims::Limits::default();
    if let Ok(r) = vouch_claims::parse_bytes(data, &limits) {
        assert!(r.claims.len() <= limits.max_claims);
        assert!(r.blocks.len() <= limits.max_blocks);
        for c in &r.claims {
            assert!(c.context.chars().count() <= 200);
        }
    }
});

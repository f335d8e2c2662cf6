//! Chat-template analysis (Jinja syntax tree) and template extraction from JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = vouch_scan::template::analyse_template(&text);
    let _ = vouch_scan::template::templates_in_json(&text);
});

//! Pickle reader + symbolic machine on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch_pickle::analyse(data, &vouch_pickle::Limits { max_ops: 200_000, ..Default::default() });

    let mut r = vouch_pickle::OpReader::new(data, Default::default());
    while let Ok(Some(_)) = r.next_op() {}

    let _ = vouch_pickle::looks_like_pickle(data);
});

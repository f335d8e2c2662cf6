//! OSV readers (JSON, YAML) and the advisory store's index and record decoders on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for parsed in [vouch_osv::parse_json(data), vouch_osv::parse_yaml(data)] {
        if let Ok((advisory, leniency)) = parsed {
            assert!(!advisory.id.is_empty());
            assert!(leniency.notes.len() <= vouch_osv::MAX_NOTES);
            // Whatever was read can be stored and read back.
            let record = vouch_osv::fuzzing::encode_record(&advisory);
            let back = vouch_osv::fuzzing::decode_record(&record).expect("a record just written decodes");
            assert_eq!(back.id, advisory.id);
            assert_eq!(back.affected.len(), advisory.affected.len());
            assert_eq!(back.aliases, advisory.aliases);
        }
    }
    let _ = vouch_osv::check_index_bytes(data);
    let _ = vouch_osv::fuzzing::decode_record(data);
});

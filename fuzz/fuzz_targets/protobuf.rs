//! ONNX ModelProto and TensorFlow SavedModel/GraphDef decoding and checks on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = data.to_vec();
    let limits = vouch_scan::onnx::ProtoLimits::default();
    let _ = vouch_scan::onnx::analyse(&v, &limits);
    let _ = vouch_scan::tf::analyse(&v, &limits);
});

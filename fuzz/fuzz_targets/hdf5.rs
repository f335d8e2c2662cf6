//! The HDF5 reader and the Keras attribute analysis on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = data.to_vec();
    let limits = vouch_scan::hdf5::H5Limits::default();
    let _ = vouch_scan::hdf5::root_attributes(&v, &limits);
    let _ = vouch_scan::keras::analyse_h5(&v, &limits);
});

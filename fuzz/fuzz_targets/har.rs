#![no_main]
//! The HAR and SAML-tracer readers: any bytes after a JSON prefix that selects them.

use libfuzzer_sys::fuzz_target;
use samlint::input::{OriginKind, scan_bytes};
use samlint::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = scan_bytes(data, OriginKind::File, &limits);
    for prefix in [&b"{\"log\":{\"entries\":["[..], &b"{\"requests\":["[..]] {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(data);
        let _ = scan_bytes(&bytes, OriginKind::File, &limits);
    }
});

#![no_main]
//! Decoding: any bytes as a pasted value.

use libfuzzer_sys::fuzz_target;
use samlint::input::{Binding, Origin, OriginKind, Payload, RawForm};

fuzz_target!(|data: &[u8]| {
    let payload = Payload {
        origin: Origin::new(OriginKind::Paste),
        binding: Binding::Unknown,
        param: None,
        relay_state: None,
        raw: data.to_vec(),
        form: RawForm::Encoded,
        duplicate: None,
    };
    let _ = samlint::decode::decode(&payload, &samlint::limits::Limits::default());
});

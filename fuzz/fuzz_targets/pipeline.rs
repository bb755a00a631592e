#![no_main]
//! The whole pipeline (decode, XML, SAML, verify, lint) on any bytes, as XML and as
//! an encoded value.

use libfuzzer_sys::fuzz_target;
use samlint::input::{Binding, Origin, OriginKind, Payload, RawForm};
use samlint::pipeline::{Options, check_payload};

fuzz_target!(|data: &[u8]| {
    let opts = Options::default();
    for form in [RawForm::Encoded, RawForm::DecodedXml] {
        let payload = Payload {
            origin: Origin::new(OriginKind::Paste),
            binding: Binding::Unknown,
            param: None,
            relay_state: None,
            raw: data.to_vec(),
            form,
            duplicate: None,
        };
        let _ = check_payload(0, &payload, &opts);
    }
});

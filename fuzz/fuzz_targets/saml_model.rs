#![no_main]
//! The SAML model over any document that parses.

use libfuzzer_sys::fuzz_target;
use samlint::saml::{Assertion, Response};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = samlint::xml::parse(text, &samlint::limits::Limits::default()) {
            let response = Response::read(&doc);
            for &a in &response.assertions {
                let _ = Assertion::read(&doc, a);
            }
        }
    }
});

#![no_main]
//! The hardened XML parser and the pretty-printer over what it accepts.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let limits = samlint::limits::Limits::default();
        if let Ok(doc) = samlint::xml::parse(text, &limits) {
            let _ = samlint::xml::pretty_doc(&doc);
            for id in doc.descendants(doc.root()) {
                let _ = doc.path(id);
                let _ = doc.line_col(doc.span(id).start);
            }
        }
    }
});

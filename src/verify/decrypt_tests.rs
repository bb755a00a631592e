use super::*;
use crate::xml::parse;

const SP_KEY: &str = "tests/fixtures/gen/keys/sp-key.pem";
const OTHER_KEY: &str = "tests/fixtures/gen/keys/sp-other-key.pem";

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn key(path: &str) -> SpKey {
    SpKey::from_pem(read(path).as_bytes()).unwrap()
}

fn encrypted_assertion(doc: &Document) -> NodeId {
    doc.descendants(doc.root())
        .find(|&n| doc.is_element(n, ASSERTION_NS, "EncryptedAssertion"))
        .expect("an EncryptedAssertion")
}

fn decrypt_text(xml: &str, key: &SpKey) -> Result<String, DecryptError> {
    let doc = parse(xml, &Limits::default()).unwrap();
    decrypt_assertion(&doc, encrypted_assertion(&doc), key)
}

fn nameid(assertion: &str) -> String {
    let doc = parse(assertion, &Limits::default()).unwrap();
    let root = doc.root();
    assert!(doc.is_element(root, ASSERTION_NS, "Assertion"));
    let subject = doc.first_child(root, ASSERTION_NS, "Subject").unwrap();
    let nameid = doc.first_child(subject, ASSERTION_NS, "NameID").unwrap();
    doc.text_content(nameid)
}

/// Every row of tests/fixtures/encrypted/cases.tsv.
#[test]
fn fixture_cases() {
    let cases = read("tests/fixtures/encrypted/cases.tsv");
    let mut n = 0;
    for line in cases.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, key_path, expect) = (cols[0], cols[1], cols[2]);
        let got = decrypt_text(&read(file), &key(key_path));
        if let Some(want) = expect.strip_prefix("nameid:") {
            let text = got.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(nameid(&text), want, "{file}");
        } else {
            let want = expect.strip_prefix("error:").unwrap();
            let err = got.expect_err(file).to_string();
            assert!(err.contains(want), "{file}: {err}");
        }
        n += 1;
    }
    assert_eq!(n, 9);
}

#[test]
fn wrong_key_is_named() {
    let xml = read("tests/fixtures/encrypted/oaep-mgf1p-aes128-cbc.xml");
    let err = decrypt_text(&xml, &key(OTHER_KEY)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the EncryptedKey was made for another key (RSA-OAEP decryption failed)"
    );
}

#[test]
fn wrong_key_with_rsa15_implicit_rejection_is_an_error() {
    let xml = read("tests/fixtures/encrypted/rsa15-aes256-cbc.xml");
    let err = decrypt_text(&xml, &key(OTHER_KEY)).unwrap_err();
    assert!(matches!(err, DecryptError::WrongKey(_)), "{err}");
}

#[test]
fn other_key_fixture_opens_with_its_own_key() {
    let xml = read("tests/fixtures/encrypted/other-key.xml");
    let text = decrypt_text(&xml, &key(OTHER_KEY)).unwrap();
    assert_eq!(nameid(&text), "enc-other@example.com");
}

/// Flip one bit of the last byte of the EncryptedData CipherValue (the GCM tag).
fn corrupt_content(xml: &str) -> String {
    let doc = parse(xml, &Limits::default()).unwrap();
    let ea = encrypted_assertion(&doc);
    let ed = doc.first_child(ea, XENC_NS, "EncryptedData").unwrap();
    let cd = doc.first_child(ed, XENC_NS, "CipherData").unwrap();
    let cv = doc.first_child(cd, XENC_NS, "CipherValue").unwrap();
    let mut bytes = decode_b64(&doc.text_content(cv)).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    let old = doc.text_content(cv);
    let new = base64::engine::general_purpose::STANDARD.encode(bytes);
    xml.replacen(&old, &new, 1)
}

#[test]
fn corrupted_gcm_tag_is_an_error() {
    for file in [
        "tests/fixtures/encrypted/oaep11-sha256-aes256-gcm.xml",
        "tests/fixtures/encrypted/sibling-key-aes256-gcm.xml",
    ] {
        let xml = corrupt_content(&read(file));
        let err = decrypt_text(&xml, &key(SP_KEY)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the encrypted content did not decrypt: AES-256-GCM authentication failed: \
             the ciphertext or its tag is corrupted",
            "{file}"
        );
    }
}

#[test]
fn corrupted_cbc_is_an_error_not_garbage() {
    let xml = corrupt_content(&read("tests/fixtures/encrypted/oaep-mgf1p-aes128-cbc.xml"));
    // The last block's final byte is the padding length: flipping it either gives an
    // impossible padding length or cuts the text, so the result never parses.
    assert!(decrypt_text(&xml, &key(SP_KEY)).is_err());
}

#[test]
fn unknown_algorithms_are_named() {
    let xml = read("tests/fixtures/encrypted/oaep-mgf1p-aes128-cbc.xml");
    let content = xml.replace(
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
    );
    let err = decrypt_text(&content, &key(SP_KEY)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported content encryption algorithm http://www.w3.org/2001/04/xmlenc#tripledes-cbc"
    );
    let transport = xml.replace(
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        "http://www.w3.org/2001/04/xmlenc#kw-aes128",
    );
    let err = decrypt_text(&transport, &key(SP_KEY)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported key transport algorithm http://www.w3.org/2001/04/xmlenc#kw-aes128"
    );
    let mgf = read("tests/fixtures/encrypted/oaep11-sha256-aes256-gcm.xml")
        .replace("xmlenc11#mgf1sha256", "xmlenc11#mgf1sha3-256");
    let err = decrypt_text(&mgf, &key(SP_KEY)).unwrap_err();
    assert!(err.to_string().contains("mgf1sha3-256"), "{err}");
}

#[test]
fn oaep_digest_override_matters() {
    // Without the DigestMethod (SHA-1 default) the SHA-256 OAEP key does not open.
    let xml = read("tests/fixtures/encrypted/oaep11-sha256-aes256-gcm.xml").replace(
        r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
        "",
    );
    let err = decrypt_text(&xml, &key(SP_KEY)).unwrap_err();
    assert!(matches!(err, DecryptError::WrongKey(_)), "{err}");
}

#[test]
fn missing_retrieval_target_is_malformed() {
    let xml = read("tests/fixtures/encrypted/sibling-key-aes256-gcm.xml")
        .replace("URI=\"#_ek0\"", "URI=\"#nope\"");
    let err = decrypt_text(&xml, &key(SP_KEY)).unwrap_err();
    assert!(err.to_string().contains("#nope"), "{err}");
}

#[test]
fn key_formats() {
    // PKCS#8 (the fixture) and PKCS#1, also inside a combined PEM with a certificate.
    let pkcs8 = read(SP_KEY);
    let sp = SpKey::from_pem(pkcs8.as_bytes()).unwrap();
    assert_eq!(sp.bits(), 2048);
    let combined = format!("{}{pkcs8}", read("tests/fixtures/gen/keys/sp-cert.pem"));
    assert!(SpKey::from_pem(combined.as_bytes()).is_ok());
    let pkcs1 = {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        sp.key
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string()
    };
    let again = SpKey::from_pem(pkcs1.as_bytes()).unwrap();
    let xml = read("tests/fixtures/encrypted/rsa15-aes256-cbc.xml");
    assert_eq!(
        nameid(&decrypt_text(&xml, &again).unwrap()),
        "enc-rsa15@example.com"
    );

    let cert_only = read("tests/fixtures/gen/keys/sp-cert.pem");
    assert!(
        SpKey::from_pem(cert_only.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("no PEM private key")
    );
    let ec = read("tests/fixtures/gen/keys/idp-ec-key.pem");
    assert!(SpKey::from_pem(ec.as_bytes()).is_err());
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(
        SpKey::from_pem(encrypted.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("password")
    );
}

#[test]
fn no_encrypted_key_is_malformed() {
    let xml = read("tests/fixtures/encrypted/sibling-key-aes256-gcm.xml");
    let doc = parse(&xml, &Limits::default()).unwrap();
    let ea = encrypted_assertion(&doc);
    // Cut the sibling EncryptedKey out of the text.
    let ek = doc.first_child(ea, XENC_NS, "EncryptedKey").unwrap();
    let span = doc.span(ek);
    let cut = format!("{}{}", &xml[..span.start], &xml[span.end..]);
    let err = decrypt_text(&cut, &key(SP_KEY)).unwrap_err();
    assert!(
        err.to_string().contains("RetrievalMethod points at #_ek0"),
        "{err}"
    );
}

/// Encrypted assertions from other SAML libraries' test suites (`../shared/corpus`, read in
/// place when present): their SP keys are not ours, so each must fail with a clear
/// one-line error, never decrypt to something or panic.
#[test]
fn corpus_encrypted_assertions_fail_clearly() {
    let Some((corpus, manifest)) = crate::test_support::corpus_manifest() else {
        return;
    };
    let sp = key(SP_KEY);
    let mut seen = std::collections::BTreeSet::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, encoding) = (cols[0], cols[2]);
        if !file.contains("python3-saml") || !seen.insert(file.to_owned()) {
            continue;
        }
        let raw = std::fs::read(corpus.join(file)).unwrap();
        let xml = if encoding == "base64" {
            let text: String = String::from_utf8_lossy(&raw).split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .unwrap(),
            )
            .unwrap()
        } else {
            String::from_utf8(raw).unwrap()
        };
        let Ok(doc) = parse(&xml, &Limits::default()) else {
            continue;
        };
        let Some(ea) = doc
            .descendants(doc.root())
            .find(|&n| doc.is_element(n, ASSERTION_NS, "EncryptedAssertion"))
        else {
            continue;
        };
        let err = decrypt_assertion(&doc, ea, &sp).unwrap_err();
        let text = err.to_string();
        assert!(!text.contains('\n'), "{file}: {text}");
        assert!(
            matches!(err, DecryptError::WrongKey(_)),
            "{file}: expected a wrong-key error, got {text}"
        );
    }
}

#[test]
fn describe_without_a_key() {
    let xml = read("tests/fixtures/encrypted/sibling-key-aes256-gcm.xml");
    let doc = parse(&xml, &Limits::default()).unwrap();
    let info = describe_encryption(&doc, encrypted_assertion(&doc)).unwrap();
    assert_eq!(
        info.content_algorithm.as_deref(),
        Some("http://www.w3.org/2009/xmlenc11#aes256-gcm")
    );
    assert_eq!(info.keys.len(), 1);
    assert_eq!(info.keys[0].algorithm.as_deref(), Some(RSA_OAEP_MGF1P));
    assert_eq!(info.keys[0].rsa_bits, Some(2048));
}

#[test]
fn key_size_mismatch_is_named() {
    // An EncryptedKey ciphertext of 128 bytes was made for a 1024-bit key.
    let xml = read("tests/fixtures/encrypted/rsa15-aes256-cbc.xml");
    let doc = parse(&xml, &Limits::default()).unwrap();
    let ea = encrypted_assertion(&doc);
    let ek = doc
        .descendants(ea)
        .find(|&n| doc.is_element(n, XENC_NS, "EncryptedKey"))
        .unwrap();
    let cd = doc.first_child(ek, XENC_NS, "CipherData").unwrap();
    let cv = doc.first_child(cd, XENC_NS, "CipherValue").unwrap();
    let old = doc.text_content(cv);
    let short = base64::engine::general_purpose::STANDARD.encode(&decode_b64(&old).unwrap()[..128]);
    let err = decrypt_text(&xml.replacen(&old, &short, 1), &key(SP_KEY)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the EncryptedKey was made for another key (it was encrypted to a 1024-bit RSA key; the SP key is 2048-bit)"
    );
}

#[test]
fn inherited_namespaces_are_supplied() {
    let plain = r#"<saml:Assertion ID="a" xmlns:xs="urn:x"><saml:Subject><saml:NameID>n@example.com</saml:NameID></saml:Subject></saml:Assertion>"#;
    assert!(check_assertion(plain).is_err());
    let in_scope = [(Some("saml"), ASSERTION_NS), (Some("xs"), "urn:other")];
    let completed = complete_namespaces(plain, &in_scope).unwrap();
    assert_eq!(
        completed,
        format!(
            r#"<saml:Assertion xmlns:saml="{ASSERTION_NS}" ID="a" xmlns:xs="urn:x"><saml:Subject><saml:NameID>n@example.com</saml:NameID></saml:Subject></saml:Assertion>"#
        )
    );
    assert_eq!(nameid(&completed), "n@example.com");
}

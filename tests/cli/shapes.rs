//! Capture shapes users really have (tests/fixtures/shapes, made by
//! tests/fixtures/gen/shapes.py around responses signed with signxml): saved HTML pages,
//! HARs whose POST was lost, SOAP envelopes, SP-initiated sign-ins and repeated form
//! parameters.

use serde_json::Value;

use crate::common::{check_json, cli, rules_of};

const OKTA: &str = "samples/trust/okta-signing.pem";
const IC: &str = "samples/trust/identity-center-signing.pem";

fn check(file: &str, trust: &str) -> (i32, Value) {
    let (code, doc) = check_json(&["--now", "issue-instant", "--idp-cert", trust, file]);
    (code, doc["inputs"][0].clone())
}

fn payloads(input: &Value) -> &Vec<Value> {
    input["payloads"].as_array().unwrap()
}

#[test]
fn okta_auto_post_page_yields_its_response_with_references_decoded() {
    let (code, input) = check("tests/fixtures/shapes/okta-autopost.html", OKTA);
    assert_eq!(code, 0, "{input}");
    assert_eq!(input["container"], "html");
    let [p] = payloads(&input).as_slice() else {
        panic!("one payload: {input}")
    };
    assert_eq!(p["parameter"], "SAMLResponse");
    assert_eq!(p["kind"], "response");
    assert_eq!(p["signature"]["status"], "valid");
    assert_eq!(p["binding"], "post");
    assert_eq!(
        p["origin"]["html_form"]["action"],
        "https://signin.aws.amazon.com/saml"
    );
    assert_eq!(p["origin"]["html_form"]["page"], "saml-form");
    assert_eq!(
        p["origin"]["description"],
        "HTML form, action https://signin.aws.amazon.com/saml"
    );
    assert_eq!(p["profile"], "aws-iam");
    assert_eq!(rules_of(&input), Vec::<String>::new());
}

#[test]
fn aws_role_selection_page_says_aws_accepted_the_response() {
    let (code, input) = check("tests/fixtures/shapes/aws-role-selection.html", OKTA);
    assert_eq!(code, 0);
    let p = &payloads(&input)[0];
    assert_eq!(p["origin"]["html_form"]["page"], "aws-role-selection");
    assert_eq!(p["signature"]["status"], "valid");
    assert!(
        p["decode_notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("only after it accepted")),
        "{p}"
    );
}

#[test]
fn a_login_page_is_named_as_one() {
    let run = cli(&["check", "tests/fixtures/shapes/okta-login.html"]).run();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("an HTML page (\"Example Org - Sign In\") was captured, not the SAMLResponse POST: a login page with no SAML form"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_har_whose_post_was_lost_yields_the_form_in_the_idp_page() {
    let (code, input) = check("tests/fixtures/shapes/idp-page-only.har", OKTA);
    assert_eq!(code, 0);
    assert_eq!(input["stats"]["with_saml"], 1);
    let [p] = payloads(&input).as_slice() else {
        panic!("one payload: {input}")
    };
    assert_eq!(p["origin"]["kind"], "har");
    assert_eq!(p["origin"]["entry"], 0);
    assert_eq!(
        p["origin"]["description"],
        "HTML form in entry 0's response, action https://signin.aws.amazon.com/saml"
    );
    assert_eq!(p["signature"]["status"], "valid");
    let text = cli(&["check", "tests/fixtures/shapes/idp-page-only.har"]).run();
    assert!(
        text.stdout.contains(
            "#0 HTML form in entry 0's response, action https://signin.aws.amazon.com/saml"
        ),
        "{}",
        text.stdout
    );
}

/// The IdP page and the POST carry the same value: it is reported once, from the POST.
#[test]
fn a_har_with_the_idp_page_and_the_post_reports_the_post_once() {
    let (_, input) = check("samples/okta-signin.har", OKTA);
    let [p] = payloads(&input).as_slice() else {
        panic!("one payload: {input}")
    };
    assert_eq!(p["origin"]["method"], "POST");
    assert!(p["origin"].get("html_form").is_none());
    assert_eq!(input["stats"]["with_saml"], 1);
    // The same HAR without its POST entry: the page's form is what is left.
    let mut har: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/okta-signin.har").unwrap()).unwrap();
    let entries = har["log"]["entries"].as_array_mut().unwrap();
    entries.retain(|e| {
        e["request"]["method"] != "POST"
            || e["request"]["url"] != "https://signin.aws.amazon.com/saml"
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost-post.har");
    std::fs::write(&path, serde_json::to_string(&har).unwrap()).unwrap();
    let (_, input) = check(path.to_str().unwrap(), OKTA);
    let [p] = payloads(&input).as_slice() else {
        panic!("one payload: {input}")
    };
    assert!(p["origin"]["html_form"].is_object());
    assert_eq!(p["origin"]["entry"], 3);
    assert_eq!(p["signature"]["status"], "valid");
    // Saved without content, the page is gone as well: nothing to read, and the note
    // says how to export again.
    let (_, input) = check("samples/broken/har-without-content.har", OKTA);
    assert!(payloads(&input).is_empty());
    assert!(
        input["notes"][0].as_str().unwrap().contains("with content"),
        "{input}"
    );
}

#[test]
fn soap_envelope_response_is_found_and_verified() {
    let (code, input) = check("tests/fixtures/shapes/ecp-envelope.xml", OKTA);
    assert_eq!(code, 0, "{input}");
    let [p] = payloads(&input).as_slice() else {
        panic!("one payload: {input}")
    };
    assert_eq!(p["binding"], "soap");
    assert_eq!(p["kind"], "response");
    // Both signatures verify, although the namespaces they use are declared on the Envelope.
    assert_eq!(p["signature"]["status"], "valid");
    let sigs = p["signature"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert!(
        sigs.iter()
            .all(|s| s["signature_ok"] == true && s["digest_ok"] == true)
    );
    assert_eq!(p["summary"]["subject"], "jane.doe@example.com");
}

#[test]
fn sp_initiated_har_shows_request_then_response() {
    let (code, input) = check("tests/fixtures/shapes/sp-initiated.har", IC);
    assert_eq!(code, 0, "{input}");
    let ps = payloads(&input);
    assert_eq!(ps.len(), 2);
    let (req, resp) = (&ps[0], &ps[1]);
    assert_eq!(req["kind"], "request");
    assert_eq!(req["parameter"], "SAMLRequest");
    assert_eq!(req["binding"], "redirect");
    assert_eq!(req["request"]["kind"], "AuthnRequest");
    assert_eq!(req["request"]["id"], "_5d1c7e2a9b3f4c6d8e0a1b2c3d4e5f60");
    assert_eq!(
        req["request"]["issuer"],
        "https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067a1b2c3"
    );
    assert_eq!(
        req["request"]["nameid_format"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert_eq!(
        req["request"]["sig_alg"],
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    );
    assert_eq!(req["request"]["redirect_signature"], true);
    assert_eq!(req["findings"], Value::Array(Vec::new()));
    assert_eq!(resp["kind"], "response");
    assert_eq!(resp["parameter"], "SAMLResponse");
    assert_eq!(
        resp["summary"]["in_response_to"],
        "_5d1c7e2a9b3f4c6d8e0a1b2c3d4e5f60"
    );
    assert_eq!(resp["signature"]["status"], "valid");
    assert_eq!(rules_of(&input), Vec::<String>::new());
}

#[test]
fn sp_initiated_har_answered_for_another_request() {
    let (code, input) = check("tests/fixtures/shapes/sp-initiated-mismatch.har", IC);
    assert_eq!(code, 1);
    let ps = payloads(&input);
    assert_eq!(
        ps[0]["findings"],
        Value::Array(Vec::new()),
        "a request alone is never a finding"
    );
    let flow: Vec<(&str, &str)> = ps[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .filter(|(r, _)| r.starts_with("in-response") || r.starts_with("request-"))
        .collect();
    let rules: Vec<&str> = flow.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        rules,
        [
            "in-response-to-mismatch",
            "request-acs-mismatch",
            "request-nameid-policy-unmet"
        ]
    );
    assert!(flow[0].1.contains("_another-request") && flow[0].1.contains("payload #0"));
    assert!(flow[1].1.contains("eu-west-1"), "{}", flow[1].1);
    assert!(flow[2].1.contains("unspecified"), "{}", flow[2].1);
}

#[test]
fn a_pasted_redirect_url_is_a_request_not_an_error() {
    let (code, input) = check_json(&["tests/fixtures/shapes/authn-request.url"]);
    let input = &input["inputs"][0];
    assert_eq!(code, 0, "{input}");
    let p = &payloads(input)[0];
    assert_eq!(p["kind"], "request");
    assert_eq!(p["parameter"], "SAMLRequest");
    assert_eq!(p["binding"], "redirect");
    assert_eq!(
        p["decoded"],
        serde_json::json!(["url", "base64", "inflate", "utf8"])
    );
    assert!(
        p["request"]["acs_url"]
            .as_str()
            .unwrap()
            .contains("/platform/saml/acs/")
    );
}

#[test]
fn repeated_saml_response_checks_every_value() {
    let (code, input) = check("tests/fixtures/shapes/duplicate-form.txt", OKTA);
    assert_eq!(code, 1);
    let ps = payloads(&input);
    assert_eq!(ps.len(), 2);
    let subjects: Vec<&str> = ps
        .iter()
        .map(|p| p["summary"]["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["jane.doe@example.com", "mallory@example.com"]);
    for (p, which) in ps.iter().zip(["reads the first", "reads the last"]) {
        let f: Vec<&Value> = p["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "form-parameter-duplicate")
            .collect();
        assert_eq!(f.len(), 1, "{p}");
        let msg = f[0]["message"].as_str().unwrap();
        assert!(msg.contains("SAMLResponse 2 times"), "{msg}");
        assert!(
            msg.contains(&format!("server that {which} value uses")),
            "{msg}"
        );
    }
}

#[test]
fn a_directory_scan_takes_html_pages() {
    let (_, doc) = check_json(&["tests/fixtures/shapes"]);
    let sources: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.iter().any(|s| s.ends_with("okta-autopost.html")),
        "{sources:?}"
    );
}

//! Screens drawn into a `TestBackend`, driven with key events, snapshotted.

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Tab};
use super::event::{AppEvent, Job, run_job};
use crate::input::InputSpec;
use crate::lint::overrides::Overrides;
use crate::pipeline::{NowMode, Options};

const NOW: &str = "2026-01-15T10:00:02Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// The samples' own IdP metadata is trusted, as a user setting up federation would.
fn opts() -> Options {
    let mut trust = crate::verify::TrustStore::default();
    for m in [
        "samples/trust/okta-metadata.xml",
        "samples/trust/identity-center-metadata.xml",
    ] {
        trust.add_metadata_file(std::path::Path::new(m)).unwrap();
    }
    Options {
        now: NowMode::At(now()),
        clock: now(),
        trust,
        ..Options::default()
    }
}

fn sample(path: &str) -> InputSpec {
    // Relative to the package root, where tests run, so screens name no machine path.
    InputSpec::Path(path.into())
}

/// An app with the samples checked, synchronously.
fn app_with(paths: &[&str]) -> App {
    app_at(paths, now(), &opts())
}

/// An app whose clock reads `clock`, with the samples checked under `opts`.
fn app_at(paths: &[&str], clock: DateTime<Utc>, opts: &Options) -> App {
    let mut app = App::new(clock);
    app.base_now = opts.now;
    let specs = paths.iter().map(|p| sample(p)).collect();
    let job = app.queue(Job::Inputs(specs));
    let checked = run_job(job, opts, &Overrides::default());
    app.update(AppEvent::Checked(checked));
    app
}

fn key(app: &mut App, code: KeyCode) {
    let effects = app.update(AppEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    run_effects(app, effects);
}

fn run_effects(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::Job(job) = e {
            let checked = run_job(job, &opts(), &Overrides::default());
            app.update(AppEvent::Checked(checked));
        }
    }
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as text, with the source paths made machine-independent.
fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

const HAR: &str = "samples/okta-signin.har";
const IC: &str = "samples/identity-center.b64";
const BROKEN: &str = "samples/broken/wrong-audience.b64";

fn tab_screens(name: &str, paths: &[&str], select: usize) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = app_with(paths);
        for _ in 0..select {
            key(&mut app, KeyCode::Down);
        }
        for tab in Tab::ALL {
            let n = Tab::ALL.iter().position(|t| *t == tab).unwrap() + 1;
            keys(&mut app, &n.to_string());
            insta::assert_snapshot!(
                format!("{name}_{}_{w}x{h}", tab.title().to_lowercase()),
                screen(&app, w, h)
            );
        }
    }
}

#[test]
fn okta_har_tabs() {
    tab_screens("okta_har", &[HAR, IC, BROKEN], 0);
}

#[test]
fn identity_center_tabs() {
    tab_screens("identity_center", &[HAR, IC, BROKEN], 1);
}

#[test]
fn wrong_audience_tabs() {
    tab_screens("wrong_audience", &[HAR, IC, BROKEN], 2);
}

#[test]
fn undecodable_and_missing_inputs_are_rows() {
    let mut app = app_with(&[
        "samples/broken/truncated.b64",
        "samples/no-such-file.har",
        HAR,
    ]);
    assert_eq!(app.entries.len(), 3);
    insta::assert_snapshot!("broken_rows_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!("unreadable_row_80x24", screen(&app, 80, 24));
}

#[test]
fn help_overlay_lists_every_panel() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "?");
    let s = screen(&app, 80, 24);
    insta::assert_snapshot!("help_80x24", s);
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&app, 80, 24).contains("Keys (Esc closes)"));
}

#[test]
fn paste_box_submits_and_selects() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "p");
    let pasted = std::fs::read_to_string(BROKEN).unwrap();
    // A bracketed paste arrives as one event, line breaks included.
    let wrapped: String = pasted
        .trim()
        .as_bytes()
        .chunks(76)
        .flat_map(|c| [std::str::from_utf8(c).unwrap(), "\n"])
        .collect();
    let effects = app.update(AppEvent::Paste(wrapped));
    assert!(effects.is_empty());
    insta::assert_snapshot!("paste_box_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.entries.len(), 2);
    assert_eq!(app.selected_index(), 1);
    assert_eq!(app.tab, Tab::Summary);
    let s = screen(&app, 80, 24);
    assert!(s.contains("jane.doe@example.com"), "{s}");
    insta::assert_snapshot!("pasted_summary_80x24", s);
}

#[test]
fn paste_box_esc_cancels() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "p");
    app.update(AppEvent::Paste("abc\ndef".to_owned()));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.entries.len(), 1);
    assert!(!screen(&app, 80, 24).contains("Paste a SAMLResponse"));
}

#[test]
fn search_in_xml() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "3/audience");
    let s = screen(&app, 80, 24);
    assert!(s.contains("/audience"), "{s}");
    insta::assert_snapshot!("search_80x24", s);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "n");
    insta::assert_snapshot!("search_next_80x24", screen(&app, 80, 24));
}

#[test]
fn finding_enter_jumps_to_xml_line() {
    // A finding pointing at the Audience, whichever rules the registry has.
    let mut report = crate::pipeline::check_spec(&sample(BROKEN), &opts());
    let p = &mut report.payloads[0];
    let text = &p.document.as_ref().unwrap().text;
    let start = text.find("<saml2:Audience>").unwrap();
    p.findings.push(
        crate::lint::Finding::new(&crate::lint::rules::input_not_saml::META, "test finding")
            .at(crate::xml::Span::new(start, start + 16), "here"),
    );
    let mut app = App::new(now());
    let entries = super::entry::entries_from_input(report, &opts());
    app.update(AppEvent::Checked(super::event::Checked {
        entries,
        select: false,
    }));
    keys(&mut app, "2");
    let n = app.selected().unwrap().findings.len();
    for _ in 1..n {
        key(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!("finding_detail_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, Tab::Xml);
    let s = screen(&app, 80, 24);
    assert!(s.contains("<saml2:Audience>https://signin"), "{s}");
    insta::assert_snapshot!("finding_jump_80x24", s);
    keys(&mut app, ">>");
    let s = screen(&app, 80, 24);
    assert!(s.contains("amazon.com/saml/</saml2:Audience>"), "{s}");
}

#[test]
fn fold_hides_children() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "3");
    // Line 0 is the Response: folding it leaves one line.
    key(&mut app, KeyCode::Char(' '));
    let s = screen(&app, 80, 24);
    assert!(s.contains("<saml2p:Response"), "{s}");
    assert!(!s.contains("<saml2:Assertion"), "{s}");
    keys(&mut app, "Z");
    assert!(screen(&app, 80, 24).contains("<saml2:Assertion"));
}

#[test]
fn countdown_follows_the_clock() {
    let mut app = app_with(&[HAR]);
    app.clock_mode = true;
    assert!(screen(&app, 80, 24).contains("expires in 4m 58s"));
    app.now = DateTime::parse_from_rfc3339("2026-01-15T10:08:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert!(screen(&app, 80, 24).contains("expired 3m 00s ago"));
}

#[test]
fn captured_payloads_join_the_list() {
    let mut app = app_with(&[HAR]);
    let scanned = crate::input::scan(&sample(IC), &opts().limits).unwrap();
    let payload = scanned.payloads.into_iter().next().unwrap();
    let effects = app.update(AppEvent::Captured(payload));
    assert_eq!(app.pending, 1);
    run_effects(&mut app, effects);
    assert_eq!(app.entries.len(), 2);
    assert_eq!(app.selected_index(), 0);
}

#[test]
fn copy_asks_for_osc52() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "1");
    let effects = app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
    )));
    assert!(matches!(&effects[..], [Effect::Copy(v)] if v.contains(":role/Admin")));
}

#[test]
fn quit() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "q");
    assert!(app.quit);
}

/// The README's capture of the Summary tab is this screen; when the screen changes,
/// copy it from `snapshots/samlint__tui__tests__okta_har_summary_80x24.snap`.
#[test]
fn readme_capture_is_current() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- tui-summary:start -->\n```text\n")
        .unwrap();
    let block = &readme[start..];
    let block = &block[block.find("```text\n").unwrap() + 8
        ..block.find("```\n<!-- tui-summary:end -->").unwrap()];
    let app = app_with(&[HAR, IC, BROKEN]);
    assert_eq!(block, screen(&app, 80, 24));
    // The command above the picture gives what `opts()` gives.
    let command = format!(
        "samlint inspect {HAR} {IC} {BROKEN} \\\n  --idp-metadata samples/trust/okta-metadata.xml \
         --idp-metadata samples/trust/identity-center-metadata.xml \\\n  --now {NOW}\n"
    );
    assert!(
        readme.contains(&command),
        "README: the picture's command is not\n{command}"
    );
}

#[test]
fn any_size_draws_without_panicking() {
    let mut app = app_with(&[HAR, "samples/broken/truncated.b64", BROKEN]);
    for (w, h) in [(1, 1), (10, 4), (30, 8), (60, 15), (80, 24), (200, 60)] {
        for tab in 1..=5 {
            keys(&mut app, &tab.to_string());
            screen(&app, w, h);
            for overlay in ["?", "p"] {
                keys(&mut app, overlay);
                screen(&app, w, h);
                key(&mut app, KeyCode::Esc);
            }
        }
        // The XML tab wrapped, folded, at its end.
        keys(&mut app, "3w");
        screen(&app, w, h);
        keys(&mut app, " G");
        screen(&app, w, h);
        key(&mut app, KeyCode::PageUp);
        screen(&app, w, h);
        keys(&mut app, "Zw");
    }
}

/// The loop itself, over a `TestBackend`: a proxy capture arrives while the UI runs,
/// is checked off the loop, joins the list; then `q` ends the loop.
#[test]
fn loop_takes_live_captures() {
    use std::sync::mpsc;

    let (tx, rx) = mpsc::channel();
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let events = tx.clone();
    std::thread::spawn(move || {
        for job in jobs_rx {
            events
                .send(AppEvent::Checked(run_job(
                    job,
                    &opts(),
                    &Overrides::default(),
                )))
                .unwrap();
            events
                .send(AppEvent::Key(KeyEvent::new(
                    KeyCode::Char('q'),
                    KeyModifiers::NONE,
                )))
                .unwrap();
        }
    });
    let scanned = crate::input::scan(&sample(HAR), &opts().limits).unwrap();
    let payload = scanned.payloads.into_iter().next().unwrap();
    tx.send(AppEvent::Captured(payload)).unwrap();

    let mut app = App::new(now());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let clock = super::event::FixedClock(now());
    super::run_loop(&mut terminal, &mut app, &rx, &jobs_tx, &clock, &mut |_| {
        Ok(())
    })
    .unwrap();
    assert!(app.quit);
    assert_eq!(app.entries.len(), 1);
    assert_eq!(app.pending, 0);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Payloads (1)"), "{shown}");
    assert!(shown.contains("Admin"), "{shown}");
}

#[test]
fn mouse_selects_tabs_and_rows() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let click = |column, row| {
        AppEvent::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut app = app_with(&[HAR, IC, BROKEN]);
    screen(&app, 80, 24);
    // " 1 Summary  2 Findings  3 XML ...": the header row, right of the list.
    app.update(click(28 + 25, 0));
    assert_eq!(app.tab, Tab::Xml);
    // The third list row.
    app.update(click(5, 4));
    assert_eq!(app.selected_index(), 2);
    screen(&app, 80, 24);
    app.update(AppEvent::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 5,
        row: 4,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.selected_index(), 1);
}

/// What the Signature tab shows once the verifier fills the report.
#[test]
fn verified_signature_tab() {
    use crate::verify::{CertificateInfo, SignatureDetail, SignatureReport, SignatureStatus};
    let mut report = crate::pipeline::check_spec(&sample(HAR), &opts());
    let text = &report.payloads[0].document.as_ref().unwrap().text;
    let close = "</saml2:Assertion>";
    let assertion = crate::xml::Span::new(
        text.find("<saml2:Assertion").unwrap(),
        text.find(close).unwrap() + close.len(),
    );
    report.payloads[0].signature = Some(SignatureReport {
        status: SignatureStatus::Valid,
        engine: "rust",
        signatures: vec![SignatureDetail {
            covers: "Assertion".to_owned(),
            id: Some("ide89f93aa6bf0526903f4ecca8eb8ec77".to_owned()),
            path: "/Response/Assertion".to_owned(),
            covered_span: Some(assertion),
            algorithm: Some("rsa-sha256".to_owned()),
            c14n: Some("exc-c14n".to_owned()),
            digest_algorithm: Some("sha256".to_owned()),
            digest_ok: Some(true),
            signature_ok: Some(true),
            trusted_key: Some("SHA256:ab12cd34".to_owned()),
            certificate: Some(CertificateInfo {
                subject: "CN=okta-signing".to_owned(),
                issuer: "CN=okta-signing".to_owned(),
                serial: "01".to_owned(),
                not_before: "2025-01-01T00:00:00Z".to_owned(),
                not_after: "2035-01-01T00:00:00Z".to_owned(),
                sha256: "ab12cd34".to_owned(),
            }),
            trust_entry: Some("samples/trust/okta-metadata.xml #0".to_owned()),
        }],
    });
    let mut app = App::new(now());
    let entries = super::entry::entries_from_input(report, &opts());
    app.update(AppEvent::Checked(super::event::Checked {
        entries,
        select: false,
    }));
    assert!(screen(&app, 80, 24).contains("valid: signed by a trusted key"));
    keys(&mut app, "4");
    insta::assert_snapshot!("signature_verified_80x30", screen(&app, 80, 30));
    // The covered Assertion is marked as verified in the XML gutter.
    keys(&mut app, "3");
    let s = screen(&app, 80, 24);
    assert!(s.contains("┃▾   <saml2:Assertion"), "{s}");
}

#[test]
fn har_without_content_says_why() {
    let app = app_with(&["samples/broken/har-without-content.har"]);
    let s = screen(&app, 80, 24);
    assert!(s.contains("without request bodies"), "{s}");
    insta::assert_snapshot!("har_without_content_80x24", s);
}

#[test]
fn no_color_keeps_modifiers_only() {
    let mut app = app_with(&[HAR]);
    app.no_color = true;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    let buf = terminal.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    // The selected payload is still shown in reverse video.
    assert!(
        buf[(2, 2)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn overrides_apply_to_the_list() {
    let mut app = App::new(now());
    let overrides = Overrides {
        ignore: vec!["audience-invalid"],
        ..Overrides::default()
    };
    app.update(AppEvent::Checked(run_job(
        Job::Inputs(vec![sample(BROKEN)]),
        &opts(),
        &overrides,
    )));
    assert!(
        app.entries[0]
            .findings
            .iter()
            .all(|f| f.rule.id != "audience-invalid")
    );
}

/// `--aws`: the Summary's roles table gains an AWS column, and the selected pair says
/// why.
#[test]
fn summary_roles_show_what_sts_will_do() {
    let mut o = opts();
    let acct = crate::aws::Account::load(&["tests/fixtures/aws/account".into()]);
    o.aws = Some(std::sync::Arc::new(acct));
    let mut app = App::new(now());
    let specs = vec![sample("tests/fixtures/aws/captures/regional.xml")];
    let checked = run_job(Job::Inputs(specs), &o, &Overrides::default());
    app.update(AppEvent::Checked(checked));
    keys(&mut app, "1");
    let s = screen(&app, 140, 40);
    assert!(s.contains("AWS"), "{s}");
    assert!(s.contains("denied"), "{s}");
    assert!(
        s.contains("STS: denied (trust-policy-condition-failed)"),
        "{s}"
    );
}

// Scrolling counts wrapped rows; the panes that overflow say so with a scrollbar.

fn ctrl(app: &mut App, c: char) {
    let effects = app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
    run_effects(app, effects);
}

/// The rows of the panel (right of the list), without the border.
fn panel_rows(s: &str) -> Vec<String> {
    s.lines()
        .skip(2)
        .map(|l| l.chars().skip(29).collect::<String>())
        .collect()
}

#[test]
fn findings_detail_scrolls_at_80x24() {
    let mut app = app_with(&["samples/broken/role-pair-malformed.b64"]);
    keys(&mut app, "2");
    let first = screen(&app, 80, 24);
    assert!(
        first.contains('█') || first.contains('┃'),
        "no scrollbar:\n{first}"
    );
    for _ in 0..10 {
        key(&mut app, KeyCode::PageDown);
    }
    let s = screen(&app, 80, 24);
    assert!(s.contains("Fix (AWS)"), "{s}");
    insta::assert_snapshot!("findings_detail_scrolled_80x24", s);
    // Moving to another finding starts its detail from the top.
    key(&mut app, KeyCode::Down);
    assert!(
        screen(&app, 80, 24).contains("error[SL"),
        "detail not at its top"
    );
}

#[test]
fn raw_end_shows_the_last_row_and_pages_stop_there() {
    let mut app = app_with(&["samples/broken/role-pair-malformed.b64"]);
    keys(&mut app, "5G");
    let end = screen(&app, 80, 24);
    let tail: String = {
        let text = &app.selected().unwrap().raw_lines;
        let last = text.last().unwrap();
        last.chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    };
    assert!(
        end.contains(&tail),
        "G did not reach the end ({tail}):\n{end}"
    );
    // The last text row sits at the bottom of the pane: no blank rows after it.
    let rows = panel_rows(&end);
    let bottom = &rows[rows.len() - 3];
    assert!(
        !bottom.trim_matches(['│', ' ', '┃', '║', '█']).is_empty(),
        "{end}"
    );
    for _ in 0..50 {
        key(&mut app, KeyCode::PageDown);
    }
    assert_eq!(screen(&app, 80, 24), end, "PgDn scrolled past the end");
    insta::assert_snapshot!("raw_end_80x24", end);
    keys(&mut app, "g");
    assert!(screen(&app, 80, 24).contains("Origin"));
}

#[test]
fn summary_reaches_the_roles_table_on_a_short_screen() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "1");
    assert!(!screen(&app, 80, 12).contains("ReadOnly"));
    keys(&mut app, "G");
    let s = screen(&app, 80, 12);
    assert!(s.contains("ReadOnly"), "{s}");
}

#[test]
fn help_scrolls_to_its_last_key_and_no_further() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "?");
    let groups = App::all_commands();
    let row = groups.last().unwrap().1.last().unwrap();
    let last = format!("{} {}", app.keys.label(row), row.desc);
    // The overlay's rows (not the footer), spaces collapsed.
    let shows_last = |s: &str| {
        s.lines().take(11).any(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&last)
        })
    };
    assert!(!shows_last(&screen(&app, 80, 12)));
    keys(&mut app, "G");
    let end = screen(&app, 80, 12);
    assert!(shows_last(&end), "{end}");
    for _ in 0..20 {
        key(&mut app, KeyCode::PageDown);
    }
    assert_eq!(screen(&app, 80, 12), end);
}

#[test]
fn long_paste_shows_its_last_line() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "p");
    let mut text = String::new();
    for i in 1..=59 {
        std::fmt::Write::write_fmt(
            &mut text,
            format_args!("line {i:02} {}\n", "word ".repeat(14)),
        )
        .unwrap();
    }
    app.update(AppEvent::Paste(text));
    let s = screen(&app, 80, 24);
    assert!(s.contains("line 59"), "{s}");
    assert!(s.contains("59 lines"), "{s}");
}

#[test]
fn ctrl_c_in_the_paste_box_cancels_the_entry() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "p");
    app.update(AppEvent::Paste("abc\ndef".to_owned()));
    ctrl(&mut app, 'c');
    assert!(!app.quit, "Ctrl-C in text entry quit the app");
    assert!(!screen(&app, 80, 24).contains("Paste a SAMLResponse"));
    assert_eq!(app.entries.len(), 1);
    // In the XML search too; elsewhere it quits.
    keys(&mut app, "3/aud");
    ctrl(&mut app, 'c');
    assert!(!app.quit);
    ctrl(&mut app, 'c');
    assert!(app.quit);
}

#[test]
fn enter_on_a_finding_without_a_place_says_so() {
    let mut app = app_with(&["samples/broken/empty.txt"]);
    keys(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, Tab::Findings);
    let s = screen(&app, 80, 24);
    assert!(s.contains("no place in the XML"), "{s}");
}

#[test]
fn long_values_are_elided_with_their_length() {
    let xml = std::fs::read_to_string("samples/okta-aws-iam.xml").unwrap();
    let at = xml.find("RoleSessionName").unwrap();
    let value = at + xml[at..].find("jane.doe@example.com").unwrap();
    let doc = format!(
        "{}{}{}",
        &xml[..value],
        "a".repeat(60_000),
        &xml[value + 20..]
    );
    let mut app = App::new(now());
    keys(&mut app, "p");
    app.update(AppEvent::Paste(doc));
    key(&mut app, KeyCode::Enter);
    let summary = screen(&app, 120, 40);
    assert!(summary.contains("…[60,000"), "{summary}");
    keys(&mut app, "2j");
    let findings = screen(&app, 120, 40);
    assert!(findings.contains("…[60,000"), "{findings}");
}

#[test]
fn one_clock_for_the_countdown_and_the_verdict() {
    // Checked at the HAR's capture time while the clock reads months later.
    let later = DateTime::parse_from_rfc3339("2026-12-06T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let capture = Options {
        now: NowMode::Capture,
        clock: later,
        ..opts()
    };
    let mut app = app_at(&[HAR], later, &capture);
    let s = screen(&app, 120, 40);
    assert!(s.contains("AWS should accept"), "{s}");
    assert!(
        s.contains("expires in 4m 58s"),
        "countdown from the clock:\n{s}"
    );
    assert!(s.contains("(capture time)"), "{s}");
    assert!(s.contains("c: use the clock"), "{s}");
    // `c`: the clock decides, for the verdict and the countdown alike.
    keys(&mut app, "c");
    assert!(app.clock_mode);
    let s = screen(&app, 120, 40);
    assert!(s.contains("AWS will reject"), "{s}");
    assert!(s.contains("expired 324d"), "{s}");
    assert!(s.contains("c: use capture time"), "{s}");
    assert_eq!(app.selected_index(), 0);
    // And back.
    keys(&mut app, "c");
    assert!(screen(&app, 80, 24).contains("AWS should accept"));
}

#[test]
fn clock_mode_re_evaluates_when_the_window_closes() {
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
    // NotOnOrAfter 10:05:00, skew 5m: accepted until 10:10:00.
    let before = at("2026-01-15T10:09:58Z");
    let clock = Options {
        now: NowMode::Clock,
        clock: before,
        ..opts()
    };
    let mut app = app_at(&[HAR], before, &clock);
    app.clock_mode = true;
    assert!(screen(&app, 80, 24).contains("AWS should accept"));
    app.now = at("2026-01-15T10:09:59Z");
    let effects = app.update(AppEvent::Tick);
    assert!(effects.is_empty(), "re-checked before the window closed");
    app.now = at("2026-01-15T10:10:01Z");
    let effects = app.update(AppEvent::Tick);
    assert!(!effects.is_empty(), "no re-check when the window closed");
    run_effects(&mut app, effects);
    let s = screen(&app, 80, 24);
    assert!(s.contains("AWS will reject"), "{s}");
}

/// docs/tui.md's key table is the help overlay's list; `SAMLINT_UPDATE_DOCS=1`
/// rewrites it.
#[test]
fn docs_key_table_is_the_help_overlay() {
    let table = super::components::help::markdown_table(
        &App::all_commands(),
        &super::keys::Keymap::default(),
    );
    let doc = std::fs::read_to_string("docs/tui.md").unwrap();
    let (start, end) = ("<!-- keys:start -->\n", "<!-- keys:end -->");
    let from = doc.find(start).unwrap() + start.len();
    let to = doc.find(end).unwrap();
    if std::env::var_os("SAMLINT_UPDATE_DOCS").is_some() {
        let updated = format!("{}{table}{}", &doc[..from], &doc[to..]);
        std::fs::write("docs/tui.md", updated).unwrap();
    } else {
        assert_eq!(
            &doc[from..to],
            table,
            "docs/tui.md's keys are stale: run the tests with SAMLINT_UPDATE_DOCS=1"
        );
    }
}

#[test]
fn malformed_role_rows_are_marked() {
    let app = app_with(&["samples/broken/role-pair-malformed.b64"]);
    let s = screen(&app, 120, 40);
    let marked: Vec<&str> = s.lines().filter(|l| l.contains("✗ malformed")).collect();
    assert_eq!(marked.len(), 2, "{s}");
    let fine = app_with(&[HAR]);
    assert!(!screen(&fine, 120, 40).contains("malformed"));
}

#[test]
fn the_list_names_har_entries_and_pastes_and_jumps_to_failures() {
    let mut app = app_with(&[HAR, IC, BROKEN]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("okta-signin.har#4"), "{s}");
    // `]` and `[`: the next and previous failing payload, wrapping.
    keys(&mut app, "]");
    assert_eq!(app.selected_index(), 2);
    keys(&mut app, "]");
    assert_eq!(app.selected_index(), 2);
    // A paste is named by its subject; `d` deletes it, and only a paste.
    keys(&mut app, "p");
    app.update(AppEvent::Paste(std::fs::read_to_string(IC).unwrap()));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected_index(), 3);
    let s = screen(&app, 120, 40);
    assert!(s.contains("paste 1 · jane.doe@example.com"), "{s}");
    keys(&mut app, "d");
    assert_eq!(app.entries.len(), 3);
    keys(&mut app, "d");
    assert_eq!(app.entries.len(), 3, "deleted a file's payload");
}

#[test]
fn the_list_grows_with_the_terminal() {
    let app = app_with(&[HAR]);
    let wide = screen(&app, 200, 50);
    let top = wide.lines().nth(1).unwrap();
    assert_eq!(
        top.find('╮').map(|i| top[..i].chars().count()),
        Some(59),
        "{top}"
    );
}

#[test]
fn xml_marks_cut_lines_and_search_scrolls_to_the_match() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "3");
    let s = screen(&app, 80, 24);
    assert!(s.contains('›'), "no cut marker:\n{s}");
    // The value sits far right on its line: the search brings it into view.
    keys(&mut app, "/saml-provider/okta");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 80, 24);
    assert!(s.to_lowercase().contains("saml-provider/okta"), "{s}");
}

#[test]
fn slash_filters_the_list_and_esc_clears_it() {
    let mut app = app_with(&[HAR, IC, BROKEN]);
    let all = app.entries.len();
    // `/` in the list filters it; typed keys (even `q`) are the filter's.
    keys(&mut app, "/wrong-aud");
    assert!(!app.quit);
    assert_eq!(
        app.selected_index(),
        all - 1,
        "selection moves to the match"
    );
    insta::assert_snapshot!("list_filter_80x24", screen(&app, 80, 24));
    // Enter keeps the filter; the moves stay among the matches.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.selected_index(), all - 1);
    // Esc clears it and keeps the selection.
    key(&mut app, KeyCode::Esc);
    let s = screen(&app, 80, 24);
    assert!(s.contains(&format!("Payloads ({all})")), "{s}");
    assert_eq!(app.selected_index(), all - 1);
    // By issuer, case-insensitively; Ctrl-C cancels the entry, not the app.
    keys(&mut app, "/EXK1IC0");
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Payloads (1/3)") && s.contains("identity-center"),
        "{s}"
    );
    assert_eq!(app.selected_index(), 1);
    ctrl(&mut app, 'c');
    assert!(!app.quit);
    assert!(screen(&app, 80, 24).contains(&format!("Payloads ({all})")));
    // In the XML tab `/` is still the search.
    keys(&mut app, "3/Issuer");
    assert!(!screen(&app, 80, 24).contains(&format!("Payloads ({all}/")));
}

/// `--aws`: `a` in the Summary shows the SAML context keys under the roles table.
#[test]
fn summary_shows_the_saml_context_keys() {
    let mut o = opts();
    let acct = crate::aws::Account::load(&["tests/fixtures/aws/account".into()]);
    o.aws = Some(std::sync::Arc::new(acct));
    let mut app = App::new(now());
    let specs = vec![sample("tests/fixtures/aws/captures/regional.xml")];
    let checked = run_job(Job::Inputs(specs), &o, &Overrides::default());
    app.update(AppEvent::Checked(checked));
    keys(&mut app, "1");
    let s = screen(&app, 140, 40);
    assert!(s.contains("a: the SAML context keys"), "{s}");
    assert!(!s.contains("SAML context keys ("), "{s}");
    keys(&mut app, "aG");
    let s = screen(&app, 80, 24);
    assert!(s.contains("SAML context keys ("), "{s}");
    assert!(s.contains("SAML:aud"), "{s}");
    insta::assert_snapshot!("context_keys_80x24", s);
    // Without --aws the section says what computes it.
    let mut plain = app_with(&[HAR]);
    keys(&mut plain, "1aG");
    assert!(screen(&plain, 80, 24).contains("Computed with --aws"));
}

// Keys declared once: samlint.toml's `[keys]` changes what the panels match, the
// footer and the help overlay together.

const REMAPPED: &str = r#"
[keys]
quit = "x"
help = "f1"
up = ["up", "ctrl-p"]
down = ["down", "ctrl-n"]
page_up = ["pgup", "ctrl-b"]
page_down = ["pgdown", "ctrl-f"]
clock = "t"
close = "esc"
fold = ["space", "enter"]
"#;

fn remapped(paths: &[&str]) -> App {
    let mut app = app_with(paths);
    app.keys = crate::config::parse(REMAPPED, "samlint.toml", std::path::Path::new("."))
        .unwrap()
        .keys;
    app
}

fn key_with(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    let effects = app.update(AppEvent::Key(KeyEvent::new(code, mods)));
    run_effects(app, effects);
}

#[test]
fn remapped_keys_show_in_the_footer_and_the_help() {
    let mut app = remapped(&[HAR, IC, BROKEN]);
    let s = screen(&app, 80, 24);
    let footer = s.lines().last().unwrap();
    assert!(footer.starts_with(" x quit  F1 help  p paste"), "{footer}");
    assert!(footer.contains("↑/↓ ^P/^N move"), "{footer}");
    insta::assert_snapshot!("remapped_summary_80x24", s);
    // `?` is no longer the help; F1 is.
    keys(&mut app, "?");
    assert!(!screen(&app, 80, 24).contains("Keys ("));
    key(&mut app, KeyCode::F(1));
    let s = screen(&app, 80, 24);
    for row in ["F1", "x ", "PgUp/PgDn ^B/^F", "↑/↓ ^P/^N", "Space/Enter"] {
        assert!(s.contains(row), "{row} missing:\n{s}");
    }
    assert!(!s.contains("Space/z/Enter"), "{s}");
    insta::assert_snapshot!("remapped_help_80x24", s);
    // Enter no longer closes the help (close = "esc"); F1 does, as `?` did.
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Keys (Esc closes)"));
    key(&mut app, KeyCode::F(1));
    assert!(!screen(&app, 80, 24).contains("Keys ("));
    // The Summary's hint names the clock's key.
    assert!(screen(&app, 120, 40).contains("· t: use the clock"));
}

#[test]
fn remapped_keys_act_everywhere_and_the_old_ones_do_not() {
    let mut app = remapped(&[HAR, IC, BROKEN]);
    // The list: Ctrl-N moves down; `j` still does (both are bound), `k` no more.
    key_with(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(app.selected_index(), 1);
    keys(&mut app, "k");
    assert_eq!(app.selected_index(), 1);
    key_with(&mut app, KeyCode::Char('p'), KeyModifiers::CONTROL);
    assert_eq!(app.selected_index(), 0);
    // The XML tab: the same keys move the cursor; `z` no longer folds, Enter does.
    keys(&mut app, "3");
    key_with(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    key_with(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    let before = screen(&app, 80, 24);
    assert!(before.contains("</saml2p:Status>"), "{before}");
    keys(&mut app, "z");
    assert_eq!(screen(&app, 80, 24), before);
    // Folded, the closing tag joins the (cut) opening line.
    key(&mut app, KeyCode::Enter);
    let folded = screen(&app, 80, 24);
    assert!(!folded.contains("</saml2p:Status>"), "no fold:\n{folded}");
    // The mouse wheel follows `down` wherever it is bound.
    let mut wheel = remapped(&[HAR, IC, BROKEN]);
    wheel.keys.set(
        super::keys::Cmd::Down,
        vec![super::keys::Key::parse("e").unwrap()],
    );
    wheel.update(AppEvent::Mouse(ratatui::crossterm::event::MouseEvent {
        kind: ratatui::crossterm::event::MouseEventKind::ScrollDown,
        column: 1,
        row: 3,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(wheel.selected_index(), 1);
    // `q` no longer quits; `x` does.
    keys(&mut app, "q");
    assert!(!app.quit);
    keys(&mut app, "x");
    assert!(app.quit);
}

#[test]
fn an_unbound_command_leaves_the_footer_and_the_help() {
    let mut app = app_with(&[]);
    app.keys = crate::config::parse(
        "[keys]\nquit = []\npaste = []\n",
        "samlint.toml",
        std::path::Path::new("."),
    )
    .unwrap()
    .keys;
    let s = screen(&app, 80, 24);
    assert!(!s.contains("quit"), "{s}");
    assert!(
        s.contains("No payloads yet. Paste a") && !s.contains("Press"),
        "{s}"
    );
    keys(&mut app, "?");
    let s = screen(&app, 120, 40);
    let rows: Vec<String> = s
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(rows.iter().any(|r| r.contains("? help")), "{s}");
    assert!(
        !rows
            .iter()
            .any(|r| r.contains("q quit") || r.contains("p paste")),
        "{s}"
    );
    keys(&mut app, "?qp");
    assert!(!app.quit);
    assert!(!screen(&app, 80, 24).contains("Paste a SAMLResponse"));
}

/// Every key a panel reacts to is in the help overlay: each default key of a command
/// that is not fixed is some row's key.
#[test]
fn every_bound_command_is_in_the_help() {
    use super::keys::Cmd;
    let rows: Vec<Cmd> = App::all_commands()
        .into_iter()
        .flat_map(|(_, cmds)| cmds.into_iter().flat_map(|c| c.cmds.iter().copied()))
        .collect();
    for cmd in Cmd::ALL {
        assert!(rows.contains(cmd), "{} is in no help row", cmd.id());
    }
}

/// The lines of the selected payload's XML whose text starts (after indentation)
/// with `start`.
fn xml_lines_starting(app: &App, start: &str) -> Vec<usize> {
    app.selected()
        .unwrap()
        .xml
        .iter()
        .enumerate()
        .filter(|(_, l)| l.text.trim_start().starts_with(start))
        .map(|(i, _)| i)
        .collect()
}

/// Moves the XML cursor from the top to line `line` and folds it; `folded` are the
/// lines folded before, which hide their elements from the cursor's path.
fn fold_line(app: &mut App, line: usize, folded: &[usize]) {
    keys(app, "g");
    let visible_before = {
        let e = app.selected().unwrap();
        let mut n = 0;
        let mut i = 0;
        while i < line {
            n += 1;
            i = match (folded.contains(&i), e.xml[i].close) {
                (true, Some(c)) => c + 1,
                _ => i + 1,
            };
        }
        n
    };
    for _ in 0..visible_before {
        keys(app, "j");
    }
    keys(app, " ");
}

/// XSW7: two Assertions carry one ID (an unsigned evil copy in `saml2p:Extensions`,
/// then the IdP-signed one). Whatever resolved the Reference, the gutter marks the
/// node verification digested, at the span it reported, and not every element that
/// carries the ID. (samlint's engines refuse a duplicate ID and digest nothing; the
/// report here says what an engine resolving it to the second carrier would.)
#[test]
fn the_signed_gutter_marks_the_digested_node_not_every_carrier_of_its_id() {
    let mut report =
        crate::pipeline::check_spec(&sample("tests/fixtures/signature/xsw7.xml"), &opts());
    let p = &mut report.payloads[0];
    let text = p.document.as_ref().unwrap().text.clone();
    let open = "<saml2:Assertion";
    let first = text.find(open).unwrap();
    let second = first + 1 + text[first + 1..].find(open).unwrap();
    let close = "</saml2:Assertion>";
    let end = second + text[second..].find(close).unwrap() + close.len();
    let sig = p.signature.as_mut().unwrap();
    assert_eq!(sig.status, crate::verify::SignatureStatus::Wrapped);
    let d = sig
        .signatures
        .iter_mut()
        .find(|d| d.path == "/Response/Assertion")
        .unwrap();
    let shared = d.id.clone().unwrap();
    assert_eq!(text.matches(&format!("ID=\"{shared}\"")).count(), 2);
    d.digest_ok = Some(true);
    d.signature_ok = Some(true);
    d.covered_span = Some(crate::xml::Span::new(second, end));

    let mut app = App::new(now());
    let entries = super::entry::entries_from_input(report, &opts());
    app.update(AppEvent::Checked(super::event::Checked {
        entries,
        select: false,
    }));
    keys(&mut app, "3");
    let assertions = xml_lines_starting(&app, open);
    assert_eq!(assertions.len(), 2);
    let e = app.selected().unwrap();
    let real = (assertions[1], e.xml[assertions[1]].close.unwrap());
    assert_eq!(e.signed, [real]);
    // Both folded: their opening lines side by side, one marked.
    fold_line(&mut app, assertions[0], &[]);
    fold_line(&mut app, assertions[1], &assertions[..1]);
    keys(&mut app, "g");
    let s = screen(&app, 80, 24);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains(open)).collect();
    assert_eq!(rows.len(), 2, "{s}");
    // The first carrier holds the selected finding's `▶` (the duplicate ID), no `┃`.
    assert!(!rows[0].contains('┃'), "{s}");
    assert!(rows[1].contains(&format!("│┃▸   {open}")), "{s}");
    insta::assert_snapshot!("xml_signed_by_span_80x24", s);
}

/// What verification digested, end to end: in `xsw-advice` the consumed Assertion is
/// the unsigned evil one and the IdP-signed original hides in its Advice; only the
/// original is marked.
#[test]
fn the_signed_gutter_follows_verification() {
    let mut app = app_with(&["tests/fixtures/signature/xsw-advice.xml"]);
    keys(&mut app, "3");
    let assertions = xml_lines_starting(&app, "<saml2:Assertion");
    let e = app.selected().unwrap();
    assert_eq!(assertions.len(), 2);
    assert_eq!(
        e.signed,
        [(assertions[1], e.xml[assertions[1]].close.unwrap())]
    );
    assert!(e.signed_verified);
}

/// At 120 columns the gutter shows which elements fold (`▾`) and which are folded
/// (`▸`); a folded line cut at the right edge still says how many lines it hides.
#[test]
fn fold_markers_show_at_120_columns() {
    let mut app = app_with(&[HAR, IC, BROKEN]);
    keys(&mut app, "3");
    let assertion = xml_lines_starting(&app, "<saml2:Assertion")[0];
    let hidden = {
        let e = app.selected().unwrap();
        e.xml[assertion].close.unwrap() - assertion - 1
    };
    let open = screen(&app, 120, 35);
    assert!(open.contains("┃▾   <saml2:Assertion"), "{open}");
    fold_line(&mut app, assertion, &[]);
    let s = screen(&app, 120, 35);
    assert!(s.contains("┃▸   <saml2:Assertion"), "{s}");
    assert!(s.contains(&format!("… {hidden} lines …›")), "{s}");
    assert!(!s.contains("<saml2:Subject>"), "{s}");
    insta::assert_snapshot!("xml_folded_120x35", s);
}

/// `w` wraps long lines: no line is cut, the next rows of a line are marked in the
/// gutter, and `G` and paging count wrapped rows (the last row at the bottom, no
/// further). `w` again cuts them.
#[test]
fn wrap_toggle_counts_wrapped_rows() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "3");
    assert!(screen(&app, 80, 24).contains('›'));
    keys(&mut app, "w");
    let s = screen(&app, 80, 24);
    let panel = panel_rows(&s).join("\n");
    assert!(!panel.contains('›'), "{s}");
    assert!(panel.contains('↳'), "{s}");
    assert!(
        s.contains("Version=\"2.0\""),
        "the root's attributes wrap:\n{s}"
    );
    insta::assert_snapshot!("xml_wrapped_80x24", s);
    keys(&mut app, "G");
    let end = screen(&app, 80, 24);
    let rows = panel_rows(&end);
    let bottom = &rows[rows.len() - 3];
    assert!(bottom.contains("</saml2p:Response>"), "{end}");
    for _ in 0..10 {
        key(&mut app, KeyCode::PageDown);
    }
    assert_eq!(screen(&app, 80, 24), end, "PgDn scrolled past the end");
    // Paging up by wrapped rows reaches the top again.
    for _ in 0..40 {
        key(&mut app, KeyCode::PageUp);
    }
    assert_eq!(screen(&app, 80, 24), s);
    keys(&mut app, "w");
    assert!(screen(&app, 80, 24).contains('›'));
    // The help lists the key.
    keys(&mut app, "?");
    assert!(App::all_commands().iter().any(|(group, cmds)| {
        *group == "XML"
            && cmds
                .iter()
                .any(|c| app.keys.label(c) == "w" && c.desc == "wrap long lines")
    }));
}

/// A search whose match is on the cursor's own line, past the right edge, scrolls
/// sideways to it (the cursor does not move, so no jump brings it into view).
#[test]
fn search_on_the_cursor_line_scrolls_sideways() {
    let mut app = app_with(&[HAR]);
    keys(&mut app, "3");
    assert!(!screen(&app, 80, 24).contains("Version=\"2.0\""));
    keys(&mut app, "/version=");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Version=\"2.0\""), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Version=\"2.0\""));
}

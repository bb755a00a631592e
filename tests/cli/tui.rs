//! Drives the real binary's terminal UI in a pseudo-terminal and reads the screen
//! back through a terminal emulator.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;
const TIMEOUT: Duration = Duration::from_mins(1);

pub(crate) struct Tty {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, to check the terminal was restored.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tty {
    pub(crate) fn spawn(args: &[&str]) -> Tty {
        Tty::spawn_with(args, true)
    }

    /// `no_config`: set `SAMLINT_NO_CONFIG`, so no samlint.toml is looked for.
    fn spawn_with(args: &[&str], no_config: bool) -> Tty {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_samlint"));
        cmd.args(args);
        Tty::start(cmd, no_config)
    }

    /// The binary with a file-size limit of `blocks` x 512 bytes (`ulimit -f`,
    /// SIGXFSZ ignored): its writes past that fail with EFBIG, as on a full disk.
    #[cfg(unix)]
    pub(crate) fn spawn_with_file_limit(blocks: u64, args: &[&str]) -> Tty {
        let mut cmd = CommandBuilder::new("sh");
        cmd.args([
            "-c",
            "trap '' XFSZ && ulimit -f \"$1\" && shift && exec \"$@\"",
            "sh",
            &blocks.to_string(),
            env!("CARGO_BIN_EXE_samlint"),
        ]);
        cmd.args(args);
        Tty::start(cmd, true)
    }

    fn start(mut cmd: CommandBuilder, no_config: bool) -> Tty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        for var in crate::common::AMBIENT_VARS {
            cmd.env_remove(var);
        }
        cmd.env("TERM", "xterm-256color");
        if no_config {
            cmd.env("SAMLINT_NO_CONFIG", "1");
        } else {
            cmd.env_remove("SAMLINT_NO_CONFIG");
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Tty {
            screen,
            raw,
            writer,
            master: pair.master,
            child,
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulator with it.
    fn resize(&self, rows: u16, cols: u16) {
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    pub(crate) fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen satisfies `pred`.
    pub(crate) fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.contents();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// The screen row holding `text`, and whether it is drawn in reverse video
    /// (the list's selection).
    fn row_is_selected(&self, text: &str) -> bool {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        for (y, row) in screen.rows(0, COLS).enumerate() {
            if let Some(x) = row.find(text) {
                let col = u16::try_from(row[..x].chars().count()).unwrap();
                let y = u16::try_from(y).unwrap();
                return screen.cell(y, col).is_some_and(vt100::Cell::inverse);
            }
        }
        false
    }
}

#[test]
fn inspect_in_a_pseudo_terminal() {
    let mut tty = Tty::spawn(&[
        "inspect",
        "samples/okta-signin.har",
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
        "--now",
        "2026-01-15T10:00:02Z",
    ]);

    // The HAR's payload: role names and the verdict.
    // Wait for the whole Summary: the frame is drawn in pieces over the pty.
    tty.wait_for("the roles and the verdict", |s| {
        s.contains("ReadOnly")
            && s.contains("Admin")
            && s.contains("AWS should accept this sign-in")
            && s.contains("signed by a trusted key")
            && s.contains("expires in 4m 58s")
    });

    // Down to 80×24: redrawn to fit, the roles still shown.
    tty.resize(24, 80);
    tty.wait_for("a redraw at 80 columns", |s| {
        s.lines()
            .any(|l| l.starts_with("╰") && l.trim_end().ends_with("╯") && l.chars().count() == 80)
            && s.contains("ReadOnly")
    });

    // Help overlay, closed with Esc.
    tty.send(b"?");
    tty.wait_text("Keys (Esc closes)");
    tty.send(b"\x1b");
    tty.wait_for("help to close", |s| !s.contains("Keys (Esc closes)"));

    // Paste a bad-audience response as a bracketed paste, line breaks and all.
    tty.send(b"p");
    tty.wait_text("Paste a SAMLResponse");
    let pasted = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/broken/wrong-audience.b64"),
    )
    .unwrap();
    let wrapped: Vec<String> = pasted
        .trim()
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend_from_slice(wrapped.join("\n").as_bytes());
    paste.extend_from_slice(b"\x1b[201~");
    tty.send(&paste);
    tty.wait_text(&format!("{} lines", wrapped.len()));
    tty.send(b"\r");

    // It joins the list and is selected, its Summary shown with its subject.
    tty.wait_for("the pasted payload's Summary", |s| {
        s.contains("Payloads (2)")
            && s.contains("https://signin.aws.amazon.com/saml/")
            && s.contains("jane.doe@example.com")
    });
    assert!(tty.row_is_selected("paste"), "{}", tty.contents());

    // The pasted payload fails on its audience; the Findings tab names the rule.
    tty.wait_text("AWS will reject this sign-in");
    tty.send(b"2");
    tty.wait_text("[SL0501] audience-invalid");

    // Quit: exit code 0 and the alternate screen left.
    tty.send(b"q");
    tty.assert_quit_cleanly();
}

impl Tty {
    /// Waits until the program has written `bytes`.
    fn wait_raw(&self, what: &str, bytes: &[u8]) {
        let start = Instant::now();
        while find_last(&self.raw.lock().unwrap(), bytes).is_none() {
            assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn assert_quit_cleanly(&mut self) {
        let status = self.quit_cleanly();
        assert!(status.success(), "exit status {status:?}");
    }

    /// Everything the program wrote so far (escape sequences and all), as text.
    pub(crate) fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until the program has written `text` (after leaving the screen, say).
    pub(crate) fn wait_output(&self, text: &str) {
        self.wait_raw(text, text.as_bytes());
    }

    /// Waits for the program to exit, checks it gave the terminal back, and
    /// returns how it exited.
    pub(crate) fn quit_cleanly(&mut self) -> portable_pty::ExitStatus {
        let tty = self;
        let start = Instant::now();
        let status = loop {
            if let Some(status) = tty.child.try_wait().unwrap() {
                break status;
            }
            assert!(start.elapsed() < TIMEOUT, "samlint did not exit");
            std::thread::sleep(Duration::from_millis(50));
        };
        // Wait for the reader to drain what the program wrote last.
        tty.wait_raw("the alternate screen left", b"\x1b[?1049l");
        let raw = tty.raw.lock().unwrap().clone();
        let enter = find_last(&raw, b"\x1b[?1049h").expect("entered the alternate screen");
        let leave = find_last(&raw, b"\x1b[?1049l").expect("left the alternate screen");
        assert!(leave > enter);
        assert!(
            find_last(&raw, b"\x1b[?2004l").is_some(),
            "bracketed paste left on"
        );
        assert!(!tty.screen.lock().unwrap().screen().alternate_screen());
        status
    }
}

#[test]
fn samlint_alone_on_a_terminal_opens_the_ui() {
    let mut tty = Tty::spawn(&[]);
    tty.wait_text("No payloads yet");
    tty.send(b"q");
    tty.assert_quit_cleanly();
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn no_subcommand_without_a_terminal_prints_help() {
    let out = crate::common::samlint().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("inspect"));
}

#[test]
fn inspect_needs_a_terminal() {
    let out = crate::common::samlint()
        .args(["inspect", "samples/okta-signin.har"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("samlint check"), "{err}");
    // Nothing was drawn.
    assert!(out.stdout.is_empty());
}

#[test]
fn inspect_reports_a_bad_config_before_drawing() {
    let mut tty = Tty::spawn_with(
        &[
            "inspect",
            "--config",
            "no-such-samlint.toml",
            "samples/okta-signin.har",
        ],
        false,
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = tty.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < TIMEOUT, "samlint did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.exit_code(), 2);
    tty.wait_text("no-such-samlint.toml");
    let raw = tty.raw.lock().unwrap().clone();
    assert!(
        find_last(&raw, b"\x1b[?1049h").is_none(),
        "the screen was taken over"
    );
    assert!(
        tty.contents().contains("no-such-samlint.toml"),
        "{}",
        tty.contents()
    );
}

#[test]
fn ctrl_c_in_the_paste_box_cancels_the_paste_not_the_app() {
    let mut tty = Tty::spawn(&[
        "inspect",
        "samples/okta-signin.har",
        "--now",
        "2026-01-15T10:00:02Z",
    ]);
    tty.wait_text("ReadOnly");
    tty.send(b"p");
    tty.wait_text("Paste a SAMLResponse");
    tty.send(b"\x1b[200~abc\ndef\x1b[201~");
    tty.wait_text("2 lines");
    // Ctrl-C: the entry is cancelled and the app stays.
    tty.send(b"\x03");
    tty.wait_for("the paste box to close", |s| {
        !s.contains("Paste a SAMLResponse") && s.contains("ReadOnly")
    });
    assert!(
        tty.child.try_wait().unwrap().is_none(),
        "Ctrl-C quit the app"
    );
    // Still answering keys; nothing was submitted.
    tty.send(b"?");
    tty.wait_text("Keys (Esc closes)");
    tty.send(b"\x1b");
    tty.wait_for("help to close", |s| {
        !s.contains("Keys (Esc closes)") && s.contains("Payloads (1)")
    });
    // Outside text entry, Ctrl-C quits.
    tty.send(b"\x03");
    tty.assert_quit_cleanly();
}

/// samlint.toml's `[keys]` reaches the real binary's UI: the footer and the help show
/// the remapped keys, the old key does nothing and the new one quits.
#[test]
fn remapped_keys_in_a_pseudo_terminal() {
    let mut tty = Tty::spawn_with(
        &[
            "inspect",
            "--config",
            "tests/fixtures/config/keys.toml",
            "samples/okta-signin.har",
            "--now",
            "2026-01-15T10:00:02Z",
        ],
        false,
    );
    tty.wait_for("the remapped footer", |s| {
        s.contains("ReadOnly") && s.contains(" x quit  F1 help")
    });
    // F1 (ESC O P) opens the help, which lists the remapped page keys.
    tty.send(b"\x1bOP");
    tty.wait_for("the help with ^B/^F", |s| {
        s.contains("Keys (Esc closes)") && s.contains("PgUp/PgDn ^B/^F")
    });
    tty.send(b"\x1b");
    tty.wait_for("help to close", |s| !s.contains("Keys (Esc closes)"));
    // `q` no longer quits: the app still answers F1 after it. `x` quits.
    tty.send(b"q");
    tty.send(b"\x1bOP");
    tty.wait_text("Keys (Esc closes)");
    assert!(tty.child.try_wait().unwrap().is_none(), "q quit the app");
    tty.send(b"\x1b");
    tty.wait_for("help to close", |s| !s.contains("Keys (Esc closes)"));
    tty.send(b"x");
    tty.assert_quit_cleanly();
}

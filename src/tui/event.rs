//! Events the loop reads from one channel, the clock, and the check jobs run off the
//! UI thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind, MouseEvent};

use super::entry::{Entry, entries_from_input};
use crate::input::{self, InputSpec, OriginKind, Payload};
use crate::lint::overrides::Overrides;
use crate::pipeline::{self, NowMode, Options};
use crate::report::InputReport;

/// Everything the loop reacts to.
#[derive(Debug)]
pub(crate) enum AppEvent {
    Key(KeyEvent),
    /// A bracketed paste, newlines kept.
    Paste(String),
    Mouse(MouseEvent),
    Resize,
    /// One second passed: redraw the countdown.
    Tick,
    /// A payload captured by `samlint proxy`.
    Captured(Payload),
    /// The proxy's status line (HAR written / pending / failed); `true`: a problem.
    LiveStatus(String, bool),
    /// The proxy stopped (a signal): the live view ends too.
    LiveEnded,
    /// A check job finished.
    Checked(Checked),
}

/// The result of a check job.
#[derive(Debug)]
pub(crate) struct Checked {
    pub entries: Vec<Entry>,
    /// Select the first new entry (a paste).
    pub select: bool,
}

/// Work for the checker thread.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Inputs(Vec<InputSpec>),
    /// Pasted text, with the name it gets in the list.
    Paste {
        text: String,
        source: String,
    },
    Captured {
        index: usize,
        payload: Payload,
    },
    /// Another job, with its time rules evaluated at `now` (`clock`: the UI's clock).
    WithNow {
        now: NowMode,
        clock: DateTime<Utc>,
        job: Box<Job>,
    },
}

/// Runs a job through the pipeline, applies the rule overrides, and prepares the
/// entries to show.
pub(crate) fn run_job(job: Job, opts: &Options, overrides: &Overrides) -> Checked {
    let entries = |mut report: InputReport| {
        overrides.apply(&mut report.findings);
        for p in &mut report.payloads {
            overrides.apply(&mut p.findings);
        }
        entries_from_input(report, opts)
    };
    match job {
        Job::WithNow { now, clock, job } => {
            let opts = Options {
                now,
                clock,
                ..opts.clone()
            };
            run_job(*job, &opts, overrides)
        }
        Job::Inputs(specs) => Checked {
            entries: specs
                .iter()
                .flat_map(|spec| entries(pipeline::check_spec(spec, opts)))
                .collect(),
            select: false,
        },
        Job::Paste { text, source } => {
            let scanned = input::scan_bytes(text.as_bytes(), OriginKind::Paste, &opts.limits);
            Checked {
                entries: entries(pipeline::check_scanned(source, scanned, opts)),
                select: true,
            }
        }
        Job::Captured { index, payload } => {
            let mut report = InputReport::new(
                payload
                    .origin
                    .url
                    .clone()
                    .unwrap_or_else(|| super::strings::PROXY_SOURCE.to_owned()),
            );
            report
                .payloads
                .push(pipeline::check_payload(index, &payload, opts));
            Checked {
                entries: entries(report),
                select: false,
            }
        }
    }
}

/// Where the UI reads the time from: fixed with `--now RFC3339`, else the system
/// clock.
pub(crate) trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Starts the checker thread: jobs in, [`AppEvent::Checked`] out.
pub(crate) fn spawn_checker(
    opts: Options,
    overrides: Overrides,
    jobs: Receiver<Job>,
    events: Sender<AppEvent>,
) {
    thread::spawn(move || {
        for job in jobs {
            let checked = run_job(job, &opts, &overrides);
            if events.send(AppEvent::Checked(checked)).is_err() {
                break;
            }
        }
    });
}

/// Forwards terminal input events until `stop` is set, so nothing is left reading
/// the terminal once the UI is gone.
pub(crate) fn spawn_terminal_reader(events: Sender<AppEvent>, stop: Arc<AtomicBool>) {
    thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let ev = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => AppEvent::Key(k),
                Ok(Event::Paste(s)) => AppEvent::Paste(s),
                Ok(Event::Mouse(m)) => AppEvent::Mouse(m),
                Ok(Event::Resize(..)) => AppEvent::Resize,
                Ok(_) => continue,
                Err(_) => break,
            };
            if events.send(ev).is_err() {
                break;
            }
        }
    });
}

/// Sends a tick every second.
pub(crate) fn spawn_ticker(events: Sender<AppEvent>) {
    thread::spawn(move || {
        while events.send(AppEvent::Tick).is_ok() {
            thread::sleep(Duration::from_secs(1));
        }
    });
}

/// Forwards payloads captured by the proxy; when the proxy stops (its channel
/// closes), says so.
pub(crate) fn spawn_live(live: Receiver<Payload>, events: Sender<AppEvent>) {
    thread::spawn(move || {
        for p in live {
            if events.send(AppEvent::Captured(p)).is_err() {
                return;
            }
        }
        let _ = events.send(AppEvent::LiveEnded);
    });
}

/// The live source's status, and whether it is a problem.
pub(crate) type LiveStatus = Box<dyn Fn() -> (String, bool) + Send>;

/// Sends the live source's status line whenever it changes (checked twice a second).
pub(crate) fn spawn_live_status(status: LiveStatus, events: Sender<AppEvent>) {
    thread::spawn(move || {
        let mut last = None;
        loop {
            let now = status();
            if last.as_ref() != Some(&now) {
                if events
                    .send(AppEvent::LiveStatus(now.0.clone(), now.1))
                    .is_err()
                {
                    return;
                }
                last = Some(now);
            }
            thread::sleep(Duration::from_millis(500));
        }
    });
}

//! The interactive terminal UI (`samlint`, `samlint inspect`): a payload list and
//! tabs over the same pipeline as `check`.

pub(crate) mod app;
pub(crate) mod components;
mod entry;
pub(crate) mod event;
pub(crate) mod keys;
pub(crate) mod strings;
pub(crate) mod theme;

#[cfg(test)]
mod tests;

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use anyhow::Context as _;
use base64::Engine as _;
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::{
    event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture},
    execute,
    terminal::{
        Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
        enable_raw_mode,
    },
};

use crate::input::{InputSpec, Payload};
use crate::lint::overrides::Overrides;
use crate::pipeline::{NowMode, Options};
use app::{App, Effect};
use event::{AppEvent, Clock, FixedClock, Job, SystemClock};
use keys::Keymap;

/// [`run`], with rule overrides (`--ignore`, `--severity`, samlint.toml) applied to
/// every payload's findings, and the keys samlint.toml's `[keys]` binds.
///
/// # Errors
/// The terminal could not be set up or written to.
pub(crate) fn run_with(
    opts: Options,
    overrides: Overrides,
    keys: Keymap,
    inputs: Vec<InputSpec>,
    live: Option<Receiver<Payload>>,
) -> anyhow::Result<()> {
    run_inner(opts, overrides, keys, inputs, live, None)
}

/// The live view of `samlint proxy`: captures join the list as they arrive, the
/// footer shows `status` (the HAR's health), and the UI ends when the proxy
/// stops (the capture channel closes).
///
/// # Errors
/// The terminal could not be set up or written to.
pub(crate) fn run_live(
    opts: Options,
    overrides: Overrides,
    keys: Keymap,
    live: Receiver<Payload>,
    status: event::LiveStatus,
) -> anyhow::Result<()> {
    run_inner(opts, overrides, keys, Vec::new(), Some(live), Some(status))
}

fn run_inner(
    opts: Options,
    overrides: Overrides,
    keys: Keymap,
    inputs: Vec<InputSpec>,
    live: Option<Receiver<Payload>>,
    status: Option<event::LiveStatus>,
) -> anyhow::Result<()> {
    let clock: Box<dyn Clock> = match opts.now {
        NowMode::At(t) => Box::new(FixedClock(t)),
        _ => Box::new(SystemClock),
    };
    let (now_mode, skew) = (opts.now, opts.skew);
    let (tx, rx) = mpsc::channel();
    let (jobs_tx, jobs_rx) = mpsc::channel();
    event::spawn_checker(opts, overrides, jobs_rx, tx.clone());
    if let Some(live) = live {
        event::spawn_live(live, tx.clone());
    }
    if let Some(status) = status {
        event::spawn_live_status(status, tx.clone());
    }
    let mut app = App::new(clock.now());
    app.no_color = !crate::commands::use_color(true);
    app.keys = keys;
    app.base_now = now_mode;
    app.clock_mode = now_mode == NowMode::Clock;
    app.skew = skew;
    // One job per input, so the list fills as each is checked.
    for spec in inputs {
        let job = app.queue(Job::Inputs(vec![spec]));
        jobs_tx.send(job).context("starting the checker")?;
    }

    let guard = TerminalGuard::enter()?;
    event::spawn_terminal_reader(tx.clone(), Arc::clone(&guard.stop));
    event::spawn_ticker(tx);
    let mut terminal =
        Terminal::new(CrosstermBackend::new(io::stdout())).context("opening the terminal")?;
    run_loop(
        &mut terminal,
        &mut app,
        &rx,
        &jobs_tx,
        clock.as_ref(),
        &mut |text| copy_osc52(&text),
    )
}

/// The event loop: draw, wait for one event, apply it, start the work it asks for.
///
/// # Errors
/// Drawing failed.
pub(crate) fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &Receiver<AppEvent>,
    jobs: &Sender<Job>,
    clock: &dyn Clock,
    copy: &mut dyn FnMut(String) -> io::Result<()>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    while !app.quit {
        app.now = clock.now();
        terminal.draw(|f| app.draw(f)).context("drawing")?;
        let Ok(ev) = events.recv() else { break };
        let mut effects = app.update(ev);
        // Apply whatever else is already queued before drawing again.
        while let Ok(ev) = events.try_recv() {
            effects.extend(app.update(ev));
        }
        for e in effects {
            match e {
                Effect::Job(job) => {
                    if jobs.send(job).is_err() {
                        app.pending = app.pending.saturating_sub(1);
                    }
                }
                Effect::Copy(text) => copy(text).context("copying")?,
            }
        }
    }
    Ok(())
}

/// Puts text on the clipboard through the terminal (OSC 52).
fn copy_osc52(text: &str) -> io::Result<()> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout().lock();
    write!(out, "\x1b]52;c;{b64}\x07")?;
    out.flush()
}

/// Puts the terminal back however the UI ends: return, error or panic.
struct TerminalGuard {
    /// Tells the input reader to stop.
    stop: Arc<AtomicBool>,
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

impl TerminalGuard {
    fn enter() -> anyhow::Result<Self> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode().context("switching the terminal to raw mode")?;
        let guard = TerminalGuard {
            stop: Arc::new(AtomicBool::new(false)),
        };
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            Clear(ClearType::All),
            EnableBracketedPaste,
            EnableMouseCapture
        )
        .context("setting up the terminal")?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        restore();
    }
}

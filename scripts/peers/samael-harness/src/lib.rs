//! What both harness binaries share: timing a check over files split across threads.

use std::time::Instant;

/// Runs `check` on every item, the items split into `threads` equal runs on their own
/// threads, and prints `ok=N rejected=M seconds=S` for that phase alone.
pub fn run_timed<T: Sync>(items: &[T], threads: usize, check: impl Fn(&T) -> bool + Sync) {
    let started = Instant::now();
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    let (ok, rejected) = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let check = &check;
                s.spawn(move || {
                    let ok = part.iter().filter(|item| check(item)).count();
                    (ok, part.len() - ok)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker"))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let secs = started.elapsed().as_secs_f64();
    println!("ok={ok} rejected={rejected} seconds={secs:.4}");
}

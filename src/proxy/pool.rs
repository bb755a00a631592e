//! Upstream connections, kept and reused across requests and tunnels (one TCP
//! connect, DNS lookup and TLS handshake per connection, not per request).
//! HTTPS upstreams are offered HTTP/2 and HTTP/1.1 by ALPN, as a browser does;
//! an HTTP/2 connection carries any number of requests at once.

use std::collections::HashMap;
use std::sync::Mutex;

use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};

/// Idle HTTP/1 connections kept per upstream.
const MAX_KEPT_PER_UPSTREAM: usize = 64;

thread_local! {
    /// Which of the proxy's worker threads this is (see [`set_worker`]).
    static WORKER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Names the worker thread this runs on: a kept connection is driven by a task
/// on the worker that opened it, and a request on that worker is sent on one of
/// its own connections when one is ready (no wake-up of another thread).
pub(crate) fn set_worker(index: usize) {
    WORKER.with(|w| w.set(index));
}

fn worker() -> usize {
    WORKER.with(std::cell::Cell::get)
}

/// A connection to one upstream.
pub(crate) enum Sender<B> {
    /// With the worker whose task drives the connection.
    H1(http1::SendRequest<B>, usize),
    H2(http2::SendRequest<B>),
}

impl<B> Sender<B>
where
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    pub(crate) fn is_h2(&self) -> bool {
        matches!(self, Sender::H2(_))
    }

    /// Free to take a request now (an HTTP/1 connection whose last response is done).
    fn is_ready(&self) -> bool {
        match self {
            Sender::H1(s, _) => s.is_ready(),
            Sender::H2(s) => s.is_ready(),
        }
    }

    fn is_closed(&self) -> bool {
        match self {
            Sender::H1(s, _) => s.is_closed(),
            Sender::H2(s) => s.is_closed(),
        }
    }

    /// Sends `req`; when the connection turned out unusable before anything was
    /// sent, the request comes back to be sent elsewhere.
    pub(crate) async fn try_send(
        &mut self,
        req: Request<B>,
    ) -> Result<Response<Incoming>, (hyper::Error, Option<Request<B>>)> {
        let result = match self {
            Sender::H1(s, _) => s.try_send_request(req).await,
            Sender::H2(s) => s.try_send_request(req).await,
        };
        result.map_err(|mut e| {
            let unsent = e.take_message();
            (e.into_error(), unsent)
        })
    }

    fn share(&self) -> Option<Self> {
        match self {
            Sender::H1(..) => None,
            Sender::H2(s) => Some(Sender::H2(s.clone())),
        }
    }
}

/// Starts HTTP/1.1 or HTTP/2 on `io` and drives the connection on its own task.
pub(crate) async fn handshake<T, B>(io: T, h2: bool) -> Result<Sender<B>, String>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let io = TokioIo::new(io);
    if h2 {
        let (sender, conn) = http2::Builder::new(TokioExecutor::new())
            .timer(TokioTimer::new())
            .handshake(io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        return Ok(Sender::H2(sender));
    }
    let (sender, conn) = http1::Builder::new()
        .preserve_header_case(true)
        .handshake(io)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.with_upgrades().await;
    });
    Ok(Sender::H1(sender, worker()))
}

/// Where a connection goes: scheme, host and port.
pub(crate) type Key = (bool, String, u16);

/// Kept connections per upstream.
pub(crate) struct Pool<B> {
    kept: Mutex<HashMap<Key, Vec<Sender<B>>>>,
}

impl<B> Default for Pool<B> {
    fn default() -> Self {
        Pool {
            kept: Mutex::new(HashMap::new()),
        }
    }
}

impl<B> Pool<B>
where
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    /// A kept connection ready for a request now, if there is one: an HTTP/2
    /// connection is shared, an HTTP/1 one is taken until [`Pool::put`].
    pub(crate) fn take(&self, key: &Key) -> Option<Sender<B>> {
        let mut kept = self.kept.lock().ok()?;
        let list = kept.get_mut(key)?;
        list.retain(|s| !s.is_closed());
        if let Some(h2) = list.iter().find(|s| s.is_h2() && s.is_ready()) {
            return h2.share();
        }
        let here = worker();
        let i = list
            .iter()
            .position(|s| matches!(s, Sender::H1(s, w) if *w == here && s.is_ready()))
            .or_else(|| list.iter().position(Sender::is_ready))?;
        Some(list.swap_remove(i))
    }

    /// Whether a kept connection to `key` is open (busy or not).
    pub(crate) fn has_open(&self, key: &Key) -> bool {
        self.kept
            .lock()
            .ok()
            .and_then(|kept| {
                kept.get(key)
                    .map(|list| list.iter().any(|s| !s.is_closed()))
            })
            .unwrap_or(false)
    }

    /// Keeps a connection for later requests (an HTTP/1 one still reading its
    /// response is kept too: it becomes ready when the response is done).
    pub(crate) fn put(&self, key: Key, sender: Sender<B>) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        let list = kept.entry(key).or_default();
        list.retain(|s| !s.is_closed());
        if sender.is_h2() && list.iter().any(Sender::is_h2) {
            return;
        }
        if list.len() < MAX_KEPT_PER_UPSTREAM {
            list.push(sender);
        }
    }
}

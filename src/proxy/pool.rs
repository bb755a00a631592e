//! Upstream connections, kept and reused across requests and tunnels (one TCP
//! connect, DNS lookup and TLS handshake per connection, not per request).
//! HTTPS upstreams are offered HTTP/2 and HTTP/1.1 by ALPN, as a browser does;
//! an HTTP/2 connection carries any number of requests at once.

use std::collections::{HashMap, VecDeque};
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
    kept: Mutex<HashMap<Key, Kept<B>>>,
}

/// The connections kept for one upstream.
struct Kept<B> {
    /// An HTTP/2 connection, shared by every request to that upstream.
    h2: Option<Sender<B>>,
    /// HTTP/1 connections by the worker whose task drives them, least recently
    /// used first (the one most likely done with its last response).
    h1: Vec<VecDeque<Sender<B>>>,
    /// How many `h1` holds, closed ones included until they are seen.
    count: usize,
}

impl<B> Default for Kept<B> {
    fn default() -> Self {
        Kept {
            h2: None,
            h1: Vec::new(),
            count: 0,
        }
    }
}

impl<B> Kept<B>
where
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    /// A ready connection of `worker`'s, if there is one. Looks at each at most
    /// once: closed ones are dropped, busy ones go to the back.
    fn take_from(&mut self, worker: usize) -> Option<Sender<B>> {
        let queue = self.h1.get_mut(worker)?;
        for _ in 0..queue.len() {
            let sender = queue.pop_front()?;
            if sender.is_closed() {
                self.count -= 1;
            } else if sender.is_ready() {
                self.count -= 1;
                return Some(sender);
            } else {
                queue.push_back(sender);
            }
        }
        None
    }

    /// Drops the closed HTTP/1 connections.
    fn sweep(&mut self) {
        for queue in &mut self.h1 {
            queue.retain(|s| !s.is_closed());
        }
        self.count = self.h1.iter().map(VecDeque::len).sum();
    }
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
    /// connection is shared, an HTTP/1 one is taken until [`Pool::put`]. An
    /// HTTP/1 connection of this worker comes first, then any other's.
    pub(crate) fn take(&self, key: &Key) -> Option<Sender<B>> {
        let mut kept = self.kept.lock().ok()?;
        let kept = kept.get_mut(key)?;
        if let Some(h2) = &kept.h2 {
            if h2.is_closed() {
                kept.h2 = None;
            } else if h2.is_ready() {
                return h2.share();
            }
        }
        let here = worker();
        if let Some(sender) = kept.take_from(here) {
            return Some(sender);
        }
        (0..kept.h1.len())
            .filter(|&w| w != here)
            .find_map(|w| kept.take_from(w))
    }

    /// Whether a kept connection to `key` is open (busy or not).
    pub(crate) fn has_open(&self, key: &Key) -> bool {
        self.kept
            .lock()
            .ok()
            .and_then(|kept| {
                kept.get(key).map(|kept| {
                    kept.h2.as_ref().is_some_and(|s| !s.is_closed())
                        || kept.h1.iter().flatten().any(|s| !s.is_closed())
                })
            })
            .unwrap_or(false)
    }

    /// Keeps a connection for later requests (an HTTP/1 one still reading its
    /// response is kept too: it becomes ready when the response is done).
    pub(crate) fn put(&self, key: &Key, sender: Sender<B>) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        let kept = match kept.get_mut(key) {
            Some(kept) => kept,
            None => kept.entry(key.clone()).or_default(),
        };
        match sender {
            Sender::H2(_) => {
                if kept.h2.as_ref().is_none_or(Sender::is_closed) {
                    kept.h2 = Some(sender);
                }
            }
            Sender::H1(_, w) => {
                if kept.count >= MAX_KEPT_PER_UPSTREAM {
                    kept.sweep();
                }
                if kept.count < MAX_KEPT_PER_UPSTREAM {
                    if kept.h1.len() <= w {
                        kept.h1.resize_with(w + 1, VecDeque::new);
                    }
                    kept.h1[w].push_back(sender);
                    kept.count += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use bytes::Bytes;
    use http_body_util::{BodyExt as _, Empty, Full};
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    type Body = Empty<Bytes>;

    /// An upstream on loopback that answers each request with the client's port, so
    /// a test can tell which kept connection a request went out on.
    async fn upstream() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((stream, peer)) = listener.accept().await {
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_req| async move {
                        Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(
                            peer.port().to_string(),
                        ))))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        addr
    }

    /// A connection to `addr` driven as if by worker `worker`, and its local port.
    async fn connect(addr: SocketAddr, worker: usize) -> (Sender<Body>, u16) {
        let stream = TcpStream::connect(addr).await.unwrap();
        let port = stream.local_addr().unwrap().port();
        set_worker(worker);
        let sender = handshake(stream, false).await.unwrap();
        // Ready once its task has run, as a connection the proxy keeps after a request.
        while !sender.is_ready() && !sender.is_closed() {
            tokio::task::yield_now().await;
        }
        (sender, port)
    }

    /// Which connection (by its port) a request on `sender` goes out on.
    async fn port_of(sender: &mut Sender<Body>) -> u16 {
        let req = Request::get("/").body(Empty::new()).unwrap();
        let Ok(resp) = sender.try_send(req).await else {
            panic!("the kept connection could not send");
        };
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8_lossy(&body).parse().unwrap()
    }

    #[tokio::test]
    async fn a_worker_takes_its_own_ready_connection_first_then_any_other() {
        let addr = upstream().await;
        let key: Key = (false, "127.0.0.1".to_owned(), addr.port());
        let pool = Pool::<Body>::default();
        assert!(pool.take(&key).is_none());
        assert!(!pool.has_open(&key));

        let (zero, zero_port) = connect(addr, 0).await;
        let (one, one_port) = connect(addr, 1).await;
        pool.put(&key, zero);
        pool.put(&key, one);
        assert!(pool.has_open(&key));

        set_worker(1);
        let mut first = pool.take(&key).expect("a kept connection");
        assert_eq!(port_of(&mut first).await, one_port);
        // Worker 1's own is taken: the next comes from worker 0.
        let mut second = pool.take(&key).expect("another worker's connection");
        assert_eq!(port_of(&mut second).await, zero_port);
        assert!(pool.take(&key).is_none());

        // Put back once their responses are done, each is taken again.
        for sender in [&first, &second] {
            while !sender.is_ready() {
                tokio::task::yield_now().await;
            }
        }
        pool.put(&key, first);
        pool.put(&key, second);
        set_worker(0);
        let mut again = pool.take(&key).expect("a kept connection");
        assert_eq!(port_of(&mut again).await, zero_port);
    }

    #[tokio::test]
    async fn closed_connections_are_not_taken_and_the_count_is_bounded() {
        let addr = upstream().await;
        let key: Key = (false, "127.0.0.1".to_owned(), addr.port());
        let pool = Pool::<Body>::default();
        // A connection whose peer is gone.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gone_addr = listener.local_addr().unwrap();
        let accept = tokio::spawn(async move { drop(listener.accept().await) });
        let (gone, _) = connect(gone_addr, 0).await;
        accept.await.unwrap();
        for _ in 0..50 {
            if gone.is_closed() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(gone.is_closed());
        pool.put(&key, gone);
        set_worker(0);
        assert!(pool.take(&key).is_none());

        for _ in 0..MAX_KEPT_PER_UPSTREAM + 3 {
            let (sender, _) = connect(addr, 0).await;
            pool.put(&key, sender);
        }
        let kept = pool.kept.lock().unwrap();
        let kept = &kept[&key];
        assert_eq!(kept.count, MAX_KEPT_PER_UPSTREAM);
        assert_eq!(kept.h1.iter().map(VecDeque::len).sum::<usize>(), kept.count);
    }
}

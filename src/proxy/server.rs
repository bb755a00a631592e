//! The proxy server: plain HTTP requests in absolute form, and HTTPS through
//! `CONNECT`, intercepted with a leaf certificate from the capture CA. Every
//! request and response is forwarded as it came (status, headers, body); only
//! form-POST bodies are buffered (up to a cap) to look for SAML, everything else
//! is streamed.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::Utc;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::http::uri::PathAndQuery;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ServerConfig};
use rustls_pki_types::ServerName;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::ca::CertificateAuthority;
use super::capture::{self, Exchange, HarHealth, Record, ResponseHead};
use super::pool::{self, Key, Pool};
use super::scan::FormScanner;

/// How long opening an upstream connection (TCP and TLS) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client has to send a request head, by default.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long open connections get to finish after a shutdown request.
pub(crate) const GRACE: Duration = Duration::from_secs(1);

/// Headers that describe one hop, not the message (RFC 9110 7.6.1), dropped on
/// the way through (`connection`/`upgrade` are kept for an upgrade request).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-authenticate",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// What every connection shares.
pub(crate) struct Shared {
    pub ca: CertificateAuthority,
    pub provider: Arc<CryptoProvider>,
    /// Offers h2 and http/1.1.
    pub upstream_tls: Arc<ClientConfig>,
    /// Offers http/1.1 only (for upgrades).
    pub upstream_tls_h1: Arc<ClientConfig>,
    pub(crate) pool: Pool<ProxyBody>,
    /// TLS towards clients, per intercepted host (see [`server_config`]).
    pub(crate) server_configs:
        std::sync::Mutex<std::collections::HashMap<String, Arc<ServerConfig>>>,
    pub records: Sender<Record>,
    pub notices: Sender<String>,
    pub health: Arc<HarHealth>,
    /// Largest SAML value kept from a form body.
    pub max_body: usize,
    /// Numbers captures, so a response finds its request.
    pub next_id: AtomicU64,
    /// Client connections open now (what a stop waits for).
    pub open_connections: Arc<AtomicUsize>,
    /// Set once the proxy is stopping.
    pub stopping: AtomicBool,
    /// How long a client has to send a request head (and the first bytes into a tunnel).
    pub header_timeout: Duration,
}

impl Shared {
    fn notice(&self, message: String) {
        let _ = self.notices.send(message);
    }

    fn record(&self, record: Record) {
        if matches!(record, Record::Request { .. }) {
            self.health.pending.fetch_add(1, Ordering::SeqCst);
        }
        if self.records.send(record).is_err() {
            self.health.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One request that may carry SAML: shared by its body, which records the
/// request the moment it is complete, and the task waiting for the response,
/// which adds the response (or why there is none).
pub(crate) struct Capture {
    id: u64,
    shared: Arc<Shared>,
    state: std::sync::Mutex<CaptureState>,
}

#[derive(Default)]
struct CaptureState {
    /// The request, until it is recorded.
    request: Option<Exchange>,
    recorded: bool,
    /// The response, when it came before the body ended.
    early: Option<(ResponseHead, f64)>,
    settled: bool,
}

impl Capture {
    fn new(shared: &Arc<Shared>, request: Exchange) -> Arc<Self> {
        Arc::new(Capture {
            id: shared.next_id.fetch_add(1, Ordering::Relaxed),
            shared: Arc::clone(shared),
            state: std::sync::Mutex::new(CaptureState {
                request: Some(request),
                ..CaptureState::default()
            }),
        })
    }

    /// The body is complete: records the request if it (or its URL) holds SAML.
    fn body_done(&self, body: Option<(usize, Bytes)>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let Some(mut exchange) = state.request.take() else {
            return;
        };
        if let Some((size, recorded)) = body {
            exchange.body_size = size;
            exchange.body = Some(recorded);
        }
        exchange.found = capture::find(&exchange.url, exchange.body.as_deref());
        if exchange.found.is_empty() {
            return;
        }
        if let Some((response, wait_ms)) = state.early.take() {
            exchange.response = Some(response);
            exchange.wait_ms = wait_ms;
            state.settled = true;
        }
        state.recorded = true;
        self.shared.record(Record::Request {
            id: self.id,
            exchange: Box::new(exchange),
        });
    }

    fn response(&self, response: ResponseHead, wait_ms: f64) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.settled {
            return;
        }
        if state.recorded {
            state.settled = true;
            self.shared.record(Record::Response {
                id: self.id,
                response,
                wait_ms,
            });
        } else {
            state.early = Some((response, wait_ms));
        }
    }

    fn no_response(&self, reason: String) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.recorded && !state.settled {
            state.settled = true;
            self.shared.record(Record::NoResponse {
                id: self.id,
                reason,
            });
        }
    }
}

/// Says why a recorded request got no response when the task forwarding it is
/// dropped first (the client went away, the proxy stopped).
struct Abandoned(Arc<Capture>);

impl Drop for Abandoned {
    fn drop(&mut self) {
        let why = if self.0.shared.stopping.load(Ordering::SeqCst) {
            "the proxy stopped before the upstream answered"
        } else {
            "the client went away before the upstream answered"
        };
        self.0.no_response(why.to_owned());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// Where requests go: from an absolute-form URI, or from the `CONNECT` target.
#[derive(Debug, Clone)]
struct Target {
    scheme: Scheme,
    /// As written in the URI: an IPv6 address keeps its brackets.
    host: String,
    port: u16,
}

/// A `CONNECT` tunnel: its target, and the connection opened to check the
/// target could be reached, if one was (used when no kept connection is ready).
struct Tunnel {
    target: Target,
    /// The target's [`Target::key`], made once for all the tunnel's requests.
    key: Key,
    spare: std::sync::Mutex<Option<TcpStream>>,
}

impl Tunnel {
    fn new(target: Target, tcp: Option<TcpStream>) -> Self {
        Tunnel {
            key: target.key(),
            target,
            spare: std::sync::Mutex::new(tcp),
        }
    }
}

impl Target {
    /// `host` without IPv6 brackets, for connecting and for TLS names.
    fn bare_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }

    /// `host[:port]`, the port left out when it is the scheme's default.
    fn authority(&self) -> String {
        if self.port == self.scheme.default_port() {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Which kept connections can carry its requests.
    fn key(&self) -> Key {
        (
            self.scheme == Scheme::Https,
            self.bare_host().to_owned(),
            self.port,
        )
    }

    fn from_uri(uri: &Uri) -> Option<Self> {
        let scheme = match uri.scheme_str()? {
            s if s.eq_ignore_ascii_case("http") => Scheme::Http,
            s if s.eq_ignore_ascii_case("https") => Scheme::Https,
            _ => return None,
        };
        let authority = uri.authority()?;
        Some(Target {
            scheme,
            host: authority.host().to_owned(),
            port: authority.port_u16().unwrap_or(scheme.default_port()),
        })
    }
}

/// Accepts connections until `stop` changes and hands them to the workers in
/// turn (each a thread with a runtime of its own, see [`work`]).
pub(crate) async fn accept(
    listener: TcpListener,
    workers: Vec<UnboundedSender<std::net::TcpStream>>,
    mut stop: watch::Receiver<bool>,
) {
    let mut next = 0;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    if let Ok(stream) = stream.into_std() {
                        let _ = workers[next % workers.len()].send(stream);
                        next = next.wrapping_add(1);
                    }
                }
                // Out of file descriptors and the like: back off, keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            _ = stop.changed() => break,
        }
    }
}

/// Serves the connections handed to this worker until `stop` changes, then
/// gives open connections a short grace period.
pub(crate) async fn work(
    mut incoming: UnboundedReceiver<std::net::TcpStream>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            Some(stream) = incoming.recv() => {
                if let Ok(stream) = TcpStream::from_std(stream) {
                    tasks.spawn(serve_client(stream, Arc::clone(&shared)));
                }
            }
            _ = stop.changed() => break,
        }
        while tasks.try_join_next().is_some() {}
    }
    drop(incoming);
    shared.stopping.store(true, Ordering::SeqCst);
    let _ = tokio::time::timeout(GRACE, async { while tasks.join_next().await.is_some() {} }).await;
    tasks.abort_all();
}

async fn serve_client(stream: TcpStream, shared: Arc<Shared>) {
    shared.open_connections.fetch_add(1, Ordering::SeqCst);
    let _open = OpenConnection(Arc::clone(&shared.open_connections));
    let builder = server_builder(&shared);
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(req, shared, None).await) }
    });
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades()
        .await;
}

/// Counts a client connection as open until it is dropped.
struct OpenConnection(Arc<AtomicUsize>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    tunnel: Option<Arc<Tunnel>>,
) -> Response<ProxyBody> {
    if let Some(tunnel) = tunnel {
        return forward(req, &shared, &tunnel.target, Some(&tunnel)).await;
    }
    if req.method() == Method::CONNECT {
        return connect(req, shared).await;
    }
    match Target::from_uri(req.uri()) {
        Some(target) => forward(req, &shared, &target, None).await,
        None => text_response(
            StatusCode::BAD_REQUEST,
            "samlint proxy: this is an HTTP proxy; send absolute-form requests \
             (set it as the browser's proxy) or CONNECT\n",
        ),
    }
}

/// Answers `CONNECT host:port`: 502 when the target cannot be reached, else 200;
/// then looks at the first bytes the client sends through the tunnel: TLS is
/// intercepted with a leaf for that host, anything else is served as plain HTTP
/// to that host (Chromium tunnels `ws://` this way).
///
/// Boxed: a tunnel's requests are served by [`handle`], which calls this.
fn connect(req: Request<Incoming>, shared: Arc<Shared>) -> BoxedResponse {
    Box::pin(connect_inner(req, shared))
}

type BoxedResponse = Pin<Box<dyn std::future::Future<Output = Response<ProxyBody>> + Send>>;

async fn connect_inner(req: Request<Incoming>, shared: Arc<Shared>) -> Response<ProxyBody> {
    let Some(authority) = req.uri().authority() else {
        return text_response(
            StatusCode::BAD_REQUEST,
            "samlint proxy: CONNECT needs host:port\n",
        );
    };
    let mut target = Target {
        scheme: Scheme::Https,
        host: authority.host().to_owned(),
        port: authority.port_u16().unwrap_or(443),
    };
    // A kept connection to the target shows it can be reached: no need to open
    // another one to find out (a browser opens many tunnels to one site).
    let reached = shared.pool.has_open(&target.key());
    let tcp = match if reached {
        Ok(None)
    } else {
        tcp_connect(&target).await.map(Some)
    } {
        Ok(tcp) => tcp,
        Err(e) => {
            shared.notice(format!("CONNECT {}: {e}", target.authority()));
            return text_response(
                StatusCode::BAD_GATEWAY,
                &format!("samlint proxy: CONNECT {}: {e}\n", target.authority()),
            );
        }
    };
    tokio::spawn(async move {
        // The client's connection lives on in the tunnel.
        shared.open_connections.fetch_add(1, Ordering::SeqCst);
        let _open = OpenConnection(Arc::clone(&shared.open_connections));
        let upgraded = match hyper::upgrade::on(req).await {
            Ok(upgraded) => upgraded,
            Err(e) => {
                shared.notice(format!("CONNECT {}: {e}", target.authority()));
                return;
            }
        };
        let mut client = TokioIo::new(upgraded);
        let mut first = [0u8; 1];
        let n = match tokio::time::timeout(shared.header_timeout, client.read(&mut first)).await {
            Ok(Ok(n)) if n > 0 => n,
            _ => return,
        };
        let client = Prefixed {
            prefix: Some(Bytes::copy_from_slice(&first[..n])),
            inner: client,
        };
        // 0x16: a TLS handshake record.
        if first[0] == 0x16 {
            intercept(client, shared, target, tcp).await;
        } else {
            target.scheme = Scheme::Http;
            let tunnel = Arc::new(Tunnel::new(target, tcp));
            serve_tunnel(client, shared, tunnel).await;
        }
    });
    Response::new(ProxyBody::empty())
}

async fn tcp_connect(target: &Target) -> Result<TcpStream, String> {
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((target.bare_host(), target.port)),
    )
    .await
    .map_err(|_| "timed out connecting".to_owned())?
    .map_err(|e| format!("connect: {e}"))?;
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

async fn intercept(client: Prefixed, shared: Arc<Shared>, target: Target, tcp: Option<TcpStream>) {
    let config = match server_config(&shared, &target) {
        Ok(c) => c,
        Err(e) => {
            shared.notice(format!("{}: {e}", target.authority()));
            return;
        }
    };
    let tls = match TlsAcceptor::from(config).accept(client).await {
        Ok(tls) => tls,
        Err(e) => {
            // A TLS-level refusal (an alert, a bad message) is worth telling; a client
            // that just went away is not.
            if e.kind() == std::io::ErrorKind::InvalidData {
                shared.notice(format!(
                    "TLS with the client for {} failed: {e} (does the client trust the samlint CA?)",
                    target.authority()
                ));
            }
            return;
        }
    };
    serve_tunnel(tls, shared, Arc::new(Tunnel::new(target, tcp))).await;
}

/// Serves the requests a client sends through a tunnel (decrypted, or plain).
async fn serve_tunnel<I>(io: I, shared: Arc<Shared>, tunnel: Arc<Tunnel>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let builder = server_builder(&shared);
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        let tunnel = Arc::clone(&tunnel);
        async move { Ok::<_, Infallible>(handle(req, shared, Some(tunnel)).await) }
    });
    let _ = builder
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades()
        .await;
}

/// HTTP/1 towards clients: header case kept, and a client gets a bounded time
/// to send a request head (half-sent requests must not hold connections forever).
fn server_builder(shared: &Shared) -> hyper::server::conn::http1::Builder {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .preserve_header_case(true)
        .timer(TokioTimer::new())
        .header_read_timeout(shared.header_timeout);
    builder
}

/// The client's side of a tunnel, with the bytes already read to sniff it put back in front.
struct Prefixed {
    prefix: Option<Bytes>,
    inner: TokioIo<hyper::upgrade::Upgraded>,
}

impl tokio::io::AsyncRead for Prefixed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if let Some(mut prefix) = self.prefix.take() {
            let n = prefix.len().min(buf.remaining());
            buf.put_slice(&prefix.split_to(n));
            if !prefix.is_empty() {
                self.prefix = Some(prefix);
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Prefixed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The TLS configuration towards the client for one host: made once per host and
/// kept, so a browser's next tunnel to that host resumes its TLS session (an
/// abbreviated handshake) instead of a full one.
fn server_config(shared: &Shared, target: &Target) -> Result<Arc<ServerConfig>, String> {
    let host = target.bare_host().to_ascii_lowercase();
    let configs = || {
        shared
            .server_configs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(config) = configs().get(&host) {
        return Ok(Arc::clone(config));
    }
    // Made without the lock held: it may mint a leaf certificate.
    let config = new_server_config(shared, target)?;
    Ok(Arc::clone(configs().entry(host).or_insert(config)))
}

fn new_server_config(shared: &Shared, target: &Target) -> Result<Arc<ServerConfig>, String> {
    let leaf = shared
        .ca
        .leaf(target.bare_host())
        .map_err(|e| error_chain(&e))?;
    let mut config = ServerConfig::builder_with_provider(Arc::clone(&shared.provider))
        .with_safe_default_protocol_versions()
        .and_then(|b| {
            b.with_no_client_auth()
                .with_single_cert(leaf.chain.clone(), leaf.key.clone_key())
        })
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Sends one request upstream and returns the upstream's response; records it
/// when it carried SAML.
async fn forward(
    mut req: Request<Incoming>,
    shared: &Arc<Shared>,
    target: &Target,
    tunnel: Option<&Tunnel>,
) -> Response<ProxyBody> {
    let clock = Instant::now();
    let upgrade = req.headers().contains_key(header::UPGRADE);
    let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut req));
    let (mut parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| PathAndQuery::from_static("/"));
    let url = || {
        format!(
            "{}://{}{}",
            target.scheme.as_str(),
            target.authority(),
            path.as_str()
        )
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let form_post = capture::is_form_post(parts.method.as_str(), content_type.as_deref());

    // Only a form POST or a URL with SAML in its query can be captured (most
    // requests are neither, and cost nothing more here).
    let capture = (form_post
        || (path.query().is_some() && !capture::find(&url(), None).is_empty()))
    .then(|| {
        Capture::new(
            shared,
            Exchange {
                started: Utc::now(),
                method: parts.method.to_string(),
                url: url(),
                http_version: version_str(parts.version),
                request_headers: header_list(&parts.headers),
                body: None,
                body_size: 0,
                mime_type: content_type,
                response: None,
                wait_ms: 0.0,
                found: Vec::new(),
            },
        )
    });
    let body = match &capture {
        Some(c) if form_post && !body.is_end_stream() => ProxyBody::Scan {
            rest: body,
            scan: Some((FormScanner::new(shared.max_body), Arc::clone(c))),
        },
        Some(c) => {
            c.body_done(form_post.then(|| FormScanner::new(0).finish()));
            ProxyBody::stream(body)
        }
        None => ProxyBody::stream(body),
    };
    let _abandoned = capture.as_ref().map(|c| Abandoned(Arc::clone(c)));

    strip_hop_by_hop(&mut parts.headers, upgrade);
    if !parts.headers.contains_key(header::HOST)
        && let Ok(host) = HeaderValue::from_str(&target.authority())
    {
        parts.headers.insert(header::HOST, host);
    }
    let method = parts.method.clone();
    parts.uri = Uri::from(path.clone());
    let upstream_req = Request::from_parts(parts, body);

    let result = send_upstream(upstream_req, shared, target, tunnel, upgrade).await;
    let wait_ms = clock.elapsed().as_secs_f64() * 1000.0;
    let mut response = match result {
        Ok(mut resp) => {
            if resp.status() == StatusCode::SWITCHING_PROTOCOLS
                && let Some(client_upgrade) = client_upgrade
            {
                splice_upgrade(client_upgrade, hyper::upgrade::on(&mut resp));
            }
            let (mut rparts, rbody) = resp.into_parts();
            strip_hop_by_hop(
                &mut rparts.headers,
                rparts.status == StatusCode::SWITCHING_PROTOCOLS,
            );
            Response::from_parts(rparts, ProxyBody::stream(rbody))
        }
        Err(UpstreamError::ClientAborted(e)) => {
            shared.notice(format!(
                "{method} {}: the client stopped sending the request body ({e}); \
                 the upstream got an incomplete request",
                url()
            ));
            if let Some(c) = &capture {
                c.no_response(format!("the client stopped sending the body: {e}"));
            }
            text_response(
                StatusCode::BAD_REQUEST,
                &format!("samlint proxy: reading the request body failed: {e}\n"),
            )
        }
        Err(UpstreamError::Upstream(e)) => {
            shared.notice(format!("{method} {}: upstream: {e}", url()));
            if let Some(c) = &capture {
                c.no_response(format!("upstream: {e}"));
            }
            text_response(
                StatusCode::BAD_GATEWAY,
                &format!("samlint proxy: upstream {}: {e}\n", target.authority()),
            )
        }
    };
    if let Some(c) = &capture {
        let status = response.status();
        c.response(
            ResponseHead {
                status: status.as_u16(),
                status_text: status.canonical_reason().unwrap_or_default().to_owned(),
                http_version: version_str(response.version()),
                headers: header_list(response.headers()),
            },
            wait_ms,
        );
    }
    // The client speaks HTTP/1.x with us whatever the upstream did.
    *response.version_mut() = Version::HTTP_11;
    response
}

/// Why a request could not be forwarded.
enum UpstreamError {
    /// The client's request body broke off (an aborted upload).
    ClientAborted(String),
    Upstream(String),
}

impl From<String> for UpstreamError {
    fn from(e: String) -> Self {
        UpstreamError::Upstream(e)
    }
}

impl From<hyper::Error> for UpstreamError {
    fn from(e: hyper::Error) -> Self {
        use std::error::Error as _;
        // hyper reports a broken request body as "error from user's Body stream"
        // with the client-side error as its source.
        if e.is_user()
            && let Some(cause) = e.source()
        {
            return UpstreamError::ClientAborted(cause.to_string());
        }
        UpstreamError::Upstream(e.to_string())
    }
}

/// Sends a request upstream: on a kept connection to that upstream when one is
/// ready (a request it could not take is sent on another), else on a new
/// connection, which is kept afterwards. An upgrade (WebSocket) always gets a
/// fresh HTTP/1.1 connection of its own.
async fn send_upstream(
    mut req: Request<ProxyBody>,
    shared: &Shared,
    target: &Target,
    tunnel: Option<&Tunnel>,
    upgrade: bool,
) -> Result<Response<Incoming>, UpstreamError> {
    let made;
    let key = if let Some(tunnel) = tunnel {
        &tunnel.key
    } else {
        made = target.key();
        &made
    };
    if !upgrade {
        // A kept connection may have been closed by the upstream meanwhile.
        for _ in 0..4 {
            let Some(mut sender) = shared.pool.take(key) else {
                break;
            };
            prepare(&mut req, sender.is_h2(), target);
            match sender.try_send(req).await {
                Ok(resp) => {
                    shared.pool.put(key, sender);
                    return Ok(resp);
                }
                Err((_, Some(unsent))) => req = unsent,
                Err((e, None)) => return Err(e.into()),
            }
        }
    }
    let spare = tunnel.and_then(|t| t.spare.lock().ok().and_then(|mut s| s.take()));
    // Boxed: opening a connection (TCP, TLS) takes a large future, which would
    // otherwise be part of every request's future, moved on every request.
    let mut sender = Box::pin(open_upstream(shared, target, spare, upgrade)).await?;
    prepare(&mut req, sender.is_h2(), target);
    let resp = sender.try_send(req).await.map_err(|(e, _)| e)?;
    if resp.status() != StatusCode::SWITCHING_PROTOCOLS {
        shared.pool.put(key, sender);
    }
    Ok(resp)
}

/// HTTP/1.1 upstream: origin-form target and a `Host` header. HTTP/2: the
/// authority goes in the URI (`:authority`), not in a `Host` header.
fn prepare(req: &mut Request<ProxyBody>, h2: bool, target: &Target) {
    let path = || {
        req.uri()
            .path_and_query()
            .map_or("/", hyper::http::uri::PathAndQuery::as_str)
            .to_owned()
    };
    if h2 {
        let path = path();
        let authority = req
            .headers_mut()
            .remove(header::HOST)
            .and_then(|h| h.to_str().ok().map(str::to_owned))
            .unwrap_or_else(|| target.authority());
        if let Ok(uri) = format!("https://{authority}{path}").parse() {
            *req.uri_mut() = uri;
        }
        *req.version_mut() = Version::HTTP_2;
    } else {
        // Already in origin form but for a request that came back from an HTTP/2
        // connection.
        if req.uri().authority().is_some() {
            let path = path();
            if !req.headers().contains_key(header::HOST)
                && let Some(authority) = req.uri().authority()
                && let Ok(host) = HeaderValue::from_str(authority.as_str())
            {
                req.headers_mut().insert(header::HOST, host);
            }
            if let Ok(uri) = path.parse() {
                *req.uri_mut() = uri;
            }
        }
        *req.version_mut() = Version::HTTP_11;
    }
}

async fn open_upstream(
    shared: &Shared,
    target: &Target,
    spare: Option<TcpStream>,
    http1_only: bool,
) -> Result<pool::Sender<ProxyBody>, String> {
    let connect = async {
        let tcp = match spare {
            Some(tcp) => tcp,
            None => tcp_connect(target).await?,
        };
        match target.scheme {
            Scheme::Http => pool::handshake(tcp, false).await,
            Scheme::Https => {
                let name = ServerName::try_from(target.bare_host().to_owned())
                    .map_err(|e| format!("not a TLS server name: {e}"))?;
                let config = if http1_only {
                    &shared.upstream_tls_h1
                } else {
                    &shared.upstream_tls
                };
                let tls = TlsConnector::from(Arc::clone(config))
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS: {}", error_chain(&e)))?;
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                pool::handshake(tls, h2).await
            }
        }
    };
    tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| "timed out connecting".to_owned())?
}

/// After a 101 answer, copies bytes both ways between client and upstream.
fn splice_upgrade(client: hyper::upgrade::OnUpgrade, upstream: hyper::upgrade::OnUpgrade) {
    tokio::spawn(async move {
        if let (Ok(client), Ok(upstream)) = tokio::join!(client, upstream) {
            let _ = tokio::io::copy_bidirectional(
                &mut TokioIo::new(client),
                &mut TokioIo::new(upstream),
            )
            .await;
        }
    });
}

/// An error and its causes on one line: `a: b: c`.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn strip_hop_by_hop(headers: &mut HeaderMap, keep_upgrade: bool) {
    // Most messages carry none of them: one look at each name, nothing removed.
    let hop = |name: &HeaderName| HOP_BY_HOP.contains(&name.as_str());
    if !headers.keys().any(hop) {
        return;
    }
    let listed: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in HOP_BY_HOP {
        if keep_upgrade && (*name == "connection" || *name == "upgrade") {
            continue;
        }
        headers.remove(*name);
    }
    if !keep_upgrade {
        for name in listed {
            headers.remove(name);
        }
    }
}

fn header_list(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn version_str(v: Version) -> String {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
    .to_owned()
}

fn text_response(status: StatusCode, text: &str) -> Response<ProxyBody> {
    let mut r = Response::new(ProxyBody::Full(Some(Bytes::from(text.to_owned()))));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// A body passed through: bytes in memory, an incoming body, or a form body
/// looked through for SAML on its way.
pub(crate) enum ProxyBody {
    Full(Option<Bytes>),
    Stream(Incoming),
    Scan {
        rest: Incoming,
        /// Until the body ends: the scanner and the capture it completes.
        scan: Option<(FormScanner, Arc<Capture>)>,
    },
}

impl ProxyBody {
    fn empty() -> Self {
        ProxyBody::Full(None)
    }

    fn stream(rest: Incoming) -> Self {
        ProxyBody::Stream(rest)
    }
}

fn len_u64(b: &Bytes) -> u64 {
    u64::try_from(b.len()).unwrap_or(u64::MAX)
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut() {
            ProxyBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            ProxyBody::Stream(rest) => Pin::new(rest).poll_frame(cx),
            ProxyBody::Scan { rest, scan } => {
                let polled = Pin::new(&mut *rest).poll_frame(cx);
                match &polled {
                    Poll::Ready(Some(Ok(frame))) => {
                        if let (Some(data), Some((scanner, _))) = (frame.data_ref(), scan.as_mut())
                        {
                            scanner.feed(data);
                        }
                        // The sender may not poll again once the body says it has ended.
                        if rest.is_end_stream()
                            && let Some((scanner, capture)) = scan.take()
                        {
                            capture.body_done(Some(scanner.finish()));
                        }
                    }
                    Poll::Ready(None) => {
                        if let Some((scanner, capture)) = scan.take() {
                            capture.body_done(Some(scanner.finish()));
                        }
                    }
                    // A broken body is not a complete request: nothing recorded.
                    Poll::Ready(Some(Err(_))) => *scan = None,
                    Poll::Pending => {}
                }
                polled
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ProxyBody::Full(bytes) => bytes.is_none(),
            ProxyBody::Stream(rest) | ProxyBody::Scan { rest, .. } => rest.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ProxyBody::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, len_u64)),
            ProxyBody::Stream(rest) | ProxyBody::Scan { rest, .. } => rest.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_from_absolute_uris() {
        let t = Target::from_uri(&"http://example.com/a?b".parse().unwrap()).unwrap();
        assert_eq!(
            (t.scheme, t.host.as_str(), t.port),
            (Scheme::Http, "example.com", 80)
        );
        assert_eq!(t.authority(), "example.com");
        let t = Target::from_uri(&"https://[::1]:8443/".parse().unwrap()).unwrap();
        assert_eq!(t.bare_host(), "::1");
        assert_eq!(t.authority(), "[::1]:8443");
        assert!(Target::from_uri(&"/relative".parse().unwrap()).is_none());
        assert!(Target::from_uri(&"ftp://x/".parse().unwrap()).is_none());
    }

    /// Every request's future is made and moved whole: what only a new upstream
    /// connection needs (TCP and TLS connect) stays out of it, boxed.
    #[test]
    fn a_request_future_stays_small() {
        fn size<A, B, C, F>(_: impl Fn(A, B, C) -> F) -> usize {
            std::mem::size_of::<F>()
        }
        assert!(size(handle) < 4096, "{}", size(handle));
    }

    #[test]
    fn hop_by_hop_headers_are_dropped() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("keep-alive, x-hop"),
        );
        h.insert("x-hop", HeaderValue::from_static("1"));
        h.insert("proxy-connection", HeaderValue::from_static("keep-alive"));
        h.insert("x-end", HeaderValue::from_static("2"));
        strip_hop_by_hop(&mut h, false);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("x-end"));

        let mut h = HeaderMap::new();
        h.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        strip_hop_by_hop(&mut h, true);
        assert_eq!(h.len(), 2);
    }
}

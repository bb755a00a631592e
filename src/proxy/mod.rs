//! `samlint proxy`: a local HTTP/HTTPS capture proxy. It forwards traffic as it
//! comes, intercepts HTTPS with its own CA, and records every request that carries
//! `SAMLResponse`/`SAMLRequest`: appended to a HAR file and handed over as
//! [`Payload`]s on a channel (the TUI's live list, or headless output).
//!
//! The proxy runs on its own threads: [`start`] returns once it is listening, and
//! [`ProxyHandle`] gives the bound address, the captures and a way to stop it.

pub(crate) mod ca;
pub(crate) mod capture;
pub(crate) mod har;
mod pool;
pub(crate) mod scan;
pub(crate) mod server;
mod upstream_tls;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use crate::input::Payload;
use crate::limits::Limits;
use ca::{CaError, CertificateAuthority};
use capture::HarHealth;
use har::{CaptureError, HarWriter};

/// Messages leave the cause out: it is the error's source, printed after it.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error(
        "{0} is not a loopback address; anyone who can reach it could use the proxy. \
         Pass --allow-remote to listen there anyway"
    )]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Ca(#[from] CaError),
    #[error(transparent)]
    Har(#[from] CaptureError),
    #[error("{}: {reason}", path.display())]
    UpstreamCa { path: PathBuf, reason: String },
    #[error("TLS setup")]
    Tls(#[from] rustls::Error),
    #[error("could not start the proxy runtime")]
    Runtime(#[source] std::io::Error),
}

/// Everything the proxy needs to start.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    pub listen: SocketAddr,
    /// Where SAML exchanges are appended, if anywhere.
    pub har: Option<PathBuf>,
    /// Holds `ca.pem` and `ca-key.pem`.
    pub ca_dir: PathBuf,
    /// Extra CAs trusted for upstream servers (besides the webpki roots).
    pub upstream_cas: Vec<PathBuf>,
    /// Write the HAR redacted (`samlint redact`'s code).
    pub redact: bool,
    /// With `redact`: the check whose verdict on each original payload is recorded
    /// beside the HAR, for `samlint check` on the redacted file.
    pub verdict: Option<capture::Verdict>,
    /// Allow a non-loopback listen address.
    pub allow_remote: bool,
    /// Stop on Ctrl-C / SIGTERM.
    pub handle_signals: bool,
    pub limits: Limits,
    /// How long a client has to send a request head.
    pub header_timeout: Duration,
}

impl ProxyConfig {
    pub fn new(listen: SocketAddr, ca_dir: PathBuf) -> Self {
        ProxyConfig {
            listen,
            har: None,
            ca_dir,
            upstream_cas: Vec::new(),
            redact: false,
            verdict: None,
            allow_remote: false,
            handle_signals: false,
            limits: Limits::default(),
            header_timeout: server::HEADER_READ_TIMEOUT,
        }
    }
}

/// Refuses a listen address that is not loopback unless `allow_remote`.
/// Returns whether the address is remote (so the caller can warn).
pub fn check_listen(addr: SocketAddr, allow_remote: bool) -> Result<bool, ProxyError> {
    let remote = !addr.ip().is_loopback();
    if remote && !allow_remote {
        return Err(ProxyError::NotLoopback(addr));
    }
    Ok(remote)
}

/// A running proxy. Dropping it stops the proxy too.
pub struct ProxyHandle {
    addr: SocketAddr,
    captures: Option<Receiver<Payload>>,
    notices: Option<Receiver<String>>,
    stop: watch::Sender<bool>,
    /// The proxy's worker threads.
    servers: Vec<JoinHandle<()>>,
    recorder: Option<JoinHandle<()>>,
    ca_cert: PathBuf,
    ca_created: bool,
    har: Option<PathBuf>,
    health: Arc<HarHealth>,
    opened: Option<har::Opened>,
    open_connections: Arc<std::sync::atomic::AtomicUsize>,
}

impl std::fmt::Debug for ProxyHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyHandle")
            .field("addr", &self.addr)
            .field("ca_cert", &self.ca_cert)
            .finish_non_exhaustive()
    }
}

impl ProxyHandle {
    /// The address the proxy listens on (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The captures, one [`Payload`] per SAML value, in the order they were
    /// recorded. The channel closes when the proxy stops. Taken once.
    pub fn take_captures(&mut self) -> Option<Receiver<Payload>> {
        self.captures.take()
    }

    /// Problems worth telling the user (a HAR write failed, a client refused the
    /// CA). Taken once.
    pub fn take_notices(&mut self) -> Option<Receiver<String>> {
        self.notices.take()
    }

    /// The CA certificate a browser must trust.
    pub fn ca_cert(&self) -> &Path {
        &self.ca_cert
    }

    /// Whether this run created the CA.
    pub fn ca_created(&self) -> bool {
        self.ca_created
    }

    pub fn har(&self) -> Option<&Path> {
        self.har.as_deref()
    }

    /// The HAR's state: written, pending, failed.
    pub fn har_health(&self) -> Arc<HarHealth> {
        Arc::clone(&self.health)
    }

    /// What opening the HAR had to repair, if there is a HAR.
    pub fn har_opened(&self) -> Option<&har::Opened> {
        self.opened.as_ref()
    }

    /// What a stop would wait for now: open client connections and captures
    /// not yet written.
    pub fn backlog(&self) -> (usize, usize) {
        (
            self.open_connections
                .load(std::sync::atomic::Ordering::SeqCst),
            self.health
                .pending
                .load(std::sync::atomic::Ordering::SeqCst),
        )
    }

    /// Asks the proxy to stop (as Ctrl-C would) without waiting.
    pub fn request_stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Stops the proxy and waits until the HAR has its last entry.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        for t in self.servers.drain(..) {
            let _ = t.join();
        }
        if let Some(t) = self.recorder.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ProxyHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Loads (or creates) the CA, opens the HAR, binds the listener and starts
/// serving on background threads (with a tokio runtime of their own: call this
/// from plain threads, not from inside an async runtime).
pub fn start(config: ProxyConfig) -> Result<ProxyHandle, ProxyError> {
    check_listen(config.listen, config.allow_remote)?;
    let ca = CertificateAuthority::load_or_create(&config.ca_dir)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (upstream_tls, upstream_tls_h1) = upstream_client_configs(&provider, &config.upstream_cas)?;
    let har = config
        .har
        .as_deref()
        .map(|p| HarWriter::open(p, config.redact))
        .transpose()?;

    // One worker thread per core (eight at most), each with a runtime of its own:
    // a connection stays on the thread that took it, with the upstream
    // connections it opened, so handing a request on costs no wake-up of another
    // thread (see docs/proxy.md, "Load").
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, 8);
    let runtimes = (0..workers)
        .map(|_| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(ProxyError::Runtime)?;
    let listener = runtimes[0]
        .block_on(tokio::net::TcpListener::bind(config.listen))
        .map_err(|source| ProxyError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ProxyError::Bind {
        addr: config.listen,
        source,
    })?;

    let opened = har.as_ref().map(|h| h.opened().clone());
    let health = Arc::new(HarHealth::default());
    let open_connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (exchange_tx, exchange_rx) = mpsc::channel();
    let (capture_tx, capture_rx) = mpsc::channel();
    let (notice_tx, notice_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let ca_cert = ca.cert_path().to_owned();
    let ca_created = ca.created();
    let shared = Arc::new(server::Shared {
        ca,
        provider,
        upstream_tls,
        upstream_tls_h1,
        pool: pool::Pool::default(),
        server_configs: std::sync::Mutex::default(),
        records: exchange_tx,
        notices: notice_tx.clone(),
        health: Arc::clone(&health),
        max_body: config.limits.max_payload_bytes,
        next_id: std::sync::atomic::AtomicU64::new(0),
        open_connections: Arc::clone(&open_connections),
        stopping: std::sync::atomic::AtomicBool::new(false),
        header_timeout: config.header_timeout,
    });
    let recorder_health = Arc::clone(&health);
    let notice_tx_signal = notice_tx.clone();
    let limits = config.limits;
    let verdict = config.verdict.clone();

    let recorder = std::thread::Builder::new()
        .name("samlint-recorder".to_owned())
        .spawn(move || {
            capture::record(
                har,
                &limits,
                verdict.as_ref(),
                &exchange_rx,
                &capture_tx,
                &notice_tx,
                &recorder_health,
            );
        })
        .map_err(ProxyError::Runtime)?;
    let signals = if config.handle_signals {
        let _context = runtimes[0].enter();
        Some(Signals::register().map_err(ProxyError::Runtime)?)
    } else {
        None
    };
    let stop_on_signal = stop_tx.clone();
    let signal_open = Arc::clone(&open_connections);
    let signal_health = Arc::clone(&health);
    let signal_notices = notice_tx_signal;
    let mut handoffs = Vec::with_capacity(workers);
    let mut servers = Vec::with_capacity(workers);
    let mut runtimes = runtimes.into_iter().enumerate();
    let (_, first) = runtimes
        .next()
        .ok_or_else(|| ProxyError::Runtime(std::io::Error::other("no runtime for the proxy")))?;
    let (first_tx, first_rx) = tokio::sync::mpsc::unbounded_channel();
    handoffs.push(first_tx);
    for (index, runtime) in runtimes {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        handoffs.push(tx);
        let (shared, stop_rx) = (Arc::clone(&shared), stop_rx.clone());
        servers.push(
            std::thread::Builder::new()
                .name("samlint-proxy".to_owned())
                .spawn(move || {
                    pool::set_worker(index);
                    runtime.block_on(server::work(rx, shared, stop_rx));
                    // Ends tunnels still open; their senders go with them, which
                    // lets the recorder finish.
                    runtime.shutdown_timeout(Duration::from_secs(1));
                })
                .map_err(ProxyError::Runtime)?,
        );
    }
    let server = std::thread::Builder::new()
        .name("samlint-proxy".to_owned())
        .spawn(move || {
            pool::set_worker(0);
            first.block_on(async move {
                if let Some(signals) = signals {
                    tokio::spawn(async move {
                        signals.recv().await;
                        let (open, pending) = (
                            signal_open.load(std::sync::atomic::Ordering::SeqCst),
                            signal_health
                                .pending
                                .load(std::sync::atomic::Ordering::SeqCst),
                        );
                        if open > 0 || pending > 0 {
                            let _ = signal_notices.send(format!(
                                "stopping: waiting up to {} s for {open} open connection(s) \
                                 and {pending} capture(s) still to be written",
                                server::GRACE.as_secs()
                            ));
                        }
                        let _ = stop_on_signal.send(true);
                    });
                }
                tokio::join!(
                    server::accept(listener, handoffs, stop_rx.clone()),
                    server::work(first_rx, shared, stop_rx),
                );
            });
            first.shutdown_timeout(Duration::from_secs(1));
        })
        .map_err(ProxyError::Runtime)?;
    servers.insert(0, server);

    Ok(ProxyHandle {
        addr,
        captures: Some(capture_rx),
        notices: Some(notice_rx),
        stop: stop_tx,
        servers,
        recorder: Some(recorder),
        ca_cert,
        ca_created,
        har: config.har,
        health,
        opened,
        open_connections,
    })
}

/// Ctrl-C / SIGTERM handlers, registered at once (before the address is
/// announced), so a signal that arrives early still stops the proxy cleanly.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
}

impl Signals {
    /// Must run inside the runtime's context.
    fn register() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(windows)]
        {
            Ok(Signals {
                ctrl_c: tokio::signal::windows::ctrl_c()?,
            })
        }
    }

    async fn recv(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(windows)]
        let _ = self.ctrl_c.recv().await;
    }
}

/// The upstream TLS configurations (ALPN h2 + http/1.1, and http/1.1 alone for
/// upgrades), with certificates checked by [`upstream_tls::UpstreamVerifier`].
fn upstream_client_configs(
    provider: &Arc<rustls::crypto::CryptoProvider>,
    extra: &[PathBuf],
) -> Result<(Arc<rustls::ClientConfig>, Arc<rustls::ClientConfig>), ProxyError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;

    let mut certs: Vec<CertificateDer<'static>> = Vec::new();
    for path in extra {
        let bad = |reason: String| ProxyError::UpstreamCa {
            path: path.clone(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let found: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| bad(format!("not PEM: {e}")))?;
        if found.is_empty() {
            return Err(bad("no PEM certificate in the file".to_owned()));
        }
        for cert in &found {
            rustls::RootCertStore::empty()
                .add(cert.clone())
                .map_err(|e| bad(format!("not a usable certificate: {e}")))?;
        }
        certs.extend(found);
    }
    let verifier = Arc::new(
        upstream_tls::UpstreamVerifier::new(provider, certs).map_err(|reason| {
            ProxyError::UpstreamCa {
                path: extra.first().cloned().unwrap_or_default(),
                reason,
            }
        })?,
    );
    let config = |alpn: &[&[u8]]| -> Result<Arc<rustls::ClientConfig>, ProxyError> {
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(provider))
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::clone(&verifier) as _)
            .with_no_client_auth();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    };
    Ok((config(&[b"h2", b"http/1.1"])?, config(&[b"http/1.1"])?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_is_refused_unless_allowed() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let local6: SocketAddr = "[::1]:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let lan: SocketAddr = "192.0.2.10:8080".parse().unwrap();
        assert!(!check_listen(local, false).unwrap());
        assert!(!check_listen(local6, false).unwrap());
        assert!(matches!(
            check_listen(any, false),
            Err(ProxyError::NotLoopback(_))
        ));
        assert!(matches!(
            check_listen(lan, false),
            Err(ProxyError::NotLoopback(_))
        ));
        assert!(check_listen(any, true).unwrap());
    }

    #[test]
    fn start_refuses_a_remote_address_before_touching_anything() {
        let dir = tempfile::tempdir().unwrap();
        let ca_dir = dir.path().join("ca");
        let config = ProxyConfig::new("0.0.0.0:0".parse().unwrap(), ca_dir.clone());
        assert!(matches!(start(config), Err(ProxyError::NotLoopback(_))));
        assert!(!ca_dir.exists());
    }

    #[test]
    fn a_half_sent_request_head_is_dropped_after_the_timeout() {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir().unwrap();
        let mut config = ProxyConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("ca"));
        config.header_timeout = Duration::from_millis(300);
        let handle = start(config).unwrap();
        let mut tcp = std::net::TcpStream::connect(handle.addr()).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        tcp.write_all(b"GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1")
            .unwrap();
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        // Closed by the proxy (possibly after a 408), long before our own timeout.
        let _ = tcp.read_to_end(&mut answer);
        assert!(started.elapsed() < Duration::from_secs(5), "{answer:?}");
        let text = String::from_utf8_lossy(&answer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }

    #[test]
    fn starts_on_an_ephemeral_port_and_stops() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ProxyConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("ca"));
        config.har = Some(dir.path().join("c.har"));
        let mut handle = start(config).unwrap();
        assert_ne!(handle.addr().port(), 0);
        assert!(handle.ca_created());
        let rx = handle.take_captures().unwrap();
        handle.shutdown();
        // Every sender is gone once the proxy has stopped.
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_err());
        let har = std::fs::read_to_string(dir.path().join("c.har")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&har).unwrap();
        assert_eq!(doc["log"]["entries"], serde_json::json!([]));
    }

    /// A plain HTTP upstream on 127.0.0.1: answers every request with 200 and
    /// `X-Seen: <body length>`, and hands each body over.
    fn upstream() -> (SocketAddr, std::sync::mpsc::Receiver<Vec<u8>>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Bounded: a handful of connections, then the thread ends.
            for stream in listener.incoming().take(8) {
                let Ok(mut stream) = stream else { break };
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let body = buf[head_end..].to_vec();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nX-Seen: {}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
                if tx.send(body).is_err() {
                    break;
                }
            }
        });
        (addr, rx)
    }

    /// Sends a raw HTTP/1.1 request to the proxy and reads the whole answer.
    fn raw_request(proxy: SocketAddr, request: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(proxy).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn post(upstream: SocketAddr, path: &str, body: &str) -> Vec<u8> {
        format!(
            "POST http://{upstream}{path} HTTP/1.1\r\nHost: {upstream}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    #[test]
    fn captures_reach_the_channel_and_large_bodies_stream_through() {
        let dir = tempfile::tempdir().unwrap();
        let (upstream, bodies) = upstream();
        let mut config = ProxyConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("ca"));
        config.limits.max_payload_bytes = 64;
        let mut handle = start(config).unwrap();
        let captures = handle.take_captures().unwrap();
        let notices = handle.take_notices().unwrap();
        let proxy = handle.addr();

        // A SAML form POST within the cap: forwarded and captured.
        let small = "SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D&RelayState=r";
        let answer = raw_request(proxy, &post(upstream, "/saml", small));
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains(&format!("x-seen: {}", small.len()))
        );
        assert!(answer.ends_with("ok"));
        assert_eq!(
            bodies.recv_timeout(Duration::from_secs(10)).unwrap(),
            small.as_bytes()
        );
        let p = captures.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(p.origin.kind, crate::input::OriginKind::Proxy);
        assert_eq!(
            p.origin.url.as_deref(),
            Some(format!("http://{upstream}/saml").as_str())
        );
        assert_eq!(p.origin.method.as_deref(), Some("POST"));
        assert!(p.origin.time.is_some());
        assert_eq!(p.param, Some(crate::input::SamlParam::Response));
        assert_eq!(p.binding, crate::input::Binding::Post);
        assert_eq!(p.raw, b"PHNhbWxwOlJlc3BvbnNlLz4%3D");
        assert_eq!(p.relay_state.as_deref(), Some("r"));

        // Past the cap: streamed through byte for byte, not captured.
        let large = format!("SAMLResponse={}", "A".repeat(500));
        let answer = raw_request(proxy, &post(upstream, "/saml", &large));
        assert!(
            answer
                .to_ascii_lowercase()
                .contains(&format!("x-seen: {}", large.len())),
            "{answer}"
        );
        assert_eq!(
            bodies.recv_timeout(Duration::from_secs(10)).unwrap(),
            large.as_bytes()
        );

        // A Redirect-binding GET: captured from the query string.
        let get = format!(
            "GET http://{upstream}/sso?SAMLRequest=fZBBT8MwDIX&RelayState=q HTTP/1.1\r\n\
             Host: {upstream}\r\nConnection: close\r\n\r\n"
        );
        let answer = raw_request(proxy, get.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert_eq!(bodies.recv_timeout(Duration::from_secs(10)).unwrap(), b"");
        let p = captures.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(p.param, Some(crate::input::SamlParam::Request));
        assert_eq!(p.binding, crate::input::Binding::Redirect);
        assert_eq!(p.origin.method.as_deref(), Some("GET"));

        // An upstream that cannot be reached: 502, and a notice.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let get =
            format!("GET http://{closed}/ HTTP/1.1\r\nHost: {closed}\r\nConnection: close\r\n\r\n");
        let answer = raw_request(proxy, get.as_bytes());
        assert!(
            answer.starts_with("HTTP/1.1 502 Bad Gateway\r\n"),
            "{answer}"
        );
        let notice = notices.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(
            notice.starts_with(&format!("GET http://{closed}/: upstream: ")),
            "{notice}"
        );

        // A request that is not in absolute form is answered by the proxy itself.
        let answer = raw_request(
            proxy,
            b"GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        );
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{answer}"
        );

        handle.shutdown();
        // Only the two SAML requests were captured.
        assert!(captures.try_recv().is_err());
    }
}

//! `samlint proxy` between a Rust client and a local upstream (plain HTTP and
//! HTTPS with its own test CA), all over real sockets on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;

use crate::common::check_json;

const UPSTREAM_BODY: &str = "upstream says hi";

/// Each request an upstream got: its head and its body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// An HTTP/1.1 server on 127.0.0.1 (keep-alive, a thread per connection) that
/// records each request (head and body) and answers 201 with a custom header.
struct Upstream {
    addr: SocketAddr,
    /// When a request has been read whole (before the answer, which may be delayed).
    read: mpsc::Receiver<()>,
    requests: Received,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Upstream {
    fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        Upstream::start_slow(tls, Duration::ZERO)
    }

    /// An upstream that waits `delay` after reading a request before it answers.
    fn start_slow(tls: Option<Arc<rustls::ServerConfig>>, delay: Duration) -> Self {
        Upstream::start_with(tls, delay, "")
    }

    /// `extra`: more header lines (each ending in CRLF) for every answer.
    fn start_with(
        tls: Option<Arc<rustls::ServerConfig>>,
        delay: Duration,
        extra: &'static str,
    ) -> Self {
        let (read_tx, read) = mpsc::channel();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let (r, s, c) = (
            Arc::clone(&requests),
            Arc::clone(&stop),
            Arc::clone(&connections),
        );
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_mins(2);
            while !s.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        c.fetch_add(1, Ordering::SeqCst);
                        stream.set_nonblocking(false).unwrap();
                        stream
                            .set_read_timeout(Some(Duration::from_secs(10)))
                            .unwrap();
                        let (tls, r, read_tx) = (tls.clone(), Arc::clone(&r), read_tx.clone());
                        std::thread::spawn(move || match tls {
                            None => serve_connection(stream, &r, &read_tx, delay, extra),
                            Some(cfg) => {
                                let conn = rustls::ServerConnection::new(cfg).unwrap();
                                let mut tls = rustls::StreamOwned::new(conn, stream);
                                serve_connection(&mut tls, &r, &read_tx, delay, extra);
                                tls.conn.send_close_notify();
                                let _ = tls.flush();
                            }
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Upstream {
            addr,
            read,
            requests,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<(String, Vec<u8>)> {
        self.requests.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers requests on one connection until the client closes it or asks to.
fn serve_connection<S: Read + Write>(
    mut stream: S,
    received: &Received,
    read: &mpsc::Sender<()>,
    delay: Duration,
    extra: &str,
) {
    let mut buf = Vec::new();
    while let Some((head, body)) = read_request(&mut stream, &mut buf) {
        let close = head.to_ascii_lowercase().contains("connection: close");
        // Recorded before answering, so the client never sees the answer first.
        received.lock().unwrap().push((head, body));
        let _ = read.send(());
        std::thread::sleep(delay);
        let response = format!(
            "HTTP/1.1 201 Created\r\nX-Upstream: test-upstream\r\nContent-Type: text/plain\r\n\
             {extra}Content-Length: {}\r\n\r\n{UPSTREAM_BODY}",
            UPSTREAM_BODY.len()
        );
        if stream.write_all(response.as_bytes()).is_err() || stream.flush().is_err() || close {
            break;
        }
    }
}

/// Reads one request (head + Content-Length body) from `stream`, after what is
/// left in `buf`.
fn read_request<S: Read>(stream: &mut S, buf: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + length.min(buf.len() - head_end)].to_vec();
    buf.drain(..head_end + body.len());
    Some((head, body))
}

/// A test CA (written to `dir/upstream-ca.pem`) and a server config for 127.0.0.1 signed by it.
fn upstream_tls(dir: &Path) -> (PathBuf, Arc<rustls::ServerConfig>) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "samlint test upstream CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let ca_path = dir.join("upstream-ca.pem");
    std::fs::write(&ca_path, ca_cert.pem()).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![
            cert.der().clone(),
            CertificateDer::from(ca_cert.der().to_vec()),
        ],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .unwrap();
    (ca_path, Arc::new(config))
}

/// The running `samlint proxy`, killed if the test fails before stopping it.
struct ProxyProcess {
    child: Child,
    addr: String,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl ProxyProcess {
    fn start(args: &[&str]) -> Self {
        ProxyProcess::spawn(Command::new(assert_cmd::cargo::cargo_bin("samlint")), args)
    }

    /// The proxy with a file-size limit of `blocks` x 512 bytes (`ulimit -f`, with
    /// SIGXFSZ ignored): a write past it fails with EFBIG, as one fails on a full
    /// disk, and the process goes on. Unprivileged, and the disk itself is not filled.
    #[cfg(unix)]
    fn start_with_file_limit(blocks: u64, args: &[&str]) -> Self {
        let mut sh = Command::new("sh");
        sh.args([
            "-c",
            "trap '' XFSZ && ulimit -f \"$1\" && shift && exec \"$@\"",
            "sh",
            &blocks.to_string(),
        ])
        .arg(assert_cmd::cargo::cargo_bin("samlint"));
        ProxyProcess::spawn(sh, args)
    }

    fn spawn(mut command: Command, args: &[&str]) -> Self {
        let mut child = command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["proxy", "--headless", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("SAMLINT_NO_CONFIG", "1")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |r: Box<dyn Read + Send>| {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(r).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let stdout = lines(Box::new(child.stdout.take().unwrap()));
        let stderr = lines(Box::new(child.stderr.take().unwrap()));
        let mut proxy = ProxyProcess {
            child,
            addr: String::new(),
            stdout,
            stderr,
        };
        let line = proxy
            .stderr
            .recv_timeout(Duration::from_mins(1))
            .expect("the proxy names its address");
        line.strip_prefix("samlint proxy: listening on http://")
            .unwrap_or_else(|| panic!("first line: {line}"))
            .clone_into(&mut proxy.addr);
        proxy
    }

    /// Sends SIGTERM and waits (bounded) for a clean exit.
    fn terminate(&mut self) -> std::process::ExitStatus {
        sigterm(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the proxy did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// All of stderr, once the process has exited (the reader may lag behind).
    fn stderr_after_exit(&self) -> String {
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(10)) {
            lines.push(line);
        }
        lines.join("\n")
    }

    fn stderr_text(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a client got back through the proxy.
struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// `http://host:port/path` → (https?, "host:port", "/path").
fn split_url(url: &str) -> (bool, String, String) {
    let (https, rest) = match url.strip_prefix("https://") {
        Some(rest) => (true, rest),
        None => (false, url.strip_prefix("http://").unwrap()),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:{}", if https { 443 } else { 80 })
    };
    (https, authority, path.to_owned())
}

/// A connection through the proxy to `url`'s origin: the proxy connection
/// itself for http (requests go in absolute form), a CONNECT tunnel with TLS
/// (trusting `proxy_ca`) for https. Returns the stream and the request target to use.
fn open(proxy: &str, proxy_ca: &Path, url: &str) -> (Box<dyn Stream>, String) {
    let (https, authority, path) = split_url(url);
    if !https {
        let tcp = std::net::TcpStream::connect(proxy).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        return (Box::new(tcp), url.to_owned());
    }
    let tcp = tunnel(proxy, &authority);
    (tls_client(tcp, proxy_ca, &authority), path)
}

/// A CONNECT tunnel through the proxy to `authority`.
fn tunnel(proxy: &str, authority: &str) -> std::net::TcpStream {
    let mut tcp = std::net::TcpStream::connect(proxy).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        tcp,
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"
    )
    .unwrap();
    let head = read_head(&mut tcp).expect("an answer to CONNECT");
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "CONNECT {authority}: {head}"
    );
    tcp
}

/// TLS over `tcp` to `authority`'s host, trusting the CA in `ca`.
fn tls_client(tcp: std::net::TcpStream, ca: &Path, authority: &str) -> Box<dyn Stream> {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(ca).unwrap();
    for cert in rustls_pki_types::pem::PemObject::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let host = authority
        .rsplit_once(':')
        .unwrap()
        .0
        .trim_matches(['[', ']']);
    let name = rustls_pki_types::ServerName::try_from(host.to_owned()).unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    Box::new(rustls::StreamOwned::new(conn, tcp))
}

/// Reads up to the end of a message head, one byte at a time (so nothing after it is consumed).
fn read_head(stream: &mut dyn Read) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Sends one request on `stream` and reads the answer (its body by Content-Length).
fn exchange(stream: &mut dyn Stream, target: &str, url: &str, form: Option<&[u8]>) -> Reply {
    let (_, authority, _) = split_url(url);
    let mut request = match form {
        Some(body) => format!(
            "POST {target} HTTP/1.1\r\nHost: {authority}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        None => format!("GET {target} HTTP/1.1\r\nHost: {authority}\r\n\r\n").into_bytes(),
    };
    request.extend_from_slice(form.unwrap_or_default());
    stream.write_all(&request).unwrap();
    stream.flush().unwrap();
    let headers = read_head(stream).expect("a response head");
    let status = headers[9..12].parse().unwrap();
    let length: usize = headers
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

/// One request through the proxy on a connection of its own.
fn through(proxy: &str, proxy_ca: &Path, url: &str, form: Option<&[u8]>) -> Reply {
    let (mut stream, target) = open(proxy, proxy_ca, url);
    exchange(&mut *stream, &target, url, form)
}

/// Sends SIGTERM to a process (a child of this test).
fn sigterm(pid: u32) {
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
}

/// The okta sample as a form body.
fn saml_form() -> String {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/okta-aws-iam.b64"),
    )
    .unwrap();
    let encoded: String = form_urlencoded::byte_serialize(sample.trim().as_bytes()).collect();
    format!("SAMLResponse={encoded}&RelayState=x")
}

fn subjects(doc: &Value) -> Vec<String> {
    doc["inputs"][0]["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["summary"]["subject"].as_str().unwrap_or("-").to_owned())
        .collect()
}

#[test]
fn proxy_forwards_and_records_saml_posts_over_http_and_https() {
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let plain = Upstream::start(None);
    let secure = Upstream::start(Some(tls));
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("capture.har");

    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
    ]);
    let proxy_ca = ca_dir.join("ca.pem");
    assert!(proxy_ca.exists(), "CA created on first run");

    let form = saml_form();

    let urls = [
        format!("http://{}/saml", plain.addr),
        format!("https://{}/saml", secure.addr),
    ];
    for url in &urls {
        let got = through(&proxy.addr, &proxy_ca, url, Some(form.as_bytes()));
        assert_eq!(got.status, 201, "{url}");
        assert_eq!(got.text(), UPSTREAM_BODY, "{url}");
        assert!(
            got.headers
                .to_ascii_lowercase()
                .contains("x-upstream: test-upstream"),
            "{url}: {}",
            got.headers
        );
    }
    // Traffic without SAML is forwarded but not recorded.
    let other = through(
        &proxy.addr,
        &proxy_ca,
        &format!("http://{}/other?q=1", plain.addr),
        None,
    );
    assert_eq!(other.status, 201);

    // Two requests in one tunnel share one upstream connection.
    let (mut tunnel, _) = open(&proxy.addr, &proxy_ca, &urls[1]);
    for path in ["/a", "/b"] {
        let url = format!("https://{}{path}", secure.addr);
        assert_eq!(exchange(&mut *tunnel, path, &url, None).status, 201);
    }
    drop(tunnel);
    assert_eq!(secure.requests().len(), 3);
    // Kept upstream connections are reused across tunnels (a spare may open
    // when a kept one is not free yet at that instant).
    assert!(secure.connections() <= 3, "{}", secure.connections());

    // Plain HTTP reuses upstream connections too, across client connections.
    for _ in 0..5 {
        let url = format!("http://{}/again", plain.addr);
        assert_eq!(through(&proxy.addr, &proxy_ca, &url, None).status, 201);
    }
    assert!(
        plain.connections() <= 3,
        "7 requests, {} upstream connections",
        plain.connections()
    );

    for (upstream, n) in [(&plain, 7), (&secure, 3)] {
        let requests = upstream.requests();
        assert_eq!(requests.len(), n);
        assert_eq!(requests[0].1, form.as_bytes(), "body byte for byte");
        assert!(requests[0].0.starts_with("POST /saml HTTP/1.1\r\n"));
    }

    // One stdout line per capture, with its verdict.
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while lines.len() < 2 && Instant::now() < deadline {
        if let Ok(line) = proxy.stdout.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    assert_eq!(lines.len(), 2, "{}", proxy.stderr_text());
    for (line, url) in lines.iter().zip(&urls) {
        assert!(
            line.contains(&format!(
                " POST {url} SAMLResponse: decoded (url, base64, utf8); subject jane.doe@example.com; "
            )),
            "{line}"
        );
    }

    // The HAR is readable while the proxy runs...
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    assert_eq!(doc["inputs"][0]["error"], Value::Null);
    assert_eq!(subjects(&doc), ["jane.doe@example.com"; 2]);

    // ...and after SIGTERM.
    let status = proxy.terminate();
    assert!(status.success(), "{status}: {}", proxy.stderr_text());
    let text = std::fs::read_to_string(&har).unwrap();
    let har_doc: Value = serde_json::from_str(&text).unwrap();
    let entries = har_doc["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "only the SAML requests");
    assert_eq!(entries[0]["request"]["url"], urls[0].as_str());
    assert_eq!(entries[1]["request"]["url"], urls[1].as_str());
    assert_eq!(entries[1]["response"]["status"], 201);
    assert_eq!(entries[0]["request"]["postData"]["text"], form.as_str());
    assert!(!text.to_ascii_lowercase().contains("\"cookie\""));

    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    let input = &doc["inputs"][0];
    assert_eq!(input["error"], Value::Null);
    assert_eq!(input["stats"]["entries"], 2);
    assert_eq!(subjects(&doc), ["jane.doe@example.com"; 2]);
    for (p, url) in input["payloads"].as_array().unwrap().iter().zip(&urls) {
        assert_eq!(p["origin"]["url"], url.as_str());
        assert_eq!(p["origin"]["method"], "POST");
        assert_eq!(p["binding"], "post");
    }

    // `check` verifies what the proxy recorded against the IdP metadata.
    let (code, doc) = check_json(&[
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
        "--now",
        "2026-01-15T10:00:02Z",
        har.to_str().unwrap(),
    ]);
    let payloads = doc["inputs"][0]["payloads"].as_array().unwrap();
    assert_eq!(payloads.len(), 2);
    for p in payloads {
        assert_eq!(p["signature"]["status"], "valid", "{p}");
    }
    assert_eq!(code, 0, "{doc}");

    // A second run reuses the CA.
    let before = std::fs::read(&proxy_ca).unwrap();
    let mut again = ProxyProcess::start(&["--ca-dir", ca_dir.to_str().unwrap()]);
    assert!(again.terminate().success());
    assert_eq!(std::fs::read(&proxy_ca).unwrap(), before);
}

#[test]
fn redact_writes_pseudonyms_and_no_credentials_to_the_har() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Upstream::start(None);
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("redacted.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
        "--redact",
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
        "--now",
        "2026-01-15T10:00:02Z",
    ]);
    let proxy_ca = ca_dir.join("ca.pem");
    let url = format!("http://{}/saml", plain.addr);
    let form = format!(
        "{}jane.doe%40example.com",
        saml_form().trim_end_matches('x')
    );
    // Two sign-ins, with a session cookie and a bearer token.
    for _ in 0..2 {
        let (mut stream, target) = open(&proxy.addr, &proxy_ca, &url);
        let head = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nCookie: sid=cookie-value-1234\r\n\
             Authorization: Bearer token-value-5678\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            plain.addr,
            form.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(form.as_bytes()).unwrap();
        stream.flush().unwrap();
        let reply = read_head(&mut *stream).expect("a response head");
        assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    }
    // The upstream got the real request, the live line the real verdict.
    assert_eq!(plain.requests()[0].1, form.as_bytes());
    let line = proxy
        .stdout
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("no capture line: {}", proxy.stderr_text()));
    assert!(
        line.contains("; subject [redacted]; signature valid; "),
        "{line}"
    );
    let entries = wait_for_entries(&har, 2);
    assert!(proxy.terminate().success(), "{}", proxy.stderr_text());

    let text = std::fs::read_to_string(&har).unwrap();
    let (_, original) = form.split_once('=').unwrap();
    let (original, _) = original.split_once('&').unwrap();
    for gone in [
        "jane.doe",
        "cookie-value-1234",
        "token-value-5678",
        original,
    ] {
        assert!(!text.contains(gone), "{gone} is in the redacted HAR");
    }
    // One pseudonym per person for the whole run.
    assert_eq!(
        entries[0]["request"]["postData"]["text"],
        entries[1]["request"]["postData"]["text"]
    );
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    assert_eq!(doc["inputs"][0]["error"], Value::Null);
    let subjects = subjects(&doc);
    assert_eq!(subjects.len(), 2);
    assert_eq!(subjects[0], subjects[1]);
    assert!(
        subjects[0].contains('@'),
        "an email stays an email: {subjects:?}"
    );
    assert_ne!(subjects[0], "jane.doe@example.com");
    // The verdict on the originals travels beside the HAR, and `check` reports it.
    let sidecar = std::fs::read_to_string(format!("{}.samlint-record", har.display()))
        .unwrap_or_else(|e| panic!("{e}: {}", proxy.stderr_text()));
    assert!(!sidecar.contains("jane.doe"), "{sidecar}");
    for p in doc["inputs"][0]["payloads"].as_array().unwrap() {
        assert!(
            p.to_string()
                .contains("redacted capture: signature was valid at redaction (key "),
            "{p}"
        );
    }
}

#[test]
fn proxy_refuses_a_non_loopback_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::samlint()
        .args(["proxy", "--headless", "--listen", "0.0.0.0:0", "--ca-dir"])
        .arg(dir.path().join("ca"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a loopback address"), "{stderr}");
    assert!(stderr.contains("--allow-remote"), "{stderr}");
    assert!(!dir.path().join("ca").exists());
}

#[test]
fn har_stays_valid_when_the_proxy_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let secure = Upstream::start(Some(tls));
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("killed.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
    ]);
    // A host name this time: the leaf carries a DNS SAN.
    let url = format!(
        "https://localhost:{}/saml?SAMLRequest=fZBBT8MwDIX&RelayState=k",
        secure.addr.port()
    );
    let got = through(&proxy.addr, &ca_dir.join("ca.pem"), &url, None);
    assert_eq!(got.status, 201, "{}", proxy.stderr_text());
    let line = proxy
        .stdout
        .recv_timeout(Duration::from_secs(20))
        .expect("a capture line");
    assert!(
        line.contains(&format!(" GET {url} SAMLRequest: ")),
        "{line}"
    );

    // SIGKILL: no chance to clean up.
    proxy.child.kill().unwrap();
    proxy.child.wait().unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    assert_eq!(doc["log"]["entries"].as_array().unwrap().len(), 1);
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    let input = &doc["inputs"][0];
    assert_eq!(input["error"], Value::Null);
    assert_eq!(input["payloads"][0]["origin"]["url"], url.as_str());
    assert_eq!(input["payloads"][0]["binding"], "redirect");
}

/// Without `--headless`, each capture appears in the terminal UI the moment it
/// crosses the wire, with its verdict; quitting the UI stops the proxy cleanly.
#[test]
fn live_view_shows_captures_as_they_happen() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Upstream::start(None);
    let ca_dir = dir.path().join("ca");
    // The UI owns the screen, so the address is given, not read.
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut tty = crate::tui::Tty::spawn(&[
        "proxy",
        "--listen",
        &listen,
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
    ]);
    tty.wait_text("Payloads (0)");

    let url = format!("http://{}/saml", plain.addr);
    let got = through(
        &listen,
        &ca_dir.join("ca.pem"),
        &url,
        Some(saml_form().as_bytes()),
    );
    assert_eq!(got.status, 201);
    assert_eq!(plain.requests().len(), 1, "forwarded upstream");

    // Wait for the whole Summary: the frame is drawn in pieces over the pty.
    tty.wait_for("the capture, verified, with its roles", |s| {
        s.contains("Payloads (1)")
            && s.contains("jane.doe@example.com")
            && s.contains("signed by a trusted key")
            && s.contains("Admin")
    });
    tty.send(b"q");
    tty.assert_quit_cleanly();
}

/// The HAR's entries, once it has `n` (waits, bounded).
fn wait_for_entries(har: &Path, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(har)
            && let Ok(doc) = serde_json::from_str::<Value>(&text)
            && let Some(entries) = doc["log"]["entries"].as_array()
            && entries.len() >= n
        {
            return entries.clone();
        }
        assert!(Instant::now() < deadline, "the HAR never got {n} entries");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A capture is written when its request body is complete, not when the
/// upstream answers: a client that gives up on a slow ACS loses nothing.
#[test]
fn a_capture_survives_a_client_that_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let slow = Upstream::start_slow(None, Duration::from_secs(3));
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("gave-up.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
    ]);
    let form = saml_form();
    let url = format!("http://{}/saml", slow.addr);
    let (mut stream, target) = open(&proxy.addr, &ca_dir.join("ca.pem"), &url);
    let request = format!(
        "POST {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{form}",
        slow.addr,
        form.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    // The client waits a second, then closes the tab.
    slow.read.recv_timeout(Duration::from_secs(20)).unwrap();
    std::thread::sleep(Duration::from_secs(1));
    drop(stream);

    let line = proxy.stdout.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        line.contains(&format!(" POST {url} SAMLResponse: decoded")),
        "{line}"
    );
    let entries = wait_for_entries(&har, 1);
    assert_eq!(entries[0]["request"]["postData"]["text"], form.as_str());
    assert_eq!(entries[0]["response"]["status"], 0, "{}", entries[0]);
    assert_eq!(slow.requests()[0].1, form.as_bytes(), "the ACS got it all");

    let status = proxy.terminate();
    let stderr = proxy.stderr_after_exit();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stderr.contains(&format!(
            "stopped; 1 SAML payload(s) captured; HAR {}: 1 entries on disk (1 written now)",
            har.display()
        )),
        "{stderr}"
    );
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    assert_eq!(subjects(&doc), ["jane.doe@example.com"]);
}

/// SIGTERM while the upstream still thinks: the capture is on disk, the proxy
/// says what it waits for, and the entry says it got no response.
#[test]
fn sigterm_mid_request_keeps_the_capture() {
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let slow = Upstream::start_slow(Some(tls), Duration::from_secs(30));
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("term.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
    ]);
    let form = saml_form();
    let url = format!("https://{}/saml", slow.addr);
    let (addr, ca) = (proxy.addr.clone(), ca_dir.join("ca.pem"));
    let body = form.clone();
    let (mut stream, target) = open(&addr, &ca, &url);
    let client = std::thread::spawn(move || {
        let request = format!(
            "POST {target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        stream.flush().unwrap();
        // Held open until the proxy goes away.
        let _ = read_head(&mut *stream);
    });
    let line = proxy.stdout.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(line.contains(" SAMLResponse: decoded"), "{line}");
    assert_eq!(wait_for_entries(&har, 1)[0]["response"]["status"], 0);

    let started = Instant::now();
    let status = proxy.terminate();
    let stderr = proxy.stderr_after_exit();
    assert!(status.success(), "{status}: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        stderr.contains("stopping: waiting up to 1 s for 1 open connection(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(": 1 entries on disk (1 written now)"),
        "{stderr}"
    );
    let entries = wait_for_entries(&har, 1);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["request"]["postData"]["text"], form.as_str());
    assert_eq!(
        entries[0]["response"]["comment"],
        "no response: the proxy stopped before the upstream answered"
    );
    let _ = client.join();
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    assert_eq!(doc["inputs"][0]["error"], Value::Null);
    assert_eq!(subjects(&doc), ["jane.doe@example.com"]);
}

/// SIGTERM in the live view: the terminal is given back (alternate screen left,
/// exit 0), and the footer showed the HAR's health while it ran.
#[test]
fn sigterm_in_the_live_view_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("live.har");
    let port = free_port();
    let listen = format!("localhost:{port}");
    let mut tty = crate::tui::Tty::spawn(&[
        "proxy",
        "--listen",
        &listen,
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
    ]);
    tty.wait_text("Payloads (0)");
    tty.wait_text("HAR written 0, pending 0, failed 0");
    sigterm(tty.pid());
    tty.assert_quit_cleanly();
}

/// A WebSocket echo server on 127.0.0.1 (TLS with `tls`): answers the opening
/// handshake (RFC 6455 4.2.2), then echoes one text frame. Bounded: a few connections.
fn websocket_echo(tls: Option<Arc<rustls::ServerConfig>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(stream) = stream else { return };
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let tls = tls.clone();
            std::thread::spawn(move || {
                let mut stream: Box<dyn Stream> = match tls {
                    None => Box::new(stream),
                    Some(cfg) => Box::new(rustls::StreamOwned::new(
                        rustls::ServerConnection::new(cfg).unwrap(),
                        stream,
                    )),
                };
                let Some(head) = read_head(&mut *stream) else {
                    return;
                };
                let key = head
                    .lines()
                    .find_map(|l| {
                        let (n, v) = l.split_once(':')?;
                        n.eq_ignore_ascii_case("sec-websocket-key")
                            .then(|| v.trim().to_owned())
                    })
                    .unwrap();
                let reply = format!(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
                     Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                    websocket_accept(&key)
                );
                stream.write_all(reply.as_bytes()).unwrap();
                stream.flush().unwrap();
                let text = read_frame(&mut *stream);
                let mut frame = vec![0x81, u8::try_from(text.len()).unwrap()];
                frame.extend_from_slice(&text);
                stream.write_all(&frame).unwrap();
                stream.flush().unwrap();
                // Wait for the client to close.
                let _ = stream.read(&mut [0u8; 16]);
            });
        }
    });
    addr
}

fn websocket_accept(key: &str) -> String {
    use base64::Engine as _;
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11").as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
}

/// Reads one short frame (payload under 126 bytes), unmasking it if masked.
fn read_frame(stream: &mut dyn Stream) -> Vec<u8> {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(head[0], 0x81, "a final text frame");
    let masked = head[1] & 0x80 != 0;
    let len = usize::from(head[1] & 0x7f);
    assert!(len < 126);
    let mut mask = [0u8; 4];
    if masked {
        stream.read_exact(&mut mask).unwrap();
    }
    let mut payload = vec![0u8; len];
    stream.read_exact(&mut payload).unwrap();
    if masked {
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
    }
    payload
}

/// The client side: handshake on `stream`, one masked text frame out, the echo back.
fn websocket_roundtrip(stream: &mut dyn Stream, host: &str, text: &str) -> String {
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    write!(
        stream,
        "GET /echo HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    stream.flush().unwrap();
    let head = read_head(stream).expect("a handshake answer");
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "the upstream's accept key, relayed: {head}"
    );
    let mask = [0x12, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81, 0x80 | u8::try_from(text.len()).unwrap()];
    frame.extend_from_slice(&mask);
    frame.extend(text.bytes().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    stream.write_all(&frame).unwrap();
    stream.flush().unwrap();
    String::from_utf8(read_frame(stream)).unwrap()
}

/// Chromium sends `ws://` through CONNECT too: a tunnel that does not start with
/// TLS is relayed as plain HTTP; `wss://` is intercepted. Both echo.
#[test]
fn websockets_echo_through_the_tunnel() {
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let plain = websocket_echo(None);
    let secure = websocket_echo(Some(tls));
    let ca_dir = dir.path().join("ca");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
    ]);

    let mut ws: Box<dyn Stream> = Box::new(tunnel(&proxy.addr, &plain.to_string()));
    assert_eq!(
        websocket_roundtrip(&mut *ws, &plain.to_string(), "hello over ws"),
        "hello over ws"
    );
    let tcp = tunnel(&proxy.addr, &secure.to_string());
    let mut wss = tls_client(tcp, &ca_dir.join("ca.pem"), &secure.to_string());
    assert_eq!(
        websocket_roundtrip(&mut *wss, &secure.to_string(), "hello over wss"),
        "hello over wss"
    );
    drop((ws, wss));
    let status = proxy.terminate();
    let stderr = proxy.stderr_after_exit();
    assert!(status.success(), "{stderr}");
    assert!(
        !stderr.contains("does the client trust"),
        "no TLS complaint: {stderr}"
    );
}

/// CONNECT to a port nobody listens on is answered 502, not 200.
#[test]
fn connect_to_an_unreachable_target_is_a_502() {
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(&["--ca-dir", dir.path().join("ca").to_str().unwrap()]);
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut tcp = std::net::TcpStream::connect(&proxy.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(tcp, "CONNECT {closed} HTTP/1.1\r\nHost: {closed}\r\n\r\n").unwrap();
    let head = read_head(&mut tcp).unwrap();
    assert!(head.starts_with("HTTP/1.1 502"), "{head}");
}

/// A 50 MB form upload without SAML streams through: the proxy's peak memory
/// stays far below the body's size.
#[cfg(target_os = "linux")]
#[test]
fn a_large_form_upload_streams_through_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start(None);
    let mut proxy = ProxyProcess::start(&["--ca-dir", dir.path().join("ca").to_str().unwrap()]);
    let size = 50 * 1000 * 1000;
    let mut tcp = std::net::TcpStream::connect(&proxy.addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_mins(1))).unwrap();
    write!(
        tcp,
        "POST http://{0}/upload HTTP/1.1\r\nHost: {0}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\nfile=",
        upstream.addr,
        size + 5
    )
    .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        tcp.write_all(&chunk[..n]).unwrap();
        sent += n;
    }
    let head = read_head(&mut tcp).unwrap();
    assert!(head.starts_with("HTTP/1.1 201"), "{head}");
    assert_eq!(upstream.requests()[0].1.len(), size + 5, "forwarded whole");

    let status = std::fs::read_to_string(format!("/proc/{}/status", proxy.child.id())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(peak_kb < 100 * 1024, "peak {peak_kb} kB");
    assert!(proxy.terminate().success());
    // Not SAML: nothing captured.
    assert!(proxy.stdout.try_recv().is_err());
}

/// Errors are printed once: a port in use, a HAR in a directory that does not exist.
#[test]
fn startup_errors_are_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = crate::common::samlint()
        .args(["proxy", "--headless", "--listen", &addr, "--ca-dir"])
        .arg(dir.path().join("ca"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}: ")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("in use").count(), 1, "{stderr}");

    let har = dir.path().join("missing/c.har");
    let out = crate::common::samlint()
        .args(["proxy", "--headless", "--listen", "127.0.0.1:0", "--har"])
        .arg(&har)
        .arg("--ca-dir")
        .arg(dir.path().join("ca"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: directory {} does not exist",
            har.display(),
            dir.path().join("missing").display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.matches("does not exist").count(), 1, "{stderr}");
}

/// A self-signed certificate for 127.0.0.1 as `openssl req -x509` makes it (it
/// says CA:TRUE), written to `dir/self-signed.pem`, and an HTTP/2-only TLS
/// server config (ALPN `h2` alone) using it.
fn self_signed_h2(dir: &Path) -> (PathBuf, Arc<rustls::ServerConfig>) {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let path = dir.join("self-signed.pem");
    std::fs::write(&path, cert.pem()).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec()];
    (path, Arc::new(config))
}

/// An HTTP/2-only server on 127.0.0.1: answers every request 200 with the
/// version it was asked in. Bounded: a few connections.
fn h2_upstream(tls: Arc<rustls::ServerConfig>) -> SocketAddr {
    use http_body_util::Full;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let acceptor = tokio_rustls::TlsAcceptor::from(tls);
            for _ in 0..4 {
                let Ok(Ok((tcp, _))) =
                    tokio::time::timeout(Duration::from_mins(1), listener.accept()).await
                else {
                    return;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(|req: hyper::Request<_>| async move {
                        let body = format!("answered over {:?} for {}", req.version(), req.uri());
                        Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(
                            bytes::Bytes::from(body),
                        )))
                    });
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        });
    });
    addr
}

/// An HTTP/2-only upstream with a pinned self-signed (CA:TRUE) certificate:
/// the proxy speaks h2 to it and accepts the certificate given with --upstream-ca.
#[test]
fn h2_upstream_with_a_pinned_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (pinned, tls) = self_signed_h2(dir.path());
    let upstream = h2_upstream(tls);
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("h2.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--upstream-ca",
        pinned.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
    ]);
    let url = format!("https://{upstream}/saml");
    let form = saml_form();
    let got = through(
        &proxy.addr,
        &ca_dir.join("ca.pem"),
        &url,
        Some(form.as_bytes()),
    );
    assert_eq!(got.status, 200, "{}", proxy.stderr_text());
    assert_eq!(
        got.text(),
        format!("answered over HTTP/2.0 for {url}"),
        "{}",
        got.headers
    );
    assert!(
        got.headers.starts_with("HTTP/1.1 200"),
        "HTTP/1.1 to the client"
    );
    wait_for_entries(&har, 1);
    assert!(proxy.terminate().success());
    // The request was written first; its response was added in place.
    let entries = wait_for_entries(&har, 1);
    assert_eq!(entries[0]["response"]["status"], 200);
    assert_eq!(entries[0]["response"]["httpVersion"], "HTTP/2");
}

/// An HTTPS server on 127.0.0.1 (keep-alive, a thread per connection, bounded)
/// that answers each request with `answer(head, body)` and records it.
fn https_server(
    tls: Arc<rustls::ServerConfig>,
    answer: impl Fn(&str, &[u8]) -> String + Send + Sync + 'static,
) -> (SocketAddr, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let received: Received = Arc::new(Mutex::new(Vec::new()));
    let (r, answer) = (Arc::clone(&received), Arc::new(answer));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(32) {
            let Ok(stream) = stream else { return };
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            let (tls, r, answer) = (Arc::clone(&tls), Arc::clone(&r), Arc::clone(&answer));
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(tls).unwrap();
                let mut stream = rustls::StreamOwned::new(conn, stream);
                let mut buf = Vec::new();
                while let Some((head, body)) = read_request(&mut stream, &mut buf) {
                    let reply = answer(&head, &body);
                    r.lock().unwrap().push((head, body));
                    if stream.write_all(reply.as_bytes()).is_err() || stream.flush().is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, received)
}

fn html(status: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{extra}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// The first browser found on PATH, if any.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

/// A real browser through the proxy: headless Chromium, trusting the proxy's CA
/// by its key, loads an IdP page on loopback that auto-posts a signed
/// SAMLResponse to an HTTPS ACS, which redirects to a console page. The ACS gets
/// the body byte for byte, the browser reaches the console, and `check` on the
/// HAR says the signature is valid.
#[test]
#[allow(clippy::print_stderr)] // the skip message is the point
fn a_browser_signs_in_through_the_proxy() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium on PATH (Debian: apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/okta-aws-iam.b64"),
    )
    .unwrap();
    let sample = sample.trim().to_owned();

    let console_port = Arc::new(Mutex::new(0u16));
    let port = Arc::clone(&console_port);
    let (acs, acs_got) = https_server(Arc::clone(&tls), move |_, _| {
        let location = format!("https://localhost:{}/console", port.lock().unwrap());
        html("302 Found", &format!("Location: {location}\r\n"), "")
    });
    let value = sample.clone();
    let (site, site_got) = https_server(tls, move |head, _| {
        if head.starts_with("GET /idp ") {
            html(
                "200 OK",
                "",
                &format!(
                    "<html><body onload=\"document.forms[0].submit()\">\
                     <form method=\"post\" action=\"https://localhost:{}/saml\">\
                     <input type=\"hidden\" name=\"SAMLResponse\" value=\"{value}\">\
                     <input type=\"hidden\" name=\"RelayState\" value=\"x\">\
                     </form></body></html>",
                    acs.port()
                ),
            )
        } else if head.starts_with("GET /console ") {
            html(
                "200 OK",
                "",
                "<html><body><p>console reached</p></body></html>",
            )
        } else {
            html("404 Not Found", "", "")
        }
    });
    *console_port.lock().unwrap() = site.port();

    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("browser.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
        "--har",
        har.to_str().unwrap(),
    ]);
    // Chromium trusts the proxy's CA by the SHA-256 of its public key.
    let spki = {
        use base64::Engine as _;
        let key = KeyPair::from_pem(&std::fs::read_to_string(ca_dir.join("ca-key.pem")).unwrap())
            .unwrap();
        let spki = rcgen::PublicKeyData::subject_public_key_info(&key);
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &spki);
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    };
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--proxy-server=http://{}", proxy.addr))
        // Loopback goes through the proxy too.
        .arg("--proxy-bypass-list=<-loopback>")
        .arg(format!("--ignore-certificate-errors-spki-list={spki}"))
        .arg(format!("https://localhost:{}/idp", site.port()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the browser did not finish; proxy: {}", proxy.stderr_text());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut dom = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut dom)
        .unwrap();

    // The ACS got the form byte for byte as the browser encodes it.
    let encoded: String = form_urlencoded::byte_serialize(sample.as_bytes()).collect();
    let expected = format!("SAMLResponse={encoded}&RelayState=x");
    let posts: Vec<_> = acs_got
        .lock()
        .unwrap()
        .iter()
        .filter(|(h, _)| h.starts_with("POST /saml "))
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        posts.len(),
        1,
        "one sign-in POST; proxy: {}",
        proxy.stderr_text()
    );
    assert_eq!(String::from_utf8_lossy(&posts[0]), expected);
    // The browser followed the redirect to the console.
    assert!(
        site_got
            .lock()
            .unwrap()
            .iter()
            .any(|(h, _)| h.starts_with("GET /console ")),
        "the console page was loaded"
    );
    assert!(dom.contains("console reached"), "{dom}");

    assert!(proxy.terminate().success());
    let entries = wait_for_entries(&har, 1);
    assert_eq!(entries[0]["request"]["postData"]["text"], expected.as_str());
    assert_eq!(entries[0]["response"]["status"], 302);
    let (code, doc) = check_json(&[
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
        "--now",
        "2026-01-15T10:00:02Z",
        har.to_str().unwrap(),
    ]);
    let payloads = doc["inputs"][0]["payloads"].as_array().unwrap();
    assert_eq!(payloads.len(), 1, "{doc}");
    assert_eq!(payloads[0]["signature"]["status"], "valid", "{doc}");
    assert_eq!(code, 0, "{doc}");
}

/// Bytes the process has written so far (all files and sockets), from /proc.
#[cfg(target_os = "linux")]
fn written_bytes(pid: u32) -> u64 {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap();
    io.lines()
        .find_map(|l| l.strip_prefix("wchar:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

/// What one capture makes the proxy write does not depend on the HAR's size:
/// the same with an empty HAR and with one of 10,000 entries (a browser's HAR,
/// converted once at start, before the measurement).
#[cfg(target_os = "linux")]
#[test]
fn a_capture_costs_the_same_write_with_10000_entries_in_the_har() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start(None);
    let ca_dir = dir.path().join("ca");
    let filler: Vec<Value> = (0..10_000)
        .map(|i| {
            serde_json::json!({
                "startedDateTime": "2026-01-15T10:00:02.000Z", "time": 1,
                "request": {"method": "GET", "url": format!("https://example.com/asset/{i:05}"),
                    "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [],
                    "headersSize": -1, "bodySize": 0},
                "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                    "cookies": [], "headers": [], "content": {"size": 0, "mimeType": ""},
                    "redirectURL": "", "headersSize": -1, "bodySize": 0},
                "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
            })
        })
        .collect();
    let big = dir.path().join("big.har");
    std::fs::write(
        &big,
        serde_json::to_string_pretty(&serde_json::json!({"log": {"version": "1.2",
            "creator": {"name": "test", "version": "1"}, "entries": filler}}))
        .unwrap(),
    )
    .unwrap();
    let empty = dir.path().join("empty.har");
    let mut costs = Vec::new();
    for (har, before) in [(&empty, 0), (&big, 10_000)] {
        let mut proxy = ProxyProcess::start(&[
            "--ca-dir",
            ca_dir.to_str().unwrap(),
            "--har",
            har.to_str().unwrap(),
        ]);
        let pid = proxy.child.id();
        // The head and notices are written; the proxy is idle.
        std::thread::sleep(Duration::from_millis(300));
        let start = written_bytes(pid);
        let url = format!(
            "http://{}/sso?SAMLRequest=fZBBT8MwDIX&RelayState=k",
            upstream.addr
        );
        assert_eq!(
            through(&proxy.addr, &ca_dir.join("ca.pem"), &url, None).status,
            201
        );
        proxy.stdout.recv_timeout(Duration::from_secs(20)).unwrap();
        // Wait for the response to be written into the entry too.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let entries = wait_for_entries(har, before + 1);
            if entries[before]["response"]["status"] == 201 {
                break;
            }
            assert!(Instant::now() < deadline, "the response was never added");
            std::thread::sleep(Duration::from_millis(50));
        }
        costs.push(written_bytes(pid) - start);
        assert!(proxy.terminate().success());
    }
    // Equal but for a `,` and a digit or two of the capture's numbers.
    assert!(costs[0].abs_diff(costs[1]) < 64, "{costs:?}");
    assert!(
        costs[1] < 16 * 1024,
        "{costs:?}: nothing like the 3 MB file"
    );
}

/// An upload the client gives up half-way is reported as the client's doing,
/// not as an upstream failure.
#[test]
fn an_aborted_upload_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start(None);
    let mut proxy = ProxyProcess::start(&["--ca-dir", dir.path().join("ca").to_str().unwrap()]);
    let mut tcp = std::net::TcpStream::connect(&proxy.addr).unwrap();
    write!(
        tcp,
        "POST http://{0}/upload HTTP/1.1\r\nHost: {0}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\nfile=",
        upstream.addr
    )
    .unwrap();
    tcp.write_all(&vec![b'a'; 100_000]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(tcp);
    std::thread::sleep(Duration::from_millis(500));
    assert!(proxy.terminate().success());
    let stderr = proxy.stderr_after_exit();
    assert!(
        stderr.contains(&format!(
            "POST http://{}/upload: the client stopped sending the request body",
            upstream.addr
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("user's Body stream"), "{stderr}");
}

/// Long response headers: adding its response to an entry grows it by 3 kB or so,
/// so a size limit can fall between a capture and its response.
static LONG_HEADER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("X-Filler: {}\r\n", "0123456789abcdef".repeat(200)));

/// Sends a SAML form POST through the proxy (to a slow upstream) and watches
/// entry `index` of the HAR: returns the answer's status, the HAR's size once the
/// capture is in it without its response, and once its response is too (`None`
/// for what never appeared).
fn post_and_watch(
    proxy: &str,
    proxy_ca: &Path,
    url: &str,
    har: &Path,
    index: usize,
) -> (u16, Option<u64>, Option<u64>) {
    let (proxy, proxy_ca, url, form) = (
        proxy.to_owned(),
        proxy_ca.to_owned(),
        url.to_owned(),
        saml_form(),
    );
    let client =
        std::thread::spawn(move || through(&proxy, &proxy_ca, &url, Some(form.as_bytes())).status);
    let (mut captured, mut answered, mut done_at) = (None, None, None);
    let deadline = Instant::now() + Duration::from_secs(30);
    while answered.is_none() {
        let text = std::fs::read_to_string(har).unwrap_or_default();
        let size = u64::try_from(text.len()).unwrap();
        if let Ok(doc) = serde_json::from_str::<Value>(&text)
            && let Some(entry) = doc["log"]["entries"].get(index)
        {
            match entry["response"]["status"].as_u64() {
                Some(0) => captured = captured.or(Some(size)),
                Some(201) => answered = Some(size),
                other => panic!("entry {index}: status {other:?}"),
            }
        }
        // Once the client has its answer, the HAR gets a second to catch up.
        if client.is_finished() {
            let done = *done_at.get_or_insert_with(Instant::now);
            if done.elapsed() > Duration::from_secs(1) {
                break;
            }
        }
        assert!(Instant::now() < deadline, "no answer through the proxy");
        std::thread::sleep(Duration::from_millis(5));
    }
    (client.join().unwrap(), captured, answered)
}

/// A full disk, for real: the proxy runs with a file-size limit, so HAR writes past
/// it fail (EFBIG, as ENOSPC on a full disk), first when a response is added to
/// the last entry that fitted, then for each capture after it. Every request is
/// still forwarded and shown, every failure is named, the HAR stays a valid HAR
/// with what fitted, and the final line says what is on disk and what is not.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported_and_the_har_keeps_what_fitted() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start_with(None, Duration::from_millis(300), &LONG_HEADER);
    let ca_dir = dir.path().join("ca");
    let proxy_ca = ca_dir.join("ca.pem");
    let url = format!("http://{}/saml", upstream.addr);

    // Without a limit: how big the HAR is after each capture and its response.
    let probe = dir.path().join("probe.har");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--har",
        probe.to_str().unwrap(),
    ]);
    let sizes: Vec<(u64, u64)> = (0..2)
        .map(
            |i| match post_and_watch(&proxy.addr, &proxy_ca, &url, &probe, i) {
                (201, Some(captured), Some(answered)) => (captured, answered),
                other => panic!("{other:?}: {}", proxy.stderr_text()),
            },
        )
        .collect();
    assert!(proxy.terminate().success());
    // A limit (whole 512-byte blocks) between the second capture and its response.
    let (captured, answered) = sizes[1];
    assert!(answered - captured > 2048, "{sizes:?}");
    let blocks = u64::midpoint(captured, answered) / 512;
    let limit = blocks * 512;
    assert!(
        captured + 256 < limit && limit + 256 < answered,
        "{sizes:?}"
    );

    let har = dir.path().join("full.har");
    let mut proxy = ProxyProcess::start_with_file_limit(
        blocks,
        &[
            "--ca-dir",
            ca_dir.to_str().unwrap(),
            "--har",
            har.to_str().unwrap(),
        ],
    );
    let got: Vec<_> = (0..4)
        .map(|i| post_and_watch(&proxy.addr, &proxy_ca, &url, &har, i))
        .collect();
    let statuses: Vec<u16> = got.iter().map(|g| g.0).collect();
    assert_eq!(statuses, [201; 4], "{}", proxy.stderr_text());
    assert!(got[0].2.is_some(), "the first capture fits: {got:?}");
    assert!(got[1].1.is_some() && got[1].2.is_none(), "{got:?}");
    assert!(got[2].1.is_none() && got[3].1.is_none(), "{got:?}");
    // Browsing goes on: a request without SAML, and every body reached the upstream.
    let other = through(
        &proxy.addr,
        &proxy_ca,
        &format!("http://{}/other", upstream.addr),
        None,
    );
    assert_eq!(other.status, 201);
    let requests = upstream.requests();
    assert_eq!(requests.len(), 2 + 4 + 1);
    for (_, body) in &requests[2..6] {
        assert_eq!(body, saml_form().as_bytes(), "forwarded byte for byte");
    }
    // Every capture was shown.
    let shown: Vec<String> = (0..4)
        .map(|_| proxy.stdout.recv_timeout(Duration::from_secs(20)).unwrap())
        .collect();
    assert!(
        shown.iter().all(|l| l.contains(" SAMLResponse: decoded")),
        "{shown:?}"
    );

    let status = proxy.terminate();
    let stderr = proxy.stderr_after_exit();
    assert_eq!(
        status.code(),
        Some(1),
        "a lost capture fails the run: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "samlint proxy: could not write the HAR: {}: File too large",
            har.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "samlint proxy: could not add a response to its entry in the HAR (the entry stays, \
             with status 0): {}: File too large",
            har.display()
        )),
        "{stderr}"
    );
    // What is on disk: a valid HAR with the captures that fitted.
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap())
        .unwrap_or_else(|e| panic!("the HAR is not JSON ({e}): {stderr}"));
    let entries = doc["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{stderr}");
    assert_eq!(entries[0]["response"]["status"], 201);
    assert_eq!(entries[1]["response"]["status"], 0);
    assert!(std::fs::metadata(&har).unwrap().len() <= limit);
    let last = stderr.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        format!(
            "samlint proxy: stopped; 4 SAML payload(s) captured; HAR {}: 2 entries on disk \
             (2 written now, 2 NOT written, 1 response NOT added: File too large (os error 27))",
            har.display()
        ),
        "{stderr}"
    );
    let (_, doc) = check_json(&[har.to_str().unwrap()]);
    assert_eq!(doc["inputs"][0]["error"], Value::Null);
    assert_eq!(subjects(&doc), ["jane.doe@example.com"; 2]);
}

/// The live view's footer tells a full disk as it happens, and once the screen is
/// given back the last line says what is on disk.
#[cfg(target_os = "linux")]
#[test]
fn the_live_view_shows_a_full_disk_as_it_happens() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Upstream::start(None);
    let ca_dir = dir.path().join("ca");
    let har = dir.path().join("live-full.har");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    // 10 kB: room for the head and one capture with its response (8.3 kB), not two.
    let mut tty = crate::tui::Tty::spawn_with_file_limit(
        20,
        &[
            "proxy",
            "--listen",
            &listen,
            "--ca-dir",
            ca_dir.to_str().unwrap(),
            "--har",
            har.to_str().unwrap(),
        ],
    );
    tty.wait_text("HAR written 0, pending 0, failed 0");
    let url = format!("http://{}/saml", plain.addr);
    for _ in 0..2 {
        let got = through(
            &listen,
            &ca_dir.join("ca.pem"),
            &url,
            Some(saml_form().as_bytes()),
        );
        assert_eq!(got.status, 201);
    }
    tty.wait_for("the failed write in the footer", |s| {
        s.contains("Payloads (2)")
            && s.contains("HAR written 1, pending 0, failed 1 (last: File too large")
    });
    tty.send(b"q");
    let status = tty.quit_cleanly();
    assert_eq!(status.exit_code(), 1, "a lost capture fails the run");
    let last = format!(
        "HAR {}: 1 entries on disk (1 written now, 1 NOT written: File too large (os error 27))",
        har.display()
    );
    tty.wait_output(&last);
    assert!(
        tty.output()
            .contains("samlint proxy: could not write the HAR: "),
        "{}",
        tty.output()
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    assert_eq!(doc["log"]["entries"].as_array().unwrap().len(), 1);
}

/// A browser's next tunnel to a host resumes its TLS session with the proxy (an
/// abbreviated handshake), as it would with the site itself.
#[test]
fn a_second_tunnel_to_a_host_resumes_the_tls_session() {
    let dir = tempfile::tempdir().unwrap();
    let (upstream_ca, tls) = upstream_tls(dir.path());
    let secure = Upstream::start(Some(tls));
    let ca_dir = dir.path().join("ca");
    let mut proxy = ProxyProcess::start(&[
        "--ca-dir",
        ca_dir.to_str().unwrap(),
        "--upstream-ca",
        upstream_ca.to_str().unwrap(),
    ]);
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(ca_dir.join("ca.pem")).unwrap();
    for cert in rustls_pki_types::pem::PemObject::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    // One client configuration, as a browser has: it keeps the session tickets.
    let config = Arc::new(
        rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth(),
    );
    let authority = secure.addr.to_string();
    let url = format!("https://{authority}/page");
    let kinds: Vec<_> = (0..2)
        .map(|_| {
            let tcp = tunnel(&proxy.addr, &authority);
            let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
            let conn = rustls::ClientConnection::new(Arc::clone(&config), name).unwrap();
            let mut stream = rustls::StreamOwned::new(conn, tcp);
            // A whole exchange: the session ticket comes after the handshake.
            assert_eq!(exchange(&mut stream, "/page", &url, None).status, 201);
            stream.conn.handshake_kind()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Some(rustls::HandshakeKind::Full),
            Some(rustls::HandshakeKind::Resumed)
        ],
        "{}",
        proxy.stderr_text()
    );
    assert!(proxy.terminate().success());
}

/// A free loopback port, for a proxy whose address is given rather than read (the
/// live view owns the screen).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

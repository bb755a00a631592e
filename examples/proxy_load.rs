//! Load through `samlint proxy` versus straight to the upstream, on loopback only
//! (run by `scripts/proxy-load`). Starts its own upstream (HTTP/1.1 keep-alive,
//! plain and TLS with a throwaway CA) and the proxy in-process (with the binary's
//! allocator), then runs `CLIENTS` clients (default 50), each sending `REQUESTS`
//! GETs (default 200) on one kept connection, for four cases: HTTP and HTTPS,
//! direct and through the proxy (HTTPS through a `CONNECT` tunnel, as a browser
//! does). Every case uses the same client: one connection each, keep-alive,
//! buffered reads, one untimed request first. `ROUNDS` rounds (default 5) take
//! turns over the cases, so other work on the machine hits them alike; the
//! medians follow. `CASES=http,https via` picks cases by prefix.
//!
//! Printed per case: requests per second, latency percentiles, CPU time per
//! request of the clients, the upstream and the proxy (from
//! `/proc/self/task/*/schedstat`, by thread name) and the upstream connections
//! opened during the case.

use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

const BODY: &[u8] = b"a small upstream answer, as most sign-in page assets are";

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

// The same allocator as the `samlint` binary, so the proxy measured here is the
// one that ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One case's result in one round.
struct Sample {
    rate: f64,
    p50: f64,
    p99: f64,
    max: f64,
    /// CPU microseconds per request: clients, upstream, proxy.
    cpu: [f64; 3],
    /// Upstream connections opened during the case.
    upstream_connections: usize,
}

fn main() -> anyhow::Result<()> {
    let env = |name: &str, default: usize| -> anyhow::Result<usize> {
        std::env::var(name).ok().map_or(Ok(default), |v| {
            v.parse().with_context(|| format!("{name}={v}"))
        })
    };
    let clients = env("CLIENTS", 50)?.clamp(1, 500);
    let requests = env("REQUESTS", 200)?.clamp(1, 100_000);
    let rounds = env("ROUNDS", 5)?.clamp(1, 50);
    let only = std::env::var("CASES").unwrap_or_default();
    let dir = tempfile::tempdir()?;
    let (upstream_ca, tls) = upstream_tls(dir.path())?;
    let accepted = Arc::new(AtomicUsize::new(0));
    let (plain, secure) = start_upstream(tls, Arc::clone(&accepted))?;

    let mut config =
        samlint::proxy::ProxyConfig::new("127.0.0.1:0".parse()?, dir.path().join("proxy-ca"));
    config.upstream_cas = vec![upstream_ca.clone()];
    let proxy = samlint::proxy::start(config)?;
    let proxy_addr = proxy.addr();
    let proxy_ca = proxy.ca_cert().to_owned();
    let mut out = std::io::stdout().lock();

    writeln!(
        out,
        "{clients} clients x {requests} requests each, {rounds} round(s), loopback; CPU: {}",
        cpu_model()
    )?;
    let cases: [(&str, SocketAddr, bool, Option<&Path>); 4] = [
        ("http direct", plain, false, None),
        ("http via proxy", plain, false, Some(&proxy_ca)),
        ("https direct", secure, true, None),
        ("https via proxy", secure, true, Some(&proxy_ca)),
    ];
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|(name, ..)| only.is_empty() || only.split(',').any(|c| name.starts_with(c.trim())))
        .collect();
    let mut samples: Vec<Vec<Sample>> = cases.iter().map(|_| Vec::new()).collect();
    let header = |out: &mut std::io::StdoutLock<'_>| {
        writeln!(
            out,
            "{:<22} {:>9} {:>7} {:>7} {:>7}   {:>21} {:>8}",
            "case", "req/s", "p50 ms", "p99 ms", "max ms", "CPU us/req cl/up/px", "up conns"
        )
    };
    // Rounds alternate the cases, so a burst of other work on the machine hits
    // direct and proxied alike.
    for round in 1..=rounds {
        writeln!(out, "round {round}")?;
        header(&mut out)?;
        for ((name, target, https, via), kept) in cases.iter().zip(&mut samples) {
            let opener = Opener {
                target: *target,
                https: *https,
                proxy: via.map(|ca| (proxy_addr, ca.to_owned())),
                upstream_ca: upstream_ca.clone(),
            };
            let before = (thread_cpu("upstream"), thread_cpu("samlint-proxy"));
            let accepted_before = accepted.load(Ordering::SeqCst);
            let (rate, mut latencies, client_ns) = run(&opener, clients, requests)?;
            let after = (thread_cpu("upstream"), thread_cpu("samlint-proxy"));
            latencies.sort_unstable();
            let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            #[allow(clippy::cast_precision_loss)]
            let per_request = |ns: u64| ns as f64 / 1000.0 / latencies.len() as f64;
            let sample = Sample {
                rate,
                p50: ms(pct(50)),
                p99: ms(pct(99)),
                max: ms(latencies[latencies.len() - 1]),
                cpu: [
                    per_request(client_ns),
                    per_request(after.0.saturating_sub(before.0)),
                    per_request(after.1.saturating_sub(before.1)),
                ],
                upstream_connections: accepted.load(Ordering::SeqCst) - accepted_before,
            };
            writeln!(out, "{}", line(name, &sample))?;
            out.flush()?;
            kept.push(sample);
        }
    }
    if rounds > 1 {
        writeln!(out, "median of {rounds} rounds")?;
        header(&mut out)?;
        let medians: Vec<Sample> = samples.iter().map(|s| median(s)).collect();
        for ((name, ..), m) in cases.iter().zip(&medians) {
            writeln!(out, "{}", line(name, m))?;
        }
        for scheme in ["http", "https"] {
            let rate = |via: &str| {
                cases
                    .iter()
                    .zip(&medians)
                    .find(|((name, ..), _)| *name == format!("{scheme} {via}"))
                    .map(|(_, m)| m.rate)
            };
            if let (Some(direct), Some(proxied)) = (rate("direct"), rate("via proxy")) {
                writeln!(
                    out,
                    "{scheme}: through the proxy {:.0} % of direct",
                    proxied / direct * 100.0
                )?;
            }
        }
    }
    proxy.shutdown();
    Ok(())
}

fn line(name: &str, s: &Sample) -> String {
    format!(
        "{name:<22} {:>9.0} {:>7.2} {:>7.2} {:>7.2}   {:>6.1} {:>6.1} {:>6.1}  {:>8}",
        s.rate, s.p50, s.p99, s.max, s.cpu[0], s.cpu[1], s.cpu[2], s.upstream_connections
    )
}

/// Each figure's median over the rounds (taken one figure at a time).
fn median(samples: &[Sample]) -> Sample {
    let of = |f: &dyn Fn(&Sample) -> f64| {
        let mut v: Vec<f64> = samples.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut conns: Vec<usize> = samples.iter().map(|s| s.upstream_connections).collect();
    conns.sort_unstable();
    Sample {
        rate: of(&|s| s.rate),
        p50: of(&|s| s.p50),
        p99: of(&|s| s.p99),
        max: of(&|s| s.max),
        cpu: [of(&|s| s.cpu[0]), of(&|s| s.cpu[1]), of(&|s| s.cpu[2])],
        upstream_connections: conns[conns.len() / 2],
    }
}

/// CPU time (ns) used so far by this process's threads named `name`, from
/// `/proc/self/task/*/schedstat` (0 where that is not available).
fn thread_cpu(name: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim_end() == name)
        })
        .filter_map(|t| schedstat(&t.path().join("schedstat")))
        .sum()
}

fn schedstat(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path)
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// How each client connects.
struct Opener {
    target: SocketAddr,
    https: bool,
    /// The proxy's address and CA, when going through it.
    proxy: Option<(SocketAddr, std::path::PathBuf)>,
    upstream_ca: std::path::PathBuf,
}

impl Opener {
    /// A kept connection, and the request target to use on it.
    fn open(&self) -> anyhow::Result<(Box<dyn Stream>, String)> {
        let t = self.target;
        match (&self.proxy, self.https) {
            (None, false) => Ok((Box::new(tcp(t)?), "/".to_owned())),
            (None, true) => Ok((tls_client(tcp(t)?, &self.upstream_ca)?, "/".to_owned())),
            (Some((proxy, _)), false) => Ok((Box::new(tcp(*proxy)?), format!("http://{t}/"))),
            (Some((proxy, ca)), true) => {
                let mut s = tcp(*proxy)?;
                write!(s, "CONNECT {t} HTTP/1.1\r\nHost: {t}\r\n\r\n")?;
                let head = read_head(&mut s)?;
                if !head.starts_with("HTTP/1.1 200") {
                    return Err(anyhow!("CONNECT {t}: {head}"));
                }
                Ok((tls_client(s, ca)?, "/".to_owned()))
            }
        }
    }
}

/// Runs the clients at once; returns requests per second, every latency and the
/// CPU time (ns) the clients used.
fn run(
    opener: &Opener,
    clients: usize,
    requests: usize,
) -> anyhow::Result<(f64, Vec<Duration>, u64)> {
    let barrier = Barrier::new(clients + 1);
    let host = opener.target.to_string();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let (barrier, host) = (&barrier, &host);
                scope.spawn(move || -> anyhow::Result<(Vec<Duration>, u64)> {
                    // Not timed: the connection, one request on it (the proxy's
                    // upstream connection, this thread's first allocations).
                    let warm = || -> anyhow::Result<_> {
                        let (mut stream, target) = opener.open()?;
                        let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n");
                        let mut reader = Reader::default();
                        stream.write_all(request.as_bytes())?;
                        reader.response(&mut *stream)?;
                        Ok((stream, request, reader))
                    };
                    let warmed = warm();
                    let cpu = || schedstat(Path::new("/proc/thread-self/schedstat")).unwrap_or(0);
                    let mut latencies = Vec::with_capacity(requests);
                    let _ = cpu();
                    barrier.wait();
                    let (mut stream, request, mut reader) = warmed?;
                    let cpu_before = cpu();
                    for _ in 0..requests {
                        let start = Instant::now();
                        stream.write_all(request.as_bytes())?;
                        reader.response(&mut *stream)?;
                        latencies.push(start.elapsed());
                    }
                    Ok((latencies, cpu().saturating_sub(cpu_before)))
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let mut all = Vec::with_capacity(clients * requests);
        let mut cpu = 0;
        for h in handles {
            let (latencies, used) = h.join().map_err(|_| anyhow!("a client panicked"))??;
            all.extend(latencies);
            cpu += used;
        }
        let elapsed = start.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = all.len() as f64 / elapsed;
        Ok((rate, all, cpu))
    })
}

/// Reads responses from a kept connection as a browser does: into a buffer,
/// as many bytes as are there, not a system call per byte.
#[derive(Default)]
struct Reader {
    buf: Vec<u8>,
}

impl Reader {
    /// Reads one whole response (head and `Content-Length` body).
    fn response(&mut self, stream: &mut dyn Read) -> anyhow::Result<()> {
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(i) = memchr::memmem::find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            self.fill(stream, &mut chunk)?;
        };
        let length = content_length(&String::from_utf8_lossy(&self.buf[..head_end]));
        while self.buf.len() < head_end + length {
            self.fill(stream, &mut chunk)?;
        }
        self.buf.drain(..head_end + length);
        Ok(())
    }

    fn fill(&mut self, stream: &mut dyn Read, chunk: &mut [u8]) -> anyhow::Result<()> {
        let n = stream.read(chunk)?;
        if n == 0 {
            return Err(anyhow!("connection closed mid-response"));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn tcp(addr: SocketAddr) -> anyhow::Result<TcpStream> {
    let s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(s)
}

fn read_head(stream: &mut dyn Read) -> anyhow::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(anyhow!("connection closed mid-response"));
        }
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}

fn tls_client(tcp: TcpStream, ca: &Path) -> anyhow::Result<Box<dyn Stream>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca)? {
        roots.add(cert?)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1")?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)?;
    Ok(Box::new(rustls::StreamOwned::new(conn, tcp)))
}

/// A throwaway CA (written to `dir/upstream-ca.pem`) and a server config for 127.0.0.1.
fn upstream_tls(dir: &Path) -> anyhow::Result<(std::path::PathBuf, Arc<rustls::ServerConfig>)> {
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let ca_path = dir.join("upstream-ca.pem");
    std::fs::write(&ca_path, ca_cert.pem())?;
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate()?;
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])?.signed_by(&key, &issuer)?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )?;
    Ok((ca_path, Arc::new(config)))
}

/// The upstream: HTTP/1.1 keep-alive on two loopback ports (plain, TLS), on a
/// runtime of its own; it lives as long as the process.
fn start_upstream(
    tls: Arc<rustls::ServerConfig>,
    accepted: Arc<AtomicUsize>,
) -> anyhow::Result<(SocketAddr, SocketAddr)> {
    let plain = std::net::TcpListener::bind("127.0.0.1:0")?;
    let secure = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addrs = (plain.local_addr()?, secure.local_addr()?);
    plain.set_nonblocking(true)?;
    secure.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("upstream")
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let (Ok(plain), Ok(secure)) = (
                tokio::net::TcpListener::from_std(plain),
                tokio::net::TcpListener::from_std(secure),
            ) else {
                return;
            };
            let acceptor = tokio_rustls::TlsAcceptor::from(tls);
            loop {
                tokio::select! {
                    Ok((s, _)) = plain.accept() => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        let _ = s.set_nodelay(true);
                        tokio::spawn(serve(s));
                    }
                    Ok((s, _)) = secure.accept() => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        let _ = s.set_nodelay(true);
                        let acceptor = acceptor.clone();
                        tokio::spawn(async move {
                            if let Ok(tls) = acceptor.accept(s).await {
                                serve(tls).await;
                            }
                        });
                    }
                }
            }
        });
    });
    Ok(addrs)
}

async fn serve<I>(io: I)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(|_req| async {
        Ok::<_, Infallible>(hyper::Response::new(Full::new(bytes::Bytes::from_static(
            BODY,
        ))))
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |m| {
                format!(
                    "{m} ({} threads)",
                    std::thread::available_parallelism().map_or(0, usize::from)
                )
            },
        )
}

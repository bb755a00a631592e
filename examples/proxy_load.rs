//! Load through `samlint proxy` versus straight to the upstream, on loopback only
//! (run by `scripts/proxy-load`). Starts its own upstream (HTTP/1.1 keep-alive,
//! plain and TLS with a throwaway CA) and the proxy in-process, then runs
//! `CLIENTS` clients (default 50), each sending `REQUESTS` GETs (default 200) on
//! one kept connection, for four cases: HTTP and HTTPS, direct and through the
//! proxy (HTTPS through a CONNECT tunnel, as a browser does). Prints requests per
//! second and latency percentiles for each.

use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
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

fn main() -> anyhow::Result<()> {
    let env = |name: &str, default: usize| -> anyhow::Result<usize> {
        std::env::var(name).ok().map_or(Ok(default), |v| {
            v.parse().with_context(|| format!("{name}={v}"))
        })
    };
    let clients = env("CLIENTS", 50)?.clamp(1, 500);
    let requests = env("REQUESTS", 200)?.clamp(1, 100_000);
    let dir = tempfile::tempdir()?;
    let (upstream_ca, tls) = upstream_tls(dir.path())?;
    let (plain, secure) = start_upstream(tls)?;

    let mut config =
        samlint::proxy::ProxyConfig::new("127.0.0.1:0".parse()?, dir.path().join("proxy-ca"));
    config.upstream_cas = vec![upstream_ca.clone()];
    let proxy = samlint::proxy::start(config)?;
    let proxy_addr = proxy.addr();
    let proxy_ca = proxy.ca_cert().to_owned();
    let mut out = std::io::stdout().lock();

    writeln!(
        out,
        "{clients} clients x {requests} requests each, loopback; CPU: {}",
        cpu_model()
    )?;
    writeln!(
        out,
        "{:<22} {:>10} {:>9} {:>9} {:>9}",
        "case", "req/s", "p50 ms", "p99 ms", "max ms"
    )?;
    let cases: [(&str, SocketAddr, bool, Option<&Path>); 4] = [
        ("http direct", plain, false, None),
        ("http via proxy", plain, false, Some(&proxy_ca)),
        ("https direct", secure, true, None),
        ("https via proxy", secure, true, Some(&proxy_ca)),
    ];
    for (name, target, https, via) in cases {
        let opener = Opener {
            target,
            https,
            proxy: via.map(|ca| (proxy_addr, ca.to_owned())),
            upstream_ca: upstream_ca.clone(),
        };
        let (rate, mut latencies) = run(&opener, clients, requests)?;
        latencies.sort_unstable();
        let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        writeln!(
            out,
            "{name:<22} {rate:>10.0} {:>9.2} {:>9.2} {:>9.2}",
            ms(pct(50)),
            ms(pct(99)),
            ms(latencies[latencies.len() - 1])
        )?;
        out.flush()?;
    }
    proxy.shutdown();
    Ok(())
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

/// Runs the clients at once; returns requests per second and every latency.
fn run(opener: &Opener, clients: usize, requests: usize) -> anyhow::Result<(f64, Vec<Duration>)> {
    let barrier = Barrier::new(clients + 1);
    let host = opener.target.to_string();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let (barrier, host) = (&barrier, &host);
                scope.spawn(move || -> anyhow::Result<Vec<Duration>> {
                    let connection = opener.open();
                    barrier.wait();
                    let (mut stream, target) = connection?;
                    let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n");
                    let mut latencies = Vec::with_capacity(requests);
                    for _ in 0..requests {
                        let start = Instant::now();
                        stream.write_all(request.as_bytes())?;
                        let head = read_head(&mut *stream)?;
                        let length = content_length(&head);
                        let mut body = vec![0; length];
                        stream.read_exact(&mut body)?;
                        latencies.push(start.elapsed());
                    }
                    Ok(latencies)
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let mut all = Vec::with_capacity(clients * requests);
        for h in handles {
            let latencies = h.join().map_err(|_| anyhow!("a client panicked"))??;
            all.extend(latencies);
        }
        let elapsed = start.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = all.len() as f64 / elapsed;
        Ok((rate, all))
    })
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
fn start_upstream(tls: Arc<rustls::ServerConfig>) -> anyhow::Result<(SocketAddr, SocketAddr)> {
    let plain = std::net::TcpListener::bind("127.0.0.1:0")?;
    let secure = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addrs = (plain.local_addr()?, secure.local_addr()?);
    plain.set_nonblocking(true)?;
    secure.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
                        let _ = s.set_nodelay(true);
                        tokio::spawn(serve(s));
                    }
                    Ok((s, _)) = secure.accept() => {
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

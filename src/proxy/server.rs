//! The proxy server: plain HTTP requests in absolute form, and HTTPS through
//! `CONNECT`, intercepted with a leaf certificate from the capture CA. Every
//! request and response is forwarded as it came (status, headers, body); only
//! form-POST bodies are buffered (up to a cap) to look for SAML, everything else
//! is streamed.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri, Version};
use hyper_util::rt::TokioIo;
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ServerConfig};
use rustls_pki_types::ServerName;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::ca::CertificateAuthority;
use super::capture::{self, Exchange, ResponseHead};

/// How long opening an upstream connection (TCP and TLS) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long open connections get to finish after a shutdown request.
const GRACE: Duration = Duration::from_secs(1);

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
pub struct Shared {
    pub ca: CertificateAuthority,
    pub provider: Arc<CryptoProvider>,
    pub upstream_tls: Arc<ClientConfig>,
    pub exchanges: Sender<Exchange>,
    pub notices: Sender<String>,
    /// Largest form body buffered to look for SAML; larger ones are streamed unrecorded.
    pub max_body: usize,
}

impl Shared {
    fn notice(&self, message: String) {
        let _ = self.notices.send(message);
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

/// An intercepted `CONNECT` tunnel: its target, and the upstream connection kept
/// open for the next request on it.
struct Tunnel {
    target: Target,
    upstream: tokio::sync::Mutex<Option<SendRequest<ProxyBody>>>,
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

/// Accepts connections until `stop` changes, then gives open connections a short
/// grace period.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tasks.spawn(serve_client(stream, Arc::clone(&shared)));
                }
                // Out of file descriptors and the like: back off, keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            _ = stop.changed() => break,
        }
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, async { while tasks.join_next().await.is_some() {} }).await;
    tasks.abort_all();
}

async fn serve_client(stream: TcpStream, shared: Arc<Shared>) {
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(req, shared, None).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .preserve_header_case(true)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades()
        .await;
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
        return connect(req, shared);
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

/// Answers `CONNECT host:port` with 200, then speaks TLS to the client as that host.
fn connect(req: Request<Incoming>, shared: Arc<Shared>) -> Response<ProxyBody> {
    let Some(authority) = req.uri().authority() else {
        return text_response(
            StatusCode::BAD_REQUEST,
            "samlint proxy: CONNECT needs host:port\n",
        );
    };
    let target = Target {
        scheme: Scheme::Https,
        host: authority.host().to_owned(),
        port: authority.port_u16().unwrap_or(443),
    };
    tokio::spawn(async move {
        match hyper::upgrade::on(req).await {
            Ok(upgraded) => intercept(TokioIo::new(upgraded), shared, target).await,
            Err(e) => shared.notice(format!("CONNECT {}: {e}", target.authority())),
        }
    });
    Response::new(ProxyBody::empty())
}

async fn intercept(client: TokioIo<hyper::upgrade::Upgraded>, shared: Arc<Shared>, target: Target) {
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
    let tunnel = Arc::new(Tunnel {
        target,
        upstream: tokio::sync::Mutex::new(None),
    });
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        let tunnel = Arc::clone(&tunnel);
        async move { Ok::<_, Infallible>(handle(req, shared, Some(tunnel)).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .preserve_header_case(true)
        .serve_connection(TokioIo::new(tls), service)
        .with_upgrades()
        .await;
}

fn server_config(shared: &Shared, target: &Target) -> Result<Arc<ServerConfig>, String> {
    let leaf = shared
        .ca
        .leaf(target.bare_host())
        .map_err(|e| e.to_string())?;
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
    shared: &Shared,
    target: &Target,
    tunnel: Option<&Tunnel>,
) -> Response<ProxyBody> {
    let started = Utc::now();
    let clock = Instant::now();
    let upgrade = req.headers().contains_key(header::UPGRADE);
    let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut req));
    let (mut parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", hyper::http::uri::PathAndQuery::as_str)
        .to_owned();
    let url = format!(
        "{}://{}{}",
        target.scheme.as_str(),
        target.authority(),
        path
    );
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let (body, form) = if capture::is_form_post(parts.method.as_str(), content_type.as_deref()) {
        match buffer(body, shared.max_body).await {
            Ok(b) => b,
            Err(e) => {
                return text_response(
                    StatusCode::BAD_REQUEST,
                    &format!("samlint proxy: reading the request body failed: {e}\n"),
                );
            }
        }
    } else {
        (ProxyBody::stream(body), None)
    };
    let found = capture::find(&url, form.as_deref());
    let request_headers = if found.is_empty() {
        Vec::new()
    } else {
        header_list(&parts.headers)
    };
    let method = parts.method.to_string();
    let http_version = version_str(parts.version);

    strip_hop_by_hop(&mut parts.headers, upgrade);
    if !parts.headers.contains_key(header::HOST)
        && let Ok(host) = HeaderValue::from_str(&target.authority())
    {
        parts.headers.insert(header::HOST, host);
    }
    parts.uri = match path.parse() {
        Ok(uri) => uri,
        Err(_) => Uri::from_static("/"),
    };
    let upstream_req = Request::from_parts(parts, body);

    let result = send_upstream(upstream_req, shared, target, tunnel).await;
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
        Err(e) => {
            shared.notice(format!("{method} {url}: upstream: {e}"));
            text_response(
                StatusCode::BAD_GATEWAY,
                &format!("samlint proxy: upstream {}: {e}\n", target.authority()),
            )
        }
    };
    if !found.is_empty() {
        let status = response.status();
        let exchange = Exchange {
            started,
            method,
            url,
            http_version,
            request_headers,
            body: form,
            mime_type: content_type,
            response: ResponseHead {
                status: status.as_u16(),
                status_text: status.canonical_reason().unwrap_or_default().to_owned(),
                http_version: version_str(response.version()),
                headers: header_list(response.headers()),
            },
            wait_ms,
            found,
        };
        let _ = shared.exchanges.send(exchange);
    }
    // The client speaks HTTP/1.x with us whatever the upstream did.
    *response.version_mut() = Version::HTTP_11;
    response
}

/// Sends a request upstream: on the tunnel's kept connection when it is still
/// usable (a request it could not take is sent on a new one), else on a new
/// connection, which the tunnel then keeps.
async fn send_upstream(
    mut req: Request<ProxyBody>,
    shared: &Shared,
    target: &Target,
    tunnel: Option<&Tunnel>,
) -> Result<Response<Incoming>, String> {
    if let Some(tunnel) = tunnel {
        let kept = tunnel.upstream.lock().await.take();
        if let Some(mut sender) = kept
            && sender.ready().await.is_ok()
        {
            match sender.try_send_request(req).await {
                Ok(resp) => {
                    keep(tunnel, sender, &resp).await;
                    return Ok(resp);
                }
                Err(mut e) => match e.take_message() {
                    Some(unsent) => req = unsent,
                    None => return Err(e.into_error().to_string()),
                },
            }
        }
    }
    let mut sender = open_upstream(shared, target).await?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    if let Some(tunnel) = tunnel {
        keep(tunnel, sender, &resp).await;
    }
    Ok(resp)
}

/// Keeps an upstream connection for the tunnel's next request, unless it was
/// upgraded to another protocol.
async fn keep(tunnel: &Tunnel, sender: SendRequest<ProxyBody>, resp: &Response<Incoming>) {
    if resp.status() != StatusCode::SWITCHING_PROTOCOLS {
        *tunnel.upstream.lock().await = Some(sender);
    }
}

async fn open_upstream(shared: &Shared, target: &Target) -> Result<SendRequest<ProxyBody>, String> {
    let connect = async {
        let tcp = TcpStream::connect((target.bare_host(), target.port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let _ = tcp.set_nodelay(true);
        match target.scheme {
            Scheme::Http => handshake(TokioIo::new(tcp)).await,
            Scheme::Https => {
                let name = ServerName::try_from(target.bare_host().to_owned())
                    .map_err(|e| format!("not a TLS server name: {e}"))?;
                let tls = TlsConnector::from(Arc::clone(&shared.upstream_tls))
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS: {e}"))?;
                handshake(TokioIo::new(tls)).await
            }
        }
    };
    tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| "timed out connecting".to_owned())?
}

async fn handshake<T>(io: T) -> Result<SendRequest<ProxyBody>, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::Builder::new()
        .preserve_header_case(true)
        .handshake(io)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.with_upgrades().await;
    });
    Ok(sender)
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

/// Reads a form body up to `cap` bytes. Within the cap it is returned whole (to
/// look for SAML); past it, what was read is sent first and the rest streamed.
async fn buffer(
    mut body: Incoming,
    cap: usize,
) -> Result<(ProxyBody, Option<Bytes>), hyper::Error> {
    let mut buf = BytesMut::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            buf.extend_from_slice(&data);
            if buf.len() > cap {
                return Ok((
                    ProxyBody::Stream {
                        prefix: Some(buf.freeze()),
                        rest: body,
                    },
                    None,
                ));
            }
        }
    }
    let bytes = buf.freeze();
    Ok((ProxyBody::Full(Some(bytes.clone())), Some(bytes)))
}

fn strip_hop_by_hop(headers: &mut HeaderMap, keep_upgrade: bool) {
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

/// A body passed through: bytes in memory, or an incoming body (after any bytes
/// already read from it).
pub enum ProxyBody {
    Full(Option<Bytes>),
    Stream {
        prefix: Option<Bytes>,
        rest: Incoming,
    },
}

impl ProxyBody {
    fn empty() -> Self {
        ProxyBody::Full(None)
    }

    fn stream(rest: Incoming) -> Self {
        ProxyBody::Stream { prefix: None, rest }
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
            ProxyBody::Stream { prefix, rest } => {
                if let Some(p) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(p))));
                }
                Pin::new(rest).poll_frame(cx)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ProxyBody::Full(bytes) => bytes.is_none(),
            ProxyBody::Stream { prefix, rest } => prefix.is_none() && rest.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ProxyBody::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, len_u64)),
            ProxyBody::Stream { prefix, rest } => {
                let inner = rest.size_hint();
                let extra = prefix.as_ref().map_or(0, len_u64);
                let mut hint = SizeHint::new();
                if let Some(upper) = inner.upper() {
                    hint.set_upper(upper.saturating_add(extra));
                }
                hint.set_lower(inner.lower().saturating_add(extra));
                hint
            }
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

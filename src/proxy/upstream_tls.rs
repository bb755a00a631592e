//! How upstream servers' certificates are checked, as a browser would: against
//! the platform's trust store (where a corporate TLS-inspection root lives),
//! then the built-in web PKI roots; plus each `--upstream-ca`, which is trusted
//! as a CA and also pinned: a server presenting exactly that certificate (a
//! self-signed one made with `openssl req -x509`, say) is accepted as curl and
//! browsers accept it.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

#[derive(Debug)]
pub(crate) struct UpstreamVerifier {
    pinned: Vec<CertificateDer<'static>>,
    /// The platform's trust store (plus `--upstream-ca`), when it could be read.
    platform: Option<rustls_platform_verifier::Verifier>,
    /// The web PKI roots (plus `--upstream-ca`).
    webpki: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
}

impl UpstreamVerifier {
    /// `extra`: the `--upstream-ca` certificates.
    pub(crate) fn new(
        provider: &Arc<CryptoProvider>,
        extra: Vec<CertificateDer<'static>>,
    ) -> Result<Self, String> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        // A certificate that is not a usable trust anchor may still be pinned.
        let _ = roots.add_parsable_certificates(extra.iter().cloned());
        let webpki =
            WebPkiServerVerifier::builder_with_provider(roots.into(), Arc::clone(provider))
                .build()
                .map_err(|e| e.to_string())?;
        let platform = rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra.iter().cloned(),
            Arc::clone(provider),
        )
        .or_else(|_| rustls_platform_verifier::Verifier::new(Arc::clone(provider)))
        .ok();
        Ok(UpstreamVerifier {
            pinned: extra,
            platform,
            webpki,
            provider: Arc::clone(provider),
        })
    }
}

impl ServerCertVerifier for UpstreamVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_ref() == end_entity.as_ref())
        {
            return Ok(ServerCertVerified::assertion());
        }
        let webpki = || {
            self.webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            )
        };
        match &self.platform {
            Some(platform) => platform
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                .or_else(|platform_error| webpki().map_err(|_| platform_error)),
            None => webpki(),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

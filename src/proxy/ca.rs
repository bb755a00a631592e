//! The proxy's own certificate authority: created once in the CA directory as
//! `ca.pem` + `ca-key.pem` (the key readable by its owner only), reused on later
//! runs, and used to mint one leaf certificate per intercepted host.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

/// File name of the CA certificate in the CA directory.
pub(crate) const CA_CERT_FILE: &str = "ca.pem";
/// File name of the CA private key in the CA directory.
pub(crate) const CA_KEY_FILE: &str = "ca-key.pem";

/// Common name of every CA this proxy creates; the creation time follows it.
const CA_COMMON_NAME: &str = "samlint capture proxy CA";
/// How long a new CA is valid.
const CA_VALIDITY_DAYS: i64 = 3650;
/// How long a leaf is valid (leaves live in memory for one run only).
const LEAF_VALIDITY_DAYS: i64 = 30;

#[derive(Debug, thiserror::Error)]
/// Messages leave the cause out: it is the error's source, printed after it.
pub enum CaError {
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: not a usable CA file", path.display())]
    Parse {
        path: PathBuf,
        #[source]
        source: rcgen::Error,
    },
    #[error(
        "{}: {present} exists but {missing} does not; restore it, or remove {present} to create a new CA",
        dir.display()
    )]
    Incomplete {
        dir: PathBuf,
        present: &'static str,
        missing: &'static str,
    },
    #[error("{}: the certificate does not belong to the key in {CA_KEY_FILE}", path.display())]
    Mismatch { path: PathBuf },
    #[error("could not create the CA")]
    Create(#[source] rcgen::Error),
    #[error("could not create a certificate for {host}")]
    Leaf {
        host: String,
        #[source]
        source: rcgen::Error,
    },
}

/// A certificate chain and key for one intercepted host.
#[derive(Debug)]
pub(crate) struct Leaf {
    /// The leaf, then the CA.
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// The loaded (or freshly created) CA and its cache of leaves.
pub(crate) struct CertificateAuthority {
    issuer: Issuer<'static, KeyPair>,
    cert_der: CertificateDer<'static>,
    cert_path: PathBuf,
    created: bool,
    leaves: Mutex<HashMap<String, Arc<Leaf>>>,
}

impl std::fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field("cert_path", &self.cert_path)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

impl CertificateAuthority {
    /// Loads `ca.pem` + `ca-key.pem` from `dir`, or creates them when neither
    /// exists. One file without the other is an error: nothing is overwritten.
    pub(crate) fn load_or_create(dir: &Path) -> Result<Self, CaError> {
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        match (cert_path.exists(), key_path.exists()) {
            (true, true) => Self::load(cert_path, &key_path),
            (false, false) => Self::create(dir, cert_path, &key_path),
            (true, false) => Err(CaError::Incomplete {
                dir: dir.to_owned(),
                present: CA_CERT_FILE,
                missing: CA_KEY_FILE,
            }),
            (false, true) => Err(CaError::Incomplete {
                dir: dir.to_owned(),
                present: CA_KEY_FILE,
                missing: CA_CERT_FILE,
            }),
        }
    }

    fn load(cert_path: PathBuf, key_path: &Path) -> Result<Self, CaError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| CaError::Io { path, source }
        };
        let cert_pem = fs::read_to_string(&cert_path).map_err(io(&cert_path))?;
        let key_pem = fs::read_to_string(key_path).map_err(io(key_path))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|source| CaError::Parse {
            path: key_path.to_owned(),
            source,
        })?;
        let cert_der = pem_certificate(&cert_pem).ok_or_else(|| CaError::Parse {
            path: cert_path.clone(),
            source: rcgen::Error::CouldNotParseCertificate,
        })?;
        // The certificate embeds its SubjectPublicKeyInfo verbatim.
        if memchr::memmem::find(
            cert_der.as_ref(),
            &rcgen::PublicKeyData::subject_public_key_info(&key),
        )
        .is_none()
        {
            return Err(CaError::Mismatch { path: cert_path });
        }
        let issuer = Issuer::from_ca_cert_der(&cert_der, key).map_err(|source| CaError::Parse {
            path: cert_path.clone(),
            source,
        })?;
        Ok(CertificateAuthority {
            issuer,
            cert_der,
            cert_path,
            created: false,
            leaves: Mutex::new(HashMap::new()),
        })
    }

    fn create(dir: &Path, cert_path: PathBuf, key_path: &Path) -> Result<Self, CaError> {
        fs::create_dir_all(dir).map_err(|source| CaError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let key = KeyPair::generate().map_err(CaError::Create)?;
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            format!(
                "{CA_COMMON_NAME} {}",
                chrono::Utc::now().format("%Y-%m-%d %H:%M:%S")
            ),
        );
        dn.push(DnType::OrganizationName, "samlint");
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(CA_VALIDITY_DAYS);
        let cert = params.self_signed(&key).map_err(CaError::Create)?;

        write_new(key_path, key.serialize_pem().as_bytes(), 0o600)?;
        write_new(&cert_path, cert.pem().as_bytes(), 0o644)?;
        Ok(CertificateAuthority {
            issuer: Issuer::new(params, key),
            cert_der: cert.der().clone(),
            cert_path,
            created: true,
            leaves: Mutex::new(HashMap::new()),
        })
    }

    /// Where the CA certificate is (what a browser must trust).
    pub(crate) fn cert_path(&self) -> &Path {
        &self.cert_path
    }

    /// Whether this run created the CA (so the install hint matters).
    pub(crate) fn created(&self) -> bool {
        self.created
    }

    /// The CA certificate.
    #[cfg(test)]
    pub(crate) fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// The leaf for `host` (a DNS name or an IP address, IPv6 with or without
    /// brackets), minted on first use and cached for the rest of the run.
    pub(crate) fn leaf(&self, host: &str) -> Result<Arc<Leaf>, CaError> {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if let Some(leaf) = self.lock_leaves().get(&host) {
            return Ok(Arc::clone(leaf));
        }
        let leaf = Arc::new(self.mint(&host)?);
        self.lock_leaves()
            .entry(host)
            .or_insert_with(|| Arc::clone(&leaf));
        Ok(leaf)
    }

    fn lock_leaves(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Leaf>>> {
        // A panic while holding the lock leaves the map consistent (inserts only).
        self.leaves
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn mint(&self, host: &str) -> Result<Leaf, CaError> {
        let err = |source| CaError::Leaf {
            host: host.to_owned(),
            source,
        };
        let key = KeyPair::generate().map_err(err)?;
        let mut params = CertificateParams::default();
        params.subject_alt_names = vec![san_for(host).map_err(err)?];
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, host);
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(LEAF_VALIDITY_DAYS);
        let cert = params.signed_by(&key, &self.issuer).map_err(err)?;
        Ok(Leaf {
            chain: vec![cert.der().clone(), self.cert_der.clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        })
    }
}

/// An IP-address SAN for an IP literal, a DNS SAN otherwise.
pub(crate) fn san_for(host: &str) -> Result<SanType, rcgen::Error> {
    match host.parse::<IpAddr>() {
        Ok(ip) => Ok(SanType::IpAddress(ip)),
        Err(_) => Ok(SanType::DnsName(host.try_into()?)),
    }
}

/// The first certificate in a PEM text.
pub(crate) fn pem_certificate(pem: &str) -> Option<CertificateDer<'static>> {
    use rustls_pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()
        .and_then(Result::ok)
}

/// Writes a file that must not exist yet, with `mode` on Unix.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CaError> {
    let err = |source| CaError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)
}

/// How to trust (and later remove) the CA, for the install hint.
pub(crate) fn install_hint(cert_path: &Path) -> String {
    let p = cert_path.display();
    format!(
        "samlint proxy CA certificate: {p}\n\
         Trust it once so HTTPS sign-ins can be recorded (see docs/proxy.md; remove it when done):\n\
         \x20 Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import\n\
         \x20 Chrome/Edge: Settings > Privacy and security > Security > Manage certificates > Authorities > Import\n\
         \x20 macOS: security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db {p}\n\
         \x20 Linux (system): sudo cp {p} /usr/local/share/ca-certificates/samlint-proxy.crt && sudo update-ca-certificates\n\
         \x20 Linux (Chrome, NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n samlint-proxy -i {p}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn san_of(leaf: &Leaf) -> Vec<u8> {
        leaf.chain[0].as_ref().to_vec()
    }

    #[test]
    fn ca_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = CertificateAuthority::load_or_create(dir.path()).unwrap();
        assert!(first.created());
        let pem = fs::read_to_string(dir.path().join(CA_CERT_FILE)).unwrap();
        let key = fs::read_to_string(dir.path().join(CA_KEY_FILE)).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(key.contains("PRIVATE KEY"));

        let second = CertificateAuthority::load_or_create(dir.path()).unwrap();
        assert!(!second.created());
        assert_eq!(first.cert_der(), second.cert_der());
        assert_eq!(
            fs::read_to_string(dir.path().join(CA_KEY_FILE)).unwrap(),
            key
        );
        // A leaf minted by the reloaded CA names the same issuer.
        let leaf = second.leaf("example.com").unwrap();
        assert_eq!(&leaf.chain[1], first.cert_der());
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        CertificateAuthority::load_or_create(dir.path()).unwrap();
        let mode = fs::metadata(dir.path().join(CA_KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn half_a_ca_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        CertificateAuthority::load_or_create(dir.path()).unwrap();
        fs::remove_file(dir.path().join(CA_KEY_FILE)).unwrap();
        let e = CertificateAuthority::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(e, CaError::Incomplete { .. }), "{e}");
        assert!(dir.path().join(CA_CERT_FILE).exists());
    }

    #[test]
    fn a_foreign_key_is_refused() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        CertificateAuthority::load_or_create(a.path()).unwrap();
        CertificateAuthority::load_or_create(b.path()).unwrap();
        fs::copy(b.path().join(CA_KEY_FILE), a.path().join(CA_KEY_FILE)).unwrap();
        let e = CertificateAuthority::load_or_create(a.path()).unwrap_err();
        assert!(matches!(e, CaError::Mismatch { .. }), "{e}");
    }

    #[test]
    fn leaf_sans_are_ip_or_dns() {
        assert!(matches!(san_for("127.0.0.1"), Ok(SanType::IpAddress(_))));
        assert!(matches!(san_for("::1"), Ok(SanType::IpAddress(_))));
        assert!(matches!(
            san_for("signin.aws.amazon.com"),
            Ok(SanType::DnsName(_))
        ));

        let dir = tempfile::tempdir().unwrap();
        let ca = CertificateAuthority::load_or_create(dir.path()).unwrap();
        // An IP SAN is the 4 address bytes under context tag [7].
        let ip = san_of(&ca.leaf("127.0.0.1").unwrap());
        assert!(
            memchr::memmem::find(&ip, &[0x87, 4, 127, 0, 0, 1]).is_some(),
            "no IP SAN"
        );
        let v6 = san_of(&ca.leaf("[::1]").unwrap());
        let mut v6_san = vec![0x87, 16];
        v6_san.extend_from_slice(&[0; 15]);
        v6_san.push(1);
        assert!(memchr::memmem::find(&v6, &v6_san).is_some(), "no IPv6 SAN");
        // A DNS SAN is the name under context tag [2].
        let dns = san_of(&ca.leaf("Signin.AWS.amazon.com").unwrap());
        let name = b"signin.aws.amazon.com";
        let mut dns_san = vec![0x82, u8::try_from(name.len()).unwrap()];
        dns_san.extend_from_slice(name);
        assert!(memchr::memmem::find(&dns, &dns_san).is_some(), "no DNS SAN");
    }

    #[test]
    fn leaves_are_cached_per_host() {
        let dir = tempfile::tempdir().unwrap();
        let ca = CertificateAuthority::load_or_create(dir.path()).unwrap();
        let a = ca.leaf("example.com").unwrap();
        let b = ca.leaf("EXAMPLE.com").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let c = ca.leaf("example.org").unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
    }
}

//! The signature maths, with aws-lc-rs, and the key-size policy every algorithm shares.
//!
//! Policy (docs/verification.md, "Algorithms and keys"): an RSA key of 1024 to 8192 bits
//! is checked with every RSA method (PKCS#1 v1.5 with SHA-1/256/384/512, PSS with
//! SHA-256/384/512); an EC key on P-256, P-384 or P-521 with ECDSA-SHA256/384/512,
//! whatever the pairing of curve and digest. Anything else is not evaluated, and the
//! message says which rule of the policy it breaks, never which library lacks what.

use std::cell::RefCell;

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self as lc, ParsedPublicKey, VerificationAlgorithm};

/// A public key in the form aws-lc-rs takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// DER `RSAPublicKey` and the modulus size in bits.
    Rsa(Vec<u8>, usize),
    /// Uncompressed point.
    EcP256(Vec<u8>),
    EcP384(Vec<u8>),
    EcP521(Vec<u8>),
    /// A key samlint cannot use (named by algorithm or curve OID).
    Unsupported(String),
}
use super::algorithms::{DigestAlg, KeyKind, SignatureAlg};

/// RSA moduli samlint verifies, in bits, for every RSA signature method.
pub(crate) const RSA_BITS: std::ops::RangeInclusive<usize> = 1024..=8192;

/// The digest of `data` (References, certificate fingerprints).
pub(crate) fn digest(alg: DigestAlg, data: &[u8]) -> digest::Digest {
    digest::digest(digest_alg(alg), data)
}

fn digest_alg(alg: DigestAlg) -> &'static digest::Algorithm {
    match alg {
        DigestAlg::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        DigestAlg::Sha256 => &digest::SHA256,
        DigestAlg::Sha384 => &digest::SHA384,
        DigestAlg::Sha512 => &digest::SHA512,
    }
}

/// Whether `value` is a valid `alg` signature of `signed` under `key`. `Err` names the
/// rule of the key policy the pair breaks (then nothing was checked).
pub(crate) fn verify_raw(
    key: &PublicKey,
    alg: SignatureAlg,
    signed: &[u8],
    value: &[u8],
) -> Result<bool, String> {
    let alg = match (key, alg.key) {
        (PublicKey::Rsa(_, bits), KeyKind::Rsa | KeyKind::RsaPss) if !RSA_BITS.contains(bits) => {
            return Err(format!(
                "RSA key of {bits} bits (samlint verifies RSA keys of {} to {} bits)",
                RSA_BITS.start(),
                RSA_BITS.end()
            ));
        }
        (PublicKey::Rsa(..), KeyKind::RsaPss) if alg.digest == DigestAlg::Sha1 => {
            return Err("RSA-PSS with SHA-1 is not supported".to_owned());
        }
        (_, KeyKind::Ecdsa) if alg.digest == DigestAlg::Sha1 => {
            return Err("ECDSA with SHA-1 is not supported".to_owned());
        }
        (PublicKey::Rsa(k, bits), KeyKind::Rsa | KeyKind::RsaPss) => {
            return Ok(match rsa_params(alg, *bits) {
                Some(params) => parsed_keys::verify(params, k, signed, value),
                None => small_rsa::verify(alg, k, signed, value),
            });
        }
        (PublicKey::EcP256(_), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha384 => &lc::ECDSA_P256_SHA384_ASN1,
            DigestAlg::Sha512 => &lc::ECDSA_P256_SHA512_ASN1,
            _ => &lc::ECDSA_P256_SHA256_ASN1,
        },
        (PublicKey::EcP384(_), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha256 => &lc::ECDSA_P384_SHA256_ASN1,
            DigestAlg::Sha512 => &lc::ECDSA_P384_SHA512_ASN1,
            _ => &lc::ECDSA_P384_SHA384_ASN1,
        },
        (PublicKey::EcP521(_), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha256 => &lc::ECDSA_P521_SHA256_ASN1,
            DigestAlg::Sha384 => &lc::ECDSA_P521_SHA384_ASN1,
            _ => &lc::ECDSA_P521_SHA512_ASN1,
        },
        (PublicKey::Unsupported(what), _) => return Err(format!("the {what} is not supported")),
        // A key of another kind than the method (an EC key for RSA-SHA256...).
        _ => return Ok(false),
    };
    let (PublicKey::EcP256(k) | PublicKey::EcP384(k) | PublicKey::EcP521(k)) = key else {
        return Ok(false);
    };
    let half = match key {
        PublicKey::EcP256(_) => 32,
        PublicKey::EcP384(_) => 48,
        _ => 66,
    };
    // XML-DSig ECDSA values are r‖s; the ASN.1 forms cover every curve × digest pair.
    Ok(raw_to_der(value, half).is_some_and(|der| parsed_keys::verify(alg, k, signed, &der)))
}

/// aws-lc-rs parameters for an RSA method and key size, or `None` for the pairs it
/// has no parameters for: SHA-384 PKCS#1 v1.5 and PSS under 2048 bits.
fn rsa_params(alg: SignatureAlg, bits: usize) -> Option<&'static lc::RsaParameters> {
    Some(match (alg.key, alg.digest) {
        (KeyKind::Rsa, DigestAlg::Sha1) => &lc::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (KeyKind::Rsa, DigestAlg::Sha256) => &lc::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        (KeyKind::Rsa, DigestAlg::Sha512) => &lc::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        _ if bits < 2048 => return None,
        (KeyKind::Rsa, DigestAlg::Sha384) => &lc::RSA_PKCS1_2048_8192_SHA384,
        (_, DigestAlg::Sha384) => &lc::RSA_PSS_2048_8192_SHA384,
        (_, DigestAlg::Sha512) => &lc::RSA_PSS_2048_8192_SHA512,
        _ => &lc::RSA_PSS_2048_8192_SHA256,
    })
}

/// The two RSA pairs of the policy aws-lc-rs offers no parameters for (SHA-384 PKCS#1
/// v1.5 and PSS with a 1024–2047-bit key), with the `rsa` crate that key transport
/// needs anyway. Public-key operations only: nothing secret is at stake.
mod small_rsa {
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    use rsa::signature::Verifier as _;

    use super::{DigestAlg, KeyKind, SignatureAlg};

    pub(super) fn verify(alg: SignatureAlg, key: &[u8], signed: &[u8], value: &[u8]) -> bool {
        let Ok(key) = rsa::PublicKey::from_pkcs1_der(key) else {
            return false;
        };
        match (alg.key, alg.digest) {
            (KeyKind::Rsa, DigestAlg::Sha384) => rsa::pkcs1v15::Signature::try_from(value)
                .is_ok_and(|s| {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
                        .verify(signed, &s)
                        .is_ok()
                }),
            (KeyKind::RsaPss, d) => rsa::pss::Signature::try_from(value).is_ok_and(|s| match d {
                // The salt is as long as the digest, as XML-DSig PSS defaults to.
                DigestAlg::Sha384 => {
                    rsa::pss::VerifyingKey::<sha2::Sha384>::new_with_salt_len(key, 48)
                        .verify(signed, &s)
                        .is_ok()
                }
                DigestAlg::Sha512 => {
                    rsa::pss::VerifyingKey::<sha2::Sha512>::new_with_salt_len(key, 64)
                        .verify(signed, &s)
                        .is_ok()
                }
                _ => rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_salt_len(key, 32)
                    .verify(signed, &s)
                    .is_ok(),
            }),
            _ => false,
        }
    }
}

/// Parsed keys kept per thread: a batch checks thousands of responses signed by the
/// same IdP key, and parsing an RSA modulus (its Montgomery constants) is a third of an
/// RSA-2048 verify.
mod parsed_keys {
    use super::{ParsedPublicKey, RefCell, VerificationAlgorithm};

    /// Keys come from trust and from KeyInfo (which an attacker controls): the cache
    /// is bounded, and simply emptied when full.
    const MAX_KEYS: usize = 32;

    /// (algorithm, key bytes, parsed key or `None` when it does not parse).
    type Entry = (
        &'static dyn VerificationAlgorithm,
        Vec<u8>,
        Option<ParsedPublicKey>,
    );

    thread_local! {
        static KEYS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    }

    /// Whether `value` is a valid signature of `signed` under `key` (PKCS#1
    /// `RSAPublicKey` DER, or an uncompressed EC point); a key that does not parse
    /// verifies nothing.
    pub(super) fn verify(
        alg: &'static dyn VerificationAlgorithm,
        key: &[u8],
        signed: &[u8],
        value: &[u8],
    ) -> bool {
        KEYS.with_borrow_mut(|keys| {
            let cached = keys
                .iter()
                .position(|(a, k, _)| std::ptr::addr_eq(*a, alg) && k.as_slice() == key);
            let at = cached.unwrap_or_else(|| {
                if keys.len() >= MAX_KEYS {
                    keys.clear();
                }
                keys.push((alg, key.to_vec(), ParsedPublicKey::new(alg, key).ok()));
                keys.len() - 1
            });
            keys.get(at)
                .and_then(|(_, _, parsed)| parsed.as_ref())
                .is_some_and(|k| k.verify_sig(signed, value).is_ok())
        })
    }
}

/// XML-DSig ECDSA values are r‖s; the ASN.1 verification forms want a DER SEQUENCE.
fn raw_to_der(value: &[u8], half: usize) -> Option<Vec<u8>> {
    if value.len() != 2 * half {
        return None;
    }
    let (r, s) = value.split_at(half);
    let int = |x: &[u8]| {
        let x = &x[x.iter().take_while(|&&b| b == 0).count()..];
        let mut out = vec![0x02];
        let pad = x.first().is_none_or(|&b| b >= 0x80);
        let len = x.len() + usize::from(pad);
        out.push(u8::try_from(len).unwrap_or(0));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(x);
        out
    };
    let (r, s) = (int(r), int(s));
    let body = r.len() + s.len();
    let mut der = vec![0x30];
    if body >= 0x80 {
        der.push(0x81);
    }
    der.push(u8::try_from(body).ok()?);
    der.extend(r);
    der.extend(s);
    Some(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_ecdsa_values_become_der() {
        // r with a high bit (needs a 0 pad), s with leading zeros (trimmed).
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80;
        raw[63] = 0x01;
        let der = raw_to_der(&raw, 32).unwrap();
        assert_eq!(&der[..4], &[0x30, 38, 0x02, 33]);
        assert_eq!(der[4], 0);
        assert_eq!(&der[der.len() - 3..], &[0x02, 1, 0x01]);
        assert!(raw_to_der(&raw[..63], 32).is_none());
        // P-521: a 139-byte body needs the long length form.
        let der = raw_to_der(&[0xff; 132], 66).unwrap();
        assert_eq!(&der[..3], &[0x30, 0x81, 2 * (2 + 67)]);
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Test vectors signed with `openssl dgst -sha512 -sign` (DER turned into r‖s).
    #[test]
    fn ecdsa_sha512_on_p256_and_p521() {
        let msg = b"samlint ecdsa test vector";
        let alg = SignatureAlg {
            key: KeyKind::Ecdsa,
            digest: DigestAlg::Sha512,
        };
        let p256 = PublicKey::EcP256(unhex(
            "04947c8f9d46db205120bff52c67b9d797c5bd81a37b36027ff17d740a53a529f0d6e339a3720ef4cb0af1547d6aca9b95debd95055d63c3272dd10324c576e4a7",
        ));
        let sig256 = unhex(
            "4a25636b14658a8e3f448ff4876db0c668f53284510fc95da88d669804604472b02d8c4cde64fc2f46d5ae949a3e30cd27719f15fbb75b2bd166f422ffd7f50a",
        );
        assert_eq!(verify_raw(&p256, alg, msg, &sig256), Ok(true));
        assert_eq!(verify_raw(&p256, alg, b"other", &sig256), Ok(false));
        let p521 = PublicKey::EcP521(unhex(
            "040161e6e2f0f97a93d666b0768e60cf487efca541c302d467b160a614edeb452a7969cb3e22c0e522f084a79f19fec0221cfb9ac8e88caf74a8611ae3ee0435b3d66401cb34e33404667046060652935b1b39b699d33711372eece636f8fd2e1f2466bbba4ef940f9143186d60d8a2063b1e90c730e9f4c0ffcbc90a04f24db88446f33e5",
        ));
        let sig521 = unhex(
            "0117720126314b98172e89f935b41585d3f155cbb8439aff533046a13dcd3aa857d9409f8fd217c3b972812ab7d057fec4952249dc0a4fae6f7c5abf0444f879a8f101922e2f8cd44066012eeba253b0cafe8e8d7c8ad98154554dfc9676b18633965a1375d45db617a528f7fef057755ba54aa867fbb0018b2072db10b502a0c7f9fe64",
        );
        assert_eq!(verify_raw(&p521, alg, msg, &sig521), Ok(true));
        let mut bad = sig521.clone();
        bad[10] ^= 1;
        assert_eq!(verify_raw(&p521, alg, msg, &bad), Ok(false));
        assert_eq!(verify_raw(&p521, alg, msg, &sig256), Ok(false));
    }

    #[test]
    fn rsa_keys_outside_the_policy_are_named() {
        let alg = SignatureAlg {
            key: KeyKind::Rsa,
            digest: DigestAlg::Sha256,
        };
        let err = verify_raw(&PublicKey::Rsa(vec![0x30], 16_384), alg, b"m", b"s").unwrap_err();
        assert_eq!(
            err,
            "RSA key of 16384 bits (samlint verifies RSA keys of 1024 to 8192 bits)"
        );
        let ec_sha1 = SignatureAlg {
            key: KeyKind::Ecdsa,
            digest: DigestAlg::Sha1,
        };
        assert!(verify_raw(&PublicKey::EcP256(vec![4]), ec_sha1, b"m", b"s").is_err());
    }
}

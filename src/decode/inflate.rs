//! Raw DEFLATE (RFC 1951), as the HTTP-Redirect binding uses, with a hard cap on
//! the output so a small payload cannot expand without bound.

use flate2::{Decompress, FlushDecompress, Status};

/// What inflating gave.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Inflated {
    /// A complete DEFLATE stream and its output.
    Complete(Vec<u8>),
    /// Valid DEFLATE data that stops before the end of the stream, with the output so far.
    Incomplete(Vec<u8>),
    /// The output passed `limit`; inflating stopped at this many bytes.
    TooLarge(usize),
    /// Not DEFLATE data.
    Invalid,
}

/// Inflates `data`, producing at most `limit` bytes (one more is read to tell an
/// output of exactly `limit` from a larger one).
pub(super) fn inflate(data: &[u8], limit: usize) -> Inflated {
    let cap = limit.saturating_add(1);
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).clamp(1, cap));
    let mut stream = Decompress::new(false);
    loop {
        if out.len() > limit {
            return Inflated::TooLarge(out.len());
        }
        if out.len() == out.capacity() {
            let room = cap - out.len();
            out.reserve_exact(out.capacity().clamp(1, room));
        }
        let Ok(consumed) = usize::try_from(stream.total_in()) else {
            return Inflated::Invalid;
        };
        let input = data.get(consumed..).unwrap_or_default();
        let before = (stream.total_in(), out.len());
        match stream.decompress_vec(input, &mut out, FlushDecompress::None) {
            Err(_) => return Inflated::Invalid,
            Ok(Status::StreamEnd) if out.len() > limit => return Inflated::TooLarge(out.len()),
            Ok(Status::StreamEnd) => return Inflated::Complete(out),
            Ok(Status::Ok | Status::BufError) => {
                if (stream.total_in(), out.len()) == before {
                    return Inflated::Incomplete(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use flate2::Compression;
    use flate2::write::DeflateEncoder;

    use super::*;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn round_trip() {
        let data = b"<samlp:AuthnRequest/>".repeat(50);
        assert_eq!(
            inflate(&deflate(&data), 1 << 20),
            Inflated::Complete(data.clone())
        );
        // Exactly at the limit is fine.
        assert_eq!(
            inflate(&deflate(&data), data.len()),
            Inflated::Complete(data)
        );
    }

    #[test]
    fn bomb_stops_at_the_limit() {
        let bomb = deflate(&vec![b'<'; 10 << 20]);
        assert!(bomb.len() < 20_000);
        assert_eq!(inflate(&bomb, 4096), Inflated::TooLarge(4097));
    }

    #[test]
    fn truncated_stream() {
        let data: Vec<u8> = (0..20_000u32).flat_map(u32::to_le_bytes).collect();
        let full = deflate(&data);
        let cut = full.get(..full.len() / 2).unwrap();
        assert!(matches!(inflate(cut, 1 << 20), Inflated::Incomplete(_)));
    }

    #[test]
    fn not_deflate() {
        assert_eq!(inflate(&[0xFF; 64], 1024), Inflated::Invalid);
    }
}

//! Byte spans into a decoded document, and their conversion to line:column.

use std::sync::OnceLock;

use serde::Serialize;

/// A half-open byte range `start..end` into the decoded XML text of one payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Offsets of line starts, built once per document, so that findings carry byte
/// spans and line:column is computed only when rendering.
///
/// Columns count characters. On a long line, counting from the start of the line for
/// each finding would be quadratic (a one-line document with thousands of findings), so
/// the first column asked past [`CHUNK`] bytes into a line builds, once, the number of
/// characters before every `CHUNK`-byte boundary of the text: a column then costs at
/// most two chunks of counting. Short lines, the common case, never build it.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[i]`: characters in `text[..i * CHUNK]`.
    chars: OnceLock<Vec<usize>>,
}

/// Bytes between two character-count checkpoints.
const CHUNK: usize = 4096;

/// Characters in `bytes`, which starts and ends on character boundaries (a UTF-8
/// character is one byte that is not a continuation byte `10xxxxxx`, -128..=-65 as
/// `i8`).
///
/// Counted in blocks of at most 255 bytes into a `u8`, so that the compiler keeps a
/// vector lane per byte: counting into a `usize` widened every byte to a 64-bit lane
/// and took 4.3 µs for 8 KB, this 0.26 µs. A signed response is one line of ~5.8 KB
/// and its usual finding lies past 4 KiB, so `check` builds the checkpoints once per
/// response: with the widening count that was 3% of its instructions (callgrind).
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| {
                n.wrapping_add(u8::from(b.cast_signed() >= -64))
            });
            usize::from(n)
        })
        .sum()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            chars: OnceLock::new(),
        }
    }

    /// Characters in `text[..offset]`, with `offset` on a character boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let chars = self.chars.get_or_init(|| {
            let mut chars = Vec::with_capacity(text.len() / CHUNK + 2);
            let mut total = 0;
            chars.push(0);
            for chunk in text.as_bytes().chunks(CHUNK) {
                total += count_chars(chunk);
                chars.push(total);
            }
            chars
        });
        let at = offset / CHUNK;
        match (chars.get(at), text.as_bytes().get(at * CHUNK..offset)) {
            (Some(&before), Some(rest)) => before + count_chars(rest),
            // An index built for another text: count the slow way.
            _ => text.get(..offset).map_or(offset, |s| s.chars().count()),
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let before = if offset - start <= CHUNK {
            text.get(start..offset).map_or(0, |s| s.chars().count())
        } else {
            self.chars_before(text, offset)
                .saturating_sub(self.chars_before(text, start))
        };
        LineCol {
            line,
            column: before + 1,
        }
    }

    /// Byte range of a 1-based line, without its line break (empty past the end).
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return Span::new(text.len(), text.len());
        };
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        Span::new(start, end.max(start))
    }

    /// The text of a 1-based line, without its line break.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        text.get(start..end).unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncé<x/>\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes; '<' is the third character of line 2.
        assert_eq!(idx.line_col(text, 6), LineCol { line: 2, column: 3 });
        assert_eq!(idx.line(text, 2), "cé<x/>");
        assert_eq!(idx.line(text, 9), "");
        assert_eq!(idx.line_span(text, 2), Span::new(3, 10));
    }

    #[test]
    fn count_chars_counts_utf8_characters() {
        for text in ["", "a", "é€😀x", &"aé€😀".repeat(300), &"b".repeat(600)] {
            assert_eq!(count_chars(text.as_bytes()), text.chars().count(), "{text}");
        }
    }

    /// Columns past many chunks of multi-byte characters on one line match a plain
    /// count from the start of the line.
    #[test]
    fn columns_on_a_long_line_use_the_checkpoints() {
        let text = format!("x\n{}<a/>{}", "é€".repeat(5000), "b".repeat(9000));
        let idx = LineIndex::new(&text);
        for offset in [2, 3, 4097, 8190, 25_002, 25_003, text.len()] {
            let start = 2;
            let mut at = offset.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let expected = text[start..at].chars().count() + 1;
            assert_eq!(
                idx.line_col(&text, offset).column,
                expected,
                "offset {offset}"
            );
        }
    }
}

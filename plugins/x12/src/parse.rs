//! Reading an X12 file: delimiter detection from the ISA, tokenizing into
//! segments, and the envelope (ISA/GS/ST … SE/GE/IEA) with its control
//! number and count checks.
//!
//! [`parse`] never panics; on a fatal defect it returns a [`Defect`] naming
//! the 1-based segment position in the file, the segment id and the reason.
//! Defects a tolerant reader can live with (unpadded ISA fields, no-break
//! spaces, a space terminator, hard-wrapped lines, an unpadded or
//! mismatching GE02/IEA02, …) are collected as warnings instead; the
//! caller decides whether they are fatal (config `strict`).

mod delimiters;
mod envelope;
mod tokenize;

pub use envelope::{digest_segments, Group, Interchange, TransactionSet};

pub use weft_sdk::edi::Defect;

/// The delimiters of an interchange, as declared by its ISA (the
/// repetition separator from ISA11 once the ISA is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delimiters {
    /// Element separator (the byte after `ISA`).
    pub element: u8,
    /// Component separator (ISA16).
    pub component: u8,
    /// Repetition separator (ISA11 from version 00402 on), if any.
    pub repetition: Option<u8>,
    /// Segment terminator; empty when segments end at line breaks.
    pub terminator: Vec<u8>,
    /// Line break written after each terminator in the file (`\n`,
    /// `\r\n` or nothing).
    pub line_break: Vec<u8>,
}

/// One segment: its id and its elements (element 1 is `elements[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// 1-based position of the segment in the file.
    pub position: usize,
    /// The segment id (`BEG`, `PO1`, …).
    pub id: String,
    /// The elements as written (not trimmed), without the id.
    pub elements: Vec<String>,
}

impl Segment {
    /// Element `n` (1-based) trimmed of spaces and no-break spaces; `""`
    /// when absent.
    pub fn el(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.elements.get(i))
            .map(|s| trim(s))
            .unwrap_or("")
    }

    /// Element `n` (1-based) trimmed, `None` when absent or empty.
    pub fn opt(&self, n: usize) -> Option<&str> {
        Some(self.el(n)).filter(|s| !s.is_empty())
    }

    /// Component `k` (1-based) of composite element `n`.
    pub fn component(&self, n: usize, k: usize, separator: u8) -> &str {
        let sep = char::from(separator);
        self.el(n)
            .split(sep)
            .nth(k.saturating_sub(1))
            .map(trim)
            .unwrap_or("")
    }
}

/// Trims ASCII whitespace and no-break spaces.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
}

/// A parsed file: its delimiters, interchanges and the lenient defects
/// found (each naming its segment).
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Delimiters of the first interchange (each interchange has its own in
    /// [`Interchange::delimiters`]).
    pub delimiters: Delimiters,
    /// Interchanges in file order.
    pub interchanges: Vec<Interchange>,
    /// Defects that concern the whole file (wrapping, terminator style of
    /// the first interchange).
    pub warnings: Vec<String>,
}

/// Parses a whole X12 file.
///
/// Each interchange is read with the delimiters its own ISA declares: the
/// first from the start of the input, every later one from the bytes after
/// the previous IEA (blanks skipped), so a file concatenating interchanges
/// of partners with different delimiters reads as a whole.
pub fn parse(input: &[u8]) -> Result<Parsed, Defect> {
    let mut detected = delimiters::detect(input)?;
    let mut warnings = std::mem::take(&mut detected.warnings);
    warnings.retain(|w| !w.is_empty());
    let mut interchanges: Vec<Interchange> = Vec::new();
    let mut position = 1;
    loop {
        let (segments, consumed) = tokenize::segments(&detected, position)?;
        position += segments.len();
        let mut ic = envelope::assemble(segments, &detected.delimiters)?;
        if !interchanges.is_empty() {
            let own = std::mem::take(&mut detected.warnings);
            ic.warnings
                .splice(0..0, own.into_iter().filter(|w| !w.is_empty()));
        }
        interchanges.push(ic);
        let mut rest = tokenize::skip_blanks(detected.data.get(consumed..).unwrap_or(&[]));
        // Concatenated files keep each one's byte order mark.
        while let Some(after) = rest.strip_prefix(b"\xEF\xBB\xBF") {
            rest = tokenize::skip_blanks(after);
        }
        if rest.is_empty() {
            break;
        }
        if rest
            .iter()
            .all(|b| matches!(b, 0x00 | 0x1a) || b.is_ascii_whitespace())
        {
            // DOS end-of-file (SUB) or NUL padding of fixed-size records.
            let end = position.saturating_sub(1);
            if let Some(ic) = interchanges.last_mut() {
                ic.warnings.push(format!(
                    "segment {end} (IEA): {} padding bytes (NUL or SUB, U+001A) after the last IEA were ignored",
                    rest.len()
                ));
            }
            break;
        }
        let previous = interchanges.last().map(|ic| ic.position).unwrap_or(1);
        if !rest.starts_with(b"ISA") {
            let id_len = rest
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(rest.len())
                .clamp(1, 12);
            let id = show(rest.get(..id_len).unwrap_or(&[]), 12);
            return Err(Defect::new(
                position,
                &id,
                format!("`{id}` after the IEA that closed the interchange opened at segment {previous} (expected ISA or the end)"),
            ));
        }
        let rest = rest.to_vec();
        detected = delimiters::detect(&rest).map_err(|mut d| {
            d.position += position - 1;
            d.reason = format!(
                "{} (interchange {} of the file)",
                d.reason,
                interchanges.len() + 1
            );
            d
        })?;
        for w in &mut detected.warnings {
            *w = w.replacen("segment 1 (", &format!("segment {position} ("), 1);
        }
    }
    let delimiters = interchanges
        .first()
        .map(|ic| ic.delimiters.clone())
        .unwrap_or(detected.delimiters);
    Ok(Parsed {
        delimiters,
        interchanges,
        warnings,
    })
}

/// Shows bytes in an error message: printable text as is, the rest escaped,
/// at most `max` characters.
pub(crate) fn show(bytes: &[u8], max: usize) -> String {
    weft_sdk::text::clip(&String::from_utf8_lossy(bytes), max)
}

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

pub use envelope::{Group, Interchange, TransactionSet};

pub use weft_sdk::edi::Defect;

/// The delimiters of an interchange, as declared by its ISA.
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
    /// Delimiters of the (first) interchange.
    pub delimiters: Delimiters,
    /// Interchanges in file order.
    pub interchanges: Vec<Interchange>,
    /// Defects that concern the whole file (wrapping, terminator style).
    pub warnings: Vec<String>,
}

/// Parses a whole X12 file.
pub fn parse(input: &[u8]) -> Result<Parsed, Defect> {
    let detected = delimiters::detect(input)?;
    let mut warnings = detected.warnings.clone();
    let segments = tokenize::segments(&detected)?;
    let interchanges = envelope::assemble(segments, detected.delimiters.component)?;
    let mut delimiters = detected.delimiters;
    delimiters.repetition = interchanges.first().and_then(|ic| ic.repetition);
    warnings.retain(|w| !w.is_empty());
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

/// The delimiters and segments of a file without the envelope checks: for
/// interchanges that hold only TA1 interchange acknowledgements, which
/// [`parse`] refuses (see `crate::map::ta1`).
pub fn segments(input: &[u8]) -> Result<(Delimiters, Vec<Segment>), Defect> {
    let detected = delimiters::detect(input)?;
    let segments = tokenize::segments(&detected)?;
    Ok((detected.delimiters, segments))
}

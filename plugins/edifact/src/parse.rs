//! Reading an EDIFACT file: the UNA service string advice (or the default
//! delimiters), tokenizing into segments with release-character escaping,
//! and the envelope (UNB … UNZ, optional UNG … UNE, UNH … UNT) with its
//! count and reference checks.
//!
//! [`parse`] never panics; on a fatal defect it returns a [`Defect`] naming
//! the 1-based segment position in the file (the UNA, when present, is
//! position 1), the segment tag and the reason. Defects real senders emit
//! (a UNT/UNE/UNZ count or reference that does not match, an odd UNH
//! version, text that is not UTF-8) are collected as warnings instead; the
//! caller decides whether they are fatal (config `strict`).

mod envelope;
mod syntax;
mod tokenize;

pub use envelope::{Group, Interchange, Message};
pub use syntax::Syntax;

pub use weft_sdk::edi::Defect;

/// One segment: its tag and its data elements, each split into components
/// with release characters resolved (element 1 is `elements[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// 1-based position of the segment in the file.
    pub position: usize,
    /// The segment tag (`BGM`, `LIN`, …).
    pub tag: String,
    /// The data elements, each a list of components (a simple element has
    /// one).
    pub elements: Vec<Vec<String>>,
}

impl Segment {
    /// Component `k` (1-based) of element `n` (1-based), trimmed; `""` when
    /// absent.
    pub fn comp(&self, n: usize, k: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.elements.get(i))
            .and_then(|e| k.checked_sub(1).and_then(|j| e.get(j)))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// The first component of element `n` (a simple element's value).
    pub fn el(&self, n: usize) -> &str {
        self.comp(n, 1)
    }

    /// Component `k` of element `n`, `None` when absent or empty.
    pub fn copt(&self, n: usize, k: usize) -> Option<&str> {
        Some(self.comp(n, k)).filter(|s| !s.is_empty())
    }

    /// Element `n` (first component), `None` when absent or empty.
    pub fn opt(&self, n: usize) -> Option<&str> {
        self.copt(n, 1)
    }

    /// The components of element `n` (empty when absent).
    pub fn components(&self, n: usize) -> &[String] {
        n.checked_sub(1)
            .and_then(|i| self.elements.get(i))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// A parsed file: its delimiters, interchanges and the lenient defects
/// found.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Delimiters of the file.
    pub syntax: Syntax,
    /// Interchanges in file order.
    pub interchanges: Vec<Interchange>,
    /// Defects that concern the whole file (character set).
    pub warnings: Vec<String>,
}

/// Parses a whole EDIFACT file.
pub fn parse(input: &[u8]) -> Result<Parsed, Defect> {
    let (text, mut warnings) = syntax::decode(input);
    let (syntax, body, first_position) = syntax::detect(&text)?;
    let segments = tokenize::segments(body, &syntax, first_position)?;
    let interchanges = envelope::assemble(segments)?;
    if interchanges.is_empty() {
        return Err(Defect::new(
            first_position,
            "",
            "no interchange: the input holds no UNB segment",
        ));
    }
    warnings.retain(|w| !w.is_empty());
    Ok(Parsed {
        syntax,
        interchanges,
        warnings,
    })
}

/// Shows text in an error message: printable characters as is, the rest
/// escaped, at most `max` characters.
pub(crate) fn show(text: &str, max: usize) -> String {
    weft_sdk::text::clip(text, max)
}

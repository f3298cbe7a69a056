//! The service characters: the UNA service string advice, or the defaults
//! of ISO 9735 (`:+.? '`) when there is none; and decoding the input text.

use super::{show, Defect};

/// The delimiters and service characters of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syntax {
    /// Component data element separator (UNA1, default `:`).
    pub component: char,
    /// Data element separator (UNA2, default `+`).
    pub element: char,
    /// Decimal mark (UNA3, default `.`).
    pub decimal: char,
    /// Release character (UNA4, default `?`; a space means none).
    pub release: Option<char>,
    /// Repetition separator (UNA5; a space, as in syntax version 3, means
    /// none).
    pub repetition: Option<char>,
    /// Segment terminator (UNA6, default `'`).
    pub terminator: char,
    /// Whether the file has a UNA.
    pub from_una: bool,
}

impl Default for Syntax {
    fn default() -> Syntax {
        Syntax {
            component: ':',
            element: '+',
            decimal: '.',
            release: Some('?'),
            repetition: None,
            terminator: '\'',
            from_una: false,
        }
    }
}

impl Syntax {
    /// Whether `c` may follow the release character.
    pub fn is_service(&self, c: char) -> bool {
        c == self.component
            || c == self.element
            || c == self.terminator
            || Some(c) == self.release
            || Some(c) == self.repetition
    }
}

/// The input as text: UTF-8 when it is (a byte order mark dropped), else
/// ISO 8859-1 byte by byte, with a warning.
pub fn decode(input: &[u8]) -> (String, Vec<String>) {
    match std::str::from_utf8(input) {
        Ok(s) => (
            s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
            Vec::new(),
        ),
        Err(e) => (
            input.iter().map(|&b| char::from(b)).collect(),
            vec![format!(
                "the input is not UTF-8 (invalid byte at offset {}); it was read as ISO 8859-1",
                e.valid_up_to()
            )],
        ),
    }
}

/// Reads the UNA, if any. Returns the syntax, the text after the UNA and
/// the position of the first segment after it.
pub fn detect(text: &str) -> Result<(Syntax, &str, usize), Defect> {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace());
    let Some(rest) = trimmed.strip_prefix("UNA") else {
        return Ok((Syntax::default(), trimmed, 1));
    };
    let chars: Vec<(usize, char)> = rest.char_indices().take(6).collect();
    if chars.len() < 6 {
        return Err(Defect::new(
            1,
            "UNA",
            format!(
                "service string advice is cut short: expected 6 characters after `UNA`, found `{}`",
                show(rest, 10)
            ),
        ));
    }
    let c = |i: usize| chars.get(i).map(|p| p.1).unwrap_or(' ');
    let syntax = Syntax {
        component: c(0),
        element: c(1),
        decimal: c(2),
        release: Some(c(3)).filter(|&r| r != ' '),
        repetition: Some(c(4)).filter(|&r| r != ' '),
        terminator: c(5),
        from_una: true,
    };
    let mut seen = vec![syntax.component, syntax.element, syntax.terminator];
    seen.extend(syntax.release);
    seen.extend(syntax.repetition);
    let distinct = seen
        .iter()
        .enumerate()
        .all(|(i, a)| !seen.iter().skip(i + 1).any(|b| a == b));
    if !distinct || seen.iter().any(|c| c.is_alphanumeric()) {
        return Err(Defect::new(
            1,
            "UNA",
            format!(
                "service string advice `UNA{}` declares the same or alphanumeric characters as separators",
                show(rest.get(..chars.last().map(|p| p.0 + p.1.len_utf8()).unwrap_or(0)).unwrap_or(""), 6)
            ),
        ));
    }
    if !matches!(syntax.decimal, '.' | ',') {
        return Err(Defect::new(
            1,
            "UNA",
            format!(
                "UNA3 decimal mark must be `.` or `,`, found `{}`",
                show(&syntax.decimal.to_string(), 3)
            ),
        ));
    }
    let end = chars.last().map(|p| p.0 + p.1.len_utf8()).unwrap_or(0);
    Ok((syntax, rest.get(end..).unwrap_or(""), 2))
}

//! Splitting the input into segments and elements with the detected
//! delimiters.
//!
//! With a terminator character, whitespace (indentation, line breaks, no-break
//! spaces) between segments is skipped, and a line break inside a segment is
//! fatal: a missing terminator or a second, different terminator character.
//! With line-break terminators, each non-blank line is a segment, indentation
//! and trailing blanks dropped.

use super::delimiters::Detected;
use super::{show, Defect, Segment};

/// The segments of the interchange whose ISA starts `d.data`, the ISA
/// first, numbered from `first` (its position in the file), up to and
/// including its IEA; and how many bytes of `d.data` they take (the next
/// interchange, if any, starts after them).
pub(crate) fn segments(d: &Detected, first: usize) -> Result<(Vec<Segment>, usize), Defect> {
    let delims = &d.delimiters;
    let isa_bytes = d.data.get(..d.isa_end).unwrap_or(&[]);
    let mut out = vec![split(first, isa_bytes, delims.element)?];
    let body_start = d.isa_end + delims.terminator.len();
    let body = d.data.get(body_start..).unwrap_or(&[]);
    let used = if delims.terminator.is_empty() {
        by_lines(body, d, first, &mut out)?
    } else {
        by_terminator(body, d, first, &mut out)?
    };
    Ok((out, body_start + used))
}

/// Reads line-terminated segments; returns the bytes of `body` used.
fn by_lines(
    body: &[u8],
    d: &Detected,
    first: usize,
    out: &mut Vec<Segment>,
) -> Result<usize, Defect> {
    let delims = &d.delimiters;
    let mut at = 0;
    while at < body.len() {
        let rest = body.get(at..).unwrap_or(&[]);
        let len = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        let line = rest.get(..len).unwrap_or(&[]);
        at += (len + 1).min(rest.len());
        let text = strip_blanks(line);
        if text.is_empty() {
            continue;
        }
        let position = first + out.len();
        let seg = split(position, text, delims.element)?;
        if out.len() == 1 && text.last() == Some(&delims.component) {
            let c = show(&[delims.component], 4);
            return Err(Defect::new(
                position,
                &seg.id,
                format!(
                    "the segment ends with `{c}`, the component separator declared in ISA16, while segments end at line breaks: either ISA16 is missing and `{c}` is the terminator, or `{c}` is misplaced; the ISA cannot be delimited unambiguously"
                ),
            ));
        }
        let end = seg.id == "IEA";
        out.push(seg);
        if end {
            break;
        }
    }
    Ok(at.min(body.len()))
}

/// Reads terminated segments; returns the bytes of `body` used.
fn by_terminator(
    body: &[u8],
    d: &Detected,
    first: usize,
    out: &mut Vec<Segment>,
) -> Result<usize, Defect> {
    let delims = &d.delimiters;
    let term = delims.terminator.as_slice();
    let mut rest = body;
    loop {
        rest = skip_blanks(rest);
        if rest.is_empty() {
            return Ok(body.len());
        }
        let position = first + out.len();
        let (text, next) = match find(rest, term) {
            Some(at) => (
                rest.get(..at).unwrap_or(&[]),
                rest.get(at + term.len()..).unwrap_or(&[]),
            ),
            None => {
                let seg = split(position, strip_blanks(rest), delims.element)?;
                return Err(Defect::new(
                    position,
                    &seg.id,
                    format!(
                        "missing segment terminator `{}` at the end of the input (the segment is truncated or unterminated)",
                        show(term, 4)
                    ),
                ));
            }
        };
        if let Some(lb) = text.iter().position(|b| *b == b'\n' || *b == b'\r') {
            let seg = split(position, text, delims.element)?;
            let before = strip_blanks(text.get(..lb).unwrap_or(&[]));
            let after = skip_blanks(text.get(lb..).unwrap_or(&[]));
            let reason = match before.last() {
                Some(c) if c.is_ascii_punctuation() && *c != delims.element => format!(
                    "mixed segment terminators: the line ends with `{}` but the terminator declared after ISA16 is `{}`; the next line (`{}`) runs into this segment",
                    show(&[*c], 4),
                    show(term, 4),
                    show(after, 16)
                ),
                _ => format!(
                    "missing segment terminator `{}` before the line break; the next line (`{}`) runs into this segment",
                    show(term, 4),
                    show(after, 16)
                ),
            };
            return Err(Defect::new(position, &seg.id, reason));
        }
        let seg = split(position, text, delims.element)?;
        let end = seg.id == "IEA";
        out.push(seg);
        rest = next;
        if end {
            return Ok(body.len() - rest.len());
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_blank_start(b: &[u8]) -> usize {
    match b {
        [b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c, ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        _ => 0,
    }
}

/// Drops leading whitespace, line breaks and no-break spaces.
pub(crate) fn skip_blanks(mut b: &[u8]) -> &[u8] {
    loop {
        let n = is_blank_start(b);
        if n == 0 {
            return b;
        }
        b = b.get(n..).unwrap_or(&[]);
    }
}

/// Drops leading and trailing whitespace and no-break spaces.
fn strip_blanks(b: &[u8]) -> &[u8] {
    let mut b = skip_blanks(b);
    loop {
        match b {
            [head @ .., b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c] => b = head,
            [head @ .., 0xC2, 0xA0] => b = head,
            _ => return b,
        }
    }
}

/// Splits one segment's bytes into id and elements.
fn split(position: usize, text: &[u8], element: u8) -> Result<Segment, Defect> {
    let mut parts = text.split(|b| *b == element);
    let id_bytes = parts.next().unwrap_or(&[]);
    let id = String::from_utf8_lossy(strip_blanks(id_bytes)).into_owned();
    let valid = (2..=3).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && id.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
    if !valid {
        let shown = show(id_bytes, 12);
        return Err(Defect::new(
            position,
            &shown,
            format!(
                "`{shown}` is not a segment id (2 or 3 upper-case letters and digits) in `{}`",
                show(text, 24)
            ),
        ));
    }
    let elements = parts
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    Ok(Segment {
        position,
        id,
        elements,
    })
}

//! Delimiter detection from the ISA segment.
//!
//! The element separator is the byte after `ISA`; the component separator
//! (ISA16) is the byte after the 16th element separator, so unpadded or
//! NBSP-padded ISA fields do not matter. The segment terminator is what
//! follows ISA16 up to the next segment id: a character (`~`), several bytes
//! (`…`), a character plus a line break (`~\r\n`) or a line break alone.

use super::{show, Defect, Delimiters};

/// What [`detect`] found.
#[derive(Debug, Clone)]
pub(crate) struct Detected {
    /// The input from `ISA` on (BOM and leading whitespace dropped,
    /// hard-wrapped lines joined).
    pub data: Vec<u8>,
    /// The delimiters.
    pub delimiters: Delimiters,
    /// Index in `data` just after ISA16.
    pub isa_end: usize,
    /// Lenient defects found.
    pub warnings: Vec<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Finds the delimiters of the first ISA in `input`.
pub(crate) fn detect(input: &[u8]) -> Result<Detected, Defect> {
    let mut data = input.strip_prefix(BOM).unwrap_or(input);
    while let Some((first, rest)) = data.split_first() {
        if first.is_ascii_whitespace() {
            data = rest;
        } else {
            break;
        }
    }
    if !data.starts_with(b"ISA") {
        let shown = if data.is_empty() {
            "nothing (the input is empty)".to_string()
        } else {
            format!("`{}`", show(data, 20))
        };
        return Err(Defect::new(
            1,
            "ISA",
            format!(
                "not an X12 interchange: the input must start with an ISA segment, found {shown}"
            ),
        ));
    }
    match scan(data)? {
        Scan::Complete(d) => Ok(d),
        Scan::SplitLine(after) => {
            let Some((width, full, joined)) = unwrap_lines(data) else {
                return Err(split_defect(after));
            };
            match scan(&joined)? {
                Scan::Complete(mut d) if full || !d.delimiters.terminator.is_empty() => {
                    let how = if full {
                        "inside segments; every line break was removed before reading".to_string()
                    } else {
                        format!("segments longer than {width} characters continue on the next line; the line breaks after the {width}-column lines were removed before reading")
                    };
                    d.warnings.insert(
                        0,
                        format!(
                            "segment 1 (ISA): lines are hard-wrapped at {width} columns, {how}"
                        ),
                    );
                    Ok(d)
                }
                _ => Err(split_defect(after)),
            }
        }
    }
}

fn split_defect(after: usize) -> Defect {
    Defect::new(
        1,
        "ISA",
        format!(
            "the ISA is split across lines (a line break inside ISA{after:02}); its 16 fixed elements cannot be delimited reliably"
        ),
    )
}

enum Scan {
    Complete(Detected),
    /// A line break inside the ISA, after this many elements.
    SplitLine(usize),
}

fn scan(data: &[u8]) -> Result<Scan, Defect> {
    let element = match data.get(3) {
        Some(b) => *b,
        None => {
            return Err(Defect::new(
                1,
                "ISA",
                "the input ends right after `ISA`: no element separator",
            ))
        }
    };
    if element.is_ascii_alphanumeric() || element.is_ascii_whitespace() || element >= 0x80 {
        return Err(Defect::new(
            1,
            "ISA",
            format!(
                "the element separator (the byte after `ISA`) is `{}`, which cannot be a delimiter",
                show(&[element], 4)
            ),
        ));
    }
    let mut count = 0usize;
    let mut comp_at = None;
    for (i, b) in data.iter().enumerate().skip(3) {
        if *b == element {
            count += 1;
            if count == 16 {
                comp_at = Some(i + 1);
                break;
            }
        } else if *b == b'\n' || *b == b'\r' {
            return Ok(Scan::SplitLine(count));
        }
    }
    let comp_at = match comp_at {
        Some(at) => at,
        None => {
            return Err(Defect::new(
                1,
                "ISA",
                format!(
                    "only {count} of the 16 element separators `{}` of the ISA were found: the ISA is truncated",
                    show(&[element], 4)
                ),
            ))
        }
    };
    let component = match data.get(comp_at) {
        None => return Err(Defect::new(1, "ISA", "the input ends after the 16th ISA element separator: ISA16 (component separator) is missing")),
        Some(b) => *b,
    };
    if component == b'\n' || component == b'\r' {
        return Err(Defect::new(1, "ISA", "ISA16 (component separator) is missing: a line break follows the 16th element separator"));
    }
    if component.is_ascii_alphanumeric()
        || component == element
        || component >= 0x80
        || component == b' '
    {
        return Err(Defect::new(
            1,
            "ISA",
            format!(
                "ISA16 `{}` cannot be the component separator",
                show(&[component], 4)
            ),
        ));
    }
    let after = comp_at + 1;
    let rest = data.get(after..).unwrap_or(&[]);
    let next_id = rest
        .iter()
        .position(|b| b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let between = rest.get(..next_id).unwrap_or(&[]);
    let mut warnings = Vec::new();
    let core_len = between
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(between.len());
    let (core, tail) = between.split_at(core_len);
    if between.is_empty() {
        let reason = if rest.is_empty() {
            "the input ends after ISA16: there is no segment terminator and no GS".to_string()
        } else {
            format!(
                "missing segment terminator: the next segment (`{}`) follows ISA16 `{}` directly",
                show(rest, 12),
                show(&[component], 4)
            )
        };
        return Err(Defect::new(1, "ISA", reason));
    }
    if tail.iter().any(|b| !b.is_ascii_whitespace()) {
        return Err(Defect::new(
            1,
            "ISA",
            format!(
                "cannot tell the segment terminator: ISA16 is followed by `{}`",
                show(between, 12)
            ),
        ));
    }
    let has_break = tail.iter().any(|b| *b == b'\n' || *b == b'\r');
    let line_break = if tail.windows(2).any(|w| w == b"\r\n") {
        b"\r\n".to_vec()
    } else if tail.contains(&b'\n') {
        b"\n".to_vec()
    } else if tail.contains(&b'\r') {
        b"\r".to_vec()
    } else {
        Vec::new()
    };
    let terminator = if core.is_empty() {
        if !has_break {
            return Err(Defect::new(
                1,
                "ISA",
                "the segment terminator after ISA16 is a space or tab without a line break; a space cannot end segments whose data contains spaces",
            ));
        }
        if tail.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            warnings.push(format!(
                "segment 1 (ISA): the segment terminator after ISA16 `{}` is a space before the line break; segments were read as ending at line breaks, trailing spaces dropped",
                show(&[component], 4)
            ));
        }
        Vec::new()
    } else {
        if core.len() > 4 || core.contains(&element) || core.contains(&component) {
            return Err(Defect::new(
                1,
                "ISA",
                format!(
                    "cannot tell the segment terminator: ISA16 is followed by `{}`",
                    show(core, 12)
                ),
            ));
        }
        core.to_vec()
    };
    Ok(Scan::Complete(Detected {
        data: data.to_vec(),
        delimiters: Delimiters {
            element,
            component,
            repetition: None,
            terminator,
            line_break,
        },
        isa_end: after,
        warnings,
    }))
}

/// Narrowest record width of a file that wraps only its long segments.
const MIN_PARTIAL_WRAP: usize = 64;

/// Undoes hard wrapping at a fixed column, for an ISA split by a line
/// break: `(width, full, joined)`. `full`: every line but the last has the
/// same length of at least 40 bytes (the whole file wrapped at that
/// column), and every line break is removed. Otherwise, when the first
/// line is at least [`MIN_PARTIAL_WRAP`] long and no line is longer, only
/// the long segments are wrapped: the line break after each line of exactly
/// that width is removed, the others (after a terminator) are kept.
fn unwrap_lines(data: &[u8]) -> Option<(usize, bool, Vec<u8>)> {
    let mut lines: Vec<(&[u8], &[u8])> = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let at = rest.iter().position(|b| *b == b'\n');
        let (with_break, next) = match at {
            Some(i) => rest.split_at(i + 1),
            None => (rest, &[][..]),
        };
        let content = with_break.strip_suffix(b"\n").unwrap_or(with_break);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let brk = with_break.get(content.len()..).unwrap_or(&[]);
        lines.push((content, brk));
        rest = next;
    }
    let (_, body) = lines.split_last()?;
    let width = body.first()?.0.len();
    let full = body.len() >= 2 && width >= 40 && body.iter().all(|(l, _)| l.len() == width);
    let partial = width >= MIN_PARTIAL_WRAP && lines.iter().all(|(l, _)| l.len() <= width);
    if !full && !partial {
        return None;
    }
    let mut joined = Vec::with_capacity(data.len());
    for (content, brk) in &lines {
        joined.extend_from_slice(content);
        if !full && content.len() < width {
            joined.extend_from_slice(brk);
        }
    }
    Some((width, full, joined))
}

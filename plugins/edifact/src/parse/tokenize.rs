//! Splitting the text into segments, elements and components, resolving
//! the release character. Line breaks and indentation between segments are
//! skipped; a release character before anything but a service character,
//! a segment without its terminator at the end of the input, and a segment
//! whose tag is not 3 upper-case letters or digits are fatal.

use super::{show, Defect, Segment, Syntax};

/// Tokenizes `body` (the text after the UNA); the first segment gets
/// position `first`.
pub fn segments(body: &str, syntax: &Syntax, first: usize) -> Result<Vec<Segment>, Defect> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    let mut position = first;
    loop {
        while chars
            .peek()
            .is_some_and(|c| c.is_whitespace() && *c != syntax.terminator)
        {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut elements: Vec<Vec<String>> = vec![vec![String::new()]];
        let mut terminated = false;
        while let Some(c) = chars.next() {
            if Some(c) == syntax.release {
                match chars.next() {
                    Some(n) if syntax.is_service(n) => push_char(&mut elements, n),
                    Some(n) => {
                        return Err(Defect::new(
                            position,
                            &tag_of(&elements),
                            format!(
                                "release character `{c}` before `{}`, which is not a service character (only `{}` may be released); data element {} reads `{}`",
                                show(&n.to_string(), 3),
                                service_list(syntax),
                                elements.len().saturating_sub(1),
                                show(&current(&elements), 40)
                            ),
                        ))
                    }
                    None => {
                        return Err(Defect::new(
                            position,
                            &tag_of(&elements),
                            format!("the input ends right after the release character `{c}`"),
                        ))
                    }
                }
            } else if c == syntax.terminator {
                terminated = true;
                break;
            } else if c == syntax.element {
                elements.push(vec![String::new()]);
            } else if c == syntax.component {
                if let Some(e) = elements.last_mut() {
                    e.push(String::new());
                }
            } else {
                push_char(&mut elements, c);
            }
        }
        let tag = tag_of(&elements);
        if !terminated {
            return Err(Defect::new(
                position,
                &tag,
                format!(
                    "the input ends inside this segment: no segment terminator `{}` after `{}` (truncated file?)",
                    syntax.terminator,
                    show(&tag, 20)
                ),
            ));
        }
        let valid = tag.len() == 3
            && tag
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !valid {
            return Err(Defect::new(
                position,
                &show(&tag, 12),
                format!(
                    "`{}` is not a segment tag (3 upper-case letters or digits expected; wrong delimiters or garbage?)",
                    show(&tag, 20)
                ),
            ));
        }
        elements.remove(0);
        out.push(Segment {
            position,
            tag,
            elements,
        });
        position += 1;
    }
}

fn push_char(elements: &mut [Vec<String>], c: char) {
    if let Some(comp) = elements.last_mut().and_then(|e| e.last_mut()) {
        comp.push(c);
    }
}

fn current(elements: &[Vec<String>]) -> String {
    elements.last().map(|e| e.join(":")).unwrap_or_default()
}

fn tag_of(elements: &[Vec<String>]) -> String {
    elements
        .first()
        .and_then(|e| e.first())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn service_list(s: &Syntax) -> String {
    let mut v = vec![s.component, s.element];
    v.extend(s.release);
    v.extend(s.repetition);
    v.push(s.terminator);
    v.into_iter().collect()
}

//! The segment builder: joins elements with the configured delimiters and
//! refuses data that would break the interchange's syntax.
//!
//! Every element is written together with the canonical field it comes
//! from, so an error says where the offending value is:
//! `lines[2].description: contains the element separator `*``.

use weft_sdk::PluginError;

/// The delimiters of one interchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delimiters {
    /// Separates elements (ISA04 position, default `*`).
    pub element: char,
    /// Separates components of a composite element (ISA16, default `>`).
    pub component: char,
    /// Separates repeated elements (ISA11 from version 00402 on), `None`
    /// for older versions where ISA11 is the standards identifier `U`.
    pub repetition: Option<char>,
    /// Ends a segment (default `~`).
    pub segment: char,
    /// Written after each terminator for readability (default `\n`, may be
    /// empty); only CR and LF.
    pub suffix: String,
}

impl Delimiters {
    /// Names the delimiter `c` is, if it is one.
    fn name_of(&self, c: char) -> Option<&'static str> {
        if c == self.element {
            Some("element separator")
        } else if c == self.component {
            Some("component separator")
        } else if Some(c) == self.repetition {
            Some("repetition separator")
        } else if c == self.segment {
            Some("segment terminator")
        } else if c.is_control() {
            Some("control character")
        } else {
            None
        }
    }
}

/// Builds the segments of one transaction set (ST … SE) or envelope.
#[derive(Debug)]
pub struct Writer {
    delims: Delimiters,
    segments: Vec<String>,
}

impl Writer {
    /// An empty writer.
    pub fn new(delims: Delimiters) -> Writer {
        Writer {
            delims,
            segments: Vec::new(),
        }
    }

    /// The delimiters in use.
    pub fn delimiters(&self) -> &Delimiters {
        &self.delims
    }

    /// Starts segment `tag`; finish it with [`Seg::end`].
    pub fn seg(&mut self, tag: &'static str) -> Seg<'_> {
        Seg {
            w: self,
            tag,
            elements: Vec::new(),
            error: None,
        }
    }

    /// Appends a segment built elsewhere (the fixed-width ISA).
    pub fn push_raw(&mut self, segment: String) {
        self.segments.push(segment);
    }

    /// Number of segments written so far.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// True when nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Moves the segments out (each without terminator).
    pub fn into_segments(self) -> Vec<String> {
        self.segments
    }

    /// Checks `value` of `field` for delimiters and control characters:
    /// a value holding one would break the interchange, so it fails the
    /// message `invalid`, naming the field.
    pub fn clean(&self, value: &str, field: &str) -> Result<String, PluginError> {
        match value
            .chars()
            .find_map(|c| self.delims.name_of(c).map(|n| (c, n)))
        {
            None => Ok(value.to_string()),
            Some((c, name)) => Err(PluginError::invalid(format!(
                "{field}: `{}` contains the {name} {c:?}, which cannot be sent in an X12 element",
                value.escape_default()
            ))),
        }
    }

    /// Joins `segments` into the interchange text, each followed by the
    /// terminator and suffix.
    pub fn render(delims: &Delimiters, segments: &[String]) -> String {
        let mut out = String::new();
        for s in segments {
            out.push_str(s);
            out.push(delims.segment);
            out.push_str(&delims.suffix);
        }
        out
    }
}

/// One segment being built; the first error is kept and returned by
/// [`Seg::end`].
pub struct Seg<'w> {
    w: &'w mut Writer,
    tag: &'static str,
    elements: Vec<String>,
    error: Option<PluginError>,
}

impl Seg<'_> {
    /// A code or number the plugin itself produces (checked all the same).
    pub fn code(self, value: &str) -> Self {
        let tag = self.tag;
        self.el(value, tag)
    }

    /// A data value from field `field` of the document.
    pub fn el(mut self, value: &str, field: &str) -> Self {
        if self.error.is_none() {
            match self.w.clean(value.trim(), field) {
                Ok(v) => self.elements.push(v),
                Err(e) => self.error = Some(e),
            }
        }
        self
    }

    /// An optional data value; absent → empty element.
    pub fn opt(self, value: Option<&str>, field: &str) -> Self {
        match value {
            Some(v) => self.el(v, field),
            None => self.empty(),
        }
    }

    /// An empty element.
    pub fn empty(mut self) -> Self {
        self.elements.push(String::new());
        self
    }

    /// `n` empty elements.
    pub fn skip(mut self, n: usize) -> Self {
        for _ in 0..n {
            self.elements.push(String::new());
        }
        self
    }

    /// Finishes the segment (trailing empty elements dropped).
    pub fn end(self) -> Result<(), PluginError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut elements = self.elements;
        while elements.last().is_some_and(|e| e.is_empty()) {
            elements.pop();
        }
        let sep = self.w.delims.element.to_string();
        let mut s = self.tag.to_string();
        for e in &elements {
            s.push_str(&sep);
            s.push_str(e);
        }
        self.w.segments.push(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delims() -> Delimiters {
        Delimiters {
            element: '*',
            component: '>',
            repetition: None,
            segment: '~',
            suffix: "\n".into(),
        }
    }

    #[test]
    fn trailing_empties_dropped_and_rendered() {
        let mut w = Writer::new(delims());
        w.seg("REF").code("BM").el("1", "x").skip(2).end().unwrap();
        w.seg("N1")
            .code("ST")
            .empty()
            .code("92")
            .el("7", "y")
            .end()
            .unwrap();
        let segs = w.into_segments();
        assert_eq!(
            Writer::render(&delims(), &segs),
            "REF*BM*1~\nN1*ST**92*7~\n"
        );
    }

    #[test]
    fn delimiter_in_data_fails() {
        let mut w = Writer::new(delims());
        let err = w
            .seg("PID")
            .el("A*B", "lines[2].description")
            .end()
            .unwrap_err();
        assert!(
            matches!(&err, PluginError::Invalid(m) if m.starts_with("lines[2].description:") && m.contains("element separator")),
            "{err:?}"
        );
        let err = w.seg("PID").el("A~B", "f").end().unwrap_err();
        assert!(matches!(&err, PluginError::Invalid(m) if m.contains("segment terminator")));
        let err = w.seg("PID").el("A\nB", "f").end().unwrap_err();
        assert!(matches!(&err, PluginError::Invalid(m) if m.contains("control character")));
    }
}

//! Field names and values as they appear in violation messages, and the
//! canonical decimal form.

use std::fmt;

use serde_json::{Map, Value};

use Scope::{Line, Top, Totals};

/// Where a field is; formatted only when there is something to report.
#[derive(Clone, Copy)]
pub enum Scope {
    /// The document itself.
    Top,
    /// `lines[i]`.
    Line(usize),
    /// `totals`.
    Totals,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Top => Ok(()),
            Line(i) => write!(f, "lines[{i}]"),
            Totals => f.write_str("totals"),
        }
    }
}

/// A field's JSON-path-like name: `currency`, `lines[1].total`, `totals.tax`.
pub struct Path(pub Scope, pub &'static str);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            Top => f.write_str(self.1),
            scope => write!(f, "{scope}.{}", self.1),
        }
    }
}

/// Whether `s` has the canonical decimal form: `-?[0-9]+(\.[0-9]+)?`.
pub fn is_decimal_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// Whether `key` is set to something other than null.
pub fn present(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).is_some_and(|v| !v.is_null())
}

/// A stated amount as written in the document.
pub fn shown(obj: &Map<String, Value>, key: &str) -> String {
    q(obj.get(key).and_then(Value::as_str).unwrap_or("?"))
}

/// A value from the document, quoted in a message: at most 40 characters,
/// control characters escaped (the reason stays on one line).
pub fn q(s: &str) -> String {
    weft_sdk::text::clip(s, 40)
}

/// A short description of an unexpected JSON value.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string `{}`", q(s)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

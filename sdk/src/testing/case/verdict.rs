//! Comparing a call's result with a case's expected file: output lines
//! with key order ignored, an error by class and substring.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// The failure classes an `expected-error.txt` may name (the host's
/// failure classes; a plugin itself fails `invalid` or `retryable`).
pub const FAILURE_CLASSES: [&str; 8] = [
    "invalid",
    "retryable",
    "trap",
    "timeout",
    "memory-limit",
    "bad-output",
    "duplicate-id",
    "schema",
];

/// A failed call as a case sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFailure {
    /// The failure class (one of [`FAILURE_CLASSES`]).
    pub class: String,
    /// What went wrong, on one line (see [`one_line`]).
    pub message: String,
}

impl CaseFailure {
    /// A failure of `class`, its message folded with [`one_line`].
    pub fn new(class: impl Into<String>, message: &str) -> CaseFailure {
        CaseFailure {
            class: class.into(),
            message: one_line(message),
        }
    }
}

impl fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

/// A message folded onto one line as the host reports failures: the
/// non-blank lines, trimmed, joined with ` | `.
pub fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// What a case's result is judged against: outputs, or an error.
pub type CaseResult = Result<Vec<Value>, CaseFailure>;

/// An `expected-error.txt`: its first non-blank line, `<class>: <substring>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedError {
    /// The failure class.
    pub class: String,
    /// Text the failure message must contain (may be empty).
    pub substring: String,
}

impl ExpectedError {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<ExpectedError, Mismatch> {
        let line = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let (class, substring) = line
            .split_once(':')
            .map(|(c, s)| (c.trim(), s.trim()))
            .unwrap_or((line, ""));
        if !FAILURE_CLASSES.contains(&class) {
            return Err(Mismatch::UnknownClass(class.to_string()));
        }
        Ok(ExpectedError {
            class: class.to_string(),
            substring: substring.to_string(),
        })
    }

    /// Checks a result: it must be a failure of this class whose message
    /// contains the substring.
    pub fn check(&self, got: &CaseResult) -> Result<(), Mismatch> {
        match got {
            Err(f) if f.class == self.class && f.message.contains(self.substring.as_str()) => {
                Ok(())
            }
            Ok(lines) => Err(Mismatch::Outputs {
                want: self.clone(),
                count: lines.len(),
            }),
            Err(f) => Err(Mismatch::OtherError {
                want: self.clone(),
                got: f.clone(),
            }),
        }
    }
}

/// Why a case fails: what its expected file says and what came instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Mismatch {
    /// The expected-error file names no failure class.
    #[error("expected-error.txt must start with a class (invalid, retryable, trap, timeout, memory-limit, bad-output), not `{0}`")]
    UnknownClass(String),
    /// An error was expected; the call gave outputs.
    #[error("expected {} error containing `{}`, got {count} output(s)", want.class, want.substring)]
    Outputs {
        /// The expected error.
        want: ExpectedError,
        /// How many outputs came.
        count: usize,
    },
    /// An error was expected; another one came.
    #[error("expected {} error containing `{}`, got {got}", want.class, want.substring)]
    OtherError {
        /// The expected error.
        want: ExpectedError,
        /// The failure that came.
        got: CaseFailure,
    },
    /// Outputs were expected; the call failed.
    #[error("expected outputs, got error: {0}")]
    Failed(CaseFailure),
    /// The outputs differ from the expected lines.
    #[error("{0}")]
    Differs(Diff),
    /// The case has neither expected file.
    #[error("no {0}.expected.jsonl or {0}.expected-error.txt (run with --bless to write one)")]
    NoExpectedFile(String),
}

/// The lines of an `expected.jsonl` (blank lines skipped); the error is
/// the 1-based number of the first line that is not JSON.
pub fn expected_lines(text: &str) -> Result<Vec<Value>, (usize, serde_json::Error)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| (i + 1, e)))
        .collect()
}

/// Compares expected and actual output lines, ignoring object key order.
pub fn compare(want: &[Value], got: &[Value]) -> Result<(), Diff> {
    let (w, g): (Vec<Value>, Vec<Value>) = (
        want.iter().map(canonical).collect(),
        got.iter().map(canonical).collect(),
    );
    if w == g {
        Ok(())
    } else {
        Err(Diff { want: w, got: g })
    }
}

/// Expected and actual lines that differ; displays as a line diff of their
/// pretty-printed forms (`-` expected, `+` actual).
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The expected lines, keys sorted.
    pub want: Vec<Value>,
    /// The actual lines, keys sorted.
    pub got: Vec<Value>,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let render = |vs: &[Value]| {
            vs.iter()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        };
        let (a, b) = (render(&self.want), render(&self.got));
        let d = similar::TextDiff::from_lines(&a, &b);
        writeln!(f, "output differs (- expected, + actual):")?;
        for group in d.grouped_ops(2) {
            for op in group {
                for change in d.iter_changes(&op) {
                    let sign = match change.tag() {
                        similar::ChangeTag::Delete => "-",
                        similar::ChangeTag::Insert => "+",
                        similar::ChangeTag::Equal => " ",
                    };
                    write!(f, "    {sign} {change}")?;
                }
            }
            writeln!(f, "    ...")?;
        }
        Ok(())
    }
}

/// `v` with object keys sorted, recursively.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_expectations() {
        let f: CaseResult = Err(CaseFailure::new("invalid", "order 1 has\nno line_items"));
        let want = |t: &str| ExpectedError::parse(t).unwrap();
        assert_eq!(want("invalid: no line_items\n").check(&f), Ok(()));
        assert_eq!(want("\n invalid: has | no\n").check(&f), Ok(()));
        assert!(want("trap: no line_items").check(&f).is_err());
        assert!(want("invalid: other").check(&f).is_err());
        let outputs = want("invalid: x").check(&Ok(vec![json!(1)])).unwrap_err();
        assert_eq!(
            outputs.to_string(),
            "expected invalid error containing `x`, got 1 output(s)"
        );
        let other = want("retryable: x").check(&f).unwrap_err();
        assert_eq!(
            other.to_string(),
            "expected retryable error containing `x`, got invalid: order 1 has | no line_items"
        );
        assert!(ExpectedError::parse("oops: x")
            .is_err_and(|e| e.to_string().contains("must start with a class")));
    }

    #[test]
    fn key_order_is_ignored_and_diffs_show_changes() {
        let a = json!({"b": 1, "a": [1, {"y": 2, "x": 1}]});
        let b = json!({"a": [1, {"x": 1, "y": 2}], "b": 1});
        assert_eq!(compare(std::slice::from_ref(&a), &[b]), Ok(()));
        let c = json!({"a": [1, 3], "b": 1});
        let d = compare(&[a], &[c]).unwrap_err().to_string();
        assert!(
            d.starts_with("output differs (- expected, + actual):\n"),
            "{d}"
        );
        assert!(d.contains("+     3") && d.contains("-     {"), "{d}");
        assert!(compare(&[], &[json!(1)]).is_err());
        assert_eq!(expected_lines("1\n\n{\"a\":2}\n").unwrap().len(), 2);
        assert_eq!(expected_lines("1\n\n{").unwrap_err().0, 3);
    }
}

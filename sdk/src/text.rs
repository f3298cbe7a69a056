//! Text helpers for mapping and for error reasons: HTML character
//! references decoded, control characters escaped so a reason stays on one
//! line, long values clipped.

mod entities;

use std::borrow::Cow;

pub use entities::decode_entities;

/// `s` with every control character escaped (`\n`, `\u{7}`), so a reason
/// or header quoting document text stays on one line; borrowed when there
/// is none.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.contains(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut clean = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            clean.extend(c.escape_default());
        } else {
            clean.push(c);
        }
    }
    Cow::Owned(clean)
}

/// `s` with every control character replaced by a space, so it fits on
/// one line of a reason or a header value.
pub fn controls_to_spaces(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Document text quoted in an error reason: its first `max` characters,
/// control characters escaped, `…` appended when there were more.
pub fn clip(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i >= max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// What a JSON value is, for an error about a document of the wrong kind:
/// `an object with keys: id, name` (at most 12 keys, then `…`),
/// `an empty object`, `an array`, `a string`, `a number`, `a boolean` or
/// `null`.
pub fn json_shape(v: &serde_json::Value) -> String {
    use serde_json::Value;
    const MAX_KEYS: usize = 12;
    match v {
        Value::Object(map) if map.is_empty() => "an empty object".to_string(),
        Value::Object(map) => {
            let mut keys: Vec<&str> = map.keys().map(String::as_str).take(MAX_KEYS).collect();
            if map.len() > MAX_KEYS {
                keys.push("…");
            }
            format!("an object with keys: {}", keys.join(", "))
        }
        Value::Array(_) => "an array".to_string(),
        Value::String(_) => "a string".to_string(),
        Value::Number(_) => "a number".to_string(),
        Value::Bool(_) => "a boolean".to_string(),
        Value::Null => "null".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_clips() {
        assert_eq!(escape_controls("a\nb\tc"), "a\\nb\\tc");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("a\rb", 5), "a\\rb");
        assert_eq!(controls_to_spaces("a\r\nb"), "a  b");
        assert_eq!(
            json_shape(&serde_json::json!({"a": 1, "b": 2})),
            "an object with keys: a, b"
        );
        assert_eq!(json_shape(&serde_json::json!([])), "an array");
    }
}

//! The JSON-lines form of a message, as `weft plugin run` prints it and as
//! golden cases keep it in `NAME.expected.jsonl` (not built for `wasm32`;
//! the host renders its messages with these functions too, so there is one
//! definition of the form).
//!
//! A line is `{"id","correlation_id","kind","content_type","headers":{…},
//! "payload":…}`: a JSON payload (see [`is_json_content_type`]) is embedded
//! as JSON, UTF-8 text as a string, anything else base64 with
//! `"payload_encoding":"base64"`. A header name given more than once maps to
//! the array of its values.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::Message;

/// Whether `ct` names JSON: `application/json` or a `+json` suffix, with or
/// without parameters, in any letter case.
pub fn is_json_content_type(ct: &str) -> bool {
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON-lines form of a message given by its parts (see the module
/// documentation).
pub fn render_output(
    id: &str,
    correlation_id: &str,
    kind: &str,
    content_type: &str,
    headers: &[(String, String)],
    payload: &[u8],
) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(id.to_string()));
    out.insert(
        "correlation_id".into(),
        Value::String(correlation_id.to_string()),
    );
    out.insert("kind".into(), Value::String(kind.to_string()));
    out.insert(
        "content_type".into(),
        Value::String(content_type.to_string()),
    );
    out.insert("headers".into(), render_headers(headers));
    let json = if is_json_content_type(content_type) {
        serde_json::from_slice::<Value>(payload).ok()
    } else {
        None
    };
    match (json, std::str::from_utf8(payload)) {
        (Some(v), _) => {
            out.insert("payload".into(), v);
        }
        (None, Ok(text)) => {
            out.insert("payload".into(), Value::String(text.to_string()));
        }
        (None, Err(_)) => {
            out.insert(
                "payload".into(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(payload)),
            );
            out.insert("payload_encoding".into(), Value::String("base64".into()));
        }
    }
    Value::Object(out)
}

/// [`render_output`] of an SDK [`Message`].
pub fn render_message(m: &Message) -> Value {
    render_output(
        &m.id,
        &m.correlation_id,
        &m.kind,
        &m.content_type,
        &m.headers,
        &m.payload,
    )
}

/// Headers as an object, a repeated name as the array of its values.
fn render_headers(headers: &[(String, String)]) -> Value {
    let mut out = Map::new();
    for (name, value) in headers {
        match out.get_mut(name) {
            None => {
                out.insert(name.clone(), Value::String(value.clone()));
            }
            Some(Value::Array(values)) => values.push(Value::String(value.clone())),
            Some(first) => {
                let first = first.take();
                out.insert(
                    name.clone(),
                    Value::Array(vec![first, Value::String(value.clone())]),
                );
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(ct: &str, headers: &[(&str, &str)], payload: &[u8]) -> Value {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        render_output("1", "c", "k", ct, &headers, payload)
    }

    #[test]
    fn json_text_and_base64_payloads_and_repeated_headers() {
        let v = line(
            "application/vnd.weft+json; charset=utf-8",
            &[("x", "1"), ("x", "2"), ("x", "3"), ("y", "4")],
            br#"{"a":1}"#,
        );
        assert_eq!(v["payload"], json!({"a": 1}));
        assert_eq!(v["headers"], json!({"x": ["1", "2", "3"], "y": "4"}));
        assert!(v.get("payload_encoding").is_none());
        // Not JSON after all: kept as text.
        assert_eq!(line("application/json", &[], b"{")["payload"], "{");
        assert_eq!(line("text/plain", &[], b"ISA*00")["payload"], "ISA*00");
        let b = line("application/octet-stream", &[], &[0xff, 0x00]);
        assert_eq!(b["payload"], "/wA=");
        assert_eq!(b["payload_encoding"], "base64");
        assert!(is_json_content_type(" Application/JSON ;x=y"));
        assert!(!is_json_content_type("text/json-ish"));
    }
}

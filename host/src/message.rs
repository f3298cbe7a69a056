//! The host's owned message type, and how messages are printed as JSON lines.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One unit of work; mirrors the WIT `message` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Message {
    /// Unique id (the bus deduplicates on it).
    pub id: String,
    /// Groups every message of one business object, e.g. `shopify:450789469`.
    pub correlation_id: String,
    /// What the message is, e.g. `order.created`; `raw` for ingested input.
    pub kind: String,
    /// MIME type of the payload.
    pub content_type: String,
    /// `(name, value)` pairs; names are lower case.
    pub headers: Vec<(String, String)>,
    /// The document bytes.
    pub payload: Vec<u8>,
}

impl Message {
    /// A raw ingested message (kind `raw`).
    pub fn raw(
        id: impl Into<String>,
        content_type: impl Into<String>,
        payload: Vec<u8>,
    ) -> Message {
        Message {
            id: id.into(),
            kind: "raw".into(),
            content_type: content_type.into(),
            payload,
            ..Default::default()
        }
    }

    /// The first value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the content type names JSON (`application/json`, `…+json`).
    pub fn is_json(&self) -> bool {
        is_json_content_type(&self.content_type)
    }

    /// The JSON-lines form printed by `weft plugin run`:
    /// `{"id","correlation_id","kind","content_type","headers":{…},"payload":…}`.
    /// A JSON payload is embedded as JSON, UTF-8 text as a string, anything
    /// else base64 with `"payload_encoding":"base64"`. Repeated header names
    /// become an array of their values. The form is defined once, in
    /// [`weft_sdk::jsonl::render_output`], which golden cases use too.
    pub fn to_json_line(&self) -> Value {
        weft_sdk::jsonl::render_output(
            &self.id,
            &self.correlation_id,
            &self.kind,
            &self.content_type,
            &self.headers,
            &self.payload,
        )
    }
}

/// Why a JSON line is not a message ([`Message::from_json_line`]).
#[derive(Debug, thiserror::Error)]
pub enum JsonLineError {
    /// The line is not a JSON object.
    #[error("a message line must be a JSON object")]
    NotAnObject,
    /// A field that must be a string is not.
    #[error("`{0}` must be a string")]
    NotAString(&'static str),
    /// `headers` is not an object.
    #[error("`headers` must be an object")]
    Headers,
    /// A header's array holds something other than strings.
    #[error("header `{0}` values must be strings")]
    HeaderValues(String),
    /// A header is neither a string nor an array of strings.
    #[error("header `{0}` must be a string or an array of strings")]
    Header(String),
    /// `payload_encoding` is `base64` but the payload is not.
    #[error("`payload` is not valid base64")]
    Base64(#[source] base64::DecodeError),
    /// A JSON payload that cannot be serialised again.
    #[error("`payload` cannot be written as JSON")]
    Payload(#[source] serde_json::Error),
}

impl Message {
    /// Parses the JSON-lines form written by [`Message::to_json_line`], so
    /// `weft plugin run … | weft plugin run … --jsonl` chains plugins.
    pub fn from_json_line(v: &Value) -> Result<Message, JsonLineError> {
        let obj = v.as_object().ok_or(JsonLineError::NotAnObject)?;
        let text = |k: &'static str| -> Result<String, JsonLineError> {
            match obj.get(k) {
                Some(Value::String(s)) => Ok(s.clone()),
                None | Some(Value::Null) => Ok(String::new()),
                Some(_) => Err(JsonLineError::NotAString(k)),
            }
        };
        let mut headers = Vec::new();
        if let Some(h) = obj.get("headers") {
            let h = h.as_object().ok_or(JsonLineError::Headers)?;
            for (name, value) in h {
                match value {
                    Value::String(s) => headers.push((name.clone(), s.clone())),
                    Value::Array(vs) => {
                        for v in vs {
                            let s = v
                                .as_str()
                                .ok_or_else(|| JsonLineError::HeaderValues(name.clone()))?;
                            headers.push((name.clone(), s.to_string()));
                        }
                    }
                    _ => return Err(JsonLineError::Header(name.clone())),
                }
            }
        }
        let base64 = obj.get("payload_encoding").and_then(Value::as_str) == Some("base64");
        let payload = match obj.get("payload") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) if base64 => base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(JsonLineError::Base64)?,
            Some(Value::String(s)) if !is_json_content_type(&text("content_type")?) => {
                s.clone().into_bytes()
            }
            Some(other) => serde_json::to_vec(other).map_err(JsonLineError::Payload)?,
        };
        Ok(Message {
            id: text("id")?,
            correlation_id: text("correlation_id")?,
            kind: text("kind")?,
            content_type: text("content_type")?,
            headers,
            payload,
        })
    }
}

/// Whether `ct` names JSON: `application/json` or a `+json` suffix, with or
/// without parameters (the rule of [`weft_sdk::jsonl`], which renders the
/// JSON-lines form).
pub fn is_json_content_type(ct: &str) -> bool {
    weft_sdk::jsonl::is_json_content_type(ct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_embed_json_text_and_base64() {
        let mut m = Message::raw(
            "1",
            "application/json; charset=utf-8",
            br#"{"a":1}"#.to_vec(),
        );
        m.headers = vec![
            ("x".into(), "1".into()),
            ("x".into(), "2".into()),
            ("y".into(), "3".into()),
        ];
        let v = m.to_json_line();
        assert_eq!(v["payload"]["a"], 1);
        assert_eq!(v["headers"]["x"], serde_json::json!(["1", "2"]));
        assert_eq!(v["headers"]["y"], "3");
        assert!(v.get("payload_encoding").is_none());

        let t = Message::raw("2", "text/plain", b"ISA*00".to_vec());
        assert_eq!(t.to_json_line()["payload"], "ISA*00");

        let b = Message::raw("3", "application/octet-stream", vec![0xff, 0x00]);
        let v = b.to_json_line();
        assert_eq!(v["payload"], "/wA=");
        assert_eq!(v["payload_encoding"], "base64");

        for original in [m, t, b] {
            let back = Message::from_json_line(&original.to_json_line()).unwrap();
            assert_eq!(back.headers, original.headers);
            assert_eq!(back.kind, original.kind);
            if original.is_json() {
                let a: Value = serde_json::from_slice(&back.payload).unwrap();
                assert_eq!(
                    a,
                    serde_json::from_slice::<Value>(&original.payload).unwrap()
                );
            } else {
                assert_eq!(back.payload, original.payload);
            }
        }
        assert!(Message::from_json_line(&serde_json::json!([1])).is_err());
    }
}

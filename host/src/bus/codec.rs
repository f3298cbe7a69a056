//! How messages are stored in stream entries, and how replies are parsed.
//!
//! An entry has the fields `id`, `corr`, `kind`, `ct`, `headers` (a JSON
//! array of `[name, value]` pairs) and `payload` (raw bytes). A dead-letter
//! entry adds `error_class`, `error`, `plugin`, `stage`, `attempts`,
//! `first_failure`, `last_failure`, `correlation_id`.

use redis::Value;

use crate::message::Message;

/// A stream entry: its id and raw fields.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stream entry id, e.g. `1700000000000-0`.
    pub id: String,
    /// Field/value pairs in order.
    pub fields: Vec<(String, Vec<u8>)>,
}

impl Entry {
    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
    /// The value of `name` as text (lossy), empty if absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default()
    }
}

/// The fields of a message.
pub fn encode(m: &Message) -> Vec<(&'static str, Vec<u8>)> {
    let headers = serde_json::to_vec(&m.headers).unwrap_or_else(|_| b"[]".to_vec());
    vec![
        ("id", m.id.as_bytes().to_vec()),
        ("corr", m.correlation_id.as_bytes().to_vec()),
        ("kind", m.kind.as_bytes().to_vec()),
        ("ct", m.content_type.as_bytes().to_vec()),
        ("headers", headers),
        ("payload", m.payload.clone()),
    ]
}

/// Why a stream entry is not a message.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The entry has no (or an empty) `id` field.
    #[error("stream entry {entry} has no message id")]
    NoId {
        /// The stream entry id.
        entry: String,
    },
    /// The `headers` field is not a JSON array of `[name, value]` pairs.
    #[error("stream entry {entry}: bad headers")]
    Headers {
        /// The stream entry id.
        entry: String,
        /// Why the JSON was refused.
        #[source]
        source: serde_json::Error,
    },
}

/// Reads a message back from an entry.
pub fn decode(e: &Entry) -> Result<Message, DecodeError> {
    let id = e.text("id");
    if id.is_empty() {
        return Err(DecodeError::NoId {
            entry: e.id.clone(),
        });
    }
    let headers = match e.get("headers") {
        None => Vec::new(),
        Some(h) => serde_json::from_slice(h).map_err(|source| DecodeError::Headers {
            entry: e.id.clone(),
            source,
        })?,
    };
    Ok(Message {
        id,
        correlation_id: e.text("corr"),
        kind: e.text("kind"),
        content_type: e.text("ct"),
        headers,
        payload: e.get("payload").map(<[u8]>::to_vec).unwrap_or_default(),
    })
}

/// Like [`decode`], but moves the payload out of the entry instead of
/// copying it (the entry keeps its id and other fields).
pub fn take(e: &mut Entry) -> Result<Message, DecodeError> {
    let mut m = {
        let payloadless = Entry {
            id: e.id.clone(),
            fields: e
                .fields
                .iter()
                .filter(|(n, _)| n != "payload")
                .cloned()
                .collect(),
        };
        decode(&payloadless)?
    };
    if let Some((_, p)) = e.fields.iter_mut().find(|(n, _)| n == "payload") {
        m.payload = std::mem::take(p);
    }
    Ok(m)
}

/// A dead-lettered message and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DlqRecord {
    /// The DLQ entry id.
    pub entry_id: String,
    /// Failure class.
    pub error_class: String,
    /// Failure message.
    pub error: String,
    /// `name@version` of the failing plugin (empty for routing or delivery).
    pub plugin: String,
    /// The failing stage (or `route`, `deliver`).
    pub stage: String,
    /// Attempts made.
    pub attempts: u32,
    /// Correlation id as far as processing got (a source may have set it).
    pub correlation_id: String,
    /// RFC 3339 time of the first failure.
    pub first_failure: String,
    /// RFC 3339 time of the last failure.
    pub last_failure: String,
    /// The original message.
    #[serde(skip)]
    pub message: Message,
}

impl DlqRecord {
    /// Fields of the DLQ entry.
    pub fn encode(&self) -> Vec<(&'static str, Vec<u8>)> {
        let mut f = encode(&self.message);
        for (k, v) in [
            ("error_class", self.error_class.as_str()),
            ("error", self.error.as_str()),
            ("plugin", self.plugin.as_str()),
            ("stage", self.stage.as_str()),
            ("correlation_id", self.correlation_id.as_str()),
            ("first_failure", self.first_failure.as_str()),
            ("last_failure", self.last_failure.as_str()),
        ] {
            f.push((k, v.as_bytes().to_vec()));
        }
        f.push(("attempts", self.attempts.to_string().into_bytes()));
        f
    }

    /// Reads a DLQ entry.
    pub fn decode(e: &Entry) -> Result<DlqRecord, DecodeError> {
        Ok(DlqRecord {
            entry_id: e.id.clone(),
            error_class: e.text("error_class"),
            error: e.text("error"),
            plugin: e.text("plugin"),
            stage: e.text("stage"),
            attempts: e.text("attempts").parse().unwrap_or(0),
            correlation_id: e.text("correlation_id"),
            first_failure: e.text("first_failure"),
            last_failure: e.text("last_failure"),
            message: decode(e)?,
        })
    }
}

fn bytes(v: Value) -> Option<Vec<u8>> {
    match v {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        Value::Int(i) => Some(i.to_string().into_bytes()),
        _ => None,
    }
}

/// Parses `[[id, [f, v, …]], …]` (XRANGE, or one stream of XREADGROUP /
/// XAUTOCLAIM), moving the values out of the reply (payloads are not copied).
pub fn parse_entries(v: Value) -> Vec<Entry> {
    let Value::Array(items) = v else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Array(pair) = item else { continue };
        let mut pair = pair.into_iter();
        let (Some(id), Some(Value::Array(fv))) = (pair.next().and_then(bytes), pair.next()) else {
            continue;
        };
        let mut fields = Vec::with_capacity(fv.len() / 2);
        let mut fv = fv.into_iter();
        while let (Some(k), Some(v)) = (fv.next(), fv.next()) {
            if let (Some(k), Some(v)) = (bytes(k), bytes(v)) {
                fields.push((String::from_utf8_lossy(&k).into_owned(), v));
            }
        }
        out.push(Entry {
            id: String::from_utf8_lossy(&id).into_owned(),
            fields,
        });
    }
    out
}

/// Parses an XREADGROUP / XREAD reply (one or more streams) into entries.
pub fn parse_read(v: Value) -> Vec<Entry> {
    match v {
        Value::Array(streams) => streams
            .into_iter()
            .flat_map(|s| match s {
                Value::Array(kv) if kv.len() == 2 => {
                    kv.into_iter().nth(1).map(parse_entries).unwrap_or_default()
                }
                _ => Vec::new(),
            })
            .collect(),
        Value::Map(streams) => streams
            .into_iter()
            .flat_map(|(_, v)| parse_entries(v))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses an XAUTOCLAIM reply: `[next cursor, entries, deleted ids]`.
pub fn parse_autoclaim(v: Value) -> (String, Vec<Entry>) {
    let Value::Array(parts) = v else {
        return ("0-0".into(), Vec::new());
    };
    let mut parts = parts.into_iter();
    let cursor = parts
        .next()
        .and_then(bytes)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|| "0-0".into());
    let entries = parts.next().map(parse_entries).unwrap_or_default();
    (cursor, entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_fields() {
        let m = Message {
            id: "a".into(),
            correlation_id: "c".into(),
            kind: "k".into(),
            content_type: "application/octet-stream".into(),
            headers: vec![("x".into(), "1".into())],
            payload: vec![0, 255, 10],
        };
        let fields = encode(&m)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let back = decode(&Entry {
            id: "1-0".into(),
            fields,
        })
        .unwrap();
        assert_eq!(back, m);
        assert!(decode(&Entry {
            id: "1-0".into(),
            fields: vec![]
        })
        .unwrap_err()
        .to_string()
        .contains("no message id"));
    }
}

//! What the lifecycle mappings (shipments, acknowledgements, payments,
//! returns) share: correlation ids, required fields, quantities and
//! timestamps read with the field named in errors, content digests for
//! message ids, and the gathering of the messages of one document.

use serde::Serialize;
use serde_json::{Map, Value};
use weft_sdk::money;
use weft_sdk::{Distinct, Message, PluginError};

use crate::json::{self, text};
use crate::CHANNEL;

/// The correlation id of the order `order_id`: `amazon:{order_id}`, as the
/// order itself carries it.
pub fn correlation(order_id: &str) -> String {
    format!("{CHANNEL}:{order_id}")
}

/// `v` as an object, `None` when absent or of another type.
pub fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

/// The elements of array `v`; empty when absent or not an array.
pub fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The required text of `obj[key]`; an error naming `path` otherwise.
pub fn required(obj: &Map<String, Value>, key: &str, path: &str) -> Result<String, PluginError> {
    text(obj.get(key)).ok_or_else(|| PluginError::invalid(format!("{path} is missing")))
}

/// A quantity at `path` as a decimal string; `None` when absent.
pub fn qty(v: Option<&Value>, path: &str) -> Result<Option<String>, PluginError> {
    Ok(json::quantity(v, path)?.map(money::format_qty))
}

/// A quantity at `path` as a decimal; `None` when absent.
pub fn qty_dec(v: Option<&Value>, path: &str) -> Result<Option<money::Decimal>, PluginError> {
    json::quantity(v, path)
}

/// An RFC 3339 timestamp at `path` kept as given; `None` when absent.
pub fn ts(v: Option<&Value>, path: &str) -> Result<Option<String>, PluginError> {
    json::timestamp(v, path)
}

/// A short digest (FNV-1a, 64 bits, hex) of `v`'s JSON text: message ids of
/// polled documents that carry no modification time include it, so an
/// unchanged document is a duplicate and a changed one an update.
pub fn digest(v: &Value) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in v.to_string().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// What mapping one part of a document gave.
pub enum Outcome {
    /// A canonical message.
    Emit(Message),
    /// Nothing: the part states no lifecycle fact, for the reason given.
    Skip(String),
}

/// A message of kind `kind` with document `doc` as payload.
pub fn emit<T: Serialize>(
    id: String,
    correlation_id: &str,
    kind: &str,
    doc: &T,
) -> Result<Outcome, PluginError> {
    Message::json(id, correlation_id, kind, doc).map(Outcome::Emit)
}

/// The messages of one document, in order. A document none of whose parts
/// is a fact is refused: `invalid`, `what` followed by every reason. The
/// same message twice is sent once; one id with different contents is an
/// error.
pub fn gather(outcomes: Vec<Outcome>, what: &str) -> Result<Vec<Message>, PluginError> {
    let mut out = Distinct::default();
    let mut reasons = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Skip(reason) => reasons.push(reason),
            Outcome::Emit(m) => out.push(m).map_err(|id| {
                PluginError::invalid(format!(
                    "{what} holds message {id} twice with different content"
                ))
            })?,
        }
    }
    if out.is_empty() {
        let why = if reasons.is_empty() {
            "it holds nothing to map".to_string()
        } else {
            reasons.join("; ")
        };
        return Err(PluginError::invalid(format!(
            "{what} states no shipment, cancellation, acknowledgement, payment or return: {why}"
        )));
    }
    Ok(out.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn digest_is_stable_and_content_sensitive() {
        let a = json!({"a": 1, "b": [1, 2]});
        assert_eq!(digest(&a), digest(&json!({"a": 1, "b": [1, 2]})));
        assert_ne!(digest(&a), digest(&json!({"a": 1, "b": [1, 3]})));
        assert_eq!(digest(&a).len(), 16);
    }

    #[test]
    fn gather_dedupes_and_refuses_nothing() {
        let m = |id: &str, p: &str| {
            Outcome::Emit(Message::json(id, "c", "k", &json!({ "p": p })).unwrap())
        };
        let out = gather(vec![m("1", "a"), m("1", "a"), m("2", "b")], "x").unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(
            gather(vec![m("1", "a"), m("1", "b")], "the page"),
            Err(PluginError::invalid(
                "the page holds message 1 twice with different content"
            ))
        );
        assert_eq!(
            gather(vec![Outcome::Skip("a is pending".into())], "the page"),
            Err(PluginError::invalid(
                "the page states no shipment, cancellation, acknowledgement, payment or return: a is pending"
            ))
        );
    }
}

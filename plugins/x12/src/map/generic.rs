//! Sets without a canonical mapping (210, 860, 864, …) → kind
//! `x12.transaction`: the segments as JSON arrays.

use serde_json::{json, Value};

use super::{Ctx, Doc};
use crate::TRANSACTION;

/// The set as `{standard, set, control_number, version, sender, receiver,
/// segments: [[id, elements…]…]}`.
pub fn map(ctx: &Ctx) -> Doc {
    let segments: Vec<Value> = ctx
        .set
        .segments
        .iter()
        .map(|s| {
            let mut row = vec![Value::String(s.id.clone())];
            row.extend(s.elements.iter().map(|e| Value::String(e.clone())));
            Value::Array(row)
        })
        .collect();
    Doc {
        kind: TRANSACTION.into(),
        correlation_id: ctx.message_id(),
        payload: json!({
            "standard": "x12",
            "set": ctx.set.id,
            "control_number": ctx.set.control,
            "version": ctx.group.version,
            "functional_id": ctx.group.functional_id,
            "sender": ctx.interchange.sender,
            "receiver": ctx.interchange.receiver,
            "interchange_control": ctx.interchange.control,
            "group_control": ctx.group.control,
            "segments": segments,
        }),
    }
}

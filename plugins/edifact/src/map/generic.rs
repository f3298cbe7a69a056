//! Messages without a canonical mapping → kind `edifact.message`: the
//! segments as JSON arrays.

use serde_json::{json, Value};

use super::{Ctx, Doc};
use crate::MESSAGE;

/// The message as `{standard, type, version, release, control_number,
/// sender, receiver, segments: [[tag, elements…]…]}`; a simple element is a
/// string, a composite an array of its components.
pub fn map(ctx: &Ctx) -> Doc {
    let m = ctx.message;
    let segments: Vec<Value> = m
        .segments
        .iter()
        .map(|s| {
            let mut row = vec![Value::String(s.tag.clone())];
            row.extend(s.elements.iter().map(|e| match e.as_slice() {
                [one] => Value::String(one.clone()),
                many => Value::Array(many.iter().cloned().map(Value::String).collect()),
            }));
            Value::Array(row)
        })
        .collect();
    let ic = ctx.interchange;
    Doc {
        kind: MESSAGE.into(),
        correlation_id: ctx.message_id(),
        payload: json!({
            "standard": "edifact",
            "type": m.msg_type,
            "version": m.version,
            "release": m.release,
            "agency": m.agency,
            "association": m.association,
            "control_number": m.reference,
            "interchange_control": ic.control,
            "sender": ic.sender,
            "receiver": ic.receiver,
            "segments": segments,
        }),
        warnings: Vec::new(),
    }
}

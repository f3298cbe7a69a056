//! The canonical model's JSON Schemas (`schemas/*.v1.schema.json`, built
//! into the host) and the check of what sources and transforms emit
//! (failure class `schema`, with the JSON path of each violation).
//!
//! A JSON output is checked when its kind is a canonical kind
//! (`order.created`, `shipment.dispatched`, …: its `schema` must then be the
//! matching document) or when its payload names a `weft.*` schema. Other
//! outputs (`x12.997`, `http.request`, …) pass unchecked.

use std::sync::OnceLock;

use serde_json::Value;

use super::{world::Role, Failure, FailureClass};
use crate::message::Message;

/// Each canonical document: schema id, the kinds it travels as, its schema.
const DOCUMENTS: [(&str, &[&str], &str); 9] = [
    (
        "weft.order/1",
        &["order.created", "order.updated", "order.cancelled"],
        include_str!("../../../schemas/order.v1.schema.json"),
    ),
    (
        "weft.order_ack/1",
        &["order.acknowledged", "order.allocated"],
        include_str!("../../../schemas/order_ack.v1.schema.json"),
    ),
    (
        "weft.shipment/1",
        &["shipment.dispatched"],
        include_str!("../../../schemas/shipment.v1.schema.json"),
    ),
    (
        "weft.invoice/1",
        &["invoice.posted"],
        include_str!("../../../schemas/invoice.v1.schema.json"),
    ),
    (
        "weft.inventory/1",
        &["inventory.advised"],
        include_str!("../../../schemas/inventory.v1.schema.json"),
    ),
    (
        "weft.return/1",
        &["return.completed", "return.authorized"],
        include_str!("../../../schemas/return.v1.schema.json"),
    ),
    (
        "weft.credit/1",
        &["credit.issued"],
        include_str!("../../../schemas/credit.v1.schema.json"),
    ),
    (
        "weft.payment/1",
        &["payment.received"],
        include_str!("../../../schemas/payment.v1.schema.json"),
    ),
    (
        "weft.edi_ack/1",
        &["edi_ack.received"],
        include_str!("../../../schemas/edi_ack.v1.schema.json"),
    ),
];

/// Violations reported per output at most.
const MAX_REPORTED: usize = 5;

fn validators() -> &'static [Option<jsonschema::Validator>] {
    static V: OnceLock<Vec<Option<jsonschema::Validator>>> = OnceLock::new();
    V.get_or_init(|| {
        DOCUMENTS
            .iter()
            .map(|(id, _, text)| {
                let schema: Value = serde_json::from_str(text).ok()?;
                match jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                {
                    Ok(v) => Some(v),
                    Err(e) => {
                        tracing::error!("built-in schema {id} does not compile: {e}");
                        None
                    }
                }
            })
            .collect()
    })
}

/// The schema ids the host knows.
pub fn known() -> impl Iterator<Item = &'static str> {
    DOCUMENTS.iter().map(|(id, _, _)| *id)
}

/// Checks the outputs of one call of a plugin in `role`.
pub(crate) fn check(role: Role, outputs: Vec<Message>) -> Result<Vec<Message>, Failure> {
    if role == Role::Sink {
        return Ok(outputs);
    }
    for (i, m) in outputs.iter().enumerate() {
        if let Err(why) = check_one(m) {
            return Err(Failure::new(
                FailureClass::Schema,
                format!("output {i} (kind {}): {why}", m.kind),
            ));
        }
    }
    Ok(outputs)
}

/// Checks one message; `Err` says what is wrong, with JSON paths.
pub fn check_one(m: &Message) -> Result<(), String> {
    let by_kind = DOCUMENTS
        .iter()
        .position(|(_, kinds, _)| kinds.contains(&m.kind.as_str()));
    let json = m.content_type.contains("json");
    if by_kind.is_none() && !json {
        return Ok(());
    }
    let doc: Value = match serde_json::from_slice(&m.payload) {
        Ok(v) => v,
        Err(_) if by_kind.is_none() => return Ok(()),
        Err(e) => return Err(format!("payload is not JSON: {e}")),
    };
    let named = doc.get("schema").and_then(Value::as_str);
    let index = match (by_kind, named) {
        (Some(i), Some(n)) if n == DOCUMENTS[i].0 => i,
        (Some(i), Some(n)) => {
            return Err(format!(
                "/schema: kind {} carries {}, not `{n}`",
                m.kind, DOCUMENTS[i].0
            ))
        }
        (Some(i), None) => {
            return Err(format!(
                "/schema: missing; kind {} carries {}",
                m.kind, DOCUMENTS[i].0
            ))
        }
        (None, Some(n)) if n.starts_with("weft.") => {
            match DOCUMENTS.iter().position(|(id, _, _)| *id == n) {
                Some(i) => i,
                None => {
                    return Err(format!(
                        "/schema: unknown schema `{n}` (known: {})",
                        known().collect::<Vec<_>>().join(", ")
                    ))
                }
            }
        }
        (None, _) => return Ok(()),
    };
    let Some(validator) = validators().get(index).and_then(Option::as_ref) else {
        return Ok(());
    };
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .take(MAX_REPORTED + 1)
        .map(|e| {
            let path = e.instance_path.to_string();
            let path = if path.is_empty() {
                "/".to_string()
            } else {
                path
            };
            format!("{path}: {e}")
        })
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let more = if errors.len() > MAX_REPORTED {
        " (and more)"
    } else {
        ""
    };
    Err(format!(
        "{}: {}{more}",
        DOCUMENTS[index].0,
        errors
            .into_iter()
            .take(MAX_REPORTED)
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(kind: &str, doc: Value) -> Message {
        Message {
            id: "m".into(),
            kind: kind.into(),
            content_type: "application/json".into(),
            payload: serde_json::to_vec(&doc).unwrap(),
            ..Default::default()
        }
    }

    #[test]
    fn every_built_in_schema_compiles() {
        assert!(validators().iter().all(Option::is_some));
    }

    #[test]
    fn violations_name_the_json_path() {
        let doc = serde_json::json!({
            "schema": "weft.shipment/1", "shipment_id": "S1", "channel": "x12",
            "correlation_id": "x12:PO1", "order_refs": ["PO1"], "tracking": [],
            "packages": [{"items": [{"sku": "A", "quantity": "two"}]}]
        });
        let e = check_one(&msg("shipment.dispatched", doc.clone())).unwrap_err();
        assert!(
            e.starts_with("weft.shipment/1: /packages/0/items/0/quantity: "),
            "{e}"
        );
        let mut ok = doc;
        ok["packages"][0]["items"][0]["quantity"] = "2".into();
        check_one(&msg("shipment.dispatched", ok.clone())).unwrap();
        let e = check_one(&msg("invoice.posted", ok)).unwrap_err();
        assert!(
            e.contains("kind invoice.posted carries weft.invoice/1"),
            "{e}"
        );
    }

    #[test]
    fn payments_and_credits_are_checked_by_kind() {
        let payment = serde_json::json!({
            "schema": "weft.payment/1", "payment_id": "801038806", "channel": "shopify",
            "correlation_id": "shopify:450789469", "order_id": "450789469",
            "order_refs": ["450789469"], "paid_at": "2005-08-05T10:22:51-04:00",
            "amount": "250.94", "currency": "USD", "status": "completed"
        });
        check_one(&msg("payment.received", payment.clone())).unwrap();
        let mut bad = payment;
        bad["amount"] = 250.94.into();
        let e = check_one(&msg("payment.received", bad)).unwrap_err();
        assert!(e.starts_with("weft.payment/1: /amount: "), "{e}");
        let credit = serde_json::json!({
            "schema": "weft.credit/1", "credit_id": "1", "channel": "shopify",
            "correlation_id": "shopify:450789469", "issued_at": "2017-01-05",
            "amount": "10.00"
        });
        check_one(&msg("credit.issued", credit.clone())).unwrap();
        let e = check_one(&msg("payment.received", credit)).unwrap_err();
        assert!(e.contains("carries weft.payment/1"), "{e}");
    }

    #[test]
    fn unknown_weft_schemas_fail_and_other_payloads_pass() {
        let e = check_one(&msg("x.y", serde_json::json!({"schema": "weft.nope/1"}))).unwrap_err();
        assert!(e.contains("unknown schema `weft.nope/1`"), "{e}");
        check_one(&msg("x12.transaction", serde_json::json!({"segments": []}))).unwrap();
        let edi = Message {
            kind: "x12.997".into(),
            content_type: "application/edi-x12".into(),
            payload: b"ISA*00*".to_vec(),
            ..Default::default()
        };
        check_one(&edi).unwrap();
    }
}

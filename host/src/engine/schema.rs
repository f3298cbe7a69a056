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

/// Compiles the built-in schemas now (about 50 ms, once per process), so
/// the first message does not pay for it.
pub(crate) fn warm() {
    let _ = validators();
}

/// The schema ids the host knows.
pub fn known() -> impl Iterator<Item = &'static str> {
    DOCUMENTS.iter().map(|(id, _, _)| *id)
}

/// Reads the payload of each output of one call of a plugin in `role`,
/// once: a JSON content type must carry JSON (`bad-output`); an output of
/// a canonical kind, or a JSON payload naming a `weft.*` schema, must be
/// that document (`schema`). A sink's outputs are requests to another
/// system: their JSON is checked, not their schema. An output with the
/// kind, content type and payload of `checked` (an input the host checked
/// as an earlier stage's output) passes as it did then.
pub(crate) fn check(
    role: Role,
    outputs: Vec<Message>,
    checked: Option<&Message>,
) -> Result<Vec<Message>, Failure> {
    for (i, m) in outputs.iter().enumerate() {
        // The input, passed through: it was checked as it is.
        if checked.is_some_and(|c| {
            c.kind == m.kind && c.content_type == m.content_type && c.payload == m.payload
        }) {
            continue;
        }
        let (class, why) = match read(m, role != Role::Sink) {
            Ok(()) => continue,
            Err(Bad::NotJson(e)) => (
                FailureClass::BadOutput,
                format!(
                    "content-type is {} but the payload is not JSON: {e}",
                    m.content_type
                ),
            ),
            Err(Bad::Schema(why)) => (FailureClass::Schema, why),
        };
        return Err(Failure::new(
            class,
            format!("output {i} (kind {}): {why}", m.kind),
        ));
    }
    Ok(outputs)
}

/// What is wrong with a payload.
enum Bad {
    /// A JSON content type, and the payload is not JSON.
    NotJson(serde_json::Error),
    /// Not the document its kind or `schema` field says, with JSON paths.
    Schema(String),
}

/// Checks one message; `Err` says what is wrong, with JSON paths.
#[cfg(test)]
fn check_one(m: &Message) -> Result<(), String> {
    read(m, true).map_err(|b| match b {
        Bad::NotJson(e) => format!("payload is not JSON: {e}"),
        Bad::Schema(why) => why,
    })
}

/// Parses `m`'s payload once: into a document when it must be validated
/// (its kind is canonical), else only scanned for its well-formedness and
/// top-level `schema` name, building nothing.
fn read(m: &Message, schemas: bool) -> Result<(), Bad> {
    let json_type = crate::message::is_json_content_type(&m.content_type);
    let by_kind = DOCUMENTS
        .iter()
        .position(|(_, kinds, _)| kinds.contains(&m.kind.as_str()))
        .filter(|_| schemas);
    if let Some(i) = by_kind {
        let doc: Value = match serde_json::from_slice(&m.payload) {
            Ok(v) => v,
            Err(e) if json_type => return Err(Bad::NotJson(e)),
            Err(e) => return Err(Bad::Schema(format!("payload is not JSON: {e}"))),
        };
        return match doc.get("schema").and_then(Value::as_str) {
            Some(n) if n == DOCUMENTS[i].0 => against(i, &doc),
            Some(n) => Err(format!(
                "/schema: kind {} carries {}, not `{n}`",
                m.kind, DOCUMENTS[i].0
            )),
            None => Err(format!(
                "/schema: missing; kind {} carries {}",
                m.kind, DOCUMENTS[i].0
            )),
        }
        .map_err(Bad::Schema);
    }
    if !json_type && !m.content_type.contains("json") {
        return Ok(());
    }
    let named = match serde_json::from_slice::<SchemaName>(&m.payload) {
        Ok(SchemaName(n)) => n,
        Err(e) if json_type => return Err(Bad::NotJson(e)),
        // `…json…` but not a JSON type (`application/json-seq`): not ours to judge.
        Err(_) => return Ok(()),
    };
    let Some(n) = named.filter(|n| schemas && n.starts_with("weft.")) else {
        return Ok(());
    };
    let Some(i) = DOCUMENTS.iter().position(|(id, _, _)| *id == n) else {
        return Err(Bad::Schema(format!(
            "/schema: unknown schema `{n}` (known: {})",
            known().collect::<Vec<_>>().join(", ")
        )));
    };
    // Rare (a document under a kind of its own): parsed a second time.
    let doc: Value = serde_json::from_slice(&m.payload)
        .map_err(|e| Bad::Schema(format!("payload is not JSON: {e}")))?;
    against(i, &doc).map_err(Bad::Schema)
}

/// Validates `doc` against document `index`'s schema.
fn against(index: usize, doc: &Value) -> Result<(), String> {
    let Some(validator) = validators().get(index).and_then(Option::as_ref) else {
        return Ok(());
    };
    // The common case, valid, without building any error (about half the
    // instructions of collecting them); the errors only for an invalid one.
    if validator.is_valid(doc) {
        return Ok(());
    }
    let errors: Vec<String> = validator
        .iter_errors(doc)
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

/// A JSON text's top-level `schema` string, read while checking that the
/// whole text is well-formed, without building the rest (as
/// `serde::de::IgnoredAny` does). As with a parsed document, the last of
/// repeated `schema` keys counts, and a value that is not a string is none.
struct SchemaName(Option<String>);

impl<'de> serde::Deserialize<'de> for SchemaName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SchemaNameVisitor)
    }
}

struct SchemaNameVisitor;

/// Whether a map key is `schema`, without allocating it.
struct IsSchemaKey(bool);

impl<'de> serde::Deserialize<'de> for IsSchemaKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IsSchemaKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, k: &str) -> Result<IsSchemaKey, E> {
                Ok(IsSchemaKey(k == "schema"))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> serde::de::Visitor<'de> for SchemaNameVisitor {
    type Value = SchemaName;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SchemaName, A::Error> {
        let mut name = None;
        while let Some(IsSchemaKey(is_schema)) = map.next_key()? {
            if is_schema {
                name = match map.next_value::<Value>()? {
                    Value::String(s) => Some(s),
                    _ => None,
                };
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(SchemaName(name))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SchemaName, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(SchemaName(None))
    }
    fn visit_bool<E>(self, _: bool) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
    fn visit_str<E>(self, _: &str) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
    fn visit_unit<E>(self) -> Result<SchemaName, E> {
        Ok(SchemaName(None))
    }
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
    fn a_passed_through_input_is_not_checked_again_but_a_changed_one_is() {
        let bad = msg(
            "shipment.dispatched",
            serde_json::json!({"schema": "weft.shipment/1", "shipment_id": 7}),
        );
        // What the guard relies on: this document fails on its own.
        assert!(check(Role::Transform, vec![bad.clone()], None).is_err());
        let mut with_header = bad.clone();
        with_header
            .headers
            .push(("weft-validated".into(), "x".into()));
        assert!(check(Role::Transform, vec![with_header], Some(&bad)).is_ok());
        let mut changed = bad.clone();
        changed.payload.push(b' ');
        let e = check(Role::Transform, vec![changed], Some(&bad)).expect_err("changed");
        assert_eq!(e.class, FailureClass::Schema);
        let mut rekinded = bad.clone();
        rekinded.kind = "order.created".into();
        assert!(check(Role::Transform, vec![rekinded], Some(&bad)).is_err());
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
    fn one_scan_finds_the_schema_name_and_judges_the_json() {
        let name = |t: &str| serde_json::from_str::<SchemaName>(t).map(|n| n.0);
        assert_eq!(
            name(r#"{"a":[1,{"schema":"x"}],"schema":"weft.order/1"}"#)
                .unwrap()
                .as_deref(),
            Some("weft.order/1")
        );
        assert_eq!(
            name(r#"{"schema":"a","schema":"b"}"#).unwrap().as_deref(),
            Some("b")
        );
        assert_eq!(name(r#"{"schema":7}"#).unwrap(), None);
        for other in ["[1,2]", "\"s\"", "3", "-1", "1.5", "true", "null", "{}"] {
            assert_eq!(name(other).unwrap(), None, "{other}");
        }
        for bad in ["{", r#"{"a":}"#, "[1,]", r#"{"schema":"x"} trailing"#] {
            assert!(name(bad).is_err(), "{bad}");
        }
        // Through the check: not JSON under a JSON type is bad-output,
        // whether the kind is canonical or not; a sink's JSON is checked too.
        let raw = |kind: &str, ct: &str, p: &[u8]| Message {
            kind: kind.into(),
            content_type: ct.into(),
            payload: p.to_vec(),
            ..Default::default()
        };
        for (role, kind) in [
            (Role::Transform, "order.created"),
            (Role::Transform, "x.y"),
            (Role::Sink, "http.request"),
        ] {
            let f = check(role, vec![raw(kind, "application/json", b"{oops")], None).unwrap_err();
            assert_eq!(f.class, FailureClass::BadOutput, "{role} {kind}");
            assert!(f.message.starts_with(&format!("output 0 (kind {kind}): content-type is application/json but the payload is not JSON: ")), "{}", f.message);
        }
        let f = check(
            Role::Transform,
            vec![raw(
                "x.y",
                "application/json",
                br#"{"schema":"weft.order/1"}"#,
            )],
            None,
        )
        .unwrap_err();
        assert_eq!(f.class, FailureClass::Schema);
        assert!(f.message.contains("weft.order/1: /: "), "{}", f.message);
        // A sink's request may be any JSON, even one naming a schema.
        check(
            Role::Sink,
            vec![raw(
                "x.y",
                "application/json",
                br#"{"schema":"weft.order/1"}"#,
            )],
            None,
        )
        .unwrap();
        // `json` in a type that is not JSON: its payload is not judged.
        check(
            Role::Transform,
            vec![raw("x.y", "application/json-seq", b"\x1e{}")],
            None,
        )
        .unwrap();
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

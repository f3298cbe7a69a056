//! Per-document reading of the facts: which field is the id, the business
//! time, the total, the lines, and what the document refers to.

use rust_decimal::Decimal;
use serde_json::Value;

use super::{decimal, text, time, Doc, Event, ItemIds, Line};

/// Fills the document-specific facts of `e` from the canonical JSON `v`.
pub(super) fn fill(e: &mut Event, v: &Value) {
    match e.doc {
        Doc::Order => order(e, v),
        Doc::Ack => {
            e.doc_id = first(v, &["ack_id", "order_id"]);
            push_ref(&mut e.refs, text(v, "order_id"));
            push_ref(&mut e.refs, po(v));
            e.at = time(v, "acknowledged_at");
            e.status = text(v, "ack_type").or(e.status.take());
            e.lines = lines(v.get("lines"), "quantity");
        }
        Doc::Shipment => shipment(e, v),
        Doc::Invoice => {
            e.doc_id = first(v, &["invoice_id"]);
            e.at = time(v, "invoice_date");
            e.amount = v.get("totals").and_then(|t| decimal(t, "total"));
            e.lines = lines(v.get("lines"), "quantity");
            if e.amount.is_none() {
                e.amount = line_amounts(&e.lines);
            }
            if text(v, "purpose").as_deref() == Some("cancel") {
                e.status = Some("cancelled".into());
            }
        }
        Doc::Payment => {
            e.doc_id = first(v, &["payment_id"]);
            push_ref(&mut e.refs, text(v, "order_id"));
            e.at = time(v, "paid_at");
            e.amount = decimal(v, "amount");
        }
        Doc::Credit => {
            e.doc_id = first(v, &["credit_id"]);
            push_ref(&mut e.refs, text(v, "order_id"));
            e.at = time(v, "issued_at");
            e.amount = decimal(v, "amount");
            e.lines = lines(v.get("lines"), "quantity");
        }
        Doc::Return => {
            e.doc_id = first(v, &["return_id", "refund_id"]);
            push_ref(&mut e.refs, text(v, "order_id"));
            push_ref(&mut e.refs, po(v));
            // An authorisation (nothing received yet) is dated by when it
            // was authorised and marked so: it counts as no return.
            if e.kind == "return.authorized" || e.status.as_deref() == Some("authorized") {
                e.status = Some("authorized".into());
                e.at = time(v, "authorized_at").or_else(|| time(v, "returned_at"));
            } else {
                e.at = time(v, "returned_at");
            }
            e.lines = lines(v.get("lines"), "quantity");
            e.amount = v
                .get("totals")
                .and_then(|t| decimal(t, "total"))
                .or_else(|| line_amounts(&e.lines));
        }
        Doc::Inventory => {
            e.doc_id = text(v, "advice_id").unwrap_or_else(|| {
                format!(
                    "{}@{}",
                    text(v, "location").unwrap_or_default(),
                    text(v, "as_of").unwrap_or_default()
                )
            });
            e.at = time(v, "as_of");
        }
        Doc::EdiAck => edi_ack(e, v),
        Doc::Delivery | Doc::DeadLetter => {}
    }
    if e.doc_id.is_empty() {
        e.doc_id = e.event_id.clone();
    }
}

/// An acknowledgement refers to the groups it acknowledges by their match
/// keys (`groups[].key`, in scope [`identity::EDI_ACK`]); each group's
/// status and errors are kept as `ack:<key>` and `ack_errors:<key>`.
///
/// [`identity::EDI_ACK`]: crate::ledger::identity::EDI_ACK
fn edi_ack(e: &mut Event, v: &Value) {
    e.doc_id = text(v, "ack_id").unwrap_or_default();
    e.at = time(v, "acknowledged_at");
    e.refs.clear();
    for g in v
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(key) = text(g, "key") else { continue };
        let status = text(g, "status").unwrap_or_else(|| "rejected".into());
        let errors: Vec<String> = g
            .get("sets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| {
                let set = format!(
                    "{} {}",
                    text(s, "set").unwrap_or_default(),
                    text(s, "control").unwrap_or_default()
                );
                let errs: Vec<String> = s
                    .get("errors")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str().map(|x| format!("{set}: {x}")))
                    .collect();
                let rejected = text(s, "status").is_some_and(|st| st == "rejected");
                if errs.is_empty() && rejected {
                    vec![format!("{set}: rejected")]
                } else {
                    errs
                }
            })
            .collect();
        e.extra.insert(format!("ack:{key}"), status);
        if !errors.is_empty() {
            e.extra
                .insert(format!("ack_errors:{key}"), errors.join("; "));
        }
        e.refs.push(key);
    }
}

fn order(e: &mut Event, v: &Value) {
    e.doc_id = first(v, &["order_id"]);
    let number = text(v, "order_number");
    let po = po(v);
    e.aliases = [Some(e.doc_id.clone()), number.clone(), po.clone()]
        .into_iter()
        .flatten()
        .filter(|a| !a.is_empty())
        .collect();
    e.at = time(v, "ordered_at");
    e.revised_at = time(v, "updated_at").or(e.at);
    e.amount = v.get("totals").and_then(|t| decimal(t, "total"));
    e.lines = lines(v.get("lines"), "quantity");
    if e.amount.is_none() {
        e.amount = line_amounts(&e.lines);
    }
    let cancelled = e.kind == "order.cancelled"
        || e.status.as_deref() == Some("cancelled")
        || text(v, "purpose").as_deref() == Some("cancel");
    if cancelled {
        e.status = Some("cancelled".into());
        if let Some(t) = time(v, "cancelled_at").or(e.revised_at) {
            e.extra.insert("cancelled_at".into(), t.to_string());
        }
    }
    if let Some(n) = number {
        e.extra.insert("order_number".into(), n);
    }
    if let Some(p) = po {
        e.extra.insert("po_number".into(), p);
    }
    if let Some(t) = time(v, "requested_ship_at") {
        e.extra.insert("requested_ship_at".into(), t.to_string());
    }
}

fn shipment(e: &mut Event, v: &Value) {
    e.doc_id = first(v, &["shipment_id"]);
    e.at = time(v, "shipped_at").or_else(|| time(v, "created_at"));
    let status = e.status.take().unwrap_or_else(|| "shipped".into());
    e.status = Some(if text(v, "purpose").as_deref() == Some("cancel") {
        "cancelled".into()
    } else {
        status
    });
    for (key, name) in [
        ("delivered_at", "delivered_at"),
        ("cancelled_at", "cancelled_at"),
    ] {
        if let Some(t) = time(v, key) {
            e.extra.insert(name.into(), t.to_string());
        }
    }
    if let Some(Value::Array(packages)) = v.get("packages") {
        for p in packages {
            e.lines.extend(lines(p.get("items"), "quantity"));
        }
    }
    e.lines.extend(lines(v.get("lines"), "quantity"));
    for l in &e.lines {
        push_ref(&mut e.refs, l.order_ref.clone());
    }
}

fn po(v: &Value) -> Option<String> {
    v.get("references").and_then(|r| text(r, "po_number"))
}

fn first(v: &Value, keys: &[&str]) -> String {
    keys.iter().find_map(|k| text(v, k)).unwrap_or_default()
}

fn push_ref(refs: &mut Vec<String>, r: Option<String>) {
    if let Some(r) = r.filter(|r| !r.is_empty()) {
        refs.push(r);
    }
}

fn lines(v: Option<&Value>, qty: &str) -> Vec<Line> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|l| {
            Some(Line {
                ids: ItemIds {
                    line_id: text(l, "line_id"),
                    sku: text(l, "sku"),
                    gtin: text(l, "gtin"),
                    buyer_part: text(l, "buyer_part"),
                    vendor_part: text(l, "vendor_part"),
                },
                order_ref: text(l, "order_id"),
                quantity: decimal(l, qty)?,
                unit_price: decimal(l, "unit_price"),
                amount: decimal(l, "total").or_else(|| decimal(l, "amount")),
                status: text(l, "status"),
            })
        })
        .collect()
}

fn line_amounts(lines: &[Line]) -> Option<Decimal> {
    let amounts: Vec<Decimal> = lines
        .iter()
        .filter_map(|l| l.amount.or_else(|| l.unit_price.map(|p| p * l.quantity)))
        .collect();
    (!amounts.is_empty()).then(|| amounts.into_iter().sum())
}

#[cfg(test)]
mod tests {
    use crate::ledger::facts::{from_message, parse_time, Doc};
    use crate::Message;

    fn msg(kind: &str, payload: serde_json::Value) -> Message {
        Message {
            id: "m1".into(),
            kind: kind.into(),
            content_type: "application/json".into(),
            payload: payload.to_string().into_bytes(),
            ..Default::default()
        }
    }

    #[test]
    fn an_order_names_its_aliases_time_total_and_lines() {
        let e = from_message(
            &msg(
                "order.created",
                serde_json::json!({"schema":"weft.order/1","order_id":"450789469","order_number":"1001",
                "channel":"shopify","correlation_id":"shopify:450789469","ordered_at":"2008-01-10T11:00:00-05:00",
                "currency":"USD","references":{"po_number":"PO-7"},"totals":{"total":"409.94"},
                "lines":[{"line_id":"1","sku":"IPOD","quantity":"1","unit_price":"199.00"},{"sku":"X","quantity":2}]}),
            ),
            5,
        )
        .unwrap();
        assert_eq!(e.doc, Doc::Order);
        assert_eq!(e.aliases, ["450789469", "1001", "PO-7"]);
        assert_eq!(e.at, parse_time("2008-01-10T16:00:00Z"));
        assert_eq!(e.revised_at, e.at);
        assert_eq!(e.amount.unwrap().to_string(), "409.94");
        assert_eq!(e.lines.len(), 2);
        assert_eq!(e.lines[1].quantity.to_string(), "2");
        assert_eq!(e.seen_at, 5);
    }

    #[test]
    fn a_shipment_refers_to_every_order_of_its_items_and_a_cancel_is_a_status() {
        let e = from_message(
            &msg(
                "shipment.dispatched",
                serde_json::json!({"schema":"weft.shipment/1","shipment_id":"S1","channel":"x12","purpose":"cancel",
                "order_refs":["A"],"shipped_at":"2009-09-21",
                "packages":[{"items":[{"gtin":"1","quantity":"12","order_id":"A"},{"gtin":"2","quantity":"3","order_id":"B"}]}]}),
            ),
            0,
        )
        .unwrap();
        assert_eq!(e.refs, ["A", "B"]);
        assert_eq!(e.status.as_deref(), Some("cancelled"));
        assert_eq!(e.at, parse_time("2009-09-21T00:00:00Z"));
    }

    #[test]
    fn non_canonical_messages_are_not_events() {
        assert!(from_message(&msg("x12.997", serde_json::json!({"a":1})), 0).is_none());
        let mut raw = msg("raw", serde_json::json!({}));
        raw.content_type = "application/edi-x12".into();
        assert!(from_message(&raw, 0).is_none());
    }

    #[test]
    fn times_of_every_written_form() {
        assert_eq!(parse_time("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(parse_time("1970-01-01T00:00:01"), Some(1000));
        assert_eq!(parse_time("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_time("yesterday"), None);
    }
}

//! What a payload is: an order (wrapped, bare, or a list page), a
//! fulfillment, refund, order transaction, tender transaction or
//! fulfillment order (wrapped, in a list, or the bare webhook body; a bare
//! array of fulfillment orders too), or something this plugin refuses with
//! the reason.
//!
//! A first pass reads only the top-level keys (their values are skipped
//! without being materialised); the chosen shape is then deserialised.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use weft_sdk::PluginError;

/// Top-level keys that tell the resources apart.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    order: Option<IgnoredAny>,
    fulfillment: Option<IgnoredAny>,
    fulfillments: Option<IgnoredAny>,
    refund: Option<IgnoredAny>,
    refunds: Option<IgnoredAny>,
    transaction: Option<IgnoredAny>,
    transactions: Option<IgnoredAny>,
    tender_transaction: Option<IgnoredAny>,
    tender_transactions: Option<IgnoredAny>,
    fulfillment_order: Option<IgnoredAny>,
    fulfillment_orders: Option<IgnoredAny>,
    orders: Option<IgnoredAny>,
    // Markers of a bare resource.
    id: Option<IgnoredAny>,
    order_id: Option<IgnoredAny>,
    line_items: Option<IgnoredAny>,
    financial_status: Option<IgnoredAny>,
    total_price: Option<IgnoredAny>,
    order_number: Option<IgnoredAny>,
    refund_line_items: Option<IgnoredAny>,
    order_adjustments: Option<IgnoredAny>,
    kind: Option<IgnoredAny>,
    payment_method: Option<IgnoredAny>,
    remote_reference: Option<IgnoredAny>,
    tracking_number: Option<IgnoredAny>,
    tracking_numbers: Option<IgnoredAny>,
    tracking_company: Option<IgnoredAny>,
    shipment_status: Option<IgnoredAny>,
    fulfillment_order_line_items: Option<IgnoredAny>,
    request_status: Option<IgnoredAny>,
    assigned_location_id: Option<IgnoredAny>,
}

/// The Shopify resources this plugin maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// An order (`{"order": …}` or an `orders/*` webhook body).
    Order,
    /// A fulfillment (a shipment).
    Fulfillment,
    /// A refund (a return or a credit).
    Refund,
    /// An order transaction (a payment, when a successful capture or sale).
    Transaction,
    /// A tender transaction (money received).
    Tender,
    /// A fulfillment order (an allocation to a location).
    FulfillmentOrder,
}

/// How the resources sit in the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The payload is the resource (a webhook body).
    Bare,
    /// `{"<resource>": {…}}`.
    One,
    /// `{"<resources>": […]}`.
    List,
    /// A bare top-level array of the resources.
    Array,
}

/// What the payload is: the resource and its form.
pub fn classify(payload: &[u8], topic: Option<&str>) -> Result<(Resource, Form), PluginError> {
    if !payload_is_object(payload) {
        if let Some(e) = not_json(payload) {
            return Err(e);
        }
        if is_fulfillment_order_array(payload) {
            return Ok((Resource::FulfillmentOrder, Form::Array));
        }
        return Err(refused(payload));
    }
    // A fetched order (`GET /orders/{id}.json`) opens with its `order` key,
    // and `order` decides whatever else the object holds: no need to scan
    // the whole document for it (the typed read that follows checks it all).
    if first_key(payload) == Some(b"order") {
        return Ok((Resource::Order, Form::One));
    }
    let p: Probe = serde_json::from_slice(payload)
        .map_err(|e| PluginError::invalid(format!("payload is not JSON: {e}")))?;
    if p.order.is_some() {
        return Ok((Resource::Order, Form::One));
    }
    if p.order_id.is_some() {
        return bare_resource(&p, topic, true).ok_or_else(|| refused(payload));
    }
    let orderish =
        p.financial_status.is_some() || p.total_price.is_some() || p.order_number.is_some();
    // A sub-resource that lacks its `order_id` is still that resource (and
    // refused for the missing id), unless it looks like an order.
    if !orderish {
        if let Some(found) = bare_resource(&p, topic, false) {
            return Ok(found);
        }
    }
    if p.id.is_some() || p.line_items.is_some() || orderish {
        return Ok((Resource::Order, Form::Bare));
    }
    let wrapped = [
        (p.fulfillments.is_some(), Resource::Fulfillment, Form::List),
        (p.fulfillment.is_some(), Resource::Fulfillment, Form::One),
        (p.refunds.is_some(), Resource::Refund, Form::List),
        (p.refund.is_some(), Resource::Refund, Form::One),
        (p.transactions.is_some(), Resource::Transaction, Form::List),
        (p.transaction.is_some(), Resource::Transaction, Form::One),
        (
            p.tender_transactions.is_some(),
            Resource::Tender,
            Form::List,
        ),
        (p.tender_transaction.is_some(), Resource::Tender, Form::One),
        (
            p.fulfillment_orders.is_some(),
            Resource::FulfillmentOrder,
            Form::List,
        ),
        (
            p.fulfillment_order.is_some(),
            Resource::FulfillmentOrder,
            Form::One,
        ),
        (p.orders.is_some(), Resource::Order, Form::List),
    ];
    match wrapped.into_iter().find(|(present, _, _)| *present) {
        Some((_, resource, form)) => Ok((resource, form)),
        None => Err(refused(payload)),
    }
}

/// A bare sub-resource of an order: what the webhook topic says
/// (`fulfillments/create`, `refunds/create`, `order_transactions/create`,
/// `tender_transactions/create`), else what its keys show; `None` when
/// neither tells. Without `with_order_id` (the object has none) a
/// fulfillment is only told by its tracking keys, as orders have
/// `line_items` too.
fn bare_resource(p: &Probe, topic: Option<&str>, with_order_id: bool) -> Option<(Resource, Form)> {
    let topic = topic.map(str::trim).unwrap_or("").to_ascii_lowercase();
    let by_topic = match topic.split('/').next() {
        Some("fulfillments") => Some(Resource::Fulfillment),
        Some("refunds") => Some(Resource::Refund),
        Some("order_transactions") => Some(Resource::Transaction),
        Some("tender_transactions") => Some(Resource::Tender),
        Some("fulfillment_orders") => Some(Resource::FulfillmentOrder),
        _ => None,
    };
    let fulfillment_order = p.fulfillment_order_line_items.is_some()
        || p.request_status.is_some()
        || p.assigned_location_id.is_some();
    let by_keys = if p.refund_line_items.is_some() || p.order_adjustments.is_some() {
        Some(Resource::Refund)
    } else if fulfillment_order {
        Some(Resource::FulfillmentOrder)
    } else if p.kind.is_some() {
        Some(Resource::Transaction)
    } else if p.payment_method.is_some() || p.remote_reference.is_some() {
        Some(Resource::Tender)
    } else if p.tracking_number.is_some()
        || p.tracking_numbers.is_some()
        || p.tracking_company.is_some()
        || p.shipment_status.is_some()
        || (with_order_id && p.line_items.is_some())
    {
        Some(Resource::Fulfillment)
    } else {
        None
    };
    by_topic.or(by_keys).map(|r| (r, Form::Bare))
}

/// The resources of a document in `form`: the bare object, the one under
/// key `one`, or the list under key `many` (other top-level keys ignored).
pub fn read<T: DeserializeOwned>(
    payload: &[u8],
    form: Form,
    (one, many): (&str, &str),
) -> Result<Vec<T>, PluginError> {
    let shape_err = |e: serde_json::Error| {
        PluginError::invalid(format!(
            "payload is not a Shopify {one} of the expected shape: {e}"
        ))
    };
    if form == Form::Bare {
        return Ok(vec![serde_json::from_slice(payload).map_err(shape_err)?]);
    }
    if form == Form::Array {
        return serde_json::from_slice(payload).map_err(shape_err);
    }
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(payload).map_err(shape_err)?;
    let key = if form == Form::List { many } else { one };
    let Some(value) = map.remove(key) else {
        return Ok(Vec::new());
    };
    if form == Form::List {
        serde_json::from_value(value).map_err(shape_err)
    } else {
        Ok(vec![serde_json::from_value(value).map_err(shape_err)?])
    }
}

/// The first key of a JSON object, when it is written without escapes
/// (`None` otherwise: the caller then reads the whole object).
fn first_key(payload: &[u8]) -> Option<&[u8]> {
    let rest = payload.trim_ascii_start().strip_prefix(b"{")?;
    let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    (rest[end] == b'"').then(|| &rest[..end])
}

fn payload_is_object(payload: &[u8]) -> bool {
    payload
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

fn not_json(payload: &[u8]) -> Option<PluginError> {
    serde_json::from_slice::<IgnoredAny>(payload)
        .err()
        .map(|e| PluginError::invalid(format!("payload is not JSON: {e}")))
}

/// A top-level array whose first element is a fulfillment order (the
/// older bare-array form of `GET /orders/{id}/fulfillment_orders.json`).
fn is_fulfillment_order_array(payload: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(serde_json::Value::Array(items)) => items.first().is_some_and(|v| {
            v.get("fulfillment_order_line_items").is_some()
                || v.get("request_status").is_some()
                || v.get("assigned_location_id").is_some()
        }),
        _ => false,
    }
}

/// The error for valid JSON this plugin does not map, saying what was
/// found.
pub fn refused(payload: &[u8]) -> PluginError {
    let value = match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(v) => v,
        Err(e) => return PluginError::invalid(format!("payload is not JSON: {e}")),
    };
    PluginError::invalid(format!(
        "expected a Shopify order (`{{\"order\": {{…}}}}`, a bare order object with `id` and `line_items`, or a list page `{{\"orders\": […]}}`), fulfillment, refund, order transaction, tender transaction or fulfillment order (bare, `{{\"fulfillment\": {{…}}}}`, or a list such as `{{\"transactions\": […]}}`); found {}",
        weft_sdk::text::json_shape(&value)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_key_is_read_only_when_plainly_written() {
        assert_eq!(first_key(b" {\n  \"order\": {}}"), Some(&b"order"[..]));
        assert_eq!(first_key(b"{\"id\":1,\"order\":{}}"), Some(&b"id"[..]));
        assert_eq!(first_key(b"{\"\\u006frder\":{}}"), None);
        assert_eq!(first_key(b"{}"), None);
        assert_eq!(first_key(b"[{\"order\":1}]"), None);
        assert_eq!(first_key(b"{\"ord"), None);
        // Decided by `order` either way, as the whole-object probe decides.
        let wrapped = br#"{"order": {"id": 1}, "fulfillments": []}"#;
        assert_eq!(
            classify(wrapped, None).unwrap(),
            (Resource::Order, Form::One)
        );
        let later = br#"{"fulfillments": [], "order": {"id": 1}}"#;
        assert_eq!(classify(later, None).unwrap(), (Resource::Order, Form::One));
        // Not JSON after the first key: the typed read refuses it.
        assert!(classify(br#"{"order": {"id": 1"#, None).is_ok());
    }
}

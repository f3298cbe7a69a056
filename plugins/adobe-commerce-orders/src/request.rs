//! What the host says about a request body besides the body: the order
//! action request bodies (`POST /V1/order/{orderId}/ship`, `/refund`) and
//! the source selection result carry no order id (it is in the URL, or in
//! nothing at all), no id of their own (the response is a bare id) and no
//! time. The host passes them on as headers:
//!
//! - `x-adobe-commerce-request`: the request line or path
//!   (`POST /rest/default/V1/order/3/ship`): the order's `entity_id` and
//!   the action;
//! - `x-adobe-commerce-order-id`: the order's `entity_id` (the `{orderId}`
//!   of the URL), when the request line is not passed on;
//! - `x-adobe-commerce-entity-id`: the id the request returned (the new
//!   shipment's or credit memo's `entity_id`), when known;
//! - `x-adobe-commerce-requested-at`: when the request was made (RFC 3339
//!   or `YYYY-MM-DD HH:MM:SS` UTC).
//!
//! Without an order id such a body is refused; without a returned id the
//! document's id is a digest of its content, so a replayed body has the
//! same id and a changed one a new id.

use serde_json::Value;
use sha2::{Digest, Sha256};
use weft_sdk::datetime::to_rfc3339;
use weft_sdk::{Message, PluginError};

use crate::shape::Action;

/// Header with the request line or path (`POST /V1/order/3/ship`).
pub const REQUEST_HEADER: &str = "x-adobe-commerce-request";
/// Header with the order's `entity_id`.
pub const ORDER_ID_HEADER: &str = "x-adobe-commerce-order-id";
/// Header with the id the request returned.
pub const ENTITY_ID_HEADER: &str = "x-adobe-commerce-entity-id";
/// Header with the time of the request.
pub const AT_HEADER: &str = "x-adobe-commerce-requested-at";

/// The headers about a request body.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The action of the request line, when it names one.
    pub action: Option<Action>,
    /// The order id of the request line.
    path_order: Option<String>,
    /// The `x-adobe-commerce-order-id` header.
    order_header: Option<String>,
    /// The `x-adobe-commerce-request` header, as given.
    line: Option<String>,
    /// The `x-adobe-commerce-entity-id` header.
    pub entity_id: Option<String>,
    /// The `x-adobe-commerce-requested-at` header as RFC 3339.
    pub at: Option<String>,
}

impl Request {
    /// Reads the headers of `msg`; an error names a header that is not of
    /// its form (a request line that names no order action is kept only
    /// for errors: orders and invoices are fetched with other requests).
    pub fn read(msg: &Message) -> Result<Request, PluginError> {
        let header = |name: &str| {
            msg.header(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let line = header(REQUEST_HEADER);
        let (path_order, action) = match line.as_deref().and_then(order_action) {
            Some((order, action)) => (Some(order), Some(action)),
            None => (None, None),
        };
        let at = match header(AT_HEADER) {
            Some(t) => Some(to_rfc3339(&t).ok_or_else(|| {
                PluginError::invalid(format!(
                    "header `{AT_HEADER}` is `{t}`, which is not an RFC 3339 or `YYYY-MM-DD HH:MM:SS` timestamp"
                ))
            })?),
            None => None,
        };
        Ok(Request {
            action,
            path_order,
            order_header: header(ORDER_ID_HEADER),
            line,
            entity_id: header(ENTITY_ID_HEADER),
            at,
        })
    }

    /// The order the body belongs to (`what` names the body for the
    /// error): the request line's `{orderId}`, else the order id header.
    pub fn order_id(&self, what: &str) -> Result<String, PluginError> {
        match (&self.path_order, &self.order_header) {
            (Some(a), Some(b)) if a != b => Err(PluginError::invalid(format!(
                "header `{REQUEST_HEADER}` names order {a} but `{ORDER_ID_HEADER}` is {b}"
            ))),
            (Some(id), _) | (None, Some(id)) => Ok(id.clone()),
            (None, None) => Err(PluginError::invalid(format!(
                "{what} does not name its order (the `{{orderId}}` is in the request URL, not the body): pass the order's entity_id in header `{ORDER_ID_HEADER}`, or the request line in `{REQUEST_HEADER}` (e.g. `POST /V1/order/3/ship`){}",
                match &self.line {
                    Some(l) => format!("; `{REQUEST_HEADER}` is `{l}`, which names no order"),
                    None => String::new(),
                }
            ))),
        }
    }
}

/// `(orderId, action)` of a request line or path with `…/order/{orderId}/
/// {action}` (query and method ignored); `None` when it has none.
fn order_action(line: &str) -> Option<(String, Action)> {
    let path = line.split_whitespace().find(|t| t.contains('/'))?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let at = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("order"))?;
    let order = segments.get(at + 1)?.trim();
    if order.is_empty() {
        return None;
    }
    let action = match segments.get(at + 2).map(|s| s.to_ascii_lowercase()) {
        Some(a) if a == "ship" => Action::Ship,
        Some(a) if a == "refund" => Action::Refund,
        Some(a) if a == "invoice" => Action::Invoice,
        _ => return None,
    };
    Some((order.to_string(), action))
}

/// The first 16 hex digits of the SHA-256 of `value` serialised as JSON
/// (keys in document order): the same body gives the same digest.
pub fn digest(value: &Value) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        let got = |l: &str| order_action(l);
        assert_eq!(
            got("POST /rest/default/V1/order/3/ship"),
            Some(("3".into(), Action::Ship))
        );
        assert_eq!(
            got("/V1/order/5/refund?x=1"),
            Some(("5".into(), Action::Refund))
        );
        assert_eq!(got("POST /V1/orders/5"), None);
        assert_eq!(got("POST /V1/order/5/comment"), None);
        assert_eq!(got("ship"), None);
    }
}

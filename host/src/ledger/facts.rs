//! What the ledger keeps of one canonical document: an [`Event`], the
//! normalised facts (ids, references, business time, money, quantities)
//! read once from the document, stored beside it and folded into orders.
//!
//! Reading is total: a field that is absent or unreadable is `None`, never
//! invented; a document that is not canonical is not an event.

mod read;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Message;

/// What kind of lifecycle fact an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Doc {
    /// `weft.order/1`: created, updated or cancelled.
    Order,
    /// `weft.order_ack/1`.
    Ack,
    /// `weft.shipment/1`.
    Shipment,
    /// `weft.invoice/1`.
    Invoice,
    /// `weft.payment/1`.
    Payment,
    /// `weft.credit/1`: money back without returned goods.
    Credit,
    /// `weft.return/1`: returned goods and the money refunded for them.
    Return,
    /// `weft.inventory/1` (kept, but about no order).
    Inventory,
    /// A sink delivered a message of the order (`weft:{flow}:deliveries`).
    Delivery,
    /// `weft.edi_ack/1`: a trading partner's functional acknowledgement
    /// (X12 997/999) of documents weft sent.
    EdiAck,
    /// A message of the order ended in a dead-letter queue.
    DeadLetter,
}

impl Doc {
    /// The canonical `schema` id → document kind.
    pub fn of_schema(schema: &str) -> Option<Doc> {
        Some(match schema {
            "weft.order/1" => Doc::Order,
            "weft.order_ack/1" => Doc::Ack,
            "weft.shipment/1" => Doc::Shipment,
            "weft.invoice/1" => Doc::Invoice,
            "weft.payment/1" => Doc::Payment,
            "weft.credit/1" => Doc::Credit,
            "weft.return/1" => Doc::Return,
            "weft.inventory/1" => Doc::Inventory,
            "weft.edi_ack/1" => Doc::EdiAck,
            _ => return None,
        })
    }
    /// Snake-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Doc::Order => "order",
            Doc::Ack => "ack",
            Doc::Shipment => "shipment",
            Doc::Invoice => "invoice",
            Doc::Payment => "payment",
            Doc::Credit => "credit",
            Doc::Return => "return",
            Doc::Inventory => "inventory",
            Doc::Delivery => "delivery",
            Doc::EdiAck => "edi_ack",
            Doc::DeadLetter => "dead_letter",
        }
    }
}

/// How an item is named; lines of different documents match on these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemIds {
    /// The document's line id (PO line number, Shopify line item id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// Seller SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// GTIN / UPC / EAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// Buyer's part number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_part: Option<String>,
    /// Vendor's part number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_part: Option<String>,
}

/// One line of a document: ordered, acknowledged, shipped, invoiced or
/// returned goods.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// How the item is named.
    pub ids: ItemIds,
    /// The order this line belongs to, when the document names one per line
    /// (a shipment covering several purchase orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_ref: Option<String>,
    /// Quantity (ordered, accepted, shipped, invoiced or returned).
    pub quantity: Decimal,
    /// Unit price, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    /// Line amount, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Line status (acknowledgements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// The facts of one canonical document, message delivery or dead letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Identity: the message id (content hash when it has none). Folding an
    /// event twice equals folding it once.
    pub event_id: String,
    /// What it is.
    pub doc: Doc,
    /// The message kind (`order.created`, `shipment.dispatched`, …).
    pub kind: String,
    /// The document's own id (order, shipment, invoice, … id): revisions of
    /// one document share it.
    pub doc_id: String,
    /// Who issued it (`channel`, e.g. `shopify`, `x12:ACME`): the scope its
    /// ids and references are unique in.
    pub channel: String,
    /// The correlation id the document carries.
    pub correlation_id: String,
    /// Order ids, order numbers or PO numbers it refers to (in `channel`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Names of the order it introduces (order documents: order id, order
    /// number, PO number; deliveries: the ERP's order number).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Business time of the milestone (ms since the epoch): ordered_at,
    /// acknowledged_at, shipped_at, invoice_date, paid_at, …
    pub at: Option<i64>,
    /// When this revision was made (orders: updated_at), else `at`.
    pub revised_at: Option<i64>,
    /// When weft saw it (ms): the stream entry's time. Arrival, not business.
    pub seen_at: i64,
    /// Currency of `amount` and line amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The document total (order total, invoice total, payment, credit or
    /// refund amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Status: `cancelled` for a cancelled order, shipment or invoice;
    /// `delivered`; the acknowledgement type; the delivery's HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Line>,
    /// Further named facts: `order_number`, `po_number`, `requested_ship_at`
    /// (ms), `delivered_at` (ms), `erp_ref`, `sink`, `unit`, `error`, `message_id`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl Event {
    /// Digest of the business content (everything but identity and arrival):
    /// two events with one digest are the same document sent twice.
    pub fn content_digest(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("event_id");
            m.remove("seen_at");
        }
        crate::stamp::sha256_hex(v.to_string().as_bytes())
    }

    /// A named extra fact.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extra.get(name).map(String::as_str)
    }

    /// A named extra fact holding a time in ms.
    pub fn extra_ms(&self, name: &str) -> Option<i64> {
        self.extra(name).and_then(|s| s.parse().ok())
    }
}

/// The event of a canonical message seen at `seen_at` (ms); `None` when the
/// message is not a canonical document (raw input, `http.request`, X12
/// acknowledgements…).
pub fn from_message(m: &Message, seen_at: i64) -> Option<Event> {
    if !m.is_json() {
        return None;
    }
    let v: Value = serde_json::from_slice(&m.payload).ok()?;
    let doc = Doc::of_schema(v.get("schema")?.as_str()?)?;
    let event_id = if m.id.is_empty() {
        format!("sha256:{}", crate::stamp::sha256_hex(&m.payload))
    } else {
        m.id.clone()
    };
    let correlation_id = match text(&v, "correlation_id") {
        Some(c) => c,
        None => m.correlation_id.clone(),
    };
    let mut e = Event {
        event_id,
        doc,
        kind: m.kind.clone(),
        doc_id: String::new(),
        channel: text(&v, "channel").unwrap_or_default(),
        correlation_id,
        refs: strings(v.get("order_refs")),
        aliases: Vec::new(),
        at: None,
        revised_at: None,
        seen_at,
        currency: text(&v, "currency"),
        amount: None,
        status: text(&v, "status"),
        lines: Vec::new(),
        extra: BTreeMap::new(),
    };
    read::fill(&mut e, &v);
    e.revised_at = e.revised_at.or(e.at);
    dedup(&mut e.refs);
    dedup(&mut e.aliases);
    Some(e)
}

/// A string field (numbers are written as text); empty is absent.
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of strings (numbers as text), skipping anything else.
fn strings(v: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match i {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// A decimal field (decimal string, or a JSON number read as its text).
pub(super) fn decimal(v: &Value, key: &str) -> Option<Decimal> {
    let s = text(v, key)?;
    s.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&s).ok())
}

/// A business time: RFC 3339 (any offset), a local date-time (read as
/// UTC), or a date (its midnight UTC); in ms since the epoch.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_millisecond());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_millisecond());
    }
    s.parse::<jiff::civil::Date>().ok().and_then(|d| {
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_millisecond())
    })
}

/// A time field, in ms.
pub(super) fn time(v: &Value, key: &str) -> Option<i64> {
    text(v, key).as_deref().and_then(parse_time)
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|s| seen.insert(s.clone()));
}

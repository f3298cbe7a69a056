//! Adobe Commerce invoice (`GET /V1/invoices/{id}`, or each invoice of a
//! search result) → canonical `weft.invoice/1` (`invoice.posted`).
//!
//! - `invoice_id` is the invoice's `increment_id` (its number), else its
//!   `entity_id`; `references.entity_id` keeps the entity id.
//! - The order: `order_id` is the order's `entity_id`, which is what the
//!   order mapping keys on (`correlation_id` `{channel}:{entity_id}`), so
//!   the invoice joins its order exactly; `order_refs` holds it. (The
//!   invoice does not carry the order's `increment_id`.)
//! - Lines: one per `items` row with a quantity, `line_id` its
//!   `order_item_id` (the order's line id), `unit_price` `price`, `total`
//!   the row's own `row_total`, a `discount_amount` as an allowance.
//!   Invoice rows do not name their parent row: a row with neither a
//!   `row_total` nor a price (a configurable product's child, whose parent
//!   row carries the SKU and the amount) is not billed and left out (listed
//!   in `source.unbilled_items`); a dynamic bundle's row (a price, no
//!   `row_total`) and its children's rows are all kept.
//! - Totals are the invoice's own: `subtotal`, `tax_amount`, `grand_total`;
//!   `shipping_amount` is a `shipping` charge, a `discount_amount` (Magento
//!   writes it negative) a positive `discount` allowance.
//! - `invoice_date` is `created_at`; `state` 3 (canceled) is purpose
//!   `cancel`, 1 (open) and 2 (paid) `original`.
//! - Message id `{channel}:invoice:{entity_id}:{updated_at}` (without
//!   `updated_at` when absent): a re-polled unchanged invoice is a
//!   duplicate, a changed one (paid, cancelled) an update.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::invoice::{Charge, Invoice, InvoiceLine, InvoiceTotals, INVOICE_SCHEMA, POSTED};
use weft_sdk::money::{format_qty, money_str};
use weft_sdk::scalar::{take_text, take_trimmed, text, Field};
use weft_sdk::{Message, PluginError};

use crate::body::{self, Subject};
use crate::map::Settings;

/// The parts of an invoice (`InvoiceInterface`) the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce invoice object")]
pub struct RawInvoice {
    pub entity_id: Field,
    pub increment_id: Field,
    pub order_id: Field,
    pub state: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub order_currency_code: Field,
    pub subtotal: Field,
    pub discount_amount: Field,
    pub discount_description: Field,
    pub shipping_amount: Field,
    pub tax_amount: Field,
    pub grand_total: Field,
    pub total_qty: Field,
    pub transaction_id: Field,
    pub items: Option<Vec<RawInvoiceItem>>,
}

/// An invoice row (`InvoiceItemInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce invoice item object")]
pub struct RawInvoiceItem {
    pub order_item_id: Field,
    pub sku: Field,
    pub name: Field,
    pub qty: Field,
    pub price: Field,
    pub row_total: Field,
    pub discount_amount: Field,
}

/// The messages of the invoices found in a payload, in order; the first
/// error ends the loop.
pub fn messages(
    found: Vec<(String, Map<String, Value>)>,
    settings: &Settings,
) -> Result<Vec<Message>, PluginError> {
    let mut out: Vec<Message> = Vec::with_capacity(found.len());
    for (place, object) in found {
        let raw: RawInvoice = body::read(object, &place, "an Adobe Commerce invoice")?;
        let msg = map(raw, settings)
            .map_err(|e| e.prefixed(&place))
            .map_err(PluginError::one_line)?;
        if !out.iter().any(|m| m.id == msg.id) {
            out.push(msg);
        }
    }
    Ok(out)
}

/// Maps one invoice.
pub fn map(raw: RawInvoice, settings: &Settings) -> Result<Message, PluginError> {
    let entity_id = text(&raw.entity_id)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| PluginError::invalid("Adobe Commerce invoice has no `entity_id`"))?;
    let name = format!("invoice {entity_id}");
    let subject = Subject { name: &name };
    let order_id = text(&raw.order_id)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| subject.err("no `order_id` (the order invoiced)"))?;
    let rows = match raw.items {
        Some(rows) if !rows.is_empty() => rows,
        _ => return Err(subject.err("no `items` (an invoice needs at least one line)")),
    };
    let mut lines = Vec::with_capacity(rows.len());
    let mut unbilled = Vec::new();
    for (index, row) in rows.into_iter().enumerate() {
        match line(&subject, index, row)? {
            Row::Line(l) => lines.push(*l),
            Row::Unbilled(id) => unbilled.push(Value::from(id)),
        }
    }
    if lines.is_empty() {
        return Err(subject.err("no `items` row with a quantity"));
    }

    let money = |v: &Field, at: &str| subject.decimal(v.as_ref(), at);
    let shipping = money(&raw.shipping_amount, "shipping_amount")?;
    let discount = money(&raw.discount_amount, "discount_amount")?.map(|d| d.abs());
    let mut charges = Vec::new();
    if let Some(s) = shipping.filter(|s| !s.is_zero()) {
        charges.push(Charge {
            kind: "charge".to_string(),
            code: Some("shipping".to_string()),
            amount: Some(money_str(s)),
            ..Default::default()
        });
    }
    if let Some(d) = discount.filter(|d| !d.is_zero()) {
        charges.push(Charge {
            kind: "allowance".to_string(),
            code: Some("discount".to_string()),
            description: take_text(raw.discount_description),
            amount: Some(money_str(d)),
            ..Default::default()
        });
    }
    let totals = InvoiceTotals {
        subtotal: money(&raw.subtotal, "subtotal")?.map(money_str),
        allowances: discount.map(money_str),
        charges: shipping.map(money_str),
        tax: money(&raw.tax_amount, "tax_amount")?.map(money_str),
        total: money(&raw.grand_total, "grand_total")?.map(money_str),
    };

    let state = text(&raw.state).map(|s| s.trim().to_string());
    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("adobe-commerce.invoice"),
    );
    if let Some(s) = &state {
        source.insert("state".to_string(), Value::from(s.as_str()));
        if let Some(n) = state_name(s) {
            source.insert("state_name".to_string(), Value::from(n));
        }
    }
    if let Some(q) = subject.decimal(raw.total_qty.as_ref(), "total_qty")? {
        source.insert("total_qty".to_string(), Value::from(format_qty(q)));
    }
    if !unbilled.is_empty() {
        source.insert("unbilled_items".to_string(), Value::Array(unbilled));
    }
    let updated_at = subject.timestamp(raw.updated_at, "updated_at")?;
    if let Some(u) = &updated_at {
        source.insert("updated_at".to_string(), Value::from(u.as_str()));
    }
    let mut references = BTreeMap::new();
    references.insert("entity_id".to_string(), entity_id.clone());
    if let Some(t) = take_trimmed(raw.transaction_id) {
        references.insert("transaction_id".to_string(), t);
    }

    let channel = &settings.channel;
    let correlation_id = format!("{channel}:{order_id}");
    let cancelled = state.as_deref() == Some("3");
    let doc = Invoice {
        schema: INVOICE_SCHEMA.to_string(),
        invoice_id: take_trimmed(raw.increment_id).unwrap_or_else(|| entity_id.clone()),
        channel: channel.clone(),
        correlation_id: correlation_id.clone(),
        purpose: Some(if cancelled { "cancel" } else { "original" }.to_string()),
        invoice_date: subject.timestamp(raw.created_at, "created_at")?,
        order_refs: vec![order_id],
        currency: take_trimmed(raw.order_currency_code),
        lines,
        charges,
        totals,
        references,
        source,
        ..Default::default()
    };
    let id = match &updated_at {
        Some(at) => format!("{channel}:invoice:{entity_id}:{at}"),
        None => format!("{channel}:invoice:{entity_id}"),
    };
    Message::json(id, correlation_id, POSTED, &doc)
}

/// What an invoice row gives.
enum Row {
    Line(Box<InvoiceLine>),
    /// A row that bills nothing (its order item id).
    Unbilled(String),
}

fn line(subject: &Subject, index: usize, row: RawInvoiceItem) -> Result<Row, PluginError> {
    let line_id = text(&row.order_item_id)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| subject.err(format_args!("items[{index}] has no `order_item_id`")))?;
    let at = |field: &str| format!("items[{index}] (order_item_id {line_id}) {field}");
    let quantity = subject.required(row.qty.as_ref(), at("qty"))?;
    let price = subject.decimal(row.price.as_ref(), at("price"))?;
    let total = subject.decimal(row.row_total.as_ref(), at("row_total"))?;
    let discount = subject.decimal(row.discount_amount.as_ref(), at("discount_amount"))?;
    if quantity.is_zero() || (total.is_none() && price.is_none_or(|p| p.is_zero())) {
        return Ok(Row::Unbilled(line_id));
    }
    let charges = discount
        .map(|d| d.abs())
        .filter(|d| !d.is_zero())
        .map(|d| Charge {
            kind: "allowance".to_string(),
            code: Some("discount".to_string()),
            amount: Some(money_str(d)),
            ..Default::default()
        })
        .into_iter()
        .collect();
    Ok(Row::Line(Box::new(InvoiceLine {
        line_id,
        item: ItemIds {
            sku: take_trimmed(row.sku),
            ..Default::default()
        },
        description: take_text(row.name),
        quantity: format_qty(quantity),
        unit_price: price.map(money_str),
        total: total.map(money_str),
        charges,
        ..Default::default()
    })))
}

/// Magento's invoice states.
fn state_name(code: &str) -> Option<&'static str> {
    match code {
        "1" => Some("open"),
        "2" => Some("paid"),
        "3" => Some("canceled"),
        _ => None,
    }
}

//! The JSON bodies sent to the ERP (`sales-order.schema.json`) and their
//! construction from a canonical order.

use serde::Serialize;
use weft_sdk::money;
use weft_sdk::order::{Address, Order, OrderLine};

/// `item_ref` / `account_ref` value: the id is the ERP's own.
pub const REF_ERP: &str = "erp";
/// `item_ref` value: the id is the channel SKU (no `erp_item`).
pub const REF_CHANNEL_SKU: &str = "channel_sku";
/// `account_ref` value: the id is the channel's customer id (no `erp_account`).
pub const REF_CHANNEL_CUSTOMER: &str = "channel_customer";

/// Body of `POST {prefix}` (created) and `PUT {prefix}/{external_id}` (updated).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SalesOrder {
    /// The order's correlation id, e.g. `shopify:450789469`.
    pub external_id: String,
    /// Channel code.
    pub channel: String,
    /// The channel's order id.
    pub channel_order_id: String,
    /// The `company` setting, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The order number people use (`#1001`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// The buyer's purchase order number (`references.po_number`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// `YYYY-MM-DD`: the date part of `ordered_at`, as the channel gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_date: Option<String>,
    /// The full timestamp the order was placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<String>,
    /// ISO 4217 code of every amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether prices include tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices_include_tax: Option<bool>,
    /// The customer account.
    pub customer: CustomerRef,
    /// Billing address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_to: Option<Address>,
    /// Shipping address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// The lines, in the channel's order.
    pub lines: Vec<Line>,
    /// Order totals (decimal strings).
    pub totals: Totals,
}

/// The customer of a sales order.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct CustomerRef {
    /// ERP account number, or the channel customer id (see `account_ref`).
    pub account: String,
    /// `erp` or `channel_customer`.
    pub account_ref: &'static str,
    /// The channel's customer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_customer_id: Option<String>,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One sales-order line.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based position in the order.
    pub line_number: usize,
    /// The channel's line id (for acknowledgements and shipments).
    pub channel_line_id: String,
    /// ERP item number, or the channel SKU (see `item_ref`).
    pub item: String,
    /// `erp` or `channel_sku`.
    pub item_ref: &'static str,
    /// The channel SKU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_sku: Option<String>,
    /// The buyer's part number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_part: Option<String>,
    /// Item description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ordered quantity.
    pub quantity: String,
    /// Unit of measure; absent: the item's base unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// Price per unit before discounts and tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// Discount on the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Tax on the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// `quantity × unit_price − discount`, tax excluded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_total: Option<String>,
}

/// Order totals.
#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct Totals {
    /// Σ quantity × unit_price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<String>,
    /// Total discounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Shipping charges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    /// Charges other than shipping (gift wrap, COD fee, handling, delivery
    /// tip), tax excluded: `total = subtotal − discount + shipping +
    /// other_charges + tax`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_charges: Option<String>,
    /// Total tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Grand total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}

/// Body of `POST {prefix}/{external_id}/cancel`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Cancellation {
    /// The order's correlation id.
    pub external_id: String,
    /// Channel code.
    pub channel: String,
    /// The channel's order id.
    pub channel_order_id: String,
    /// The `company` setting, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The order number people use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// When the channel cancelled it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    /// Why, in the channel's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Builds the cancellation body.
pub fn cancellation(order: &Order, external_id: &str, company: Option<&str>) -> Cancellation {
    Cancellation {
        external_id: external_id.to_string(),
        channel: order.channel.clone(),
        channel_order_id: order.order_id.clone(),
        company: company.map(str::to_string),
        order_number: nonblank(&order.order_number),
        cancelled_at: nonblank(&order.cancelled_at),
        reason: nonblank(&order.cancel_reason),
    }
}

/// Builds the sales-order body, or lists every problem found (missing ERP
/// ids when `require_erp_ids`, identifiers to fall back to, non-decimal
/// amounts, a bad `ordered_at`).
pub fn sales_order(
    order: &Order,
    external_id: &str,
    company: Option<&str>,
    require_erp_ids: bool,
) -> Result<SalesOrder, Vec<String>> {
    let mut problems = Vec::new();
    let customer = customer(order, require_erp_ids, &mut problems);
    let mut no_item = Vec::new();
    let mut lines = Vec::with_capacity(order.lines.len());
    for (i, l) in order.lines.iter().enumerate() {
        match line(i + 1, l, require_erp_ids, &mut problems) {
            Some(line) => lines.push(line),
            None => no_item.push(l.line_id.as_str()),
        }
    }
    if !no_item.is_empty() {
        let what = if require_erp_ids {
            "no erp_item"
        } else {
            "neither erp_item nor sku"
        };
        let (s, verb) = if no_item.len() == 1 {
            ("", "has")
        } else {
            ("s", "have")
        };
        problems.insert(
            usize::from(customer.is_none()),
            format!("line{s} {} {verb} {what}", no_item.join(", ")),
        );
    }
    if order.lines.is_empty() {
        problems.push("the order has no lines".into());
    }
    let t = &order.totals;
    let totals = Totals {
        subtotal: amount("totals.subtotal", &t.subtotal, &mut problems),
        discount: amount("totals.discount", &t.discount, &mut problems),
        shipping: amount("totals.shipping", &t.shipping, &mut problems),
        other_charges: amount("totals.other_charges", &t.other_charges, &mut problems),
        tax: amount("totals.tax", &t.tax, &mut problems),
        total: amount("totals.total", &t.total, &mut problems),
    };
    let ordered_at = nonblank(&order.ordered_at);
    let order_date = ordered_at.as_deref().and_then(|at| {
        let date = at.get(..10).filter(|d| is_date(d));
        if date.is_none() {
            problems.push(format!(
                "ordered_at `{}` does not start with a YYYY-MM-DD date",
                at.escape_default()
            ));
        }
        date.map(str::to_string)
    });
    match customer {
        Some(customer) if problems.is_empty() => Ok(SalesOrder {
            external_id: external_id.to_string(),
            channel: order.channel.clone(),
            channel_order_id: order.order_id.clone(),
            company: company.map(str::to_string),
            order_number: nonblank(&order.order_number),
            po_number: nonblank(&order.references.get("po_number").cloned()),
            order_date,
            ordered_at,
            currency: nonblank(&order.currency),
            prices_include_tax: order.totals.taxes_included,
            customer,
            bill_to: order.bill_to.clone(),
            ship_to: order.ship_to.clone(),
            lines,
            totals,
        }),
        _ => Err(problems),
    }
}

/// The customer reference; `None` (with a problem recorded first) when
/// there is no account to send.
fn customer(
    order: &Order,
    require_erp_ids: bool,
    problems: &mut Vec<String>,
) -> Option<CustomerRef> {
    let c = order.customer.clone().unwrap_or_default();
    let id = nonblank(&c.id);
    let (account, account_ref) = match (nonblank(&c.erp_account), &id) {
        (Some(a), _) => (a, REF_ERP),
        (None, Some(id)) if !require_erp_ids => (id.clone(), REF_CHANNEL_CUSTOMER),
        (None, _) => {
            problems.insert(
                0,
                match (order.customer.is_some(), require_erp_ids) {
                    (false, _) => "the order has no customer".to_string(),
                    (true, true) => "customer has no erp_account".to_string(),
                    (true, false) => "customer has neither erp_account nor id".to_string(),
                },
            );
            return None;
        }
    };
    Some(CustomerRef {
        account,
        account_ref,
        channel_customer_id: id,
        name: nonblank(&c.name),
        email: nonblank(&c.email),
        phone: nonblank(&c.phone),
    })
}

/// One line; `None` when it has no item to send (reported by the caller).
fn line(
    n: usize,
    l: &OrderLine,
    require_erp_ids: bool,
    problems: &mut Vec<String>,
) -> Option<Line> {
    let at = |field: &str| format!("line {} {field}", l.line_id);
    let quantity = amount(&at("quantity"), &Some(l.quantity.clone()), problems);
    if l.quantity.trim().is_empty() {
        problems.push(format!("{} is empty", at("quantity")));
    }
    let unit_price = amount(&at("unit_price"), &l.unit_price, problems);
    let discount = amount(&at("discount"), &l.discount, problems);
    let tax = amount(&at("tax"), &l.tax, problems);
    let line_total = amount(&at("total"), &l.total, problems);
    let sku = nonblank(&l.sku);
    let (item, item_ref) = match (nonblank(&l.erp_item), &sku) {
        (Some(item), _) => (item, REF_ERP),
        (None, Some(sku)) if !require_erp_ids => (sku.clone(), REF_CHANNEL_SKU),
        (None, _) => return None,
    };
    Some(Line {
        line_number: n,
        channel_line_id: l.line_id.clone(),
        item,
        item_ref,
        channel_sku: sku,
        buyer_part: nonblank(&l.buyer_part),
        description: nonblank(&l.description),
        quantity: quantity.unwrap_or_default(),
        uom: nonblank(&l.uom),
        unit_price,
        discount,
        tax,
        line_total,
    })
}

/// A present amount or quantity as a plain decimal string (`199.00` stays
/// `199.00`, `1e2` becomes `100`); a value that is not a decimal is
/// recorded as a problem.
fn amount(name: &str, v: &Option<String>, problems: &mut Vec<String>) -> Option<String> {
    let v = nonblank(v)?;
    match money::parse(&v) {
        Some(d) => Some(d.to_string()),
        None => {
            problems.push(format!("{name} `{}` is not a decimal", v.escape_default()));
            None
        }
    }
}

fn nonblank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

//! The items of a `getOrderItems` response → canonical lines and the
//! order figures summed from them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::money;
use weft_sdk::order::{OrderLine, Totals};
use weft_sdk::PluginError;

use crate::json::{self, add, exact_div, money_str, text, Amounts};

/// Lines and what was summed or set aside while mapping them.
pub struct Mapped {
    /// One line per order item.
    pub lines: Vec<OrderLine>,
    /// Subtotal, discount, shipping, other charges and tax (no total: that
    /// is the order's).
    pub totals: Totals,
    /// Charges without a canonical field
    /// (`{"type","amount","currency","line_id"}`).
    other_charges: Vec<Value>,
    /// ASIN of each line, by line id.
    asins: BTreeMap<String, Value>,
    /// Lines whose buyer asked to cancel them, with the reason.
    cancel_requests: Vec<Value>,
}

impl Mapped {
    /// Adds what has no canonical field to the order's `source`.
    pub fn report(&self, source: &mut BTreeMap<String, Value>) {
        if !self.asins.is_empty() {
            source.insert(
                "asins".into(),
                Value::Object(self.asins.clone().into_iter().collect()),
            );
        }
        if !self.other_charges.is_empty() {
            source.insert(
                "other_charges".into(),
                Value::Array(self.other_charges.clone()),
            );
        }
        if !self.cancel_requests.is_empty() {
            source.insert(
                "buyer_cancel_requests".into(),
                Value::Array(self.cancel_requests.clone()),
            );
        }
    }
}

/// How a listed charge counts in the order's totals (when it is in the
/// order's currency).
#[derive(Clone, Copy)]
enum Counts {
    /// Added to `other_charges`.
    Charge,
    /// Taken off `other_charges` (a discount on a charge).
    Rebate,
    /// Added to `tax` (tax on a charge).
    Tax,
    /// Only listed: the tax part of a discount, which v0 does not say how
    /// `OrderTotal` accounts for.
    Listed,
}

/// Money fields of an item (or of its `BuyerInfo`) that have no field of
/// their own in the canonical order: each is listed in
/// `source.other_charges` and counted as said.
const OTHER_CHARGES: [(&str, &str, Counts); 6] = [
    ("CODFee", "cod_fee", Counts::Charge),
    ("CODFeeDiscount", "cod_fee_discount", Counts::Rebate),
    (
        "PromotionDiscountTax",
        "promotion_discount_tax",
        Counts::Listed,
    ),
    (
        "ShippingDiscountTax",
        "shipping_discount_tax",
        Counts::Listed,
    ),
    ("GiftWrapPrice", "gift_wrap", Counts::Charge),
    ("GiftWrapTax", "gift_wrap_tax", Counts::Tax),
];

/// Maps the items in order.
pub fn map(items: &[&Value], amounts: &mut Amounts) -> Result<Mapped, PluginError> {
    let mut out = Mapped {
        lines: Vec::with_capacity(items.len()),
        totals: Totals::default(),
        other_charges: Vec::new(),
        asins: BTreeMap::new(),
        cancel_requests: Vec::new(),
    };
    let (mut subtotal, mut discount, mut shipping, mut tax) = (None, None, None, None);
    let mut other = None;
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            return Err(PluginError::invalid(format!(
                "OrderItems[{i}] must be an object, found `{}`",
                json::short(item)
            )));
        };
        let line_id = text(item.get("OrderItemId")).unwrap_or_else(|| (i + 1).to_string());
        let at = |field: &str| format!("OrderItems[{i}] (OrderItemId {line_id}) {field}");
        let quantity = json::quantity(item.get("QuantityOrdered"), &at("QuantityOrdered"))?
            .ok_or_else(|| PluginError::invalid(format!("{} is missing", at("QuantityOrdered"))))?;
        let price = amounts.get(item.get("ItemPrice"), &at("ItemPrice"))?;
        let promo = amounts.get(item.get("PromotionDiscount"), &at("PromotionDiscount"))?;
        let item_tax = amounts.get(item.get("ItemTax"), &at("ItemTax"))?;
        let ship = amounts.get(item.get("ShippingPrice"), &at("ShippingPrice"))?;
        let ship_tax = amounts.get(item.get("ShippingTax"), &at("ShippingTax"))?;
        let ship_disc = amounts.get(item.get("ShippingDiscount"), &at("ShippingDiscount"))?;

        let buyer = item.get("BuyerInfo").and_then(Value::as_object);
        for (field, kind, counts) in OTHER_CHARGES {
            let (v, path) = match item.get(field) {
                Some(v) => (Some(v), at(field)),
                None => (
                    buyer.and_then(|b| b.get(field)),
                    at(&format!("BuyerInfo.{field}")),
                ),
            };
            if let Some((amount, currency)) = amounts.charge(v, &path)? {
                if amounts.is_order_currency(currency.as_deref()) {
                    match counts {
                        Counts::Charge => other = add(other, Some(amount), &path)?,
                        Counts::Rebate => other = add(other, Some(-amount), &path)?,
                        Counts::Tax => tax = add(tax, Some(amount), &path)?,
                        Counts::Listed => {}
                    }
                }
                let mut entry = json::charge_entry(kind, amount, currency);
                entry["line_id"] = Value::from(line_id.as_str());
                out.other_charges.push(entry);
            }
        }
        if let Some(asin) = text(item.get("ASIN")) {
            out.asins.insert(line_id.clone(), Value::from(asin));
        }
        cancel_request(item, &line_id, &mut out.cancel_requests);

        let total = match price {
            Some(p) => Some(
                p.checked_sub(promo.unwrap_or_default())
                    .ok_or_else(|| overflow(&at("ItemPrice")))?,
            ),
            None => None,
        };
        subtotal = add(subtotal, price, "ItemPrice")?;
        discount = add(
            add(discount, promo, "PromotionDiscount")?,
            ship_disc,
            "ShippingDiscount",
        )?;
        shipping = add(shipping, ship, "ShippingPrice")?;
        tax = add(add(tax, item_tax, "ItemTax")?, ship_tax, "ShippingTax")?;

        out.lines.push(OrderLine {
            sku: text(item.get("SellerSKU")),
            description: text(item.get("Title")),
            quantity: money::format_qty(quantity),
            unit_price: price.and_then(|p| exact_div(p, quantity)).map(money_str),
            discount: promo.map(money_str),
            tax: item_tax.map(money_str),
            total: total.map(money_str),
            line_id,
            ..Default::default()
        });
    }
    out.totals = Totals {
        subtotal: subtotal.map(money_str),
        discount: discount.map(money_str),
        shipping: shipping.map(money_str),
        tax: tax.map(money_str),
        other_charges: other.map(money_str),
        ..Default::default()
    };
    Ok(out)
}

/// Records `BuyerRequestedCancel` when `IsBuyerRequestedCancel` is true
/// (a JSON boolean or the string `"true"`).
fn cancel_request(item: &Map<String, Value>, line_id: &str, out: &mut Vec<Value>) {
    let Some(req) = item.get("BuyerRequestedCancel").and_then(Value::as_object) else {
        return;
    };
    if json::flag(req.get("IsBuyerRequestedCancel")) == Some(true) {
        let mut entry = json!({ "line_id": line_id });
        if let Some(reason) = text(req.get("BuyerCancelReason")) {
            entry["reason"] = Value::from(reason);
        }
        out.push(entry);
    }
}

fn overflow(at: &str) -> PluginError {
    PluginError::invalid(format!("amounts in {at} are too large to compute"))
}

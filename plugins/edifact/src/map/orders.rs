//! ORDERS → `weft.order/1`.
//!
//! BGM02 the order number (order id, correlation `{channel}:{number}`),
//! BGM03 function code `9` original (`order.created`), `5`/`4` replace
//! (`order.updated`), `1`/`3` cancel (`order.cancelled`); DTM 137 the
//! order date (other DTM go to `source.dates`); NAD BY (customer, with CTA
//! and COM), DP/ST ship-to, IV bill-to, SU/SE seller (as references); CUX
//! currency; RFF references; LIN groups (LIN03 and PIA ids: EN → gtin, SA →
//! vendor part, IN → buyer part; IMD description, QTY 21, PRI AAA/AAB, MOA
//! 203 line amount, ALC allowances); header ALC allowances/charges; MOA 79
//! / 86 / 77 totals after UNS.

use serde_json::{json, Value};
use weft_sdk::money::Decimal;
use weft_sdk::order::{kinds, Customer, Order, OrderLine, ORDER_SCHEMA};

use super::{
    add_ref, currency, nad_group, num, purpose, read_alc, read_line, ref_key, Ctx, Doc, Reject,
};
use crate::parse::Segment;
use crate::values::money_str;

/// Maps an ORDERS message.
pub fn map(ctx: &Ctx, bgm: &Segment) -> Result<Doc, Reject> {
    let number = bgm.el(2);
    let function = bgm.el(3);
    let purpose = purpose(function).ok_or_else(|| {
        Reject::new(bgm, format!("BGM03 message function code `{function}` is not 9 (original), 5/4 (replace) or 1/3 (cancel)"))
    })?;
    let kind = match purpose {
        "cancel" => kinds::CANCELLED,
        "replace" => kinds::UPDATED,
        _ => kinds::CREATED,
    };
    let mut o = Order {
        schema: ORDER_SCHEMA.into(),
        order_id: number.into(),
        order_number: Some(number.into()),
        channel: ctx.cfg.channel.clone(),
        correlation_id: ctx.correlation(number),
        purpose: purpose.into(),
        ..Order::default()
    };
    add_ref(&mut o.references, "po_number", number);
    let mut source = ctx.source();
    source.insert("document_code".into(), json!(bgm.comp(1, 1)));
    if !function.is_empty() {
        source.insert("function_code".into(), json!(function));
    }
    let mut warnings = Vec::new();
    let mut dates = serde_json::Map::new();
    let mut parties = Vec::new();
    let mut lines = Vec::new();
    let (mut discount, mut shipping) = (None::<Decimal>, None::<Decimal>);
    let mut summary = false;
    let body = ctx.body();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        match seg.tag.as_str() {
            "NAD" if lines.is_empty() => {
                let (g, next) = nad_group(body, i)?;
                warnings.extend(g.note.clone());
                match g.qualifier.as_str() {
                    "BY" => {
                        o.customer = Some(Customer {
                            id: g.party.id.clone(),
                            name: g.address.name.clone().or(g.contact.clone()),
                            email: g.email.clone(),
                            phone: g.phone.clone(),
                            ..Customer::default()
                        })
                    }
                    "DP" | "ST" if o.ship_to.is_none() => o.ship_to = g.party.address.clone(),
                    "IV" | "BT" if o.bill_to.is_none() => o.bill_to = g.party.address.clone(),
                    "SU" | "SE" => {
                        add_ref(
                            &mut o.references,
                            "seller_id",
                            g.party.id.as_deref().unwrap_or(""),
                        );
                        add_ref(
                            &mut o.references,
                            "seller_name",
                            g.address.name.as_deref().unwrap_or(""),
                        );
                    }
                    _ => {}
                }
                parties.push(serde_json::to_value(&g.party).unwrap_or(Value::Null));
                i = next.max(i + 1);
                continue;
            }
            "LIN" => {
                let (l, next) = read_line(ctx, body, i, lines.len() + 1, &mut warnings)?;
                lines.push(l);
                i = next.max(i + 1);
                continue;
            }
            "ALC" => {
                let (c, next) = read_alc(body, i)?;
                if let Some(a) = c
                    .as_ref()
                    .and_then(|c| c.amount.as_deref())
                    .and_then(weft_sdk::money::parse)
                {
                    match c.as_ref().map(|c| c.kind.as_str()) {
                        Some("allowance") => discount = Some(discount.unwrap_or_default() + a),
                        _ => shipping = Some(shipping.unwrap_or_default() + a),
                    }
                }
                i = next.max(i + 1);
                continue;
            }
            "DTM" if lines.is_empty() => match seg.comp(1, 1) {
                "137" => o.ordered_at = Some(ctx.date(seg, "document date")?),
                q => match ctx.date(seg, "date") {
                    Ok(d) => {
                        dates.entry(q.to_string()).or_insert(json!(d));
                    }
                    Err(r) => warnings.push(format!("{r}; ignored")),
                },
            },
            "CUX" if o.currency.is_none() => o.currency = currency(seg),
            "RFF" if lines.is_empty() => {
                add_ref(&mut o.references, &ref_key(seg.comp(1, 1)), seg.comp(1, 2))
            }
            "FTX" if lines.is_empty() => {
                let text: Vec<&str> = seg
                    .components(4)
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                if !text.is_empty() {
                    source
                        .entry("note".to_string())
                        .or_insert(json!(text.join(" ")));
                }
            }
            "UNS" => summary = true,
            "MOA" if summary => {
                let v = num(seg, 1, 2, "monetary amount")?.map(money_str);
                match seg.el(1) {
                    "79" => o.totals.subtotal = v,
                    "86" | "77" | "128" => o.totals.total = o.totals.total.take().or(v),
                    "176" | "124" => o.totals.tax = o.totals.tax.take().or(v),
                    _ => {}
                }
            }
            "CNT" if summary => {
                source.insert(
                    format!("control_total_{}", seg.comp(1, 1)),
                    json!(seg.comp(1, 2)),
                );
            }
            _ => {}
        }
        i += 1;
    }
    if lines.is_empty() && purpose != "cancel" {
        return Err(Reject::new(
            bgm,
            format!("order {number} has no LIN (line item) segment"),
        ));
    }
    for l in &lines {
        let (qty, uom) = l.need_qty("21", "ordered quantity")?;
        let price = l.price(&["AAA", "AAB", "CAL", "INF"]);
        let disc: Option<Decimal> = l
            .charges
            .iter()
            .filter(|c| c.kind == "allowance")
            .filter_map(|c| c.amount.as_deref().and_then(weft_sdk::money::parse))
            .reduce(|a, b| a + b);
        o.lines.push(OrderLine {
            line_id: l.line_id.clone(),
            sku: l.ids.sku.clone(),
            gtin: l.ids.gtin.clone(),
            buyer_part: l.ids.buyer_part.clone(),
            vendor_part: l.ids.vendor_part.clone(),
            description: l.description(),
            total: match (l.amount(&["203"]), disc) {
                (None, Some(d)) => l
                    .total(&[], &qty, price)
                    .as_deref()
                    .and_then(weft_sdk::money::parse)
                    .map(|t| money_str(t - d)),
                _ => l.total(&["203"], &qty, price),
            },
            quantity: qty,
            uom,
            unit_price: price.map(money_str),
            discount: disc.map(money_str),
            tax: l.tax.map(money_str),
            ..OrderLine::default()
        });
    }
    if o.totals.subtotal.is_none() && !o.lines.is_empty() {
        let sum: Option<Decimal> = o
            .lines
            .iter()
            .map(|l| l.total.as_deref().and_then(weft_sdk::money::parse))
            .sum();
        o.totals.subtotal = sum.map(money_str);
    }
    o.totals.discount = discount.map(money_str);
    o.totals.shipping = shipping.map(money_str);
    if !parties.is_empty() {
        source.insert("parties".into(), Value::Array(parties));
    }
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    o.source = source;
    Ok(Doc {
        kind: kind.into(),
        correlation_id: o.correlation_id.clone(),
        payload: serde_json::to_value(&o).unwrap_or(Value::Null),
        warnings,
    })
}

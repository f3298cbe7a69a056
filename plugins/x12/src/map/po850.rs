//! 850 purchase order → `weft.order/1`.
//!
//! BEG01 `00` original (`order.created`), `05`/`04` replace
//! (`order.updated`), `01` cancel (`order.cancelled`); BEG03 the PO number
//! (order id, correlation `{channel}:{PO}`), BEG05 the order date. Header
//! CUR/REF/PER/DTM/N1 loops (ST ship-to, BT bill-to, BY buyer, SE/VN/SU
//! seller; DTM 010 requested ship, else 037 ship not before, is the
//! `requested_ship_at`, every header DTM is in `source.dates`), PO1 lines
//! (item ids as the crate doc says, ids without a canonical field in
//! `attributes`) with PID descriptions and SAC allowances, header SAC
//! charges, AMT `1` (line total) / `TT` (total).

use serde_json::{json, Value};
use weft_sdk::money::Decimal;
use weft_sdk::order::{kinds, Customer, Order, OrderLine, ORDER_SCHEMA};

use super::{
    add_ref, add_ref_segment, contact, currency, item_ids, n1_loop, need_number, opt_n2,
    opt_number, Contact, Ctx, Doc, Reject,
};
use crate::values::{money_str, qty_str};

/// Maps an 850.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let body = ctx.body();
    let beg = body.iter().find(|s| s.id == "BEG").ok_or_else(|| {
        Reject::missing_segment(ctx, "BEG", "beginning segment for purchase order")
    })?;
    let po = beg
        .opt(3)
        .ok_or_else(|| Reject::element(ctx, beg, 3, "1", "purchase order number"))?;
    let (purpose, kind) = match beg.el(1) {
        "01" => ("cancel", kinds::CANCELLED),
        "04" | "05" => ("replace", kinds::UPDATED),
        _ => ("original", kinds::CREATED),
    };
    let mut o = Order {
        schema: ORDER_SCHEMA.into(),
        order_id: po.into(),
        order_number: Some(po.into()),
        channel: ctx.cfg.channel.clone(),
        correlation_id: ctx.correlation(po),
        purpose: purpose.into(),
        ..Order::default()
    };
    if let Some(d) = beg.opt(5) {
        o.ordered_at = Some(
            ctx.when(d, None)
                .ok_or_else(|| Reject::element(ctx, beg, 5, "8", "purchase order date"))?,
        );
    }
    add_ref(&mut o.references, "po_number", po);
    add_ref(&mut o.references, "release_number", beg.el(4));
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(beg.el(1)));
    source.insert("po_type".into(), json!(beg.el(2)));

    let mut parties = Vec::new();
    let mut dates = serde_json::Map::new();
    let mut header_contact: Option<Contact> = None;
    let mut lines: Vec<(OrderLine, Vec<String>, Decimal)> = Vec::new();
    let (mut discount, mut shipping, mut tax) = (None::<Decimal>, None::<Decimal>, None::<Decimal>);
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !lines.is_empty();
        match seg.id.as_str() {
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                if !in_lines {
                    match l.code.as_str() {
                        "ST" => o.ship_to = l.party.address.clone(),
                        "BT" => o.bill_to = l.party.address.clone(),
                        "BY" => {
                            let c = l.contacts.first().cloned().unwrap_or_default();
                            o.customer = Some(Customer {
                                id: l.party.id.clone(),
                                name: l.address.name.clone().or(c.name),
                                email: c.email,
                                phone: c.phone,
                                erp_account: None,
                            });
                        }
                        "SE" | "VN" | "SU" => {
                            add_ref(
                                &mut o.references,
                                "seller_id",
                                l.party.id.as_deref().unwrap_or(""),
                            );
                            add_ref(
                                &mut o.references,
                                "seller_name",
                                l.address.name.as_deref().unwrap_or(""),
                            );
                        }
                        _ => {}
                    }
                    parties.push(serde_json::to_value(&l.party).unwrap_or(Value::Null));
                }
                i = next.max(i + 1);
                continue;
            }
            "CUR" if !in_lines => o.currency = o.currency.take().or_else(|| currency(seg)),
            "REF" if !in_lines => add_ref_segment(&mut o.references, seg),
            "PER" if !in_lines && header_contact.is_none() => header_contact = Some(contact(seg)),
            "DTM" if !in_lines => {
                if let Some(d) = seg.opt(2).and_then(|d| ctx.when(d, seg.opt(3))) {
                    dates.entry(seg.el(1).to_string()).or_insert(json!(d));
                }
            }
            "TD5" if !in_lines => {
                if let Some(r) = seg.opt(5) {
                    source.entry("routing".into()).or_insert(json!(r));
                }
            }
            "ITD" if !in_lines => {
                if let Some(t) = seg.opt(12) {
                    source.entry("terms".into()).or_insert(json!(t));
                }
            }
            "PO1" => {
                let qty = need_number(ctx, seg, 2, "quantity ordered")?;
                let price = opt_number(ctx, seg, 4, "unit price")?;
                let read = item_ids(seg, 6);
                let attributes = read.attributes();
                let (ids, pd) = (read.ids, read.description);
                let line = OrderLine {
                    line_id: seg
                        .opt(1)
                        .map(str::to_string)
                        .unwrap_or_else(|| (lines.len() + 1).to_string()),
                    sku: ids.sku,
                    gtin: ids.gtin,
                    buyer_part: ids.buyer_part,
                    vendor_part: ids.vendor_part,
                    quantity: qty_str(qty),
                    uom: seg.opt(3).map(str::to_string),
                    unit_price: price.map(money_str),
                    total: price.map(|p| money_str(p * qty)),
                    attributes,
                    ..OrderLine::default()
                };
                lines.push((line, pd.into_iter().collect(), Decimal::ZERO));
            }
            "PID" if in_lines => {
                if let (Some(d), Some(last)) = (seg.opt(5), lines.last_mut()) {
                    last.1.push(d.to_string());
                }
            }
            "SAC" => {
                let amount = opt_n2(ctx, seg, 5, "allowance or charge amount")?;
                if let Some(a) = amount.map(|a| a.abs()) {
                    match (seg.el(1), in_lines, lines.last_mut()) {
                        ("A", true, Some(last)) => last.2 += a,
                        ("A", _, _) => discount = Some(discount.unwrap_or_default() + a),
                        ("C", false, _) if matches!(seg.el(2), "H850" | "H750" | "H770") => {
                            tax = Some(tax.unwrap_or_default() + a)
                        }
                        ("C", false, _) if matches!(seg.el(2), "D240" | "G830" | "D500") => {
                            shipping = Some(shipping.unwrap_or_default() + a)
                        }
                        _ => {}
                    }
                }
            }
            "AMT" => {
                let v = opt_number(ctx, seg, 2, "monetary amount")?.map(money_str);
                match seg.el(1) {
                    "TT" => o.totals.total = v,
                    "1" => o.totals.subtotal = v,
                    _ => {}
                }
            }
            "CTT" => {
                source.insert("ctt_line_count".into(), json!(seg.el(1)));
            }
            _ => {}
        }
        i += 1;
    }
    if lines.is_empty() && purpose != "cancel" {
        return Err(Reject::missing_segment(
            ctx,
            "PO1",
            "baseline item data: the order has no lines",
        ));
    }
    if let Some(c) = header_contact {
        let cust = o.customer.get_or_insert_with(Customer::default);
        cust.name = cust.name.take().or(c.name);
        cust.email = cust.email.take().or(c.email);
        cust.phone = cust.phone.take().or(c.phone);
    }
    // Without a buyer id the trading partner is the customer: its
    // interchange sender id (ISA06) is what a customers table maps to an
    // ERP account.
    let cust = o.customer.get_or_insert_with(Customer::default);
    if cust.id.is_none() && !ctx.interchange.sender.is_empty() {
        cust.id = Some(ctx.interchange.sender.clone());
    }
    if o.totals.subtotal.is_none() {
        let sum: Option<Decimal> = lines
            .iter()
            .map(|(l, _, _)| l.total.as_deref().and_then(weft_sdk::money::parse))
            .sum();
        o.totals.subtotal = sum.filter(|_| !lines.is_empty()).map(money_str);
    }
    o.totals.discount = discount.map(money_str);
    o.totals.shipping = shipping.map(money_str);
    o.totals.tax = tax.map(money_str);
    o.lines = lines
        .into_iter()
        .map(|(mut l, desc, disc)| {
            if !desc.is_empty() {
                l.description = Some(desc.join(" "));
            }
            if disc > Decimal::ZERO {
                l.discount = Some(money_str(disc));
                let net = l
                    .total
                    .as_deref()
                    .and_then(weft_sdk::money::parse)
                    .map(|t| t - disc);
                l.total = net.map(money_str);
            }
            l
        })
        .collect();
    if !parties.is_empty() {
        source.insert("parties".into(), Value::Array(parties));
    }
    // The requested ship date: DTM 010 (requested ship), else 037 (ship
    // not before).
    o.requested_ship_at = ["010", "037"]
        .iter()
        .find_map(|q| dates.get(*q).and_then(Value::as_str))
        .map(str::to_string);
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    o.source = source;
    let payload = serde_json::to_value(&o).unwrap_or(Value::Null);
    Ok(Doc {
        kind: kind.into(),
        correlation_id: o.correlation_id,
        payload,
    })
}

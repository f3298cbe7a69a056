//! 857 shipment and billing notice → a `weft.shipment/1`
//! (`shipment.dispatched`) AND a `weft.invoice/1` (`invoice.posted`) for
//! the same goods; with a negative total (TDS01 below zero: the goods and
//! money go back) a `weft.credit/1` (`credit.issued`) instead, and no
//! shipment or invoice.
//!
//! BHT03 reference is `shipment_id`, `invoice_id` and `credit_id`; BHT02
//! purpose (`00` original, `01` cancel, `05` replace); BHT04/BHT05 the
//! creation time (`created_at`, `invoice_date`, `issued_at`); BHT06 the
//! transaction type (`source.transaction_type`). HL levels (HL03): at the
//! shipment (S) G05 units (`source.units_shipped`) and weight (G0503/G0504),
//! TD1/TD5 package count and carrier, DTM `011` shipped, `067`/`017`/`002`
//! expected (others in `source.dates`), N1 loops (`ST` ship-to, `SF`
//! ship-from, `BT` bill-to), N9/REF references; at the order (O) PRF01
//! purchase orders (`order_refs`, correlation `{channel}:{first PO}`, else
//! `{channel}:shipment:{BHT03}` for all three documents) and TDS01 totals
//! (implied 2 decimals, summed); tare/pack (T/P) levels are packages
//! (MAN02 the package id); each IT1 (IT102 quantity, IT103 unit, IT104
//! price, id pairs from IT106) is a shipped item in its package and an
//! invoice line (PID05 description, SAC allowances/charges: SAC05 amount,
//! else the SAC08 rate × the line quantity).

use serde_json::{json, Value};
use weft_sdk::credit::{Credit, CreditLine, CREDIT_SCHEMA, ISSUED};
use weft_sdk::invoice::{Charge, Invoice, InvoiceLine, INVOICE_SCHEMA, POSTED};
use weft_sdk::money::Decimal;
use weft_sdk::shipment::{
    Carrier, Measure, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};

use super::multi::{doc, opt_date};
use super::{
    add_ref, add_ref_segment, currency, item_ids, n1_loop, need_number, opt_n2, opt_number, Ctx,
    Doc, Reject,
};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

fn purpose(code: &str) -> Option<String> {
    match code {
        "00" => Some("original".into()),
        "01" => Some("cancel".into()),
        "05" => Some("replace".into()),
        _ => None,
    }
}

/// A SAC of the 857 as a charge (amount SAC05, else |SAC08| × `qty`).
fn charge(ctx: &Ctx, seg: &Segment, qty: Option<Decimal>) -> Result<Option<Charge>, Reject> {
    let kind = match seg.el(1) {
        "A" => "allowance",
        "C" => "charge",
        _ => return Ok(None),
    };
    let amount = opt_n2(ctx, seg, 5, "amount")?;
    let rate = opt_number(ctx, seg, 8, "rate")?;
    let amount = amount.map(|a| a.abs()).or_else(|| Some(rate?.abs() * qty?));
    Ok(Some(Charge {
        kind: kind.into(),
        code: seg.opt(2).map(str::to_string),
        description: seg.opt(15).map(str::to_string),
        amount: amount.map(money_str),
        percent: opt_number(ctx, seg, 7, "percent")?.map(qty_str),
    }))
}

/// Maps an 857.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let bht = body.iter().find(|s| s.id == "BHT").ok_or_else(|| {
        Reject::missing_segment(ctx, "BHT", "beginning of hierarchical transaction")
    })?;
    let id = bht
        .opt(3)
        .ok_or_else(|| Reject::element(ctx, bht, 3, "1", "reference identification"))?;
    let created = opt_date(ctx, bht, 4, Some(5), "date")?;
    let mut s = Shipment {
        schema: SHIPMENT_SCHEMA.into(),
        shipment_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: purpose(bht.el(2)),
        created_at: created.clone(),
        ..Shipment::default()
    };
    let mut inv = Invoice {
        schema: INVOICE_SCHEMA.into(),
        invoice_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: purpose(bht.el(2)),
        invoice_date: created.clone(),
        ..Invoice::default()
    };
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(bht.el(2)));
    if let Some(t) = bht.opt(6) {
        source.insert("transaction_type".into(), json!(t));
    }
    let mut dates = serde_json::Map::new();
    let mut total: Option<Decimal> = None;
    let mut level = String::new();
    let mut package: Option<usize> = None;
    let mut po: Option<String> = None;
    let mut items: Vec<(Option<usize>, ShippedItem)> = Vec::new();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let line_qty = inv
            .lines
            .last()
            .and_then(|l| weft_sdk::money::parse(&l.quantity));
        match seg.id.as_str() {
            "HL" => {
                level = seg.el(3).to_string();
                match level.as_str() {
                    "S" | "O" => package = None,
                    "T" | "P" => {
                        s.packages.push(Package::default());
                        package = Some(s.packages.len() - 1);
                    }
                    _ => {}
                }
                if level == "O" {
                    po = None;
                }
            }
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                match l.code.as_str() {
                    "ST" if s.ship_to.is_none() => {
                        s.ship_to = l.party.address.clone();
                        inv.ship_to = l.party.address.clone();
                    }
                    "SF" if s.ship_from.is_none() => s.ship_from = l.party.address.clone(),
                    "BT" if inv.bill_to.is_none() => inv.bill_to = l.party.address.clone(),
                    _ => {}
                }
                if !s.parties.contains(&l.party) {
                    s.parties.push(l.party.clone());
                    inv.parties.push(l.party);
                }
                i = next.max(i + 1);
                continue;
            }
            "CUR" => inv.currency = inv.currency.take().or_else(|| currency(seg)),
            "G05" => {
                if let Some(q) = opt_number(ctx, seg, 1, "number of units shipped")? {
                    source.insert(
                        "units_shipped".into(),
                        json!({"quantity": qty_str(q), "unit": seg.el(2)}),
                    );
                }
                if let Some(w) = opt_number(ctx, seg, 3, "weight")? {
                    s.weight = s.weight.take().or(Some(Measure {
                        value: qty_str(w),
                        unit: seg.opt(4).map(str::to_string),
                    }));
                }
            }
            "TD1" => {
                s.package_count = s.package_count.take().or(seg.opt(2).map(str::to_string));
            }
            "TD5" => {
                let c = s.carrier.get_or_insert_with(Carrier::default);
                c.code = c.code.take().or(seg.opt(3).map(str::to_string));
                c.mode = c.mode.take().or(seg.opt(4).map(str::to_string));
                c.name = c.name.take().or(seg.opt(5).map(str::to_string));
            }
            "DTM" => {
                let when = opt_date(ctx, seg, 2, Some(3), "date")?;
                if let Some(w) = when {
                    match seg.el(1) {
                        "011" => s.shipped_at = s.shipped_at.take().or(Some(w)),
                        "067" | "017" | "002" => s.expected_at = s.expected_at.take().or(Some(w)),
                        q => {
                            dates.entry(q.to_string()).or_insert(json!(w));
                        }
                    }
                }
            }
            "N9" | "REF" if level == "S" || level.is_empty() => {
                add_ref_segment(&mut s.references, seg);
                add_ref_segment(&mut inv.references, seg);
            }
            "PRF" => {
                if let Some(p) = seg.opt(1) {
                    po = Some(p.to_string());
                    if !s.order_refs.iter().any(|r| r == p) {
                        s.order_refs.push(p.to_string());
                        inv.order_refs.push(p.to_string());
                    }
                }
            }
            "TDS" => {
                let t = opt_n2(ctx, seg, 1, "amount")?
                    .ok_or_else(|| Reject::element(ctx, seg, 1, "1", "amount"))?;
                total = Some(total.unwrap_or_default() + t);
            }
            "MAN" => {
                if let (Some(p), Some(mark)) =
                    (package.and_then(|p| s.packages.get_mut(p)), seg.opt(2))
                {
                    p.package_id = p.package_id.take().or(Some(mark.to_string()));
                }
            }
            "IT1" => {
                let qty = need_number(ctx, seg, 2, "quantity invoiced")?;
                let price = opt_number(ctx, seg, 4, "unit price")?;
                let read = item_ids(seg, 6);
                let line_id = seg
                    .opt(1)
                    .map(str::to_string)
                    .unwrap_or_else(|| (inv.lines.len() + 1).to_string());
                items.push((
                    package,
                    ShippedItem {
                        item: read.ids.clone(),
                        quantity: qty_str(qty),
                        uom: seg.opt(3).map(str::to_string),
                        order_id: po.clone(),
                        line_id: Some(line_id.clone()),
                        ..ShippedItem::default()
                    },
                ));
                inv.lines.push(InvoiceLine {
                    line_id,
                    item: read.ids,
                    description: read.description,
                    quantity: qty_str(qty),
                    uom: seg.opt(3).map(str::to_string),
                    unit_price: price.map(money_str),
                    total: price.map(|p| money_str(p * qty)),
                    charges: Vec::new(),
                });
            }
            "PID" if level == "I" => {
                if let (Some(d), Some(l)) = (seg.opt(5), inv.lines.last_mut()) {
                    l.description = Some(match l.description.take() {
                        Some(prev) => format!("{prev} {d}"),
                        None => d.to_string(),
                    });
                }
            }
            "SAC" => {
                let in_line = level == "I" && !inv.lines.is_empty();
                if let Some(c) = charge(ctx, seg, line_qty.filter(|_| in_line))? {
                    match inv.lines.last_mut().filter(|_| in_line) {
                        Some(l) => l.charges.push(c),
                        None => inv.charges.push(c),
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let total =
        total.ok_or_else(|| Reject::missing_segment(ctx, "TDS", "total monetary value summary"))?;
    if inv.lines.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "IT1",
            "baseline item data (invoice): the notice has no lines",
        ));
    }
    let correlation = match s.order_refs.first() {
        Some(p) => ctx.correlation(p),
        None => ctx.correlation(&format!("shipment:{id}")),
    };
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    if total < Decimal::ZERO {
        let c = Credit {
            schema: CREDIT_SCHEMA.into(),
            credit_id: id.into(),
            channel: ctx.cfg.channel.clone(),
            correlation_id: correlation.clone(),
            order_id: s.order_refs.first().cloned(),
            order_refs: s.order_refs.clone(),
            issued_at: created
                .unwrap_or_else(|| ctx.when(&ctx.group.date, None).unwrap_or_default()),
            currency: inv.currency.clone(),
            amount: money_str(-total),
            reason: None,
            lines: inv
                .lines
                .iter()
                .map(|l| CreditLine {
                    line_id: l.line_id.clone(),
                    item: l.item.clone(),
                    quantity: Some(l.quantity.clone()),
                    amount: l.total.clone(),
                })
                .collect(),
            source,
        };
        return Ok(vec![("credit".into(), doc(ISSUED, &correlation, &c))]);
    }
    let mut loose: Option<usize> = None;
    for (pkg, item) in items {
        let p = match pkg {
            Some(p) => p,
            None => *loose.get_or_insert_with(|| {
                s.packages.push(Package::default());
                s.packages.len() - 1
            }),
        };
        if let Some(p) = s.packages.get_mut(p) {
            p.items.push(item);
        }
    }
    inv.totals.total = Some(money_str(total));
    let subtotal: Option<Decimal> = inv
        .lines
        .iter()
        .map(|l| l.total.as_deref().and_then(weft_sdk::money::parse))
        .sum();
    inv.totals.subtotal = subtotal.map(money_str);
    let (mut allow, mut chg) = (None::<Decimal>, None::<Decimal>);
    for c in inv
        .charges
        .iter()
        .chain(inv.lines.iter().flat_map(|l| l.charges.iter()))
    {
        let slot = if c.kind == "allowance" {
            &mut allow
        } else {
            &mut chg
        };
        if let Some(a) = c.amount.as_deref().and_then(weft_sdk::money::parse) {
            *slot = Some(slot.unwrap_or_default() + a);
        }
    }
    inv.totals.allowances = allow.map(money_str);
    inv.totals.charges = chg.map(money_str);
    add_ref(&mut inv.references, "shipment_id", id);
    s.correlation_id = correlation.clone();
    inv.correlation_id = correlation.clone();
    inv.source = source.clone();
    s.source = source;
    Ok(vec![
        ("shipment".into(), doc(DISPATCHED, &correlation, &s)),
        ("invoice".into(), doc(POSTED, &correlation, &inv)),
    ])
}

//! 810 invoice → `weft.invoice/1` (`invoice.posted`).
//!
//! BIG01 invoice date, BIG02 invoice number, BIG04 PO number (order ref and
//! correlation), BIG07 `CR`/`DR` credit/debit memo, BIG08 purpose (`00`
//! original, `01` cancel, `05` replace; no purpose when BIG08 is absent, the
//! schema does not require one). BIG03 (PO date) has no canonical field
//! and is kept as `source.po_date`. CUR, REF, N1 loops (BT bill-to, ST
//! ship-to, all as parties), the first ITD terms, IT1 lines (quantity, unit price `R`, item ids, PID description,
//! SAC/ITA charges of the line), SAC/ITA charges of the invoice (before the
//! first IT1 or after TDS), TXI tax, TDS01 total (`N2`: `12345` → `123.45`).

use serde_json::{json, Value};
use weft_sdk::invoice::{Charge, Invoice, InvoiceLine, Terms, INVOICE_SCHEMA, POSTED};
use weft_sdk::money::Decimal;

use super::{
    add_ref, add_ref_segment, currency, item_ids, n1_loop, need_number, opt_n2, opt_number, Ctx,
    Doc, Reject,
};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

/// Reads a SAC (or ITA) as a charge; `None` for "no allowance or charge".
fn charge(ctx: &Ctx, seg: &Segment) -> Result<Option<Charge>, Reject> {
    let (flag, code, amount, percent, desc) = if seg.id == "SAC" {
        (
            seg.el(1),
            seg.opt(2),
            opt_n2(ctx, seg, 5, "amount")?,
            opt_number(ctx, seg, 7, "percent")?,
            seg.opt(15),
        )
    } else {
        (
            seg.el(1),
            seg.opt(3),
            opt_n2(ctx, seg, 7, "amount")?,
            opt_number(ctx, seg, 8, "percent")?,
            seg.opt(13),
        )
    };
    let kind = match flag {
        "A" => "allowance",
        "C" => "charge",
        _ => return Ok(None),
    };
    Ok(Some(Charge {
        kind: kind.into(),
        code: code.map(str::to_string),
        description: desc.map(str::to_string),
        amount: amount.map(|a| money_str(a.abs())),
        percent: percent.map(qty_str),
    }))
}

/// Maps an 810.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let body = ctx.body();
    let big = body
        .iter()
        .find(|s| s.id == "BIG")
        .ok_or_else(|| Reject::missing_segment(ctx, "BIG", "beginning segment for invoice"))?;
    let id = big
        .opt(2)
        .ok_or_else(|| Reject::element(ctx, big, 2, "1", "invoice number"))?;
    let mut inv = Invoice {
        schema: INVOICE_SCHEMA.into(),
        invoice_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: match (big.el(7), big.el(8)) {
            ("CR", _) => Some("credit".into()),
            ("DR", _) => Some("debit".into()),
            (_, "01") => Some("cancel".into()),
            (_, "05") => Some("replace".into()),
            (_, "00") => Some("original".into()),
            _ => None,
        },
        ..Invoice::default()
    };
    if let Some(d) = big.opt(1) {
        inv.invoice_date = Some(
            ctx.when(d, None)
                .ok_or_else(|| Reject::element(ctx, big, 1, "8", "invoice date"))?,
        );
    }
    if let Some(po) = big.opt(4) {
        inv.order_refs.push(po.to_string());
        add_ref(&mut inv.references, "po_number", po);
    }
    add_ref(&mut inv.references, "release_number", big.el(5));
    let mut source = ctx.source();
    source.insert("transaction_type".into(), json!(big.el(7)));
    if let Some(d) = big.opt(3).and_then(|d| ctx.when(d, None)) {
        source.insert("po_date".into(), json!(d));
    }
    let mut after_tds = false;
    let mut tax: Option<Decimal> = None;
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !inv.lines.is_empty() && !after_tds;
        match seg.id.as_str() {
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                if inv.lines.is_empty() {
                    match l.code.as_str() {
                        "BT" if inv.bill_to.is_none() => inv.bill_to = l.party.address.clone(),
                        "ST" if inv.ship_to.is_none() => inv.ship_to = l.party.address.clone(),
                        _ => {}
                    }
                    inv.parties.push(l.party);
                }
                i = next.max(i + 1);
                continue;
            }
            "CUR" if inv.lines.is_empty() => {
                inv.currency = inv.currency.take().or_else(|| currency(seg))
            }
            "REF" if inv.lines.is_empty() => {
                if seg.el(1) == "PO" {
                    if let Some(po) = seg
                        .opt(2)
                        .filter(|po| !inv.order_refs.iter().any(|r| r == po))
                    {
                        inv.order_refs.push(po.to_string());
                    }
                }
                add_ref_segment(&mut inv.references, seg)
            }
            "ITD" if inv.terms.is_none() => inv.terms = Some(terms(ctx, seg)?),
            "DTM" if inv.lines.is_empty() && seg.el(1) == "011" => {
                if let Some(d) = seg.opt(2).and_then(|d| ctx.when(d, seg.opt(3))) {
                    source.insert("shipped_at".into(), json!(d));
                }
            }
            "IT1" => {
                let qty = need_number(ctx, seg, 2, "quantity invoiced")?;
                let price = opt_number(ctx, seg, 4, "unit price")?;
                let read = item_ids(seg, 6);
                let (item, pd) = (read.ids, read.description);
                inv.lines.push(InvoiceLine {
                    line_id: seg
                        .opt(1)
                        .map(str::to_string)
                        .unwrap_or_else(|| (inv.lines.len() + 1).to_string()),
                    item,
                    description: pd,
                    quantity: qty_str(qty),
                    uom: seg.opt(3).map(str::to_string),
                    unit_price: price.map(money_str),
                    total: price.map(|p| money_str(p * qty)),
                    charges: Vec::new(),
                });
            }
            "PID" if in_lines => {
                if let (Some(d), Some(l)) = (seg.opt(5), inv.lines.last_mut()) {
                    l.description = Some(match l.description.take() {
                        Some(prev) => format!("{prev} {d}"),
                        None => d.to_string(),
                    });
                }
            }
            "SAC" | "ITA" => {
                if let Some(c) = charge(ctx, seg)? {
                    match inv.lines.last_mut().filter(|_| in_lines) {
                        Some(l) => l.charges.push(c),
                        None => inv.charges.push(c),
                    }
                }
            }
            "TXI" => {
                if let Some(t) = opt_number(ctx, seg, 2, "tax amount")? {
                    tax = Some(tax.unwrap_or_default() + t);
                }
            }
            "TDS" => {
                after_tds = true;
                let total = opt_n2(ctx, seg, 1, "total invoice amount")?
                    .ok_or_else(|| Reject::element(ctx, seg, 1, "1", "total invoice amount"))?;
                inv.totals.total = Some(money_str(total));
            }
            _ => {}
        }
        i += 1;
    }
    if inv.lines.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "IT1",
            "baseline item data (invoice): the invoice has no lines",
        ));
    }
    let line_totals: Option<Decimal> = inv
        .lines
        .iter()
        .map(|l| l.total.as_deref().and_then(weft_sdk::money::parse))
        .sum();
    inv.totals.subtotal = line_totals.map(money_str);
    let all = inv
        .charges
        .iter()
        .chain(inv.lines.iter().flat_map(|l| l.charges.iter()));
    let (mut allow, mut chg) = (None::<Decimal>, None::<Decimal>);
    for c in all {
        let amt = c.amount.as_deref().and_then(weft_sdk::money::parse);
        let slot = if c.kind == "allowance" {
            &mut allow
        } else {
            &mut chg
        };
        if let Some(a) = amt {
            *slot = Some(slot.unwrap_or_default() + a);
        }
    }
    inv.totals.allowances = allow.map(money_str);
    inv.totals.charges = chg.map(money_str);
    inv.totals.tax = tax.map(money_str);
    inv.correlation_id = match inv.order_refs.first() {
        Some(po) => ctx.correlation(po),
        None => ctx.correlation(&format!("invoice:{id}")),
    };
    inv.source = source;
    let payload = serde_json::to_value(&inv).unwrap_or(Value::Null);
    Ok(Doc {
        kind: POSTED.into(),
        correlation_id: inv.correlation_id,
        payload,
    })
}

fn terms(ctx: &Ctx, seg: &Segment) -> Result<Terms, Reject> {
    Ok(Terms {
        code: seg.opt(1).map(str::to_string),
        discount_percent: opt_number(ctx, seg, 3, "terms discount percent")?.map(qty_str),
        discount_days: opt_number(ctx, seg, 5, "terms discount days")?.map(qty_str),
        net_days: opt_number(ctx, seg, 7, "terms net days")?.map(qty_str),
        due_date: seg.opt(6).and_then(|d| ctx.when(d, None)),
        description: seg.opt(12).map(str::to_string),
    })
}

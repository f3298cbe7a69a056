//! INVOIC → `weft.invoice/1` (`invoice.posted`).
//!
//! BGM01 `380` invoice, `381` credit note (purpose `credit`), `383` debit
//! note; BGM02 invoice number; BGM03 function code; DTM 137/3 invoice date;
//! RFF ON order numbers (order refs, correlation `{channel}:{first}`; the
//! invoice number when there is none); NAD parties (IV/BY bill-to, DP/ST
//! ship-to); CUX currency; PAT terms (with DTM 13 due date and PCD
//! discount); header and summary ALC charges; LIN groups (QTY 47, PRI
//! AAA/INV/CAL/AAB, MOA 203/66 line amount, line ALC); summary MOA 79
//! subtotal, 77/86/39/128/9 total, 176/124/150 tax.

use serde_json::{json, Value};
use weft_sdk::invoice::{Charge, Invoice, InvoiceLine, Terms, INVOICE_SCHEMA, POSTED};
use weft_sdk::money::Decimal;

use super::{
    add_ref, currency, nad_group, num, purpose, read_alc, read_line, ref_key, Ctx, Doc, Reject,
};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

/// Maps an INVOIC message.
pub fn map(ctx: &Ctx, bgm: &Segment) -> Result<Doc, Reject> {
    let number = bgm.el(2);
    let mut inv = Invoice {
        schema: INVOICE_SCHEMA.into(),
        invoice_id: number.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: match bgm.comp(1, 1) {
            "381" => Some("credit".into()),
            "383" => Some("debit".into()),
            _ => purpose(bgm.el(3)).map(str::to_string),
        },
        ..Invoice::default()
    };
    let mut source = ctx.source();
    source.insert("document_code".into(), json!(bgm.comp(1, 1)));
    if let Some(f) = bgm.opt(3) {
        source.insert("function_code".into(), json!(f));
    }
    let mut warnings = Vec::new();
    let mut dates = serde_json::Map::new();
    let mut lines = Vec::new();
    let mut totals: Vec<(String, Decimal)> = Vec::new();
    let mut tax_amounts: Vec<Decimal> = Vec::new();
    let mut summary = false;
    let mut in_tax = false;
    let mut terms: Option<Terms> = None;
    let body = ctx.body();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let was_tax = in_tax;
        in_tax = seg.tag == "TAX" || (in_tax && seg.tag == "MOA");
        match seg.tag.as_str() {
            "NAD" => {
                let (g, next) = nad_group(body, i)?;
                warnings.extend(g.note.clone());
                match g.qualifier.as_str() {
                    "IV" | "BT" if inv.bill_to.is_none() => inv.bill_to = g.party.address.clone(),
                    "BY" if inv.bill_to.is_none() => inv.bill_to = g.party.address.clone(),
                    "DP" | "ST" if inv.ship_to.is_none() => inv.ship_to = g.party.address.clone(),
                    _ => {}
                }
                inv.parties.push(g.party);
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
                inv.charges.extend(c);
                i = next.max(i + 1);
                continue;
            }
            "PAT" if terms.is_none() => terms = Some(pat(seg)),
            "PCD" if terms.is_some() && matches!(seg.el(1), "12" | "15") => {
                if let Some(t) = terms.as_mut().filter(|t| t.discount_percent.is_none()) {
                    t.discount_percent = num(seg, 1, 2, "discount percentage")?.map(qty_str);
                }
            }
            "DTM" => match seg.comp(1, 1) {
                "137" | "3" if inv.invoice_date.is_none() => {
                    inv.invoice_date = Some(ctx.date(seg, "invoice date")?)
                }
                "13" if terms.as_ref().is_some_and(|t| t.due_date.is_none()) => {
                    if let Some(t) = terms.as_mut() {
                        t.due_date = Some(ctx.date(seg, "terms net due date")?);
                    }
                }
                q => match ctx.date(seg, "date") {
                    Ok(d) => {
                        dates.entry(q.to_string()).or_insert(json!(d));
                    }
                    Err(r) => warnings.push(format!("{r}; ignored")),
                },
            },
            "CUX" if inv.currency.is_none() => inv.currency = currency(seg),
            "RFF" => {
                let (q, v) = (seg.comp(1, 1), seg.comp(1, 2));
                if q == "ON" && !v.is_empty() && !inv.order_refs.iter().any(|r| r == v) {
                    inv.order_refs.push(v.to_string());
                }
                add_ref(&mut inv.references, &ref_key(q), v);
            }
            "UNS" => summary = true,
            "MOA" if summary => {
                let q = seg.el(1);
                if matches!(
                    q,
                    "77" | "79" | "86" | "39" | "128" | "9" | "176" | "124" | "150" | "125"
                ) {
                    if let Some(v) = num(seg, 1, 2, "monetary amount")? {
                        if was_tax && q == "124" {
                            tax_amounts.push(v);
                        } else {
                            totals.push((q.to_string(), v));
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let pick = |qs: &[&str]| {
        qs.iter()
            .find_map(|q| totals.iter().find(|t| t.0 == *q).map(|t| money_str(t.1)))
    };
    inv.totals.subtotal = pick(&["79"]);
    inv.totals.total = pick(&["77", "86", "39", "128", "9"]);
    inv.totals.tax = pick(&["176", "124", "150"]).or_else(|| {
        tax_amounts
            .iter()
            .copied()
            .reduce(|a, b| a + b)
            .map(money_str)
    });
    for l in &lines {
        let (qty, uom) = l.need_qty("47", "invoiced quantity")?;
        let price = l.price(&["AAA", "INV", "CAL", "AAB"]);
        inv.lines.push(InvoiceLine {
            line_id: l.line_id.clone(),
            item: l.ids.clone(),
            description: l.description(),
            total: l.total(&["203", "66", "38"], &qty, price),
            quantity: qty,
            uom,
            unit_price: price.map(money_str),
            charges: l.charges.clone(),
        });
    }
    if inv.totals.subtotal.is_none() && !inv.lines.is_empty() {
        let sum: Option<Decimal> = inv
            .lines
            .iter()
            .map(|l| l.total.as_deref().and_then(weft_sdk::money::parse))
            .sum();
        inv.totals.subtotal = sum.map(money_str);
    }
    let sum_of = |kind: &str, charges: &[Charge]| -> Option<String> {
        charges
            .iter()
            .filter(|c| c.kind == kind)
            .filter_map(|c| c.amount.as_deref().and_then(weft_sdk::money::parse))
            .reduce(|a, b| a + b)
            .map(money_str)
    };
    inv.totals.allowances = sum_of("allowance", &inv.charges);
    inv.totals.charges = sum_of("charge", &inv.charges);
    inv.terms = terms.filter(|t| t != &Terms::default());
    let corr = inv
        .order_refs
        .first()
        .cloned()
        .unwrap_or_else(|| number.to_string());
    inv.correlation_id = ctx.correlation(&corr);
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    inv.source = source;
    Ok(Doc {
        kind: POSTED.into(),
        correlation_id: inv.correlation_id.clone(),
        payload: serde_json::to_value(&inv).unwrap_or(Value::Null),
        warnings,
    })
}

/// Reads a PAT: 4279 type (`22` discount terms), C112 time reference
/// (period type `D` days, number of periods).
fn pat(seg: &Segment) -> Terms {
    let days = (seg.comp(3, 3) == "D")
        .then(|| seg.copt(3, 4).map(str::to_string))
        .flatten();
    let mut t = Terms {
        code: seg.opt(1).map(str::to_string),
        description: seg.copt(2, 4).map(str::to_string),
        ..Terms::default()
    };
    if seg.el(1) == "22" {
        t.discount_days = days;
    } else {
        t.net_days = days;
    }
    t
}

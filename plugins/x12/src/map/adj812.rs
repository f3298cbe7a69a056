//! 812 credit/debit adjustment → `weft.credit/1` (`credit.issued`) for a
//! credit (BCD05 `C`): money the seller credits the buyer without goods
//! coming back (a price or quantity adjustment).
//!
//! BCD01 `issued_at`, BCD02 adjustment number (`credit_id`), BCD03
//! handling code (`source.handling_code`), BCD04 amount (explicit
//! decimal; `amount` is its absolute value), BCD06/BCD07 invoice number
//! and date, BCD10 purchase order (`order_id`; correlation
//! `{channel}:{PO}`, else `{channel}:invoice:{BCD06}`, else
//! `{channel}:credit:{BCD02}`), CUR02 currency, N1 loops and REF in
//! `source.parties` / `source.references`. Each CDD is a line: CDD01
//! reason code (the first is the credit's `reason`), CDD03 line id (else
//! position), CDD04 amount, CDD05 quantity, item ids from the LIN after it
//! (LIN02/LIN03 … pairs). A debit (BCD05 `D`: money the buyer owes) is no
//! credit: it stays an `x12.transaction`.

use serde_json::{json, Value};
use weft_sdk::credit::{Credit, CreditLine, CREDIT_SCHEMA, ISSUED};

use super::multi::{doc, opt_date};
use super::{add_ref_segment, currency, generic, item_ids, n1_loop, opt_number, Ctx, Doc, Reject};
use crate::values::{money_str, qty_str};

/// Maps an 812.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let bcd = body
        .iter()
        .find(|s| s.id == "BCD")
        .ok_or_else(|| Reject::missing_segment(ctx, "BCD", "beginning credit/debit adjustment"))?;
    let id = bcd
        .opt(2)
        .ok_or_else(|| Reject::element(ctx, bcd, 2, "1", "credit/debit adjustment number"))?;
    let issued_at = opt_date(ctx, bcd, 1, None, "date")?
        .ok_or_else(|| Reject::element(ctx, bcd, 1, "1", "date"))?;
    let amount = opt_number(ctx, bcd, 4, "monetary amount")?
        .ok_or_else(|| Reject::element(ctx, bcd, 4, "1", "monetary amount"))?;
    match bcd.el(5) {
        "C" => {}
        "D" => return Ok(vec![(id.to_string(), generic::map(ctx))]),
        _ => return Err(Reject::element(ctx, bcd, 5, "7", "credit/debit flag code")),
    }
    let invoice_date = opt_date(ctx, bcd, 7, None, "invoice date")?;
    let po = bcd.opt(10);
    let invoice = bcd.opt(6);
    let mut c = Credit {
        schema: CREDIT_SCHEMA.into(),
        credit_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        order_id: po.map(str::to_string),
        order_refs: po.into_iter().chain(invoice).map(str::to_string).collect(),
        issued_at,
        amount: money_str(amount.abs()),
        ..Credit::default()
    };
    c.correlation_id = match (po, invoice) {
        (Some(p), _) => ctx.correlation(p),
        (None, Some(inv)) => ctx.correlation(&format!("invoice:{inv}")),
        (None, None) => ctx.correlation(&format!("credit:{id}")),
    };
    let mut source = ctx.source();
    source.insert("handling_code".into(), json!(bcd.el(3)));
    if let Some(d) = invoice_date {
        source.insert("invoice_date".into(), json!(d));
    }
    let mut refs = std::collections::BTreeMap::new();
    let mut parties = Vec::new();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !c.lines.is_empty();
        match seg.id.as_str() {
            "CUR" if !in_lines => c.currency = c.currency.take().or_else(|| currency(seg)),
            "N1" if !in_lines => {
                let (l, next) = n1_loop(ctx, body, i)?;
                parties.push(serde_json::to_value(&l.party).unwrap_or(Value::Null));
                i = next.max(i + 1);
                continue;
            }
            "REF" if !in_lines => add_ref_segment(&mut refs, seg),
            "CDD" => {
                let amt = opt_number(ctx, seg, 4, "monetary amount")?;
                let qty = opt_number(ctx, seg, 5, "quantity")?;
                if c.reason.is_none() {
                    c.reason = seg.opt(1).map(str::to_string);
                }
                c.lines.push(CreditLine {
                    line_id: seg
                        .opt(3)
                        .map(str::to_string)
                        .unwrap_or_else(|| (c.lines.len() + 1).to_string()),
                    quantity: qty.map(|q| qty_str(q.abs())),
                    amount: amt.map(|a| money_str(a.abs())),
                    ..CreditLine::default()
                });
            }
            "LIN" if in_lines => {
                if let Some(l) = c.lines.last_mut().filter(|l| l.item.is_empty()) {
                    l.item = item_ids(seg, 2).ids;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if !refs.is_empty() {
        source.insert(
            "references".into(),
            serde_json::to_value(refs).unwrap_or_default(),
        );
    }
    if !parties.is_empty() {
        source.insert("parties".into(), Value::Array(parties));
    }
    c.source = source;
    Ok(vec![(id.to_string(), doc(ISSUED, &c.correlation_id, &c))])
}

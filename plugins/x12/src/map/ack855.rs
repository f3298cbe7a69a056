//! 855 purchase order acknowledgement → `weft.order_ack/1`
//! (`order.acknowledged`).
//!
//! BAK01 purpose, BAK02 acknowledgement type (`AD`/`AK`/`AT` accepted,
//! `AC`/`AE` accepted with changes, `RD`/`RF`/`RJ`/`RO` rejected, others
//! pending), BAK03 PO number (order id, correlation), BAK04 PO date, BAK08
//! seller's order number (`ack_id`), BAK09 acknowledgement date. Each PO1
//! (ordered quantity, price, item ids) with its ACK line statuses (one
//! canonical line per ACK), SCH/DTM promised dates.

use serde_json::{json, Value};
use weft_sdk::order_ack::{AckLine, OrderAck, ACKNOWLEDGED, ORDER_ACK_SCHEMA};

use super::{add_ref, add_ref_segment, currency, item_ids, n1_loop, opt_number, Ctx, Doc, Reject};
use crate::values::{money_str, qty_str};

/// The canonical type of a BAK02 code.
pub fn ack_type(code: &str) -> &'static str {
    match code {
        "AD" | "AK" | "AT" | "AP" | "NA" => "accepted",
        "AC" | "AE" => "accepted_with_changes",
        "RD" | "RF" | "RJ" | "RO" | "RN" => "rejected",
        _ => "pending",
    }
}

/// The canonical status of an ACK01 code.
pub fn line_status(code: &str) -> &'static str {
    match code {
        "IA" | "AC" | "AR" | "IE" => "accepted",
        "IB" | "BP" => "backordered",
        "IC" | "IP" | "IQ" | "DR" => "changed",
        "ID" => "cancelled",
        "IR" | "R1" | "R2" | "R3" | "R4" | "R5" => "rejected",
        "IS" => "substituted",
        _ => "pending",
    }
}

/// Maps an 855.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let body = ctx.body();
    let bak = body.iter().find(|s| s.id == "BAK").ok_or_else(|| {
        Reject::missing_segment(
            ctx,
            "BAK",
            "beginning segment for purchase order acknowledgment",
        )
    })?;
    let po = bak
        .opt(3)
        .ok_or_else(|| Reject::element(ctx, bak, 3, "1", "purchase order number"))?;
    let kind = ack_type(bak.el(2));
    let mut a = OrderAck {
        schema: ORDER_ACK_SCHEMA.into(),
        order_id: po.into(),
        channel: ctx.cfg.channel.clone(),
        correlation_id: ctx.correlation(po),
        ack_id: bak.opt(8).map(str::to_string),
        ack_type: kind.into(),
        ack_code: bak.opt(2).map(str::to_string),
        purpose: match bak.el(1) {
            "00" => Some("original".into()),
            "01" => Some("cancel".into()),
            "04" | "05" => Some("replace".into()),
            _ => None,
        },
        ..OrderAck::default()
    };
    if let Some(d) = bak.opt(4) {
        a.ordered_at = Some(
            ctx.when(d, None)
                .ok_or_else(|| Reject::element(ctx, bak, 4, "8", "purchase order date"))?,
        );
    }
    if let Some(d) = bak.opt(9) {
        a.acknowledged_at = Some(
            ctx.when(d, None)
                .ok_or_else(|| Reject::element(ctx, bak, 9, "8", "acknowledgment date"))?,
        );
    }
    add_ref(&mut a.references, "po_number", po);
    add_ref(&mut a.references, "release_number", bak.el(5));
    add_ref(&mut a.references, "contract", bak.el(7));
    add_ref(&mut a.references, "vendor_order", bak.el(8));
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(bak.el(1)));

    let default_status = match kind {
        "accepted" | "accepted_with_changes" => "accepted",
        "rejected" => "rejected",
        _ => "pending",
    };
    // (base line from PO1, lines from its ACKs)
    let mut lines: Vec<(AckLine, Vec<AckLine>)> = Vec::new();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !lines.is_empty();
        match seg.id.as_str() {
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                if !in_lines {
                    a.parties.push(l.party);
                }
                i = next.max(i + 1);
                continue;
            }
            "CUR" if !in_lines => a.currency = a.currency.take().or_else(|| currency(seg)),
            "REF" if !in_lines => add_ref_segment(&mut a.references, seg),
            "PO1" => {
                let qty = opt_number(ctx, seg, 2, "quantity ordered")?;
                let price = opt_number(ctx, seg, 4, "unit price")?;
                let item = item_ids(seg, 6).ids;
                let base = AckLine {
                    line_id: seg
                        .opt(1)
                        .map(str::to_string)
                        .unwrap_or_else(|| (lines.len() + 1).to_string()),
                    item,
                    ordered_quantity: qty.map(qty_str),
                    uom: seg.opt(3).map(str::to_string),
                    unit_price: price.map(money_str),
                    status: default_status.into(),
                    ..AckLine::default()
                };
                lines.push((base, Vec::new()));
            }
            "ACK" if in_lines => {
                let qty = opt_number(ctx, seg, 2, "quantity")?;
                if let Some((base, acks)) = lines.last_mut() {
                    let mut l = base.clone();
                    l.status = line_status(seg.el(1)).into();
                    l.status_code = seg.opt(1).map(str::to_string);
                    l.quantity = qty.map(qty_str);
                    if let Some(u) = seg.opt(3) {
                        l.uom = Some(u.to_string());
                    }
                    if seg.opt(4).is_some() {
                        l.scheduled_date = seg.opt(5).and_then(|d| ctx.when(d, None));
                    }
                    acks.push(l);
                }
            }
            "SCH" | "DTM" if in_lines => {
                let (date, time) = if seg.id == "SCH" {
                    (seg.opt(6), seg.opt(7))
                } else {
                    (seg.opt(2), seg.opt(3))
                };
                let when = date.and_then(|d| ctx.when(d, time));
                if let (Some(w), Some((base, acks))) = (when, lines.last_mut()) {
                    for l in acks.iter_mut().chain(std::iter::once(base)) {
                        if l.scheduled_date.is_none() {
                            l.scheduled_date = Some(w.clone());
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    for (base, acks) in lines {
        if acks.is_empty() {
            a.lines.push(base);
        } else {
            a.lines.extend(acks);
        }
    }
    a.source = source;
    let payload = serde_json::to_value(&a).unwrap_or(Value::Null);
    Ok(Doc {
        kind: ACKNOWLEDGED.into(),
        correlation_id: a.correlation_id,
        payload,
    })
}

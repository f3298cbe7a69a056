//! 940 warehouse shipping order → `weft.order_ack/1` (`order.allocated`,
//! `ack_type: pending`): the depositor asks the warehouse to ship the
//! order's lines, an allocation requested, not yet made.
//!
//! W05 `order_id` = W0503 purchase order (else W0502 depositor order),
//! correlation `{channel}:{order_id}`; W0501 status (`N` original, `C`
//! cancel, `R` replace; the code in `source.status_code`); references
//! `depositor_order` W0502, `po_number` W0503, `master_reference` W0505,
//! N9/REF as REF. N1 loops are `parties`; the `WH` warehouse (name, else
//! id) is the `location`. G62 dates by qualifier in `source.dates`
//! (`10` requested ship also as `source.requested_ship_at`). Each LX/W01 is
//! a line: LX01 `line_id` (else position), W0101 quantity (`quantity` and
//! `ordered_quantity`), W0102 unit, W0103 UPC case code (`gtin`, first), the W0104/W0105 and
//! W0106/W0107 id pairs, status `pending`; W76 totals in
//! `source.total_quantity`.

use serde_json::{json, Value};
use weft_sdk::order_ack::{AckLine, OrderAck, ALLOCATED, ORDER_ACK_SCHEMA};

use super::multi::{doc, ids_at, opt_date};
use super::{add_ref, add_ref_segment, n1_loop, need_number, Ctx, Doc, Reject};
use crate::values::qty_str;

/// Maps a 940.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let w05 = body
        .iter()
        .find(|s| s.id == "W05")
        .ok_or_else(|| Reject::missing_segment(ctx, "W05", "shipping order identification"))?;
    let order = w05
        .opt(3)
        .or(w05.opt(2))
        .ok_or_else(|| Reject::element(ctx, w05, 2, "1", "depositor order number"))?;
    let mut a = OrderAck {
        schema: ORDER_ACK_SCHEMA.into(),
        order_id: order.into(),
        channel: ctx.cfg.channel.clone(),
        correlation_id: ctx.correlation(order),
        ack_type: "pending".into(),
        purpose: match w05.el(1) {
            "N" => Some("original".into()),
            "C" => Some("cancel".into()),
            "R" => Some("replace".into()),
            _ => None,
        },
        ..OrderAck::default()
    };
    add_ref(&mut a.references, "depositor_order", w05.el(2));
    add_ref(&mut a.references, "po_number", w05.el(3));
    add_ref(&mut a.references, "master_reference", w05.el(5));
    let mut source = ctx.source();
    source.insert("status_code".into(), json!(w05.el(1)));
    let mut dates = serde_json::Map::new();
    let mut lx: Option<String> = None;
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !a.lines.is_empty() || lx.is_some();
        match seg.id.as_str() {
            "N1" if !in_lines => {
                let (l, next) = n1_loop(ctx, body, i)?;
                if l.code == "WH" && a.location.is_none() {
                    a.location = l.address.name.clone().or(l.party.id.clone());
                }
                a.parties.push(l.party);
                i = next.max(i + 1);
                continue;
            }
            "N9" | "REF" if !in_lines => add_ref_segment(&mut a.references, seg),
            "G62" if !in_lines => {
                if let Some(d) = opt_date(ctx, seg, 2, Some(4), "date")? {
                    dates.entry(seg.el(1).to_string()).or_insert(json!(d));
                }
            }
            "LX" => lx = seg.opt(1).map(str::to_string),
            "W01" => {
                let qty = need_number(ctx, seg, 1, "quantity ordered")?;
                let read = ids_at(seg, Some(("UP", 3)), &[4, 6]);
                a.lines.push(AckLine {
                    line_id: lx.take().unwrap_or_else(|| (a.lines.len() + 1).to_string()),
                    item: read.ids,
                    ordered_quantity: Some(qty_str(qty)),
                    quantity: Some(qty_str(qty)),
                    uom: seg.opt(2).map(str::to_string),
                    status: "pending".into(),
                    ..AckLine::default()
                });
            }
            "W76" => {
                if let Some(q) = seg.opt(1) {
                    source.insert("total_quantity".into(), json!(q));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if a.lines.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "W01",
            "line item detail (warehouse): the order has no lines",
        ));
    }
    if let Some(d) = dates.get("10") {
        source.insert("requested_ship_at".into(), d.clone());
    }
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    a.source = source;
    Ok(vec![(
        order.to_string(),
        doc(ALLOCATED, &a.correlation_id, &a),
    )])
}

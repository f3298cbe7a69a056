//! 180 return merchandise authorization → `weft.return/1`
//! (`return.authorized`, `status: authorized`): goods the buyer may send
//! back, nothing received yet.
//!
//! BGN02 the authorisation number (`return_id`), BGN01 purpose (in
//! `source.purpose_code`), BGN03/BGN04 `authorized_at`; the header PRF01
//! purchase order (else the first line's PRF01) is `order_id` and the
//! correlation `{channel}:{PO}`, PRF02 release and PRF04 PO date in
//! `references`/`source`; N9 and REF qualifiers → `references` (as REF,
//! see the crate doc); header DTM in `source.dates`; N1 loops in
//! `source.parties`. Each BLI is a line: BLI01/BLI02 and BLI08/BLI09, … id
//! pairs (data element 235), BLI03 quantity (above zero), BLI04 unit,
//! BLI05/BLI06 price code and unit price (`source.lines`, the return line
//! has no price: nothing is refunded yet), RDR01 return reason (`reason`)
//! and RDR02 disposition (`source.lines`), PID05 description
//! (`source.lines`), its PRF01 the line's PO. A 180 without BLI, or without
//! any PRF naming the order, is rejected.

use serde_json::{json, Value};
use weft_sdk::returns::{Return, ReturnLine, AUTHORIZED, RETURN_SCHEMA};

use super::multi::{doc, opt_date};
use super::{add_ref, item_ids, n1_loop, need_number, opt_number, ref_key, Ctx, Doc, Reject};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

/// The ids of a BLI: its BLI01/BLI02 pair and the pairs from BLI08 on.
fn bli_ids(seg: &Segment) -> super::LineIds {
    let mut elements: Vec<String> = seg.elements.iter().take(2).cloned().collect();
    elements.extend(seg.elements.iter().skip(7).cloned());
    let pairs = Segment {
        position: seg.position,
        id: seg.id.clone(),
        elements,
    };
    item_ids(&pairs, 1)
}

/// Maps a 180.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let bgn = body
        .iter()
        .find(|s| s.id == "BGN")
        .ok_or_else(|| Reject::missing_segment(ctx, "BGN", "beginning segment"))?;
    let id = bgn
        .opt(2)
        .ok_or_else(|| Reject::element(ctx, bgn, 2, "1", "reference identification"))?;
    let mut r = Return {
        schema: RETURN_SCHEMA.into(),
        return_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        status: Some("authorized".into()),
        authorized_at: opt_date(ctx, bgn, 3, Some(4), "date")?,
        ..Return::default()
    };
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(bgn.el(1)));
    let mut header_po: Option<String> = None;
    let mut line_po: Option<String> = None;
    let mut dates = serde_json::Map::new();
    let mut parties = Vec::new();
    let mut details: Vec<serde_json::Map<String, Value>> = Vec::new();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !r.lines.is_empty();
        match seg.id.as_str() {
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                parties.push(serde_json::to_value(&l.party).unwrap_or(Value::Null));
                i = next.max(i + 1);
                continue;
            }
            "PRF" => {
                let po = seg
                    .opt(1)
                    .ok_or_else(|| Reject::element(ctx, seg, 1, "1", "purchase order number"))?;
                let date = opt_date(ctx, seg, 4, None, "purchase order date")?;
                match details.last_mut().filter(|_| in_lines) {
                    Some(d) => {
                        d.insert("po_number".into(), json!(po));
                        if let Some(rel) = seg.opt(2) {
                            d.insert("release_number".into(), json!(rel));
                        }
                        if line_po.is_none() {
                            line_po = Some(po.to_string());
                        }
                    }
                    None => {
                        if header_po.is_none() {
                            header_po = Some(po.to_string());
                            add_ref(&mut r.references, "release_number", seg.el(2));
                            if let Some(d) = date {
                                source.insert("po_date".into(), json!(d));
                            }
                        }
                    }
                }
            }
            "N9" | "REF" if !in_lines => {
                add_ref(
                    &mut r.references,
                    &ref_key(seg.el(1)),
                    seg.opt(2).or(seg.opt(3)).unwrap_or(""),
                );
            }
            "N9" | "REF" => {
                if let (Some(d), Some(v)) = (details.last_mut(), seg.opt(2)) {
                    d.entry(ref_key(seg.el(1))).or_insert(json!(v));
                }
            }
            "DTM" if !in_lines => {
                if let Some(d) = opt_date(ctx, seg, 2, Some(3), "date")? {
                    dates.entry(seg.el(1).to_string()).or_insert(json!(d));
                }
            }
            "BLI" => {
                let qty = need_number(ctx, seg, 3, "quantity")?;
                if qty <= weft_sdk::money::Decimal::ZERO {
                    let mut rej = Reject::element(ctx, seg, 3, "6", "quantity");
                    rej.reason = format!(
                        "segment {} (BLI): BLI03 `{}` is not a quantity above zero",
                        seg.position,
                        seg.el(3)
                    );
                    return Err(rej);
                }
                let price = opt_number(ctx, seg, 6, "unit price")?;
                let read = bli_ids(seg);
                let line_id = (r.lines.len() + 1).to_string();
                let mut d = serde_json::Map::new();
                d.insert("line_id".into(), json!(line_id));
                if let Some(p) = price {
                    d.insert("unit_price".into(), json!(money_str(p)));
                }
                if let Some(c) = seg.opt(5) {
                    d.insert("price_code".into(), json!(c));
                }
                if let Some(desc) = read.description.clone() {
                    d.insert("description".into(), json!(desc));
                }
                details.push(d);
                r.lines.push(ReturnLine {
                    line_id,
                    item: read.ids,
                    quantity: qty_str(qty),
                    ..ReturnLine::default()
                });
                if let Some(u) = seg.opt(4) {
                    if let Some(d) = details.last_mut() {
                        d.insert("uom".into(), json!(u));
                    }
                }
            }
            "RDR" if in_lines => {
                if let (Some(l), Some(d)) = (r.lines.last_mut(), details.last_mut()) {
                    l.reason = seg.opt(1).map(str::to_string);
                    if let Some(disp) = seg.opt(2) {
                        d.insert("disposition_code".into(), json!(disp));
                    }
                }
            }
            "PID" if in_lines => {
                if let (Some(desc), Some(d)) = (seg.opt(5), details.last_mut()) {
                    d.entry("description".to_string()).or_insert(json!(desc));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if r.lines.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "BLI",
            "baseline item data: the authorisation has no lines",
        ));
    }
    let po = header_po.or(line_po).ok_or_else(|| {
        Reject::missing_segment(
            ctx,
            "PRF",
            "purchase order reference: the return names no order",
        )
    })?;
    add_ref(&mut r.references, "po_number", &po);
    r.correlation_id = ctx.correlation(&po);
    r.order_id = po;
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    if !parties.is_empty() {
        source.insert("parties".into(), Value::Array(parties));
    }
    source.insert(
        "lines".into(),
        Value::Array(details.into_iter().map(Value::Object).collect()),
    );
    r.source = source;
    Ok(vec![(
        id.to_string(),
        doc(AUTHORIZED, &r.correlation_id, &r),
    )])
}

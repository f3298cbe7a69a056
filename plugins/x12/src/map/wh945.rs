//! 945 warehouse shipping advice → `weft.shipment/1`
//! (`shipment.dispatched`): the warehouse reports what it shipped for a
//! 940 (`source.origin` is `warehouse_shipping_advice`, `source.set` 945).
//!
//! W06 `shipment_id` = W0604 (else W0605 agent shipment id, else W0602
//! depositor order); `order_refs` W0606 purchase order and W0602 depositor
//! order, the correlation `{channel}:{W0606, else W0602}` (as the 940's),
//! else `{channel}:shipment:{shipment_id}`; W0603/W0609 `created_at`;
//! W0601 reporting code in `source.reporting_code`. G62 `11` (shipped) is
//! `shipped_at`, the others `source.dates`; W27 carrier (W2701 mode, W2702
//! SCAC code, W2703 routing as name); N1 loops `parties` (`ST` ship-to,
//! `SF`/`WH` ship-from); header N9/REF `references`. Each LX/W12 is an item
//! of one package: LX01 `line_id`, W1203 shipped quantity (mandatory),
//! W1202 ordered, W1205 unit, W1206 UPC case code (`gtin`, first), W1207/W1208 id pair, W1209 lot (`attributes.lot`), the
//! line's N9 as `attributes.ref_<q>`; W03 total weight (W0302/W0303).

use serde_json::{json, Value};
use weft_sdk::shipment::{
    Carrier, Measure, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};

use super::multi::{doc, ids_at, opt_date};
use super::{add_ref, add_ref_segment, n1_loop, need_number, opt_number, Ctx, Doc, Reject};
use crate::values::qty_str;

/// Maps a 945.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let w06 = body
        .iter()
        .find(|s| s.id == "W06")
        .ok_or_else(|| Reject::missing_segment(ctx, "W06", "warehouse shipment identification"))?;
    let id = w06
        .opt(4)
        .or(w06.opt(5))
        .or(w06.opt(2))
        .ok_or_else(|| Reject::element(ctx, w06, 4, "1", "shipment identification number"))?;
    let mut s = Shipment {
        schema: SHIPMENT_SCHEMA.into(),
        shipment_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        created_at: opt_date(ctx, w06, 3, Some(9), "date")?,
        ..Shipment::default()
    };
    for n in [6, 2] {
        if let Some(r) = w06.opt(n) {
            if !s.order_refs.iter().any(|x| x == r) {
                s.order_refs.push(r.to_string());
            }
        }
    }
    add_ref(&mut s.references, "depositor_order", w06.el(2));
    add_ref(&mut s.references, "po_number", w06.el(6));
    add_ref(&mut s.references, "master_reference", w06.el(7));
    let mut source = ctx.source();
    source.insert("origin".into(), json!("warehouse_shipping_advice"));
    source.insert("reporting_code".into(), json!(w06.el(1)));
    let mut dates = serde_json::Map::new();
    let mut items: Vec<ShippedItem> = Vec::new();
    let mut lx: Option<String> = None;
    let mut line_refs: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let in_lines = !items.is_empty() || lx.is_some();
        match seg.id.as_str() {
            "N1" if !in_lines => {
                let (l, next) = n1_loop(ctx, body, i)?;
                match l.code.as_str() {
                    "ST" if s.ship_to.is_none() => s.ship_to = l.party.address.clone(),
                    "SF" | "WH" if s.ship_from.is_none() => s.ship_from = l.party.address.clone(),
                    _ => {}
                }
                s.parties.push(l.party);
                i = next.max(i + 1);
                continue;
            }
            "N9" | "REF" if !in_lines => add_ref_segment(&mut s.references, seg),
            "N9" | "REF" => {
                if let Some(v) = seg.opt(2) {
                    line_refs.push((
                        format!("ref_{}", seg.el(1).to_ascii_lowercase()),
                        v.to_string(),
                    ));
                }
            }
            "G62" => {
                if let Some(d) = opt_date(ctx, seg, 2, Some(4), "date")? {
                    match seg.el(1) {
                        "11" => s.shipped_at = s.shipped_at.take().or(Some(d)),
                        q => {
                            dates.entry(q.to_string()).or_insert(json!(d));
                        }
                    }
                }
            }
            "W27" => {
                let c = s.carrier.get_or_insert_with(Carrier::default);
                c.mode = c.mode.take().or(seg.opt(1).map(str::to_string));
                c.code = c.code.take().or(seg.opt(2).map(str::to_string));
                c.name = c.name.take().or(seg.opt(3).map(str::to_string));
            }
            "LX" => {
                lx = seg.opt(1).map(str::to_string);
                line_refs.clear();
            }
            "W12" => {
                let shipped = need_number(ctx, seg, 3, "number of units shipped")?;
                let ordered = opt_number(ctx, seg, 2, "quantity ordered")?;
                let mut read = ids_at(seg, Some(("UP", 6)), &[7]);
                if let Some(lot) = seg.opt(9) {
                    read.ids.attributes.insert("lot".into(), json!(lot));
                }
                for (k, v) in line_refs.drain(..) {
                    read.ids.attributes.entry(k).or_insert(json!(v));
                }
                items.push(ShippedItem {
                    item: read.ids,
                    quantity: qty_str(shipped),
                    uom: seg.opt(5).map(str::to_string),
                    order_id: s.order_refs.first().cloned(),
                    line_id: Some(lx.take().unwrap_or_else(|| (items.len() + 1).to_string())),
                    ordered_quantity: ordered.map(qty_str),
                });
            }
            "W03" => {
                if let Some(q) = seg.opt(1) {
                    source.insert("total_units".into(), json!(q));
                }
                if let Some(w) = opt_number(ctx, seg, 2, "weight")? {
                    s.weight = Some(Measure {
                        value: qty_str(w),
                        unit: seg.opt(3).map(str::to_string),
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    if items.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "W12",
            "warehouse item detail: the advice has no shipped lines",
        ));
    }
    s.packages.push(Package {
        items,
        ..Package::default()
    });
    s.correlation_id = match s.order_refs.first() {
        Some(o) => ctx.correlation(o),
        None => ctx.correlation(&format!("shipment:{id}")),
    };
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    s.source = source;
    Ok(vec![(
        id.to_string(),
        doc(DISPATCHED, &s.correlation_id, &s),
    )])
}

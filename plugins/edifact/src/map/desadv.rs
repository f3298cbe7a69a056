//! DESADV → `weft.shipment/1` (`shipment.dispatched`).
//!
//! BGM02 despatch advice number (shipment id), BGM03 function code; DTM 11
//! despatch date, 17/132/2 expected delivery, 137 document date; RFF ON
//! order numbers (header and line; correlation `{channel}:{first}`), other
//! RFF as references (CN/BM/AAS also as tracking numbers); NAD parties
//! (DP/ST/CN ship-to, SF/CZ ship-from); TDT carrier (C220 mode, C040
//! carrier id/name); MEA AAB gross weight; CPS groups: each CPS is a
//! package level whose PAC count (top level) gives the package count, GIN
//! BJ its SSCC and other GIN tracking numbers; LIN/QTY 12 shipped items in
//! the package of their CPS (one package without id when there is no CPS).

use serde_json::{json, Value};
use weft_sdk::money::Decimal;
use weft_sdk::shipment::{
    Carrier, Measure, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};

use super::{add_ref, nad_group, num, purpose, read_line, ref_key, Ctx, Doc, Reject};
use crate::parse::Segment;
use crate::values::qty_str;

/// Maps a DESADV message.
pub fn map(ctx: &Ctx, bgm: &Segment) -> Result<Doc, Reject> {
    let number = bgm.el(2);
    let mut s = Shipment {
        schema: SHIPMENT_SCHEMA.into(),
        shipment_id: number.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: purpose(bgm.el(3)).map(str::to_string),
        ..Shipment::default()
    };
    let mut source = ctx.source();
    source.insert("document_code".into(), json!(bgm.comp(1, 1)));
    if let Some(f) = bgm.opt(3) {
        source.insert("function_code".into(), json!(f));
    }
    let mut warnings = Vec::new();
    let mut dates = serde_json::Map::new();
    let mut packages: Vec<(bool, Package)> = Vec::new();
    let mut count: Option<Decimal> = None;
    let mut top_level = false;
    let mut lines = 0usize;
    let body = ctx.body();
    let mut i = 0;
    let add_order = |refs: &mut Vec<String>, v: &str| {
        if !v.is_empty() && !refs.iter().any(|r| r == v) {
            refs.push(v.to_string());
        }
    };
    while let Some(seg) = body.get(i) {
        match seg.tag.as_str() {
            "NAD" => {
                let (g, next) = nad_group(body, i)?;
                warnings.extend(g.note.clone());
                match g.qualifier.as_str() {
                    "DP" | "ST" | "CN" if s.ship_to.is_none() => {
                        s.ship_to = g.party.address.clone()
                    }
                    "SF" | "CZ" if s.ship_from.is_none() => s.ship_from = g.party.address.clone(),
                    _ => {}
                }
                s.parties.push(g.party);
                i = next.max(i + 1);
                continue;
            }
            "CPS" => {
                top_level = seg.opt(2).is_none();
                packages.push((true, Package::default()));
            }
            "PAC" if top_level => {
                if let Some(n) = num(seg, 1, 1, "number of packages")? {
                    count = Some(count.unwrap_or_default() + n);
                }
            }
            "GIN" => {
                let ids: Vec<String> = (2..=6)
                    .flat_map(|n| [seg.comp(n, 1), seg.comp(n, 2)])
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect();
                let pkg = packages.last_mut().map(|p| &mut p.1);
                match (seg.el(1), pkg) {
                    ("BJ", Some(p)) if p.package_id.is_none() => {
                        p.package_id = ids.first().cloned()
                    }
                    ("BN" | "BJ", _) => {}
                    (_, Some(p)) if p.tracking.is_none() => p.tracking = ids.first().cloned(),
                    _ => {}
                }
                for t in ids.iter().filter(|_| !matches!(seg.el(1), "BJ" | "BN")) {
                    if !s.tracking.contains(t) {
                        s.tracking.push(t.clone());
                    }
                }
            }
            "LIN" => {
                let (l, next) = read_line(ctx, body, i, lines + 1, &mut warnings)?;
                lines += 1;
                let (qty, uom) = l.need_qty("12", "despatch quantity")?;
                let order = l.reference("ON").map(str::to_string);
                if let Some(o) = &order {
                    add_order(&mut s.order_refs, o);
                }
                let item = ShippedItem {
                    item: l.ids.clone(),
                    quantity: qty,
                    uom,
                    order_id: order.or_else(|| s.order_refs.first().cloned()),
                    line_id: Some(l.reference("LI").unwrap_or(&l.line_id).to_string()),
                    ordered_quantity: l.qty("21").map(|q| qty_str(q.1)),
                };
                if packages.is_empty() {
                    packages.push((false, Package::default()));
                }
                if let Some(p) = packages.last_mut() {
                    p.1.items.push(item);
                }
                i = next.max(i + 1);
                continue;
            }
            "DTM" => match seg.comp(1, 1) {
                "11" if s.shipped_at.is_none() => {
                    s.shipped_at = Some(ctx.date(seg, "despatch date")?)
                }
                "17" | "132" | "2" if s.expected_at.is_none() => {
                    s.expected_at = Some(ctx.date(seg, "delivery date")?)
                }
                "137" if s.created_at.is_none() => {
                    s.created_at = Some(ctx.date(seg, "document date")?)
                }
                q => match ctx.date(seg, "date") {
                    Ok(d) => {
                        dates.entry(q.to_string()).or_insert(json!(d));
                    }
                    Err(r) => warnings.push(format!("{r}; ignored")),
                },
            },
            "RFF" => {
                let (q, v) = (seg.comp(1, 1), seg.comp(1, 2));
                match q {
                    "ON" => add_order(&mut s.order_refs, v),
                    "CN" | "BM" | "AAS" if !v.is_empty() && !s.tracking.iter().any(|t| t == v) => {
                        s.tracking.push(v.to_string())
                    }
                    _ => {}
                }
                add_ref(&mut s.references, &ref_key(q), v);
            }
            "TDT" if s.carrier.is_none() => {
                let c = Carrier {
                    code: seg.copt(5, 1).map(str::to_string),
                    name: seg.copt(5, 4).map(str::to_string),
                    mode: seg.copt(3, 1).map(str::to_string),
                    service: None,
                };
                if c != Carrier::default() {
                    s.carrier = Some(c);
                }
            }
            "MEA" if s.weight.is_none() && seg.el(2) == "AAB" => {
                if let Some(v) = num(seg, 3, 2, "gross weight")? {
                    s.weight = Some(Measure {
                        value: qty_str(v),
                        unit: seg.copt(3, 1).map(str::to_string),
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.packages = packages
        .into_iter()
        .map(|p| p.1)
        .filter(|p| !p.items.is_empty() || p.package_id.is_some())
        .collect();
    s.package_count = count.map(qty_str);
    let corr = s
        .order_refs
        .first()
        .cloned()
        .unwrap_or_else(|| number.to_string());
    s.correlation_id = ctx.correlation(&corr);
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    s.source = source;
    Ok(Doc {
        kind: DISPATCHED.into(),
        correlation_id: s.correlation_id.clone(),
        payload: serde_json::to_value(&s).unwrap_or(Value::Null),
        warnings,
    })
}

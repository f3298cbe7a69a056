//! 856 ship notice → `weft.shipment/1` (`shipment.dispatched`).
//!
//! BSN01 purpose, BSN02 shipment id, BSN03/BSN04 creation time. The HL
//! tree is followed by HL02 parent ids (or, when HL02 is empty, the nearest
//! earlier HL of a higher level): shipment (S) carries TD1 package count and
//! weight, TD5 carrier (SCAC, mode, routing), REF BM/CN tracking, DTM 011
//! ship date, N1 parties (SF ship-from, also `ship_from`; SH `shipper`;
//! ST ship-to, also `ship_to`); orders (O) carry PRF PO numbers (order refs and
//! the correlation id); packs/tares (P/T) become packages (MAN marks as
//! package id); items (I) with LIN ids and SN1 quantities go into their
//! pack, or into one package without id when they have none. A shipped
//! item has no description field: PID under an item is not read.

use std::collections::HashMap;

use serde_json::{json, Value};
use weft_sdk::shipment::{
    Carrier, Measure, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};

use super::{
    add_ref, add_ref_segment, item_ids, n1_loop, need_number, opt_number, Ctx, Doc, Reject,
};
use crate::parse::Segment;
use crate::values::qty_str;

struct Node {
    level: String,
    parent: Option<usize>,
    po: Option<String>,
    package: Option<usize>,
}

struct Item {
    node: Option<usize>,
    lin: Option<usize>,
    item: ShippedItem,
    has_qty: bool,
}

fn rank(level: &str) -> u8 {
    match level {
        "S" => 0,
        "O" => 1,
        "T" => 2,
        "P" => 3,
        "I" => 4,
        _ => 5,
    }
}

fn is_shipment_level(nodes: &[Node], cur: Option<usize>) -> bool {
    cur.and_then(|c| nodes.get(c))
        .is_none_or(|n| n.level == "S")
}

/// Maps an 856.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let body = ctx.body();
    let bsn = body
        .iter()
        .find(|s| s.id == "BSN")
        .ok_or_else(|| Reject::missing_segment(ctx, "BSN", "beginning segment for ship notice"))?;
    let id = bsn
        .opt(2)
        .ok_or_else(|| Reject::element(ctx, bsn, 2, "1", "shipment identification"))?;
    let mut s = Shipment {
        schema: SHIPMENT_SCHEMA.into(),
        shipment_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        purpose: match bsn.el(1) {
            "00" => Some("original".into()),
            "01" => Some("cancel".into()),
            "05" => Some("replace".into()),
            _ => None,
        },
        ..Shipment::default()
    };
    if let Some(d) = bsn.opt(3) {
        s.created_at = Some(
            ctx.when(d, bsn.opt(4))
                .ok_or_else(|| Reject::element(ctx, bsn, 3, "8", "date"))?,
        );
    }
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(bsn.el(1)));
    let mut dates = serde_json::Map::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut items: Vec<Item> = Vec::new();
    let mut cur: Option<usize> = None;
    let mut mea_weight = None;
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let ship_level = is_shipment_level(&nodes, cur);
        match seg.id.as_str() {
            "HL" => {
                let level = seg.el(3).to_string();
                let parent = seg
                    .opt(2)
                    .and_then(|p| by_id.get(p).copied())
                    .or_else(|| nodes.iter().rposition(|n| rank(&n.level) < rank(&level)));
                let package = matches!(level.as_str(), "P" | "T").then(|| {
                    s.packages.push(Package::default());
                    s.packages.len() - 1
                });
                nodes.push(Node {
                    level,
                    parent,
                    po: None,
                    package,
                });
                by_id.insert(seg.el(1).to_string(), nodes.len() - 1);
                cur = Some(nodes.len() - 1);
            }
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                match l.code.as_str() {
                    "ST" if s.ship_to.is_none() => s.ship_to = l.party.address.clone(),
                    "SF" if s.ship_from.is_none() => s.ship_from = l.party.address.clone(),
                    _ => {}
                }
                if !s.parties.contains(&l.party) {
                    s.parties.push(l.party);
                }
                i = next.max(i + 1);
                continue;
            }
            "TD1" if ship_level => {
                s.package_count = s.package_count.take().or(seg.opt(2).map(str::to_string));
                if let Some(w) = opt_number(ctx, seg, 7, "weight")? {
                    s.weight = s.weight.take().or(Some(Measure {
                        value: qty_str(w),
                        unit: seg.opt(8).map(str::to_string),
                    }));
                }
            }
            "MEA" if ship_level && seg.el(1) == "PD" && seg.el(2) == "G" => {
                if let Some(w) = opt_number(ctx, seg, 3, "measurement value")? {
                    mea_weight = mea_weight.or(Some(Measure {
                        value: qty_str(w),
                        unit: seg.opt(4).map(str::to_string),
                    }));
                }
            }
            "TD5" if ship_level => {
                let c = s.carrier.get_or_insert_with(Carrier::default);
                c.code = c.code.take().or(seg.opt(3).map(str::to_string));
                c.mode = c.mode.take().or(seg.opt(4).map(str::to_string));
                c.name = c.name.take().or(seg.opt(5).map(str::to_string));
                c.service = c.service.take().or(seg.opt(12).map(str::to_string));
            }
            "REF" => reference(&mut s, &nodes, cur, seg),
            "DTM" if ship_level => {
                let when = seg.opt(2).and_then(|d| ctx.when(d, seg.opt(3)));
                match seg.el(1) {
                    "011" => s.shipped_at = s.shipped_at.take().or(when),
                    "017" | "067" | "002" => s.expected_at = s.expected_at.take().or(when),
                    q => {
                        if let Some(w) = when {
                            dates.entry(q.to_string()).or_insert(json!(w));
                        }
                    }
                }
            }
            "FOB" if ship_level => {
                source.insert("fob".into(), json!(seg.el(1)));
            }
            "PRF" => {
                if let (Some(po), Some(n)) = (seg.opt(1), cur.and_then(|c| nodes.get_mut(c))) {
                    n.po = Some(po.to_string());
                    if !s.order_refs.iter().any(|r| r == po) {
                        s.order_refs.push(po.to_string());
                    }
                }
            }
            "MAN" => {
                let pkg = cur.and_then(|c| nodes.get(c)).and_then(|n| n.package);
                if let (Some(p), Some(mark)) = (pkg.and_then(|p| s.packages.get_mut(p)), seg.opt(2))
                {
                    p.package_id = p.package_id.take().or(Some(mark.to_string()));
                }
            }
            "LIN" => {
                let ids = item_ids(seg, 2).ids;
                items.push(Item {
                    node: cur,
                    lin: Some(i),
                    item: ShippedItem {
                        item: ids,
                        line_id: seg.opt(1).map(str::to_string),
                        ..ShippedItem::default()
                    },
                    has_qty: false,
                });
            }
            "SN1" => {
                let qty = need_number(ctx, seg, 2, "number of units shipped")?;
                let ordered = opt_number(ctx, seg, 5, "quantity ordered")?;
                let reuse = items.last().is_some_and(|it| it.node == cur && !it.has_qty);
                if !reuse {
                    items.push(Item {
                        node: cur,
                        lin: None,
                        item: ShippedItem::default(),
                        has_qty: false,
                    });
                }
                if let Some(it) = items.last_mut() {
                    it.has_qty = true;
                    it.item.quantity = qty_str(qty);
                    it.item.uom = seg.opt(3).map(str::to_string);
                    it.item.ordered_quantity = ordered.map(qty_str);
                    if it.item.line_id.is_none() {
                        it.item.line_id = seg.opt(1).map(str::to_string);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.weight = s.weight.take().or(mea_weight);
    let mut loose: Option<usize> = None;
    for it in items {
        if !it.has_qty {
            let lin = it.lin.and_then(|l| body.get(l));
            return Err(missing_sn1(ctx, lin));
        }
        let mut item = it.item;
        item.order_id = walk(&nodes, it.node, |n| n.po.clone());
        let pkg = match walk(&nodes, it.node, |n| n.package) {
            Some(p) => p,
            None => *loose.get_or_insert_with(|| {
                s.packages.push(Package::default());
                s.packages.len() - 1
            }),
        };
        if let Some(p) = s.packages.get_mut(pkg) {
            p.items.push(item);
        }
    }
    s.correlation_id = match s.order_refs.first() {
        Some(po) => ctx.correlation(po),
        None => ctx.correlation(&format!("shipment:{id}")),
    };
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    s.source = source;
    let payload = serde_json::to_value(&s).unwrap_or(Value::Null);
    Ok(Doc {
        kind: DISPATCHED.into(),
        correlation_id: s.correlation_id,
        payload,
    })
}

fn missing_sn1(ctx: &Ctx, lin: Option<&Segment>) -> Reject {
    let mut r = Reject::missing_segment(
        ctx,
        "SN1",
        "item detail (shipment) with the shipped quantity",
    );
    if let Some(l) = lin {
        r.file_position = l.position + 1;
        r.set_position = ctx.position_in_set(l) + 1;
        r.reason = format!(
            "segment {} (LIN): item has no SN1 with the shipped quantity",
            l.position
        );
    }
    r
}

/// The first value `f` gives on the node chain from `start` up.
fn walk<T>(nodes: &[Node], start: Option<usize>, f: impl Fn(&Node) -> Option<T>) -> Option<T> {
    let mut at = start;
    let mut steps = 0;
    while let Some(n) = at.and_then(|a| nodes.get(a)) {
        if let Some(v) = f(n) {
            return Some(v);
        }
        at = n.parent;
        steps += 1;
        if steps > nodes.len() {
            break;
        }
    }
    None
}

fn reference(s: &mut Shipment, nodes: &[Node], cur: Option<usize>, seg: &Segment) {
    let value = seg.el(2);
    let pkg = cur.and_then(|c| nodes.get(c)).and_then(|n| n.package);
    match (seg.el(1), pkg) {
        ("CN", Some(p)) | ("TN", Some(p)) if !value.is_empty() => {
            if let Some(p) = s.packages.get_mut(p) {
                p.tracking = p.tracking.take().or(Some(value.to_string()));
            }
        }
        ("BM" | "CN", None) if !value.is_empty() => {
            if !s.tracking.iter().any(|t| t == value) {
                s.tracking.push(value.to_string());
            }
            let key = if seg.el(1) == "BM" {
                "bill_of_lading"
            } else {
                "pro_number"
            };
            add_ref(&mut s.references, key, value);
        }
        _ => add_ref_segment(&mut s.references, seg),
    }
}

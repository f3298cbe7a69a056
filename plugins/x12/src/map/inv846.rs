//! 846 inventory inquiry/advice → `weft.inventory/1` (`inventory.advised`).
//!
//! BIA03 advice id, BIA04/BIA05 as-of time; N1 loops as parties (the
//! warehouse or ship-to names the location); each LIN loop gives item ids
//! (LIN02/03 … pairs), PID description, CTP unit price and one inventory
//! item per QTY (QTY01 qualifier, QTY02 quantity, QTY03 or a following UIT
//! unit), a DTM after a QTY dating it.

use serde_json::{json, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::inventory::{Inventory, InventoryItem, ADVISED, INVENTORY_SCHEMA};

use super::{add_ref_segment, item_ids, n1_loop, need_number, opt_number, Ctx, Doc, Reject};
use crate::values::{money_str, qty_str};

/// The canonical name of a QTY01 qualifier (the code when it has none).
pub fn qualifier(code: &str) -> String {
    match code {
        "17" => "on_hand",
        "33" => "available",
        "63" => "on_order",
        "87" => "received",
        other => other,
    }
    .to_string()
}

/// Maps an 846.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let body = ctx.body();
    let bia = body.iter().find(|s| s.id == "BIA").ok_or_else(|| {
        Reject::missing_segment(ctx, "BIA", "beginning segment for inventory inquiry/advice")
    })?;
    let id = bia
        .opt(3)
        .ok_or_else(|| Reject::element(ctx, bia, 3, "1", "reference identification"))?;
    let mut inv = Inventory {
        schema: INVENTORY_SCHEMA.into(),
        advice_id: id.into(),
        channel: ctx.cfg.channel.clone(),
        correlation_id: ctx.correlation(&format!("inventory:{id}")),
        ..Inventory::default()
    };
    if let Some(d) = bia.opt(4) {
        inv.as_of = Some(
            ctx.when(d, bia.opt(5))
                .ok_or_else(|| Reject::element(ctx, bia, 4, "8", "date"))?,
        );
    }
    let mut source = ctx.source();
    source.insert("purpose_code".into(), json!(bia.el(1)));
    source.insert("report_type".into(), json!(bia.el(2)));
    // The current LIN loop: ids, description, price, index of its first item.
    let mut lin: Option<(ItemIds, Option<String>, Option<String>, usize)> = None;
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        match seg.id.as_str() {
            "N1" if lin.is_none() => {
                let (l, next) = n1_loop(ctx, body, i)?;
                if inv.location.is_none() && matches!(l.code.as_str(), "WH" | "ST" | "SN") {
                    inv.location = l.address.name.clone().or(l.party.id.clone());
                }
                inv.parties.push(l.party);
                i = next.max(i + 1);
                continue;
            }
            "REF" if lin.is_none() => add_ref_segment(&mut inv.references, seg),
            "DTM" if lin.is_none() => {
                if let Some(d) = seg.opt(2).and_then(|d| ctx.when(d, seg.opt(3))) {
                    source
                        .entry("dates".to_string())
                        .or_insert_with(|| json!({}));
                    if let Some(Value::Object(m)) = source.get_mut("dates") {
                        m.insert(seg.el(1).to_string(), json!(d));
                    }
                }
            }
            "LIN" => {
                let read = item_ids(seg, 2);
                lin = Some((read.ids, read.description, None, inv.items.len()));
            }
            "PID" => {
                if let (Some((_, desc, _, first)), Some(d)) = (lin.as_mut(), seg.opt(5)) {
                    desc.get_or_insert_with(|| d.to_string());
                    for it in inv.items.iter_mut().skip(*first) {
                        it.description.get_or_insert_with(|| d.to_string());
                    }
                }
            }
            "CTP" => {
                let price = opt_number(ctx, seg, 3, "unit price")?;
                if let (Some((_, _, p, _)), Some(v)) = (lin.as_mut(), price) {
                    p.get_or_insert(money_str(v));
                }
            }
            "QTY" => {
                if let Some((ids, desc, price, _)) = lin.as_ref() {
                    let q = need_number(ctx, seg, 2, "quantity")?;
                    inv.items.push(InventoryItem {
                        item: ids.clone(),
                        description: desc.clone(),
                        quantity: qty_str(q),
                        qualifier: qualifier(seg.el(1)),
                        qualifier_code: seg.opt(1).map(str::to_string),
                        uom: Some(seg.component(3, 1, ctx.component()).to_string())
                            .filter(|u| !u.is_empty()),
                        unit_price: price.clone(),
                        date: None,
                    });
                }
            }
            "UIT" => {
                let unit = seg.component(1, 1, ctx.component());
                if let (Some(last), false) = (inv.items.last_mut(), unit.is_empty()) {
                    last.uom.get_or_insert_with(|| unit.to_string());
                }
            }
            "DTM" => {
                let d = seg.opt(2).and_then(|d| ctx.when(d, seg.opt(3)));
                if let (Some(last), Some(d)) = (inv.items.last_mut().filter(|_| lin.is_some()), d) {
                    last.date.get_or_insert(d);
                }
            }
            _ => {}
        }
        i += 1;
    }
    inv.source = source;
    let payload = serde_json::to_value(&inv).unwrap_or(Value::Null);
    Ok(Doc {
        kind: ADVISED.into(),
        correlation_id: inv.correlation_id,
        payload,
    })
}

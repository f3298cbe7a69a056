//! `shipment.dispatched` (`weft.shipment/1`) → X12 856 Ship Notice.
//!
//! The HL tree is shipment → order → pack → item (BSN05 `0001`); when no
//! package has an id or tracking number the pack level is left out
//! (shipment → order → item, `0004`).
//!
//! ```text
//! BSN*<purpose>*<shipment_id>*<date>*<time>*<structure>
//! HL*1**S
//!   TD1**<package_count>****G*<weight>*<unit>
//!   TD5**2*<carrier code>*<mode>*<carrier name>
//!   REF*<qualifier>*<reference>   REF*CN*<tracking> (unless already a BM/CN reference)
//!   DTM*011*<shipped_at>   DTM*017*<expected_at>
//!   FOB*<source.fob>   (the payment method code the `x12` source kept)
//!   N1/N3/N4 per party (ship_to / ship_from addresses merged)
//!   HL*n*1*O   PRF*<order id>
//!     HL*n*o*P   MAN*GM|ZZ*<package_id>   REF*CN*<tracking>
//!       HL*n*p*I   LIN*<line_id>*<id pairs>   SN1**<qty>*<uom>**<ordered qty>*<uom>
//! CTT*<number of HL segments>
//! ```
//!
//! The notice date (BSN03/04, and the interchange's) is `created_at`, else
//! `shipped_at`. An item without `order_id` belongs to the only order of
//! `order_refs`.

use weft_sdk::shipment::{Package, Shipment, ShippedItem};
use weft_sdk::PluginError;

use crate::config::Envelope;
use crate::envelope::{self, Interchange};
use crate::loops;
use crate::values::{self, Stamp};
use crate::writer::Writer;

/// Writes the 856 interchange of `s`.
pub fn write(env: &Envelope, s: &Shipment) -> Result<Interchange, PluginError> {
    let stamp = match (s.created_at.as_deref(), s.shipped_at.as_deref()) {
        (Some(at), _) => Stamp::parse(at, "created_at")?,
        (None, Some(at)) => Stamp::parse(at, "shipped_at")?,
        (None, None) => {
            return Err(PluginError::invalid(
                "created_at and shipped_at are both missing: one is needed for BSN03 and to date the interchange",
            ))
        }
    };
    let packed = s
        .packages
        .iter()
        .any(|p| p.package_id.is_some() || p.tracking.is_some());
    let mut w = envelope::start(env, "856")?;
    w.seg("BSN")
        .code(&values::purpose_code(
            s.purpose.as_deref(),
            &s.source,
            "purpose",
        )?)
        .el(&s.shipment_id, "shipment_id")
        .code(&stamp.date)
        .code(&stamp.time_or_midnight())
        .code(if packed { "0001" } else { "0004" })
        .end()?;
    let mut tree = Tree { hl: 0 };
    tree.hl(&mut w, None, "S")?;
    shipment_level(&mut w, s)?;

    let orders = order_ids(s)?;
    for (oi, order) in orders.iter().enumerate() {
        let order_hl = tree.hl(&mut w, Some(1), "O")?;
        w.seg("PRF").el(order, "order_refs").end()?;
        for (pi, package) in s.packages.iter().enumerate() {
            let items = items_of(s, package, pi, order, oi)?;
            let boxed = package.package_id.is_some() || package.tracking.is_some();
            if items.is_empty() && !(boxed && package.items.is_empty() && oi == 0) {
                continue;
            }
            let parent = if boxed {
                let pack_hl = tree.hl(&mut w, Some(order_hl), "P")?;
                pack(&mut w, package, &format!("packages[{pi}]"))?;
                pack_hl
            } else {
                order_hl
            };
            for (ii, item) in items {
                tree.hl(&mut w, Some(parent), "I")?;
                item_level(&mut w, item, &format!("packages[{pi}].items[{ii}]"))?;
            }
        }
    }
    w.seg("CTT").code(&tree.hl.to_string()).end()?;
    envelope::finish(env, w, "SH", &stamp)
}

/// Numbers the HL segments.
struct Tree {
    hl: u32,
}

impl Tree {
    /// Writes `HL*<next>*<parent>*<level>` and returns its number.
    fn hl(&mut self, w: &mut Writer, parent: Option<u32>, level: &str) -> Result<u32, PluginError> {
        self.hl += 1;
        let parent = parent.map(|p| p.to_string()).unwrap_or_default();
        w.seg("HL")
            .code(&self.hl.to_string())
            .code(&parent)
            .code(level)
            .end()?;
        Ok(self.hl)
    }
}

/// TD1, TD5, REF, DTM and the parties of the shipment level.
fn shipment_level(w: &mut Writer, s: &Shipment) -> Result<(), PluginError> {
    let count = values::opt_decimal(s.package_count.as_deref(), "package_count")?;
    let weight = match &s.weight {
        Some(m) => Some((
            values::decimal(&m.value, "weight.value")?,
            m.unit.as_deref(),
        )),
        None => None,
    };
    if count.is_some() || weight.is_some() {
        let mut td1 = w.seg("TD1").empty().opt(count.as_deref(), "package_count");
        if let Some((value, unit)) = &weight {
            td1 = td1.skip(3).code("G").code(value).opt(*unit, "weight.unit");
        }
        td1.end()?;
    }
    if let Some(c) = &s.carrier {
        let qualifier = if c.code.is_some() { "2" } else { "" };
        let mut td5 = w
            .seg("TD5")
            .empty()
            .code(qualifier)
            .opt(c.code.as_deref(), "carrier.code")
            .opt(c.mode.as_deref(), "carrier.mode")
            .opt(c.name.as_deref(), "carrier.name");
        if let Some(service) = &c.service {
            td5 = td5.skip(6).el(service, "carrier.service");
        }
        td5.end()?;
    }
    loops::references(w, &s.references, &[])?;
    // Tracking numbers already sent as a reference (REF*BM / REF*CN) or
    // on their package are not repeated.
    let referenced = |t: &String| {
        s.references
            .iter()
            .any(|(k, v)| v == t && matches!(loops::ref_qualifier(k).as_deref(), Some("BM" | "CN")))
    };
    for (i, t) in s.tracking.iter().enumerate() {
        let on_package = s.packages.iter().any(|p| p.tracking.as_ref() == Some(t));
        if !on_package && !referenced(t) {
            w.seg("REF")
                .code("CN")
                .el(t, &format!("tracking[{i}]"))
                .end()?;
        }
    }
    for (qualifier, value, field) in [
        ("011", s.shipped_at.as_deref(), "shipped_at"),
        ("017", s.expected_at.as_deref(), "expected_at"),
    ] {
        if let Some(v) = value {
            let at = Stamp::parse(v, field)?;
            w.seg("DTM")
                .code(qualifier)
                .code(&at.date)
                .opt(at.time.as_deref(), field)
                .end()?;
        }
    }
    if let Some(fob) = values::source_code(&s.source, "fob") {
        w.seg("FOB").code(fob).end()?;
    }
    loops::parties(
        w,
        &s.parties,
        &[
            ("ship_to", s.ship_to.as_ref()),
            ("ship_from", s.ship_from.as_ref()),
        ],
    )
}

/// The orders of the shipment: `order_refs`, then any other order an item
/// names.
fn order_ids(s: &Shipment) -> Result<Vec<String>, PluginError> {
    let mut orders: Vec<String> = Vec::new();
    let named = s
        .packages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| i.order_id.as_ref());
    for o in s.order_refs.iter().chain(named) {
        if !orders.contains(o) {
            orders.push(o.clone());
        }
    }
    if orders.is_empty() {
        return Err(PluginError::invalid(
            "order_refs is empty and no item names its order_id: the 856 order level (PRF) needs the order id",
        ));
    }
    Ok(orders)
}

/// The items of `package` (with their index) that belong to `order`.
fn items_of<'s>(
    s: &'s Shipment,
    package: &'s Package,
    pi: usize,
    order: &str,
    order_index: usize,
) -> Result<Vec<(usize, &'s ShippedItem)>, PluginError> {
    let mut out = Vec::new();
    for (ii, item) in package.items.iter().enumerate() {
        let mine = match &item.order_id {
            Some(o) => o == order,
            None if s.order_refs.len() <= 1 => order_index == 0,
            None => {
                return Err(PluginError::invalid(format!(
                    "packages[{pi}].items[{ii}].order_id is missing and the shipment has {} order_refs: name the item's order",
                    s.order_refs.len()
                )))
            }
        };
        if mine {
            out.push((ii, item));
        }
    }
    Ok(out)
}

/// MAN (package id) and REF*CN (its tracking number) of a pack level.
fn pack(w: &mut Writer, p: &Package, field: &str) -> Result<(), PluginError> {
    if let Some(id) = &p.package_id {
        let digits = id.bytes().all(|b| b.is_ascii_digit());
        let qualifier = if digits && matches!(id.len(), 18 | 20) {
            "GM"
        } else {
            "ZZ"
        };
        w.seg("MAN")
            .code(qualifier)
            .el(id, &format!("{field}.package_id"))
            .end()?;
    }
    if let Some(t) = &p.tracking {
        w.seg("REF")
            .code("CN")
            .el(t, &format!("{field}.tracking"))
            .end()?;
    }
    Ok(())
}

/// LIN and SN1 of an item level.
fn item_level(w: &mut Writer, item: &ShippedItem, field: &str) -> Result<(), PluginError> {
    let lin = w
        .seg("LIN")
        .opt(item.line_id.as_deref(), &format!("{field}.line_id"));
    loops::item_ids(lin, &item.item, field).end()?;
    let qty = values::decimal(&item.quantity, &format!("{field}.quantity"))?;
    let ordered = values::opt_decimal(
        item.ordered_quantity.as_deref(),
        &format!("{field}.ordered_quantity"),
    )?;
    let uom = format!("{field}.uom");
    let mut sn1 = w
        .seg("SN1")
        .empty()
        .code(&qty)
        .opt(item.uom.as_deref(), &uom);
    if let Some(o) = &ordered {
        sn1 = sn1.empty().code(o).opt(item.uom.as_deref(), &uom);
    }
    sn1.end()?;
    Ok(())
}

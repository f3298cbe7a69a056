//! Pieces several sets share: N1 party loops, PER contacts, item id
//! qualifier pairs, REF names, numbers.

use std::collections::BTreeMap;

use weft_sdk::document::{ItemIds, Party};
use weft_sdk::money::Decimal;
use weft_sdk::order::Address;

use super::{Ctx, Reject};
use crate::parse::Segment;
use crate::values;

/// A contact from a PER segment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// PER02.
    pub name: Option<String>,
    /// The first `TE` number.
    pub phone: Option<String>,
    /// The first `EM` address.
    pub email: Option<String>,
}

/// An N1 loop (N1, N2, N3, N4, REF, PER).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartyLoop {
    /// N101 entity code (`ST`, `BT`, …).
    pub code: String,
    /// The party with its address.
    pub party: Party,
    /// The address (also inside `party` when not empty).
    pub address: Address,
    /// PER contacts of the loop.
    pub contacts: Vec<Contact>,
}

/// The canonical role of an N101 entity code (the code itself when it has
/// no common name).
pub fn role(code: &str) -> String {
    match code {
        "ST" => "ship_to",
        "SF" => "ship_from",
        "SH" => "shipper",
        "BT" => "bill_to",
        "BY" => "buyer",
        "SE" => "seller",
        "VN" => "vendor",
        "SU" => "supplier",
        "RI" | "RE" => "remit_to",
        "WH" => "warehouse",
        "CA" => "carrier",
        "PR" => "payer",
        "II" => "issuer",
        "SO" => "sold_to",
        other => other,
    }
    .to_string()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

/// Reads a PER segment.
pub fn contact(seg: &Segment) -> Contact {
    let mut c = Contact {
        name: seg.opt(2).map(str::to_string),
        ..Contact::default()
    };
    for q in [3, 5, 7] {
        let v = seg.opt(q + 1).map(str::to_string);
        match seg.el(q) {
            "TE" if c.phone.is_none() => c.phone = v,
            "EM" if c.email.is_none() => c.email = v,
            _ => {}
        }
    }
    c
}

fn address_is_empty(a: &Address) -> bool {
    a == &Address::default()
}

/// Reads the N1 loop starting at `segs[i]`; returns it and the index after.
/// An N1 without its mandatory entity code (N101) rejects the set.
pub fn n1_loop(ctx: &Ctx, segs: &[Segment], i: usize) -> Result<(PartyLoop, usize), Reject> {
    let mut l = PartyLoop::default();
    let mut j = i;
    if let Some(n1) = segs.get(i) {
        if n1.el(1).trim().is_empty() {
            return Err(Reject::element(ctx, n1, 1, "1", "entity identifier code"));
        }
        l.code = n1.el(1).to_string();
        l.address.name = some(n1.el(2));
        l.party.role = role(&l.code);
        l.party.id_qualifier = some(n1.el(3));
        l.party.id = some(n1.el(4));
        j = i + 1;
    }
    while let Some(seg) = segs.get(j) {
        match seg.id.as_str() {
            "N2" => {
                if l.address.company.is_none() {
                    l.address.company = some(seg.el(1));
                }
            }
            "N3" => {
                for n in [1, 2] {
                    if let Some(v) = seg.opt(n) {
                        l.address.address_lines.push(v.to_string());
                    }
                }
            }
            "N4" => {
                l.address.city = some(seg.el(1));
                l.address.region = some(seg.el(2));
                l.address.postal_code = some(seg.el(3));
                l.address.country = some(seg.el(4));
            }
            "PER" => {
                let c = contact(seg);
                if l.address.phone.is_none() {
                    l.address.phone = c.phone.clone();
                }
                l.contacts.push(c);
            }
            "REF" => {}
            _ => break,
        }
        j += 1;
    }
    if !address_is_empty(&l.address) {
        l.party.address = Some(l.address.clone());
    }
    Ok((l, j))
}

/// Which canonical item id an X12 product/service id qualifier (data
/// element 235) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Seller SKU (`SK`).
    Sku,
    /// GTIN / UPC / EAN (`UP`, `UK`, `EN`, `UA`, `EO`).
    Gtin,
    /// The buyer's item number (`IN` buyer's item number, `BP` buyer's
    /// part number, `CB` buyer's catalog number, `PI` purchaser's item
    /// code).
    BuyerPart,
    /// The vendor's item number (`VN` vendor's item number, `VP` vendor's
    /// part number, `VA` vendor's style number, `VC` vendor's catalog
    /// number).
    VendorPart,
    /// Description (`PD`).
    Description,
}

/// The id kind of qualifier `q`; `None` for ids without a canonical field
/// (`MG` manufacturer's part number, `EC`, `PR`, `ZZ`, …).
pub fn id_kind(q: &str) -> Option<IdKind> {
    Some(match q {
        "SK" => IdKind::Sku,
        "UP" | "UK" | "EN" | "UA" | "EO" => IdKind::Gtin,
        "IN" | "BP" | "CB" | "PI" => IdKind::BuyerPart,
        "VN" | "VP" | "VA" | "VC" => IdKind::VendorPart,
        "PD" => IdKind::Description,
        _ => return None,
    })
}

/// The identifiers of one item line, read from its qualifier/id pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIds {
    /// The canonical ids; the first pair of each kind wins.
    pub ids: ItemIds,
    /// The first `PD` description.
    pub description: Option<String>,
    /// The ids with no canonical field, or whose field an earlier pair
    /// already filled with another value: `id_<qualifier>` (lower case) →
    /// id, repeats as `id_<qualifier>_2`, ….
    pub other: BTreeMap<String, String>,
}

impl LineIds {
    /// [`LineIds::other`] as order line `attributes`.
    pub fn attributes(&self) -> BTreeMap<String, serde_json::Value> {
        self.other
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect()
    }
}

/// Reads the qualifier/id pairs from element `from` on (PO106/PO107, …,
/// LIN02/LIN03, …). A pair with an empty qualifier or id is skipped.
pub fn item_ids(seg: &Segment, from: usize) -> LineIds {
    let mut out = LineIds::default();
    let mut q = from;
    while q <= seg.elements.len() {
        let qualifier = seg.el(q);
        if let (Some(value), false) = (seg.opt(q + 1), qualifier.is_empty()) {
            let slot = match id_kind(qualifier) {
                Some(IdKind::Sku) => Some(&mut out.ids.sku),
                Some(IdKind::Gtin) => Some(&mut out.ids.gtin),
                Some(IdKind::BuyerPart) => Some(&mut out.ids.buyer_part),
                Some(IdKind::VendorPart) => Some(&mut out.ids.vendor_part),
                Some(IdKind::Description) => Some(&mut out.description),
                None => None,
            };
            match slot {
                Some(s) if s.is_none() => *s = Some(value.to_string()),
                Some(s) if s.as_deref() == Some(value) => {}
                _ => {
                    let key = format!("id_{}", qualifier.to_ascii_lowercase());
                    add_ref(&mut out.other, &key, value);
                }
            }
        }
        q += 2;
    }
    // Documents other than the order keep them with the ids; the order
    // line has its own `attributes` (see `LineIds::attributes`).
    out.ids.attributes = out.attributes();
    out
}

/// The `references` key of a REF qualifier.
pub fn ref_key(q: &str) -> String {
    match q {
        "IA" => "vendor_number",
        "VR" => "vendor_id",
        "DP" => "department",
        "CT" => "contract",
        "PO" => "po_number",
        "BM" => "bill_of_lading",
        "CN" => "pro_number",
        "IV" => "invoice_number",
        "CO" => "customer_order",
        "VN" => "vendor_order",
        "MR" => "merchandise_type",
        "PK" => "packing_list",
        "AI" => "associated_invoice",
        "GT" => "gst_registration",
        "PD" => "promotion",
        "SR" => "sales_responsibility",
        other => return format!("ref_{}", other.to_ascii_lowercase()),
    }
    .to_string()
}

/// Adds `key = value`, keeping earlier values (`key_2`, … for different
/// values under the same key).
pub fn add_ref(map: &mut BTreeMap<String, String>, key: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    let mut k = key.to_string();
    let mut n = 1;
    while let Some(existing) = map.get(&k) {
        if existing == value {
            return;
        }
        n += 1;
        k = format!("{key}_{n}");
    }
    map.insert(k, value.to_string());
}

/// Adds a REF segment to `map` (REF02, else REF03).
pub fn add_ref_segment(map: &mut BTreeMap<String, String>, seg: &Segment) {
    let value = seg.opt(2).or(seg.opt(3)).unwrap_or("");
    add_ref(map, &ref_key(seg.el(1)), value);
}

/// A mandatory explicit-decimal quantity.
pub fn need_number(ctx: &Ctx, seg: &Segment, n: usize, what: &str) -> Result<Decimal, Reject> {
    seg.opt(n)
        .and_then(values::real)
        .ok_or_else(|| Reject::element(ctx, seg, n, "6", what))
}

/// An optional explicit-decimal number; present but not a number rejects.
pub fn opt_number(
    ctx: &Ctx,
    seg: &Segment,
    n: usize,
    what: &str,
) -> Result<Option<Decimal>, Reject> {
    match seg.opt(n) {
        None => Ok(None),
        Some(v) => values::real(v)
            .map(Some)
            .ok_or_else(|| Reject::element(ctx, seg, n, "6", what)),
    }
}

/// An optional implied-2-decimal amount (`N2`); present but bad rejects.
pub fn opt_n2(ctx: &Ctx, seg: &Segment, n: usize, what: &str) -> Result<Option<Decimal>, Reject> {
    match seg.opt(n) {
        None => Ok(None),
        Some(v) => values::implied(v, 2)
            .map(Some)
            .ok_or_else(|| Reject::element(ctx, seg, n, "6", what)),
    }
}

/// An optional currency code, kept only when it is 3 upper-case letters.
pub fn currency(seg: &Segment) -> Option<String> {
    let c = seg.el(2);
    (c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())).then(|| c.to_string())
}

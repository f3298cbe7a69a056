//! Pieces the messages share: numbers and codes checked against their
//! data element, NAD parties with CTA/COM contacts, item identification
//! types, RFF names, CUX currency.

use std::collections::BTreeMap;

use weft_sdk::document::{ItemIds, Party};
use weft_sdk::money::Decimal;
use weft_sdk::order::Address;

use super::Reject;
use crate::parse::Segment;
use crate::values;

/// Component `k` of element `n` as a number; `None` when empty, a reject
/// naming the element when it is not a number.
pub fn num(seg: &Segment, n: usize, k: usize, what: &str) -> Result<Option<Decimal>, Reject> {
    match seg.copt(n, k) {
        None => Ok(None),
        Some(v) => values::number(v).map(Some).ok_or_else(|| {
            Reject::new(
                seg,
                format!(
                    "{}{n:02} component {k} ({what}) `{}` is not a number",
                    seg.tag,
                    crate::parse::show(v, 30)
                ),
            )
        }),
    }
}

/// A code of at most `max` letters or digits (an..`max`); a longer or
/// odd value rejects, naming the element.
pub fn code<'a>(
    seg: &'a Segment,
    n: usize,
    k: usize,
    max: usize,
    what: &str,
) -> Result<&'a str, Reject> {
    let v = seg.comp(n, k);
    let ok = v.chars().count() <= max && v.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(v)
    } else {
        Err(Reject::new(
            seg,
            format!(
                "{}{n:02} ({what}) `{}` is not a valid code (at most {max} letters or digits)",
                seg.tag,
                crate::parse::show(v, 30)
            ),
        ))
    }
}

/// The canonical role of a NAD 3035 party function code (the code itself
/// when it has no common name).
pub fn role(q: &str) -> String {
    match q {
        "BY" => "buyer",
        "SU" => "supplier",
        "SE" => "seller",
        "DP" | "ST" | "CN" => "ship_to",
        "IV" | "BT" => "bill_to",
        "SF" | "CZ" => "ship_from",
        "PE" | "RE" => "remit_to",
        "II" => "issuer",
        "CA" => "carrier",
        "UC" => "ultimate_consignee",
        "MS" => "message_sender",
        "MR" => "message_recipient",
        "OB" => "ordered_by",
        "PR" => "payer",
        other => other,
    }
    .to_string()
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn joined(parts: &[String]) -> Option<String> {
    let v: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    some(&v.join(" "))
}

/// A NAD segment group (NAD with its LOC, FII, CTA and COM).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartyGroup {
    /// NAD01 party function code.
    pub qualifier: String,
    /// The party with its address.
    pub party: Party,
    /// The address (also inside `party` when not empty).
    pub address: Address,
    /// CTA contact name.
    pub contact: Option<String>,
    /// First COM `TE` number.
    pub phone: Option<String>,
    /// First COM `EM` address.
    pub email: Option<String>,
    /// A lenient reading worth a warning (a misplaced code list qualifier).
    pub note: Option<String>,
}

/// Reads the NAD group at `segs[i]`; returns it and the index after.
pub fn nad_group(segs: &[Segment], i: usize) -> Result<(PartyGroup, usize), Reject> {
    let mut g = PartyGroup::default();
    let Some(nad) = segs.get(i) else {
        return Ok((g, i + 1));
    };
    g.qualifier = code(nad, 1, 1, 3, "party function code qualifier")?.to_string();
    if g.qualifier.is_empty() {
        return Err(Reject::new(
            nad,
            "NAD01 (party function code qualifier) is missing",
        ));
    }
    g.party.role = role(&g.qualifier);
    g.party.id = some(nad.comp(2, 1));
    g.party.id_qualifier = some(nad.comp(2, 3)).or_else(|| some(nad.comp(2, 2)));
    let mut c058: Vec<String> = nad.components(3).iter().filter_map(|c| some(c)).collect();
    if misplaced_qualifier(nad) {
        g.party.id_qualifier = c058.pop();
        g.note = Some(format!(
            "segment {} (NAD): NAD03 `{}` read as the code list qualifier of party id `{}` (written one element too far)",
            nad.position,
            g.party.id_qualifier.as_deref().unwrap_or(""),
            nad.el(2)
        ));
    }
    let a = &mut g.address;
    a.name = joined(nad.components(4));
    if a.name.is_none() && !c058.is_empty() {
        a.name = Some(c058.remove(0));
    }
    a.address_lines = nad.components(5).iter().filter_map(|c| some(c)).collect();
    if a.address_lines.is_empty() {
        a.address_lines = c058;
    }
    a.city = some(nad.el(6));
    a.region = some(nad.el(7));
    a.postal_code = some(nad.el(8));
    a.country = some(nad.el(9));
    let mut j = i + 1;
    while let Some(seg) = segs.get(j) {
        match seg.tag.as_str() {
            "CTA" => {
                if g.contact.is_none() {
                    g.contact = some(nad_contact(seg));
                }
            }
            "COM" => match seg.comp(1, 2) {
                "TE" if g.phone.is_none() => g.phone = some(seg.comp(1, 1)),
                "EM" if g.email.is_none() => g.email = some(seg.comp(1, 1)),
                _ => {}
            },
            "LOC" | "FII" => {}
            _ => break,
        }
        j += 1;
    }
    if g.address.phone.is_none() {
        g.address.phone = g.phone.clone();
    }
    if g.address != Address::default() {
        g.party.address = Some(g.address.clone());
    }
    Ok((g, j))
}

/// Whether NAD03 (name and address) holds nothing but a short code right
/// after a party id without qualifier — the id's code list qualifier
/// written one slot too far (`NAD+SU+1694901+31B`).
pub fn misplaced_qualifier(nad: &Segment) -> bool {
    let c058 = nad.components(3);
    let code = c058.first().map(|c| c.trim()).unwrap_or("");
    nad.opt(2).is_some()
        && nad.components(2).len() == 1
        && c058.len() == 1
        && (1..=3).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && nad.elements.len() == 3
}

fn nad_contact(cta: &Segment) -> &str {
    let name = cta.comp(2, 2);
    if name.is_empty() {
        cta.comp(2, 1)
    } else {
        name
    }
}

/// Whether `s` is a GTIN-8/12/13/14 with a valid check digit.
pub fn is_gtin(s: &str) -> bool {
    let b = s.as_bytes();
    if !matches!(b.len(), 8 | 12 | 13 | 14) || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .skip(1)
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    b.last().map(|c| u32::from(c - b'0')) == Some((10 - sum % 10) % 10)
}

/// Adds an item id of 7143 type `kind` (`EN`/`SRV`/`UP`/`IB` GTIN, `SA`
/// supplier's article, `IN`/`BP` buyer's item); the first of each kind
/// wins. An id with no or an unknown type is a GTIN when its check digit
/// holds, else kept as `sku` when the line has no other id.
pub fn add_item_id(ids: &mut ItemIds, id: &str, kind: &str) {
    let Some(id) = some(id) else {
        return;
    };
    let slot = match kind {
        "EN" | "SRV" | "UP" | "IB" | "EAN" | "GTIN" => &mut ids.gtin,
        "SA" | "VN" | "VP" | "MF" => &mut ids.vendor_part,
        "IN" | "BP" | "BO" => &mut ids.buyer_part,
        _ if is_gtin(&id) => &mut ids.gtin,
        _ if ids.is_empty() => &mut ids.sku,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(id);
    }
}

/// The `references` key of an RFF 1153 qualifier.
pub fn ref_key(q: &str) -> String {
    match q {
        "ON" => "po_number",
        "VN" => "vendor_order",
        "CT" => "contract",
        "VA" => "vat_registration",
        "IV" => "invoice_number",
        "DQ" => "delivery_note",
        "AAK" => "despatch_advice",
        "PK" => "packing_list",
        "BM" => "bill_of_lading",
        "CN" => "carrier_reference",
        "IT" => "internal_customer_number",
        "PQ" => "payment_reference",
        "PD" => "promotion",
        "LI" => "line_item",
        "DL" => "debit_note",
        other => return format!("ref_{}", other.to_ascii_lowercase()),
    }
    .to_string()
}

/// Adds `key = value`, keeping earlier values (`key_2`, … for different
/// values under the same key).
pub fn add_ref(map: &mut BTreeMap<String, String>, key: &str, value: &str) {
    let value = value.trim();
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

/// The currency of a CUX (the first 3-letter code of C504), if any.
pub fn currency(seg: &Segment) -> Option<String> {
    let c = seg.comp(1, 2);
    (c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())).then(|| c.to_string())
}

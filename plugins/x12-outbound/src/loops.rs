//! Segments shared by the three sets: party loops (N1/N3/N4), item
//! identifier pairs (PO1/IT1/LIN) and references (REF).

use std::collections::BTreeMap;

use weft_sdk::document::{ItemIds, Party};
use weft_sdk::order::Address;
use weft_sdk::{host, PluginError};

use crate::writer::{Seg, Writer};

/// The X12 entity identifier code (N101) of a canonical party role;
/// a role that already is a code (`ST`, `RI`, `Z7`) is kept.
pub fn entity_code(role: &str, field: &str) -> Result<String, PluginError> {
    let code = match role.trim() {
        "ship_to" => "ST",
        "ship_from" => "SF",
        "shipper" => "SH",
        "bill_to" => "BT",
        "remit_to" => "RI",
        "buyer" => "BY",
        "seller" => "SE",
        "supplier" => "SU",
        "vendor" => "VN",
        "sold_to" => "SO",
        "ordered_by" => "OB",
        "manufacturer" => "MF",
        "carrier" => "CA",
        "mark_for" => "Z7",
        "warehouse" => "WH",
        "payer" => "PR",
        "issuer" => "II",
        other if is_code(other) => other,
        other => {
            return Err(PluginError::invalid(format!(
                "{field}: role `{}` has no X12 entity code (N101); use ship_to, ship_from, shipper, bill_to, remit_to, buyer, seller, supplier, vendor, sold_to, ordered_by, manufacturer, carrier, mark_for, warehouse, payer, issuer or a 2-3 character X12 code",
                other.escape_default()
            )))
        }
    };
    Ok(code.to_string())
}

/// A 2-3 character upper-case code (`ST`, `CN`, `ZZ1`).
fn is_code(s: &str) -> bool {
    (2..=3).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// One N1 loop: N1 (name and id), N3 (street lines, two per segment) and
/// N4 (city, region, postal code, country).
pub fn party(
    w: &mut Writer,
    code: &str,
    id: Option<(&str, Option<&str>)>,
    address: Option<&Address>,
    field: &str,
) -> Result<(), PluginError> {
    let name = address.and_then(|a| a.name.as_deref().or(a.company.as_deref()));
    let name_field = match address.and_then(|a| a.name.as_deref()) {
        Some(_) => format!("{field}.name"),
        None => format!("{field}.company"),
    };
    let mut n1 = w
        .seg("N1")
        .el(code, &format!("{field}.role"))
        .opt(name, &name_field);
    if let Some((id, qualifier)) = id {
        // N103 and N104 go together: an id without a qualifier is sent as
        // mutually defined (`ZZ`).
        n1 = n1
            .el(qualifier.unwrap_or("ZZ"), &format!("{field}.id_qualifier"))
            .el(id, &format!("{field}.id"));
    }
    n1.end()?;
    let Some(a) = address else { return Ok(()) };
    if let (Some(_), Some(company)) = (&a.name, &a.company) {
        w.seg("N2").el(company, &format!("{field}.company")).end()?;
    }
    for (i, pair) in a.address_lines.chunks(2).enumerate() {
        let mut n3 = w.seg("N3");
        for (j, line) in pair.iter().enumerate() {
            n3 = n3.el(line, &format!("{field}.address_lines[{}]", i * 2 + j));
        }
        n3.end()?;
    }
    if a.city.is_some() || a.region.is_some() || a.postal_code.is_some() || a.country.is_some() {
        w.seg("N4")
            .opt(a.city.as_deref(), &format!("{field}.city"))
            .opt(a.region.as_deref(), &format!("{field}.region"))
            .opt(a.postal_code.as_deref(), &format!("{field}.postal_code"))
            .opt(a.country.as_deref(), &format!("{field}.country"))
            .end()?;
    }
    if let Some(phone) = &a.phone {
        w.seg("PER")
            .code("IC")
            .empty()
            .code("TE")
            .el(phone, &format!("{field}.phone"))
            .end()?;
    }
    Ok(())
}

/// The parties of a document, with the document's own addresses
/// (`ship_to`, `bill_to`, …) merged into the party of that role; an
/// address with no such party gets a loop of its own.
pub fn parties(
    w: &mut Writer,
    parties: &[Party],
    addresses: &[(&str, Option<&Address>)],
) -> Result<(), PluginError> {
    for (i, p) in parties.iter().enumerate() {
        let field = format!("parties[{i}]");
        let code = entity_code(&p.role, &format!("{field}.role"))?;
        let doc_address = addresses
            .iter()
            .find(|(role, _)| *role == p.role)
            .and_then(|(_, a)| *a);
        let address = p.address.as_ref().or(doc_address);
        let id = p.id.as_deref().map(|id| (id, p.id_qualifier.as_deref()));
        party(w, &code, id, address, &field)?;
    }
    for (role, address) in addresses {
        if let Some(a) = address {
            if !parties.iter().any(|p| p.role == *role) {
                let code = entity_code(role, role)?;
                party(w, &code, None, Some(a), role)?;
            }
        }
    }
    Ok(())
}

/// Appends the item identifier pairs (qualifier, id) to a PO1 / IT1 / LIN
/// segment: buyer part `BP`, vendor part `VP`, SKU `SK`, GTIN (`UP` for
/// 12 digits, `UK` for 14, else `EN`), then every `attributes.id_<q>`
/// string as qualifier `<Q>` (`id_mg` → `MG`; a repeat `id_mg_2` → `MG`).
/// The ERP item number is internal and not sent.
pub fn item_ids<'w>(mut seg: Seg<'w>, ids: &ItemIds, field: &str) -> Seg<'w> {
    let gtin_qualifier = |g: &str| match g.trim().len() {
        12 => "UP",
        14 => "UK",
        _ => "EN",
    };
    let pairs = [
        ("BP", ids.buyer_part.as_deref(), "buyer_part"),
        ("VP", ids.vendor_part.as_deref(), "vendor_part"),
        ("SK", ids.sku.as_deref(), "sku"),
        (
            ids.gtin.as_deref().map_or("EN", gtin_qualifier),
            ids.gtin.as_deref(),
            "gtin",
        ),
    ];
    for (qualifier, value, name) in pairs {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            seg = seg.code(qualifier).el(v, &format!("{field}.{name}"));
        }
    }
    for (name, value) in &ids.attributes {
        let Some(q) = attribute_qualifier(name) else {
            continue;
        };
        if let Some(v) = value.as_str().filter(|v| !v.trim().is_empty()) {
            seg = seg.code(&q).el(v, &format!("{field}.attributes.{name}"));
        }
    }
    seg
}

/// The X12 qualifier of an `id_<q>` attribute (`id_mg`, `id_mg_2` → `MG`);
/// `None` for other attributes or a qualifier that is not 2–3 letters or
/// digits.
fn attribute_qualifier(name: &str) -> Option<String> {
    let rest = name.strip_prefix("id_")?;
    let q = match rest.rsplit_once('_') {
        Some((q, n)) if n.bytes().all(|b| b.is_ascii_digit()) => q,
        _ => rest,
    };
    (2..=3)
        .contains(&q.len())
        .then(|| q.to_ascii_uppercase())
        .filter(|q| q.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The REF qualifier of a canonical reference name (the names the `x12`
/// source gives): `vendor_number` → `IA`, …; `ref_zz` → `ZZ`; a repeated
/// name's suffix (`pro_number_2`) is ignored; a name that already is a
/// code (`IA`) is kept.
pub fn ref_qualifier(name: &str) -> Option<String> {
    let base = match name.rsplit_once('_') {
        Some((b, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => b,
        _ => name,
    };
    let code = match base {
        "vendor_number" | "internal_vendor_number" => "IA",
        "vendor_id" => "VR",
        "department" => "DP",
        "contract" => "CT",
        "po_number" => "PO",
        "bill_of_lading" => "BM",
        "pro_number" | "carrier_reference" => "CN",
        "invoice_number" | "invoice" => "IV",
        "customer_order" => "CO",
        "vendor_order" => "VN",
        "merchandise_type" => "MR",
        "packing_list" => "PK",
        "associated_invoice" => "AI",
        "gst_registration" => "GT",
        "promotion" => "PD",
        "sales_responsibility" => "SR",
        other => {
            let code = other.strip_prefix("ref_").map(str::to_ascii_uppercase);
            let code = code.unwrap_or_else(|| other.to_string());
            return is_code(&code).then_some(code);
        }
    };
    Some(code.to_string())
}

/// REF segments for `references`, except those named in `skip` (already
/// written elsewhere). A name without an X12 qualifier is logged and left
/// out.
pub fn references(
    w: &mut Writer,
    references: &BTreeMap<String, String>,
    skip: &[&str],
) -> Result<(), PluginError> {
    for (name, value) in references {
        if skip.contains(&name.as_str()) || value.trim().is_empty() {
            continue;
        }
        match ref_qualifier(name) {
            Some(q) => w
                .seg("REF")
                .code(&q)
                .el(value, &format!("references.{name}"))
                .end()?,
            None => host::log(
                host::LogLevel::Warn,
                &format!("references.{name} has no X12 REF qualifier; not sent"),
            ),
        }
    }
    Ok(())
}

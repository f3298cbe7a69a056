//! Item id qualifiers (X12 data element 235), N1 roles and the 810
//! purpose.

use super::*;
use serde_json::json;
use weft_sdk::invoice::Invoice;
use weft_sdk::order::Order;
use weft_sdk::shipment::Shipment;

use crate::map::{id_kind, item_ids, role, IdKind};
use crate::parse::Segment;

fn docs(dir: &str, name: &str) -> Option<Vec<Message>> {
    let bytes = file(dir, name)?;
    Some(run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn seg(text: &str) -> Segment {
    let mut parts = text.split('*');
    Segment {
        position: 1,
        id: parts.next().unwrap_or_default().to_string(),
        elements: parts.map(str::to_string).collect(),
    }
}

#[test]
fn qualifiers_follow_data_element_235() {
    assert_eq!(
        id_kind("IN"),
        Some(IdKind::BuyerPart),
        "buyer's item number"
    );
    assert_eq!(id_kind("BP"), Some(IdKind::BuyerPart));
    for q in ["VN", "VP", "VA"] {
        assert_eq!(id_kind(q), Some(IdKind::VendorPart), "{q}");
    }
    assert_eq!(id_kind("SK"), Some(IdKind::Sku));
    for q in ["UP", "UK", "EN", "UA"] {
        assert_eq!(id_kind(q), Some(IdKind::Gtin), "{q}");
    }
    assert_eq!(id_kind("MG"), None, "manufacturer's part has no field");
}

#[test]
fn first_of_each_kind_wins_and_the_rest_are_kept() {
    let ids = item_ids(
        &seg("PO1*1*2*EA*3.5**IN*B-1*VN*V-1*UP*012345678905*UK*00012345678905*MG*M-1*PD*Widget*MG*M-2*ZZ**BP*B-1**X-1"),
        6,
    );
    assert_eq!(ids.ids.buyer_part.as_deref(), Some("B-1"));
    assert_eq!(ids.ids.vendor_part.as_deref(), Some("V-1"));
    assert_eq!(ids.ids.gtin.as_deref(), Some("012345678905"), "first GTIN");
    assert_eq!(ids.ids.sku, None, "IN is not the seller's SKU");
    assert_eq!(ids.description.as_deref(), Some("Widget"));
    // The second GTIN, both MG ids; an empty id, the repeated BP with the
    // same value and an id without qualifier are left out.
    assert_eq!(
        ids.attributes(),
        [
            ("id_mg", "M-1"),
            ("id_mg_2", "M-2"),
            ("id_uk", "00012345678905"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
    );
}

#[test]
fn po850_lines_keep_ids_without_field_as_attributes() {
    let Some(msgs) = docs("x12", "850_stupidedi_x357_mixed-lines.edi") else {
        return;
    };
    let o: Order = serde_json::from_value(json(&msgs[0])).expect("order");
    // PO1*1*48*EA*3*PE*MG*R5656-2 (manufacturer's part number).
    let l = &o.lines[0];
    assert_eq!((l.vendor_part.as_deref(), l.sku.as_deref()), (None, None));
    assert_eq!(l.attributes.get("id_mg"), Some(&json!("R5656-2")));
}

#[test]
fn inv810_in_is_the_buyer_item_and_no_big08_is_no_purpose() {
    let Some(msgs) = docs("x12-lenient", "810_oopfactory_walmart_isa12-00040.edi") else {
        return;
    };
    let inv: Invoice = serde_json::from_value(json(&msgs[0])).expect("invoice");
    // IT1**1080*EA*3.61**IN*001719653*UP*022108955228*UK*00221089552284
    let item = &inv.lines[0].item;
    assert_eq!(
        (
            item.buyer_part.as_deref(),
            item.gtin.as_deref(),
            item.sku.as_deref()
        ),
        (Some("001719653"), Some("022108955228"), None)
    );
    // BIG*20050205*6463367*20050202*3376103367: no BIG08, no purpose; the
    // PO date stays in source.
    assert_eq!(inv.purpose, None);
    assert_eq!(inv.source["po_date"], "2005-02-02");

    let Some(msgs) = docs("x12-lenient", "810_oopfactory_adobe_isa12-00040.edi") else {
        return;
    };
    let inv: Invoice = serde_json::from_value(json(&msgs[0])).expect("invoice");
    assert_eq!(inv.purpose.as_deref(), Some("original"), "BIG08 00");
}

#[test]
fn ship856_shipper_and_ship_from_are_different_roles() {
    assert_eq!(
        (role("SF"), role("SH")),
        ("ship_from".into(), "shipper".into())
    );
    let Some(msgs) = docs("x12", "856_nodex12_004060.edi") else {
        return;
    };
    let s: Shipment = serde_json::from_value(json(&msgs[0])).expect("shipment");
    let roles: Vec<_> = s
        .parties
        .iter()
        .map(|p| {
            let name = p.address.as_ref().and_then(|a| a.name.as_deref());
            (p.role.as_str(), name)
        })
        .collect();
    assert!(
        roles.contains(&("shipper", Some("1 EDI SOURCE"))),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("ship_from", Some("1 EDI SOURCE"))),
        "{roles:?}"
    );
    assert_eq!(roles.iter().filter(|r| r.0 == "ship_from").count(), 1);
    assert_eq!(
        s.ship_from.as_ref().and_then(|a| a.name.as_deref()),
        Some("1 EDI SOURCE")
    );
}

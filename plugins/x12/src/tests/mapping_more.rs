//! Business values of the 856, 810, 846 and generic mappings.

use super::*;
use weft_sdk::inventory::Inventory;
use weft_sdk::invoice::Invoice;
use weft_sdk::shipment::Shipment;

fn docs(dir: &str, name: &str) -> Option<Vec<Message>> {
    let bytes = file(dir, name)?;
    Some(run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

#[test]
fn ship856_crossdock_orders_packs_items() {
    let Some(msgs) = docs("x12", "856_ediengine_crossdock.edi") else {
        return;
    };
    assert_eq!(
        (msgs[0].kind.as_str(), msgs[0].correlation_id.as_str()),
        ("shipment.dispatched", "x12:POREF00")
    );
    let s: Shipment = msgs[0].payload_json().expect("shipment");
    assert_eq!(
        (s.shipment_id.as_str(), s.purpose.as_deref()),
        ("000009", Some("original"))
    );
    assert_eq!(s.order_refs, ["POREF00", "POREF01"]);
    assert_eq!(
        (s.shipped_at.as_deref(), s.expected_at.as_deref()),
        (Some("2009-09-21"), Some("2009-09-25"))
    );
    assert_eq!(s.tracking, ["000001", "0000000008741"]);
    let c = s.carrier.expect("carrier");
    assert_eq!(
        (c.code.as_deref(), c.name.as_deref()),
        (Some("OVNT"), Some("OVERNITE"))
    );
    assert_eq!(s.package_count.as_deref(), Some("5"));
    let w = s.weight.expect("weight");
    assert_eq!((w.value.as_str(), w.unit.as_deref()), ("24", Some("LB")));
    assert_eq!(s.packages.len(), 5);
    let p = &s.packages[4];
    assert_eq!(p.package_id.as_deref(), Some("00000715670002152111"));
    assert_eq!(p.items.len(), 1);
    let it = &p.items[0];
    assert_eq!(
        (
            it.item.gtin.as_deref(),
            it.quantity.as_str(),
            it.uom.as_deref(),
            it.order_id.as_deref()
        ),
        (Some("0000000000642"), "12", Some("EA"), Some("POREF01"))
    );
    assert_eq!(
        s.packages[1].items[0].item.gtin.as_deref(),
        Some("0000000000831")
    );
    assert_eq!(s.packages[1].items[0].order_id.as_deref(), Some("POREF00"));
    assert_eq!(s.ship_from.and_then(|a| a.city).as_deref(), Some("CITY"));
    assert_eq!(
        s.references.get("bill_of_lading").map(String::as_str),
        Some("000001")
    );
}

#[test]
fn ship856_items_without_pack_and_with_implicit_parents() {
    let Some(msgs) = docs("x12", "856_oopfactory_ex4_pipe-comp.edi") else {
        return;
    };
    let s: Shipment = msgs[0].payload_json().expect("shipment");
    assert_eq!(
        (s.shipment_id.as_str(), s.correlation_id.as_str()),
        ("DELIVERYNUMBER", "x12:PO NUMBER")
    );
    assert_eq!(s.packages.len(), 1);
    assert_eq!(s.packages[0].package_id, None);
    let items = &s.packages[0].items;
    assert_eq!(items.len(), 7);
    assert_eq!(
        (
            items[3].item.sku.as_deref(),
            items[3].item.vendor_part.as_deref(),
            items[3].quantity.as_str()
        ),
        (Some("100019110"), Some("20520150"), "20")
    );
    assert!(
        items
            .iter()
            .all(|i| i.order_id.as_deref() == Some("PO NUMBER")),
        "HL02 empty: parent is the O level"
    );
    let w = s.weight.expect("weight");
    assert_eq!((w.value.as_str(), w.unit.as_deref()), ("9072", Some("LB")));
    let c = s.carrier.expect("carrier");
    assert_eq!(
        (c.code.as_deref(), c.mode.as_deref()),
        (Some("NONE"), Some("T"))
    );

    let Some(msgs) = docs("x12", "856_oopfactory_ex3_ellipsis-term.edi") else {
        return;
    };
    let s: Shipment = msgs[0].payload_json().expect("shipment");
    assert_eq!(
        (s.shipment_id.as_str(), s.correlation_id.as_str()),
        ("146940", "x12:5500005194")
    );
    assert_eq!(
        s.packages[0].items[0].item.buyer_part.as_deref(),
        Some("000 260 056 524")
    );
    assert_eq!(s.packages[0].items[2].quantity, "1440");
    assert_eq!(
        s.weight.map(|w| w.value).as_deref(),
        Some("5063.82"),
        "MEA PD G"
    );
    assert_eq!(s.carrier.and_then(|c| c.code).as_deref(), Some("AVRT"));
}

#[test]
fn ship856_vics_sscc_and_times_with_offset() {
    let Some(bytes) = file("x12", "856_oopfactory_gregarican_vics.edi") else {
        return;
    };
    let cfg = Config {
        utc_offset: Some("-05:00".into()),
        ..Config::default()
    };
    let msgs = run_with(&bytes, &cfg).expect("maps");
    let s: Shipment = msgs[0].payload_json().expect("shipment");
    assert_eq!(s.created_at.as_deref(), Some("2012-05-15T08:51:00-05:00"));
    assert_eq!(s.shipped_at.as_deref(), Some("2012-05-10"));
    assert_eq!(
        s.packages[0].package_id.as_deref(),
        Some("00007121610006156802")
    );
    assert_eq!(
        s.packages[0].items[0].item.gtin.as_deref(),
        Some("883932284904")
    );
    assert_eq!(
        s.carrier.and_then(|c| c.name).as_deref(),
        Some("FEDX 2 DAY")
    );
    assert_eq!(s.order_refs, ["SO/VINCE1"]);
}

#[test]
fn inv810_multi_invoice_n2_totals_and_line_charges() {
    let Some(msgs) = docs("x12", "810_oopfactory_multi-invoice_00403.edi") else {
        return;
    };
    assert_eq!(
        (msgs[0].kind.as_str(), msgs[0].correlation_id.as_str()),
        ("invoice.posted", "x12:539893")
    );
    let i: Invoice = msgs[0].payload_json().expect("invoice");
    assert_eq!(
        (i.invoice_id.as_str(), i.invoice_date.as_deref()),
        ("465266", Some("2002-05-24"))
    );
    assert_eq!(i.order_refs, ["539893"]);
    assert_eq!(
        i.totals.total.as_deref(),
        Some("8432.02"),
        "TDS 843202 is N2"
    );
    assert_eq!(i.totals.subtotal.as_deref(), Some("7880.40"));
    assert_eq!(i.totals.charges.as_deref(), Some("551.62"));
    assert_eq!(i.lines.len(), 4);
    let l = &i.lines[2];
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.total.as_deref()
        ),
        ("18", Some("169.20"), Some("3045.60"))
    );
    assert_eq!(
        (l.item.gtin.as_deref(), l.description.as_deref()),
        (Some("001055503761"), Some("REMEDY 355ML"))
    );
    assert_eq!(
        (
            l.charges[0].kind.as_str(),
            l.charges[0].code.as_deref(),
            l.charges[0].amount.as_deref()
        ),
        ("charge", Some("D360"), Some("213.19"))
    );
    let t = i.terms.expect("terms");
    assert_eq!(
        (
            t.discount_percent.as_deref(),
            t.discount_days.as_deref(),
            t.net_days.as_deref(),
            t.due_date.as_deref()
        ),
        (Some("1"), Some("15"), Some("30"), Some("2002-06-23"))
    );
    let j: Invoice = msgs[1].payload_json().expect("invoice");
    assert_eq!(
        (j.invoice_id.as_str(), j.totals.total.as_deref()),
        ("465267", Some("1129.92"))
    );
}

#[test]
fn inv810_header_charges_tax_and_purpose() {
    let Some(msgs) = docs("x12-lenient", "810_edinet_ariba_unpadded-isa.edi") else {
        return;
    };
    let i: Invoice = msgs[0].payload_json().expect("invoice");
    assert_eq!(
        (
            i.invoice_id.as_str(),
            i.currency.as_deref(),
            i.purpose.as_deref()
        ),
        ("DO091003TESTINV01", Some("USD"), Some("original"))
    );
    assert_eq!(i.totals.total.as_deref(), Some("365.96"));
    assert_eq!(i.charges.len(), 2, "SAC after TDS");
    assert_eq!(
        (i.charges[0].code.as_deref(), i.charges[0].amount.as_deref()),
        (Some("G830"), Some("6.00"))
    );
    assert_eq!(
        i.lines[0].charges.len(),
        1,
        "SAC*N (no allowance or charge) skipped"
    );
    assert_eq!(i.parties.len(), 2, "header N1 loops only");
    assert_eq!(i.parties[1].role, "remit_to");

    let Some(msgs) = docs("x12", "810_stupidedi_pipe-elem.edi") else {
        return;
    };
    let i: Invoice = msgs[0].payload_json().expect("invoice");
    assert_eq!(
        (i.totals.total.as_deref(), i.totals.subtotal.as_deref()),
        (Some("285.66"), Some("285.66"))
    );
    assert_eq!(
        (
            i.lines[0].item.gtin.as_deref(),
            i.lines[0].unit_price.as_deref()
        ),
        (Some("9781501331978"), Some("70.00"))
    );

    let Some(msgs) = docs("x12-lenient", "810_oopfactory_adobe_isa12-00040.edi") else {
        return;
    };
    let i: Invoice = msgs[0].payload_json().expect("invoice");
    assert_eq!(
        (i.invoice_id.as_str(), i.totals.total.as_deref()),
        ("0013833070", Some("160.00"))
    );
    let l = &i.lines[0];
    assert_eq!(
        (
            l.line_id.as_str(),
            l.item.gtin.as_deref(),
            l.item.buyer_part.as_deref()
        ),
        ("000010", Some("883919019161"), Some("7167946"))
    );
}

#[test]
fn inv846_quantities_units_prices_dates() {
    let Some(msgs) = docs("x12", "846_oopfactory_ex1_brace-term.edi") else {
        return;
    };
    assert_eq!(
        (msgs[0].kind.as_str(), msgs[0].correlation_id.as_str()),
        ("inventory.advised", "x12:inventory:10353")
    );
    let v: Inventory = msgs[0].payload_json().expect("inventory");
    assert_eq!(
        (
            v.advice_id.as_str(),
            v.as_of.as_deref(),
            v.location.as_deref()
        ),
        ("10353", Some("2004-08-11"), Some("EMS PLANT E88"))
    );
    let q: Vec<(&str, &str, Option<&str>)> = v
        .items
        .iter()
        .map(|i| {
            (
                i.qualifier_code.as_deref().unwrap_or(""),
                i.quantity.as_str(),
                i.uom.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        q,
        [
            ("34", "5250", Some("EA")),
            ("QH", "100", Some("EA")),
            ("QB", "50", Some("EA")),
            ("87", "75", Some("EA"))
        ]
    );
    assert_eq!(v.items[0].item.buyer_part.as_deref(), Some("46L5055"));

    let Some(msgs) = docs("x12", "846_oopfactory_ex2_star-term.edi") else {
        return;
    };
    let v: Inventory = msgs[0].payload_json().expect("inventory");
    assert_eq!(v.items.len(), 5);
    let i = &v.items[2];
    assert_eq!(
        (
            i.qualifier.as_str(),
            i.quantity.as_str(),
            i.unit_price.as_deref(),
            i.date.as_deref()
        ),
        ("on_order", "1000", Some("2.83"), Some("2003-08-22"))
    );
    assert_eq!(
        (
            v.items[0].qualifier.as_str(),
            v.items[0].quantity.as_str(),
            v.items[0].uom.as_deref()
        ),
        ("on_hand", "1998.61", Some("FT"))
    );
    assert_eq!(v.items[4].unit_price.as_deref(), Some("0.567"));
}

#[test]
fn other_sets_are_generic_transactions() {
    let Some(msgs) = docs("x12-lenient", "210_staedi_wrapped-80-columns.edi") else {
        return;
    };
    assert_eq!(msgs[0].kind, "x12.transaction");
    let v = json(&msgs[0]);
    assert_eq!(
        (
            v["set"].as_str(),
            v["control_number"].as_str(),
            v["version"].as_str()
        ),
        (Some("210"), Some("1305"), Some("004010"))
    );
    assert_eq!(
        (v["sender"].as_str(), v["receiver"].as_str()),
        (Some("DDDD"), Some("XXXXXX"))
    );
    assert_eq!(v["segments"][2], serde_json::json!(["N9", "PO", "721295"]));
    assert_eq!(v["segments"].as_array().map(Vec::len), Some(31));
}

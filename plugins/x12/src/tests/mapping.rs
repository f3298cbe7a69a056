//! Business values of the 850 and 855 mappings, checked against the files.

use super::*;
use weft_sdk::order::Order;
use weft_sdk::order_ack::OrderAck;

fn docs(dir: &str, name: &str) -> Option<Vec<Message>> {
    let bytes = file(dir, name)?;
    Some(run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn order(m: &Message) -> Order {
    m.payload_json().expect("weft.order/1")
}

#[test]
fn po850_retail_newline_terminated() {
    let Some(msgs) = docs("x12", "850_ediengine_newline-term.edi") else {
        return;
    };
    let m = &msgs[0];
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("order.created", "x12:08292233294")
    );
    assert_eq!(m.content_type, "application/json");
    let o = order(m);
    assert_eq!(
        (o.order_id.as_str(), o.purpose.as_str()),
        ("08292233294", "original")
    );
    assert_eq!(o.ordered_at.as_deref(), Some("2010-11-27"));
    // No N1*BY: the trading partner (ISA06) is the customer.
    assert_eq!(
        o.customer.as_ref().and_then(|c| c.id.as_deref()),
        Some(m.id.split(':').nth(1).expect("sender in the id"))
    );
    assert_eq!(o.lines.len(), 6);
    let l = &o.lines[1];
    assert_eq!(
        (l.line_id.as_str(), l.quantity.as_str(), l.uom.as_deref()),
        ("2", "220", Some("EA"))
    );
    assert_eq!(
        (l.unit_price.as_deref(), l.total.as_deref()),
        (Some("13.79"), Some("3033.80"))
    );
    assert_eq!(
        (l.buyer_part.as_deref(), l.vendor_part.as_deref()),
        (Some("066850-116"), Some("RD5322"))
    );
    assert_eq!(l.description.as_deref(), Some("MEDIUM WIDGET"));
    assert_eq!(o.lines[4].unit_price.as_deref(), Some("7.50"));
    assert_eq!(o.totals.subtotal.as_deref(), Some("13045.94"), "AMT*1");
    let st = o.ship_to.as_ref().expect("ship to");
    assert_eq!(
        (
            st.name.as_deref(),
            st.city.as_deref(),
            st.postal_code.as_deref()
        ),
        (Some("XYZ RETAIL"), Some("SOLON"), Some("44139"))
    );
    assert_eq!(
        o.references.get("department").map(String::as_str),
        Some("038")
    );
    assert_eq!(o.source["set_control"], "000000010");
    assert_eq!(o.source["interchange_control"], "000003438");
    assert_eq!(o.source["group_control"], "1421");
    assert_eq!(o.source["sender"], "ABCDEFGHIJKLMNO");
}

#[test]
fn po850_replace_with_pipe_terminator_and_amt_total() {
    let Some(msgs) = docs("x12", "850_oopfactory_pgwglass_pipe-term.edi") else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!(msgs[0].kind, "order.updated");
    assert_eq!(
        (
            o.order_id.as_str(),
            o.purpose.as_str(),
            o.currency.as_deref()
        ),
        ("S41000439", "replace", Some("USD"))
    );
    assert_eq!(o.lines.len(), 4);
    assert_eq!(
        (
            o.lines[1].quantity.as_str(),
            o.lines[1].unit_price.as_deref()
        ),
        ("12", Some("63.11"))
    );
    assert_eq!(o.lines[1].buyer_part.as_deref(), Some("0650002027"));
    assert_eq!(o.totals.total.as_deref(), Some("884.06"));
    assert_eq!(
        o.totals.subtotal.as_deref(),
        Some("884.06"),
        "sum of 25.45 + 757.32 + 16.04 + 85.25"
    );
    assert_eq!(
        o.customer.as_ref().and_then(|c| c.name.as_deref()),
        Some("Doe, Jane")
    );
    let st = o.ship_to.expect("ship to");
    assert_eq!(st.address_lines, ["WORKS 41", "2290 MENELAUS ROAD"]);
    assert_eq!(
        (st.city.as_deref(), st.country.as_deref()),
        (Some("BEREA"), Some("US"))
    );
}

#[test]
fn po850_gtin_buyer_part_and_bill_to() {
    let Some(msgs) = docs("x12", "850_x12types_004010.edi") else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!(
        (o.order_id.as_str(), o.ordered_at.as_deref()),
        ("A99999-01", Some("1997-02-14"))
    );
    assert_eq!(o.lines.len(), 7);
    let l = &o.lines[0];
    assert_eq!(
        (
            l.line_id.as_str(),
            l.gtin.as_deref(),
            l.buyer_part.as_deref()
        ),
        ("1", Some("002840022222"), Some("000111111"))
    );
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.total.as_deref()
        ),
        ("16", Some("12.34"), Some("197.44"))
    );
    assert_eq!(
        o.bill_to.and_then(|a| a.name).as_deref(),
        Some("BUYSNACKS INC.")
    );
    assert_eq!(
        o.references.get("vendor_id").map(String::as_str),
        Some("54321")
    );
}

#[test]
fn po850_sku_buyer_and_yymmdd_date() {
    let Some(msgs) = docs("x12", "850_nodex12_anonymized-real.edi") else {
        return;
    };
    let l = &order(&msgs[0]).lines[0];
    assert_eq!(
        (l.sku.as_deref(), l.vendor_part.as_deref()),
        (Some("000000000001010700"), Some("UNKNOWN"))
    );
    assert_eq!(
        l.description.as_deref(),
        Some("SU - SPARK - AQ FREEZER PUSHER")
    );
    assert_eq!(
        (
            l.quantity.as_str(),
            l.uom.as_deref(),
            l.unit_price.as_deref()
        ),
        ("1", Some("KI"), Some("225.00"))
    );
    let Some(msgs) = docs("x12", "810-850_staedi_two-groups-mixed-versions.edi") else {
        return;
    };
    let o = order(&msgs[3]);
    assert_eq!(
        (o.order_id.as_str(), o.ordered_at.as_deref()),
        ("S115921858", Some("2004-03-17"))
    );
    // IN is the buyer's item number (X12 235), not the seller's SKU.
    assert_eq!(
        (o.lines[0].buyer_part.as_deref(), o.lines[0].sku.as_deref()),
        (Some("02006"), None),
        "IN qualifier"
    );
    assert_eq!(o.lines[0].unit_price, None);
    assert_eq!(
        o.customer.as_ref().and_then(|c| c.id.as_deref()),
        Some("999999999")
    );
    assert_eq!(o.source["version"], "003010");
}

#[test]
fn po850_lenient_files_keep_business_values() {
    let Some(msgs) = docs(
        "x12-lenient",
        "850_oopfactory_adobe_shrinkwrapped_space-term.edi",
    ) else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!(o.order_id, "MH80312");
    let l = &o.lines[0];
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.total.as_deref()
        ),
        ("11", Some("1499.95"), Some("16499.45"))
    );
    // MG (manufacturer's part number) has no canonical field.
    assert_eq!(
        (l.buyer_part.as_deref(), l.vendor_part.as_deref()),
        (Some("12345678"), None)
    );
    assert_eq!(
        l.attributes.get("id_mg"),
        Some(&serde_json::json!("12070205"))
    );
    assert_eq!(
        o.ship_to.as_ref().and_then(|a| a.postal_code.as_deref()),
        Some("95110"),
        "no trailing space"
    );
    let c = o.customer.expect("customer");
    assert_eq!(
        (c.id.as_deref(), c.name.as_deref()),
        (Some("038181483"), Some("SOLD TO Org Name"))
    );

    let Some(msgs) = docs("x12-lenient", "850_edinet_tabs-indented_nbsp-isa.edi") else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!((o.order_id.as_str(), o.lines.len()), ("4600000406", 3));
    assert_eq!(o.lines[0].line_id, "000100001");
    assert_eq!(
        o.lines[0].description.as_deref(),
        Some("4.4oz 3\" Diamond Quilt")
    );
    assert_eq!(o.totals.subtotal.as_deref(), Some("16555.00"));
    assert_eq!(
        o.references.get("seller_name").map(String::as_str),
        Some("Supplier Name")
    );

    let Some(msgs) = docs("x12-lenient", "850_edinet_bom-nbsp-short-isa.edi") else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!(msgs[0].id, "x12:000123456:000000055:2:0003:868596aa87f6");
    assert_eq!(
        (o.order_id.as_str(), o.lines[0].unit_price.as_deref()),
        ("1000012", Some("19.95"))
    );
    assert_eq!(o.ship_to.and_then(|a| a.name).as_deref(), Some("John Doe"));
}

#[test]
fn po850_requested_ship_date_from_dtm_010_else_037() {
    let Some(bytes) = file("x12", "850_x12types_004010.edi") else {
        return;
    };
    let text = String::from_utf8(bytes).expect("an ASCII file");
    let ship_at = |edi: &str| order(&run(edi.as_bytes()).expect("maps")[0]).requested_ship_at;
    // Its two header DTMs are 002 (delivery requested): no ship date.
    assert_eq!(ship_at(&text), None);
    let not_before = text.replacen("DTM*002*19971219~", "DTM*037*19971215~", 1);
    assert_eq!(ship_at(&not_before).as_deref(), Some("1997-12-15"));
    // 010 wins over 037 wherever it is in the header.
    let both = not_before.replacen("DTM*002*19971219~", "DTM*010*19971216~", 1);
    assert_eq!(ship_at(&both).as_deref(), Some("1997-12-16"));
}

#[test]
fn po850_one_line_transaction_set() {
    let Some(msgs) = docs("x12", "850_stupidedi_x357_mixed-lines.edi") else {
        return;
    };
    let o = order(&msgs[0]);
    assert_eq!(
        (o.order_id.as_str(), o.ordered_at.as_deref()),
        ("508517", Some("2000-05-06"))
    );
    assert_eq!(
        o.references.get("release_number").map(String::as_str),
        Some("1001")
    );
    assert_eq!(
        (o.lines[0].quantity.as_str(), o.lines[0].total.as_deref()),
        ("48", Some("144.00"))
    );
    assert_eq!(o.totals.total.as_deref(), Some("144.00"));
}

#[test]
fn ack855_line_statuses_and_schedule() {
    let Some(msgs) = docs("x12", "855_nodex12.edi") else {
        return;
    };
    assert_eq!(
        (msgs[0].kind.as_str(), msgs[0].correlation_id.as_str()),
        ("order.acknowledged", "x12:POTEST1112")
    );
    let a: OrderAck = msgs[0].payload_json().expect("ack");
    assert_eq!(
        (
            a.ack_type.as_str(),
            a.ack_code.as_deref(),
            a.purpose.as_deref()
        ),
        ("accepted", Some("AD"), Some("original"))
    );
    assert_eq!(
        (
            a.ordered_at.as_deref(),
            a.acknowledged_at.as_deref(),
            a.currency.as_deref()
        ),
        (Some("2020-10-15"), Some("2020-10-15"), Some("USD"))
    );
    let st: Vec<(&str, &str, Option<&str>)> = a
        .lines
        .iter()
        .map(|l| (l.line_id.as_str(), l.status.as_str(), l.quantity.as_deref()))
        .collect();
    assert_eq!(
        st,
        [
            ("1", "accepted", Some("3")),
            ("2", "rejected", Some("0")),
            ("3", "rejected", Some("0")),
            ("4", "accepted", Some("2"))
        ]
    );
    assert_eq!(
        (
            a.lines[1].item.gtin.as_deref(),
            a.lines[1].unit_price.as_deref()
        ),
        (Some("9780767928427"), Some("15.99"))
    );
    assert_eq!(a.lines[1].scheduled_date.as_deref(), Some("2007-10-09"));
    assert_eq!(
        a.parties[0].address.as_ref().map(|x| x.address_lines.len()),
        Some(3)
    );
}

#[test]
fn ack855_two_sets_and_seller_order_number() {
    let Some(msgs) = docs("x12", "855_oopfactory_ssimmons.edi") else {
        return;
    };
    let a: OrderAck = msgs[0].payload_json().expect("ack");
    let b: OrderAck = msgs[1].payload_json().expect("ack");
    assert_eq!(
        (a.order_id.as_str(), a.ack_id.as_deref()),
        ("7542", Some("83517234"))
    );
    assert_eq!(
        (b.order_id.as_str(), b.ack_id.as_deref()),
        ("99035", Some("83517334"))
    );
    assert_eq!(a.lines.len(), 2);
    assert_eq!(
        (
            a.lines[1].line_id.as_str(),
            a.lines[1].unit_price.as_deref()
        ),
        ("200", Some("23500.00"))
    );
    assert_eq!(
        (
            a.lines[1].item.buyer_part.as_deref(),
            a.lines[1].item.vendor_part.as_deref()
        ),
        (Some("1528451M"), Some("51528451"))
    );
    let Some(msgs) = docs("x12", "855_staedi_two-sets-one-group.edi") else {
        return;
    };
    let a: OrderAck = msgs[1].payload_json().expect("ack");
    assert_eq!(
        (
            a.order_id.as_str(),
            a.ack_type.as_str(),
            a.purpose.as_deref()
        ),
        ("ORDER2", "accepted_with_changes", None)
    );
    assert!(a.lines.is_empty());
}

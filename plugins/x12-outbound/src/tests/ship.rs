//! 856 from the values of `856_oopfactory_gregarican_vics.edi`.

use serde_json::json;

use super::{configure, fails, run, text};

/// The VICS ship notice of `856_oopfactory_gregarican_vics.edi` as a
/// canonical document.
pub(crate) fn vics_521649209219() -> serde_json::Value {
    json!({
        "schema": "weft.shipment/1",
        "shipment_id": "521649209219",
        "channel": "x12",
        "correlation_id": "x12:SO/VINCE1",
        "purpose": "original",
        "order_refs": ["SO/VINCE1"],
        "created_at": "2012-05-15T08:51:00-04:00",
        "shipped_at": "2012-05-10",
        "carrier": {"code": "FED2", "name": "FEDX 2 DAY", "mode": "M"},
        "tracking": ["521649209219"],
        "parties": [
            {"role": "ship_to", "id": "004", "id_qualifier": "92"},
            {"role": "ship_from", "id": "12345", "id_qualifier": "92", "address": {"name": "DAVID YURMAN ENTERPR"}}
        ],
        "package_count": "1",
        "weight": {"value": "1", "unit": "LB"},
        "packages": [
            {"package_id": "00007121610006156802", "items": [
                {"gtin": "883932284904", "sku": "R08916DSSDDBDI7", "quantity": "1", "uom": "EA",
                 "ordered_quantity": "1", "order_id": "SO/VINCE1"}
            ]}
        ],
        "references": {"bill_of_lading": "521649209219", "pro_number": "521649209219"}
    })
}

fn vics_envelope() {
    configure(
        &[
            ("sender_id", "2125931122"),
            ("sender_qualifier", "12"),
            ("receiver_id", "6143364545"),
            ("receiver_qualifier", "12"),
            ("segment_terminator", "~\n"),
        ],
        5,
        5,
    );
}

#[test]
fn vics_ship_notice_has_the_shipment_order_pack_item_tree() {
    vics_envelope();
    let out = run("shipment.dispatched", &vics_521649209219());
    assert_eq!(
        out.header("weft-file-name"),
        Some("856_6143364545_000000005.edi")
    );
    assert_eq!(out.correlation_id, "x12:SO/VINCE1");
    assert_eq!(
        text(&out),
        "ISA*00*          *00*          *12*2125931122     *12*6143364545     *120515*0851*U*00401*000000005*0*P*>~\n\
         GS*SH*2125931122*6143364545*20120515*0851*5*X*004010~\n\
         ST*856*0001~\n\
         BSN*00*521649209219*20120515*0851*0001~\n\
         HL*1**S~\n\
         TD1**1****G*1*LB~\n\
         TD5**2*FED2*M*FEDX 2 DAY~\n\
         REF*BM*521649209219~\n\
         REF*CN*521649209219~\n\
         DTM*011*20120510~\n\
         N1*ST**92*004~\n\
         N1*SF*DAVID YURMAN ENTERPR*92*12345~\n\
         HL*2*1*O~\n\
         PRF*SO/VINCE1~\n\
         HL*3*2*P~\n\
         MAN*GM*00007121610006156802~\n\
         HL*4*3*I~\n\
         LIN**SK*R08916DSSDDBDI7*UP*883932284904~\n\
         SN1**1*EA**1*EA~\n\
         CTT*4~\n\
         SE*19*0001~\n\
         GE*1*5~\n\
         IEA*1*000000005~\n"
    );
}

#[test]
fn unpacked_items_of_two_orders_hang_under_their_orders() {
    vics_envelope();
    let mut doc = vics_521649209219();
    doc["created_at"] = serde_json::Value::Null;
    doc["order_refs"] = json!(["PO-1", "PO-2"]);
    doc["carrier"] = json!({"code": "UPSN", "service": "ND"});
    doc["ship_to"] = json!({"name": "Store 12", "address_lines": ["1 Main St", "Dock 4", "Door 2"],
                            "city": "Columbus", "region": "OH", "postal_code": "43215", "country": "US"});
    doc["expected_at"] = json!("2012-05-12T17:00:00Z");
    doc["weight"] = serde_json::Value::Null;
    doc["packages"] = json!([{"items": [
        {"line_id": "1", "buyer_part": "B-1", "quantity": "2", "uom": "EA", "order_id": "PO-2"},
        {"line_id": "2", "vendor_part": "V-9", "quantity": "1.5", "uom": "LB", "order_id": "PO-1"}
    ]}]);
    let t = text(&run("shipment.dispatched", &doc));
    let body: Vec<&str> = t.lines().skip(3).collect();
    assert_eq!(
        body,
        [
            "BSN*00*521649209219*20120510*0000*0004~",
            "HL*1**S~",
            "TD1**1~",
            "TD5**2*UPSN*********ND~",
            "REF*BM*521649209219~",
            "REF*CN*521649209219~",
            "DTM*011*20120510~",
            "DTM*017*20120512*1700~",
            "N1*ST*Store 12*92*004~",
            "N3*1 Main St*Dock 4~",
            "N3*Door 2~",
            "N4*Columbus*OH*43215*US~",
            "N1*SF*DAVID YURMAN ENTERPR*92*12345~",
            "HL*2*1*O~",
            "PRF*PO-1~",
            "HL*3*2*I~",
            "LIN*2*VP*V-9~",
            "SN1**1.5*LB~",
            "HL*4*1*O~",
            "PRF*PO-2~",
            "HL*5*4*I~",
            "LIN*1*BP*B-1~",
            "SN1**2*EA~",
            "CTT*5~",
            "SE*26*0001~",
            "GE*1*5~",
            "IEA*1*000000005~",
        ]
    );
}

#[test]
fn an_item_without_order_in_a_multi_order_shipment_fails() {
    vics_envelope();
    let mut doc = vics_521649209219();
    doc["order_refs"] = json!(["PO-1", "PO-2"]);
    doc["packages"][0]["items"][0]["order_id"] = serde_json::Value::Null;
    let reason = fails("shipment.dispatched", &doc);
    assert!(
        reason.contains("packages[0].items[0].order_id is missing"),
        "{reason}"
    );
    let mut doc = vics_521649209219();
    doc["created_at"] = serde_json::Value::Null;
    doc["shipped_at"] = serde_json::Value::Null;
    let reason = fails("shipment.dispatched", &doc);
    assert!(
        reason.contains("created_at and shipped_at are both missing"),
        "{reason}"
    );
}

#[test]
fn shipper_and_ship_from_keep_their_own_codes() {
    vics_envelope();
    let mut doc = vics_521649209219();
    // As `856_nodex12_004060.edi` has them: N1*SH and N1*SF, one address
    // for the document's ship_from.
    doc["ship_from"] = json!({"name": "DAVID YURMAN ENTERPR", "city": "NEW YORK"});
    doc["parties"] = json!([
        {"role": "shipper", "address": {"name": "1 EDI SOURCE"}},
        {"role": "ship_from", "id": "12345", "id_qualifier": "92", "address": {"name": "DAVID YURMAN ENTERPR", "city": "NEW YORK"}},
        {"role": "ship_from", "address": {"name": "SECOND DOCK"}}
    ]);
    let t = text(&run("shipment.dispatched", &doc));
    let n1: Vec<&str> = t.lines().filter(|l| l.starts_with("N1*")).collect();
    assert_eq!(
        n1,
        [
            "N1*SH*1 EDI SOURCE~",
            "N1*SF*DAVID YURMAN ENTERPR*92*12345~",
            "N1*SF*SECOND DOCK~",
        ],
        "a second ship-from is not turned into the shipper"
    );
}

#[test]
fn fob_code_kept_in_source_is_written_back() {
    vics_envelope();
    let mut doc = vics_521649209219();
    doc["source"] = json!({"fob": "PP"});
    let t = text(&run("shipment.dispatched", &doc));
    assert!(t.contains("DTM*011*20120510~\nFOB*PP~\nN1*ST*"), "{t}");
    doc["source"] = json!({"fob": "P*P"});
    let t = text(&run("shipment.dispatched", &doc));
    assert!(!t.contains("FOB"), "{t}");
}

#[test]
fn item_ids_without_a_field_go_out_as_their_own_qualifiers() {
    vics_envelope();
    let mut doc = vics_521649209219();
    doc["packages"][0]["items"][0]["attributes"] =
        json!({"id_mg": "1234123232", "id_mg_2": "99", "id_zzz1": "skipped", "note": "skipped"});
    let out = run("shipment.dispatched", &doc);
    assert!(
        text(&out).contains("LIN**SK*R08916DSSDDBDI7*UP*883932284904*MG*1234123232*MG*99~"),
        "{}",
        text(&out)
    );
}

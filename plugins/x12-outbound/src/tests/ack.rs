//! 855 from the values of `855_oopfactory_ssimmons.edi` (set 0001).

use serde_json::json;

use super::{configure, run, text};

/// The first acknowledgement of `855_oopfactory_ssimmons.edi` as a
/// canonical document.
pub(crate) fn ssimmons_7542() -> serde_json::Value {
    json!({
        "schema": "weft.order_ack/1",
        "order_id": "7542",
        "channel": "x12",
        "correlation_id": "x12:7542",
        "ack_id": "83517234",
        "ack_type": "accepted",
        "ack_code": "AD",
        "purpose": "original",
        "acknowledged_at": "2011-09-28",
        "ordered_at": "2011-09-28",
        "parties": [
            {"role": "ship_to", "id": "123", "id_qualifier": "92", "address": {"name": "SLEEP TRAIN"}},
            {"role": "OB", "id": "09959400", "id_qualifier": "92"}
        ],
        "lines": [
            {"line_id": "100", "buyer_part": "4620451B", "vendor_part": "64620451",
             "ordered_quantity": "1", "quantity": "1", "uom": "EA", "unit_price": "7700", "status": "accepted"},
            {"line_id": "200", "buyer_part": "1528451M", "vendor_part": "51528451",
             "ordered_quantity": "1", "quantity": "1", "uom": "EA", "unit_price": "23500", "status": "accepted"}
        ]
    })
}

/// The envelope of `855_oopfactory_ssimmons.edi` (receiver `1234567890`),
/// the next ISA13 `isa` and GS06 `gs`.
pub(crate) fn ssimmons_envelope(isa: u64, gs: u64) {
    configure(
        &[
            ("sender_id", "121792154"),
            ("sender_qualifier", "01"),
            ("receiver_id", "1234567890"),
            ("receiver_qualifier", "12"),
            ("segment_terminator", "~\n"),
        ],
        isa,
        gs,
    );
}

#[test]
fn ssimmons_ack_is_written_segment_by_segment() {
    ssimmons_envelope(76417, 76417);
    let out = run("order.acknowledged", &ssimmons_7542());
    assert_eq!(out.kind, "file");
    assert_eq!(out.content_type, "application/edi-x12");
    assert_eq!(out.id, "in-1/x12-855");
    assert_eq!(out.correlation_id, "x12:7542");
    assert_eq!(
        out.header("weft-file-name"),
        Some("855_1234567890_000076417.edi")
    );
    assert_eq!(out.header("weft-ack-key"), Some("x12:1234567890:76417"));
    assert_eq!(out.header("weft-ack-document"), Some("X12 855"));
    assert_eq!(
        text(&out),
        "ISA*00*          *00*          *01*121792154      *12*1234567890     *110928*0000*U*00401*000076417*0*P*>~\n\
         GS*PR*121792154*1234567890*20110928*0000*76417*X*004010~\n\
         ST*855*0001~\n\
         BAK*00*AD*7542*20110928****83517234*20110928~\n\
         N1*ST*SLEEP TRAIN*92*123~\n\
         N1*OB**92*09959400~\n\
         PO1*100*1*EA*7700*PE*BP*4620451B*VP*64620451~\n\
         ACK*IA*1*EA~\n\
         PO1*200*1*EA*23500*PE*BP*1528451M*VP*51528451~\n\
         ACK*IA*1*EA~\n\
         CTT*2*2~\n\
         SE*10*0001~\n\
         GE*1*76417~\n\
         IEA*1*000076417~\n"
    );
}

#[test]
fn isa_is_fixed_width_and_counters_advance() {
    ssimmons_envelope(1, 7);
    host_defaults_terminator();
    let first = text(&run("order.acknowledged", &ssimmons_7542()));
    let isa = first.split('~').next().unwrap_or_default();
    assert_eq!(isa.len(), 105, "{isa}");
    assert_eq!(first.as_bytes().get(105), Some(&b'~'));
    assert!(first.contains("GS*PR*121792154*1234567890*20110928*0000*7*X*004010~"));
    let second = run("order.acknowledged", &ssimmons_7542());
    assert_eq!(
        second.header("weft-file-name"),
        Some("855_1234567890_000000002.edi")
    );
    assert!(
        text(&second).ends_with("GE*1*8~IEA*1*000000002~"),
        "{}",
        text(&second)
    );
}

fn host_defaults_terminator() {
    weft_sdk::host::set_config("segment_terminator", None);
}

#[test]
fn statuses_changes_schedule_currency_and_time() {
    ssimmons_envelope(5, 5);
    let mut doc = ssimmons_7542();
    doc["ack_type"] = json!("accepted_with_changes");
    doc["ack_code"] = serde_json::Value::Null;
    doc["acknowledged_at"] = json!("2020-10-15T15:34:00-04:00");
    doc["ordered_at"] = serde_json::Value::Null;
    doc["currency"] = json!("USD");
    doc["references"] = json!({"po_number": "7542", "vendor_order": "60169126"});
    doc["lines"] = json!([
        {"line_id": "1", "gtin": "9780446360265", "ordered_quantity": "3", "quantity": "3", "uom": "UN",
         "unit_price": "4.50", "status": "backordered", "scheduled_date": "2004-12-31"},
        {"line_id": "2", "gtin": "9780767928427", "ordered_quantity": "2", "quantity": "0", "uom": "UN",
         "unit_price": "15.99", "status": "rejected", "status_code": "IR"},
        {"line_id": "3", "sku": "X-1", "quantity": "1.5", "status": "changed"}
    ]);
    let t = text(&run("order.acknowledged", &doc));
    let body: Vec<&str> = t.lines().skip(3).take(9).collect();
    assert_eq!(
        body,
        [
            "BAK*00*AC*7542*20201015****83517234*20201015~",
            "CUR*SE*USD~",
            "REF*VN*60169126~",
            "N1*ST*SLEEP TRAIN*92*123~",
            "N1*OB**92*09959400~",
            "PO1*1*3*UN*4.50*PE*EN*9780446360265~",
            "ACK*IB*3*UN*068*20041231~",
            "PO1*2*2*UN*15.99*PE*EN*9780767928427~",
            "ACK*IR*0*UN~",
        ]
    );
    assert!(
        t.contains("\nPO1*3*1.5****SK*X-1~\nACK*IC*1.5~\nCTT*3*6.5~\nSE*14*0001~\n"),
        "{t}"
    );
    assert!(t.starts_with(
        "ISA*00*          *00*          *01*121792154      *12*1234567890     *201015*1534*U*"
    ));
    assert!(t.contains("\nGS*PR*121792154*1234567890*20201015*1534*5*X*004010~\n"));
}

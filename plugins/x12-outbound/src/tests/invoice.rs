//! 810 from the values of `810_oopfactory_sleepcountry.edi`.

use serde_json::json;

use super::{configure, fails, run, text};

/// The invoice of `810_oopfactory_sleepcountry.edi` as a canonical
/// document.
pub(crate) fn sleepcountry_3323399() -> serde_json::Value {
    let line = |n: &str, qty: &str, price: &str, item: &str, total: &str| {
        json!({"line_id": n, "sku": item, "vendor_part": item, "quantity": qty, "uom": "EA",
               "unit_price": price, "total": total})
    };
    let mut last = line("7", "5", "175", "21520150", "875");
    last["charges"] = json!([{"kind": "charge", "code": "D240", "amount": "0"}]);
    json!({
        "schema": "weft.invoice/1",
        "invoice_id": "3323399",
        "channel": "x12",
        "correlation_id": "x12:981903",
        "invoice_date": "2011-10-31",
        "order_refs": ["981903"],
        "parties": [
            {"role": "ship_to", "id": "334", "id_qualifier": "92", "address": {
                "name": "SLEEP COUNTRY - KENT-edi", "address_lines": ["LOC 334 - KENT", "6705 SOUTH 209TH ST"],
                "city": "KENT", "region": "WA", "postal_code": "98032"}},
            {"role": "remit_to", "address": {"name": "Tempur-Pedic", "address_lines": ["PO BOX 202707"],
                "city": "DALLAS", "region": "TX", "postal_code": "75320-2707"}}
        ],
        "lines": [
            line("1", "11", "1305", "10190150", "14355"),
            line("2", "8", "767", "10235150", "6136"),
            line("3", "12", "1196", "10240150", "14352"),
            line("4", "6", "1800", "10245170", "10800"),
            line("5", "8", "930", "10250150", "7440"),
            line("6", "20", "120", "21520120", "2400"),
            last
        ],
        "charges": [],
        "totals": {"total": "56358.00"},
        "references": {"vendor_number": "vendornumber?"}
    })
}

fn sleepcountry_envelope() {
    configure(
        &[
            ("sender_id", "XXXXXXXX4T"),
            ("receiver_id", "XXXXXXXXXFTP"),
            ("receiver_qualifier", "12"),
            ("usage", "T"),
            ("component_separator", ":"),
            ("segment_terminator", "~\n"),
        ],
        810000163,
        163,
    );
}

#[test]
fn sleepcountry_invoice_totals_in_implied_cents() {
    sleepcountry_envelope();
    let out = run("invoice.posted", &sleepcountry_3323399());
    assert_eq!(
        out.header("weft-file-name"),
        Some("810_XXXXXXXXXFTP_810000163.edi")
    );
    assert_eq!(
        text(&out),
        "ISA*00*          *00*          *ZZ*XXXXXXXX4T     *12*XXXXXXXXXFTP   *111031*0000*U*00401*810000163*0*T*:~\n\
         GS*IN*XXXXXXXX4T*XXXXXXXXXFTP*20111031*0000*163*X*004010~\n\
         ST*810*0001~\n\
         BIG*20111031*3323399**981903~\n\
         REF*IA*vendornumber?~\n\
         N1*ST*SLEEP COUNTRY - KENT-edi*92*334~\n\
         N3*LOC 334 - KENT*6705 SOUTH 209TH ST~\n\
         N4*KENT*WA*98032~\n\
         N1*RI*Tempur-Pedic~\n\
         N3*PO BOX 202707~\n\
         N4*DALLAS*TX*75320-2707~\n\
         IT1*1*11*EA*1305**VP*10190150*SK*10190150~\n\
         IT1*2*8*EA*767**VP*10235150*SK*10235150~\n\
         IT1*3*12*EA*1196**VP*10240150*SK*10240150~\n\
         IT1*4*6*EA*1800**VP*10245170*SK*10245170~\n\
         IT1*5*8*EA*930**VP*10250150*SK*10250150~\n\
         IT1*6*20*EA*120**VP*21520120*SK*21520120~\n\
         IT1*7*5*EA*175**VP*21520150*SK*21520150~\n\
         SAC*C*D240***0~\n\
         TDS*5635800~\n\
         CTT*7~\n\
         SE*20*0001~\n\
         GE*1*163~\n\
         IEA*1*810000163~\n"
    );
}

#[test]
fn credit_memo_terms_tax_descriptions_and_allowances() {
    sleepcountry_envelope();
    let mut doc = sleepcountry_3323399();
    doc["purpose"] = json!("credit");
    doc["currency"] = json!("USD");
    doc["order_refs"] = json!(["981903", "981904"]);
    doc["bill_to"] = json!({"company": "Sleep Country USA", "city": "Kent", "region": "WA"});
    doc["terms"] = json!({"code": "08", "discount_percent": "2", "discount_days": "10", "net_days": "30",
                          "description": "2% 10 NET 30"});
    doc["lines"] = json!([{"line_id": "1", "gtin": "012345678905", "description": "QUEEN MATTRESS",
        "quantity": "-1", "uom": "EA", "unit_price": "1305.50",
        "charges": [{"kind": "allowance", "code": "C310", "percent": "5", "amount": "65.28", "description": "promo"}]}]);
    doc["charges"] = json!([{"kind": "charge", "amount": "12.5"}]);
    doc["totals"] = json!({"total": "-1252.72", "tax": "0.00"});
    let t = text(&run("invoice.posted", &doc));
    let body: Vec<&str> = t.lines().skip(3).collect();
    assert_eq!(
        body,
        [
            "BIG*20111031*3323399**981903***CR~",
            "CUR*SE*USD~",
            "REF*PO*981904~",
            "REF*IA*vendornumber?~",
            "N1*ST*SLEEP COUNTRY - KENT-edi*92*334~",
            "N3*LOC 334 - KENT*6705 SOUTH 209TH ST~",
            "N4*KENT*WA*98032~",
            "N1*RI*Tempur-Pedic~",
            "N3*PO BOX 202707~",
            "N4*DALLAS*TX*75320-2707~",
            "N1*BT*Sleep Country USA~",
            "N4*Kent*WA~",
            "ITD*08**2**10**30*****2% 10 NET 30~",
            "IT1*1*-1*EA*1305.50**UP*012345678905~",
            "PID*F****QUEEN MATTRESS~",
            "SAC*A*C310***6528*3*5********promo~",
            "TDS*-125272~",
            "TXI*TX*0.00~",
            "SAC*C*ZZZZ***1250~",
            "CTT*1~",
            "SE*22*0001~",
            "GE*1*163~",
            "IEA*1*810000163~",
        ]
    );
}

#[test]
fn fractions_of_a_cent_and_missing_total_fail() {
    sleepcountry_envelope();
    let mut doc = sleepcountry_3323399();
    doc["totals"]["total"] = json!("56358.005");
    let reason = fails("invoice.posted", &doc);
    assert!(
        reason.starts_with("totals.total: `56358.005` has fractions of a cent"),
        "{reason}"
    );
    doc["totals"] = json!({});
    let reason = fails("invoice.posted", &doc);
    assert!(reason.contains("totals.total is missing"), "{reason}");
    let mut doc = sleepcountry_3323399();
    doc["invoice_date"] = serde_json::Value::Null;
    assert!(fails("invoice.posted", &doc).contains("invoice_date is missing"));
}

#[test]
fn po_date_and_ship_date_kept_in_source_are_written_back() {
    sleepcountry_envelope();
    let mut doc = sleepcountry_3323399();
    // What the `x12` source keeps from BIG03 and DTM*011 of the real file.
    doc["source"] = json!({"standard": "x12", "po_date": "2011-09-14", "shipped_at": "2011-10-31"});
    let t = text(&run("invoice.posted", &doc));
    assert!(t.contains("BIG*20111031*3323399*20110914*981903~\n"), "{t}");
    assert!(
        t.contains("N4*DALLAS*TX*75320-2707~\nDTM*011*20111031~\nIT1*1*"),
        "{t}"
    );
    // A value that is not a date is a hint to skip, not an error.
    doc["source"] = json!({"po_date": "14/09/2011", "shipped_at": 20111031});
    let t = text(&run("invoice.posted", &doc));
    assert!(t.contains("BIG*20111031*3323399**981903~\n"), "{t}");
    assert!(!t.contains("DTM*011"), "{t}");
}

//! The 820 remittance, 180 return authorisation and 857 shipment and
//! billing notice mappings on the real files, value by value.

use super::*;
use serde_json::json;
use weft_sdk::credit::Credit;
use weft_sdk::invoice::Invoice;
use weft_sdk::payment::Payment;
use weft_sdk::returns::Return;
use weft_sdk::shipment::Shipment;

fn docs(dir: &str, name: &str) -> Option<Vec<Message>> {
    let bytes = file(dir, name)?;
    Some(run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn edit(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8_lossy(bytes).into_owned();
    assert!(s.contains(from), "{from}");
    s.replacen(from, to, 1).into_bytes()
}

fn payments(msgs: &[Message]) -> Vec<Payment> {
    msgs.iter()
        .filter(|m| m.kind == "payment.received")
        .map(|m| m.payload_json().expect("payment"))
        .collect()
}

#[test]
fn pay820_one_payment_per_invoice_summing_to_bpr02() {
    let Some(msgs) = docs("x12", "820_edinet_mart-remittance_newline-term.edi") else {
        return;
    };
    let ps = payments(&msgs);
    assert_eq!(ps.len(), 7);
    assert_eq!(msgs.len(), 8, "7 payments and the 997");
    let sum = weft_sdk::money::sum(ps.iter().map(|p| p.amount.as_str()));
    assert_eq!(
        sum.map(weft_sdk::money::money_str).as_deref(),
        Some("21298.97")
    );
    let p = &ps[0];
    assert_eq!(
        (
            p.payment_id.as_str(),
            p.correlation_id.as_str(),
            p.order_id.as_deref(),
            p.amount.as_str(),
            p.currency.as_deref(),
            p.method.as_deref(),
            p.reference.as_deref(),
            p.paid_at.as_str(),
        ),
        (
            "4529952:26801",
            "x12:1016071221",
            Some("1016071221"),
            "4408.75",
            Some("USD"),
            Some("check"),
            Some("4529952"),
            "2019-10-29"
        )
    );
    assert_eq!(p.order_refs, ["1016071221", "26801"]);
    // RMR*IV*26801*PO*4408.75*4650.41*97.9, ADX*-143.76*59*CM*26801: the
    // net amount already has the adjustment; it keeps its sign.
    let line = &p.source["remittance_line"];
    assert_eq!(
        (&line["net"], &line["gross"], &line["discount"]),
        (&json!("4408.75"), &json!("4650.41"), &json!("97.90"))
    );
    assert_eq!(p.source["adjustments"][0]["amount"], "-143.76");
    assert_eq!(p.source["adjustments"][0]["reason_code"], "59");
    assert_eq!(p.source["remittance_unapplied"], "0.00");
    assert_eq!(
        msgs[0].id,
        format!("{}:1", msgs[0].id.trim_end_matches(":1"))
    );
    assert!(msgs[0]
        .id
        .starts_with("x12:TPTESTUS00:820101047:820101047:101053:"));
    assert_ne!(msgs[0].id, msgs[1].id);
}

#[test]
fn pay820_remittance_adjustments_keep_their_sign() {
    let Some(msgs) = docs("x12", "820_oopfactory_safeway_adx-adjustments.edi") else {
        return;
    };
    let ps = payments(&msgs);
    let amounts: Vec<&str> = ps.iter().map(|p| p.amount.as_str()).collect();
    assert_eq!(
        amounts,
        [
            "20430.34",
            "20888.50",
            "99701.80",
            "17380.29",
            "4153.00",
            "286308.83"
        ]
    );
    // Two invoices of PO 555555555: one order, two payments.
    assert_eq!(
        (ps[4].correlation_id.as_str(), ps[5].correlation_id.as_str()),
        ("x12:555555555", "x12:555555555")
    );
    assert_ne!(ps[4].payment_id, ps[5].payment_id);
    let p = &ps[0];
    assert_eq!(
        (
            p.method.as_deref(),
            p.paid_at.as_str(),
            p.currency.as_deref()
        ),
        (Some("bank_transfer"), "2005-10-20", None)
    );
    let adx: Vec<&str> = p.source["remittance_adjustments"]
        .as_array()
        .expect("adjustments")
        .iter()
        .filter_map(|a| a["amount"].as_str())
        .collect();
    assert_eq!(adx, ["-13676.81", "-18200.00", "-892.80", "210.00"]);
    // BPR02 416093.15 − Σ RMR04 448862.76.
    assert_eq!(p.source["remittance_amount"], "416093.15");
    assert_eq!(p.source["remittance_unapplied"], "-32769.61");
}

/// The Home Depot 820 template is refused by its envelope (GS06 is
/// `44 (Group Control Number)`); with the GS06 repaired at test time its
/// placeholder amount and then its placeholder date reject the set,
/// naming the element, in the document and in the 997.
#[test]
fn pay820_template_placeholders_are_refused() {
    let Some(bytes) = file(
        "x12-malformed",
        "820_oopfactory_homedepot_template-placeholders.edi",
    ) else {
        return;
    };
    assert_eq!(
        run(&bytes).expect_err("refused"),
        "segment 2 (GS): malformed functional group header: GS06 `44 (Group Control Number)` is not a numeric group control number"
    );
    let repaired = edit(&bytes, "*44 (Group Control Number)*", "*44*");
    let msgs = run(&repaired).expect("envelope ok");
    assert_eq!(msgs[0].kind, "x12.rejected");
    let v = json(&msgs[0]);
    assert_eq!(
        v["reason"],
        "segment 4 (BPR): BPR02 (monetary amount) `TOTAL DOLLAR AMT OF CHECK` is not a number"
    );
    let ack = String::from_utf8_lossy(&msgs[1].payload).into_owned();
    assert!(
        ack.contains("AK3*BPR*2**8~") && ack.contains("AK4*2**6*TOTAL DOLLAR AMT OF CHECK~"),
        "{ack}"
    );
    let amount = edit(
        &repaired,
        "BPR*I*TOTAL DOLLAR AMT OF CHECK*",
        "BPR*I*100.00*",
    );
    let v = json(&run(&amount).expect("envelope ok")[0]);
    assert_eq!(
        v["reason"],
        "segment 8 (DTM): DTM02 (date) `CCYYMMDD` is not a valid date"
    );
}

#[test]
fn ret180_is_an_authorisation_with_its_lines() {
    let Some(msgs) = docs("x12", "180_oopfactory_easistandards_b-for-blank-isa.edi") else {
        return;
    };
    assert_eq!(msgs[0].kind, "return.authorized");
    let r: Return = msgs[0].payload_json().expect("return");
    assert_eq!(
        (
            r.return_id.as_str(),
            r.order_id.as_str(),
            r.correlation_id.as_str(),
            r.status.as_deref(),
            r.authorized_at.as_deref(),
            r.returned_at.as_deref(),
        ),
        (
            "04360132310",
            "123456789",
            "x12:123456789",
            Some("authorized"),
            Some("2004-01-06"),
            None
        )
    );
    // BLI*IN*12345670000*1*EA*UCP*25.75, RDR*CR*DR.
    let l = &r.lines[0];
    assert_eq!(
        (
            l.item.buyer_part.as_deref(),
            l.quantity.as_str(),
            l.reason.as_deref(),
            l.amount.as_deref()
        ),
        (Some("12345670000"), "1", Some("CR"), None)
    );
    assert_eq!(r.source["lines"][0]["unit_price"], "25.75");
    assert_eq!(r.source["lines"][0]["disposition_code"], "DR");
    assert_eq!(r.source["po_date"], "2003-12-15");
    assert_eq!(
        r.references.get("vendor_number").map(String::as_str),
        Some("123456")
    );

    let Some(msgs) = docs(
        "x12-lenient",
        "180_oopfactory_lowes_curly-apostrophe-isa08_backslash-term.edi",
    ) else {
        return;
    };
    let r: Return = msgs[0].payload_json().expect("return");
    // No header PRF: the line's PRF*0123456789 names the order.
    assert_eq!(
        (r.return_id.as_str(), r.order_id.as_str()),
        ("123401", "0123456789")
    );
    let l = &r.lines[0];
    assert_eq!(
        (
            l.item.buyer_part.as_deref(),
            l.quantity.as_str(),
            l.reason.as_deref()
        ),
        (Some("CM_999_99999999999"), "12", Some("KA"))
    );
    assert_eq!(
        r.source["lines"][0]["description"],
        "FREE-FORM ITEM DESCRIPTION"
    );
    assert!(msgs[0]
        .header("x12-warnings")
        .is_some_and(|w| w.contains("U+2019")));
}

#[test]
fn sbn857_is_a_shipment_and_an_invoice_and_its_credit() {
    let Some(msgs) = docs("x12", "857_oopfactory_kroger_ship-and-bill.edi") else {
        return;
    };
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["shipment.dispatched", "invoice.posted", "x12.997"]);
    let s: Shipment = msgs[0].payload_json().expect("shipment");
    let inv: Invoice = msgs[1].payload_json().expect("invoice");
    assert_eq!(
        (s.shipment_id.as_str(), inv.invoice_id.as_str()),
        ("TESTASN0001", "TESTASN0001")
    );
    assert_eq!(
        (s.correlation_id.as_str(), inv.correlation_id.as_str()),
        ("x12:shipment:TESTASN0001", "x12:shipment:TESTASN0001")
    );
    assert_eq!(s.expected_at.as_deref(), Some("2007-08-16"));
    let pkg = &s.packages[0];
    assert_eq!(pkg.package_id.as_deref(), Some("100123456789000000"));
    assert_eq!(
        (
            pkg.items[0].quantity.as_str(),
            pkg.items[0].item.gtin.as_deref()
        ),
        ("40", Some("001200080994"))
    );
    // TDS*46400 (implied decimals); IT1 40 × 13.00; SAC08 rate -.62 × 40.
    assert_eq!(
        (
            inv.totals.total.as_deref(),
            inv.totals.subtotal.as_deref(),
            inv.totals.allowances.as_deref()
        ),
        (Some("464.00"), Some("520.00"), Some("24.80"))
    );
    assert_eq!(
        inv.lines[0].description.as_deref(),
        Some("XYZ - COLA FRIDGE PACK")
    );

    let Some(credit) = docs(
        "x12",
        "857_oopfactory_kroger_credit-return_negative-tds.edi",
    ) else {
        return;
    };
    let kinds: Vec<&str> = credit.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["credit.issued", "x12.997"]);
    let c: Credit = credit[0].payload_json().expect("credit");
    assert_eq!(
        (
            c.credit_id.as_str(),
            c.amount.as_str(),
            c.issued_at.as_str(),
            c.correlation_id.as_str()
        ),
        (
            "TESTASN0001",
            "464.00",
            "2007-08-15",
            "x12:shipment:TESTASN0001"
        )
    );
    assert_eq!(
        (c.lines[0].quantity.as_deref(), c.lines[0].amount.as_deref()),
        (Some("40"), Some("520.00"))
    );
    // Both files carry the same ISA13/GS06/ST02: the digest keeps the ids
    // apart.
    let base = "x12:007061617bbbbbb:000007023:1225:0001:";
    assert!(msgs[0].id.starts_with(base) && credit[0].id.starts_with(base));
    assert_ne!(msgs[0].id.trim_end_matches(":shipment"), credit[0].id);
    assert!(msgs[0].id.ends_with(":shipment") && msgs[1].id.ends_with(":invoice"));
    // Their 997s too.
    assert!(msgs[2]
        .id
        .starts_with("x12:007061617bbbbbb:000007023:1225:997:"));
    assert_ne!(msgs[2].id, credit[1].id);
}

//! Business values of the real files in `shared/realdata/edifact`, checked
//! against the files by reading them, and the mappings' edge cases on
//! synthetic messages.

use serde_json::json;

use super::*;

fn one(name: &str) -> Option<(Message, Value)> {
    let input = file(name)?;
    let out = run(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(out.len(), 1, "{name}");
    let v = json(&out[0]);
    out.into_iter().next().map(|m| (m, v))
}

#[test]
fn orders_large_mojibake() {
    let Some((m, o)) = one("ORDERS_D01B_EAN010_phpedifact_large-mojibake.edi") else {
        return;
    };
    assert_eq!(m.id, "edifact:4250159300001:896:2019265563");
    assert_eq!(m.kind, "order.created");
    assert_eq!(m.correlation_id, "edifact:2019265563");
    assert_eq!(o["ordered_at"], "2018-12-05");
    assert_eq!(o["source"]["dates"]["2"], "2018-12-06");
    assert_eq!(o["customer"]["id"], "4250159300001");
    assert_eq!(o["customer"]["name"], "A+A K\u{fffd}lte GmbH");
    assert_eq!(o["customer"]["phone"], "020994125-32");
    assert_eq!(o["ship_to"]["postal_code"], "46149");
    assert_eq!(
        o["ship_to"]["address_lines"],
        json!(["Teststra\u{fffd}e 7"])
    );
    assert_eq!(o["references"]["seller_name"], "FooBar GmbH & Co. KG");
    let lines = o["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 146);
    assert_eq!(lines[0]["vendor_part"], "1001");
    assert_eq!(lines[0]["buyer_part"], "6001001");
    assert_eq!(lines[0]["quantity"], "2");
    assert_eq!(lines[0]["uom"], "GBND");
    // `?:` released inside the IMD text.
    let soup = lines
        .iter()
        .find(|l| l["vendor_part"] == "983010")
        .or_else(|| {
            lines
                .iter()
                .find(|l| l["description"].as_str().unwrap_or("").contains("1:10 und"))
        });
    assert!(soup.is_some_and(|l| l["description"]
        .as_str()
        .unwrap_or("")
        .contains("Sup 1:10 und So\u{fffd} 1:6")));
    assert_eq!(lines[145]["line_id"], "146");
    assert_eq!(lines[145]["vendor_part"], "983253");
    assert!(m
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("U+FFFD"));
}

#[test]
fn orders_with_ung_group() {
    let Some((m, o)) = one("ORDERS_D96B_EAN008_staedi_with-UNG.edi") else {
        return;
    };
    assert_eq!(m.id, "edifact:5400110000009:2722166169492:1");
    assert_eq!(o["order_id"], "C1441747");
    assert_eq!(o["ordered_at"], "2001-05-02");
    assert_eq!(o["lines"][0]["gtin"], "5400111864181");
    assert_eq!(o["lines"][0]["buyer_part"], "8641800");
    assert_eq!(o["lines"][0]["quantity"], "288");
    assert_eq!(o["lines"][0]["unit_price"], "12.80");
    assert_eq!(o["lines"][0]["total"], "3686.40");
    assert_eq!(o["references"]["seller_name"], "COMPANY ABC");
    assert_eq!(o["source"]["group_reference"], "1");
    assert_eq!(o["source"]["test"], true);
    assert!(m
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("UNT01 segment count `21` does not match the 18 segments"));
}

#[test]
fn invoice_d97b() {
    let Some((m, i)) = one("INVOIC_D97B_staedi.edi") else {
        return;
    };
    assert_eq!(m.kind, "invoice.posted");
    assert_eq!(m.correlation_id, "edifact:521052");
    assert_eq!(i["invoice_id"], "342459");
    assert_eq!(i["invoice_date"], "2006-05-15");
    assert_eq!(i["currency"], "USD");
    assert_eq!(i["order_refs"], json!(["521052"]));
    assert_eq!(
        i["parties"][1]["address"]["name"],
        "B\u{dc}TTNER WIDGET COMPANY"
    );
    assert_eq!(i["parties"][1]["id_qualifier"], "16");
    assert_eq!(i["lines"][0]["buyer_part"], "157870");
    assert_eq!(i["lines"][0]["quantity"], "1020");
    assert_eq!(i["lines"][0]["unit_price"], "1.179");
    assert_eq!(i["lines"][0]["total"], "1202.58");
    assert_eq!(i["lines"][1]["total"], "410.00");
    assert_eq!(
        i["charges"],
        json!([{"kind": "charge", "code": "ABG", "amount": "525.00"}])
    );
    assert_eq!(
        i["totals"],
        json!({"subtotal": "1612.58", "charges": "525.00", "total": "2137.58"})
    );
}

#[test]
fn invoice_decimal_comma() {
    let Some((m, i)) = one("INVOIC_D93A_staedi_una-decimal-comma.edi") else {
        return;
    };
    assert_eq!(i["invoice_id"], "9908001");
    assert_eq!(i["invoice_date"], "1999-08-02");
    assert_eq!(m.correlation_id, "edifact:O0010001");
    assert_eq!(i["parties"][0]["address"]["name"], "Fahrradhandel Pedal");
    assert_eq!(i["bill_to"]["name"], "Huber GmbH");
    assert_eq!(i["bill_to"]["city"], "M\u{fc}nchen");
    assert_eq!(i["lines"][1]["unit_price"], "19.90");
    assert_eq!(i["lines"][2]["quantity"], "3");
    assert_eq!(i["lines"][2]["unit_price"], "2.50");
    assert_eq!(i["lines"][2]["total"], "7.50");
    assert_eq!(
        i["totals"],
        json!({"subtotal": "777.40", "tax": "124.38", "total": "901.78"})
    );
    let w = m.header(crate::WARNINGS_HEADER).unwrap_or("");
    assert!(
        w.contains("segment 7 (DTM): DTM 4 (date) `19999715` is not a valid date"),
        "{w}"
    );
}

#[test]
fn desadv() {
    let Some((m, s)) = one("DESADV_D96A_phpedifact.edi") else {
        return;
    };
    assert_eq!(m.kind, "shipment.dispatched");
    assert_eq!(m.correlation_id, "edifact:6877871");
    assert_eq!(s["shipment_id"], "Y02197250");
    assert_eq!(s["shipped_at"], "2016-07-26");
    assert_eq!(s["order_refs"], json!(["6877871", "6905456"]));
    assert_eq!(s["references"]["packing_list"], "VEE0214439");
    assert_eq!(
        s["parties"][0],
        json!({"role": "supplier", "id": "1694901", "id_qualifier": "31B"})
    );
    let items = &s["packages"][0]["items"];
    assert_eq!(items[0]["gtin"], "9780738507330");
    assert_eq!(items[0]["quantity"], "1");
    assert_eq!(items[1]["gtin"], "9781568361871");
    assert_eq!(items[1]["order_id"], "6905456");
    assert!(m
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("version `0`"));
}

#[test]
fn ordrsp_single_line() {
    let Some((m, a)) = one("ORDRSP_D10A_edinet_single-line.edi") else {
        return;
    };
    assert_eq!(m.kind, "order.acknowledged");
    assert_eq!(m.correlation_id, "edifact:00001672");
    assert_eq!(a["ack_id"], "IM20U000000000CNF");
    assert_eq!(a["acknowledged_at"], "2016-03-21");
    assert_eq!(a["ordered_at"], "2015-10-23");
    assert_eq!(a["currency"], "EUR");
    assert_eq!(a["parties"][0]["address"]["phone"], "+49 123 45678 8652");
    assert_eq!(a["lines"][0]["quantity"], "1");
    assert_eq!(a["lines"][0]["unit_price"], "50.50");
    assert_eq!(a["ack_type"], "pending");
}

#[test]
fn invoice_without_bgm_is_generic() {
    let Some((m, g)) = one("INVOIC_D01B_EAN011_edinet_indented.edi") else {
        return;
    };
    assert_eq!(m.kind, crate::MESSAGE);
    assert_eq!(m.id, "edifact:6XPPC:1:12");
    assert_eq!(g["segments"].as_array().map(Vec::len), Some(102));
    assert_eq!(g["segments"][101], json!(["UNT", "13", "1"]));
    assert!(m
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("has no BGM"));
}

/// The reason of the one `edifact.rejected` output of `input` (a message
/// whose content cannot be mapped is rejected alone, not the file).
fn rejection(input: &[u8]) -> String {
    let out = run(input).unwrap_or_else(|e| panic!("the file parses: {e}"));
    let rejected: Vec<&Message> = out.iter().filter(|m| m.kind == crate::REJECTED).collect();
    assert_eq!(rejected.len(), 1, "{out:?}");
    json(rejected[0])["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn bad_messages_are_rejected_with_position() {
    if let Some(b) = file("INVOIC_D97B_staedi_bad-qualifier.edi") {
        let e = rejection(&b);
        assert!(
            e.starts_with(
                "segment 6 (NAD): NAD01 (party function code qualifier) `BYZZ` is not a valid code"
            ),
            "{e}"
        );
    }
    if let Some(b) = file("ORDERS_D01B_EAN010_phpedifact_bad-release-escaping.edi") {
        let e = run(&b).expect_err("bad escaping");
        assert!(
            e.starts_with("segment 85 (IMD): release character `?` before `*`"),
            "{e}"
        );
    }
    let base = "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+INVOIC:D:96A:UN'BGM+380+I1+9'LIN+1'QTY+47:1020A:EA'UNT+5+1'UNZ+1+1'";
    let e = rejection(base.as_bytes());
    assert!(
        e.starts_with("segment 5 (QTY): QTY01 component 2 (quantity) `1020A` is not a number"),
        "{e}"
    );
    let e = rejection(base.replace("QTY+47:1020A:EA", "PRI+INV:$1.179").as_bytes());
    assert!(e.contains("`$1.179` is not a number"), "{e}");
    let e = rejection(
        base.replace("LIN+1'QTY+47:1020A:EA", "DTM+3:20061315:102")
            .as_bytes(),
    );
    assert!(
        e.starts_with("segment 4 (DTM): DTM 3 (invoice date) `20061315` is not a valid date"),
        "{e}"
    );
    let e = rejection(base.replace("QTY+47:1020A:EA", "PRI+INV:1").as_bytes());
    assert!(
        e.starts_with("segment 4 (LIN): line 1 has no QTY 47"),
        "{e}"
    );
}

fn msg(kind: &str, body: &str) -> Value {
    let n = body.matches('\'').count() + 2;
    let input =
        format!("UNB+UNOC:3+S+R+200101:1200+1'UNH+1+{kind}:D:96A:UN'{body}UNT+{n}+1'UNZ+1+1'");
    let out = run(input.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out[0].header(crate::WARNINGS_HEADER), None, "{input}");
    json(&out[0])
}

#[test]
fn order_purposes_allowances_and_totals() {
    let cfg = Config {
        utc_offset: Some("+01:00".into()),
        ..Config::default()
    };
    let input = "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+P9+1'DTM+137:202001021530:203'UNT+4+1'UNZ+1+1'";
    let out = run_with(input.as_bytes(), &cfg).expect("cancel");
    assert_eq!(out[0].kind, "order.cancelled");
    assert_eq!(json(&out[0])["ordered_at"], "2020-01-02T15:30:00+01:00");
    let o = msg("ORDERS", "BGM+220+P9+9'NAD+IV+4012345000009::9++Bill Co+Main St 1+Town++12345+DE'CUX+2:EUR:9'LIN+1++4000862141404:EN'IMD+F++:::Thing'QTY+21:4'PRI+AAA:2.50'ALC+A'MOA+204:1'UNS+S'MOA+86:9'");
    assert_eq!(o["bill_to"]["name"], "Bill Co");
    assert_eq!(o["currency"], "EUR");
    assert_eq!(o["lines"][0]["discount"], "1.00");
    assert_eq!(o["lines"][0]["total"], "9.00");
    assert_eq!(o["totals"]["total"], "9.00");
}

#[test]
fn ack_line_statuses() {
    let a = msg("ORDRSP", "BGM+231+R1+4+AC'RFF+ON:PO7'LIN+1+5+111:SA'QTY+21:2'LIN+2+7+222:SA'QTY+21:3'QTY+113:0'LIN+3+3+333:SA'QTY+21:1'QTY+113:2'DTM+2:20200105:102'");
    assert_eq!(a["order_id"], "PO7");
    assert_eq!(a["ack_type"], "accepted_with_changes");
    assert_eq!(a["ack_code"], "AC");
    let st: Vec<&str> = a["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["status"].as_str())
        .collect();
    assert_eq!(st, ["accepted", "rejected", "changed"]);
    assert_eq!(a["lines"][2]["quantity"], "2");
    assert_eq!(a["lines"][2]["ordered_quantity"], "1");
    assert_eq!(a["lines"][2]["scheduled_date"], "2020-01-05");
}

#[test]
fn desadv_packages_carrier_and_sscc() {
    let s = msg("DESADV", "BGM+351+D1+9'DTM+17:20200103:102'RFF+ON:PO1'NAD+DP+4012345000009::9++Store'TDT+20++30++UPSN::87:UPS'MEA+PD+AAB+KGM:12.5'CPS+1'PAC+2++CT'CPS+2+1'PAC+1++CT'PCI+33E'GIN+BJ+340123450000000018'LIN+1++4000862141404:EN'QTY+12:6'CPS+3+1'GIN+BJ+340123450000000025'LIN+2++4000862141411:EN'QTY+12:4'");
    assert_eq!(s["expected_at"], "2020-01-03");
    assert_eq!(
        s["carrier"],
        json!({"code": "UPSN", "name": "UPS", "mode": "30"})
    );
    assert_eq!(s["weight"], json!({"value": "12.5", "unit": "KGM"}));
    assert_eq!(s["package_count"], "2");
    assert_eq!(s["ship_to"]["name"], "Store");
    assert_eq!(s["packages"][0]["package_id"], "340123450000000018");
    assert_eq!(s["packages"][0]["items"][0]["quantity"], "6");
    assert_eq!(s["packages"][1]["items"][0]["gtin"], "4000862141411");
    assert_eq!(s["packages"][1]["items"][0]["order_id"], "PO1");
}

#[test]
fn invoice_terms_and_credit_note() {
    let i = msg("INVOIC", "BGM+381+C1+9'DTM+137:20200101:102'PAT+1++5:3:D:30'DTM+13:20200131:102'LIN+1++X:SA'QTY+47:1'MOA+203:10'UNS+S'MOA+79:10'TAX+7+VAT+++:::19+S'MOA+124:1.90'MOA+77:11.90'");
    assert_eq!(i["purpose"], "credit");
    assert_eq!(i["correlation_id"], "edifact:C1");
    assert_eq!(
        i["terms"],
        json!({"code": "1", "net_days": "30", "due_date": "2020-01-31"})
    );
    assert_eq!(
        i["totals"],
        json!({"subtotal": "10.00", "tax": "1.90", "total": "11.90"})
    );
}

//! 997 acknowledgements and rejected sets.

use super::*;

fn text(m: &Message) -> String {
    String::from_utf8(m.payload.clone()).expect("utf-8 997")
}

fn edit(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8_lossy(bytes).into_owned();
    assert!(s.contains(from), "{from}");
    s.replacen(from, to, 1).into_bytes()
}

#[test]
fn ack997_swaps_parties_and_keeps_delimiters() {
    let Some(bytes) = file("x12", "855_nodex12.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    let ack = msgs.last().expect("997");
    assert_eq!(
        (ack.kind.as_str(), ack.content_type.as_str()),
        ("x12.997", "application/edi-x12")
    );
    assert_eq!(ack.id, "x12:1556150:000000005:5:997:d074b8c38794");
    // Our own control numbers towards the partner, from the counters
    // x12:1556150:isa and x12:1556150:gs (fresh: 1).
    assert_eq!(
        text(ack),
        "ISA*00*          *00*          *ZZ*123MILL        *ZZ*1556150        *201015*1534*U*00401*000000001*0*P*>~\n\
         GS*FA*123MILL*1556150*20201015*1534*1*X*004010~\n\
         ST*997*0001~\nAK1*PR*5~\nAK2*855*0005~\nAK5*A~\nAK9*A*1*1*1~\nSE*6*0001~\nGE*1*1~\nIEA*1*000000001~\n"
    );
    let parsed = crate::parse::parse(&ack.payload).expect("the 997 parses");
    assert_eq!(parsed.interchanges[0].sender, "123MILL");
    // The counters continue where the partner's numbering stands.
    weft_sdk::host::set_sequence("x12:1556150:isa", 41);
    weft_sdk::host::set_sequence("x12:1556150:gs", 7);
    let again = run(&bytes).expect("maps").pop().expect("997");
    let t = text(&again);
    assert!(
        t.contains("*U*00401*000000042*0*P*")
            && t.contains("GE*1*8~")
            && t.contains("IEA*1*000000042~"),
        "{t}"
    );
    // `ack_control = "echo"`: the acknowledged interchange's numbers.
    let echo = Config {
        ack_sequence: false,
        ..Config::default()
    };
    let ack = run_with(&bytes, &echo).expect("maps").pop().expect("997");
    let t = text(&ack);
    assert!(
        t.contains("*U*00401*000000005*0*P*")
            && t.contains("GE*1*5~")
            && t.contains("IEA*1*000000005~"),
        "{t}"
    );

    let Some(bytes) = file("x12", "846_oopfactory_ex1_brace-term.edi") else {
        return;
    };
    let ack = run(&bytes).expect("maps").pop().expect("997");
    assert!(text(&ack).starts_with("ISA~00~          ~00~          ~01~SANMINACORP    ~01~322341109      ~040811~0014~U~00401~000000001~0~P~>}\r\nGS~FA~SANMINACORP~322341109~"), "{}", text(&ack));
    let Some(bytes) = file("x12", "810_oopfactory_multi-invoice_00403.edi") else {
        return;
    };
    let ack = run(&bytes).expect("maps").pop().expect("997");
    let t = text(&ack);
    assert!(
        t.contains("*^*00403*000000001*0*P*:~\r\n")
            && t.contains("AK2*810*2240002~\r\nAK5*A~\r\nAK9*A*2*2*2~"),
        "{t}"
    );
}

#[test]
fn acknowledgements_are_not_acknowledged_and_ack_can_be_off() {
    let Some(bytes) = file("x12", "997_staedi_three-interchanges.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    assert_eq!(msgs.len(), 3);
    assert!(msgs.iter().all(|m| m.kind == "edi_ack.received"));
    let Some(bytes) = file("x12", "855_nodex12.edi") else {
        return;
    };
    let cfg = Config {
        ack: false,
        ..Config::default()
    };
    let msgs = run_with(&bytes, &cfg).expect("maps");
    assert_eq!(msgs.len(), 1);
}

#[test]
fn group_control_mismatch_is_noted_in_ak9() {
    let Some(bytes) = file("x12-lenient", "940_oopfactory_simplot_ctl-mismatch.edi") else {
        return;
    };
    let ack = run(&bytes).expect("maps").pop().expect("997");
    assert!(text(&ack).contains("AK9*E*1*1*1*4\r\n"), "{}", text(&ack));
}

#[test]
fn po_without_beg_is_rejected_not_dropped() {
    let Some(bytes) = file("x12", "850_ediengine_newline-term.edi") else {
        return;
    };
    let bad = edit(
        &bytes,
        "BEG*00*SA*08292233294**20101127*610385385\n",
        "REF*ZZ*NO BEG\n",
    );
    let msgs = run(&bad).expect("the file still parses");
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        (msgs[0].kind.as_str(), msgs[0].id.as_str()),
        (
            "x12.rejected",
            "x12:ABCDEFGHIJKLMNO:000003438:1421:000000010:3dd00277e894"
        )
    );
    let v = json(&msgs[0]);
    assert_eq!(
        (
            v["set"].as_str(),
            v["control_number"].as_str(),
            v["segment"].as_str()
        ),
        (Some("850"), Some("000000010"), Some("BEG"))
    );
    assert!(
        v["reason"]
            .as_str()
            .is_some_and(|r| r.contains("mandatory segment BEG")),
        "{v}"
    );
    assert!(
        text(&msgs[1]).contains("AK2*850*000000010\nAK3*BEG*2**3\nAK5*R*5\nAK9*R*1*1*0\n"),
        "{}",
        text(&msgs[1])
    );
}

#[test]
fn bad_quantity_rejects_only_its_set() {
    let Some(bytes) = file("x12", "810_oopfactory_multi-invoice_00403.edi") else {
        return;
    };
    let bad = edit(&bytes, "IT1**11*CA*96", "IT1**1I*CA*96");
    let msgs = run(&bad).expect("parses");
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["invoice.posted", "x12.rejected", "x12.997"]);
    let v = json(&msgs[1]);
    assert_eq!(
        v["reason"],
        "segment 41 (IT1): IT102 (quantity invoiced) `1I` is not a number"
    );
    assert_eq!(
        (v["position"].as_u64(), v["element"].as_u64()),
        (Some(41), Some(2))
    );
    let t = text(&msgs[2]);
    assert!(
        t.contains(
            "AK2*810*2240002~\r\nAK3*IT1*10**8~\r\nAK4*2**6*1I~\r\nAK5*R*5~\r\nAK9*P*2*2*1~"
        ),
        "{t}"
    );

    let Some(bytes) = file("x12", "850_oopfactory_aojuk.edi") else {
        return;
    };
    let bad = edit(&bytes, "PO1*6915*1*EA", "PO1*6915*one*EA");
    let msgs = run(&bad).expect("parses");
    assert_eq!(msgs[0].kind, "x12.rejected");
    assert!(json(&msgs[0])["reason"]
        .as_str()
        .is_some_and(|r| r.contains("PO102 (quantity ordered) `one` is not a number")));
    assert!(
        text(&msgs[1]).contains("AK3*PO1*14**8~\r\nAK4*2**6*one~\r\nAK5*R*5~\r\nAK9*R*1*1*0~"),
        "{}",
        text(&msgs[1])
    );
}

#[test]
fn warnings_header_is_on_every_output() {
    let Some(bytes) = file("x12-lenient", "850_oopfactory_adobe_clp_short-isa.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    assert_eq!(msgs.len(), 2);
    for m in &msgs {
        assert_eq!(m.header("x12-warnings"), Some("segment 1 (ISA): fields not padded to their fixed widths: ISA06 has 14 (expected 15)"));
    }
}

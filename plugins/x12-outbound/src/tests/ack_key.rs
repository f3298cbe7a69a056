//! The `weft-ack-key` header of a written interchange is the group `key`
//! the `x12` source reads from the partner's 997 answering it, whether the
//! 997 echoes the group control number as written or padded with zeros.

use weft_sdk::edi_ack::EdiAck;

use super::ack::{ssimmons_7542, ssimmons_envelope};
use super::{run, text};

/// The partner's 997 for our group `gs01`/`gs06`: ISA06 is the partner
/// (our `receiver_id`), ISA08 us, AK102 `ak102`.
fn partner_997(gs01: &str, ak102: &str) -> Vec<u8> {
    format!(
        "ISA*00*          *00*          *12*1234567890     *01*121792154      *110929*1015*U*00401*000000912*0*P*>~\n\
         GS*FA*1234567890*121792154*20110929*1015*912*X*004010~\n\
         ST*997*0001~\n\
         AK1*{gs01}*{ak102}~\n\
         AK2*855*0001~\n\
         AK5*A~\n\
         AK9*A*1*1*1~\n\
         SE*6*0001~\n\
         GE*1*912~\n\
         IEA*1*000000912~\n"
    )
    .into_bytes()
}

/// The group key the `x12` source reads from `edi` (one 997, one group).
fn key_read(edi: &[u8]) -> String {
    let out = x12::convert(edi, &x12::Config::default()).expect("the 997 reads");
    assert_eq!(out.len(), 1, "one document, the 997 is not acknowledged");
    assert_eq!(out[0].kind, "edi_ack.received");
    let ack: EdiAck = out[0].payload_json().expect("weft.edi_ack/1");
    assert_eq!(ack.groups.len(), 1);
    assert_eq!(ack.groups[0].status, "accepted");
    ack.groups[0].key.clone()
}

#[test]
fn the_partners_997_names_the_written_group_by_its_ack_key() {
    ssimmons_envelope(31, 76417);
    let out = run("order.acknowledged", &ssimmons_7542());
    let written = text(&out);
    let gs = written
        .lines()
        .find(|l| l.starts_with("GS*"))
        .expect("a GS")
        .trim_end_matches('~');
    let gs: Vec<&str> = gs.split('*').collect();
    let (gs01, gs06) = (gs[1], gs[6]);
    assert_eq!((gs01, gs06), ("PR", "76417"));
    let header = out.header("weft-ack-key").expect("weft-ack-key");
    assert_eq!(header, "x12:1234567890:76417");
    assert_eq!(out.header("weft-ack-document"), Some("X12 855"));
    assert_eq!(key_read(&partner_997(gs01, gs06)), header, "as written");
    assert_eq!(
        key_read(&partner_997(gs01, &format!("{gs06:0>9}"))),
        header,
        "padded with zeros"
    );
    // A small control number written by us (GS06 `5`) and echoed as
    // `000005` or `5` keys alike.
    ssimmons_envelope(32, 5);
    let out = run("order.acknowledged", &ssimmons_7542());
    let header = out.header("weft-ack-key").expect("weft-ack-key");
    assert_eq!(header, "x12:1234567890:5");
    for ak102 in ["5", "000005"] {
        assert_eq!(key_read(&partner_997("PR", ak102)), header, "{ak102}");
    }
}

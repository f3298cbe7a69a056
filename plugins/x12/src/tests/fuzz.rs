//! The parser and mappers never panic: every truncation of every real file,
//! and seeded mutations (delimiter bytes inserted, deleted or replaced,
//! random bytes) of each (see `weft_sdk::testing::fuzz`), plus the
//! documents the lifecycle tests build at test time (the repaired 945, an
//! 812 credit, an 864, a 997 and a 999 rejecting sets).

use super::*;

#[test]
fn never_panics_on_truncations_and_mutations() {
    let mut all = Vec::new();
    for dir in ["x12", "x12-lenient", "x12-malformed"] {
        all.extend(
            files(dir)
                .into_iter()
                .map(|(n, b)| (format!("{dir}/{n}"), b)),
        );
    }
    if let Some(bad) = file("x12-malformed", "945_oopfactory_bad-gs.edi") {
        all.push(("945 repaired".into(), super::warehouse::repaired_945(&bad)));
    }
    all.push((
        "812 credit".into(),
        super::warehouse::interchange("CD", "812", super::warehouse::CREDIT_812),
    ));
    all.push((
        "864 text".into(),
        super::warehouse::interchange("TX", "864", "BMG*00*NOTICE~MIT*M1*LIST~MSG*Hello~"),
    ));
    for (set, body) in [
        ("997", super::edi_ack::REJECTING_997),
        ("999", super::edi_ack::REJECTING_999),
    ] {
        all.push((
            format!("{set} rejecting"),
            super::warehouse::interchange("FA", set, body),
        ));
    }
    let synthetic: &[u8] = b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~GS*PO*A*B*20200101*1200*1*X*004010~ST*850*0001~BEG*00*SA*1**20200101~PO1*1*1*EA*1~SE*4*0001~GE*1*1~IEA*1*000000001~";
    let specials: &[u8] = b"*~>|^:}{`!$\n\r \t\xC2\xA0\xE2\x80\xA6ISAGSTE0";
    testing::fuzz(all, synthetic, specials, |input| {
        convert(input, &Config::default())
    });
}

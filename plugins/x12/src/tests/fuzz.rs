//! The parser and mappers never panic: every truncation of every real file,
//! and seeded mutations (delimiter bytes inserted, deleted or replaced,
//! random bytes) of each (see `weft_sdk::testing::fuzz`).

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
    let synthetic: &[u8] = b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~GS*PO*A*B*20200101*1200*1*X*004010~ST*850*0001~BEG*00*SA*1**20200101~PO1*1*1*EA*1~SE*4*0001~GE*1*1~IEA*1*000000001~";
    let specials: &[u8] = b"*~>|^:}{`!$\n\r \t\xC2\xA0\xE2\x80\xA6ISAGSTE0";
    testing::fuzz(all, synthetic, specials, |input| {
        convert(input, &Config::default())
    });
}

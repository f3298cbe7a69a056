//! The parser and mappers never panic: every truncation of every real file,
//! and seeded mutations (delimiter bytes inserted, deleted or replaced,
//! random bytes) of each (see `weft_sdk::testing::fuzz`).

use super::*;

#[test]
fn never_panics_on_truncations_and_mutations() {
    let all = files();
    let synthetic: &[u8] = b"UNA:+.? 'UNB+UNOC:3+A:14+B:14+200101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'LIN+1++4000862141404:EN'QTY+21:2'UNT+5+1'UNZ+1+1'";
    let specials: &[u8] = b"+:?\'.,*\n\r \t\xC2\xA0\xE2\x80\xA6\xEF\xBB\xBFUNAHTZBGLIQ0";
    testing::fuzz(all, synthetic, specials, |input| {
        convert(input, &Config::default())
    });
}

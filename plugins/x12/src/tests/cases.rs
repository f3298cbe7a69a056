//! The golden cases in `cases/` checked natively with the runner and the
//! format `weft plugin test` uses (`weft_sdk::testing::case`), through
//! `X12::process`, so the plugin's own settings parser reads each case's
//! config. `X12_BLESS=1 cargo test -p x12 golden_cases` rewrites the
//! expected files.

use std::path::Path;

use super::*;

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    testing::golden_cases::<X12>(&dir, "X12_BLESS", 63);
}

//! The golden cases in `cases/` checked natively with the runner and the
//! format `weft plugin test` uses (`weft_sdk::testing::case`), through
//! `Edifact::process`, so the plugin's own settings parser reads each
//! case's config. `EDIFACT_BLESS=1 cargo test -p edifact golden_cases`
//! rewrites the expected files.

use std::path::Path;

use super::*;

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    testing::golden_cases::<Edifact>(&dir, "EDIFACT_BLESS", 12);
}

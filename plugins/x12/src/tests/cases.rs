//! The golden cases in `cases/` checked natively (the same files
//! `weft plugin test` runs against the component). `X12_BLESS=1 cargo test
//! -p x12 golden_cases` rewrites the expected files.

use std::path::Path;

use super::*;

/// The plugin settings of a case's `config.toml` pairs.
fn config(pairs: &[(String, String)]) -> Config {
    let mut c = Config::default();
    for (k, v) in pairs {
        let v = v.clone();
        match k.as_str() {
            "channel" => c.channel = v,
            "utc_offset" => c.utc_offset = Some(v),
            "strict" => c.strict = v == "true",
            "ack" => c.ack = v == "true",
            "max_bytes" => c.max_bytes = v.parse().expect("max_bytes"),
            other => panic!("unknown config key {other}"),
        }
    }
    c
}

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    testing::golden_cases(&dir, ".input.edi", "X12_BLESS", 47, |input, pairs| {
        run_with(input, &config(pairs))
    });
}

//! The golden cases in `cases/` checked natively (the same files
//! `weft plugin test` runs against the component). `EDIFACT_BLESS=1 cargo test
//! -p edifact golden_cases` rewrites the expected files.

use std::path::Path;

use serde_json::{json, Map};

use super::*;

/// The JSON-lines form of an output (as `weft plugin test` writes it).
fn line(m: &Message) -> Value {
    let mut headers = Map::new();
    for (k, v) in &m.headers {
        headers.insert(k.clone(), json!(v));
    }
    let payload = if m.content_type == "application/json" {
        serde_json::from_slice(&m.payload).expect("json payload")
    } else {
        json!(String::from_utf8(m.payload.clone()).expect("utf-8 payload"))
    };
    json!({"id": m.id, "correlation_id": m.correlation_id, "kind": m.kind, "content_type": m.content_type, "headers": headers, "payload": payload})
}

fn config(path: &Path) -> Config {
    let mut c = Config::default();
    let Ok(text) = std::fs::read_to_string(path) else {
        return c;
    };
    for l in text.lines() {
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_string();
        match k.trim() {
            "channel" => c.channel = v,
            "utc_offset" => c.utc_offset = Some(v),
            "strict" => c.strict = v == "true",
            "max_bytes" => c.max_bytes = v.parse().expect("max_bytes"),
            other => panic!("unknown config key {other}"),
        }
    }
    c
}

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let bless = std::env::var("EDIFACT_BLESS").is_ok();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".input.edi")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{}", names.len());
    for name in names {
        let input = std::fs::read(dir.join(format!("{name}.input.edi"))).expect("input");
        let cfg = config(&dir.join(format!("{name}.config.toml")));
        let ok = dir.join(format!("{name}.expected.jsonl"));
        let err = dir.join(format!("{name}.expected-error.txt"));
        let result = run_with(&input, &cfg);
        if bless {
            match &result {
                Ok(msgs) => {
                    let text: String = msgs.iter().map(|m| format!("{}\n", line(m))).collect();
                    std::fs::write(&ok, text).expect("write");
                    let _ = std::fs::remove_file(&err);
                }
                Err(e) => {
                    std::fs::write(&err, format!("invalid: {e}\n")).expect("write");
                    let _ = std::fs::remove_file(&ok);
                }
            }
            continue;
        }
        if let Ok(want) = std::fs::read_to_string(&err) {
            let want = want
                .trim()
                .strip_prefix("invalid:")
                .expect("invalid: prefix")
                .trim();
            let got = result.expect_err(&name);
            assert!(got.contains(want), "{name}: {got}");
            continue;
        }
        let want: Vec<Value> = std::fs::read_to_string(&ok)
            .unwrap_or_else(|_| panic!("{name}: no expected file"))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        let got: Vec<Value> = result
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .iter()
            .map(line)
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

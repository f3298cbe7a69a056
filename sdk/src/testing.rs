//! Native test helpers for plugin crates (not built for `wasm32`): the
//! shared real-data folder, the golden-case runner that checks a crate's
//! `cases/` folder the way `weft plugin test` does, and a reproducible
//! fuzzer ([`fuzz`]) that checks a mapping never panics.
//!
//! ```ignore
//! #[test]
//! fn golden_cases() {
//!     let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
//!     weft_sdk::testing::golden_cases(&dir, ".input.edi", "X12_BLESS", 47, |input, pairs| {
//!         run_with(input, &config(pairs))
//!     });
//! }
//! ```
//!
//! Helpers panic on broken test fixtures: they are for tests only.

mod fuzz;

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::order::Order;
use crate::{Message, PluginError};

pub use fuzz::{fuzz, XorShift};

/// The shared real-data folder (`shared/realdata` next to the repository).
pub fn realdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/realdata")
}

/// Every file of the real-data folder `dir` (`x12`, `edifact`, …) as
/// `(file name, bytes)`, sorted; empty with a printed note when absent.
pub fn realdata_files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = realdata().join(dir);
    let Ok(entries) = std::fs::read_dir(&path) else {
        println!("note: {} is absent; skipping", path.display());
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            std::fs::read(e.path()).ok().map(|b| (name, b))
        })
        .collect();
    out.sort();
    out
}

/// One real file, `None` (with a printed note) when absent.
pub fn realdata_file(dir: &str, name: &str) -> Option<Vec<u8>> {
    let path = realdata().join(dir).join(name);
    let b = std::fs::read(&path).ok();
    if b.is_none() {
        println!("note: {} is absent; skipping", path.display());
    }
    b
}

/// The reason of an error as the golden cases compare it: an `invalid`
/// reason as is, a retryable one prefixed `retryable: `.
pub fn reason(e: PluginError) -> String {
    match e {
        PluginError::Invalid(r) => r,
        PluginError::Retryable(r) => format!("retryable: {r}"),
    }
}

/// A `raw` input message as the host hands a source its document (id
/// `in-1`, no correlation id, no headers).
pub fn raw_message(content_type: &str, payload: &[u8]) -> Message {
    Message {
        id: "in-1".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: content_type.into(),
        headers: Vec::new(),
        payload: payload.to_vec(),
    }
}

/// The reason of a result that must be `invalid`, checked to be on one
/// line; panics on any other result.
pub fn invalid_reason(result: Result<Vec<Message>, PluginError>) -> String {
    match result {
        Err(PluginError::Invalid(reason)) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            reason
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

/// A source's output messages, each checked to be a JSON `weft.order/1`
/// document, with the order and its JSON.
pub fn orders(out: Vec<Message>) -> Vec<(Message, Order, Value)> {
    out.into_iter()
        .map(|m| {
            assert_eq!(m.content_type, "application/json");
            let order: Order = m.payload_json().expect("weft.order/1");
            let value: Value = m.payload_json().expect("json");
            (m, order, value)
        })
        .collect()
}

/// An order's subtotal, discount, shipping, tax and total.
pub fn totals(o: &Order) -> [Option<&str>; 5] {
    let t = &o.totals;
    [&t.subtotal, &t.discount, &t.shipping, &t.tax, &t.total].map(|v| v.as_deref())
}

/// The JSON-lines form of an output message, as `weft plugin test` writes
/// it to `NAME.expected.jsonl` (a JSON payload as JSON, any other as a
/// string).
pub fn jsonl_line(m: &Message) -> Value {
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

/// The `key = "value"` lines of a case's `NAME.config.toml` (quotes
/// removed), in file order; empty when there is no such file. Lines
/// without `=` (table headers, blanks) are skipped.
pub fn config_pairs(path: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

/// Checks every case of the folder `dir`: each `NAME{input_suffix}` is run
/// through `run` (given its input and its [`config_pairs`]) and must give
/// exactly the messages of `NAME.expected.jsonl`, or an error containing
/// the reason in `NAME.expected-error.txt` (`invalid: <substring>`). At
/// least `min_cases` cases must exist. With the environment variable
/// `bless_env` set, the expected files are rewritten from the results
/// instead.
pub fn golden_cases(
    dir: &Path,
    input_suffix: &str,
    bless_env: &str,
    min_cases: usize,
    mut run: impl FnMut(&[u8], &[(String, String)]) -> Result<Vec<Message>, String>,
) {
    let bless = std::env::var(bless_env).is_ok();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("cases dir")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(input_suffix)
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= min_cases, "{}", names.len());
    for name in names {
        let input = std::fs::read(dir.join(format!("{name}{input_suffix}"))).expect("input");
        let pairs = config_pairs(&dir.join(format!("{name}.config.toml")));
        // Fresh counters per case, as under `weft plugin test`.
        crate::host::reset_sequences();
        let ok = dir.join(format!("{name}.expected.jsonl"));
        let err = dir.join(format!("{name}.expected-error.txt"));
        let result = run(&input, &pairs);
        if bless {
            bless_case(&ok, &err, &result);
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
            .map(jsonl_line)
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

/// Writes a case's expected file from its result (removing the other one).
fn bless_case(ok: &Path, err: &Path, result: &Result<Vec<Message>, String>) {
    match result {
        Ok(msgs) => {
            let text: String = msgs
                .iter()
                .map(|m| format!("{}\n", jsonl_line(m)))
                .collect();
            std::fs::write(ok, text).expect("write");
            let _ = std::fs::remove_file(err);
        }
        Err(e) => {
            std::fs::write(err, format!("invalid: {e}\n")).expect("write");
            let _ = std::fs::remove_file(ok);
        }
    }
}

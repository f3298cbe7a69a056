//! Native test helpers for plugin crates (not built for `wasm32`): the
//! shared real-data folder, the golden-case format ([`case`]) and its
//! native runner ([`golden_cases`]) that checks a crate's `cases/` folder
//! exactly as `weft plugin test` does, and a reproducible fuzzer
//! ([`fuzz`]) that checks a mapping never panics.
//!
//! ```ignore
//! #[test]
//! fn golden_cases() {
//!     let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
//!     weft_sdk::testing::golden_cases::<X12>(&dir, "X12_BLESS", 47);
//! }
//! ```
//!
//! Real data: tests read `shared/realdata` next to the repository at run
//! time ([`realdata_file`], [`realdata_bytes`], [`realdata_files`]) and skip
//! with a printed note when a file is absent. The environment variable
//! `WEFT_REALDATA` names another folder (`WEFT_REALDATA=/nonexistent`
//! checks that every test skips cleanly without it).
//!
//! Helpers panic on broken test fixtures: they are for tests only.

pub mod case;
mod fuzz;
mod golden;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use serde_json::Value;

use crate::order::Order;
use crate::{Message, PluginError};

pub use fuzz::{fuzz, XorShift};
pub use golden::{golden_cases, run_cases, run_native};

/// The shared real-data folder: `$WEFT_REALDATA` when set, else
/// `shared/realdata` next to the repository.
pub fn realdata() -> PathBuf {
    match std::env::var_os("WEFT_REALDATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/realdata"),
    }
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

/// One real file of the real-data folder `dir`, `None` (with a printed
/// note) when absent.
pub fn realdata_file(dir: &str, name: &str) -> Option<Vec<u8>> {
    let path = realdata().join(dir).join(name);
    let b = std::fs::read(&path).ok();
    if b.is_none() {
        println!("note: {} is absent; skipping", path.display());
    }
    b
}

/// [`realdata_file`] read once per process and kept, so tests can share
/// samples as `&'static [u8]` (`None`, with a printed note, when absent).
pub fn realdata_bytes(dir: &str, name: &str) -> Option<&'static [u8]> {
    type Samples = Mutex<HashMap<(String, String), &'static [u8]>>;
    static CACHE: OnceLock<Samples> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (dir.to_string(), name.to_string());
    if let Some(b) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Some(b);
    }
    let b: &'static [u8] = Vec::leak(realdata_file(dir, name)?);
    cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, b);
    Some(b)
}

/// [`realdata_bytes`] as text; panics when the file is not UTF-8.
pub fn realdata_text(dir: &str, name: &str) -> Option<&'static str> {
    let b = realdata_bytes(dir, name)?;
    Some(std::str::from_utf8(b).unwrap_or_else(|e| panic!("{dir}/{name} is not UTF-8: {e}")))
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

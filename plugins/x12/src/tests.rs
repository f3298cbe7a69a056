//! Native tests on the real files in `shared/realdata/x12*` (read at run
//! time, so the tests skip with a note when the folder is absent).

mod ack;
mod cases;
mod envelope;
mod fuzz;
mod ids;
mod mapping;
mod mapping_more;

use std::path::PathBuf;

use serde_json::Value;
use weft_sdk::{Message, Plugin, PluginError};

use crate::{convert, Config, X12};

/// The shared real-data folder.
pub fn realdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realdata")
}

/// Every file of `dir` (`x12`, `x12-lenient`, `x12-malformed`), sorted;
/// empty with a printed note when absent.
pub fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
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

/// One real file, `None` (with a note) when absent.
pub fn file(dir: &str, name: &str) -> Option<Vec<u8>> {
    let path = realdata().join(dir).join(name);
    let b = std::fs::read(&path).ok();
    if b.is_none() {
        println!("note: {} is absent; skipping", path.display());
    }
    b
}

/// Converts with default settings.
pub fn run(input: &[u8]) -> Result<Vec<Message>, String> {
    run_with(input, &Config::default())
}

/// Converts with `cfg`.
pub fn run_with(input: &[u8], cfg: &Config) -> Result<Vec<Message>, String> {
    convert(input, cfg).map_err(|e| match e {
        PluginError::Invalid(r) => r,
        PluginError::Retryable(r) => format!("retryable: {r}"),
    })
}

/// The JSON payload of `m`.
pub fn json(m: &Message) -> Value {
    serde_json::from_slice(&m.payload).expect("JSON payload")
}

/// Goes through `X12::process`, as the host does.
pub fn process(input: &[u8]) -> Result<Vec<Message>, PluginError> {
    X12::process(Message {
        id: "in-1".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/edi-x12".into(),
        headers: Vec::new(),
        payload: input.to_vec(),
    })
}

//! Native tests on the real files in `shared/realdata/x12*` (read at run
//! time, so the tests skip with a note when the folder is absent).

mod ack;
mod cases;
mod edi_ack;
mod envelope;
mod framing;
mod fuzz;
mod ids;
mod lifecycle;
mod lifecycle_edges;
mod mapping;
mod mapping_more;
mod outcomes;
mod warehouse;

use serde_json::Value;
use weft_sdk::{testing, Message, Plugin, PluginError};

use crate::{convert, Config, X12};

/// Every file of `dir` (`x12`, `x12-lenient`, `x12-malformed`), sorted;
/// empty with a printed note when absent.
pub fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    testing::realdata_files(dir)
}

/// One real file, `None` (with a note) when absent.
pub fn file(dir: &str, name: &str) -> Option<Vec<u8>> {
    testing::realdata_file(dir, name)
}

/// Converts with default settings.
pub fn run(input: &[u8]) -> Result<Vec<Message>, String> {
    run_with(input, &Config::default())
}

/// Converts with `cfg`.
pub fn run_with(input: &[u8], cfg: &Config) -> Result<Vec<Message>, String> {
    convert(input, cfg).map_err(testing::reason)
}

/// The JSON payload of `m`.
pub fn json(m: &Message) -> Value {
    serde_json::from_slice(&m.payload).expect("JSON payload")
}

/// Goes through `X12::process`, as the host does.
pub fn process(input: &[u8]) -> Result<Vec<Message>, PluginError> {
    X12::process(testing::raw_message("application/edi-x12", input))
}

//! Native tests on the real files in `shared/realdata/edifact` (read at
//! run time, so the tests skip with a note when the folder is absent).

mod cases;
mod envelope;
mod fuzz;
mod mapping;
mod reject;

use serde_json::Value;
use weft_sdk::{testing, Message, Plugin, PluginError};

use crate::{convert, Config, Edifact};

/// Every file of `shared/realdata/edifact`, sorted; empty with a printed
/// note when absent.
pub fn files() -> Vec<(String, Vec<u8>)> {
    testing::realdata_files("edifact")
}

/// One real file, `None` (with a note) when absent.
pub fn file(name: &str) -> Option<Vec<u8>> {
    testing::realdata_file("edifact", name)
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

/// Goes through `Edifact::process`, as the host does.
pub fn process(input: &[u8]) -> Result<Vec<Message>, PluginError> {
    Edifact::process(testing::raw_message("application/edifact", input))
}

//! The local plugin harness behind `weft plugin run|test|inspect|new`:
//! run a component on a file with no Redis and no registry, check it
//! against golden cases, describe it, scaffold a new one.

pub mod cases;
mod error;
pub mod input;
pub mod inspect;
pub mod scaffold;

pub use cases::{run_cases, CaseReport};
pub use error::HarnessError;
pub use input::{content_type_for, InputSpec};

//! The weft host: runs WebAssembly plugin components (the `weft:plugin`
//! contract in `wit/`) in a sandbox, and the `weft` command line.
//!
//! - [`engine`]: load, compile (with an on-disk cache), describe and call
//!   plugins under a CPU deadline and a memory cap, classifying every failure.
//! - [`message`]: the host's message type and its JSON-lines rendering.
//! - [`harness`]: the local plugin harness behind `weft plugin run|test|inspect|new`.

pub mod engine;
pub mod harness;
pub mod message;

pub use engine::{Engine, EngineConfig, Failure, FailureClass, LoadError, Plugin, Role};
pub use message::Message;

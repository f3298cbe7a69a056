//! The weft host: runs WebAssembly plugin components (the `weft:plugin`
//! contract in `wit/`) in a sandbox, and everything around them that the
//! `weft` command (the root package) runs.
//!
//! - [`engine`]: load, compile (with an on-disk cache), describe and call
//!   plugins under a CPU deadline and a memory cap, classifying every failure.
//! - [`message`]: the host's message type and its JSON-lines rendering.
//! - [`harness`]: the local plugin harness behind `weft plugin run|test|inspect|new`.
//! - [`config`]: `weft.toml`; [`bus`]: Redis Streams keys, encoding, the atomic
//!   commit; [`pipeline`]: consumers, retries, dead letters, sinks;
//!   [`admin`]: the admin HTTP server; [`ops`]: `weft up`, `ingest`, `dlq`.
//! - [`http_error`]: the JSON error answers of both HTTP servers;
//!   [`names`]: the one rule for pipeline, stage, sink and flow names.
//! - [`deployments`]: what a host needs from a registry (the
//!   [`deployments::PluginSource`] trait the registry crate implements);
//!   [`plugin_ref`]: `ns/name@version`; [`stamp`]: timestamps and hex;
//!   [`errors`]: an error and its causes as one line of text.

pub mod admin;
pub mod bus;
pub mod config;
pub mod deployments;
pub mod engine;
pub mod errors;
pub mod harness;
pub mod http_error;
pub mod ledger;
pub mod masterdata;
pub mod message;
pub mod names;
pub mod ops;
mod owned_process;
pub mod pipeline;
pub mod plugin_ref;
pub mod rate;
pub mod stamp;

pub use engine::{Engine, EngineConfig, Failure, FailureClass, LoadError, Plugin, Role};
pub use message::Message;

//! Rust SDK for weft plugins.
//!
//! A plugin is a type implementing [`Plugin`], exported as one of the three
//! worlds of the `weft:plugin@0.1.0` contract with [`export_source!`],
//! [`export_transform!`] or [`export_sink!`]:
//!
//! ```ignore
//! use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};
//!
//! struct Echo;
//!
//! impl Plugin for Echo {
//!     fn describe() -> PluginInfo {
//!         weft_sdk::info("echo", env!("CARGO_PKG_VERSION"), Role::Transform)
//!             .summary("passes every message through")
//!             .accepts(["*"])
//!             .build()
//!     }
//!     fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
//!         Ok(vec![msg])
//!     }
//! }
//!
//! weft_sdk::export_transform!(Echo);
//! ```
//!
//! The canonical business documents are in [`order`] (`weft.order/1`),
//! [`order_ack`], [`shipment`], [`invoice`], [`inventory`] and [`returns`],
//! with shared parts in [`document`];
//! decimal money helpers in [`money`]; host imports in [`host`].
//! For source mappings: the per-order context and per-document loop of
//! the JSON order sources in [`order_map`], lenient JSON scalars in
//! [`scalar`], dates and
//! offsets in [`datetime`], text (HTML references, one-line reasons) in
//! [`text`]. Native only (not built for `wasm32`): the JSON-lines form of
//! messages in `jsonl`, and test helpers (the golden-case format and its
//! runner, real data, fuzzing) in `testing`; the host uses both, so
//! `weft plugin test` and a crate's native tests judge cases alike.

pub mod bindings;
pub mod datetime;
pub mod document;
pub mod edi;
pub mod host;
pub mod inventory;
pub mod invoice;
#[cfg(not(target_arch = "wasm32"))]
pub mod jsonl;
pub mod message;
pub mod money;
pub mod order;
pub mod order_ack;
pub mod order_map;
pub mod returns;
pub mod scalar;
pub mod settings;
pub mod shipment;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod text;

pub use bindings::weft::plugin::types::{Message, PluginError, PluginInfo, Role};
pub use message::{info, InfoBuilder};

/// What every weft plugin implements; exported with one of the
/// `export_source!`, `export_transform!`, `export_sink!` macros.
pub trait Plugin {
    /// Static facts about the plugin (name, version, role, kinds).
    fn describe() -> PluginInfo;
    /// Processes one message into zero or more messages, or fails it.
    fn process(msg: Message) -> Result<Vec<Message>, PluginError>;
}

#[doc(hidden)]
pub mod __private {
    pub use wit_bindgen;
}

include!(concat!(env!("OUT_DIR"), "/export_macros.rs"));

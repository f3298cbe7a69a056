//! The weft plugin registry: signed, immutable plugin versions stored
//! content-addressed on disk with metadata in SQLite, bearer tokens with
//! scopes, and deployments (pipeline stage → `ns/name@version`, optional
//! canary) with history and rollback.
//!
//! - [`api`]: the HTTP service ([`router`], its routes [`api::ROUTES`] and
//!   the generated OpenAPI document [`api::openapi`]); [`store`]: blobs and SQLite;
//!   [`auth`]: tokens and scopes; [`sign`]: ed25519 publisher keys.
//! - [`client`]: what a host asks of a registry ([`RegistryClient`], the
//!   host's [`weft_host::deployments::PluginSource`]).
//! - [`local`]: serving and the operator commands on a registry directory;
//!   [`remote`]: publish, deploy, rollback and listing over HTTP.
//!
//! Errors are typed: [`local::LocalError`], [`remote::RemoteError`],
//! [`client::ClientError`], [`sign::KeyError`], [`auth::TokenError`],
//! [`store::StoreError`], each with its underlying error as `source()`.

pub mod api;
pub mod auth;
pub mod client;
pub mod local;
pub mod remote;
pub mod sign;
pub mod store;

pub use api::{router, RegistryState};
pub use client::RegistryClient;
pub use store::Store;
pub use weft_host::plugin_ref::{check_name, check_version, PluginRef};

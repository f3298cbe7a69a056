//! What a running host needs from a plugin registry, as a trait: the
//! current deployment of every pipeline stage, verified component bytes,
//! and a place to report what it applied. The registry crate's client
//! implements it; the host never depends on the registry.

use std::{future::Future, pin::Pin, sync::Arc};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plugin_ref::PluginRef;

/// A boxed future, as [`PluginSource`]'s methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A shared plugin source.
pub type SharedSource = Arc<dyn PluginSource>;

/// One deployment record: pipeline stage → plugin version (with an optional canary).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Deployment {
    /// Sequence number.
    pub id: i64,
    /// Pipeline.
    pub pipeline: String,
    /// Stage.
    pub stage: String,
    /// `ns/name@version`.
    pub plugin: String,
    /// Canary `ns/name@version`, if any.
    pub canary: Option<String>,
    /// Share of messages (by correlation-id hash) for the canary.
    pub canary_percent: u8,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

/// Why a plugin source could not answer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// Where a host gets deployed plugin versions from.
pub trait PluginSource: Send + Sync {
    /// The current deployment of every pipeline stage.
    fn current(&self) -> BoxFuture<'_, Result<Vec<Deployment>, SourceError>>;
    /// The bytes of `plugin`, checked (digest, signature, not yanked).
    fn fetch<'a>(&'a self, plugin: &'a PluginRef) -> BoxFuture<'a, Result<Vec<u8>, SourceError>>;
    /// Reports whether this host (`host`) applied deployment `d`.
    fn report<'a>(
        &'a self,
        d: &'a Deployment,
        host: &'a str,
        result: &'a Result<(), String>,
    ) -> BoxFuture<'a, ()>;
}

/// Which share bucket (0–99) a correlation id falls in: stable, so every
/// event of one order takes the same version.
pub fn bucket(key: &str) -> u8 {
    let d = Sha256::digest(key.as_bytes());
    (u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) % 100) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canary_share_is_within_3_percent_and_stable() {
        let n = 10_000;
        let hits = (0..n)
            .filter(|i| bucket(&format!("shopify:{i}")) < 10)
            .count();
        let share = hits as f64 / n as f64;
        assert!((0.07..=0.13).contains(&share), "10% canary got {share}");
        assert_eq!(bucket("shopify:42"), bucket("shopify:42"));
    }
}

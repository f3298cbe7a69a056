//! What a host asks of the registry: current deployments, verified
//! component bytes, and reports of what it applied.

use sha2::{Digest, Sha256};

use super::{sign, store::Deployment, PluginRef};
use crate::{config::RegistryConfig, engine::hex};

/// The control stream deployments are announced on.
pub const CONTROL_STREAM: &str = "weft:control";

/// A registry client with the keys this host trusts.
#[derive(Clone)]
pub struct RegistryClient {
    url: String,
    token: String,
    trusted: Vec<String>,
    http: reqwest::Client,
}

impl RegistryClient {
    /// From `[registry]` (token from the config or `WEFT_TOKEN`).
    pub fn new(c: &RegistryConfig) -> RegistryClient {
        RegistryClient {
            url: c.url.trim_end_matches('/').to_string(),
            token: c
                .token
                .clone()
                .or_else(|| std::env::var("WEFT_TOKEN").ok())
                .unwrap_or_default(),
            trusted: c.trusted_keys.clone(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
        }
    }

    async fn get(&self, path: &str) -> Result<reqwest::Response, String> {
        let url = format!("{}{path}", self.url);
        let r = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        if !r.status().is_success() {
            return Err(format!("{url}: {}", r.status()));
        }
        Ok(r)
    }

    /// The current deployment of every pipeline stage.
    pub async fn current(&self) -> Result<Vec<Deployment>, String> {
        let body = self
            .get("/v1/deployments")
            .await?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        serde_json::from_value::<Vec<DeploymentIn>>(v["current"].clone())
            .map(|d| d.into_iter().map(Into::into).collect())
            .map_err(|e| e.to_string())
    }

    /// Downloads a version and checks it: not yanked, bytes matching the
    /// recorded sha256, signed by a key this host trusts.
    pub async fn fetch(&self, r: &PluginRef) -> Result<Vec<u8>, String> {
        let base = format!("/v1/plugins/{}/{}/{}", r.namespace, r.name, r.version);
        let meta: serde_json::Value = serde_json::from_slice(
            &self
                .get(&base)
                .await?
                .bytes()
                .await
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        if meta["yanked"].as_bool() == Some(true) {
            return Err(format!("{r} is yanked"));
        }
        let bytes = self
            .get(&format!("{base}/component"))
            .await?
            .bytes()
            .await
            .map_err(|e| e.to_string())?
            .to_vec();
        let digest = hex(&Sha256::digest(&bytes));
        if Some(digest.as_str()) != meta["sha256"].as_str() {
            return Err(format!(
                "{r}: downloaded bytes have sha256 {digest}, the registry recorded {}",
                meta["sha256"]
            ));
        }
        let signature = meta["signature"].as_str().unwrap_or("");
        if !self
            .trusted
            .iter()
            .any(|k| sign::verify(k, &bytes, signature))
        {
            return Err(format!("{r}: not signed by a key this host trusts"));
        }
        Ok(bytes)
    }

    /// Reports whether this host applied a deployment.
    pub async fn report(&self, d: &Deployment, host: &str, result: &Result<(), String>) {
        let url = format!(
            "{}/v1/deployments/{}/{}/status",
            self.url, d.pipeline, d.stage
        );
        let body = serde_json::json!({"host": host, "deployment": d.id, "ok": result.is_ok(), "error": result.as_ref().err()});
        match self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => {}
            Ok(r) if r.status() == reqwest::StatusCode::FORBIDDEN => tracing::warn!(
                "deployment status report to {url} refused (403): the [registry] token needs the `status` scope besides `read`"
            ),
            Ok(r) => tracing::warn!("deployment status report to {url} refused: {}", r.status()),
            Err(e) => tracing::warn!("cannot report deployment status to {url}: {e}"),
        }
    }
}

#[derive(serde::Deserialize)]
struct DeploymentIn {
    id: i64,
    pipeline: String,
    stage: String,
    plugin: String,
    canary: Option<String>,
    canary_percent: u8,
    created_at: String,
}

impl From<DeploymentIn> for Deployment {
    fn from(d: DeploymentIn) -> Deployment {
        Deployment {
            id: d.id,
            pipeline: d.pipeline,
            stage: d.stage,
            plugin: d.plugin,
            canary: d.canary,
            canary_percent: d.canary_percent,
            created_at: d.created_at,
        }
    }
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

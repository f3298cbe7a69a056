//! What a host asks of the registry: current deployments, verified
//! component bytes, and reports of what it applied.

use sha2::{Digest, Sha256};

use std::sync::Arc;

use weft_host::{
    config::RegistryConfig,
    deployments::{BoxFuture, Deployment, PluginSource, SharedSource, SourceError},
    stamp::hex,
};

use crate::{sign, PluginRef};

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
        serde_json::from_value::<Vec<Deployment>>(v["current"].clone()).map_err(|e| e.to_string())
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

impl PluginSource for RegistryClient {
    fn current(&self) -> BoxFuture<'_, Result<Vec<Deployment>, SourceError>> {
        Box::pin(async move { RegistryClient::current(self).await.map_err(SourceError) })
    }

    fn fetch<'a>(&'a self, plugin: &'a PluginRef) -> BoxFuture<'a, Result<Vec<u8>, SourceError>> {
        Box::pin(async move {
            RegistryClient::fetch(self, plugin)
                .await
                .map_err(SourceError)
        })
    }

    fn report<'a>(
        &'a self,
        d: &'a Deployment,
        host: &'a str,
        result: &'a Result<(), String>,
    ) -> BoxFuture<'a, ()> {
        Box::pin(RegistryClient::report(self, d, host, result))
    }
}

/// The plugin source `[registry]` of a configuration names, if any.
pub fn source(config: &weft_host::config::Config) -> Option<SharedSource> {
    config
        .registry
        .as_ref()
        .map(|c| Arc::new(RegistryClient::new(c)) as SharedSource)
}

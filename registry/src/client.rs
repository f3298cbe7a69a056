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

/// Why the registry could not answer a host, or its answer was refused.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The request could not be sent or answered.
    #[error("{url}")]
    Request {
        /// What was asked.
        url: String,
        /// Why not.
        #[source]
        source: reqwest::Error,
    },
    /// The registry answered with an error status.
    #[error("{url}: {status}")]
    Status {
        /// What was asked.
        url: String,
        /// The status.
        status: reqwest::StatusCode,
    },
    /// The answer's body could not be read.
    #[error(transparent)]
    Body(reqwest::Error),
    /// The answer is not the expected JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The version is yanked.
    #[error("{0} is yanked")]
    Yanked(PluginRef),
    /// The bytes do not have the recorded digest.
    #[error("{plugin}: downloaded bytes have sha256 {got}, the registry recorded {recorded}")]
    Digest {
        /// The version.
        plugin: PluginRef,
        /// The digest of the downloaded bytes.
        got: String,
        /// The digest the registry recorded (as JSON: quoted, or `null`).
        recorded: String,
    },
    /// No trusted key signed the bytes.
    #[error("{0}: not signed by a key this host trusts")]
    Untrusted(PluginRef),
}

/// The message with the messages of its sources (`a: b: c`), as the host
/// logs and reports it.
impl From<ClientError> for SourceError {
    fn from(e: ClientError) -> SourceError {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        SourceError(message)
    }
}

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

    /// The body of a successful `GET` of `path`.
    async fn get(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        let url = format!("{}{path}", self.url);
        let r = match self.http.get(&url).bearer_auth(&self.token).send().await {
            Ok(r) => r,
            Err(source) => return Err(ClientError::Request { url, source }),
        };
        if !r.status().is_success() {
            let status = r.status();
            return Err(ClientError::Status { url, status });
        }
        Ok(r.bytes().await.map_err(ClientError::Body)?.to_vec())
    }

    /// The current deployment of every pipeline stage.
    pub async fn current(&self) -> Result<Vec<Deployment>, ClientError> {
        let body = self.get("/v1/deployments").await?;
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        Ok(serde_json::from_value::<Vec<Deployment>>(
            v["current"].clone(),
        )?)
    }

    /// Downloads a version and checks it: not yanked, bytes matching the
    /// recorded sha256, signed by a key this host trusts.
    pub async fn fetch(&self, r: &PluginRef) -> Result<Vec<u8>, ClientError> {
        let base = format!("/v1/plugins/{}/{}/{}", r.namespace, r.name, r.version);
        let meta: serde_json::Value = serde_json::from_slice(&self.get(&base).await?)?;
        if meta["yanked"].as_bool() == Some(true) {
            return Err(ClientError::Yanked(r.clone()));
        }
        let bytes = self.get(&format!("{base}/component")).await?;
        let digest = hex(&Sha256::digest(&bytes));
        if Some(digest.as_str()) != meta["sha256"].as_str() {
            return Err(ClientError::Digest {
                plugin: r.clone(),
                got: digest,
                recorded: meta["sha256"].to_string(),
            });
        }
        let signature = meta["signature"].as_str().unwrap_or("");
        if !self
            .trusted
            .iter()
            .any(|k| sign::verify(k, &bytes, signature))
        {
            return Err(ClientError::Untrusted(r.clone()));
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
        Box::pin(async move { Ok(RegistryClient::current(self).await?) })
    }

    fn fetch<'a>(&'a self, plugin: &'a PluginRef) -> BoxFuture<'a, Result<Vec<u8>, SourceError>> {
        Box::pin(async move { Ok(RegistryClient::fetch(self, plugin).await?) })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn source_errors_carry_the_whole_chain() {
        let r = PluginRef::parse("acme/echo@1.0.0").unwrap();
        assert_eq!(
            SourceError::from(ClientError::Untrusted(r)).0,
            "acme/echo@1.0.0: not signed by a key this host trusts"
        );
        let source = reqwest::Client::new()
            .get("not a url")
            .send()
            .await
            .unwrap_err();
        let message = SourceError::from(ClientError::Request {
            url: "not a url".into(),
            source,
        })
        .0;
        assert!(
            message.starts_with("not a url: builder error: "),
            "{message}"
        );
    }
}

//! A registry over HTTP, as the `weft` CLI talks to it: publish a signed
//! component, deploy, roll back, list versions.

use std::path::Path;

use anyhow::{bail, Context};
use weft_host::{Engine, EngineConfig};

use crate::{sign, PluginRef};

/// Publishes a component: name and version from its `describe()`.
pub async fn publish(
    wasm: &Path,
    registry: &str,
    token: &str,
    key_file: &Path,
    namespace: &str,
) -> anyhow::Result<serde_json::Value> {
    let bytes = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let engine = Engine::new(EngineConfig::default())?;
    let plugin = engine
        .load(&bytes)
        .with_context(|| format!("{} is not a loadable plugin", wasm.display()))?;
    let key = sign::signing_key(
        &std::fs::read_to_string(key_file)
            .with_context(|| format!("cannot read {}", key_file.display()))?,
    )
    .map_err(anyhow::Error::msg)?;
    let url = format!(
        "{}/v1/plugins/{namespace}/{}/{}",
        registry.trim_end_matches('/'),
        plugin.info().name,
        plugin.info().version
    );
    let req = reqwest::Client::new()
        .put(&url)
        .bearer_auth(token)
        .header("x-weft-signature", sign::sign(&key, &bytes))
        .header("content-type", "application/wasm")
        .body(bytes);
    send(&url, req).await
}

/// Sends a request; the JSON answer, or the registry's error message.
async fn send(url: &str, req: reqwest::RequestBuilder) -> anyhow::Result<serde_json::Value> {
    let resp = req
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    let status = resp.status();
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap_or_default())
        .unwrap_or(serde_json::Value::Null);
    if !status.is_success() {
        bail!(
            "{url}: {status}: {}",
            body["error"]["message"].as_str().unwrap_or("no details")
        );
    }
    Ok(body)
}

async fn call(
    method: reqwest::Method,
    url: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> anyhow::Result<serde_json::Value> {
    let mut req = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    send(url, req).await
}

/// Points `pipeline`/`stage` at `plugin` (`ns/name@version`), optionally with a canary.
pub async fn deploy(
    registry: &str,
    token: &str,
    pipeline: &str,
    stage: &str,
    plugin: &str,
    canary: Option<(&str, u8)>,
) -> anyhow::Result<serde_json::Value> {
    PluginRef::parse(plugin).map_err(anyhow::Error::msg)?;
    let mut body = serde_json::json!({"plugin": plugin});
    if let Some((c, percent)) = canary {
        PluginRef::parse(c).map_err(anyhow::Error::msg)?;
        body["canary"] = serde_json::json!({"plugin": c, "percent": percent});
    }
    let url = format!(
        "{}/v1/deployments/{pipeline}/{stage}",
        registry.trim_end_matches('/')
    );
    call(reqwest::Method::PUT, &url, token, Some(body)).await
}

/// Re-deploys the previous deployment of `pipeline`/`stage`.
pub async fn rollback(
    registry: &str,
    token: &str,
    pipeline: &str,
    stage: &str,
) -> anyhow::Result<serde_json::Value> {
    let url = format!(
        "{}/v1/deployments/{pipeline}/{stage}/rollback",
        registry.trim_end_matches('/')
    );
    call(reqwest::Method::POST, &url, token, None).await
}

/// Every published version.
pub async fn plugins(registry: &str, token: &str) -> anyhow::Result<serde_json::Value> {
    call(
        reqwest::Method::GET,
        &format!("{}/v1/plugins", registry.trim_end_matches('/')),
        token,
        None,
    )
    .await
}

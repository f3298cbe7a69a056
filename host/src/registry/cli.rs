//! The registry commands of the `weft` CLI.

use std::{net::SocketAddr, path::Path, sync::Arc};

use anyhow::{bail, Context};

use super::{auth, sign, Store};
use crate::{Engine, EngineConfig};

/// Serves the registry on `listen` with data in `dir` until Ctrl-C/SIGTERM.
pub async fn serve(
    dir: &Path,
    listen: &str,
    max_bytes: usize,
    redis_url: Option<&str>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = Arc::new(
        Store::open(dir)
            .with_context(|| format!("cannot open the registry in {}", dir.display()))?,
    );
    let engine = Engine::new(EngineConfig {
        cache_dir: Some(dir.join("cache")),
        ..EngineConfig::default()
    })?;
    let control = match redis_url {
        Some(url) => Some(
            crate::bus::connect(url)
                .await
                .with_context(|| format!("cannot connect to Redis at {url}"))?,
        ),
        None => None,
    };
    let app = super::router(
        super::RegistryState {
            store,
            engine,
            control,
        },
        max_bytes,
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr: SocketAddr = listener.local_addr()?;
    println!("weft registry: http://{addr}  data {}", dir.display());
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(())
}

/// Creates a token with `scopes`; returns it (shown once).
pub fn token_create(dir: &Path, scopes: &[String]) -> anyhow::Result<String> {
    if scopes.is_empty() {
        bail!("give at least one --scope ({})", auth::SCOPES);
    }
    if let Some(bad) = scopes.iter().find(|s| !auth::valid_scope(s)) {
        bail!("unknown scope `{bad}`: use {}", auth::SCOPES);
    }
    let store = Store::open(dir)?;
    let (token, hash) = auth::new_token().map_err(anyhow::Error::msg)?;
    store.add_token(&hash, scopes)?;
    Ok(token)
}

/// Registers a publisher key for a namespace.
pub fn key_add(dir: &Path, namespace: &str, pubkey: &str) -> anyhow::Result<()> {
    super::check_name("namespace", namespace).map_err(anyhow::Error::msg)?;
    sign::verifying_key(pubkey).map_err(anyhow::Error::msg)?;
    Store::open(dir)?.add_key(namespace, pubkey)?;
    Ok(())
}

/// Stops trusting a publisher key for a namespace (key rotation).
pub fn key_remove(dir: &Path, namespace: &str, pubkey: &str) -> anyhow::Result<()> {
    if !Store::open(dir)?.remove_key(namespace, pubkey)? {
        bail!("{pubkey} is not a key of namespace {namespace}");
    }
    Ok(())
}

/// Writes a new secret key file; returns the public key.
pub fn keygen(out: &Path) -> anyhow::Result<String> {
    if out.exists() {
        bail!("{} exists; not overwriting a key", out.display());
    }
    let (secret, public) = sign::keygen().map_err(anyhow::Error::msg)?;
    std::fs::write(out, secret).with_context(|| format!("cannot write {}", out.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(public)
}

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
    super::PluginRef::parse(plugin).map_err(anyhow::Error::msg)?;
    let mut body = serde_json::json!({"plugin": plugin});
    if let Some((c, percent)) = canary {
        super::PluginRef::parse(c).map_err(anyhow::Error::msg)?;
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

//! A registry over HTTP, as the `weft` CLI talks to it: publish a signed
//! component, deploy, roll back, list versions.

use std::path::{Path, PathBuf};

use weft_host::{Engine, EngineConfig, LoadError};

use crate::{sign, PluginRef};

/// Why a request to a registry failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// A local file (component or key) could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why not.
        #[source]
        source: std::io::Error,
    },
    /// The engine could not be set up.
    #[error(transparent)]
    Engine(LoadError),
    /// The component does not load as a plugin.
    #[error("{} is not a loadable plugin", path.display())]
    NotLoadable {
        /// The file.
        path: PathBuf,
        /// Why not.
        #[source]
        source: LoadError,
    },
    /// The key file is not a publisher key.
    #[error(transparent)]
    Key(#[from] sign::KeyError),
    /// A malformed `ns/name@version`.
    #[error("{0}")]
    BadReference(String),
    /// The registry could not be reached.
    #[error("cannot reach {url}")]
    Unreachable {
        /// What was asked.
        url: String,
        /// Why not.
        #[source]
        source: reqwest::Error,
    },
    /// The registry refused: its status and error message.
    #[error("{url}: {status}: {message}")]
    Refused {
        /// What was asked.
        url: String,
        /// The status.
        status: reqwest::StatusCode,
        /// The registry's message, or `no details`.
        message: String,
    },
}

/// What reading `path` failed with, named.
fn unreadable(path: &Path) -> impl FnOnce(std::io::Error) -> RemoteError + '_ {
    move |source| RemoteError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Publishes a component: name and version from its `describe()`.
pub async fn publish(
    wasm: &Path,
    registry: &str,
    token: &str,
    key_file: &Path,
    namespace: &str,
) -> Result<serde_json::Value, RemoteError> {
    let bytes = std::fs::read(wasm).map_err(unreadable(wasm))?;
    let engine = Engine::new(EngineConfig::default()).map_err(RemoteError::Engine)?;
    let plugin = engine
        .load(&bytes)
        .map_err(|source| RemoteError::NotLoadable {
            path: wasm.to_path_buf(),
            source,
        })?;
    let key = sign::signing_key(&std::fs::read_to_string(key_file).map_err(unreadable(key_file))?)?;
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
async fn send(url: &str, req: reqwest::RequestBuilder) -> Result<serde_json::Value, RemoteError> {
    let resp = req
        .send()
        .await
        .map_err(|source| RemoteError::Unreachable {
            url: url.to_string(),
            source,
        })?;
    let status = resp.status();
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap_or_default())
        .unwrap_or(serde_json::Value::Null);
    if !status.is_success() {
        return Err(RemoteError::Refused {
            url: url.to_string(),
            status,
            message: body["error"]["message"]
                .as_str()
                .unwrap_or("no details")
                .to_string(),
        });
    }
    Ok(body)
}

async fn call(
    method: reqwest::Method,
    url: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, RemoteError> {
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
) -> Result<serde_json::Value, RemoteError> {
    let check = |r: &str| {
        PluginRef::parse(r)
            .map(|_| ())
            .map_err(|m| RemoteError::BadReference(m.to_string()))
    };
    check(plugin)?;
    let mut body = serde_json::json!({"plugin": plugin});
    if let Some((c, percent)) = canary {
        check(c)?;
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
) -> Result<serde_json::Value, RemoteError> {
    let url = format!(
        "{}/v1/deployments/{pipeline}/{stage}/rollback",
        registry.trim_end_matches('/')
    );
    call(reqwest::Method::POST, &url, token, None).await
}

/// Every published version.
pub async fn plugins(registry: &str, token: &str) -> Result<serde_json::Value, RemoteError> {
    call(
        reqwest::Method::GET,
        &format!("{}/v1/plugins", registry.trim_end_matches('/')),
        token,
        None,
    )
    .await
}

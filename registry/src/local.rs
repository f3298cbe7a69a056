//! A registry on a local directory: serving it, its tokens and publisher
//! keys, and generating a publisher key.

use std::{net::SocketAddr, path::Path, sync::Arc};

use anyhow::{bail, Context};

use weft_host::{Engine, EngineConfig};

use crate::{auth, sign, Store};

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
            weft_host::bus::connect(url)
                .await
                .with_context(|| format!("cannot connect to Redis at {url}"))?,
        ),
        None => None,
    };
    let app = crate::router(
        crate::RegistryState {
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
    crate::check_name("namespace", namespace).map_err(anyhow::Error::msg)?;
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

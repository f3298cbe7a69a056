//! A registry on a local directory: serving it, its tokens and publisher
//! keys, and generating a publisher key.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use weft_host::{Engine, EngineConfig, LoadError};

use crate::{auth, sign, store::StoreError, Store};

/// Why an operation on a local registry failed.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// The registry directory could not be opened.
    #[error("cannot open the registry in {}", dir.display())]
    Open {
        /// The directory.
        dir: PathBuf,
        /// Why not.
        #[source]
        source: StoreError,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The engine that validates uploads could not be set up.
    #[error(transparent)]
    Engine(#[from] LoadError),
    /// Redis (for deployment announcements) could not be reached.
    #[error("cannot connect to Redis at {url}")]
    Redis {
        /// The Redis URL.
        url: String,
        /// Why not.
        #[source]
        source: redis::RedisError,
    },
    /// The listen address could not be bound.
    #[error("cannot listen on {listen}")]
    Listen {
        /// The address.
        listen: String,
        /// Why not.
        #[source]
        source: std::io::Error,
    },
    /// Serving or setting file permissions failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// `token create` without a scope.
    #[error("give at least one --scope ({})", auth::SCOPES)]
    NoScope,
    /// A scope that does not exist.
    #[error("unknown scope `{0}`: use {scopes}", scopes = auth::SCOPES)]
    UnknownScope(String),
    /// A token could not be made.
    #[error(transparent)]
    Token(#[from] auth::TokenError),
    /// A namespace that breaks the name rule.
    #[error("{0}")]
    BadNamespace(String),
    /// A key that could not be made or read.
    #[error(transparent)]
    Key(#[from] sign::KeyError),
    /// Removing a key the namespace does not have.
    #[error("{pubkey} is not a key of namespace {namespace}")]
    NotAKey {
        /// The namespace.
        namespace: String,
        /// The public key.
        pubkey: String,
    },
    /// `keygen` would overwrite a file.
    #[error("{} exists; not overwriting a key", .0.display())]
    KeyExists(PathBuf),
    /// The key file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why not.
        #[source]
        source: std::io::Error,
    },
}

/// Serves the registry on `listen` with data in `dir` until Ctrl-C/SIGTERM.
pub async fn serve(
    dir: &Path,
    listen: &str,
    max_bytes: usize,
    redis_url: Option<&str>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), LocalError> {
    let store = Arc::new(Store::open(dir).map_err(|source| LocalError::Open {
        dir: dir.to_path_buf(),
        source,
    })?);
    let engine = Engine::new(EngineConfig {
        cache_dir: Some(dir.join("cache")),
        ..EngineConfig::default()
    })?;
    let control = match redis_url {
        Some(url) => {
            Some(
                weft_host::bus::connect(url)
                    .await
                    .map_err(|source| LocalError::Redis {
                        url: url.to_string(),
                        source,
                    })?,
            )
        }
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
        .map_err(|source| LocalError::Listen {
            listen: listen.to_string(),
            source,
        })?;
    let addr: SocketAddr = listener.local_addr()?;
    println!("weft registry: http://{addr}  data {}", dir.display());
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(())
}

/// Creates a token with `scopes`; returns it (shown once).
pub fn token_create(dir: &Path, scopes: &[String]) -> Result<String, LocalError> {
    if scopes.is_empty() {
        return Err(LocalError::NoScope);
    }
    if let Some(bad) = scopes.iter().find(|s| !auth::valid_scope(s)) {
        return Err(LocalError::UnknownScope(bad.clone()));
    }
    let store = Store::open(dir)?;
    let (token, hash) = auth::new_token()?;
    store.add_token(&hash, scopes)?;
    let id = auth::token_id(&hash);
    store.record_audit(
        &operator(),
        "token.create",
        &format!("{id} {}", scopes.join(" ")),
        "ok",
    )?;
    Ok(token)
}

/// Who runs a local command, for the audit trail.
fn operator() -> String {
    weft_host::ops::audit::operator()
}

/// The newest `limit` audit rows of the registry in `dir` whose action
/// starts with `action`.
pub fn audit(
    dir: &Path,
    action: Option<&str>,
    limit: usize,
) -> Result<Vec<crate::store::AuditRow>, LocalError> {
    Ok(Store::open(dir)?.audit(action, limit)?)
}

/// Registers a publisher key for a namespace.
pub fn key_add(dir: &Path, namespace: &str, pubkey: &str) -> Result<(), LocalError> {
    crate::check_name("namespace", namespace)
        .map_err(|m| LocalError::BadNamespace(m.to_string()))?;
    sign::verifying_key(pubkey)?;
    let store = Store::open(dir)?;
    store.add_key(namespace, pubkey)?;
    store.record_audit(
        &operator(),
        "key.add",
        &format!("{namespace} {pubkey}"),
        "ok",
    )?;
    Ok(())
}

/// Stops trusting a publisher key for a namespace (key rotation).
pub fn key_remove(dir: &Path, namespace: &str, pubkey: &str) -> Result<(), LocalError> {
    let store = Store::open(dir)?;
    if !store.remove_key(namespace, pubkey)? {
        return Err(LocalError::NotAKey {
            namespace: namespace.to_string(),
            pubkey: pubkey.to_string(),
        });
    }
    store.record_audit(
        &operator(),
        "key.remove",
        &format!("{namespace} {pubkey}"),
        "ok",
    )?;
    Ok(())
}

/// Writes a new secret key file; returns the public key.
pub fn keygen(out: &Path) -> Result<String, LocalError> {
    if out.exists() {
        return Err(LocalError::KeyExists(out.to_path_buf()));
    }
    let (secret, public) = sign::keygen()?;
    std::fs::write(out, secret).map_err(|source| LocalError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(public)
}

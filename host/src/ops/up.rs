//! `weft up`: Redis (configured or private), every pipeline and sink, the
//! admin server; graceful shutdown on SIGTERM/SIGINT.

use std::{collections::BTreeMap, net::SocketAddr, sync::Arc, time::Duration};

use tokio::sync::oneshot;

use super::OpsError;
use crate::{
    admin::{self, AdminState},
    bus::{self, Keys, PrivateRedis},
    config::Config,
    deployments::SharedSource,
    pipeline::{Consumer, Runtime},
};

/// A running deployment (for tests and embedding); `stop` shuts it down.
pub struct UpHandle {
    /// Where the admin server listens.
    pub admin: SocketAddr,
    /// The Redis in use.
    pub redis_url: String,
    /// Whether the admin server speaks HTTPS.
    pub tls: bool,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<Result<(), OpsError>>,
}

impl UpHandle {
    /// Graceful stop: stop reading, finish and commit in-flight messages.
    pub async fn stop(mut self) -> Result<(), OpsError> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.done.await.map_err(|source| OpsError::Task {
            what: "runtime",
            source,
        })?
    }
}

/// The process-wide Prometheus recorder (installed on first use).
fn prometheus() -> Option<metrics_exporter_prometheus::PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<Option<metrics_exporter_prometheus::PrometheusHandle>> =
        std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            metrics_exporter_prometheus::PrometheusBuilder::new()
                .install_recorder()
                .ok()
        })
        .clone()
}

/// Starts everything and returns once it runs. With no Redis configured
/// and no `REDIS_URL`, a private `redis-server` (AOF on, data under
/// `<data_dir>/redis`) runs until the deployment stops. Stages naming a
/// registry version come from `source` (the registry crate's client for
/// `[registry]`), which also hot-swaps them.
pub async fn up(config: Config, source: Option<SharedSource>) -> Result<UpHandle, OpsError> {
    let config = Arc::new(config);
    // Secrets before anything starts: a missing one is a configuration error.
    let mut auth = BTreeMap::new();
    for (name, p) in &config.pipelines {
        if let Some(a) = &p.auth {
            let v = admin::webhook::Verifier::load(a).map_err(|source| OpsError::Secret {
                pipeline: name.clone(),
                source,
            })?;
            auth.insert(name.clone(), v);
        }
    }
    let tls = match (&config.admin.tls_cert, &config.admin.tls_key) {
        (Some(cert), Some(key)) => Some(admin::tls::acceptor(cert, key)?),
        _ => None,
    };
    let access = Arc::new(
        admin::access::Access::load(&config.admin, auth.keys().cloned().collect(), tls.is_some())
            .map_err(|(id, source)| OpsError::Token { id, source })?,
    );
    // The admin port first: a port in use stops the start before anything
    // is consumed or a private Redis is started.
    let listen = |source| OpsError::Listen {
        addr: config.admin.listen.to_string(),
        source,
    };
    // Nothing open to the network without a credential (checked before
    // binding: a refused address is never listened on).
    for addr in tokio::net::lookup_host(&config.admin.listen)
        .await
        .map_err(listen)?
    {
        exposed_without_credentials(&config, addr)?;
    }
    let listener = tokio::net::TcpListener::bind(&config.admin.listen)
        .await
        .map_err(listen)?;
    let admin = listener.local_addr().map_err(listen)?;
    let configured = config
        .redis
        .url
        .clone()
        .or_else(|| std::env::var("REDIS_URL").ok())
        .filter(|u| !u.is_empty());
    let (redis_url, server) = match configured {
        Some(u) => (u, None),
        None => {
            let dir = config.host.data_dir.join("redis");
            let s = tokio::task::spawn_blocking(move || PrivateRedis::start(&dir))
                .await
                .map_err(|source| OpsError::Task {
                    what: "redis-server start",
                    source,
                })??;
            tracing::info!(url = %s.url(), dir = %s.dir().display(), "started a private redis-server");
            (s.url(), Some(s))
        }
    };
    let private_redis = server.as_ref().map(PrivateRedis::health);
    let metrics = prometheus();
    let consumer = Consumer {
        name: config
            .host
            .consumer
            .clone()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "weft".into()),
        batch: config.host.batch.max(1),
        concurrency: config.host.concurrency.max(1),
        claim_idle: Duration::from_millis(config.host.claim_idle_ms.max(10)),
        dedupe_retention: Duration::from_secs(
            config.host.dedupe_retention_hours.saturating_mul(3600),
        ),
    };
    let (consumer_name, claim_idle) = (consumer.name.clone(), consumer.claim_idle);
    let runtime = match Runtime::start(config.clone(), &redis_url, consumer, source).await {
        Ok(r) => r,
        Err(e) => {
            if let Some(s) = server {
                tokio::task::spawn_blocking(move || s.stop())
                    .await
                    .map_err(stop_task)?;
            }
            return Err(e.into());
        }
    };
    let ledger = match start_ledger(&config, &redis_url, &consumer_name, claim_idle).await {
        Ok(l) => l,
        Err(e) => {
            runtime.shutdown().await;
            if let Some(s) = server {
                tokio::task::spawn_blocking(move || s.stop())
                    .await
                    .map_err(stop_task)?;
            }
            return Err(e);
        }
    };
    let con = bus::connect(&redis_url)
        .await
        .map_err(|e| OpsError::connect(&redis_url, e))?;
    let pipelines: BTreeMap<String, Keys> = config
        .pipelines
        .keys()
        .map(|p| (p.clone(), Keys::new(&config.flow_of(p), p)))
        .collect();
    let state = AdminState {
        pipelines: Arc::new(pipelines),
        units: Arc::new(runtime.units.clone()),
        con: con.clone(),
        metrics,
        private_redis,
        auth: Arc::new(auth),
        limits: Arc::new(
            config
                .pipelines
                .iter()
                .filter_map(|(n, p)| {
                    Some((n.clone(), crate::rate::TokenBucket::new(p.ingest_limit?)))
                })
                .collect(),
        ),
        calls: Some(admin::call::Calls {
            pipelines: Arc::new(runtime.pipelines.clone()),
            slots: Arc::new(tokio::sync::Semaphore::new(config.admin.max_calls.max(1))),
            wait: Duration::from_millis(config.admin.call_wait_ms),
        }),
        config: config.clone(),
        access: access.clone(),
        ledger: ledger.is_some(),
    };
    let mut app = admin::router(state, config.admin.max_body_bytes);
    if let Some(l) = &ledger {
        let mut st = l.state.clone();
        st.units = Some(Arc::new(runtime.units.clone()));
        st.redis = Some(con.clone());
        st.signed = !config.admin.tokens.is_empty();
        app = app
            .merge(crate::ledger::api::router(st.clone()))
            .merge(crate::ledger::dashboard::router(st));
    }
    let app = admin::guarded(app, access);
    let tls_on = tls.is_some();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        let (server_stop, server_stopped) = oneshot::channel::<()>();
        let http = tokio::spawn(async move {
            let stopped = async {
                let _ = server_stopped.await;
            };
            match tls {
                Some(acceptor) => {
                    let tls = admin::tls::TlsListener::new(listener, acceptor)?;
                    axum::serve(tls, app).with_graceful_shutdown(stopped).await
                }
                None => {
                    axum::serve(listener, app)
                        .with_graceful_shutdown(stopped)
                        .await
                }
            }
        });
        let _ = stopped.await;
        tracing::info!("stopping: finishing in-flight messages");
        runtime.shutdown().await;
        if let Some(l) = ledger {
            l.shutdown().await;
        }
        let _ = server_stop.send(());
        let _ = http.await;
        if let Some(s) = server {
            tokio::task::spawn_blocking(move || s.stop())
                .await
                .map_err(stop_task)?;
        }
        Ok(())
    });
    Ok(UpHandle {
        admin,
        redis_url,
        tls: tls_on,
        stop: Some(stop),
        done,
    })
}

/// The ledger, when `[ledger]` is on.
async fn start_ledger(
    config: &Config,
    redis_url: &str,
    consumer: &str,
    claim_idle: Duration,
) -> Result<Option<crate::ledger::runtime::LedgerRuntime>, OpsError> {
    if !config.ledger.as_ref().is_some_and(|l| l.enabled) {
        return Ok(None);
    }
    let l = crate::ledger::runtime::start(config, redis_url, consumer, claim_idle).await?;
    tracing::info!("ledger: recording order lifecycles");
    Ok(Some(l))
}

/// Refuses to serve beyond this machine without `[[admin.tokens]]`: on an
/// address other than loopback every route but `/healthz` and `/readyz`
/// must need a credential (ingest of a pipeline with a webhook `[auth]`
/// needs its signature; everything else a token).
fn exposed_without_credentials(config: &Config, addr: SocketAddr) -> Result<(), OpsError> {
    if addr.ip().is_loopback() || !config.admin.tokens.is_empty() {
        return Ok(());
    }
    let mut open: Vec<String> = config
        .pipelines
        .iter()
        .filter(|(_, p)| p.auth.is_none())
        .map(|(n, _)| format!("ingest into `{n}`"))
        .collect();
    if config.ledger.as_ref().is_some_and(|l| l.enabled) {
        open.push("the ledger's reports and dashboard".into());
    }
    open.push("the DLQ, lookup and audit routes and /metrics".into());
    Err(OpsError::Exposed {
        addr: addr.to_string(),
        why: format!(
            "without [[admin.tokens]] anyone who can reach it could use {}; add a token \
             (`weft token new` prints one and its entry) or listen on 127.0.0.1",
            open.join(", ")
        ),
    })
}

/// The task stopping the private `redis-server` died.
fn stop_task(source: tokio::task::JoinError) -> OpsError {
    OpsError::Task {
        what: "redis-server stop",
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(auth: bool, ledger: bool) -> Config {
        let mut text = String::from("[pipelines.p]\nstages = [{ plugin = \"Cargo.toml\" }]\n");
        if auth {
            text.push_str("[pipelines.p.auth]\nscheme = \"bearer\"\nsecret_env = \"T\"\n");
        }
        if ledger {
            text.push_str("[ledger]\nenabled = true\n");
        }
        crate::config::parse(
            &text,
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/weft.toml")),
        )
        .expect("config")
    }

    #[test]
    fn only_a_server_with_tokens_leaves_loopback() {
        let public: SocketAddr = "192.0.2.10:7070".parse().expect("addr");
        let local: SocketAddr = "[::1]:7070".parse().expect("addr");
        assert!(exposed_without_credentials(&config(false, true), local).is_ok());
        let e = exposed_without_credentials(&config(false, true), public)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("192.0.2.10:7070")
                && e.contains("ingest into `p`")
                && e.contains("reports and dashboard")
                && e.contains("[[admin.tokens]]"),
            "{e}"
        );
        // Webhook-signed pipelines alone leave the operator routes open.
        let e = exposed_without_credentials(&config(true, false), public)
            .unwrap_err()
            .to_string();
        assert!(e.contains("DLQ") && !e.contains("ingest into"), "{e}");
        let mut with_token = config(false, true);
        with_token.admin.tokens.push(crate::config::AdminToken {
            id: "ops".into(),
            scopes: vec![crate::config::Scope::Admin],
            token_env: Some("T".into()),
            token_file: None,
            sha256: None,
        });
        assert!(exposed_without_credentials(&with_token, public).is_ok());
    }
}

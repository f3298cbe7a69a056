//! The ledger as `weft up` runs it: the database (configured, or a
//! private PostgreSQL under `<data_dir>/postgres`), the consumer task, the
//! Prometheus gauges, and the state the API and dashboard read.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

use super::{api::LedgerState, consumer, exceptions, store::Store, LedgerError};
use crate::config::Config;

/// The running ledger; [`LedgerRuntime::shutdown`] stops it.
pub struct LedgerRuntime {
    /// What the API and dashboard read.
    pub state: LedgerState,
    /// The database URL in use.
    pub url: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    server: Option<super::server::PrivatePostgres>,
}

/// Where the ledger database is: `[ledger] url`, else `WEFT_LEDGER_URL`.
pub fn configured_url(config: &Config) -> Option<String> {
    config
        .ledger
        .as_ref()
        .and_then(|l| l.url.clone())
        .or_else(|| std::env::var("WEFT_LEDGER_URL").ok())
        .filter(|u| !u.is_empty())
}

/// The database a command beside `weft up` uses: the configured one, else
/// the one a running `weft up` records in `<data_dir>/postgres/url`.
pub fn url_for_commands(config: &Config) -> Option<String> {
    configured_url(config).or_else(|| {
        std::fs::read_to_string(config.host.data_dir.join("postgres").join("url"))
            .ok()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
    })
}

/// Starts the consumer (group `weft:ledger` as `consumer`) against the
/// configured database, or a private PostgreSQL under
/// `<data_dir>/postgres` (owned like the private Redis: it cannot outlive
/// weft, one server per directory, restarted if it dies).
pub async fn start(
    config: &Config,
    redis_url: &str,
    consumer: &str,
    claim_idle: Duration,
) -> Result<LedgerRuntime, LedgerError> {
    let (url, server) = match configured_url(config) {
        Some(u) => (u, None),
        None => {
            let dir = config.host.data_dir.join("postgres");
            let s =
                tokio::task::spawn_blocking(move || super::server::PrivatePostgres::start(&dir))
                    .await
                    .map_err(|e| LedgerError::Task(e.to_string()))??;
            tracing::info!(url = %s.url(), "started a private PostgreSQL for the ledger");
            (s.url(), Some(s))
        }
    };
    match start_on(config, &url, redis_url, consumer, claim_idle).await {
        Ok(mut r) => {
            r.server = server;
            Ok(r)
        }
        Err(e) => {
            if let Some(s) = server {
                let _ = tokio::task::spawn_blocking(move || s.stop()).await;
            }
            Err(e)
        }
    }
}

async fn start_on(
    config: &Config,
    url: &str,
    redis_url: &str,
    consumer: &str,
    claim_idle: Duration,
) -> Result<LedgerRuntime, LedgerError> {
    let ledger = Arc::new(config.ledger.clone().unwrap_or_default());
    let writer = Store::connect(url, ledger.links.clone()).await?;
    let reader = Arc::new(Store::connect(url, ledger.links.clone()).await?);
    let con = crate::bus::connect(redis_url)
        .await
        .map_err(LedgerError::Redis)?;
    let (stop, stopped) = watch::channel(false);
    let sources = consumer::sources(config);
    tracing::info!(
        streams = sources.len(),
        "ledger: reading canonical events, dead letters and deliveries"
    );
    let mut tasks = vec![tokio::spawn(consumer::run(
        writer,
        con,
        sources,
        consumer.to_string(),
        ledger.batch.max(1),
        claim_idle,
        stopped.clone(),
    ))];
    let state = LedgerState {
        store: reader,
        config: ledger,
        units: None,
        redis: None,
        signed: false,
    };
    tasks.push(tokio::spawn(gauges(state.clone(), stopped)));
    Ok(LedgerRuntime {
        state,
        url: url.to_string(),
        stop,
        tasks,
        server: None,
    })
}

impl LedgerRuntime {
    /// Stops the consumer after its current batch, and the gauges.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
        if let Some(s) = self.server {
            let _ = tokio::task::spawn_blocking(move || s.stop()).await;
        }
    }
}

/// Every 15 s: orders by status and open exceptions by type, per channel.
/// A series that is no longer counted is set to 0 (its exceptions closed,
/// its orders moved on), so no gauge keeps a stale value.
async fn gauges(state: LedgerState, mut stopped: watch::Receiver<bool>) {
    let mut shown = Shown::default();
    loop {
        if let Ok(rows) = state.store.orders_by_status().await {
            let counts = rows.into_iter().map(|(c, s, n)| ((c, s), n)).collect();
            shown.orders.set(counts, |(channel, status), n| {
                metrics::gauge!("weft_ledger_orders", "channel" => channel, "status" => status)
                    .set(n as f64)
            });
        }
        if let Ok(snap) = state.store.open_snapshot().await {
            let now = crate::stamp::now_ms() as i64;
            let mut by_type = BTreeMap::new();
            for e in exceptions::open(&snap, &state.config.sla, now) {
                *by_type.entry((e.channel, e.kind)).or_insert(0u64) += 1;
            }
            shown.exceptions.set(by_type, |(channel, kind), n| {
                metrics::gauge!("weft_ledger_open_exceptions", "channel" => channel, "type" => kind)
                    .set(n as f64)
            });
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(15)) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// The label sets each gauge was last given a value for.
#[derive(Default)]
struct Shown {
    orders: Series,
    exceptions: Series,
}

/// One gauge's series: `(label, label) → value`.
#[derive(Default)]
struct Series(BTreeMap<(String, String), u64>);

impl Series {
    /// Sets every series of `now` and zeroes those it no longer has.
    fn set(
        &mut self,
        now: BTreeMap<(String, String), u64>,
        mut put: impl FnMut((String, String), u64),
    ) {
        for k in self.0.keys() {
            if !now.contains_key(k) {
                put(k.clone(), 0);
            }
        }
        for (k, n) in &now {
            put(k.clone(), *n);
        }
        self.0 = now;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_series_no_longer_counted_is_zeroed() {
        let k = |a: &str| (a.to_string(), "x".to_string());
        let mut s = super::Series::default();
        let mut put: Vec<(String, u64)> = Vec::new();
        s.set([(k("a"), 2), (k("b"), 1)].into(), |k, n| put.push((k.0, n)));
        assert_eq!(put, [("a".to_string(), 2), ("b".to_string(), 1)]);
        put.clear();
        s.set([(k("b"), 3)].into(), |k, n| put.push((k.0, n)));
        assert_eq!(put, [("a".to_string(), 0), ("b".to_string(), 3)]);
        put.clear();
        s.set(Default::default(), |k, n| put.push((k.0, n)));
        assert_eq!(put, [("b".to_string(), 0)]);
    }
}

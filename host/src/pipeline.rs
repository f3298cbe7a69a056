//! The runtime behind `weft up`: for every pipeline and sink, a consumer in
//! its group reads entries in batches, processes them with bounded
//! concurrency and commits each one atomically (see [`crate::bus::commit`]);
//! a releaser moves due retries back to the input.

mod deploy;
mod error;
mod failure;
/// Failure bookkeeping headers.
pub mod failure_headers {
    pub use super::failure::{for_replay, ATTEMPTS, FIRST_FAILURE, LAST_ERROR, REPLAYS};
}
mod sink;
mod stages;
mod worker;

use std::{sync::Arc, time::Duration};

use redis::aio::ConnectionManager;
use tokio::{sync::watch, task::JoinSet};

pub use deploy::Deployer;
pub use error::{PipelineError, SinkError, StageError, StartError, Unloadable};
pub use stages::{PipelineUnit, Processor, Slot, StageFailure, StageRt, PLUGIN_HEADER};

use crate::{
    bus::{self, Entry, Keys},
    config::Config,
    deployments::SharedSource,
    masterdata::Services,
    stamp, Engine, EngineConfig,
};

/// Something that consumes one input stream: a pipeline or a sink.
pub trait Unit: Send + Sync + 'static {
    /// Its keys.
    fn keys(&self) -> &Keys;
    /// Whether message ids committed before are skipped (checked per batch).
    fn dedupes(&self) -> bool {
        false
    }
    /// How long acknowledged entries stay on its input (default: trimmed
    /// once every consumer group acknowledged them).
    fn retention(&self) -> Option<Duration> {
        None
    }
    /// Processes one entry and commits the result; never panics, never
    /// loses it. `done_before`: its message id was committed already.
    fn handle(
        self: Arc<Self>,
        entry: Entry,
        done_before: bool,
        con: ConnectionManager,
    ) -> impl std::future::Future<Output = ()> + Send;
    /// How many entries it may be handed now: waits until it can take at
    /// least one (a rate-limited sink waits for a token), so entries it
    /// cannot take yet stay unread in the stream. Default: no limit.
    fn admit(&self) -> impl std::future::Future<Output = usize> + Send {
        async { usize::MAX }
    }
    /// Whether the consumer hands it a read batch in lanes
    /// ([`Unit::handle_lane`]) instead of one task per entry.
    fn lanes(&self) -> bool {
        false
    }
    /// Processes entries of one read batch (with their `done_before`) in
    /// one task, committing each as [`Unit::handle`] does; by default one
    /// after another through it.
    fn handle_lane(
        self: Arc<Self>,
        entries: Vec<(Entry, bool)>,
        con: ConnectionManager,
    ) -> impl std::future::Future<Output = ()> + Send {
        async move {
            for (entry, done_before) in entries {
                self.clone().handle(entry, done_before, con.clone()).await;
            }
        }
    }
}

/// How this host consumes.
#[derive(Debug, Clone)]
pub struct Consumer {
    /// Consumer name in every group.
    pub name: String,
    /// Entries per read.
    pub batch: usize,
    /// In-flight messages per unit.
    pub concurrency: usize,
    /// Reclaim entries idle longer than this on other consumers.
    pub claim_idle: Duration,
    /// Committed message ids older than this are forgotten.
    pub dedupe_retention: Duration,
}

/// A running set of consumers; stop it with [`Runtime::shutdown`].
pub struct Runtime {
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
    /// Every unit's keys, for metrics and the admin API.
    pub units: Vec<Keys>,
    /// Every pipeline by name (its stages follow hot swaps), for
    /// synchronous calls.
    pub pipelines: std::collections::BTreeMap<String, Arc<PipelineUnit>>,
}

impl Runtime {
    /// Loads every plugin and starts consuming. Plugins that fail to load
    /// stop the start with the reason.
    /// Stages that name `ns/name@version` are fetched from `source`, which
    /// also keeps them on their deployed versions (hot swap).
    pub async fn start(
        config: Arc<Config>,
        redis_url: &str,
        consumer: Consumer,
        source: Option<SharedSource>,
    ) -> Result<Runtime, StartError> {
        Runtime::start_with(config, redis_url, consumer, source, Vec::new()).await
    }

    /// Like [`Runtime::start`], with some pipelines' stages given ready-made
    /// (the benchmark's native baseline) instead of loaded from components.
    pub async fn start_with(
        config: Arc<Config>,
        redis_url: &str,
        consumer: Consumer,
        source: Option<SharedSource>,
        mut native: Vec<(String, Vec<StageRt>)>,
    ) -> Result<Runtime, StartError> {
        let engine_cfg = EngineConfig {
            max_instances: (consumer.concurrency * (config.pipelines.len() + 1)).max(16) as u32,
            limits: config.limits,
            pool: config.pool,
            ..EngineConfig::default()
        };
        let engine = Engine::new(engine_cfg)?;
        // Lookups and counters of every stage: the bus's Redis.
        let services = Services::redis(redis_url).map_err(|source| StartError::RedisUrl {
            url: redis_url.to_string(),
            source,
        })?;
        let con = bus::connect(redis_url)
            .await
            .map_err(|e| StartError::connect(redis_url, e))?;
        let (stop, stopped) = watch::channel(false);
        let mut tasks = JoinSet::new();
        let mut units = Vec::new();
        let mut pipelines = Vec::new();
        for name in config.pipelines.keys() {
            let unit = match native.iter().position(|(n, _)| n == name) {
                Some(i) => PipelineUnit::from_stages(&config, name, native.remove(i).1)?,
                None => {
                    PipelineUnit::load(&config, name, &engine, source.as_deref(), &services).await?
                }
            };
            pipelines.push(Arc::new(unit));
        }
        if let (Some(client), Some(rc)) = (source, config.registry.as_ref()) {
            // Come up on the deployed versions before consuming anything.
            let deployer = Arc::new(Deployer::new(
                client,
                engine.clone(),
                pipelines.clone(),
                &consumer.name,
                services.clone(),
            ));
            let mut control = bus::connect(redis_url)
                .await
                .map_err(|e| StartError::connect(redis_url, e))?;
            let from = Deployer::control_position(&mut control).await;
            deployer.reconcile().await;
            tasks.spawn(deployer.run(
                control,
                from,
                Duration::from_millis(rc.reconcile_ms.max(100)),
                stopped.clone(),
            ));
        }
        let by_name = pipelines
            .iter()
            .map(|p| (p.keys().unit.clone(), p.clone()))
            .collect();
        for unit in pipelines {
            spawn_unit(
                &mut tasks,
                &mut units,
                unit,
                redis_url,
                con.clone(),
                consumer.clone(),
                stopped.clone(),
            )
            .await?;
        }
        // Streams trimmed by time (and consumer groups) rather than by a
        // unit of this host: `stream` sinks' and the flows' delivery records.
        let mut outside: Vec<(String, Option<Duration>)> = Vec::new();
        for (flow, name) in config.sink_streams() {
            if let Some(def @ crate::config::Sink::Stream { .. }) = config.sinks.get(&name) {
                // Outputs stay on the stream for an outside consumer.
                let keys = Keys::sink(&flow, &name);
                units.push(keys.clone());
                let keep = def.retention();
                outside.push((keys.input(), (!keep.is_zero()).then_some(keep)));
                continue;
            }
            // Delivery records stay as long as delivered ids are remembered,
            // and until every consumer group (the ledger's) acknowledged them.
            let deliveries = Keys::deliveries(&flow);
            if !outside.iter().any(|(s, _)| *s == deliveries) {
                outside.push((deliveries, Some(consumer.dedupe_retention)));
            }
            let unit = Arc::new(sink::SinkUnit::new(&config, &flow, &name, &consumer.name)?);
            spawn_unit(
                &mut tasks,
                &mut units,
                unit,
                redis_url,
                con.clone(),
                consumer.clone(),
                stopped.clone(),
            )
            .await?;
        }
        if !outside.is_empty() {
            tasks.spawn(trim_outside_streams(outside, con.clone(), stopped.clone()));
        }
        Ok(Runtime {
            stop,
            tasks,
            units,
            pipelines: by_name,
        })
    }

    /// Stops reading, lets in-flight messages finish and commit, then returns.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
    }
}

async fn spawn_unit<U: Unit>(
    tasks: &mut JoinSet<()>,
    units: &mut Vec<Keys>,
    unit: Arc<U>,
    redis_url: &str,
    con: ConnectionManager,
    consumer: Consumer,
    stopped: watch::Receiver<bool>,
) -> Result<(), StartError> {
    units.push(unit.keys().clone());
    // Blocking reads get a connection of their own, so commits never wait
    // behind an XREADGROUP BLOCK.
    let reader = bus::connect(redis_url)
        .await
        .map_err(|e| StartError::connect(redis_url, e))?;
    let mut setup = con.clone();
    bus::ensure_group(&mut setup, &unit.keys().input(), &unit.keys().group())
        .await
        .map_err(|source| StartError::Group {
            stream: unit.keys().input(),
            group: unit.keys().group(),
            source,
        })?;
    tasks.spawn(housekeeping(
        unit.keys().clone(),
        unit.retention(),
        con.clone(),
        consumer.dedupe_retention,
        stopped.clone(),
    ));
    tasks.spawn(worker::consume(unit, reader, con, consumer, stopped));
    Ok(())
}

/// How often acknowledged stream entries are trimmed.
const TRIM_EVERY: Duration = Duration::from_secs(1);

/// Per unit, until stopped: moves due retries back to the input (every
/// 50 ms), trims what every group acknowledged from the input (every
/// second), and forgets dedupe records past their retention (every minute).
async fn housekeeping(
    keys: Keys,
    keep: Option<Duration>,
    mut con: ConnectionManager,
    dedupe_retention: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    let (mut last_trim, mut last_forget) = (0, 0);
    loop {
        let now = stamp::now_ms();
        if let Err(e) = bus::commit::release_due(&mut con, &keys, now, 500).await {
            tracing::warn!(unit = %keys.unit, "retry release failed: {e}");
        }
        if now.saturating_sub(last_trim) >= TRIM_EVERY.as_millis() as u64 {
            last_trim = now;
            match bus::retention::trim_stream(&mut con, &keys.input(), keep, false, now).await {
                Ok(n) if n > 0 => {
                    metrics::counter!("weft_trimmed_total", "unit" => keys.unit.clone())
                        .increment(n)
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(unit = %keys.unit, "stream trim failed: {e}"),
            }
        }
        if now.saturating_sub(last_forget) >= 60_000 {
            last_forget = now;
            let cutoff = now.saturating_sub(dedupe_retention.as_millis() as u64);
            if let Err(e) = bus::retention::forget_before(&mut con, &keys, cutoff).await {
                tracing::warn!(unit = %keys.unit, "dedupe trim failed: {e}");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            _ = stopped.changed() => break,
        }
    }
}

/// Trims streams read by outside consumers — those of `stream` sinks, and
/// the flows' delivery records — every second: entries older than their
/// retention (`None`: none kept by time), unless a consumer group has not
/// acknowledged them; a stream without groups is trimmed by time alone.
async fn trim_outside_streams(
    streams: Vec<(String, Option<Duration>)>,
    mut con: ConnectionManager,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let now = stamp::now_ms();
        for (stream, keep) in &streams {
            if let Err(e) = bus::retention::trim_stream(&mut con, stream, *keep, true, now).await {
                tracing::warn!(%stream, "stream trim failed: {e}");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(TRIM_EVERY) => {}
            _ = stopped.changed() => break,
        }
    }
}

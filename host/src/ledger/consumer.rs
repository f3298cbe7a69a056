//! The ledger consumer: its own consumer group (`weft:ledger`) on the
//! streams that carry canonical events, dead letters and sink deliveries,
//! so it never slows or blocks delivery. Each batch is applied in one
//! database transaction, and acknowledged (XACK) only after it committed:
//! a crash in between re-reads the batch, which the idempotent insert
//! makes harmless. A batch that fails to apply stays pending and is
//! retried; nothing is acknowledged unrecorded.

mod decode;

use std::time::Duration;

use redis::aio::ConnectionManager;
use tokio::sync::watch;

use super::store::Store;
use crate::bus::{self, Entry, Keys};
use crate::config::{parse_target, Config, Target};

pub use decode::event_of;

/// The consumer group of the ledger on every stream it reads.
pub const GROUP: &str = "weft:ledger";

/// What a stream carries, which decides how its entries become events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// A unit's input: canonical documents (others are skipped).
    Input,
    /// A dead-letter queue.
    DeadLetters,
    /// Sink delivery records.
    Deliveries,
}

/// One stream the ledger reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The stream key.
    pub stream: String,
    /// What it carries.
    pub kind: StreamKind,
    /// The unit it belongs to (for dead letters), or the flow.
    pub unit: String,
    /// Sinks that read the ERP's order number (`order_number_pointer`):
    /// their deliveries are bookings.
    pub booking: Vec<String>,
}

/// The streams `config` makes the ledger read: the input streams of the
/// `[ledger] units` (default: every route target), every unit's
/// dead-letter queue, and each flow's deliveries.
pub fn sources(config: &Config) -> Vec<Source> {
    let ledger = config.ledger.clone().unwrap_or_default();
    let mut units: Vec<(String, String)> = Vec::new(); // (flow, unit)
    let mut all: Vec<(String, String)> = Vec::new();
    for (name, p) in &config.pipelines {
        let flow = config.flow_of(name);
        all.push((flow.clone(), name.clone()));
        for t in p.routes.values() {
            let unit = match parse_target(t.get_ref()) {
                Some(Target::Sink(s)) => format!("sink:{s}"),
                Some(Target::Pipeline(q)) => q,
                None => continue,
            };
            if !all.contains(&(flow.clone(), unit.clone())) {
                all.push((flow.clone(), unit.clone()));
            }
            let wanted = ledger.units.as_ref().is_none_or(|u| u.contains(&unit));
            if wanted && !units.contains(&(flow.clone(), unit.clone())) {
                units.push((flow.clone(), unit));
            }
        }
    }
    let mut out: Vec<Source> = units
        .iter()
        .map(|(flow, unit)| Source {
            stream: Keys::new(flow, unit).input(),
            kind: StreamKind::Input,
            unit: unit.clone(),
            booking: Vec::new(),
        })
        .collect();
    if ledger.dead_letters {
        out.extend(all.iter().map(|(flow, unit)| Source {
            stream: Keys::new(flow, unit).dlq(),
            kind: StreamKind::DeadLetters,
            unit: unit.clone(),
            booking: Vec::new(),
        }));
    }
    let mut flows: Vec<&String> = all.iter().map(|(f, _)| f).collect();
    flows.sort();
    flows.dedup();
    let booking: Vec<String> = config
        .sinks
        .iter()
        .filter(|(_, s)| {
            matches!(
                s,
                crate::config::Sink::Http {
                    order_number_pointer: Some(_),
                    ..
                }
            )
        })
        .map(|(n, _)| n.clone())
        .collect();
    out.extend(flows.into_iter().map(|f| Source {
        stream: Keys::deliveries(f),
        kind: StreamKind::Deliveries,
        unit: f.clone(),
        booking: booking.clone(),
    }));
    out
}

/// Runs the consumer until `stopped` turns true.
pub async fn run(
    mut store: Store,
    mut con: ConnectionManager,
    sources: Vec<Source>,
    consumer: String,
    batch: usize,
    claim_idle: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    for s in &sources {
        while let Err(e) = bus::ensure_group(&mut con, &s.stream, GROUP).await {
            tracing::warn!(stream = %s.stream, "ledger: cannot create its consumer group yet: {e}");
            if wait(&mut stopped, Duration::from_secs(1)).await {
                return;
            }
        }
    }
    // After a restart: this consumer's own pending entries first.
    let mut pending: Vec<bool> = vec![true; sources.len()];
    let mut last_claim = std::time::Instant::now();
    let mut backoff = Duration::from_millis(100);
    while !*stopped.borrow() {
        let claim = last_claim.elapsed() >= claim_idle / 2;
        if claim {
            last_claim = std::time::Instant::now();
        }
        let mut busy = false;
        let mut failed = false;
        for (i, s) in sources.iter().enumerate() {
            let read = if pending[i] {
                bus::streams::read_group(&mut con, &s.stream, GROUP, &consumer, batch, "0", None)
                    .await
            } else if claim {
                bus::streams::autoclaim(
                    &mut con,
                    &s.stream,
                    GROUP,
                    &consumer,
                    claim_idle.as_millis() as u64,
                    batch,
                )
                .await
            } else {
                bus::streams::read_group(&mut con, &s.stream, GROUP, &consumer, batch, ">", None)
                    .await
            };
            let entries = match read {
                Ok(e) => e,
                Err(e) => {
                    tracing::warn!(stream = %s.stream, "ledger: read failed: {e}");
                    failed = true;
                    continue;
                }
            };
            if entries.is_empty() {
                pending[i] = false;
                continue;
            }
            busy = true;
            match apply(&mut store, &mut con, s, &entries).await {
                Ok(()) => {}
                Err(e) => {
                    tracing::error!(stream = %s.stream, entries = entries.len(), "ledger: batch not applied, it stays pending and is retried: {e}");
                    pending[i] = true;
                    failed = true;
                }
            }
        }
        if failed {
            if wait(&mut stopped, backoff).await {
                return;
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        } else {
            backoff = Duration::from_millis(100);
            if !busy && wait(&mut stopped, Duration::from_millis(100)).await {
                return;
            }
        }
    }
}

/// Sleeps `d` or until stopped; true if stopped.
async fn wait(stopped: &mut watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => *stopped.borrow(),
        _ = stopped.changed() => true,
    }
}

/// Applies one stream's entries, then acknowledges them.
async fn apply(
    store: &mut Store,
    con: &mut ConnectionManager,
    s: &Source,
    entries: &[Entry],
) -> Result<(), super::LedgerError> {
    let events: Vec<_> = entries.iter().filter_map(|e| event_of(s, e)).collect();
    let started = std::time::Instant::now();
    let applied = store.apply(&events, &s.stream).await?;
    metrics::counter!("weft_ledger_events_total", "result" => "new").increment(applied.new as u64);
    metrics::counter!("weft_ledger_events_total", "result" => "known")
        .increment(applied.known as u64);
    metrics::histogram!("weft_ledger_apply_seconds").record(started.elapsed().as_secs_f64());
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    bus::streams::ack(con, &s.stream, GROUP, &ids)
        .await
        .map_err(super::LedgerError::Redis)?;
    Ok(())
}

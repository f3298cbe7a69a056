//! Sinks: deliver each message of a sink stream (an HTTP request with
//! `Idempotency-Key`, or an atomic file write), at least once. Sink plugins
//! steer the delivery with the headers in [`directives`]. Each delivery
//! writes a [`DeliveryRecord`] to `weft:{flow}:deliveries` in the commit
//! that acknowledges the message, with the receiver's reference read by
//! [`reference`] when the sink names one.

pub mod directives;
pub mod reference;

use std::{path::PathBuf, sync::Arc, time::Duration};

use redis::aio::ConnectionManager;
use tokio::sync::Semaphore;
use tracing::Instrument;

use super::{
    error::SinkError,
    failure::{self, Failed},
    Unit,
};
use crate::{
    bus::{
        codec,
        commit::{self, Commit, Committed},
        delivery::{DeliveryRecord, WRITTEN},
        Entry, Keys,
    },
    config::{Config, RetryPolicy, Sink},
    rate::TokenBucket,
    stamp, FailureClass, Message,
};

enum Delivery {
    Http {
        client: reqwest::Client,
        url: String,
        /// `order_number_pointer`.
        pointer: Option<String>,
    },
    File {
        dir: PathBuf,
    },
}

/// What a successful delivery tells the delivery record.
struct Delivered {
    status: String,
    at_ms: u64,
    key: String,
    reference: String,
    target: String,
}

/// An HTTP sink's `rate_limit` and `max_in_flight`: what keeps a spike
/// from being forwarded to the receiver (the ERP) all at once.
#[derive(Default)]
struct Pace {
    bucket: Option<TokenBucket>,
    slots: Option<Arc<Semaphore>>,
}

/// A sink consuming `weft:{flow}:in:sink:NAME`.
pub struct SinkUnit {
    keys: Keys,
    name: String,
    consumer: String,
    delivery: Delivery,
    retry: RetryPolicy,
    keep: Option<Duration>,
    pace: Pace,
}

impl SinkUnit {
    /// The sink `name` fed by `flow`.
    pub fn new(
        config: &Config,
        flow: &str,
        name: &str,
        consumer: &str,
    ) -> Result<SinkUnit, SinkError> {
        let def = config
            .sinks
            .get(name)
            .ok_or_else(|| SinkError::NoSuchSink(name.to_string()))?;
        let mut pace = Pace::default();
        let (delivery, retry) = match def {
            Sink::Http {
                url,
                timeout_ms,
                retry,
                order_number_pointer,
                rate_limit,
                max_in_flight,
                ..
            } => {
                pace = Pace {
                    bucket: rate_limit.map(TokenBucket::new),
                    slots: max_in_flight.map(|n| Arc::new(Semaphore::new(n.max(1)))),
                };
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_millis(*timeout_ms))
                    .build()
                    .map_err(|source| SinkError::Client {
                        name: name.to_string(),
                        source,
                    })?;
                (
                    Delivery::Http {
                        client,
                        url: url.clone(),
                        pointer: order_number_pointer.clone(),
                    },
                    retry.unwrap_or(config.retry),
                )
            }
            Sink::Stream { .. } => return Err(SinkError::Stream(name.to_string())),
            Sink::File { dir, .. } => {
                std::fs::create_dir_all(dir).map_err(|source| SinkError::Dir {
                    name: name.to_string(),
                    dir: dir.clone(),
                    source,
                })?;
                let removed = remove_stale_temp_files(dir);
                if removed > 0 {
                    tracing::info!(sink = %name, removed, "removed temporary files of interrupted writes");
                }
                (Delivery::File { dir: dir.clone() }, config.retry)
            }
        };
        let keep = Some(def.retention()).filter(|k| !k.is_zero());
        Ok(SinkUnit {
            keep,
            keys: Keys::sink(flow, name),
            name: name.to_string(),
            consumer: consumer.to_string(),
            delivery,
            retry,
            pace,
        })
    }

    /// [`SinkUnit::deliver`] once the rate limit gives a token and an
    /// in-flight slot is free; the wait is recorded in the histogram
    /// `weft_sink_rate_wait_seconds{sink}`, deliveries under way in
    /// the gauge `weft_sink_in_flight{sink}`.
    async fn paced(&self, m: &Message) -> Result<Delivered, (FailureClass, String)> {
        if let Some(b) = &self.pace.bucket {
            let started = std::time::Instant::now();
            b.take().await;
            metrics::histogram!("weft_sink_rate_wait_seconds", "sink" => self.name.clone())
                .record(started.elapsed().as_secs_f64());
        }
        let _slot = match &self.pace.slots {
            Some(s) => Some(
                s.clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| (FailureClass::Retryable, e.to_string()))?,
            ),
            None => None,
        };
        let gauge = metrics::gauge!("weft_sink_in_flight", "sink" => self.name.clone());
        gauge.increment(1.0);
        let r = self.deliver(m).await;
        gauge.decrement(1.0);
        r
    }

    async fn deliver(&self, m: &Message) -> Result<Delivered, (FailureClass, String)> {
        match &self.delivery {
            Delivery::Http {
                client,
                url,
                pointer,
            } => {
                let (method, url) = directives::http_target(url, m)
                    .map_err(|e| (FailureClass::Invalid, e.to_string()))?;
                let url = &url;
                let key = directives::idempotency_key(m);
                let mut req = client
                    .request(method, url)
                    .header("idempotency-key", key)
                    .header("content-type", &m.content_type);
                if !m.correlation_id.is_empty() {
                    req = req.header("x-weft-correlation-id", &m.correlation_id);
                }
                req = req
                    .header("x-weft-kind", &m.kind)
                    .header("x-weft-host", &self.consumer);
                match req.body(m.payload.clone()).send().await {
                    Ok(r) if r.status().is_success() => {
                        let mut done = Delivered {
                            status: r.status().as_u16().to_string(),
                            at_ms: stamp::now_ms(),
                            key: key.to_string(),
                            reference: String::new(),
                            target: r.url().path().to_string(),
                        };
                        if let Some(pointer) = pointer {
                            match reference::read(r, pointer).await {
                                Ok(r) => done.reference = r,
                                Err(why) => self.reference_missing(m, &why),
                            }
                        }
                        Ok(done)
                    }
                    Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => Err((
                        FailureClass::Retryable,
                        format!("{url} answered {}", r.status()),
                    )),
                    Ok(r) => Err((
                        FailureClass::Invalid,
                        format!("{url} refused the message: {}", r.status()),
                    )),
                    Err(e) => Err((FailureClass::Retryable, format!("{url}: {e}"))),
                }
            }
            Delivery::File { dir } => {
                let name = directives::file_name(m);
                let path = dir.join(&name);
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let payload = m.payload.clone();
                tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    std::fs::write(&tmp, payload)?;
                    std::fs::rename(&tmp, &path)
                })
                .await
                .map_err(|e| (FailureClass::Retryable, e.to_string()))?
                .map_err(|e| (FailureClass::Retryable, format!("write failed: {e}")))?;
                Ok(Delivered {
                    status: WRITTEN.into(),
                    at_ms: stamp::now_ms(),
                    key: String::new(),
                    reference: String::new(),
                    target: name,
                })
            }
        }
    }

    /// The receiver accepted `m` but its answer has no reference: the
    /// record's `ref` stays empty (the ledger raises an exception for it).
    fn reference_missing(&self, m: &Message, why: &reference::Missing) {
        metrics::counter!("weft_delivery_ref_missing_total", "sink" => self.name.clone())
            .increment(1);
        tracing::warn!(sink = %self.name, id = %m.id, correlation_id = %m.correlation_id, "delivered, but without an order number: {why}");
    }

    /// The delivery record of `m`.
    fn record(&self, m: &Message, d: Delivered) -> DeliveryRecord {
        let header = |name: &str| m.header(name).unwrap_or_default().trim().to_string();
        DeliveryRecord {
            id: m.id.clone(),
            correlation_id: m.correlation_id.clone(),
            kind: m.kind.clone(),
            content_type: m.content_type.clone(),
            sink: self.name.clone(),
            flow: self.keys.flow.clone(),
            status: d.status,
            at_ms: d.at_ms,
            key: d.key,
            reference: d.reference,
            target: d.target,
            ack_key: header(crate::bus::delivery::ACK_KEY_HEADER),
            ack_doc: header(crate::bus::delivery::ACK_DOC_HEADER),
        }
    }
}

impl Unit for SinkUnit {
    fn keys(&self) -> &Keys {
        &self.keys
    }

    fn dedupes(&self) -> bool {
        true
    }

    fn retention(&self) -> Option<Duration> {
        self.keep
    }

    async fn admit(&self) -> usize {
        match &self.pace.bucket {
            Some(b) => b.available().await,
            None => usize::MAX,
        }
    }

    async fn handle(
        self: Arc<Self>,
        mut entry: Entry,
        done_before: bool,
        mut con: ConnectionManager,
    ) {
        let msg = match codec::take(&mut entry) {
            Ok(m) => m,
            Err(why) => {
                let why = crate::errors::chain(&why);
                let _ = failure::undecodable(&self.keys, &entry, why, &mut con).await;
                return;
            }
        };
        let span = tracing::info_span!("deliver", sink = %self.keys.unit, id = %msg.id, correlation_id = %msg.correlation_id);
        let digest = commit::digest(&msg.payload);
        let mut settle = Commit::new(&self.keys, &entry.id);
        settle.remember(&msg.id, &digest);
        // Delivered before: the same payload is acknowledged without a second
        // delivery (and no second record); another payload under the same
        // id (which the receiver would drop by its Idempotency-Key) is
        // dead-lettered.
        let result = if done_before {
            failure::settle(
                &settle, &self.keys, &entry.id, msg, &digest, "deliver", &mut con,
            )
            .await
            .map(|_| ())
        } else {
            match self.paced(&msg).instrument(span).await {
                Ok(done) => {
                    // The record and the XACK are one commit: written once,
                    // or not at all if the id turns out committed already.
                    let record = self.record(&msg, done);
                    settle.xadd(&Keys::deliveries(&self.keys.flow), record.to_fields());
                    let c = failure::settle(
                        &settle, &self.keys, &entry.id, msg, &digest, "deliver", &mut con,
                    )
                    .await;
                    if matches!(c, Ok(Committed::Done)) {
                        metrics::counter!("weft_processed_total", "unit" => self.keys.unit.clone())
                            .increment(1);
                    }
                    c.map(|_| ())
                }
                Err((class, error)) => {
                    let f = Failed {
                        keys: &self.keys,
                        entry_id: &entry.id,
                        msg,
                        class,
                        error,
                        plugin: String::new(),
                        stage: "deliver".into(),
                        correlation_id: String::new(),
                    };
                    failure::record(f, &self.retry, &mut con).await.map(|_| ())
                }
            }
        };
        if let Err(e) = result {
            tracing::warn!(entry = %entry.id, "sink commit failed, the message will be delivered again: {e}");
        }
    }
}

/// Removes `.<name>.<pid>.tmp` files that writes interrupted by a crash
/// left in `dir`: those of processes no longer alive. (A live host's
/// temporary files are its writes in progress.) Returns how many went.
fn remove_stale_temp_files(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit('.').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive =
            pid != std::process::id() && std::path::Path::new(&format!("/proc/{pid}")).exists();
        if !alive && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::remove_stale_temp_files;

    #[test]
    fn stale_temp_files_of_dead_writers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // pid 4194304 is above Linux's pid_max limit: never alive.
        let dead = dir.path().join(".m1.json.4194304.tmp");
        let ours = dir
            .path()
            .join(format!(".m2.json.{}.tmp", std::process::id()));
        let kept = dir.path().join("m3.json");
        // pid 1 is always alive: a write in progress of a live process.
        let live = dir.path().join(".m4.json.1.tmp");
        for p in [&dead, &ours, &kept, &live] {
            std::fs::write(p, b"").unwrap();
        }
        // Our own pid counts as not writing (the sink is just starting).
        assert_eq!(remove_stale_temp_files(dir.path()), 2);
        assert!(!dead.exists() && !ours.exists() && kept.exists() && live.exists());
    }
}

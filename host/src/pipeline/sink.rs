//! Sinks: deliver each message of a sink stream (an HTTP request with
//! `Idempotency-Key`, or an atomic file write), at least once. Sink plugins
//! steer the delivery with the headers in [`directives`].

pub mod directives;

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use redis::aio::ConnectionManager;
use tracing::Instrument;

use super::{
    failure::{self, Failed},
    Unit,
};
use crate::{
    bus::{codec, commit::Commit, Entry, Keys},
    config::{Config, RetryPolicy, Sink},
    FailureClass, Message,
};

enum Delivery {
    Http {
        client: reqwest::Client,
        url: String,
    },
    File {
        dir: PathBuf,
    },
}

/// A sink consuming `weft:{flow}:in:sink:NAME`.
pub struct SinkUnit {
    keys: Keys,
    consumer: String,
    delivery: Delivery,
    retry: RetryPolicy,
}

impl SinkUnit {
    /// The sink `name` fed by `flow`.
    pub fn new(
        config: &Config,
        flow: &str,
        name: &str,
        consumer: &str,
    ) -> anyhow::Result<SinkUnit> {
        let def = config.sinks.get(name).context("no such sink")?;
        let (delivery, retry) = match def {
            Sink::Http {
                url,
                timeout_ms,
                retry,
            } => {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_millis(*timeout_ms))
                    .build()?;
                (
                    Delivery::Http {
                        client,
                        url: url.clone(),
                    },
                    retry.unwrap_or(config.retry),
                )
            }
            Sink::Stream {} => anyhow::bail!("sink `{name}` is a stream: nothing to deliver"),
            Sink::File { dir } => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("sink `{name}`: cannot create {}", dir.display()))?;
                (Delivery::File { dir: dir.clone() }, config.retry)
            }
        };
        Ok(SinkUnit {
            keys: Keys::sink(flow, name),
            consumer: consumer.to_string(),
            delivery,
            retry,
        })
    }

    async fn deliver(&self, m: &Message) -> Result<(), (FailureClass, String)> {
        match &self.delivery {
            Delivery::Http { client, url } => {
                let (method, url) =
                    directives::http_target(url, m).map_err(|e| (FailureClass::Invalid, e))?;
                let url = &url;
                let mut req = client
                    .request(method, url)
                    .header("idempotency-key", directives::idempotency_key(m))
                    .header("content-type", &m.content_type);
                if !m.correlation_id.is_empty() {
                    req = req.header("x-weft-correlation-id", &m.correlation_id);
                }
                req = req
                    .header("x-weft-kind", &m.kind)
                    .header("x-weft-host", &self.consumer);
                match req.body(m.payload.clone()).send().await {
                    Ok(r) if r.status().is_success() => Ok(()),
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
                .map_err(|e| (FailureClass::Retryable, format!("write failed: {e}")))
            }
        }
    }
}

impl Unit for SinkUnit {
    fn keys(&self) -> &Keys {
        &self.keys
    }

    async fn handle(
        self: Arc<Self>,
        mut entry: Entry,
        _done_before: bool,
        mut con: ConnectionManager,
    ) {
        let msg = match codec::take(&mut entry) {
            Ok(m) => m,
            Err(why) => {
                let _ = failure::undecodable(&self.keys, &entry, why, &mut con).await;
                return;
            }
        };
        let span = tracing::info_span!("deliver", sink = %self.keys.unit, id = %msg.id, correlation_id = %msg.correlation_id);
        let result = match self.deliver(&msg).instrument(span).await {
            Ok(()) => {
                metrics::counter!("weft_processed_total", "unit" => self.keys.unit.clone())
                    .increment(1);
                Commit::new(
                    &self.keys.input(),
                    &self.keys.done(),
                    &self.keys.group(),
                    &entry.id,
                    None,
                )
                .run(&mut con)
                .await
                .map(|_| ())
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
        };
        if let Err(e) = result {
            tracing::warn!(entry = %entry.id, "sink commit failed, the message will be delivered again: {e}");
        }
    }
}

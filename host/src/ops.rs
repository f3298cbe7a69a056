//! Operator commands against a running deployment's Redis: `weft up`,
//! `weft ingest`, `weft dlq …`.

pub mod audit;
mod dlq;
mod error;
pub mod lookup;
mod up;

use std::path::Path;

pub use dlq::{
    dlq, list_line, purge, record_json, records, replay, select, DlqAction, DlqArgs, Replayed,
};
pub use error::OpsError;
pub use up::{up, UpHandle};

use crate::{bus::Keys, config::Config, harness::content_type_for, Message};

/// The Redis to use: `[redis] url`, else `REDIS_URL`, else the private
/// server a running `weft up` recorded in `<data_dir>/redis/url`.
pub fn redis_url(config: &Config) -> Result<String, OpsError> {
    if let Some(u) = config
        .redis
        .url
        .clone()
        .or_else(|| std::env::var("REDIS_URL").ok())
        .filter(|u| !u.is_empty())
    {
        return Ok(u);
    }
    let file = config.host.data_dir.join("redis").join("url");
    std::fs::read_to_string(&file)
        .map(|s| s.trim().to_string())
        .map_err(|source| OpsError::NoRedis { file, source })
}

/// The keys of `unit` (a pipeline, or `sink:NAME`).
pub fn unit_keys(config: &Config, unit: &str) -> Result<Keys, OpsError> {
    if let Some(sink) = unit.strip_prefix("sink:") {
        let flow = config
            .sink_streams()
            .into_iter()
            .find(|(_, s)| s == sink)
            .map(|(f, _)| f);
        return match flow {
            Some(f) => Ok(Keys::sink(&f, sink)),
            None => Err(OpsError::NoSinkRoute(sink.to_string())),
        };
    }
    if !config.pipelines.contains_key(unit) {
        return Err(OpsError::NoPipeline {
            unit: unit.to_string(),
            known: config
                .pipelines
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(Keys::new(&config.flow_of(unit), unit))
}

/// The raw message for an ingested file: id `sha256:<16 hex digits>` of the
/// content, so a re-sent file is the same message.
pub fn file_message(path: &Path) -> Result<Message, OpsError> {
    let payload = std::fs::read(path).map_err(|source| OpsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let id = crate::stamp::content_id(&payload);
    let ct = content_type_for(Some(path), &payload).to_string();
    let mut m = Message::raw(id, ct, payload);
    if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
        m.headers.push(("x-weft-file".into(), name.to_string()));
    }
    Ok(m)
}

/// Queues files on a pipeline's input stream, with a progress bar for
/// many; returns `(message id, entry id)` per file.
pub async fn ingest(
    config: &Config,
    pipeline: &str,
    files: &[std::path::PathBuf],
) -> Result<Vec<(String, String)>, OpsError> {
    let mut queued = Vec::new();
    ingest_each(config, pipeline, files, |id, entry| {
        queued.push((id.to_string(), entry.to_string()))
    })
    .await?;
    Ok(queued)
}

/// Like [`ingest`], calling `on_queued(message id, entry id)` as soon as
/// each file is on the stream — so a caller that fails half-way (Redis
/// gone) has reported exactly what was accepted.
pub async fn ingest_each(
    config: &Config,
    pipeline: &str,
    files: &[std::path::PathBuf],
    mut on_queued: impl FnMut(&str, &str),
) -> Result<usize, OpsError> {
    let keys = unit_keys(config, pipeline)?;
    if pipeline.starts_with("sink:") {
        return Err(OpsError::IngestIntoSink);
    }
    let url = redis_url(config)?;
    let mut con = crate::bus::connect(&url)
        .await
        .map_err(|e| OpsError::connect(&url, e))?;
    let bar = if files.len() > 1 {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut queued = 0;
    for f in files {
        let msg = file_message(f)?;
        let entry = crate::bus::append(&mut con, &keys.input(), &msg)
            .await
            .map_err(|source| OpsError::Queue {
                path: f.clone(),
                url: url.clone(),
                source,
            })?;
        on_queued(&msg.id, &entry);
        queued += 1;
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(queued)
}

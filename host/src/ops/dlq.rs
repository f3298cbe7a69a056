//! `weft dlq list|show|replay|purge`.

use std::io::Write;

use super::OpsError;
use crate::{
    bus::{self, commit, DlqRecord, Keys},
    config::Config,
    deployments::PluginSource,
    engine::Engine,
    pipeline::{failure_headers, PipelineUnit},
};

/// What to do with the dead-letter queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DlqAction {
    /// One line per entry.
    List,
    /// Everything about the selected entries, payload included.
    Show,
    /// Put the selected entries back on the input stream.
    Replay,
    /// Delete the selected entries.
    Purge,
}

/// Options of `weft dlq`.
#[derive(Debug, Clone)]
pub struct DlqArgs {
    /// The action.
    pub action: DlqAction,
    /// Pipeline name or `sink:NAME`.
    pub unit: String,
    /// DLQ entry ids or message ids to act on.
    pub ids: Vec<String>,
    /// Act on every entry.
    pub all: bool,
    /// Replay: print what the current plugins would output, write nothing.
    pub dry_run: bool,
    /// JSON output.
    pub json: bool,
}

async fn read_all(
    con: &mut redis::aio::ConnectionManager,
    keys: &Keys,
) -> Result<Vec<DlqRecord>, OpsError> {
    bus::read_all(con, &keys.dlq())
        .await?
        .iter()
        .map(|e| Ok(DlqRecord::decode(e)?))
        .collect()
}

/// Runs a DLQ command, writing to `out`. Returns how many entries it touched.
///
/// A dry run loads the pipeline's plugins; `source` serves the stages that
/// name a registry version.
pub async fn dlq(
    config: &Config,
    args: &DlqArgs,
    source: Option<&dyn PluginSource>,
    out: &mut dyn Write,
) -> Result<usize, OpsError> {
    let keys = super::unit_keys(config, &args.unit)?;
    let url = super::redis_url(config)?;
    let mut con = bus::connect(&url)
        .await
        .map_err(|e| OpsError::connect(&url, e))?;
    let all = read_all(&mut con, &keys).await?;
    let selected: Vec<&DlqRecord> = match args.action {
        DlqAction::List if args.ids.is_empty() => all.iter().collect(),
        _ if args.all => all.iter().collect(),
        _ if args.ids.is_empty() => return Err(OpsError::NoSelection),
        _ => {
            let sel: Vec<&DlqRecord> = all
                .iter()
                .filter(|r| {
                    args.ids
                        .iter()
                        .any(|i| *i == r.entry_id || *i == r.message.id)
                })
                .collect();
            if sel.is_empty() {
                return Err(OpsError::NoMatch {
                    unit: args.unit.clone(),
                    ids: args.ids.join(", "),
                });
            }
            sel
        }
    };
    match args.action {
        DlqAction::List | DlqAction::Show => {
            for r in &selected {
                if args.json || args.action == DlqAction::Show {
                    let mut v = serde_json::to_value(r)?;
                    v["message"] = r.message.to_json_line();
                    writeln!(
                        out,
                        "{}",
                        if args.action == DlqAction::Show && !args.json {
                            serde_json::to_string_pretty(&v)?
                        } else {
                            serde_json::to_string(&v)?
                        }
                    )?;
                } else {
                    let err: String = r.error.chars().take(100).collect();
                    writeln!(
                        out,
                        "{}  {}  {}  stage={} plugin={} attempts={} corr={} last={}  {}",
                        r.entry_id,
                        r.message.id,
                        r.error_class,
                        r.stage,
                        r.plugin,
                        r.attempts,
                        r.correlation_id,
                        r.last_failure,
                        err
                    )?;
                }
            }
            if !args.json && args.action == DlqAction::List {
                writeln!(out, "{} entries in {}", selected.len(), keys.dlq())?;
            }
        }
        DlqAction::Purge => {
            let mut done = Vec::new();
            let mut failed = None;
            for r in &selected {
                match bus::streams::delete(&mut con, &keys.dlq(), &r.entry_id).await {
                    Ok(_) => done.push(r.entry_id.as_str()),
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            audited(&mut con, "dlq.purge", &args.unit, &done, failed.as_ref()).await;
            if let Some(e) = failed {
                return Err(e.into());
            }
            writeln!(out, "purged {} entries", selected.len())?;
        }
        DlqAction::Replay if args.dry_run => {
            let Some(pipeline) = config.pipelines.get(&args.unit).map(|_| args.unit.clone()) else {
                return Err(OpsError::DryRunNotPipeline(args.unit.clone()));
            };
            let engine = Engine::new(crate::EngineConfig::default())?;
            // Real lookups; counters in memory, so a dry run consumes no
            // control numbers.
            let services = crate::masterdata::Services {
                sequences: Some(std::sync::Arc::new(
                    crate::masterdata::MemorySequences::default(),
                )),
                ..crate::masterdata::Services::redis(&url)?
            };
            let unit = PipelineUnit::load(config, &pipeline, &engine, source, &services).await?;
            for r in &selected {
                match PipelineUnit::run_stages(&unit.stages(), &r.message) {
                    Ok(outputs) => {
                        for m in outputs {
                            writeln!(out, "{}", serde_json::to_string(&m.to_json_line())?)?;
                        }
                    }
                    Err(f) => writeln!(
                        out,
                        "{}: would fail again at stage {} ({}): {}: {}",
                        r.message.id, f.stage, f.plugin, f.class, f.error
                    )?,
                }
            }
        }
        DlqAction::Replay => {
            let mut done = Vec::new();
            let mut failed = None;
            for r in &selected {
                let headers = failure_headers::for_replay(&r.message.headers);
                let json = serde_json::to_string(&headers)?;
                match commit::replay(&mut con, &keys, &r.entry_id, &json).await {
                    Ok(true) => done.push(r.entry_id.as_str()),
                    Ok(false) => writeln!(out, "{}: already gone", r.entry_id)?,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            audited(&mut con, "dlq.replay", &args.unit, &done, failed.as_ref()).await;
            if let Some(e) = failed {
                return Err(e.into());
            }
            writeln!(
                out,
                "replayed {} entries into {}",
                selected.len(),
                keys.input()
            )?;
        }
    }
    Ok(selected.len())
}

/// Records a DLQ action on `unit` in the audit trail: the entries it
/// touched, and the error that stopped it.
async fn audited(
    con: &mut redis::aio::ConnectionManager,
    action: &str,
    unit: &str,
    entries: &[&str],
    failed: Option<&redis::RedisError>,
) {
    let result = failed.map_or_else(|| "ok".to_string(), |e| format!("error: {e}"));
    let detail = serde_json::json!({"entries": entries, "count": entries.len()});
    let e = super::audit::AuditEntry::now(action, unit, detail, &result);
    super::audit::record_or_warn(con, &e).await;
}

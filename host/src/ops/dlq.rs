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

/// Every entry of `keys`' dead-letter queue, oldest first.
pub async fn records(
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
    let all = records(&mut con, &keys).await?;
    let everything = args.action == DlqAction::List && args.ids.is_empty();
    let selected = select(&all, &args.unit, &args.ids, args.all || everything)?;
    match args.action {
        DlqAction::List | DlqAction::Show => {
            for r in &selected {
                if args.json || args.action == DlqAction::Show {
                    let v = record_json(r)?;
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
                    writeln!(out, "{}", list_line(&record_json(r)?))?;
                }
            }
            if !args.json && args.action == DlqAction::List {
                writeln!(out, "{} entries in {}", selected.len(), keys.dlq())?;
            }
        }
        DlqAction::Purge => {
            let n = purge(
                &mut con,
                &keys,
                &args.unit,
                &selected,
                &super::audit::operator(),
            )
            .await?;
            writeln!(out, "purged {n} entries")?;
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
            let r = replay(
                &mut con,
                &keys,
                &args.unit,
                &selected,
                &super::audit::operator(),
            )
            .await?;
            for gone in &r.gone {
                writeln!(out, "{gone}: already gone")?;
            }
            writeln!(
                out,
                "replayed {} entries into {}",
                r.replayed.len(),
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
    who: &str,
    action: &str,
    unit: &str,
    entries: &[&str],
    failed: Option<&redis::RedisError>,
) {
    let result = failed.map_or_else(|| "ok".to_string(), |e| format!("error: {e}"));
    let detail = serde_json::json!({"entries": entries, "count": entries.len()});
    let mut e = super::audit::AuditEntry::now(action, unit, detail, &result);
    e.who = who.to_string();
    super::audit::record_or_warn(con, &e).await;
}

/// The entries of `all` that `ids` name (DLQ entry ids or message ids), or
/// all of them with `every`.
pub fn select<'a>(
    all: &'a [DlqRecord],
    unit: &str,
    ids: &[String],
    every: bool,
) -> Result<Vec<&'a DlqRecord>, OpsError> {
    if every {
        return Ok(all.iter().collect());
    }
    if ids.is_empty() {
        return Err(OpsError::NoSelection);
    }
    let sel: Vec<&DlqRecord> = all
        .iter()
        .filter(|r| ids.iter().any(|i| *i == r.entry_id || *i == r.message.id))
        .collect();
    if sel.is_empty() {
        return Err(OpsError::NoMatch {
            unit: unit.to_string(),
            ids: ids.join(", "),
        });
    }
    Ok(sel)
}

/// A DLQ entry as `weft dlq show --json` and `GET /v1/dlq/{unit}` give
/// it: the record with its message in the JSON-lines form.
pub fn record_json(r: &DlqRecord) -> Result<serde_json::Value, OpsError> {
    let mut v = serde_json::to_value(r)?;
    v["message"] = r.message.to_json_line();
    Ok(v)
}

/// Deletes `selected` from the queue, recorded in the audit trail as
/// `who`'s; how many were deleted.
pub async fn purge(
    con: &mut redis::aio::ConnectionManager,
    keys: &Keys,
    unit: &str,
    selected: &[&DlqRecord],
    who: &str,
) -> Result<usize, OpsError> {
    let mut done = Vec::new();
    let mut failed = None;
    for r in selected {
        match bus::streams::delete(con, &keys.dlq(), &r.entry_id).await {
            Ok(_) => done.push(r.entry_id.as_str()),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    audited(con, who, "dlq.purge", unit, &done, failed.as_ref()).await;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(done.len()),
    }
}

/// What a replay did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Replayed {
    /// DLQ entry ids put back on the input.
    pub replayed: Vec<String>,
    /// DLQ entry ids already gone (replayed or purged meanwhile).
    pub gone: Vec<String>,
}

/// Puts `selected` back on the unit's input (each moved atomically: the
/// XADD and the DLQ deletion together), recorded as `who`'s.
pub async fn replay(
    con: &mut redis::aio::ConnectionManager,
    keys: &Keys,
    unit: &str,
    selected: &[&DlqRecord],
    who: &str,
) -> Result<Replayed, OpsError> {
    let mut out = Replayed::default();
    let mut failed = None;
    for r in selected {
        let headers = failure_headers::for_replay(&r.message.headers);
        let json = serde_json::to_string(&headers)?;
        match commit::replay(con, keys, &r.entry_id, &json).await {
            Ok(true) => out.replayed.push(r.entry_id.clone()),
            Ok(false) => out.gone.push(r.entry_id.clone()),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let done: Vec<&str> = out.replayed.iter().map(String::as_str).collect();
    audited(con, who, "dlq.replay", unit, &done, failed.as_ref()).await;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(out),
    }
}

/// One line of `weft dlq list` for an entry in the form of [`record_json`]:
/// entry, message id, class, stage, plugin, attempts, correlation id, last
/// failure and the first 100 characters of the error.
pub fn list_line(v: &serde_json::Value) -> String {
    let t = |k: &str| match &v[k] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let err: String = t("error").chars().take(100).collect();
    format!(
        "{}  {}  {}  stage={} plugin={} attempts={} corr={} last={}  {}",
        t("entry_id"),
        v["message"]["id"].as_str().unwrap_or_default(),
        t("error_class"),
        t("stage"),
        t("plugin"),
        t("attempts"),
        t("correlation_id"),
        t("last_failure"),
        err
    )
}

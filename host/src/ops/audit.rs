//! The audit trail of operator actions on a deployment (DLQ replay and
//! purge, lookup table loads): who, when, what and the result, appended to
//! the Redis stream [`STREAM`] and never trimmed by weft. Read with `weft
//! audit` or `GET /v1/audit`. (Registry actions — publish, deploy,
//! rollback, yank, keys, tokens — are the registry's to record.)

use std::collections::BTreeMap;

use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};

/// The audit stream (its own hash tag, so a cluster keeps it in one slot).
pub const STREAM: &str = "weft:{audit}:log";

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// The stream entry id (set when read).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entry: String,
    /// When, RFC 3339.
    pub at: String,
    /// Who: `$WEFT_OPERATOR`, else `user@host` of the process.
    pub who: String,
    /// What: `dlq.replay`, `dlq.purge`, `lookup.load`.
    pub action: String,
    /// What it applied to: a unit, a table.
    pub target: String,
    /// The particulars (entry ids, row counts), as JSON text.
    pub detail: String,
    /// `ok`, or `error: …`.
    pub result: String,
}

impl AuditEntry {
    /// An action of the operator running this process, now.
    pub fn now(action: &str, target: &str, detail: serde_json::Value, result: &str) -> AuditEntry {
        AuditEntry {
            entry: String::new(),
            at: jiff::Timestamp::now().to_string(),
            who: operator(),
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
            result: result.to_string(),
        }
    }
}

/// `$WEFT_OPERATOR`, else `$USER@$HOSTNAME` (what is known of them).
pub fn operator() -> String {
    if let Some(o) = std::env::var("WEFT_OPERATOR")
        .ok()
        .filter(|o| !o.is_empty())
    {
        return o;
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into());
    format!("{user}@{host}")
}

/// Appends `e` to the trail.
pub async fn record(con: &mut ConnectionManager, e: &AuditEntry) -> redis::RedisResult<String> {
    redis::cmd("XADD")
        .arg(STREAM)
        .arg("*")
        .arg("at")
        .arg(&e.at)
        .arg("who")
        .arg(&e.who)
        .arg("action")
        .arg(&e.action)
        .arg("target")
        .arg(&e.target)
        .arg("detail")
        .arg(&e.detail)
        .arg("result")
        .arg(&e.result)
        .query_async(con)
        .await
}

/// Records `e`; a trail that cannot be written is a logged warning (the
/// action itself already happened).
pub async fn record_or_warn(con: &mut ConnectionManager, e: &AuditEntry) {
    if let Err(err) = record(con, e).await {
        tracing::warn!(action = %e.action, target = %e.target, "the audit trail could not be written: {err}");
    }
}

/// The newest `limit` entries, newest first, whose action starts with
/// `action` (all when `None`).
pub async fn read(
    con: &mut ConnectionManager,
    action: Option<&str>,
    limit: usize,
) -> redis::RedisResult<Vec<AuditEntry>> {
    let mut out = Vec::new();
    let mut end = "+".to_string();
    // Paged from the newest, so a filter still finds `limit` matches.
    while out.len() < limit {
        let page: Vec<(String, Vec<(String, String)>)> = redis::cmd("XREVRANGE")
            .arg(STREAM)
            .arg(&end)
            .arg("-")
            .arg("COUNT")
            .arg(500)
            .query_async(con)
            .await?;
        let Some(last) = page.last().map(|(id, _)| id.clone()) else {
            break;
        };
        let full = page.len() == 500;
        for (id, fields) in page {
            let f: BTreeMap<String, String> = fields.into_iter().collect();
            let get = |k: &str| f.get(k).cloned().unwrap_or_default();
            let e = AuditEntry {
                entry: id,
                at: get("at"),
                who: get("who"),
                action: get("action"),
                target: get("target"),
                detail: get("detail"),
                result: get("result"),
            };
            if action.is_none_or(|a| e.action.starts_with(a)) && out.len() < limit {
                out.push(e);
            }
        }
        if !full {
            break;
        }
        end = format!("({last}");
    }
    Ok(out)
}

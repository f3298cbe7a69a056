//! `weft lookup load` and `PUT /v1/lookups/{table}`: a table loaded into
//! Redis and the load recorded in the audit trail, one way for both.

use redis::aio::ConnectionManager;

use crate::masterdata::{self, CsvTable, Loaded};

/// Loads `rows` into `table` (replacing it atomically, or merging), and
/// records the load — from `source` (a file name) by `who` — with its
/// result in the audit trail.
pub async fn load(
    con: &mut ConnectionManager,
    table: &str,
    rows: &CsvTable,
    source: &str,
    merge: bool,
    who: &str,
    progress: impl FnMut(usize),
) -> redis::RedisResult<Loaded> {
    let loaded = masterdata::load_redis(con, table, rows, !merge, progress).await;
    let detail = serde_json::json!({
        "file": source,
        "rows": rows.rows.len(),
        "mode": if merge { "merge" } else { "replace" },
    });
    let result = match &loaded {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("error: {e}"),
    };
    let mut entry = super::audit::AuditEntry::now("lookup.load", table, detail, &result);
    entry.who = who.to_string();
    super::audit::record_or_warn(con, &entry).await;
    loaded
}

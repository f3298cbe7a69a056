//! The control stream `weft:control`: the registry announces each new
//! deployment on it, and every host reconciles when it reads one.

use redis::aio::ConnectionManager;

use super::codec;

/// The control stream deployments are announced on.
pub const CONTROL_STREAM: &str = "weft:control";

/// Announcements kept (approximately) on the control stream.
const KEEP: usize = 1000;

/// Announces deployment `id` of `pipeline`/`stage`.
pub async fn announce(
    con: &mut ConnectionManager,
    pipeline: &str,
    stage: &str,
    id: i64,
) -> redis::RedisResult<String> {
    redis::cmd("XADD")
        .arg(CONTROL_STREAM)
        .arg("MAXLEN")
        .arg("~")
        .arg(KEEP)
        .arg("*")
        .arg("pipeline")
        .arg(pipeline)
        .arg("stage")
        .arg(stage)
        .arg("deployment")
        .arg(id)
        .query_async(con)
        .await
}

/// The id of the newest announcement (`0-0` if none or unreadable).
pub async fn position(con: &mut ConnectionManager) -> String {
    let v: redis::RedisResult<redis::Value> = redis::cmd("XREVRANGE")
        .arg(CONTROL_STREAM)
        .arg("+")
        .arg("-")
        .arg("COUNT")
        .arg(1)
        .query_async(con)
        .await;
    v.ok()
        .and_then(|v| codec::parse_entries(v).pop())
        .map(|e| e.id)
        .unwrap_or_else(|| "0-0".into())
}

/// The id of the newest announcement after `after`, waiting up to
/// `block_ms`; `None` when nothing new came.
pub async fn next(
    con: &mut ConnectionManager,
    after: &str,
    block_ms: u64,
) -> redis::RedisResult<Option<String>> {
    let v: redis::Value = redis::cmd("XREAD")
        .arg("BLOCK")
        .arg(block_ms)
        .arg("STREAMS")
        .arg(CONTROL_STREAM)
        .arg(after)
        .query_async(con)
        .await?;
    Ok(codec::parse_read(v).pop().map(|e| e.id))
}

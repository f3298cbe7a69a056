//! Master data in Redis: lookup tables (hash `weft:lookup:<table>`) read by
//! the `lookup` import and loaded by `weft lookup load`, and counters
//! (`weft:seq:<name>`) drawn by `next-sequence`.

use redis::aio::ConnectionManager;

/// The Redis key of lookup table `table`.
pub fn lookup_key(table: &str) -> String {
    format!("weft:lookup:{table}")
}

/// The Redis key of counter `name`.
pub fn sequence_key(name: &str) -> String {
    format!("weft:seq:{name}")
}

/// The value of `key` in lookup table `table` (blocking connection).
pub fn lookup(
    con: &mut redis::Connection,
    table: &str,
    key: &str,
) -> redis::RedisResult<Option<String>> {
    redis::cmd("HGET")
        .arg(lookup_key(table))
        .arg(key)
        .query(con)
}

/// The next value of counter `name` (blocking connection); the first is 1.
pub fn next_sequence(con: &mut redis::Connection, name: &str) -> redis::RedisResult<u64> {
    redis::cmd("INCR").arg(sequence_key(name)).query(con)
}

/// Loads `rows` into table `table`. With `replace`, the table is built
/// under a temporary key and renamed over the old one, so readers see the
/// old table or the new one, never a half-loaded one; otherwise rows are
/// merged into it. `progress` is called with the number of rows written
/// so far. Returns the entries in the table afterwards.
pub async fn load_table(
    con: &mut ConnectionManager,
    table: &str,
    rows: &[(String, String)],
    replace: bool,
    mut progress: impl FnMut(usize),
) -> redis::RedisResult<usize> {
    let key = lookup_key(table);
    let target = if replace {
        format!("{key}:loading")
    } else {
        key.clone()
    };
    if replace {
        redis::cmd("DEL")
            .arg(&target)
            .query_async::<()>(con)
            .await?;
    }
    let mut written = 0;
    for chunk in rows.chunks(1000) {
        let mut cmd = redis::cmd("HSET");
        cmd.arg(&target);
        for (k, v) in chunk {
            cmd.arg(k).arg(v);
        }
        cmd.query_async::<()>(con).await?;
        written += chunk.len();
        progress(written);
    }
    if replace {
        if rows.is_empty() {
            redis::cmd("DEL").arg(&key).query_async::<()>(con).await?;
        } else {
            redis::cmd("RENAME")
                .arg(&target)
                .arg(&key)
                .query_async::<()>(con)
                .await?;
        }
    }
    redis::cmd("HLEN").arg(&key).query_async(con).await
}

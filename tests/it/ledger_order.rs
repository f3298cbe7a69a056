//! Order independence of the ledger through the real path: the canonical
//! events of a multi-channel day (the shipped plugins' outputs for real
//! samples, as their case folders record them) go onto a Redis stream in
//! random orders with random duplicates, through the ledger consumer into
//! PostgreSQL; every documented table and the report and exception
//! answers are compared byte for byte with the first order's.
//!
//! Left out of the comparison (they are arrival times, which a permutation
//! changes by design): `seen_at` of events and orders (and the durations
//! from it, `seen_s` and `book_s`), the stream each
//! event came from, the report's `lag` figures, and `since` of orphan
//! exceptions (seen + grace).
//!
//! Every tenth permutation goes through `weft up` instead, which is killed
//! with `kill -9` while it applies the events one per transaction and then
//! started again: its ledger must equal the others byte for byte.

use std::time::Duration;

use serde_json::Value;
use weft_host::ledger::{consumer, query, report::Period, store::Store};

use super::bus_support::{lit, write_config, TestRedis, UpChild};
use super::ledger_support::{day_messages, TestPostgres};
use super::support::guest_path;

fn strip(mut v: Value) -> Value {
    if let Some(rows) = v.get_mut("channels").and_then(Value::as_array_mut) {
        for r in rows {
            if let Some(o) = r.as_object_mut() {
                o.remove("lag");
            }
        }
    }
    if let Some(rows) = v.get_mut("exceptions").and_then(Value::as_array_mut) {
        // Orphans sort by arrival (seen + grace): compare them by id.
        rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        for r in rows.iter_mut() {
            let orphan = r["type"].as_str().is_some_and(|t| t.starts_with("orphan_"));
            if let (true, Some(o)) = (orphan, r.as_object_mut()) {
                o.remove("since");
            }
        }
    }
    v
}

/// Waits until the ledger's group on `stream` has read and acknowledged
/// every entry.
async fn drained(con: &mut redis::aio::ConnectionManager, stream: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        let groups: Vec<std::collections::HashMap<String, redis::Value>> = redis::cmd("XINFO")
            .arg("GROUPS")
            .arg(stream)
            .query_async(con)
            .await
            .unwrap_or_default();
        let left = groups
            .iter()
            .find(|g| {
                matches!(g.get("name"), Some(redis::Value::BulkString(n)) if n == b"weft:ledger")
            })
            .and_then(|g| {
                let n = |k: &str| match g.get(k) {
                    Some(redis::Value::Int(i)) => Some(*i),
                    _ => None,
                };
                Some(n("lag")? + n("pending")?)
            });
        if left == Some(0) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the ledger did not drain {stream}: {left:?} left"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The ledger fed `order` on `stream` by a consumer in this process.
async fn run_once(redis: &str, db: &str, stream: &str, order: &[weft_host::Message]) -> String {
    let mut con = weft_host::bus::connect(redis).await.unwrap();
    weft_host::bus::append_all(&mut con, stream, order.iter().cloned())
        .await
        .unwrap();
    let store = Store::connect(db, Default::default()).await.unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let src = consumer::Source {
        stream: stream.to_string(),
        kind: consumer::StreamKind::Input,
        unit: "day".into(),
        booking: Vec::new(),
    };
    let task = tokio::spawn(consumer::run(
        store,
        con.clone(),
        vec![src],
        "t".into(),
        7, // small batches: many transactions per permutation
        Duration::from_secs(30),
        stopped,
    ));
    drained(&mut con, stream).await;
    let _ = stop.send(true);
    task.await.unwrap();
    answer(db, order).await
}

/// The ledger fed `order` by `weft up` (one event per transaction), killed
/// with `kill -9` once `kill_after` events are stored, then started again.
/// Returns the answer and how many events were stored at the kill.
async fn run_killed(
    redis: &str,
    db: &str,
    flow: &str,
    order: &[weft_host::Message],
    kill_after: i64,
) -> (String, i64) {
    let tmp = tempfile::tempdir().unwrap();
    // The ledger reads pipeline b's input; b routes nothing, so no sink
    // delivers (a delivery record would be one more event) and its dead
    // letters stay out of the ledger.
    let cfg = write_config(
        tmp.path(),
        &format!(
            r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
data_dir = {data}
consumer = "perm"
[pipelines.a]
flow = "{flow}"
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "pipeline:b" }}
[pipelines.b]
flow = "{flow}"
stages = [{{ plugin = {plugin} }}]
routes = {{ "never.emitted" = "sink:out" }}
[sinks.out]
type = "stream"
[ledger]
url = "{db}"
units = ["b"]
dead_letters = false
batch = 1
"#,
            data = lit(&tmp.path().join("data")),
            plugin = lit(&guest_path("guest-echo")),
        ),
    );
    let stream = format!("weft:{{{flow}}}:in:b");
    let mut up = UpChild::spawn(&cfg);
    let reader = Store::connect(db, Default::default()).await.unwrap();
    let mut con = weft_host::bus::connect(redis).await.unwrap();
    weft_host::bus::append_all(&mut con, &stream, order.iter().cloned())
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut stored = 0;
    while stored < kill_after && std::time::Instant::now() < deadline {
        stored = reader.count_events().await.unwrap();
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    up.kill9();
    let at_kill = reader.count_events().await.unwrap();
    let mut up = UpChild::spawn(&cfg);
    drained(&mut con, &stream).await;
    assert_eq!(up.sigterm(), Some(0));
    (answer(db, order).await, at_kill)
}

/// Every documented table, the report and the exceptions, as text.
async fn answer(db: &str, order: &[weft_host::Message]) -> String {
    let reader = Store::connect(db, Default::default()).await.unwrap();
    // Canonical documents only: acknowledgements (997) and the like are not events.
    let distinct: std::collections::BTreeSet<&str> = order
        .iter()
        .filter(|m| weft_host::ledger::facts::from_message(m, 0).is_some())
        .map(|m| m.id.as_str())
        .collect();
    let cfg = weft_host::config::ledger::LedgerConfig::default();
    let stored = reader
        .dump(&["seen_at", "seen_s", "book_s", "stream"])
        .await
        .unwrap();
    let events = stored
        .lines()
        .filter(|l| l.starts_with("ledger_events "))
        .count();
    assert_eq!(events, distinct.len(), "every distinct event stored once");
    let report = query::channels(&reader, Period::default(), None)
        .await
        .unwrap();
    // A fixed as-of far ahead: every service level is due.
    let as_of = weft_host::ledger::facts::parse_time("2100-01-01").unwrap();
    let exc = query::exceptions(&reader, &cfg, Some(as_of), None, None)
        .await
        .unwrap();
    format!(
        "{stored}\nreport {}\nexceptions {}\n",
        strip(report),
        strip(exc)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_order_with_duplicates_gives_the_same_tables_report_and_exceptions() {
    let Some(pg) = TestPostgres::start() else {
        return;
    };
    let redis = TestRedis::start();
    let day = day_messages();
    assert!(day.len() >= 15, "the day has {} events", day.len());
    let runs: usize = std::env::var("WEFT_LEDGER_PERMUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let mut first: Option<String> = None;
    let mut killed_mid_apply = 0;
    for i in 0..runs {
        let mut rng = fastrand::Rng::with_seed(i as u64 + 1);
        let mut order = day.clone();
        for _ in 0..rng.usize(0..=day.len() / 3) {
            let d = day[rng.usize(0..day.len())].clone();
            order.push(d);
        }
        if i > 0 {
            rng.shuffle(&mut order);
        }
        let db = pg.database(&format!("perm{i}")).await;
        let got = if i % 10 == 3 {
            // Through `weft up`, killed mid-apply and started again.
            let distinct = order
                .iter()
                .filter(|m| weft_host::ledger::facts::from_message(m, 0).is_some())
                .map(|m| m.id.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len() as i64;
            let kill_after = 1 + rng.i64(0..distinct / 2);
            let (got, at_kill) =
                run_killed(&redis.url(), &db, &format!("k{i}"), &order, kill_after).await;
            println!("permutation {i}: killed with {at_kill} of {distinct} events stored");
            if at_kill < distinct {
                killed_mid_apply += 1;
            }
            got
        } else {
            run_once(&redis.url(), &db, &format!("weft:{{p{i}}}:in:day"), &order).await
        };
        match &first {
            None => first = Some(got),
            Some(f) => {
                if *f != got {
                    let diff: Vec<String> = f
                        .lines()
                        .zip(got.lines())
                        .filter(|(a, b)| a != b)
                        .take(3)
                        .map(|(a, b)| format!("first: {a}\nthis:  {b}"))
                        .collect();
                    let (a, b): (Vec<&str>, Vec<&str>) =
                        (f.lines().collect(), got.lines().collect());
                    let extra: Vec<&&str> = if a.len() > b.len() {
                        a[b.len()..].iter().take(3).collect()
                    } else {
                        b[a.len()..].iter().take(3).collect()
                    };
                    panic!(
                        "permutation {i} differs ({} lines vs {}):\n{}\nextra: {extra:?}",
                        a.len(),
                        b.len(),
                        diff.join("\n")
                    );
                }
            }
        }
    }
    if runs > 3 {
        assert!(
            killed_mid_apply > 0,
            "no kill came before the ledger had applied everything"
        );
    }
    println!(
        "{runs} permutations of {} events gave identical ledgers ({killed_mid_apply} killed mid-apply)",
        day.len()
    );
}

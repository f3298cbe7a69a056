//! Order independence of the ledger through the real path: the canonical
//! events of a multi-channel day (the shipped plugins' outputs for real
//! samples, as their case folders record them) go onto a Redis stream in
//! random orders with random duplicates, through the ledger consumer into
//! PostgreSQL; every documented table and the report and exception
//! answers are compared byte for byte with the first order's.
//!
//! Left out of the comparison (they are arrival times, which a permutation
//! changes by design): `seen_at` of events and orders, the stream each
//! event came from, the report's `lag` figures, and `since` of orphan
//! exceptions (seen + grace).

use std::time::Duration;

use serde_json::Value;
use weft_host::ledger::{consumer, query, report::Period, store::Store};

use super::bus_support::TestRedis;
use super::ledger_support::{day_messages, TestPostgres};

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
    let reader = Store::connect(db, Default::default()).await.unwrap();
    // Canonical documents only: acknowledgements (997) and the like are not events.
    let distinct: std::collections::BTreeSet<&str> = order
        .iter()
        .filter(|m| weft_host::ledger::facts::from_message(m, 0).is_some())
        .map(|m| m.id.as_str())
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let lag: i64 = redis::cmd("XINFO")
            .arg("GROUPS")
            .arg(stream)
            .query_async::<Vec<std::collections::HashMap<String, redis::Value>>>(&mut con)
            .await
            .ok()
            .and_then(|g| {
                let g = g.into_iter().next()?;
                let n = |k: &str| match g.get(k) {
                    Some(redis::Value::Int(i)) => Some(*i),
                    _ => None,
                };
                Some(n("lag")? + n("pending")?)
            })
            .unwrap_or(1);
        if lag == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the ledger did not drain {stream}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    task.await.unwrap();
    let cfg = weft_host::config::ledger::LedgerConfig::default();
    let stored = reader.dump(&["seen_at", "stream"]).await.unwrap();
    let events = stored
        .lines()
        .filter(|l| l.starts_with("ledger_events "))
        .count();
    assert_eq!(events, distinct.len(), "every distinct event stored once");
    let report = query::channels(&reader, &cfg, Period::default(), None)
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
        let got = run_once(&redis.url(), &db, &format!("weft:{{p{i}}}:in:day"), &order).await;
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
                    panic!("permutation {i} differs:\n{}", diff.join("\n"));
                }
            }
        }
    }
    println!(
        "{runs} permutations of {} events gave identical ledgers",
        day.len()
    );
}

//! The ledger's part of the pipeline benchmark.

use std::time::{Duration, Instant};

use weft_host::{
    bus,
    ledger::{consumer, query, report::Period, store::Store},
    Message,
};

/// When order `i`'s shipment left: 1 to 49 hours after it was placed, a
/// different second for nearly every order (as real ship times are), so
/// the report's duration counts are as many as the orders.
fn shipped_at(i: usize) -> String {
    let placed: jiff::Timestamp = format!("2026-11-{:02}T09:00:00Z", 1 + i % 28)
        .parse()
        .expect("time");
    let after = 3600 + (i as i64 * 7919) % 172_800;
    (placed + jiff::SignedDuration::from_secs(after)).to_string()
}

fn event(i: usize, shipment: bool) -> Message {
    let (kind, doc) = if shipment {
        (
            "shipment.dispatched",
            serde_json::json!({"schema":"weft.shipment/1","shipment_id":format!("S{i}"),"channel":format!("x12:P{}", i % 7),
                "correlation_id":format!("b:{i}"),"order_refs":[format!("{i}")],"shipped_at":shipped_at(i),
                "packages":[{"items":[{"sku":"A","quantity":"2","order_id":format!("{i}")},{"sku":"B","quantity":"1","order_id":format!("{i}")}]}]}),
        )
    } else {
        (
            "order.created",
            serde_json::json!({"schema":"weft.order/1","order_id":format!("{i}"),"channel":format!("x12:P{}", i % 7),
                "correlation_id":format!("b:{i}"),"purpose":"original","ordered_at":format!("2026-11-{:02}T09:00:00Z", 1 + i % 28),
                "currency":"USD","totals":{"total":"40.00"},
                "lines":[{"line_id":"1","sku":"A","quantity":"2","unit_price":"10.00"},{"line_id":"2","sku":"B","quantity":"2","unit_price":"10.00"}]}),
        )
    };
    Message {
        id: format!("{kind}:{i}"),
        correlation_id: format!("b:{i}"),
        kind: kind.into(),
        content_type: "application/json".into(),
        payload: doc.to_string().into_bytes(),
        ..Default::default()
    }
}

/// Feeds `events` onto a stream and runs the consumer until it is drained;
/// events applied per second.
async fn feed(
    redis: &str,
    db: &str,
    stream: &str,
    events: impl Iterator<Item = Message>,
    count: usize,
) -> f64 {
    let mut con = bus::connect(redis).await.expect("redis");
    bus::append_all(&mut con, stream, events)
        .await
        .expect("xadd");
    let store = Store::connect(db, Default::default()).await.expect("store");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let src = consumer::Source {
        stream: stream.to_string(),
        kind: consumer::StreamKind::Input,
        unit: "bench".into(),
        booking: Vec::new(),
    };
    let started = Instant::now();
    let task = tokio::spawn(consumer::run(
        store,
        con.clone(),
        vec![src],
        "bench".into(),
        std::env::var("WEFT_BENCH_LEDGER_BATCH")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(weft_host::config::ledger::LedgerConfig::default().batch),
        Duration::from_secs(30),
        stopped,
    ));
    // Done when the ledger's group has read and acknowledged every entry
    // (it acknowledges a batch only once its transaction committed). Asked
    // of Redis, not of the database, so that watching costs the ledger
    // nothing (counting its rows every 20 ms took about 8 % of a core).
    while !drained(&mut con, stream).await {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rate = count as f64 / started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    let _ = task.await;
    let reader = Store::connect(db, Default::default()).await.expect("store");
    assert_eq!(
        reader.count_events().await.expect("count"),
        count as i64,
        "every event applied"
    );
    rate
}

/// Whether the ledger's consumer group on `stream` has nothing left to
/// read (`lag` 0) and nothing pending (`XINFO GROUPS`).
async fn drained(con: &mut redis::aio::ConnectionManager, stream: &str) -> bool {
    let groups: Vec<Vec<redis::Value>> = match redis::cmd("XINFO")
        .arg("GROUPS")
        .arg(stream)
        .query_async(con)
        .await
    {
        Ok(g) => g,
        Err(_) => return false,
    };
    let field = |g: &[redis::Value], name: &str| {
        g.chunks(2).find_map(|kv| match kv {
            [redis::Value::BulkString(k), v] if k.as_slice() == name.as_bytes() => Some(v.clone()),
            _ => None,
        })
    };
    groups.iter().any(|g| {
        field(g, "name")
            == Some(redis::Value::BulkString(
                consumer::GROUP.as_bytes().to_vec(),
            ))
            && field(g, "lag") == Some(redis::Value::Int(0))
            && field(g, "pending") == Some(redis::Value::Int(0))
    })
}

/// (d): `n` events (n/2 orders, each with its shipment), in their own database.
pub async fn apply_rate(redis: &str, pg: &str, n: usize) -> f64 {
    let db = database(pg, "bench_rate").await;
    let orders = (n / 2).max(1);
    let events = (0..orders).flat_map(|i| [event(i, false), event(i, true)]);
    feed(redis, &db, "weft:{bench}:in:rate", events, orders * 2).await
}

/// Channel report latency over `orders` orders: now (derived tables), as
/// of past times (late shipments restate 1 %, 10 % and 50 % of the
/// orders), and the open exceptions now. Every order is fed before every
/// shipment, so the events seen last are shipments of earlier orders: the
/// "why did last week's fill rate change" shape.
pub async fn report_latency(redis: &str, pg: &str, orders: usize) {
    let db = database(pg, "bench_report").await;
    let events = (0..orders)
        .map(|i| event(i, false))
        .chain((0..orders).map(|i| event(i, true)));
    let rate = feed(redis, &db, "weft:{bench}:in:report", events, orders * 2).await;
    let store = Store::connect(&db, Default::default())
        .await
        .expect("store");
    let time =
        |label: String, d: Duration| println!("    {label}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
    let report_now = || async {
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let v = query::channels(&store, Period::default(), None)
                .await
                .expect("report");
            best = best.min(t.elapsed());
            assert_eq!(v["channels"].as_array().map(Vec::len), Some(7));
        }
        best
    };
    println!(
        "ledger over {orders} orders ({} events, applied at {rate:.0} events/s):",
        orders * 2
    );
    // Right after the load every order row has a dead predecessor (each
    // was rewritten when its shipment came); autovacuum removes them
    // within its next rounds. Both states are measured.
    time(
        "channel report, now, right after the load (best of 3)".into(),
        report_now().await,
    );
    vacuum(&db).await;
    time(
        "channel report, now, after VACUUM ANALYZE (best of 3)".into(),
        report_now().await,
    );
    let mut sums = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let _ = store
            .report_sums(Period::default(), &[])
            .await
            .expect("sums");
        sums = sums.min(t.elapsed());
    }
    time(
        "  of which the database's sums and durations (best of 3)".into(),
        sums,
    );
    for late in [1, 10, 50] {
        let as_of = store
            .seen_quantile(1.0 - f64::from(late) / 100.0)
            .await
            .expect("seen times");
        let t = Instant::now();
        let v = query::channels(&store, Period::default(), Some(as_of))
            .await
            .expect("as_of report");
        let d = t.elapsed();
        assert_eq!(v["channels"].as_array().map(Vec::len), Some(7));
        time(
            format!("channel report, as_of with {late:>2} % of events seen later"),
            d,
        );
        if late == 10 {
            let t = Instant::now();
            let r = store.restate(as_of).await.expect("restate");
            time(
                format!("  of which restating {} orders (read + fold)", r.keys.len()),
                t.elapsed(),
            );
            let t = Instant::now();
            let _ = store
                .report_sums(Period::default(), &r.keys)
                .await
                .expect("sums");
            time(
                "  of which the database's sums of the rest".into(),
                t.elapsed(),
            );
        }
    }
    let t = Instant::now();
    let _ = query::exceptions(&store, &Default::default(), None, None, None)
        .await
        .expect("exceptions");
    time("open exceptions, now".into(), t.elapsed());
}

/// `VACUUM (ANALYZE)` of the ledger's tables: what autovacuum leaves.
async fn vacuum(db: &str) {
    let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
        .await
        .expect("postgres");
    tokio::spawn(conn);
    client
        .batch_execute(
            "VACUUM (ANALYZE) ledger_orders, ledger_events, ledger_event_orders, ledger_aliases, ledger_refs",
        )
        .await
        .expect("vacuum");
}

async fn database(pg: &str, name: &str) -> String {
    let (client, conn) = tokio_postgres::connect(pg, tokio_postgres::NoTls)
        .await
        .expect("postgres");
    tokio::spawn(conn);
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .expect("drop database");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let (prefix, _) = pg.rsplit_once('/').expect("a database in the URL");
    format!("{prefix}/{name}")
}

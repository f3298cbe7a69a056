//! The ledger across `kill -9` in the configuration a new user runs: no
//! Redis and no database configured, so `weft up` runs its private Redis
//! and its private PostgreSQL. 10 000 orders flow through a pipeline into
//! the ledger; weft is killed while the ledger applies them and started
//! again: every event is stored once, every order once, nothing pending.

use std::{path::Path, time::Duration};

use weft_host::Message;

use super::{
    bus_support::{lit, wait_until, write_config, UpChild},
    support::guest_path,
};

const ORDERS: usize = 10_000;

fn config(data: &Path) -> String {
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[host]
data_dir = {data}
consumer = "ledger-crash"
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
[ledger]
batch = 64
"#,
        data = lit(data),
        plugin = lit(&guest_path("guest-echo")),
    )
}

fn order(i: usize) -> Message {
    let doc = serde_json::json!({
        "schema": "weft.order/1", "order_id": format!("{i}"), "channel": "crash", "purpose": "original",
        "correlation_id": format!("crash:{i}"), "ordered_at": "2026-11-30T10:00:00Z",
        "currency": "EUR", "totals": {"total": "12.50"},
        "lines": [{"line_id": "1", "sku": "A", "quantity": "2", "unit_price": "6.25"}],
    });
    Message {
        id: format!("crash-{i}"),
        correlation_id: format!("crash:{i}"),
        kind: "order.created".into(),
        content_type: "application/json".into(),
        payload: doc.to_string().into_bytes(),
        ..Default::default()
    }
}

async fn counts(data: &Path) -> Option<(i64, i64)> {
    let url = std::fs::read_to_string(data.join("postgres/url")).ok()?;
    let (client, conn) = tokio_postgres::connect(url.trim(), tokio_postgres::NoTls)
        .await
        .ok()?;
    tokio::spawn(conn);
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM ledger_events), (SELECT count(*) FROM ledger_orders)",
            &[],
        )
        .await
        .ok()?;
    Some((row.get(0), row.get(1)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_the_ledger_applies_counts_every_event_once() {
    if weft_host::ledger::server::bindir().is_err() {
        println!("skipping: PostgreSQL is not installed (scripts/install-postgres.sh)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let cfg = write_config(tmp.path(), &config(&data));
    let mut up = UpChild::spawn(&cfg);
    let mut con = weft_host::bus::connect(&up.redis_url).await.unwrap();
    weft_host::bus::append_all(&mut con, "weft:{p}:in:p", (0..ORDERS).map(order))
        .await
        .unwrap();
    // Kill it mid-apply: some events stored, not all.
    let mut at_kill = (0, 0);
    assert!(
        wait_until(Duration::from_secs(120), || {
            let c = futures_lite(counts(&data));
            if let Some(c) = c {
                at_kill = c;
            }
            at_kill.0 >= 500
        })
        .await,
        "the ledger stored nothing within 120 s"
    );
    up.kill9();
    println!(
        "killed with {} events, {} orders stored",
        at_kill.0, at_kill.1
    );
    assert!(
        at_kill.0 < ORDERS as i64,
        "the kill came too late to prove anything"
    );
    let up = UpChild::spawn(&cfg);
    let mut last = (0, 0);
    let done = wait_until(Duration::from_secs(240), || {
        if let Some(c) = futures_lite(counts(&data)) {
            last = c;
        }
        last == (ORDERS as i64, ORDERS as i64)
    })
    .await;
    assert!(done, "after the restart: {last:?} of {ORDERS}");
    let mut con = weft_host::bus::connect(&up.redis_url).await.unwrap();
    let pending: redis::Value = redis::cmd("XPENDING")
        .arg("weft:{p}:in:sink:out")
        .arg("weft:ledger")
        .query_async(&mut con)
        .await
        .unwrap();
    let redis::Value::Array(p) = pending else {
        panic!("{pending:?}")
    };
    assert_eq!(
        p.first(),
        Some(&redis::Value::Int(0)),
        "nothing left pending"
    );
    println!("after the restart: {ORDERS} events, {ORDERS} orders, 0 pending");
}

/// Runs a future to completion from a synchronous closure (the test's
/// runtime has a spare worker thread).
fn futures_lite<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

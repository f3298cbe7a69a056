//! Messages per second through a two-stage pipeline (shopify-orders →
//! validate-order) on a loopback redis-server, against, in the same run:
//! (a) raw XREADGROUP + XADD + XACK with the same batch size and payload
//! and no plugins, and (b) the same pipeline with the stages compiled
//! natively.
//!
//! (d) the ledger consumer applying canonical events (an order and its
//! shipment per order) from a stream into a private PostgreSQL, against
//! (c); then the channel report's latency over `WEFT_BENCH_ORDERS` orders
//! (default 100 000), now and `as_of` (recomputed from the events).
//!
//! `cargo bench -p weft-host --bench pipeline` (needs `scripts/build-wasm.sh`);
//! `WEFT_BENCH_N` sets the message count (default 10 000),
//! `WEFT_BENCH_CONCURRENCY` the messages in flight per pipeline (default 4),
//! `WEFT_BENCH_TABLE_N` the messages of each run of the size and
//! concurrency tables (default N / 5; a fifth of that at 300 KB),
//! `WEFT_BENCH_SKIP_LEDGER=1` stops after the pipeline figures,
//! `WEFT_BENCH_ONLY=a|b|c|d` runs that one alone (to profile it;
//! `WEFT_BENCH_SIZE=1|30|300` picks its payload in KB, default 30),
//! `WEFT_BENCH_PG` a PostgreSQL URL to use instead of a private server
//! (its databases `bench_rate` and `bench_report` are replaced),
//! `WEFT_BENCH_LEDGER_BATCH` the ledger consumer's batch (default: `[ledger] batch`'s).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "a benchmark: a failed set-up is a failed run"
)]

use std::{path::Path, sync::Arc, time::Duration};

use weft_host::{
    bus::{self, codec, Keys, RedisServer},
    config,
    engine::CallContext,
    pipeline::{Consumer, Processor, Runtime, StageRt},
    Failure, FailureClass, Message,
};

const BATCH: usize = 64;

struct Native(fn(weft_sdk::Message) -> Result<Vec<weft_sdk::Message>, weft_sdk::PluginError>);

impl Processor for Native {
    fn process(&self, m: &Message, _ctx: &CallContext) -> Result<Vec<Message>, Failure> {
        let input = weft_sdk::Message {
            id: m.id.clone(),
            correlation_id: m.correlation_id.clone(),
            kind: m.kind.clone(),
            content_type: m.content_type.clone(),
            headers: m.headers.clone(),
            payload: m.payload.clone(),
        };
        match (self.0)(input) {
            Ok(out) => Ok(out
                .into_iter()
                .map(|o| Message {
                    id: o.id,
                    correlation_id: o.correlation_id,
                    kind: o.kind,
                    content_type: o.content_type,
                    headers: o.headers,
                    payload: o.payload,
                })
                .collect()),
            Err(weft_sdk::PluginError::Invalid(e)) => Err(Failure::new(FailureClass::Invalid, e)),
            Err(weft_sdk::PluginError::Retryable(e)) => {
                Err(Failure::new(FailureClass::Retryable, e))
            }
        }
    }
}

async fn preload(con: &mut redis::aio::ConnectionManager, stream: &str, payload: &[u8], n: usize) {
    let messages = (0..n).map(|i| Message {
        id: format!("b{i}"),
        kind: "raw".into(),
        content_type: "application/json".into(),
        payload: payload.to_vec(),
        ..Default::default()
    });
    bus::append_all(con, stream, messages)
        .await
        .expect("preload");
}

async fn raw(con: &mut redis::aio::ConnectionManager, payload: &[u8], n: usize) -> cpu::Cost {
    let (input, out, group) = ("bench:{raw}:in", "bench:{raw}:out", "g");
    preload(con, input, payload, n).await;
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(input)
        .arg(group)
        .arg("0")
        .query_async(con)
        .await
        .expect("group");
    let mark = cpu::mark(con).await;
    let mut done = 0;
    while done < n {
        let v: redis::Value = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(group)
            .arg("c")
            .arg("COUNT")
            .arg(BATCH)
            .arg("STREAMS")
            .arg(input)
            .arg(">")
            .query_async(con)
            .await
            .expect("read");
        let entries = codec::parse_read(v);
        let mut pipe = redis::pipe();
        for e in &entries {
            let mut add = redis::cmd("XADD");
            add.arg(out).arg("*");
            for (k, v) in &e.fields {
                add.arg(k).arg(v.as_slice());
            }
            pipe.add_command(add).ignore();
            pipe.cmd("XACK").arg(input).arg(group).arg(&e.id).ignore();
        }
        pipe.query_async::<()>(con).await.expect("commit");
        done += entries.len();
    }
    cpu::since(mark, con, n).await
}

/// A run of the two-stage pipeline: `concurrency` messages in flight.
struct Run<'a> {
    name: &'a str,
    payload: &'a [u8],
    n: usize,
    native: bool,
    concurrency: usize,
}

async fn pipeline(url: &str, dir: &Path, root: &Path, run: Run<'_>) -> cpu::Cost {
    let Run {
        name,
        payload,
        n,
        native,
        concurrency,
    } = run;
    let text = format!(
        "[redis]\nurl = \"{url}\"\n[pipelines.{name}]\nstages = [{{ plugin = {:?} }}, {{ plugin = {:?} }}]\nroutes = {{ \"order.*\" = \"sink:out\" }}\n[sinks.out]\ntype = \"stream\"\n",
        root.join("target/plugins/shopify-orders.wasm").display().to_string(),
        root.join("target/plugins/validate-order.wasm").display().to_string(),
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).expect("config");
    let cfg = Arc::new(config::load(&path).expect("config"));
    let mut con = bus::connect(url).await.expect("redis");
    preload(&mut con, &Keys::new(name, name).input(), payload, n).await;
    let stages = if native {
        vec![(
            name.to_string(),
            vec![
                StageRt {
                    name: "source".into(),
                    label: "native".into(),
                    processor: Box::new(Native(
                        <shopify_orders::ShopifyOrders as weft_sdk::Plugin>::process,
                    )),
                    ctx: CallContext::default(),
                },
                StageRt {
                    name: "validate".into(),
                    label: "native".into(),
                    processor: Box::new(Native(
                        <validate_order::ValidateOrder as weft_sdk::Plugin>::process,
                    )),
                    ctx: CallContext::default(),
                },
            ],
        )]
    } else {
        Vec::new()
    };
    let consumer = Consumer {
        name: "bench".into(),
        batch: BATCH,
        concurrency,
        claim_idle: Duration::from_secs(30),
        dedupe_retention: Duration::from_secs(3600),
    };
    let runtime = Runtime::start_with(cfg, url, consumer, None, stages)
        .await
        .expect("runtime");
    let mark = cpu::mark(&mut con).await;
    let out = Keys::sink(name, "out").input();
    loop {
        let len: usize = redis::cmd("XLEN")
            .arg(&out)
            .query_async(&mut con)
            .await
            .expect("xlen");
        if len >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cost = cpu::since(mark, &mut con, n).await;
    runtime.shutdown().await;
    cost
}

/// The ledger's database: `WEFT_BENCH_PG`, a server of one's own (to
/// profile it), else a private one in `dir` (returned, to be stopped).
fn ledger_server(dir: &Path) -> (Option<weft_host::ledger::server::PrivatePostgres>, String) {
    if let Ok(url) = std::env::var("WEFT_BENCH_PG") {
        return (None, url);
    }
    let pg =
        weft_host::ledger::server::PrivatePostgres::start(&dir.join("pg")).expect("PostgreSQL");
    let url = pg.url();
    (Some(pg), url)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` probes; nothing to list
    }
    let n: usize = std::env::var("WEFT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let payload = std::fs::read(
        root.join("../shared/realdata/shopify/rest-2026-07_GET_order_450789469.json"),
    )
    .expect("real sample");
    let dir = tempfile::tempdir().expect("tempdir");
    let server = RedisServer::start(&dir.path().join("redis"), None).expect("redis-server");
    let url = server.url();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio");
    rt.block_on(async {
        let mut con = bus::connect(&url).await.expect("redis");
        // Measure processing, not persistence: with AOF on, the ~1 GB each
        // run writes triggers background rewrites (fork + compression) that
        // would tax whichever run comes last. Each run starts empty.
        let _: () = redis::cmd("CONFIG").arg("SET").arg("appendonly").arg("no").query_async(&mut con).await.expect("config");
        let flush = |mut con: redis::aio::ConnectionManager| async move {
            let _: () = redis::cmd("FLUSHALL").query_async(&mut con).await.expect("flushall");
        };
        flush(con.clone()).await;
        let concurrency: usize = std::env::var("WEFT_BENCH_CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
        // `WEFT_BENCH_ONLY=b` (or a, c): that run alone, for a profiler.
        if let Ok(only) = std::env::var("WEFT_BENCH_ONLY") {
            // `WEFT_BENCH_SIZE=1` (or 30, 300): that payload of the size table.
            let size = std::env::var("WEFT_BENCH_SIZE").unwrap_or_else(|_| "30".into());
            let payload = payloads::sizes(&payload)
                .into_iter()
                .find(|(label, _)| label.split(' ').next() == Some(size.as_str()))
                .map(|(_, p)| p)
                .expect("WEFT_BENCH_SIZE: 1, 30 or 300");
            if only == "d" {
                let (private, pg_url) = ledger_server(dir.path());
                let d = ledger::apply_rate(&url, &pg_url, n).await;
                println!("(d) {d:.0} events/s");
                if let Some(pg) = private {
                    pg.stop();
                }
                return;
            }
            let cost = match only.as_str() {
                "a" => raw(&mut con, &payload, n).await,
                "b" | "c" => pipeline(&url, dir.path(), &root, Run { name: "only", payload: &payload, n, native: only == "b", concurrency }).await,
                other => panic!("WEFT_BENCH_ONLY={other}: a, b, c or d"),
            };
            println!("({only}) {}", cost.show());
            return;
        }
        let a = raw(&mut con, &payload, n).await;
        flush(con.clone()).await;
        let b = pipeline(&url, dir.path(), &root, Run { name: "native", payload: &payload, n, native: true, concurrency }).await;
        flush(con.clone()).await;
        let c = pipeline(&url, dir.path(), &root, Run { name: "wasm", payload: &payload, n, native: false, concurrency }).await;
        println!("pipeline benchmark: {n} messages of {} bytes (a real Shopify order), batch {BATCH}, {concurrency} in flight, loopback redis-server (AOF off, emptied before each run)", payload.len());
        println!("(a) raw XREADGROUP + XADD + XACK, no plugins : {}", a.show());
        println!("(b) shopify-orders → validate-order, native  : {}  {:.0}% of a", b.show(), 100.0 * b.rate / a.rate);
        println!("(c) shopify-orders → validate-order, Wasm    : {}  {:.0}% of a, {:.0}% of b", c.show(), 100.0 * c.rate / a.rate, 100.0 * c.rate / b.rate);
        let c = c.rate;
        // How cost grows with work: payload sizes, then messages in flight.
        let tn: usize = std::env::var("WEFT_BENCH_TABLE_N").ok().and_then(|v| v.parse().ok()).unwrap_or(n / 5).max(50);
        println!("\nby payload size ({tn} messages each, 300 KB: {}; µs per message, and per message relative to 1 KB):", tn / 5);
        println!("{:>8} {:>12} {:>12} {:>12}", "size", "(a) raw", "(b) native", "(c) Wasm");
        let mut first: Option<[f64; 3]> = None;
        for (label, p) in payloads::sizes(&payload) {
            let m = if p.len() > 100_000 { tn / 5 } else { tn };
            flush(con.clone()).await;
            let ra = raw(&mut con, &p, m).await;
            flush(con.clone()).await;
            let rb = pipeline(&url, dir.path(), &root, Run { name: "native", payload: &p, n: m, native: true, concurrency }).await;
            flush(con.clone()).await;
            let rc = pipeline(&url, dir.path(), &root, Run { name: "wasm", payload: &p, n: m, native: false, concurrency }).await;
            let us = [1e6 / ra.rate, 1e6 / rb.rate, 1e6 / rc.rate];
            let base = *first.get_or_insert(us);
            let cell = |i: usize| format!("{:.0} ({:.1}×)", us[i], us[i] / base[i]);
            println!("{label:>8} {:>12} {:>12} {:>12}   {} bytes", cell(0), cell(1), cell(2), p.len());
        }
        println!("\nby messages in flight (30 KB, {tn} messages each; msg/s, and relative to 1 in flight):");
        println!("{:>9} {:>16} {:>16}", "in flight", "(b) native", "(c) Wasm");
        let mut first: Option<[f64; 2]> = None;
        for k in [1, 2, 4] {
            flush(con.clone()).await;
            let rb = pipeline(&url, dir.path(), &root, Run { name: "native", payload: &payload, n: tn, native: true, concurrency: k }).await;
            flush(con.clone()).await;
            let rc = pipeline(&url, dir.path(), &root, Run { name: "wasm", payload: &payload, n: tn, native: false, concurrency: k }).await;
            let (rb, rc) = (rb.rate, rc.rate);
            let base = *first.get_or_insert([rb, rc]);
            println!("{k:>9} {:>16} {:>16}", format!("{rb:.0} ({:.2}×)", rb / base[0]), format!("{rc:.0} ({:.2}×)", rc / base[1]));
        }
        println!();
        if std::env::var_os("WEFT_BENCH_SKIP_LEDGER").is_some() {
            return;
        }
        flush(con.clone()).await;
        let (private, pg_url) = ledger_server(dir.path());
        let d = ledger::apply_rate(&url, &pg_url, n).await;
        println!("(d) ledger consumer into PostgreSQL           : {d:>9.0} events/s  ({:.2}× c)", d / c);
        let orders: usize = std::env::var("WEFT_BENCH_ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
        ledger::report_latency(&url, &pg_url, orders).await;
        if let Some(pg) = private {
            pg.stop();
        }
    });
    drop(server);
}

#[path = "pipeline/cpu.rs"]
mod cpu;
#[path = "pipeline/ledger.rs"]
mod ledger;
#[path = "pipeline/payloads.rs"]
mod payloads;

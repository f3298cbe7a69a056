//! Pipelines on a real redis-server (one per test, on a free port):
//! end to end over the real Shopify samples, dead letters with every field,
//! replay after a config fix, retries, a trapping stage.

use std::time::Duration;

use serde_json::Value;
use weft_host::{
    bus::append as xadd,
    bus::{self, codec, Keys},
    config,
    ops::{self, DlqAction, DlqArgs},
    Message,
};

use super::{
    bus_support::{dlq_json, dlq_of_len, lit, wait_until, write_config, xlen, Recorder, TestRedis},
    support::{guest_path, plugin_path},
};

fn shopify_config(redis: &str, sink: &str, tolerance: &str) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
max_body_bytes = 100000
[host]
consumer = "test-host"
claim_idle_ms = 1000
[retry]
max_attempts = 3
base_ms = 10
max_ms = 50
[pipelines.shopify]
flow = "shop"
stages = [
  {{ name = "source", plugin = {src} }},
  {{ name = "validate", plugin = {val}, config = {{ tolerance = "{tolerance}" }} }},
]
routes = {{ "order.*" = "sink:erp" }}
[sinks.erp]
type = "http"
url = "{sink}"
# kept after delivery, so the test can audit what was committed
retention_hours = 1
timeout_ms = 2000
"#,
        src = lit(&plugin_path("shopify-orders")),
        val = lit(&plugin_path("validate-order")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_samples_flow_end_to_end_with_dead_letters_and_dedupe() {
    let shopify = realdata_or_skip!("shopify");
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg_path = write_config(
        redis.dir.path(),
        &shopify_config(&redis.url(), &sink.url(), "0.01"),
    );
    let cfg = config::load(&cfg_path).unwrap();
    let up = super::support::up(cfg.clone()).await.unwrap();
    let admin = format!("http://{}", up.admin);
    let http = reqwest::Client::new();

    // The seven original samples (the folder also holds more lifecycle
    // documents: fulfillments, refunds, transactions).
    let files: Vec<_> = [
        "python-api_fixture_fulfillment.json",
        "python-api_fixture_order.json",
        "python-api_fixture_refund.json",
        "rest-2026-07_GET_order_450789469.json",
        "rest-2026-07_POST_cancel_order_450789469.json",
        "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json",
        "rest-2026-07_POST_create_order_1073459981_discount-addresses.json",
    ]
    .iter()
    .map(|f| shopify.join(f))
    .collect();
    for f in &files {
        let r = http
            .post(format!("{admin}/ingest/shopify"))
            .header("content-type", "application/json")
            .body(std::fs::read(f).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    assert!(
        wait_until(Duration::from_secs(20), || sink.distinct() == 4).await,
        "4 orders delivered, got {}",
        sink.distinct()
    );
    let dlq_key = Keys::new("shop", "shopify").dlq();
    let dlq = dlq_of_len(&cfg, "shopify", 3).await;
    assert_eq!(dlq.len(), 3, "{dlq:?}");
    assert_eq!(xlen(&redis.url(), &dlq_key).await, 3);
    // Committed ids are remembered with their commit time, for trimming.
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let done = Keys::new("shop", "shopify").done();
    let kind: String = redis::cmd("TYPE")
        .arg(&done)
        .query_async(&mut con)
        .await
        .unwrap();
    let n: usize = redis::cmd("ZCARD")
        .arg(&done)
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!((kind.as_str(), n), ("zset", 4));

    // Delivered: keyed by message id, one delivery each, canonical payloads.
    {
        let seen = sink.seen.lock().unwrap();
        for key in [
            "shopify:450789469:order.created",
            "shopify:450789469:order.cancelled",
            "shopify:1073459963:order.created",
            "shopify:1073459981:order.created",
        ] {
            assert_eq!(seen.hits.get(key), Some(&1), "{key}: {:?}", seen.hits);
            let doc: Value = serde_json::from_slice(&seen.bodies[key]).unwrap();
            assert_eq!(doc["schema"], "weft.order/1");
            assert_eq!(
                seen.headers[key]["x-weft-correlation-id"],
                format!("shopify:{}", doc["order_id"].as_str().unwrap())
            );
        }
    }
    // Dead letters carry everything an operator needs.
    let fixture = dlq
        .iter()
        .find(|d| d["stage"] == "validate")
        .expect("the inconsistent fixture");
    assert_eq!(fixture["error_class"], "invalid");
    assert_eq!(fixture["plugin"], "validate-order@0.1.0");
    assert_eq!(fixture["attempts"], 1);
    assert_eq!(fixture["correlation_id"], "shopify:450789469");
    assert!(
        fixture["error"]
            .as_str()
            .unwrap()
            .contains("totals.subtotal 398.00"),
        "{fixture}"
    );
    assert!(
        fixture["first_failure"].as_str().unwrap().ends_with('Z')
            && fixture["last_failure"].as_str().unwrap().ends_with('Z')
    );
    assert_eq!(
        fixture["message"]["kind"], "raw",
        "the original message is kept"
    );
    // The pending fulfillment is refused by the source; the refund maps to
    // a return, which this pipeline does not route.
    let at = |stage: &str| -> Vec<&Value> { dlq.iter().filter(|d| d["stage"] == stage).collect() };
    let source = at("source");
    assert_eq!(source.len(), 1, "{dlq:?}");
    assert_eq!(source[0]["plugin"], "shopify-orders@0.1.0");
    assert!(
        source[0]["error"]
            .as_str()
            .unwrap()
            .contains("fulfillment 255858046 is pending, not shipped"),
        "{dlq:?}"
    );
    let route = at("route");
    assert_eq!(route.len(), 1, "{dlq:?}");
    assert!(
        route[0]["error"]
            .as_str()
            .unwrap()
            .contains("no route for output kind `return.completed`"),
        "{dlq:?}"
    );

    // The same document again is recognised and not delivered twice.
    let again = std::fs::read(shopify.join("rest-2026-07_GET_order_450789469.json")).unwrap();
    http.post(format!("{admin}/ingest/shopify"))
        .body(again)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.deliveries(), 4);

    // Admin API.
    assert_eq!(
        http.post(format!("{admin}/ingest/nope"))
            .body("x")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        http.post(format!("{admin}/ingest/shopify"))
            .body(vec![b'x'; 200_000])
            .send()
            .await
            .unwrap()
            .status(),
        413
    );
    assert_eq!(
        http.get(format!("{admin}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        http.get(format!("{admin}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let metrics = http
        .get(format!("{admin}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"weft_dlq_depth{unit="shopify"} 3"#),
        "{metrics}"
    );
    assert!(
        metrics.contains("weft_processed_total") && metrics.contains("weft_processing_seconds"),
        "{metrics}"
    );
    up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_letter_replayed_after_a_config_fix_is_delivered_once() {
    let shopify = realdata_or_skip!("shopify");
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let strict = write_config(
        redis.dir.path(),
        &shopify_config(&redis.url(), &sink.url(), "0.01"),
    );
    let cfg = config::load(&strict).unwrap();
    let up = super::support::up(cfg.clone()).await.unwrap();
    let fixture = std::fs::read(shopify.join("python-api_fixture_order.json")).unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let msg = Message {
        id: "fixture-1".into(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        payload: fixture,
        ..Default::default()
    };
    xadd(&mut con, &Keys::new("shop", "shopify").input(), &msg)
        .await
        .unwrap();
    let dlq = dlq_of_len(&cfg, "shopify", 1).await;
    assert_eq!(dlq.len(), 1);
    up.stop().await.unwrap();

    // Dry run with the strict config: it would fail again; nothing written.
    let mut out = Vec::new();
    let dry = DlqArgs {
        action: DlqAction::Replay,
        unit: "shopify".into(),
        ids: vec!["fixture-1".into()],
        all: false,
        dry_run: true,
        json: false,
    };
    ops::dlq(&cfg, &dry, None, &mut out).await.unwrap();
    assert!(
        String::from_utf8_lossy(&out).contains("would fail again at stage validate"),
        "{}",
        String::from_utf8_lossy(&out)
    );

    // The fix: a tolerance that accepts the fixture's figures.
    let lenient = write_config(
        redis.dir.path(),
        &shopify_config(&redis.url(), &sink.url(), "200"),
    );
    let cfg = config::load(&lenient).unwrap();
    let mut out = Vec::new();
    ops::dlq(&cfg, &dry, None, &mut out).await.unwrap();
    let line: Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line["id"], "shopify:450789469:order.created");
    assert_eq!(
        xlen(&redis.url(), &Keys::new("shop", "shopify").dlq()).await,
        1,
        "dry run writes nothing"
    );
    assert_eq!(sink.deliveries(), 0);

    let up = super::support::up(cfg.clone()).await.unwrap();
    let replay = DlqArgs {
        dry_run: false,
        ..dry
    };
    ops::dlq(&cfg, &replay, None, &mut Vec::new())
        .await
        .unwrap();
    assert!(wait_until(Duration::from_secs(10), || sink.deliveries() == 1).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.deliveries(), 1, "exactly once");
    assert_eq!(
        xlen(&redis.url(), &Keys::new("shop", "shopify").dlq()).await,
        0
    );
    // Correlation id kept, replay counted (on the sink stream entry).
    let entries = bus::read_all(&mut con, &Keys::sink("shop", "erp").input())
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    let m = codec::decode(&entries[0]).unwrap();
    assert_eq!(m.correlation_id, "shopify:450789469");
    assert_eq!(m.header("weft-replays"), Some("1"), "{:?}", m.headers);
    up.stop().await.unwrap();
}

fn echo_config(redis: &str, sink: &str, plugin: &std::path::Path) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "test-host"
[retry]
max_attempts = 4
base_ms = 20
max_ms = 100
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "http"
url = "{sink}"
# kept after delivery, so the test can audit what was committed
retention_hours = 1
"#,
        plugin = lit(plugin)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retryable_failures_succeed_on_the_third_attempt() {
    let redis = TestRedis::start();
    let sink = Recorder::start(2).await; // 503 twice per key, then 200
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &echo_config(&redis.url(), &sink.url(), &guest_path("guest-echo")),
    ))
    .unwrap();
    let up = super::support::up(cfg).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let msg = Message {
        id: "flaky-1".into(),
        kind: "flaky".into(),
        content_type: "text/plain".into(),
        payload: b"hi".to_vec(),
        ..Default::default()
    };
    xadd(&mut con, &Keys::new("p", "p").input(), &msg)
        .await
        .unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || sink
            .seen
            .lock()
            .unwrap()
            .bodies
            .contains_key("flaky-1"))
        .await
    );
    let hits = sink.seen.lock().unwrap().hits["flaky-1"];
    assert_eq!(hits, 3, "the sink answered 503 twice, then 200");
    // The stage failed twice too (it only succeeds on its third attempt);
    // its retry bookkeeping does not leak into the sink's attempts.
    let entries = bus::read_all(&mut con, &Keys::sink("p", "out").input())
        .await
        .unwrap();
    let out = codec::decode(&entries[0]).unwrap();
    assert_eq!(out.header("weft-attempts"), None, "{:?}", out.headers);
    assert_eq!(out.kind, "flaky");
    assert_eq!(xlen(&redis.url(), &Keys::new("p", "p").dlq()).await, 0);
    up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trapping_stage_dead_letters_and_the_pipeline_keeps_going() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &echo_config(&redis.url(), &sink.url(), &guest_path("guest-panic")),
    ))
    .unwrap();
    let up = super::support::up(cfg.clone()).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    for i in 0..20 {
        let kind = if i % 4 == 0 { "boom" } else { "ping" };
        let msg = Message {
            id: format!("m{i}"),
            kind: kind.into(),
            content_type: "text/plain".into(),
            payload: b"x".to_vec(),
            ..Default::default()
        };
        xadd(&mut con, &Keys::new("p", "p").input(), &msg)
            .await
            .unwrap();
    }
    assert!(
        wait_until(Duration::from_secs(15), || sink.distinct() == 15).await,
        "{}",
        sink.distinct()
    );
    let dlq = dlq_json(&cfg, "p").await;
    assert_eq!(dlq.len(), 5);
    assert!(
        dlq.iter().all(|d| d["error_class"] == "trap"
            && d["error"]
                .as_str()
                .unwrap()
                .contains("guest-panic refuses kind boom")),
        "{dlq:?}"
    );
    up.stop().await.unwrap();
}

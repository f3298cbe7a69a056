//! `POST /v1/call/{pipeline}` over a real `weft up`: order acceptance by
//! shopify-orders → validate-order answered inline with the canonical
//! order (nothing queued, nothing delivered), a refused order answered 422
//! with the stage's reason, a trapping stage 502 without internals, a
//! stage past its deadline 503 with `Retry-After`, and calls beyond
//! `[admin] max_calls` 503 `busy`.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use weft_host::{bus::Keys, config};

use super::{
    bus_support::{lit, write_config, xlen, Recorder, TestRedis},
    support::{guest_path, plugin_path, up},
};

fn config_text(redis: &str, sink: &str) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
max_calls = 1
call_wait_ms = 100
[pipelines.accept]
stages = [
  {{ name = "source", plugin = {src} }},
  {{ name = "validate", plugin = {val}, config = {{ tolerance = "0.01" }} }},
]
routes = {{ "*" = "sink:erp" }}
[pipelines.panics]
stages = [{{ name = "boom", plugin = {panic} }}]
routes = {{ "*" = "sink:erp" }}
[pipelines.slow]
stages = [{{ name = "spin", plugin = {spin}, deadline_ms = 400 }}]
routes = {{ "*" = "sink:erp" }}
[sinks.erp]
type = "http"
url = "{sink}"
"#,
        src = lit(&plugin_path("shopify-orders")),
        val = lit(&plugin_path("validate-order")),
        panic = lit(&guest_path("guest-panic")),
        spin = lit(&guest_path("guest-loop")),
    )
}

fn case(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("plugins/shopify-orders/cases")
            .join(name),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synchronous_calls_answer_inline() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url()),
    ))
    .unwrap();
    let handle = up(cfg).await.unwrap();
    let base = format!("http://{}/v1/call", handle.admin);
    let http = reqwest::Client::new();
    let call = |pipeline: &str, body: Vec<u8>| {
        http.post(format!("{base}/{pipeline}"))
            .header("content-type", "application/json")
            .body(body)
            .timeout(Duration::from_secs(20))
            .send()
    };

    // The real order is accepted: its canonical form comes back.
    let r = call("accept", case("get-order-450789469.input.json"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let out = &v["outputs"][0];
    assert_eq!(out["kind"], "order.created", "{v}");
    assert_eq!(out["document"]["schema"], "weft.order/1", "{v}");
    assert_eq!(out["document"]["order_id"], "450789469", "{v}");
    assert!(
        out["document"]["totals"]["total"].is_string(),
        "money stays a decimal string: {v}"
    );

    // A refused order: the stage and its reason.
    let r = call("accept", case("bad-no-line-items.input.json"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["error"]["code"].as_str(), v["error"]["stage"].as_str()),
        (Some("invalid"), Some("source")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line_items"),
        "{v}"
    );

    // A plugin fault: the class, not its backtrace.
    let r = call("panics", b"{}".to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "trap", "{v}");
    assert_eq!(v["error"]["message"], "stage `boom` failed (trap)", "{v}");

    // Past the stage's deadline: 503, retry later. Meanwhile the only call
    // slot is taken: a second call waits 100 ms, then is told it is busy.
    let slow = tokio::spawn(call("slow", b"{}".to_vec()));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let busy = call("accept", case("get-order-450789469.input.json"))
        .await
        .unwrap();
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: Value = busy.json().await.unwrap();
    assert_eq!(v["error"]["code"], "busy", "{v}");
    let r = slow.await.unwrap().unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "1");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "timeout", "{v}");

    let r = call("nope", b"{}".to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Calls are answers only: nothing was queued or delivered.
    for p in ["accept", "panics", "slow"] {
        assert_eq!(xlen(&redis.url(), &Keys::new(p, p).input()).await, 0, "{p}");
    }
    assert_eq!(sink.deliveries(), 0);
    let metrics = http
        .get(format!("http://{}/metrics", handle.admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (result, n) in [
        ("ok", 1),
        ("invalid", 1),
        ("trap", 1),
        ("timeout", 1),
        ("busy", 1),
    ] {
        assert!(
            metrics.lines().any(|l| l.starts_with("weft_calls_total{")
                && l.contains("unit=\"")
                && l.contains(&format!("result=\"{result}\""))
                && l.ends_with(&format!(" {n}"))),
            "{result}: {metrics}"
        );
    }
    handle.stop().await.unwrap();
}

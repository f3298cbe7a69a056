//! Rate limits over a real `weft up` and redis-server: a pipeline's
//! `ingest_limit` answers 429 with `Retry-After` beyond its rate and queues
//! nothing for those requests; an HTTP sink's `rate_limit` and
//! `max_in_flight` deliver a burst far above the rate in full, at the rate,
//! one request at a time, the rest waiting in the stream.

use std::time::Duration;

use serde_json::Value;
use weft_host::{
    bus::{self, append as xadd, Keys},
    config, Message,
};

use super::{
    bus_support::{lit, wait_until, write_config, xlen, Recorder, TestRedis},
    support::{guest_path, up},
};

fn config_text(redis: &str, sink: &str) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "test-host"
concurrency = 4
[pipelines.limited]
stages = [{{ plugin = {echo} }}]
routes = {{ "*" = "sink:erp" }}
[pipelines.limited.ingest_limit]
rate_per_second = 0.5
burst = 3
[pipelines.paced]
stages = [{{ plugin = {echo} }}]
routes = {{ "*" = "sink:erp" }}
[sinks.erp]
type = "http"
url = "{sink}"
retention_hours = 1
max_in_flight = 1
[sinks.erp.rate_limit]
rate_per_second = 20
burst = 1
"#,
        echo = lit(&guest_path("guest-echo")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_beyond_the_limit_is_answered_429_and_not_queued() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url()),
    ))
    .unwrap();
    let handle = up(cfg).await.unwrap();
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 0..6 {
        let r = http
            .post(format!("http://{}/ingest/limited", handle.admin))
            .body(format!("order {i}"))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if status == 429 {
            let after: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=2).contains(&after), "Retry-After {after}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "rate_limited", "{v}");
        }
        statuses.push(status);
    }
    // A burst of 3, then one token every 2 s: the next three are refused.
    assert_eq!(statuses, [202, 202, 202, 429, 429, 429]);
    assert_eq!(
        xlen(&redis.url(), &Keys::new("limited", "limited").input()).await,
        3
    );
    let metrics = http
        .get(format!("http://{}/metrics", handle.admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("weft_ingest_limited_total{")
                && l.contains("unit=\"limited\"")
                && l.ends_with(" 3")),
        "{metrics}"
    );
    handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_reaches_the_erp_in_full_at_the_sink_rate() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    sink.seen.lock().unwrap().delay = Duration::from_millis(20);
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url()),
    ))
    .unwrap();
    let handle = up(cfg).await.unwrap();
    // 40 messages at once: two seconds of the sink's rate, 40 times its burst.
    let mut con = bus::connect(&redis.url()).await.unwrap();
    for i in 0..40 {
        let msg = Message {
            id: format!("spike-{i}"),
            kind: "test.spike".into(),
            content_type: "text/plain".into(),
            payload: format!("order {i}").into_bytes(),
            ..Default::default()
        };
        xadd(&mut con, &Keys::new("paced", "paced").input(), &msg)
            .await
            .unwrap();
    }
    assert!(
        wait_until(Duration::from_secs(30), || sink.distinct() == 40).await,
        "all 40 delivered, got {}",
        sink.distinct()
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (deliveries, max_in_flight, arrivals) = {
        let seen = sink.seen.lock().unwrap();
        (
            seen.hits.values().sum::<usize>(),
            seen.max_in_flight,
            seen.arrivals.clone(),
        )
    };
    assert_eq!(deliveries, 40, "each exactly once");
    assert_eq!(max_in_flight, 1, "max_in_flight = 1");
    let span = arrivals[39].duration_since(arrivals[0]);
    // One at once, then 39 at 20 per second: at least 1.95 s.
    assert!(
        span >= Duration::from_millis(1900),
        "40 deliveries in {span:?}"
    );
    // No second of the run had more than the rate (plus the burst).
    for (i, t) in arrivals.iter().enumerate() {
        let within = arrivals[i..]
            .iter()
            .take_while(|u| u.duration_since(*t) < Duration::from_secs(1))
            .count();
        assert!(
            within <= 21,
            "{within} deliveries within a second from #{i}"
        );
    }
    handle.stop().await.unwrap();
}

//! Delivery records (`weft:{flow}:deliveries`), written by sinks in the
//! commit that acknowledges a message: one per delivered message, with the
//! ERP's order number from `order_number_pointer`, none for a re-sent
//! message, none for a failed attempt. A real redis-server and `weft up`
//! per test; the ERP is an axum server on 127.0.0.1:0.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use weft_host::{
    bus::{self, append as xadd, DeliveryRecord, Keys},
    config,
    ops::UpHandle,
    stamp, Message,
};

use super::{
    bus_support::{lit, pending, write_config, TestRedis},
    support::guest_path,
};

/// What the test ERP saw and when it accepted.
#[derive(Default)]
struct Seen {
    /// Requests per Idempotency-Key.
    hits: HashMap<String, usize>,
    /// Answer 503 to the first N requests of each key.
    fail_first: usize,
    /// When each 2xx answer was given (ms since the epoch), per key.
    accepted_at: HashMap<String, u64>,
}

/// The answer body by Idempotency-Key: `no-number…` → JSON without an
/// order number, `not-json…` → text, `number-…` → a numeric order number,
/// else `{"orderNumber": "SO-<key>"}`.
fn answer(key: &str) -> (&'static str, String) {
    if key.starts_with("no-number") {
        ("application/json", r#"{"status": "accepted"}"#.into())
    } else if key.starts_with("not-json") {
        ("text/plain", "OK".into())
    } else if key.starts_with("number-") {
        ("application/json", r#"{"orderNumber": 4711}"#.into())
    } else {
        (
            "application/json",
            format!(r#"{{"orderNumber": "SO-{key}", "status": "accepted"}}"#),
        )
    }
}

async fn erp(State(seen): State<Arc<Mutex<Seen>>>, headers: HeaderMap) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut s = seen.lock().unwrap();
    let n = s.hits.entry(key.clone()).or_insert(0);
    *n += 1;
    if *n <= s.fail_first {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [("content-type", "application/json")],
            r#"{"error": {"code": "busy", "message": "try again"}}"#,
        )
            .into_response();
    }
    s.accepted_at.insert(key.clone(), stamp::now_ms());
    let (ct, body) = answer(&key);
    (StatusCode::OK, [("content-type", ct)], body).into_response()
}

/// Redis, the ERP and `weft up` with an HTTP sink `sink` (flow `p`,
/// `order_number_pointer = "/orderNumber"`) and a file sink `files`.
struct World {
    redis: TestRedis,
    seen: Arc<Mutex<Seen>>,
    up: UpHandle,
    out: PathBuf,
    sink: String,
    _erp: tokio::task::JoinHandle<()>,
}

impl World {
    async fn start(sink: &str, fail_first: usize) -> World {
        World::start_with(sink, fail_first, "").await
    }

    /// Like [`World::start`], with `host` lines added to `[host]`.
    async fn start_with(sink: &str, fail_first: usize, host: &str) -> World {
        let redis = TestRedis::start();
        let seen = Arc::new(Mutex::new(Seen {
            fail_first,
            ..Seen::default()
        }));
        let app = Router::new().fallback(erp).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let out = redis.dir.path().join("out");
        let text = format!(
            r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "test-host"
{host}
[retry]
max_attempts = 4
base_ms = 10
max_ms = 50
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "file.*" = "sink:files", "*" = "sink:{sink}" }}
[sinks.{sink}]
type = "http"
url = "http://{addr}/erp"
order_number_pointer = "/orderNumber"
[sinks.files]
type = "file"
dir = {out}
"#,
            redis = redis.url(),
            plugin = lit(&guest_path("guest-echo")),
            out = lit(&out),
        );
        let cfg = config::load(&write_config(redis.dir.path(), &text)).unwrap();
        let up = super::support::up(cfg).await.unwrap();
        World {
            redis,
            seen,
            up,
            out,
            sink: sink.to_string(),
            _erp: task,
        }
    }

    /// Queues `m` on sink `sink`'s stream.
    async fn send(&self, sink: &str, m: &Message) {
        let mut con = bus::connect(&self.redis.url()).await.unwrap();
        xadd(&mut con, &Keys::sink("p", sink).input(), m)
            .await
            .unwrap();
    }

    /// The delivery records of flow `p`.
    async fn records(&self) -> Vec<DeliveryRecord> {
        let mut con = bus::connect(&self.redis.url()).await.unwrap();
        bus::read_all(&mut con, &Keys::deliveries("p"))
            .await
            .unwrap()
            .iter()
            .map(|e| DeliveryRecord::from_entry(e).unwrap())
            .collect()
    }

    /// The records once there are `n` (or after 10 s, whatever is there).
    async fn records_when(&self, n: usize) -> Vec<DeliveryRecord> {
        let start = Instant::now();
        loop {
            let r = self.records().await;
            if r.len() >= n || start.elapsed() > Duration::from_secs(10) {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until nothing is pending on sink `sink`'s stream.
    async fn settled(&self, sink: &str) {
        let start = Instant::now();
        while pending(&self.redis.url(), &Keys::sink("p", sink)).await != 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{sink} never settled"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn hits(&self, key: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .hits
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    async fn xlen(&self, key: &str) -> usize {
        let mut con = bus::connect(&self.redis.url()).await.unwrap();
        redis::cmd("XLEN")
            .arg(key)
            .query_async(&mut con)
            .await
            .unwrap()
    }
}

fn order(id: &str) -> Message {
    Message {
        id: id.into(),
        correlation_id: format!("shop:{id}"),
        kind: "http.request".into(),
        content_type: "application/json".into(),
        headers: vec![("weft-http-path".into(), "/sales-orders".into())],
        payload: format!(r#"{{"external_id": "{id}"}}"#).into_bytes(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_delivery_records_status_and_order_number_once() {
    let w = World::start("erp", 0).await;
    let before = stamp::now_ms();
    w.send("erp", &order("po-1")).await;
    let records = w.records_when(1).await;
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!(
        (r.id.as_str(), r.correlation_id.as_str(), r.kind.as_str()),
        ("po-1", "shop:po-1", "http.request")
    );
    assert_eq!(
        (r.sink.as_str(), r.flow.as_str(), r.status.as_str()),
        ("erp", "p", "200")
    );
    assert_eq!((r.key.as_str(), r.reference.as_str()), ("po-1", "SO-po-1"));
    assert_eq!(
        (r.content_type.as_str(), r.target.as_str()),
        ("application/json", "/erp/sales-orders")
    );
    assert!(before <= r.at_ms && r.at_ms <= stamp::now_ms(), "{r:?}");

    // The same message re-sent (same id and payload): acknowledged without
    // a second delivery or record. Then another order, with a numeric
    // order number; once it is recorded and nothing is pending, the re-sent
    // one (read before it) is settled too.
    w.send("erp", &order("po-1")).await;
    w.send("erp", &order("number-2")).await;
    w.records_when(2).await;
    w.settled("erp").await;
    let records = w.records().await;
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records.iter().filter(|r| r.id == "po-1").count(), 1);
    assert_eq!(records[1].reference, "4711");
    assert_eq!((w.hits("po-1"), w.hits("number-2")), (1, 1));
    w.up.stop().await.unwrap();
}

/// `weft_delivery_ref_missing_total{sink="NAME"}` in `/metrics`.
async fn ref_missing(admin: SocketAddr, sink: &str) -> u64 {
    let text = reqwest::get(format!("http://{admin}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = format!("weft_delivery_ref_missing_total{{sink=\"{sink}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&line))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_order_number_is_delivered_with_an_empty_ref_and_counted() {
    // Its own sink name: the metrics recorder is shared by the test process.
    let w = World::start("erp-noref", 0).await;
    w.send("erp-noref", &order("no-number-1")).await;
    w.send("erp-noref", &order("not-json-2")).await;
    let records = w.records_when(2).await;
    assert_eq!(records.len(), 2, "{records:?}");
    for r in &records {
        assert_eq!(
            (r.status.as_str(), r.reference.as_str()),
            ("200", ""),
            "{r:?}"
        );
    }
    // Delivered: not retried, not dead-lettered.
    w.settled("erp-noref").await;
    assert_eq!((w.hits("no-number-1"), w.hits("not-json-2")), (1, 1));
    assert_eq!(w.xlen(&Keys::sink("p", "erp-noref").dlq()).await, 0);
    assert_eq!(ref_missing(w.up.admin, &w.sink).await, 2);
    w.up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_sink_records_written_with_the_file_name() {
    let w = World::start("erp-files", 0).await;
    let mut m = order("po-7");
    m.kind = "file.order".into();
    m.headers = vec![("weft-file-name".into(), "PO-7.json".into())];
    w.send("files", &m).await;
    let records = w.records_when(1).await;
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!(
        (r.id.as_str(), r.sink.as_str(), r.status.as_str()),
        ("po-7", "files", "written")
    );
    assert_eq!(
        (r.target.as_str(), r.key.as_str(), r.reference.as_str()),
        ("PO-7.json", "", "")
    );
    assert_eq!(
        std::fs::read(w.out.join("PO-7.json")).unwrap(),
        m.payload,
        "the file was written before it was recorded"
    );
    w.up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_then_a_2xx_records_one_delivery_after_the_success() {
    let w = World::start("erp", 1).await; // 503 first, then 200
    w.send("erp", &order("po-9")).await;
    let records = w.records_when(1).await;
    w.settled("erp").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = w.records().await;
    assert_eq!((records.len(), again.len()), (1, 1), "{again:?}");
    assert_eq!(w.hits("po-9"), 2, "answered 503, then 200");
    let r = &again[0];
    assert_eq!(
        (r.status.as_str(), r.reference.as_str()),
        ("200", "SO-po-9")
    );
    let accepted = w.seen.lock().unwrap().accepted_at["po-9"];
    assert!(
        r.at_ms >= accepted,
        "recorded at {} before the ERP accepted at {accepted}",
        r.at_ms
    );
    assert_eq!(w.xlen(&Keys::sink("p", "erp").dlq()).await, 0);
    w.up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_records_are_trimmed_once_a_lagging_group_acknowledged_them() {
    // Kept 0 h after being written: only a consumer group holds them.
    let w = World::start_with("erp-trim", 0, "dedupe_retention_hours = 0").await;
    let mut con = bus::connect(&w.redis.url()).await.unwrap();
    let deliveries = Keys::deliveries("p");
    bus::ensure_group(&mut con, &deliveries, "ledger")
        .await
        .unwrap();
    w.send("erp-trim", &order("po-21")).await;
    w.send("erp-trim", &order("po-22")).await;
    assert_eq!(w.records_when(2).await.len(), 2);
    // Trimming runs every second; the group has read nothing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(w.xlen(&deliveries).await, 2, "the lagging group holds them");
    let read: redis::Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("ledger")
        .arg("l1")
        .arg("STREAMS")
        .arg(&deliveries)
        .arg(">")
        .query_async(&mut con)
        .await
        .unwrap();
    let mut ack = redis::cmd("XACK");
    ack.arg(&deliveries).arg("ledger");
    for e in bus::codec::parse_read(read) {
        ack.arg(e.id);
    }
    let acked: i64 = ack.query_async(&mut con).await.unwrap();
    assert_eq!(acked, 2);
    let start = Instant::now();
    while w.xlen(&deliveries).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "acknowledged records were not trimmed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    w.up.stop().await.unwrap();
}

//! Crash and restart: kill -9 of a host with 10 000 messages in flight,
//! Redis restarted mid-stream, two hosts sharing a group with one killed,
//! and SIGTERM committing in-flight work. Loss and duplication are counted
//! by message id, never assumed — of commits and of delivery records.

use std::{collections::HashMap, time::Duration};

use weft_host::{
    bus::{self, Keys, RedisServer},
    config, Message,
};

use super::{
    bus_support::{
        committed_ids, lit, pending, wait_until, write_config, Recorder, TestRedis, UpChild,
    },
    support::guest_path,
};

fn config_text(redis: &str, sink: &str, consumer: &str) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "{consumer}"
batch = 64
concurrency = 8
claim_idle_ms = 1000
[retry]
max_attempts = 10
base_ms = 20
max_ms = 200
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "http"
url = "{sink}"
# kept after delivery, so the test can audit what was committed
retention_hours = 1
timeout_ms = 2000
"#,
        plugin = lit(&guest_path("guest-echo"))
    )
}

/// Queues `n` messages `m0…` on the pipeline input, pipelined.
async fn load(url: &str, n: usize) {
    let mut con = bus::connect(url).await.unwrap();
    let messages = (0..n).map(|i| Message {
        id: format!("m{i}"),
        kind: "raw".into(),
        content_type: "text/plain".into(),
        payload: format!("message {i}").into_bytes(),
        ..Default::default()
    });
    bus::append_all(&mut con, &Keys::new("p", "p").input(), messages)
        .await
        .unwrap();
}

/// Message ids on the sink's input stream: what the pipeline committed.
async fn committed(url: &str) -> HashMap<String, usize> {
    committed_ids(url, &Keys::sink("p", "out")).await
}

/// Message ids of the flow's delivery records, with how often each is there.
async fn recorded(url: &str) -> HashMap<String, usize> {
    let mut con = bus::connect(url).await.unwrap();
    let mut ids = HashMap::new();
    for e in bus::read_all(&mut con, &Keys::deliveries("p"))
        .await
        .unwrap()
    {
        *ids.entry(bus::DeliveryRecord::from_entry(&e).unwrap().id)
            .or_insert(0) += 1;
    }
    ids
}

fn assert_exactly_once(ids: &HashMap<String, usize>, n: usize) {
    let doubled: Vec<_> = ids.iter().filter(|(_, c)| **c > 1).collect();
    assert!(doubled.is_empty(), "committed twice: {doubled:?}");
    let missing: Vec<_> = (0..n)
        .map(|i| format!("m{i}"))
        .filter(|id| !ids.contains_key(id))
        .take(10)
        .collect();
    assert!(missing.is_empty(), "lost: {missing:?}…");
    assert_eq!(ids.len(), n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_with_10000_in_flight_loses_and_doubles_nothing() {
    const N: usize = 10_000;
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url(), "crash-host"),
    );
    load(&redis.url(), N).await;
    let mut first = UpChild::spawn(&cfg);
    assert!(
        wait_until(Duration::from_secs(60), || sink.distinct() >= 1500).await,
        "no progress"
    );
    first.kill9();
    let at_kill = sink.distinct();
    assert!(at_kill < N, "the kill came too late to test anything");

    let mut second = UpChild::spawn(&cfg);
    assert!(
        wait_until(Duration::from_secs(120), || sink.distinct() == N).await,
        "delivered {} of {N}",
        sink.distinct()
    );
    assert_eq!(second.sigterm(), Some(0));
    assert_exactly_once(&committed(&redis.url()).await, N);
    // One delivery record per message, written with the sink's XACK: none
    // lost with the kill, none doubled by the redeliveries.
    assert_exactly_once(&recorded(&redis.url()).await, N);
    // Delivery is at least once with an idempotency key: a redelivery can
    // only come from the few messages in flight at the kill.
    let extra = sink.deliveries() - sink.distinct();
    eprintln!("kill -9 at {at_kill}/{N} delivered; {extra} redeliveries (same Idempotency-Key)");
    assert!(extra <= 64, "{extra} redeliveries");
    assert_eq!(pending(&redis.url(), &Keys::new("p", "p")).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_mid_stream_resumes_without_loss() {
    const N: usize = 3_000;
    let mut redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url(), "host-r"),
    ))
    .unwrap();
    load(&redis.url(), N).await;
    let up = super::support::up(cfg).await.unwrap();
    assert!(wait_until(Duration::from_secs(60), || sink.distinct() >= 500).await);
    let (port, dir) = (redis.server.port(), redis.server.dir().to_path_buf());
    redis.server.stop(); // SHUTDOWN: the AOF is flushed
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.server = tokio::task::spawn_blocking(move || RedisServer::start(&dir, Some(port)))
        .await
        .unwrap()
        .unwrap();
    assert!(
        wait_until(Duration::from_secs(90), || sink.distinct() == N).await,
        "delivered {} of {N}",
        sink.distinct()
    );
    up.stop().await.unwrap();
    assert_exactly_once(&committed(&redis.url()).await, N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hosts_share_a_group_and_reclaim_a_dead_ones_work() {
    const N: usize = 4_000;
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let cfg_a = write_config(
        dir_a.path(),
        &config_text(&redis.url(), &sink.url(), "host-a"),
    );
    let cfg_b = write_config(
        dir_b.path(),
        &config_text(&redis.url(), &sink.url(), "host-b"),
    );
    load(&redis.url(), N).await;
    let mut a = UpChild::spawn(&cfg_a);
    let mut b = UpChild::spawn(&cfg_b);
    assert!(wait_until(Duration::from_secs(60), || sink.distinct() >= 1000).await);
    let by_host = |host: &str| {
        sink.seen
            .lock()
            .unwrap()
            .headers
            .values()
            .filter(|h| h.get("x-weft-host").map(String::as_str) == Some(host))
            .count()
    };
    assert!(
        by_host("host-a") > 0 && by_host("host-b") > 0,
        "both hosts work: a={} b={}",
        by_host("host-a"),
        by_host("host-b")
    );
    a.kill9();
    assert!(
        wait_until(Duration::from_secs(90), || sink.distinct() == N).await,
        "delivered {} of {N}",
        sink.distinct()
    );
    assert_eq!(b.sigterm(), Some(0), "SIGTERM exits 0");
    assert_exactly_once(&committed(&redis.url()).await, N);
    assert_eq!(
        pending(&redis.url(), &Keys::new("p", "p")).await,
        0,
        "nothing left pending"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_commits_in_flight_work() {
    const N: usize = 2_000;
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = write_config(
        redis.dir.path(),
        &config_text(&redis.url(), &sink.url(), "host-t"),
    );
    load(&redis.url(), N).await;
    let mut host = UpChild::spawn(&cfg);
    assert!(wait_until(Duration::from_secs(60), || sink.distinct() >= 300).await);
    assert_eq!(host.sigterm(), Some(0));
    // Everything read was committed: no entry is left pending on the stage.
    assert_eq!(pending(&redis.url(), &Keys::new("p", "p")).await, 0);
    let done = committed(&redis.url()).await;
    assert!(done.values().all(|c| *c == 1) && !done.is_empty());
}

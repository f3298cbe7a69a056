//! "Nothing lost, nothing doubled" in the mode a new user runs: the private
//! Redis of `weft up` cannot outlive weft, is never doubled on one data
//! directory, is restarted when it dies (health telling the truth
//! meanwhile); reused ids with other content are refused, never dropped;
//! commits retry through a Redis blip; streams are trimmed.

use std::{path::Path, time::Duration};

use weft_host::{
    bus::append as xadd,
    bus::{self, codec, Keys, RedisServer},
    config, Message,
};

use super::{
    bus_support::{
        alive, dlq_json, lit, pending, redis_servers_on, wait_until, write_config, ReapServers,
        Recorder, TestRedis, UpChild,
    },
    support::guest_path,
};

/// A configuration with no Redis: `weft up` runs its private one under `data`.
fn private_config(data: &Path) -> String {
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[host]
data_dir = {data}
consumer = "private-host"
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
"#,
        data = lit(data),
        plugin = lit(&guest_path("guest-echo")),
    )
}

fn pid_file(data: &Path) -> u32 {
    std::fs::read_to_string(data.join("redis/redis.pid"))
        .expect("redis.pid")
        .trim()
        .parse()
        .expect("a pid")
}

async fn get(url: &str) -> (u16, String) {
    match reqwest::get(url).await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(_) => (0, String::new()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_private_redis_dies_with_a_killed_weft_and_is_never_doubled() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let _reap = ReapServers(data.join("redis"));
    let cfg = write_config(tmp.path(), &private_config(&data));

    // kill -9 of weft: its server goes too (parent-death signal), cleanly.
    let mut first = UpChild::spawn(&cfg);
    let server = pid_file(&data);
    assert!(alive(server));
    first.kill9();
    assert!(
        wait_until(Duration::from_secs(10), || !alive(server)).await,
        "redis-server {server} outlived the killed weft"
    );

    // A server an older weft left behind (no parent-death signal, URL
    // file only) is shut down cleanly before the new one starts; what it
    // held survives.
    let mut orphan = RedisServer::start(&data.join("redis"), None).unwrap();
    let mut con = bus::connect(&orphan.url()).await.unwrap();
    let _: () = redis::cmd("SET")
        .arg("kept")
        .arg("1")
        .query_async(&mut con)
        .await
        .unwrap();
    let orphan_pid = orphan.pid().unwrap();
    let second = UpChild::spawn(&cfg);
    assert!(!alive(orphan_pid), "the orphan still runs");
    orphan.kill(); // reap it
    assert_eq!(redis_servers_on(&data.join("redis")), vec![pid_file(&data)]);
    let mut con = bus::connect(&second.redis_url).await.unwrap();
    let kept: Option<String> = redis::cmd("GET")
        .arg("kept")
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("1"),
        "the orphan's data was flushed and loaded"
    );

    // A second weft on the same data directory refuses to start.
    let refused = UpChild::try_spawn(&cfg)
        .err()
        .expect("a second weft must not start");
    assert!(refused.contains("in use by another weft"), "{refused}");
    assert_eq!(redis_servers_on(&data.join("redis")).len(), 1);
    drop(second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_private_redis_is_restarted_and_health_says_so_meanwhile() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let _reap = ReapServers(data.join("redis"));
    let cfg = write_config(tmp.path(), &private_config(&data));
    let mut up = UpChild::spawn(&cfg);
    let admin = up.admin.clone();
    assert_eq!(get(&format!("{admin}/healthz")).await.0, 200);
    let before = pid_file(&data);

    // Three probes, each on its own task so that a slow answer from one
    // (ingest waits for Redis) never hides the outage from another: each
    // samples as fast as it can until it has seen a 503 and then a 200
    // again, or 30 s have gone by.
    let probe = |path: &'static str, post: bool| {
        let url = format!("{admin}{path}");
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let started = std::time::Instant::now();
            let mut seen = Vec::new();
            while started.elapsed() < Duration::from_secs(30) {
                let r = if post {
                    client.post(&url).body("x").send().await
                } else {
                    client.get(&url).send().await
                };
                let code = r.map(|r| r.status().as_u16()).unwrap_or(0);
                if seen.last() != Some(&code) {
                    seen.push(code);
                }
                if seen.contains(&503) && code != 503 && code != 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            seen
        })
    };
    let (health, ready, ingest) = (
        probe("/healthz", false),
        probe("/readyz", false),
        probe("/ingest/p", true),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    unsafe_kill9(before);
    let (health, ready, ingest) = (
        health.await.unwrap(),
        ready.await.unwrap(),
        ingest.await.unwrap(),
    );
    assert!(
        health.contains(&503),
        "/healthz never said the server was down: {health:?}"
    );
    assert!(ready.contains(&503), "/readyz never said so: {ready:?}");
    assert!(ingest.contains(&503), "ingest kept answering: {ingest:?}");
    assert_eq!(health.last(), Some(&200), "{health:?}");
    assert_eq!(ready.last(), Some(&200), "{ready:?}");

    // Restarted on the same port: ingest works again, one server runs.
    let after = pid_file(&data);
    assert_ne!(before, after);
    assert!(alive(after));
    assert_eq!(redis_servers_on(&data.join("redis")), vec![after]);
    let (code, body) = get(&format!("{admin}/healthz")).await;
    assert_eq!(code, 200, "{body}");
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{admin}/ingest/p"))
        .header("idempotency-key", "after-restart")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    assert_eq!(up.sigterm(), Some(0));
    assert!(wait_until(Duration::from_secs(5), || !alive(after)).await);
    assert!(
        !data.join("redis/url").exists(),
        "a stopped weft leaves no URL behind"
    );
}

fn unsafe_kill9(pid: u32) {
    let _ = std::process::Command::new("kill")
        .arg("-9")
        .arg(pid.to_string())
        .status();
}

fn echo_config(redis: &str, sink: &str) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "dedupe-host"
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "http"
url = "{sink}"
"#,
        plugin = lit(&guest_path("guest-echo")),
    )
}

fn raw(id: &str, payload: &str) -> Message {
    Message {
        id: id.into(),
        kind: "raw".into(),
        content_type: "text/plain".into(),
        payload: payload.as_bytes().to_vec(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_id_with_other_content_is_refused_or_dead_lettered_never_dropped() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &echo_config(&redis.url(), &sink.url()),
    ))
    .unwrap();
    let up = super::support::up(cfg.clone()).await.unwrap();
    let client = reqwest::Client::new();
    let post = |key: &'static str, body: &'static str| {
        client
            .post(format!("http://{}/ingest/p", up.admin))
            .header("idempotency-key", key)
            .header("content-type", "text/plain")
            .body(body)
            .send()
    };
    // HTTP ingest: same id + same payload → 200 duplicate; another payload → 409.
    assert_eq!(
        post("order-1", "first").await.unwrap().status().as_u16(),
        202
    );
    let again = post("order-1", "first").await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(body["duplicate"], true, "{body}");
    let conflict = post("order-1", "second").await.unwrap();
    assert_eq!(conflict.status().as_u16(), 409);
    let body: serde_json::Value = conflict.json().await.unwrap();
    assert_eq!(body["error"]["code"], "id_conflict", "{body}");
    let first_digest = bus::commit::digest(b"first");
    let second_digest = bus::commit::digest(b"second");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&first_digest) && message.contains(&second_digest),
        "{message}"
    );

    // Ids reaching a pipeline another way (a CLI, an upstream stage):
    // same payload → acknowledged once; another payload → DLQ duplicate-id.
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let input = Keys::new("p", "p").input();
    for m in [raw("m-1", "alpha"), raw("m-1", "alpha"), raw("m-1", "beta")] {
        xadd(&mut con, &input, &m).await.unwrap();
    }
    // At a sink: another payload under an id delivered before would be
    // dropped by the receiver's Idempotency-Key: dead-lettered instead.
    let sink_in = Keys::sink("p", "out").input();
    xadd(&mut con, &sink_in, &raw("s-1", "one")).await.unwrap();
    assert!(wait_until(Duration::from_secs(10), || sink.distinct() == 3).await);
    xadd(&mut con, &sink_in, &raw("s-1", "two")).await.unwrap();
    let mut dlq = Vec::new();
    let mut sink_dlq = Vec::new();
    for _ in 0..100 {
        dlq = dlq_json(&cfg, "p").await;
        sink_dlq = dlq_json(&cfg, "sink:out").await;
        if !dlq.is_empty() && !sink_dlq.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(dlq.len(), 1, "{dlq:?}");
    assert_eq!(dlq[0]["error_class"], "duplicate-id", "{:?}", dlq[0]);
    let error = dlq[0]["error"].as_str().unwrap();
    assert!(
        error.contains(&bus::commit::digest(b"alpha"))
            && error.contains(&bus::commit::digest(b"beta")),
        "{error}"
    );
    assert_eq!(sink_dlq.len(), 1, "{sink_dlq:?}");
    assert_eq!(sink_dlq[0]["error_class"], "duplicate-id");
    {
        let seen = sink.seen.lock().unwrap();
        assert_eq!(seen.hits.get("order-1"), Some(&1));
        assert_eq!(seen.bodies["order-1"], b"first");
        assert_eq!(seen.hits.get("m-1"), Some(&1));
        assert_eq!(seen.bodies["m-1"], b"alpha");
        assert_eq!(seen.hits.get("s-1"), Some(&1));
    }
    up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_failing_in_a_redis_blip_is_retried_at_once_not_after_claim_idle() {
    let mut redis = TestRedis::start();
    // Each delivery takes 1.5 s: Redis goes away while they are in flight
    // and is back (8 s later) before the commits' retries run out.
    let sink = Recorder::start(0).await;
    sink.seen.lock().unwrap().delay = Duration::from_millis(1500);
    // The default claim_idle_ms (30 s): a reclaim would take that long.
    let cfg = config::load(&write_config(
        redis.dir.path(),
        &echo_config(&redis.url(), &sink.url()),
    ))
    .unwrap();
    assert_eq!(cfg.host.claim_idle_ms, 30_000);
    let up = super::support::up(cfg).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    for i in 0..4 {
        xadd(
            &mut con,
            &Keys::new("p", "p").input(),
            &raw(&format!("b{i}"), "x"),
        )
        .await
        .unwrap();
    }
    // All four deliveries are in flight: Redis goes now.
    assert!(
        wait_until(Duration::from_secs(10), || sink
            .seen
            .lock()
            .unwrap()
            .started
            >= 4)
        .await
    );
    let (port, dir) = (redis.server.port(), redis.server.dir().to_path_buf());
    redis.server.stop();
    // Longer than the connection's own reconnect attempts (about 5 s): the
    // commits fail, and only the worker's retry brings them through.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let back = std::time::Instant::now();
    redis.server = tokio::task::spawn_blocking(move || RedisServer::start(&dir, Some(port)))
        .await
        .unwrap()
        .unwrap();
    let sink_keys = Keys::sink("p", "out");
    let settled = wait_until(Duration::from_secs(12), || {
        sink.distinct() == 4 && sink.deliveries() == 4
    })
    .await;
    assert!(
        settled,
        "delivered {} ({} deliveries)",
        sink.distinct(),
        sink.deliveries()
    );
    // Every entry is acknowledged within seconds of Redis coming back.
    let mut left = i64::MAX;
    while back.elapsed() < Duration::from_secs(12) {
        left = pending(&redis.url(), &sink_keys).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("settled {:?} after Redis came back", back.elapsed());
    assert_eq!(
        left,
        0,
        "entries still pending {:?} after the blip",
        back.elapsed()
    );
    assert!(back.elapsed() < Duration::from_secs(12));
    up.stop().await.unwrap();
}

async fn xlen(con: &mut redis::aio::ConnectionManager, key: &str) -> u64 {
    redis::cmd("XLEN").arg(key).query_async(con).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_stay_bounded_under_50000_messages_and_a_lagging_group_holds_trimming() {
    const N: usize = 50_000;
    const CHUNK: usize = 5_000;
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    let text = echo_config(&redis.url(), &sink.url())
        .replace("[host]\n", "[host]\nbatch = 256\nconcurrency = 16\n");
    let cfg = config::load(&write_config(redis.dir.path(), &text)).unwrap();
    let up = super::support::up(cfg).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let (input, sink_in) = (Keys::new("p", "p").input(), Keys::sink("p", "out").input());
    let mut peak = (0, 0);
    for c in 0..N / CHUNK {
        let messages = (c * CHUNK..(c + 1) * CHUNK).map(|i| raw(&format!("n{i}"), "payload"));
        bus::append_all(&mut con, &input, messages).await.unwrap();
        // Steady load: the next chunk comes once this one is mostly through.
        while sink.distinct() + CHUNK / 2 < (c + 1) * CHUNK {
            peak.0 = peak.0.max(xlen(&mut con, &input).await);
            peak.1 = peak.1.max(xlen(&mut con, &sink_in).await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(wait_until(Duration::from_secs(120), || sink.distinct() == N).await);
    let mut left = (u64::MAX, u64::MAX);
    for _ in 0..50 {
        left = (xlen(&mut con, &input).await, xlen(&mut con, &sink_in).await);
        if left == (0, 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "{N} messages: peak lengths input {} / sink {}, after: {left:?}",
        peak.0, peak.1
    );
    assert_eq!(left, (0, 0), "acknowledged entries are trimmed");
    assert!(
        peak.0 <= 2 * CHUNK as u64 && peak.1 <= 2 * CHUNK as u64,
        "stream lengths grew with the total: {peak:?}"
    );

    // A group that read but did not acknowledge holds trimming back.
    let _: () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(&input)
        .arg("audit")
        .arg("$")
        .query_async(&mut con)
        .await
        .unwrap();
    let messages = (0..100).map(|i| raw(&format!("late{i}"), "payload"));
    bus::append_all(&mut con, &input, messages).await.unwrap();
    let read: redis::Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("audit")
        .arg("a1")
        .arg("COUNT")
        .arg(40)
        .arg("STREAMS")
        .arg(&input)
        .arg(">")
        .query_async(&mut con)
        .await
        .unwrap();
    let read = codec::parse_read(read);
    assert_eq!(read.len(), 40);
    assert!(wait_until(Duration::from_secs(20), || sink.distinct() == N + 100).await);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        xlen(&mut con, &input).await,
        100,
        "the audit group's pending and unread entries stay"
    );
    let mut ack = redis::cmd("XACK");
    ack.arg(&input).arg("audit");
    for e in &read {
        ack.arg(&e.id);
    }
    let _: i64 = ack.query_async(&mut con).await.unwrap();
    let mut len = 0;
    for _ in 0..40 {
        len = xlen(&mut con, &input).await;
        if len == 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        len, 60,
        "what every group acknowledged went; the 60 unread by `audit` stay"
    );
    // The lag is visible as metrics.
    let metrics = reqwest::get(format!("http://{}/metrics", up.admin))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = metrics
        .lines()
        .find(|l| l.starts_with("weft_stream_length{") && l.contains("in:p\""))
        .unwrap_or_else(|| panic!("no stream length metric in\n{metrics}"));
    assert!(line.ends_with(" 60"), "{line}");
    assert!(
        metrics.contains("weft_stream_oldest_age_seconds{"),
        "{metrics}"
    );
    up.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_port_in_use_stops_the_start_before_redis_or_consumers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let _reap = ReapServers(data.join("redis"));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let text = private_config(&data).replace(
        "listen = \"127.0.0.1:0\"",
        &format!("listen = \"127.0.0.1:{port}\""),
    );
    let cfg = write_config(tmp.path(), &text);
    let err = UpChild::try_spawn(&cfg).err().expect("the port is taken");
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(
        !data.join("redis/url").exists(),
        "no URL of a server that is not running"
    );
    assert!(redis_servers_on(&data.join("redis")).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_slower_than_claim_idle_is_not_reclaimed_by_its_own_host() {
    let redis = TestRedis::start();
    let sink = Recorder::start(0).await;
    // Each delivery takes 2.5 s; entries idle 1 s are reclaimed (XAUTOCLAIM
    // also returns this host's own entries still in flight).
    sink.seen.lock().unwrap().delay = Duration::from_millis(2500);
    let text = echo_config(&redis.url(), &sink.url())
        .replace("[host]\n", "[host]\nclaim_idle_ms = 1000\n");
    let cfg = config::load(&write_config(redis.dir.path(), &text)).unwrap();
    let up = super::support::up(cfg).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    xadd(&mut con, &Keys::new("p", "p").input(), &raw("slow-1", "x"))
        .await
        .unwrap();
    assert!(wait_until(Duration::from_secs(10), || sink.distinct() == 1).await);
    // Long enough for a second, concurrent delivery to have finished too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let started = sink.seen.lock().unwrap().started;
    assert_eq!(started, 1, "the slow delivery was started {started} times");
    assert_eq!(pending(&redis.url(), &Keys::sink("p", "out")).await, 0);
    up.stop().await.unwrap();
}

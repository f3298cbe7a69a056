//! Memory is returned: a `weft up` child process with the default
//! configuration gives back what a burst of memory-bomb calls took. Within
//! 10 s after 200 `memory-limit` failures its RSS is at most 100 MB above
//! its idle RSS.

use std::time::{Duration, Instant};

use weft_host::{
    bus::{self, Keys},
    Message,
};

use super::{
    bus_support::{dlq_json, lit, rss_kib, write_config, TestRedis, UpChild},
    support::guest_path,
};

/// Messages in the burst.
const BURST: usize = 200;
/// Allowed growth over idle, in KiB (100 MB).
const SLACK_KIB: u64 = 100_000;

async fn xlen(con: &mut redis::aio::ConnectionManager, key: &str) -> usize {
    redis::cmd("XLEN").arg(key).query_async(con).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_is_returned_after_a_burst_of_memory_limit_failures() {
    let redis = TestRedis::start();
    // Default limits: 64 MiB memory cap, default concurrency and pool.
    let text = format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
"#,
        redis = redis.url(),
        plugin = lit(&guest_path("guest-alloc"))
    );
    let cfg = write_config(redis.dir.path(), &text);
    let host = UpChild::spawn(&cfg);
    let pid = host.child.id();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_kib(pid);

    let keys = Keys::new("p", "p");
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let burst = (0..BURST).map(|i| Message {
        id: format!("hog-{i}"),
        kind: "hog".into(),
        content_type: "text/plain".into(),
        payload: b"x".to_vec(),
        ..Default::default()
    });
    bus::append_all(&mut con, &keys.input(), burst)
        .await
        .unwrap();
    let started = Instant::now();
    let mut peak = idle;
    while xlen(&mut con, &keys.dlq()).await < BURST {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "only {} of {BURST} dead-lettered",
            xlen(&mut con, &keys.dlq()).await
        );
        peak = peak.max(rss_kib(pid));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let burst_took = started.elapsed();
    let at_end = rss_kib(pid);
    peak = peak.max(at_end);

    let settle = Instant::now();
    let mut after = at_end;
    while settle.elapsed() < Duration::from_secs(10) {
        after = rss_kib(pid);
        if after <= idle + SLACK_KIB {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mb = |kib: u64| kib as f64 / 1000.0;
    eprintln!(
        "RSS: idle {:.1} MB, peak {:.1} MB during the burst ({BURST} memory-limit failures in {:.1} s), \
         {:.1} MB at its end, {:.1} MB after {:.1} s (limit idle + 100 MB = {:.1} MB)",
        mb(idle),
        mb(peak),
        burst_took.as_secs_f64(),
        mb(at_end),
        mb(after),
        settle.elapsed().as_secs_f64(),
        mb(idle + SLACK_KIB),
    );
    assert!(
        after <= idle + SLACK_KIB,
        "RSS {:.1} MB is more than 100 MB over idle {:.1} MB 10 s after the burst",
        mb(after),
        mb(idle)
    );
    // The failures are what the burst was for.
    let dlq = dlq_json(&weft_host::config::load(&cfg).unwrap(), "p").await;
    assert_eq!(dlq.len(), BURST);
    assert!(
        dlq.iter().all(|d| d["error_class"] == "memory-limit"),
        "{}",
        dlq[0]
    );
}

//! Per-call limits (`[limits]` in weft.toml): each one at and past its
//! default, through the `guest-bad-output` modes that push it. A violation
//! is `bad-output` naming the limit by its config key (logs are cut or
//! dropped and counted instead), and the next call on the same engine works.

use std::{collections::HashMap, sync::Arc, time::Duration};

use weft_host::{
    bus::{self, Keys},
    config,
    engine::{CallContext, CallLimits, LookupTables, Sequences},
    masterdata::MemorySequences,
    Engine, EngineConfig, FailureClass, Message, Plugin,
};

use super::{
    bus_support::{dlq_json, lit, write_config, TestRedis},
    support::{engine, guest_path, load},
};

/// A message of `kind` whose payload is the size the mode should use.
fn msg(kind: &str, n: Option<usize>) -> Message {
    Message {
        id: "m1".into(),
        correlation_id: "c1".into(),
        kind: kind.into(),
        content_type: "text/plain".into(),
        headers: vec![],
        payload: n.map(|n| n.to_string()).unwrap_or_default().into_bytes(),
    }
}

fn guest(engine: &Engine) -> Plugin {
    load(engine, &guest_path("guest-bad-output"))
}

/// Fails `bad-output` with a message containing `want`, then a normal call
/// on the same plugin works.
fn assert_refused(plugin: &Plugin, m: &Message, ctx: &CallContext, want: &str) {
    let f = plugin.process(m, ctx).unwrap_err();
    assert_eq!(f.class, FailureClass::BadOutput, "{}: {f}", m.kind);
    assert!(f.message.contains(want), "{}: {f} lacks {want}", m.kind);
    let ok = plugin
        .process(&msg("ping", None), ctx)
        .expect("ping after failure");
    assert_eq!(ok.outputs.len(), 1);
}

#[test]
fn header_count_is_limited_per_output() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    let ctx = CallContext::default();
    let out = plugin
        .process(&msg("many-headers", Some(64)), &ctx)
        .unwrap();
    assert_eq!(out.outputs[0].headers.len(), 64);
    assert_refused(
        &plugin,
        &msg("many-headers", Some(65)),
        &ctx,
        "output 0 (kind test.pong): 65 headers, more than limits.max_headers = 64",
    );
    assert_refused(
        &plugin,
        &msg("many-headers", None),
        &ctx,
        "10000 headers, more than limits.max_headers = 64",
    );
}

#[test]
fn header_bytes_are_limited_per_output() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    let ctx = CallContext::default();
    // Name `big` (3 bytes) + value: 64 KiB in all is the limit.
    let at = (64 << 10) - 3;
    assert!(plugin.process(&msg("big-header", Some(at)), &ctx).is_ok());
    assert_refused(
        &plugin,
        &msg("big-header", Some(at + 1)),
        &ctx,
        "65537 bytes of headers, more than limits.max_header_bytes = 65536",
    );
    // The 10 MB header the stress run pushed into Redis.
    assert_refused(
        &plugin,
        &msg("big-header", None),
        &ctx,
        "10485763 bytes of headers, more than limits.max_header_bytes = 65536",
    );
}

#[test]
fn lookup_keys_are_limited() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    let tables = HashMap::from([("sku".to_string(), HashMap::new())]);
    let ctx = CallContext {
        lookup: Some(Arc::new(LookupTables(tables))),
        ..CallContext::default()
    };
    let out = plugin
        .process(&msg("long-lookup-key", Some(1024)), &ctx)
        .unwrap();
    assert_eq!(out.outputs[0].header("found"), Some("false"));
    assert_refused(
        &plugin,
        &msg("long-lookup-key", Some(1025)),
        &ctx,
        "lookup key in table `sku` of 1025 bytes, more than limits.max_key_bytes = 1024",
    );
    // The guest got "no entry" and returned normally; the call still fails.
    assert_refused(
        &plugin,
        &msg("long-lookup-key", None),
        &ctx,
        "of 8388608 bytes, more than limits.max_key_bytes = 1024",
    );
}

#[test]
fn sequence_draws_are_limited_per_call() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    let sequences = Arc::new(MemorySequences::default());
    let ctx = CallContext {
        sequences: Some(sequences.clone()),
        ..CallContext::default()
    };
    let out = plugin
        .process(&msg("sequence-loop", Some(100)), &ctx)
        .unwrap();
    assert_eq!(out.outputs[0].header("drawn"), Some("100"));
    // A runaway loop: refused on its 101st draw, which draws nothing.
    assert_refused(
        &plugin,
        &msg("sequence-loop", None),
        &ctx,
        "more than limits.max_sequence_draws = 100 next-sequence draws in one call",
    );
    assert_eq!(sequences.next("loop").unwrap(), 201, "100 + 100 drawn");

    // A configured limit.
    let cache = tempfile::tempdir().unwrap();
    let tight = Engine::new(EngineConfig {
        cache_dir: Some(cache.path().to_path_buf()),
        limits: CallLimits {
            max_sequence_draws: 5,
            ..CallLimits::default()
        },
        ..EngineConfig::default()
    })
    .unwrap();
    let plugin = guest(&tight);
    let sequences = Arc::new(MemorySequences::default());
    let ctx = CallContext {
        sequences: Some(sequences.clone()),
        ..CallContext::default()
    };
    assert_refused(
        &plugin,
        &msg("sequence-loop", Some(6)),
        &ctx,
        "limits.max_sequence_draws = 5",
    );
    assert_eq!(sequences.next("loop").unwrap(), 6, "5 drawn");
}

#[test]
fn a_flood_of_logs_is_cut_at_the_call_budget_and_counted() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    // 5 000 lines of 1 007 bytes: the 5 MB per message of the stress run.
    let out = plugin
        .process(&msg("log-flood", Some(5000)), &CallContext::default())
        .expect("logging too much is not a failure");
    let kept: usize = out.logs.iter().map(|l| l.message.len()).sum();
    assert!(kept <= 64 << 10, "{kept} bytes forwarded");
    assert_eq!(out.logs.len(), (64 << 10) / 1007);
    assert_eq!(out.dropped_logs, 5000 - out.logs.len());
    assert!(out.logs[0].message.starts_with("000000 "));

    // The line limit, configured.
    let cache = tempfile::tempdir().unwrap();
    let tight = Engine::new(EngineConfig {
        cache_dir: Some(cache.path().to_path_buf()),
        limits: CallLimits {
            max_log_lines: 10,
            max_log_bytes: 1 << 20,
            ..CallLimits::default()
        },
        ..EngineConfig::default()
    })
    .unwrap();
    let out = guest(&tight)
        .process(&msg("log-flood", Some(11)), &CallContext::default())
        .unwrap();
    assert_eq!((out.logs.len(), out.dropped_logs), (10, 1));
}

#[test]
fn a_long_log_line_is_truncated_and_marked() {
    let (engine, _cache) = engine();
    let plugin = guest(&engine);
    let ctx = CallContext::default();
    let out = plugin
        .process(&msg("long-log-line", Some(8 << 10)), &ctx)
        .unwrap();
    assert_eq!(out.logs[0].message.len(), 8 << 10, "at the limit: whole");
    let out = plugin.process(&msg("long-log-line", None), &ctx).unwrap();
    let line = &out.logs[0].message;
    assert_eq!(out.logs[0].level, "warn");
    assert!(line.starts_with(&"w".repeat(8 << 10)), "kept the start");
    assert!(
        line.ends_with("w … [truncated 5.0 MiB]"),
        "{}",
        &line[8000..]
    );
    assert_eq!(out.dropped_logs, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weft_toml_limits_reach_the_pipeline() {
    let redis = TestRedis::start();
    let text = format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "limits-host"
[limits]
max_headers = 4
[pipelines.p]
stages = [{{ plugin = {plugin} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
"#,
        redis = redis.url(),
        plugin = lit(&guest_path("guest-bad-output"))
    );
    let cfg = config::load(&write_config(redis.dir.path(), &text)).unwrap();
    assert_eq!(cfg.limits.max_headers, 4);
    let up = super::support::up(cfg.clone()).await.unwrap();
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let mut at = msg("many-headers", Some(4));
    at.id = "at".into();
    let mut over = msg("many-headers", Some(5));
    over.id = "over".into();
    bus::append_all(&mut con, &Keys::new("p", "p").input(), [at, over])
        .await
        .unwrap();
    let mut dlq = Vec::new();
    for _ in 0..300 {
        dlq = dlq_json(&cfg, "p").await;
        if !dlq.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(dlq.len(), 1, "{dlq:?}");
    assert_eq!(dlq[0]["error_class"], "bad-output", "{}", dlq[0]);
    assert!(
        dlq[0]["error"]
            .as_str()
            .unwrap()
            .contains("5 headers, more than limits.max_headers = 4"),
        "{}",
        dlq[0]
    );
    let out_key = Keys::sink("p", "out").input();
    let mut n = 0usize;
    for _ in 0..200 {
        n = redis::cmd("XLEN")
            .arg(&out_key)
            .query_async(&mut con)
            .await
            .unwrap();
        if n == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(n, 1, "the message at the limit passed");
    up.stop().await.unwrap();
}

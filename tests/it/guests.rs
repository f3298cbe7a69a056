//! Each edge-case guest gets its failure class, and the engine stays healthy:
//! after every failure a normal call on the same engine succeeds.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use weft_host::{
    engine::{CacheOutcome, CallContext, LookupTables},
    Engine, FailureClass, LoadError, Message, Plugin,
};

use super::support::{engine, engine_with, guest_path, load, root};

fn msg(kind: &str) -> Message {
    Message {
        id: "m1".into(),
        correlation_id: "c1".into(),
        kind: kind.into(),
        content_type: "text/plain".into(),
        headers: vec![],
        payload: b"x".to_vec(),
    }
}

/// A normal call on the same engine still works: the guest's own `ping`
/// path and the well-behaved echo guest.
fn assert_healthy(engine: &Engine, plugin: &Plugin) {
    let out = plugin
        .process(&msg("ping"), &CallContext::default())
        .expect("ping after failure");
    assert_eq!(out.outputs.len(), 1);
    let echo = load(engine, &guest_path("guest-echo"));
    let out = echo
        .process(&msg("hello"), &CallContext::default())
        .expect("echo after failure");
    assert_eq!(out.outputs[0].kind, "hello");
}

#[test]
fn infinite_loop_times_out_near_the_deadline() {
    let cache = tempfile::tempdir().unwrap();
    let deadline = Duration::from_millis(300);
    let engine = engine_with(deadline, 64 << 20, cache.path());
    let plugin = load(&engine, &guest_path("guest-loop"));
    let started = Instant::now();
    let f = plugin
        .process(&msg("spin"), &CallContext::default())
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(f.class, FailureClass::Timeout, "{f}");
    assert!(f.message.contains("300 ms"), "{f}");
    assert!(took >= deadline, "stopped early: {took:?}");
    assert!(took < deadline * 3, "stopped too late: {took:?}");
    assert_healthy(&engine, &plugin);
}

#[test]
fn large_allocation_hits_the_memory_limit() {
    let cache = tempfile::tempdir().unwrap();
    let engine = engine_with(Duration::from_secs(5), 32 << 20, cache.path());
    let plugin = load(&engine, &guest_path("guest-alloc"));
    let f = plugin
        .process(&msg("hog"), &CallContext::default())
        .unwrap_err();
    assert_eq!(f.class, FailureClass::MemoryLimit, "{f}");
    assert!(f.message.contains("over the 32 MiB limit"), "{f}");
    assert_healthy(&engine, &plugin);
}

#[test]
fn panic_is_a_trap_with_the_message_and_backtrace() {
    let (engine, _cache) = engine();
    let plugin = load(&engine, &guest_path("guest-panic"));
    let f = plugin
        .process(&msg("boom"), &CallContext::default())
        .unwrap_err();
    assert_eq!(f.class, FailureClass::Trap, "{f}");
    assert!(
        f.message.contains("panicked at") && f.message.contains("guest-panic refuses kind boom"),
        "{f}"
    );
    assert!(
        f.message.contains("guest backtrace:") && f.message.contains("process"),
        "{f}"
    );
    assert!(!f.message.contains('\n'));
    assert_healthy(&engine, &plugin);
}

#[test]
fn sandbox_grants_no_files_env_args_or_network() {
    let (engine, _cache) = engine();
    let plugin = load(&engine, &guest_path("guest-sandbox"));
    let out = plugin
        .process(&msg("raw"), &CallContext::default())
        .expect("probe runs");
    let report: serde_json::Value = serde_json::from_slice(&out.outputs[0].payload).unwrap();
    assert!(
        report["file"].as_str().unwrap().starts_with("denied"),
        "{report}"
    );
    assert!(
        report["cwd"].as_str().unwrap().starts_with("denied"),
        "{report}"
    );
    assert!(report["env_home"].is_null(), "{report}");
    assert_eq!(report["env_count"], 0, "{report}");
    assert_eq!(report["args"], 0, "{report}");
    assert!(
        report["net"].as_str().unwrap().starts_with("denied"),
        "{report}"
    );
}

#[test]
fn malformed_outputs_are_bad_output() {
    let (engine, _cache) = engine();
    let plugin = load(&engine, &guest_path("guest-bad-output"));
    for (mode, want) in [
        ("not-json", "payload is not JSON"),
        ("no-kind", "`kind` is empty"),
        ("bad-content-type", "not a MIME type"),
        ("duplicate-ids", "used twice"),
        ("bad-header", "header name"),
    ] {
        let f = plugin
            .process(&msg(mode), &CallContext::default())
            .unwrap_err();
        assert_eq!(f.class, FailureClass::BadOutput, "{mode}: {f}");
        assert!(f.message.contains(want), "{mode}: {f}");
        assert_healthy(&engine, &plugin);
    }
    // A canonical document that breaks its schema: class `schema`, with
    // the JSON path of the bad value.
    let f = plugin
        .process(&msg("bad-order"), &CallContext::default())
        .unwrap_err();
    assert_eq!(f.class, FailureClass::Schema, "{f}");
    assert!(f.message.contains("/lines/0/quantity"), "{f}");
    assert_healthy(&engine, &plugin);
}

#[test]
fn plugin_errors_config_lookup_and_logs() {
    let (engine, _cache) = engine();
    let plugin = load(&engine, &guest_path("guest-echo"));
    assert_eq!(plugin.info().name, "guest-echo");
    assert_eq!(plugin.info().version, "1.2.3");
    let f = plugin
        .process(&msg("invalid"), &CallContext::default())
        .unwrap_err();
    assert_eq!(
        (f.class, f.message.as_str()),
        (FailureClass::Invalid, "echo was told to refuse this")
    );
    let f = plugin
        .process(&msg("retryable"), &CallContext::default())
        .unwrap_err();
    assert_eq!(f.class, FailureClass::Retryable);

    let mut tables = HashMap::new();
    tables.insert(
        "sku".to_string(),
        HashMap::from([("ABC".to_string(), "ERP-1".to_string())]),
    );
    let ctx = CallContext {
        config: [("greeting".to_string(), "hej".to_string())].into(),
        lookup: Some(Arc::new(LookupTables(tables))),
        ..CallContext::default()
    };
    let out = plugin.process(&msg("hello"), &ctx).unwrap();
    let m = &out.outputs[0];
    assert_eq!(m.header("greeting"), Some("hej"));
    assert_eq!(m.header("sku"), Some("ERP-1"));
    assert_eq!((m.id.as_str(), m.correlation_id.as_str()), ("m1", "c1"));
    assert_eq!(out.logs.len(), 1);
    assert_eq!(
        (out.logs[0].level, out.logs[0].message.as_str()),
        ("info", "echo m1")
    );
}

#[test]
fn concurrent_calls_share_one_plugin() {
    let (engine, _cache) = engine();
    let plugin = Arc::new(load(&engine, &guest_path("guest-echo")));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let plugin = plugin.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let mut m = msg("hello");
                    m.id = format!("{t}-{i}");
                    let out = plugin.process(&m, &CallContext::default()).expect("call");
                    assert_eq!(out.outputs[0].id, m.id);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
}

#[test]
fn foreign_versions_modules_and_garbage_are_refused_at_load() {
    let (engine, _cache) = engine();
    let e = engine
        .load_file(&guest_path("guest-future-version"))
        .err()
        .expect("must refuse");
    assert!(matches!(e, LoadError::UnsupportedWorld(_)), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("weft:plugin/transform-plugin@0.2.0")
            && text.contains("supports weft:plugin@0.1.0"),
        "{text}"
    );

    let core_module = b"\0asm\x01\0\0\0";
    let e = engine.load(core_module).err().expect("core module refused");
    assert!(
        matches!(e, LoadError::NotAComponent(ref m) if m.contains("core WebAssembly module")),
        "{e}"
    );
    let e = engine
        .load(b"not wasm at all")
        .err()
        .expect("garbage refused");
    assert!(matches!(e, LoadError::NotAComponent(_)), "{e}");
}

#[test]
fn compiled_code_is_cached_by_digest() {
    let cache = tempfile::tempdir().unwrap();
    let path = guest_path("guest-echo");
    let first = engine_with(Duration::from_secs(1), 64 << 20, cache.path());
    assert_eq!(load(&first, &path).cache(), CacheOutcome::Compiled);
    let second = engine_with(Duration::from_secs(1), 64 << 20, cache.path());
    let plugin = load(&second, &path);
    assert_eq!(plugin.cache(), CacheOutcome::Hit);
    let entries: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].to_string_lossy().starts_with(plugin.sha256()),
        "{entries:?}"
    );
    assert!(plugin.process(&msg("hi"), &CallContext::default()).is_ok());

    // A damaged entry is ignored and replaced.
    std::fs::write(cache.path().join(&entries[0]), b"junk").unwrap();
    let third = engine_with(Duration::from_secs(1), 64 << 20, cache.path());
    let plugin = load(&third, &path);
    assert_eq!(plugin.cache(), CacheOutcome::Compiled);
    assert!(plugin.process(&msg("hi"), &CallContext::default()).is_ok());
}

#[test]
fn every_guest_has_a_test() {
    let manifest = std::fs::read_to_string(root().join("tests/guests/Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("members line");
    let mut tests = String::new();
    for f in std::fs::read_dir(root().join("tests/it")).unwrap() {
        tests.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    for guest in members.split('"').filter(|s| s.starts_with("guest-")) {
        assert!(
            tests.contains(&format!("guest_path(\"{guest}\")")),
            "no test loads {guest}"
        );
    }
}

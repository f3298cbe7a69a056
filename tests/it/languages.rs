//! Plugins in other languages: the Python and JavaScript examples pass the
//! Rust originals' case folders, the scaffolds build and pass theirs, the
//! pool's limits refuse a guest over them by name, the compiled code of
//! the large guests is cached, and the Python example is published to the
//! registry and hot-swapped in for the Rust connector.
//!
//! The examples are built by `scripts/build-wasm.sh` when their toolchain
//! is installed (`scripts/test.sh` installs both); without it these tests
//! skip with the reason. The large guests compile once per run into a
//! shared cache (`target/lang-cache`), as a host's cache would keep them.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use weft_host::{
    engine::{CacheOutcome, PoolLimits},
    Engine, EngineConfig, LoadError,
};

use super::support::{guest_path, root, text, weft};

/// The SDK languages: example plugin, the Rust original it ports, and
/// whether the toolchain is installed.
pub const PORTS: [(&str, &str); 2] = [
    ("woocommerce-orders-py", "woocommerce-orders"),
    ("validate-order-js", "validate-order"),
];

/// Whether the toolchain building `name` (`…-py`, `…-js`) is installed.
fn toolchain(name: &str) -> bool {
    if name.ends_with("-py") {
        let tools = std::env::var_os("WEFT_TOOLS_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/weft/tools")));
        std::env::var_os("WEFT_COMPONENTIZE_PY").is_some()
            || tools.is_some_and(|t| t.join("py/bin/componentize-py").exists())
    } else {
        root()
            .join("sdk-js/node_modules/@bytecodealliance/componentize-js")
            .exists()
    }
}

/// `target/plugins/<name>.wasm` of a Python or JavaScript example, or
/// `None` (with the reason printed) when its toolchain is not installed.
pub fn lang_plugin(name: &str) -> Option<PathBuf> {
    let p = root().join("target/plugins").join(format!("{name}.wasm"));
    if p.exists() {
        return Some(p);
    }
    assert!(
        !toolchain(name),
        "{} is missing although its toolchain is installed: run scripts/build-wasm.sh",
        p.display()
    );
    println!(
        "skipping: {name} needs its toolchain (scripts/install-componentize-py.sh, scripts/install-jco.sh)"
    );
    None
}

/// The cache the large guests compile into once per run.
pub fn lang_cache() -> PathBuf {
    root().join("target/lang-cache")
}

/// An engine with `pool` limits and the shared cache.
fn engine_with_pool(pool: PoolLimits) -> Engine {
    Engine::new(EngineConfig {
        cache_dir: Some(lang_cache()),
        pool,
        ..EngineConfig::default()
    })
    .expect("engine")
}

fn cases_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("case folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".input."))
        .count()
}

#[test]
fn the_python_and_js_examples_pass_the_rust_originals_case_folders() {
    // Every plugin built by a `build.sh` is one of PORTS (so it is tested).
    for e in std::fs::read_dir(root().join("plugins")).unwrap().flatten() {
        if e.path().join("build.sh").exists() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                PORTS.iter().any(|(p, _)| *p == name),
                "{name} is not in PORTS"
            );
        }
    }
    for (port, original) in PORTS {
        let Some(wasm) = lang_plugin(port) else {
            continue;
        };
        let cases = root().join("plugins").join(original).join("cases");
        let out = weft(&lang_cache())
            .args(["plugin", "test"])
            .arg(&wasm)
            .arg(&cases)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{port}: {stdout}{stderr}");
        let n = cases_in(&cases);
        assert!(n >= 10, "{original} has {n} cases");
        assert_eq!(
            stdout.lines().last(),
            Some(format!("{n} passed, 0 failed").as_str()),
            "{port}: {stdout}"
        );
        // The same description as the original: name, role, kinds.
        let describe = |w: &Path| -> serde_json::Value {
            let out = weft(&lang_cache())
                .args(["plugin", "inspect", "--json"])
                .arg(w)
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            v["describe"].clone()
        };
        let ported = describe(&wasm);
        let rust = describe(&super::support::plugin_path(original));
        for key in ["name", "role", "accepts", "emits", "summary"] {
            assert_eq!(ported[key], rust[key], "{port}: describe().{key}");
        }
    }
}

/// The per-component limits: what wasmtime calls them, the setting.
const WHAT: [(&str, &str); 3] = [
    ("core module instances", "pool.core_instances_per_component"),
    ("Wasm linear memories", "pool.memories_per_component"),
    ("tables", "pool.tables_per_component"),
];

/// The default limits with limit `field` (an index into [`WHAT`]) at `n`.
fn at(field: usize, n: u32) -> PoolLimits {
    let mut pool = PoolLimits::default();
    match field {
        0 => pool.core_instances_per_component = n,
        1 => pool.memories_per_component = n,
        _ => pool.tables_per_component = n,
    }
    pool
}

/// How many of `WHAT[field]` the component at `wasm` holds, read from its
/// refusal at a limit of 1 (1 when it loads).
fn holds(wasm: &Path, field: usize) -> u32 {
    match engine_with_pool(at(field, 1)).load_file(wasm) {
        Ok(_) => 1,
        Err(e) => e
            .to_string()
            .split("contains ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}: no count in `{e}`", wasm.display())),
    }
}

#[test]
fn a_guest_over_the_pool_limits_is_refused_by_name_and_compiled_code_is_cached() {
    let Some(py) = lang_plugin("woocommerce-orders-py") else {
        return;
    };
    // Defaults take the large guests; the compiled code is cached, so a
    // second engine loads it without compiling.
    let started = Instant::now();
    let first = engine_with_pool(PoolLimits::default()).load_file(&py);
    let first_took = started.elapsed();
    let first = first.unwrap_or_else(|e| panic!("the default limits refuse it: {e}"));
    let started = Instant::now();
    let again = engine_with_pool(PoolLimits::default())
        .load_file(&py)
        .expect("loads again");
    let again_took = started.elapsed();
    assert_ne!(first.cache(), CacheOutcome::Disabled);
    assert_eq!(again.cache(), CacheOutcome::Hit, "the second load compiles");
    eprintln!(
        "python guest: {:.1} MB, first load {first_took:.2?} ({:?}), cached load {again_took:.2?}",
        first.size() as f64 / 1e6,
        first.cache()
    );
    assert!(
        again_took < Duration::from_secs(5),
        "cached load {again_took:?}"
    );

    // What each guest holds (core instances, memories, tables), read from
    // the refusals at a limit of 1; then each limit refuses it one below
    // that, naming the count, the limit and the setting to raise, and takes
    // it at that.
    for name in ["woocommerce-orders-py", "validate-order-js"] {
        let Some(wasm) = lang_plugin(name) else {
            continue;
        };
        let echo = guest_path("guest-echo");
        let mut held = Vec::new();
        for (field, (what, setting)) in WHAT.into_iter().enumerate() {
            let count = holds(&wasm, field);
            held.push(format!("{count} {what}"));
            if count > 1 {
                let err = match engine_with_pool(at(field, count - 1)).load_file(&wasm) {
                    Err(e) => e,
                    Ok(_) => panic!("{name}: a limit of {} {what} took it", count - 1),
                };
                assert!(matches!(err, LoadError::Limits(_)), "{err:?}");
                let msg = err.to_string();
                let limit = format!("maximum of {}", count - 1);
                for w in [what, limit.as_str(), setting] {
                    assert!(msg.contains(w), "`{w}` not in: {msg}");
                }
                // A Rust guest that holds less fits the same limits.
                if holds(&echo, field) < count {
                    engine_with_pool(at(field, count - 1))
                        .load_file(&echo)
                        .expect("a Rust guest fits");
                }
            }
            engine_with_pool(at(field, count))
                .load_file(&wasm)
                .unwrap_or_else(|e| panic!("{name}: a limit of {count} {what} refuses it: {e}"));
        }
        eprintln!("{name} holds: {}", held.join(", "));
    }
    // The command line says it the same way.
    let out = weft(&lang_cache())
        .args(["plugin", "inspect", "--memory-mb", "1"])
        .arg(&py)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("exceeds this engine's limits"), "{stderr}");
}

/// Runs `cmd`, panicking with its output when it fails.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{what} failed: {stdout}{stderr}");
    stdout
}

#[test]
fn scaffolded_python_and_js_plugins_build_and_pass_their_cases() {
    let work = tempfile::tempdir().unwrap();
    for (lang, port, roles) in [
        ("python", "woocommerce-orders-py", ["source", "sink"]),
        ("js", "validate-order-js", ["transform", "source"]),
    ] {
        if !toolchain(port) {
            println!("skipping --lang {lang}: its toolchain is not installed");
            continue;
        }
        for role in roles {
            let name = format!("acme-{lang}-{role}");
            let dir = work.path().join(&name);
            let out = run(
                weft(&lang_cache())
                    .args([
                        "plugin", "new", &name, "--role", role, "--lang", lang, "--dir",
                    ])
                    .arg(&dir),
                "weft plugin new",
            );
            assert!(out.contains("./build.sh"), "{out}");
            for f in [
                "README.md",
                "build.sh",
                "cases/example.input.json",
                "cases/example.expected.jsonl",
            ] {
                assert!(dir.join(f).exists(), "{name}: no {f}");
            }
            run(
                Command::new(dir.join("build.sh")).current_dir(&dir),
                &format!("{name}/build.sh"),
            );
            let wasm = dir.join("target").join(format!("{name}.wasm"));
            let out = run(
                weft(&lang_cache())
                    .args(["plugin", "test"])
                    .arg(&wasm)
                    .arg(dir.join("cases")),
                "weft plugin test",
            );
            assert_eq!(
                out.lines().last(),
                Some("1 passed, 0 failed"),
                "{name}: {out}"
            );
            let out = run(
                weft(&lang_cache())
                    .args(["plugin", "inspect", "--json"])
                    .arg(&wasm),
                "weft plugin inspect",
            );
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["world"], format!("weft:plugin/{role}@0.1.0"));
            assert_eq!(v["describe"]["name"], name.as_str());
        }
    }
}

//! The per-message cost guard: instructions per plugin call as the host
//! makes it, counted by valgrind's callgrind (a count, repeatable on a
//! shared machine where times are not), against ceilings at twice what was
//! measured. It fails when a change doubles what a message costs the host.
//!
//! Three calls, each a part of the cost: `guest-noop` (the fixed cost: a
//! fresh store, instantiation, the call), `guest-echo` with the real 30 KB
//! Shopify order (copying a payload in and out, the JSON check of the
//! output, the host imports) and `validate-order` on the canonical order
//! the Shopify mapping makes of it (a canonical document's schema check).
//! The `weft` binary under test is the debug build, so the counts are those
//! of debug code: many times the release figures (`weft plugin bench`,
//! `cargo bench -p weft-host --bench plugin`), and a guard, not a figure.

use std::{path::Path, process::Command};

use super::support::{guest_path, plugin_path, realdata};

/// `(plugin, measured instructions per call, ceiling)`: measured
/// 2026-12-03 with the debug build (rustc 1.95, valgrind 3.19).
const CEILINGS: [(&str, u64, u64); 3] = [
    ("guest-noop", 2_900_000, 6_000_000),
    ("guest-echo", 8_700_000, 17_000_000),
    ("validate-order", 3_000_000, 6_000_000),
];

/// Timed calls per count; the warm-up call (lazy set-up) is not counted.
const CALLS: usize = 4;

/// Instructions per timed call of `wasm` on `input` under callgrind.
fn per_call(wasm: &Path, input: &[&str], cache: &Path) -> u64 {
    let out = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--toggle-collect=weft::cli::plugin::bench::timed_call",
            env!("CARGO_BIN_EXE_weft"),
            "plugin",
            "bench",
        ])
        .arg(wasm)
        .args(input)
        .args(["--warmup", "1", "--pool-instances", "1", "--count"])
        .arg(CALLS.to_string())
        .arg("--cache-dir")
        .arg(cache)
        .output()
        .expect("valgrind runs (scripts/test.sh installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {stderr}", wasm.display());
    let collected = stderr
        .lines()
        .find_map(|l| {
            l.split_once("Collected : ")
                .map(|(_, n)| n.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no callgrind total in: {stderr}"));
    let total: u64 = collected.parse().expect("instruction count");
    total / CALLS as u64
}

#[test]
fn a_message_costs_the_host_no_more_than_twice_what_it_did() {
    let Some(shopify) = realdata("shopify") else {
        return;
    };
    let order = shopify.join("rest-2026-07_GET_order_450789469.json");
    let dir = tempfile::tempdir().unwrap();
    // The canonical order, as `validate-order` gets it in a pipeline.
    let canonical = dir.path().join("order.jsonl");
    let mapped = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["plugin", "run"])
        .arg(plugin_path("shopify-orders"))
        .arg("--input")
        .arg(&order)
        .arg("--no-cache")
        .output()
        .unwrap();
    assert!(mapped.status.success(), "{mapped:?}");
    std::fs::write(&canonical, &mapped.stdout).unwrap();
    let order = order.display().to_string();
    let canonical = canonical.display().to_string();
    // Compiled code is cached per CPU feature set, and valgrind's virtual
    // CPU has its own: each component is compiled under valgrind once,
    // then read from this cache.
    let cache = dir.path().join("cache");
    let runs: [(&str, std::path::PathBuf, Vec<&str>); 3] = [
        (
            "guest-noop",
            guest_path("guest-noop"),
            vec!["--input", &order],
        ),
        (
            "guest-echo",
            guest_path("guest-echo"),
            vec!["--input", &order],
        ),
        (
            "validate-order",
            plugin_path("validate-order"),
            vec!["--input", &canonical, "--jsonl"],
        ),
    ];
    // The three side by side: each is one valgrind process.
    let counts: Vec<(&str, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .iter()
            .map(|(name, wasm, input)| {
                let cache = cache.join(name);
                s.spawn(move || (*name, per_call(wasm, input, &cache)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut over = Vec::new();
    for (name, count) in &counts {
        let (_, measured, ceiling) = CEILINGS.iter().find(|(n, _, _)| n == name).unwrap();
        println!("{name}: {count} instructions per call (measured {measured}, ceiling {ceiling})");
        if count > ceiling {
            over.push(format!(
                "{name}: {count} instructions per call, over the ceiling of {ceiling} (measured {measured})"
            ));
        }
        // A count far below the measure means the guard no longer counts
        // the call (a renamed function): it would pass whatever happens.
        assert!(
            *count > measured / 4,
            "{name}: only {count} instructions per call: is `timed_call` still what runs the calls?"
        );
    }
    assert!(
        over.is_empty(),
        "per-message cost doubled:\n{}",
        over.join("\n")
    );
}

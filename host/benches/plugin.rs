//! Per-message cost of `shopify-orders` and of `x12` through the host
//! (fresh Store + instantiate + call + output checks, schema validation
//! included) against the same mapping code compiled natively, on the same
//! real documents, in the same run; and a bare call (an empty guest on an
//! empty message), the fixed cost of any call.
//!
//! The same per-message cost for plugins written in Python and JavaScript
//! next to their Rust originals on the same input ([`languages`]), with the
//! ratios printed in the same run.
//!
//! `cargo bench -p weft-host --bench plugin` (needs `scripts/build-wasm.sh`);
//! `cargo bench -p weft-host --bench plugin -- languages` for the languages only.
//! `WEFT_BENCH_POOL_INSTANCES=1` shrinks the instance pool so that
//! valgrind can map it (to count instructions with callgrind).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "a benchmark: a failed set-up is a failed run"
)]

use std::{path::Path, time::Duration};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use weft_host::{engine::CallContext, Engine, EngineConfig, Message};
use weft_sdk::Plugin as _;

fn sample() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read(root.join("../shared/realdata/shopify/rest-2026-07_GET_order_450789469.json"))
        .expect("real Shopify sample next to the checkout")
}

/// The engine of every bench: as the host's, without the compiled-code cache.
fn engine() -> Engine {
    let pool = std::env::var("WEFT_BENCH_POOL_INSTANCES")
        .ok()
        .and_then(|v| v.parse().ok());
    Engine::new(EngineConfig {
        cache_dir: None,
        max_instances: pool.unwrap_or(EngineConfig::default().max_instances),
        ..EngineConfig::default()
    })
    .expect("engine")
}

fn bench(c: &mut Criterion) {
    // As the `weft` binary runs.
    weft_host::engine::return_freed_memory();
    let payload = sample();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let wasm = root.join("target/plugins/shopify-orders.wasm");
    let engine = engine();
    let plugin = engine
        .load_file(&wasm)
        .expect("run scripts/build-wasm.sh first");
    let input = Message::raw("bench", "application/json", payload.clone());
    let ctx = CallContext::default();
    let sdk_input = weft_sdk::Message {
        id: "bench".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: payload.clone(),
    };
    // Same result both ways, or the comparison means nothing.
    let wasm_out = plugin.process(&input, &ctx).expect("wasm call");
    let native_out =
        shopify_orders::ShopifyOrders::process(sdk_input.clone()).expect("native call");
    assert_eq!(
        wasm_out.outputs[0].payload, native_out[0].payload,
        "wasm and native outputs differ"
    );

    let mut g = c.benchmark_group("shopify-orders");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("native", |b| {
        b.iter_batched(
            || sdk_input.clone(),
            |m| shopify_orders::ShopifyOrders::process(m).expect("native"),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("wasm (fresh store + instantiate + call)", |b| {
        b.iter(|| plugin.process(&input, &ctx).expect("wasm"))
    });
    // The fixed cost of a call (store, WASI context, instantiate, copying the
    // payload in and out, output checks) on the same payload, for scale.
    let echo = engine
        .load_file(&root.join("target/test-guests/guest-echo.wasm"))
        .expect("guest-echo");
    g.bench_function("wasm echo guest (per-call overhead)", |b| {
        b.iter(|| echo.process(&input, &ctx).expect("echo"))
    });
    g.finish();

    // A bare call: fresh store + instantiate + call of a guest that does
    // nothing, on an empty message.
    let noop = engine
        .load_file(&root.join("target/test-guests/guest-noop.wasm"))
        .expect("guest-noop");
    let empty = Message::raw("bench", "application/json", b"{}".to_vec());
    let mut g = c.benchmark_group("fixed cost");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("bare call (guest-noop, empty message)", |b| {
        b.iter(|| noop.process(&empty, &ctx).expect("noop"))
    });
    g.finish();
}

/// `x12` on a real multi-invoice interchange (several 810s + a 997).
fn bench_x12(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let payload =
        std::fs::read(root.join("../shared/realdata/x12/810_oopfactory_multi-invoice_00403.edi"))
            .expect("real X12 sample next to the checkout");
    let engine = engine();
    let plugin = engine
        .load_file(&root.join("target/plugins/x12.wasm"))
        .expect("run scripts/build-wasm.sh first");
    let input = Message::raw("bench", "application/edi-x12", payload.clone());
    // 997 control numbers come from counters (in Redis in a pipeline).
    let services = weft_host::masterdata::Services::memory(
        Default::default(),
        weft_host::masterdata::MemorySequences::default(),
    );
    let ctx = CallContext::new(Default::default(), &services);
    let sdk_input = weft_sdk::Message {
        id: "bench".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/edi-x12".into(),
        headers: Vec::new(),
        payload: payload.clone(),
    };
    let wasm_out = plugin.process(&input, &ctx).expect("wasm call");
    weft_sdk::host::reset_sequences();
    let native_out = x12::X12::process(sdk_input.clone()).expect("native call");
    assert_eq!(wasm_out.outputs.len(), native_out.len());
    for (w, n) in wasm_out.outputs.iter().zip(&native_out) {
        assert_eq!(w.payload, n.payload, "wasm and native outputs differ");
    }
    let mut g = c.benchmark_group("x12");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("native", |b| {
        b.iter_batched(
            || sdk_input.clone(),
            |m| x12::X12::process(m).expect("native"),
            BatchSize::SmallInput,
        )
    });
    g.bench_function(
        "wasm (fresh store + instantiate + call + schema check)",
        |b| b.iter(|| plugin.process(&input, &ctx).expect("wasm")),
    );
    g.finish();
}

#[path = "plugin/languages.rs"]
mod languages;

criterion_group!(benches, bench, bench_x12, languages::bench);
criterion_main!(benches);

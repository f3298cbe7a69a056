//! Python and JavaScript guests next to their Rust originals: the
//! WooCommerce source (`woocommerce-orders` / `woocommerce-orders-py`) on
//! a REST order and the order check (`validate-order` / `validate-order-js`)
//! on a canonical Shopify order, the inputs of their shared case folders.
//! Each pair must give the same outputs; the cost of a call (fresh store +
//! instantiate + call + output checks) and the ratio to Rust are printed
//! once more after criterion's figures, measured in the same run.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use criterion::{Criterion, Throughput};
use weft_host::{engine::CallContext, Engine, EngineConfig, Message, Plugin};

/// (group, Rust plugin, ported plugin, case input, message kind, a case
/// input refused at once as not JSON: the fixed cost of a call).
const PAIRS: [(&str, &str, &str, &str, &str, &str); 2] = [
    (
        "woocommerce-orders (python)",
        "woocommerce-orders",
        "woocommerce-orders-py",
        "plugins/woocommerce-orders/cases/retrieve-order-727.input.json",
        "raw",
        "plugins/woocommerce-orders/cases/bad-not-json.input.txt",
    ),
    (
        "validate-order (javascript)",
        "validate-order",
        "validate-order-js",
        "plugins/validate-order/cases/shopify-get-order-valid.input.json",
        "order.created",
        "plugins/validate-order/cases/not-json.input.txt",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The median wall time of one call over `n` calls (that succeed or fail).
fn median(plugin: &Plugin, input: &Message, n: usize) -> Duration {
    let ctx = CallContext::default();
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let _ = std::hint::black_box(plugin.process(input, &ctx));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[n / 2]
}

/// Criterion groups per pair, then the summary with the ratios.
pub fn bench(c: &mut Criterion) {
    // The large guests compile once: keep their compiled code.
    let engine = Engine::new(EngineConfig {
        cache_dir: Some(root().join("target/lang-cache")),
        ..EngineConfig::default()
    })
    .expect("engine");
    let mut summary = Vec::new();
    for (group, rust, port, input, kind, refused) in PAIRS {
        let port_wasm = root().join(format!("target/plugins/{port}.wasm"));
        if !port_wasm.exists() {
            eprintln!("skipping {group}: {} is missing (scripts/build-wasm.sh with the toolchains installed)", port_wasm.display());
            continue;
        }
        let load = |p: &Path| {
            let t = Instant::now();
            let plugin = engine.load_file(p).expect("load");
            (plugin, t.elapsed())
        };
        let (rust_plugin, _) = load(&root().join(format!("target/plugins/{rust}.wasm")));
        let (port_plugin, load_time) = load(&port_wasm);
        let payload = std::fs::read(root().join(input)).expect("case input");
        let msg = Message {
            id: "m-1".into(),
            correlation_id: "shopify:450789469".into(),
            kind: kind.into(),
            content_type: "application/json".into(),
            payload: payload.clone(),
            ..Default::default()
        };
        let ctx = CallContext::default();
        let a = rust_plugin.process(&msg, &ctx).expect("rust call").outputs;
        let b = port_plugin
            .process(&msg, &ctx)
            .expect("ported call")
            .outputs;
        assert_eq!(a.len(), b.len(), "{group}: output counts differ");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (&x.id, &x.payload),
                (&y.id, &y.payload),
                "{group}: outputs differ"
            );
        }
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Bytes(payload.len() as u64));
        g.measurement_time(Duration::from_secs(5));
        g.bench_function("rust", |bch| {
            bch.iter(|| rust_plugin.process(&msg, &ctx).expect("rust"))
        });
        g.bench_function(port, |bch| {
            bch.iter(|| port_plugin.process(&msg, &ctx).expect("port"))
        });
        g.finish();
        let r = median(&rust_plugin, &msg, 300);
        let p = median(&port_plugin, &msg, 300);
        let bad = Message {
            payload: std::fs::read(root().join(refused)).expect("case input"),
            ..msg.clone()
        };
        assert!(
            port_plugin.process(&bad, &ctx).is_err(),
            "{group}: not JSON passes"
        );
        let (rf, pf) = (
            median(&rust_plugin, &bad, 300),
            median(&port_plugin, &bad, 300),
        );
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        // describe(): a fresh instance and a call that does no work.
        let describe = |p: &Plugin| {
            let mut t: Vec<Duration> = (0..300)
                .map(|_| {
                    let s = Instant::now();
                    let _ = std::hint::black_box(p.describe());
                    s.elapsed()
                })
                .collect();
            t.sort_unstable();
            t[150]
        };
        let (rd, pd) = (describe(&rust_plugin), describe(&port_plugin));
        summary.push(format!(
            "{group}: rust {:.1} µs, {port} {:.1} µs per call = {:.1}×; refused at once (not JSON): rust {:.1} µs, {port} {:.1} µs; describe(): rust {:.1} µs, {port} {:.1} µs ({:.1} MB guest, load {load_time:.2?} {:?})",
            us(r),
            us(p),
            p.as_secs_f64() / r.as_secs_f64(),
            us(rf),
            us(pf),
            us(rd),
            us(pd),
            port_plugin.size() as f64 / 1e6,
            port_plugin.cache(),
        ));
    }
    eprintln!("\nper-call cost by language (median of 300 calls, same input and outputs):");
    for line in summary {
        eprintln!("  {line}");
    }
}

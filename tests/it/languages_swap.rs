//! The Python example goes through the registry like any component: it is
//! published (signed, checked by the registry's engine), deployed over the
//! Rust connector on a running host, and the host's next messages are
//! mapped by it, with the same canonical documents the Rust connector
//! gives.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use weft_host::{
    bus::{self, codec, Keys},
    config,
    engine::CallContext,
    Message,
};
use weft_registry::sign;

use super::{
    bus_support::{write_config, TestRedis},
    languages::lang_plugin,
    registry::{put, Registry},
    support::{plugin_path, root},
};

/// The Rust connector and its Python port: the same plugin and version
/// (`describe()` says `woocommerce-orders@0.1.0`), published by two
/// namespaces.
const RUST: &str = "acme/woocommerce-orders@0.1.0";
const PYTHON: &str = "acmepy/woocommerce-orders@0.1.0";

fn case_input(name: &str) -> Vec<u8> {
    std::fs::read(root().join(format!(
        "plugins/woocommerce-orders/cases/{name}.input.json"
    )))
    .expect("case input")
}

async fn send(url: &str, id: &str, payload: Vec<u8>) {
    let mut con = bus::connect(url).await.unwrap();
    let m = Message {
        id: id.into(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        payload,
        ..Default::default()
    };
    bus::append_all(&mut con, &Keys::new("p", "p").input(), [m])
        .await
        .unwrap();
}

/// The sink's messages so far.
async fn outputs(url: &str) -> Vec<Message> {
    let mut con = bus::connect(url).await.unwrap();
    bus::read_all(&mut con, &Keys::sink("p", "out").input())
        .await
        .unwrap()
        .iter()
        .map(|e| codec::decode(e).unwrap())
        .collect()
}

async fn wait_for(url: &str, n: usize) -> Vec<Message> {
    for _ in 0..6000 {
        let out = outputs(url).await;
        if out.len() >= n {
            return out;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "fewer than {n} outputs after 60 s: {:?}",
        outputs(url).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_example_is_published_and_hot_swapped_in_for_the_rust_connector() {
    let Some(py) = lang_plugin("woocommerce-orders-py") else {
        return;
    };
    let redis = TestRedis::start();
    let con = bus::connect(&redis.url()).await.unwrap();
    let reg = Registry::start_with(32 << 20, Some(con)).await;
    let (secret, public) = sign::keygen().unwrap();
    let key = sign::signing_key(&secret).unwrap();
    reg.store.add_key("acme", &public).unwrap();
    reg.store.add_key("acmepy", &public).unwrap();
    let publish = reg.token(&["publish:acme", "publish:acmepy"]);
    for (path, ns) in [
        (plugin_path("woocommerce-orders"), "acme"),
        (py.clone(), "acmepy"),
    ] {
        let bytes = std::fs::read(&path).unwrap();
        let (s, v) = put(
            &format!("{}/v1/plugins/{ns}/woocommerce-orders/0.1.0", reg.url),
            Some(&publish),
            Some(&sign::sign(&key, &bytes)),
            bytes,
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "publish {ns}: {v}");
    }
    let deploy_token = reg.token(&["deploy"]);
    let read = reg.token(&["read", "status"]);
    let deploy = |plugin: &'static str| {
        let (url, token) = (reg.url.clone(), deploy_token.clone());
        async move {
            let r = reqwest::Client::new()
                .put(format!("{url}/v1/deployments/p/woo"))
                .bearer_auth(&token)
                .json(&json!({ "plugin": plugin }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            let v: Value = r.json().await.unwrap();
            v["id"].as_i64().expect("deployment id")
        }
    };
    deploy(RUST).await;
    let text = format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "lang-host"
concurrency = 2
[registry]
url = "{reg}"
token = "{read}"
trusted_keys = ["{public}"]
reconcile_ms = 60000
[pipelines.p]
stages = [{{ name = "woo", plugin = "{RUST}" }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
"#,
        redis = redis.url(),
        reg = reg.url,
    );
    let cfg = config::load(&write_config(redis.dir.path(), &text)).unwrap();
    // The host compiles the Python guest into its compiled-code cache
    // (`$WEFT_CACHE_DIR`, else ~/.cache/weft/components) once.
    let up = super::support::up(cfg).await.unwrap();
    let url = redis.url();

    send(&url, "a", case_input("retrieve-order-727")).await;
    let out = wait_for(&url, 1).await;
    assert_eq!(
        out[0].header("weft-plugin"),
        Some(RUST),
        "{:?}",
        out[0].headers
    );

    // Deploy the Python version; wait until the host reports it applied.
    let id = deploy(PYTHON).await;
    let mut applied = Value::Null;
    for _ in 0..6000 {
        let status: Value = reqwest::Client::new()
            .get(format!("{}/v1/deployments", reg.url))
            .bearer_auth(&read)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mine = status["status"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["deployment"] == id)
            .cloned();
        if let Some(s) = mine {
            applied = s;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        applied["ok"], true,
        "the host applied the Python version: {applied}"
    );

    send(&url, "b", case_input("list-orders-727-723")).await;
    // Order 727 again is a duplicate of the first output (the bus may drop
    // it); order 723 and its fulfilled milestone are new.
    let mut out = Vec::new();
    for _ in 0..6000 {
        out = outputs(&url).await;
        if out
            .iter()
            .any(|m| m.id.starts_with("woocommerce:723:fulfilled"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    up.stop().await.unwrap();
    let swapped: Vec<&Message> = out.iter().skip(1).collect();
    assert!(
        swapped
            .iter()
            .filter(|m| m.id.starts_with("woocommerce:723:"))
            .count()
            == 2,
        "{out:?}"
    );
    for m in &swapped {
        assert_eq!(m.header("weft-plugin"), Some(PYTHON), "{:?}", m.headers);
    }
    // What the Rust connector makes of the same input, run directly.
    let (engine, _cache) = super::support::engine();
    let rust = super::support::load(&engine, &plugin_path("woocommerce-orders"));
    let input = Message {
        id: "b".into(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        payload: case_input("list-orders-727-723"),
        ..Default::default()
    };
    let expected = rust
        .process(&input, &CallContext::default())
        .unwrap()
        .outputs;
    for m in swapped {
        let twin = expected
            .iter()
            .find(|e| e.id == m.id)
            .unwrap_or_else(|| panic!("the Rust connector has no output {}", m.id));
        assert_eq!(
            (&m.kind, &m.correlation_id),
            (&twin.kind, &twin.correlation_id)
        );
        assert_eq!(m.payload, twin.payload, "{}: the same bytes", m.id);
    }
}

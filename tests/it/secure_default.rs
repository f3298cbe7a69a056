//! `weft.example.toml` as a new user runs it (`weft up`, private Redis and
//! PostgreSQL): every route but `/healthz` and `/readyz` needs a
//! credential — the operator token from the environment, or Shopify's
//! webhook signature for its pipeline — and without the token's variable
//! the host does not start, saying what to set.

use std::path::Path;

use base64::Engine as _;
use reqwest::StatusCode;

use super::{
    bus_support::{write_config, UpChild},
    support::root,
};

const TOKEN: &str = "weft_example-operator-token-for-the-test";
const SECRET: &str = "example-shopify-app-secret";

/// The example with its paths made absolute and its port free.
fn example_in(dir: &Path) -> String {
    let text = std::fs::read_to_string(root().join("weft.example.toml")).unwrap();
    let plugins = root().join("target/plugins");
    let replaced = text
        .replace("listen = \"127.0.0.1:7070\"", "listen = \"127.0.0.1:0\"")
        .replace("\"target/plugins/", &format!("\"{}/", plugins.display()))
        .replace(
            "data_dir = \".weft\"",
            &format!("data_dir = {:?}", dir.join("data").display().to_string()),
        )
        .replace("\".weft/out/", &format!("\"{}/out/", dir.display()));
    assert_ne!(text, replaced);
    assert!(
        !replaced.contains("127.0.0.1:7070\"") && !replaced.contains("\".weft"),
        "{replaced}"
    );
    replaced
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_configuration_protects_every_route_but_health() {
    if weft_host::ledger::server::bindir().is_err() {
        println!("skipping: PostgreSQL is not installed (scripts/install-postgres.sh)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &example_in(tmp.path()));

    // No token in the environment: no start, and the message says what to do.
    let e = UpChild::try_spawn_env(&cfg, &[("WEFT_SHOPIFY_WEBHOOK_SECRET", SECRET)])
        .err()
        .expect("weft up started without WEFT_ADMIN_TOKEN");
    assert!(
        e.contains("[[admin.tokens]] `operator`")
            && e.contains("WEFT_ADMIN_TOKEN is not set")
            && e.contains("weft token new"),
        "{e}"
    );

    let up = UpChild::try_spawn_env(
        &cfg,
        &[
            ("WEFT_ADMIN_TOKEN", TOKEN),
            ("WEFT_SHOPIFY_WEBHOOK_SECRET", SECRET),
        ],
    )
    .unwrap_or_else(|e| panic!("weft up: {e}"));
    let base = up.admin.clone();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str, token: Option<&str>| {
        let mut r = http.get(format!("{base}{path}"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    for open in ["/healthz", "/readyz"] {
        assert_eq!(
            get(open, None).await.unwrap().status(),
            StatusCode::OK,
            "{open}"
        );
    }
    for path in [
        "/metrics",
        "/v1/audit",
        "/v1/reports/channels",
        "/v1/orders",
        "/v1/exceptions",
        "/v1/dlq/shopify",
        "/v1/openapi.json",
    ] {
        assert_eq!(
            get(path, None).await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            get(path, Some(TOKEN)).await.unwrap().status(),
            StatusCode::OK,
            "{path}"
        );
    }
    assert_eq!(
        get("/dashboard", None).await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get("/dashboard", Some(TOKEN)).await.unwrap().status(),
        StatusCode::OK
    );

    // Shopify's pipeline takes Shopify's signature; the others a token.
    let order = std::fs::read(
        root().join("plugins/shopify-orders/cases/webhook-orders-updated.input.json"),
    )
    .unwrap();
    let post = |pipeline: &str, headers: Vec<(&'static str, String)>| {
        let mut r = http
            .post(format!("{base}/ingest/{pipeline}"))
            .header("content-type", "application/json")
            .body(order.clone());
        for (k, v) in headers {
            r = r.header(k, v);
        }
        r.send()
    };
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&order);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(
        post("shopify", vec![]).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(
            "shopify",
            vec![("authorization", format!("Bearer {TOKEN}"))]
        )
        .await
        .unwrap()
        .status(),
        StatusCode::UNAUTHORIZED,
        "a token is no Shopify signature"
    );
    assert_eq!(
        post("shopify", vec![("x-shopify-hmac-sha256", signature)])
            .await
            .unwrap()
            .status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        post("edi", vec![]).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post("edi", vec![("authorization", format!("Bearer {TOKEN}"))])
            .await
            .unwrap()
            .status(),
        StatusCode::ACCEPTED
    );
}

//! Webhook signatures and bearer tokens on `POST /ingest/{pipeline}`, over
//! a real `weft up` and redis-server: a signed real Shopify order is queued
//! (202), a missing, malformed or wrong signature is refused (401, JSON,
//! nothing queued, counted by reason), a partner's bearer token is checked
//! the same way, and a secret that cannot be loaded stops the start.
//!
//! The Shopify signature was computed outside this code:
//! `openssl dgst -sha256 -hmac weft-webhook-test-secret -binary FILE | base64`.

use serde_json::Value;
use weft_host::{bus::Keys, config};

use super::{
    bus_support::{lit, write_config, xlen, TestRedis},
    support::{plugin_path, up},
};

const SECRET: &str = "weft-webhook-test-secret";
const SHOPIFY_SIGNATURE: &str = "/2EY7wix73e6zk0GScSyd1o/C88OElPho8LwW0c+Dvw=";

fn config_text(redis: &str, dir: &std::path::Path) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[pipelines.signed_shop]
stages = [{{ plugin = {src} }}]
routes = {{ "*" = "sink:out" }}
[pipelines.signed_shop.auth]
scheme = "shopify"
secret_file = "shopify.secret"
[pipelines.partner_edi]
stages = [{{ plugin = {src} }}]
routes = {{ "*" = "sink:out" }}
[pipelines.partner_edi.auth]
scheme = "bearer"
secret_file = "partner.tokens"
[sinks.out]
type = "file"
dir = {out}
"#,
        src = lit(&plugin_path("shopify-orders")),
        out = lit(&dir.join("out")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_webhooks_are_queued_and_the_rest_refused() {
    let redis = TestRedis::start();
    let dir = redis.dir.path();
    std::fs::write(dir.join("shopify.secret"), format!("{SECRET}\n")).unwrap();
    std::fs::write(dir.join("partner.tokens"), "old-token\nnew-token\n").unwrap();
    let cfg = config::load(&write_config(dir, &config_text(&redis.url(), dir))).unwrap();
    let handle = up(cfg).await.unwrap();
    let admin = format!("http://{}", handle.admin);
    let http = reqwest::Client::new();
    let order = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("plugins/shopify-orders/cases/webhook-orders-updated.input.json"),
    )
    .unwrap();
    let input = Keys::new("signed_shop", "signed_shop").input();

    let post = |pipeline: &str, headers: &[(&str, &str)], body: Vec<u8>| {
        let mut r = http
            .post(format!("{admin}/ingest/{pipeline}"))
            .header("content-type", "application/json")
            .body(body);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.send()
    };
    let refused = |r: reqwest::Response| async move {
        assert_eq!(r.status(), 401);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthenticated", "{v}");
        let message = v["error"]["message"].as_str().unwrap().to_string();
        assert!(
            !message.contains(SECRET) && !message.contains("token\n"),
            "{message}"
        );
        message
    };

    // Missing, malformed, and a signature of another body.
    let m = refused(post("signed_shop", &[], order.clone()).await.unwrap()).await;
    assert!(m.contains("x-shopify-hmac-sha256"), "{m}");
    refused(
        post(
            "signed_shop",
            &[("x-shopify-hmac-sha256", "%%%")],
            order.clone(),
        )
        .await
        .unwrap(),
    )
    .await;
    let mut tampered = order.clone();
    tampered[200] ^= 1;
    let m = refused(
        post(
            "signed_shop",
            &[("x-shopify-hmac-sha256", SHOPIFY_SIGNATURE)],
            tampered,
        )
        .await
        .unwrap(),
    )
    .await;
    assert!(m.contains("does not match"), "{m}");
    assert_eq!(
        xlen(&redis.url(), &input).await,
        0,
        "nothing queued on a refusal"
    );

    // The real order with its signature is taken.
    let r = post(
        "signed_shop",
        &[("x-shopify-hmac-sha256", SHOPIFY_SIGNATURE)],
        order.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 202);
    assert_eq!(xlen(&redis.url(), &input).await, 1);

    // A partner: either token of a rotation, and nothing else.
    let partner = Keys::new("partner_edi", "partner_edi").input();
    refused(
        post(
            "partner_edi",
            &[("authorization", "Bearer wrong")],
            order.clone(),
        )
        .await
        .unwrap(),
    )
    .await;
    refused(
        post(
            "partner_edi",
            &[("authorization", "old-token")],
            order.clone(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(xlen(&redis.url(), &partner).await, 0);
    for token in ["Bearer old-token", "Bearer new-token"] {
        let mut body = order.clone();
        body.extend_from_slice(token.as_bytes()); // two distinct messages
        let r = post("partner_edi", &[("authorization", token)], body)
            .await
            .unwrap();
        assert_eq!(r.status(), 202, "{token}");
    }
    assert_eq!(xlen(&redis.url(), &partner).await, 2);

    // Refusals are counted by pipeline and reason.
    let metrics = http
        .get(format!("{admin}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (unit, reason, n) in [
        ("signed_shop", "missing", 1),
        ("signed_shop", "malformed", 1),
        ("signed_shop", "mismatch", 1),
        ("partner_edi", "mismatch", 1),
        ("partner_edi", "malformed", 1),
    ] {
        let line = metrics
            .lines()
            .find(|l| {
                l.starts_with("weft_ingest_rejected_total{")
                    && l.contains(&format!("unit=\"{unit}\""))
                    && l.contains(&format!("reason=\"{reason}\""))
            })
            .unwrap_or_else(|| panic!("no {unit}/{reason} count in\n{metrics}"));
        assert!(line.ends_with(&format!(" {n}")), "{line}");
    }
    handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_that_cannot_be_loaded_stops_the_start() {
    let redis = TestRedis::start();
    let dir = redis.dir.path();
    std::fs::write(dir.join("shopify.secret"), "\n").unwrap();
    std::fs::write(dir.join("partner.tokens"), "t\n").unwrap();
    let cfg = config::load(&write_config(dir, &config_text(&redis.url(), dir))).unwrap();
    let e = up(cfg).await.err().expect("the start is refused");
    let text = format!(
        "{e}: {}",
        std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(
        text.contains("pipeline `signed_shop` [auth]") && text.contains("holds no secret"),
        "{text}"
    );
    // A secret written in the configuration itself is refused at parse time.
    let inline = config_text(&redis.url(), dir)
        .replace("secret_file = \"shopify.secret\"", "secret = \"s3cr3t\"");
    let e = config::parse(&inline, &dir.join("weft.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `secret`"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_without_a_credential_stays_on_loopback() {
    let redis = TestRedis::start();
    let dir = redis.dir.path();
    std::fs::write(dir.join("shopify.secret"), format!("{SECRET}\n")).unwrap();
    std::fs::write(dir.join("partner.tokens"), "t\n").unwrap();
    // One pipeline loses its [auth]; the admin server would face the network.
    let text = config_text(&redis.url(), dir)
        .replace("127.0.0.1:0", "0.0.0.0:0")
        .replace(
            "[pipelines.partner_edi.auth]\nscheme = \"bearer\"\nsecret_file = \"partner.tokens\"\n",
            "",
        );
    let cfg = config::load(&write_config(dir, &text)).unwrap();
    let e = up(cfg).await.err().expect("refused").to_string();
    assert!(
        e.contains("refusing to listen on 0.0.0.0:0")
            && e.contains("partner_edi")
            && !e.contains("signed_shop"),
        "{e}"
    );
}

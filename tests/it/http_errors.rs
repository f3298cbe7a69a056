//! Every error answer of both HTTP servers (admin, registry) is
//! `{"error": {"code", "message"}}` — body limits, extractor rejections,
//! unknown routes and methods included — and never carries internal text.
//! Deployment names follow the config name rule; host status reports need
//! the `status` scope.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use weft_host::config;

use super::{
    bus_support::{lit, write_config, TestRedis},
    registry::Registry,
    support::{guest_path, text},
};

/// [`json_error`], asserting the status and the error code; the body.
async fn expect_error(r: reqwest::RequestBuilder, status: StatusCode, code: &str) -> Value {
    let (s, v) = json_error(r).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (status, Some(code)),
        "{v}"
    );
    v
}

/// Status and the parsed body; panics unless the body is the JSON error shape.
async fn json_error(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let resp = r.timeout(Duration::from_secs(30)).send().await.unwrap();
    let status = resp.status();
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    let body = resp.text().await.unwrap();
    assert!(ct.starts_with("application/json"), "{status} {ct}: {body}");
    let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert!(
        v["error"]["code"].as_str().is_some_and(|c| !c.is_empty())
            && v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    (status, v)
}

/// Nothing in an answer that reads like internals.
fn no_internals(v: &Value) {
    let s = v.to_string();
    for leak in [
        "Failed to",
        "os error",
        "refused",
        "database",
        "SELECT",
        "table",
        "sqlite",
        "Publish(",
        "Deploy",
        "/tmp",
        "Redis error",
        "IoError",
    ] {
        assert!(!s.contains(leak), "`{leak}` in {s}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_errors_are_json_without_internal_text() {
    let reg = Registry::start(1 << 20).await;
    let c = reqwest::Client::new();
    let deploy = reg.token(&["deploy"]);
    let url = format!("{}/v1/deployments/p/s", reg.url);

    // The server answers 413 before reading the whole body and closes that
    // connection: a client of its own, so the next requests never pick the
    // closing connection from the pool.
    let (s, v) = json_error(
        reqwest::Client::new()
            .put(format!("{}/v1/plugins/acme/x/1.0.0", reg.url))
            .bearer_auth(&deploy)
            .body(vec![0u8; 2 << 20]),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{v}"
    );
    expect_error(
        c.put(&url)
            .bearer_auth(&deploy)
            .header("content-type", "application/json")
            .body("{not json"),
        StatusCode::BAD_REQUEST,
        "bad_json",
    )
    .await;
    let v = expect_error(
        c.put(&url)
            .bearer_auth(&deploy)
            .json(&json!({"plugin": "a/b@1.0.0", "extra": 1})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert!(
        v["error"]["message"].as_str().unwrap().contains("extra"),
        "{v}"
    );
    expect_error(
        c.put(&url)
            .bearer_auth(&deploy)
            .header("content-type", "text/plain")
            .body("{}"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    expect_error(
        c.get(format!("{}/no/such/route", reg.url)),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        c.delete(format!("{}/v1/plugins", reg.url)),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;

    // A scope refusal says what is needed in words, not Rust Debug text.
    let (s, v) = json_error(
        c.put(format!("{}/v1/plugins/acme/x/1.0.0", reg.url))
            .bearer_auth(reg.token(&["read"]))
            .body("x"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("publishing into `acme` (scope `publish:acme`)"),
        "{v}"
    );
    no_internals(&v);

    // An internal failure (a broken database) is logged, not shown.
    let db = rusqlite::Connection::open(reg.dir.path().join("registry.sqlite3")).unwrap();
    db.execute_batch("DROP TABLE deployments").unwrap();
    let (s, v) = json_error(
        c.get(format!("{}/v1/deployments", reg.url))
            .bearer_auth(&deploy),
    )
    .await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        v,
        json!({"error": {"code": "internal", "message": "internal error"}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_names_follow_the_config_rule() {
    let reg = Registry::start(1 << 20).await;
    let c = reqwest::Client::new();
    let deploy = reg.token(&["deploy"]);
    let status = reg.token(&["status"]);
    let long = "s".repeat(3000);
    for (pipeline, stage, field) in [
        ("..%2F..%2Fx", "source", "pipeline"),
        ("p", long.as_str(), "stage"),
        ("p", "a%20b", "stage"),
        ("...", "source", "pipeline"),
    ] {
        let base = format!("{}/v1/deployments/{pipeline}/{stage}", reg.url);
        for (what, req) in [
            (
                "deploy",
                c.put(&base)
                    .bearer_auth(&deploy)
                    .json(&json!({"plugin": "acme/x@1.0.0"})),
            ),
            (
                "rollback",
                c.post(format!("{base}/rollback")).bearer_auth(&deploy),
            ),
            (
                "status",
                c.post(format!("{base}/status"))
                    .bearer_auth(&status)
                    .json(&json!({"host": "h", "deployment": 1, "ok": true})),
            ),
        ] {
            let (s, v) = json_error(req).await;
            assert_eq!(
                (s, v["error"]["code"].as_str()),
                (StatusCode::BAD_REQUEST, Some("bad_name")),
                "{what} {pipeline}/{}: {v}",
                &stage[..stage.len().min(20)]
            );
            let m = v["error"]["message"].as_str().unwrap();
            assert!(
                m.starts_with(&format!("{field} name `")) && m.len() < 200,
                "{what}: {m}"
            );
        }
    }
    assert!(
        reg.store.deployments().unwrap().is_empty(),
        "nothing stored"
    );
    assert!(reg.store.statuses().unwrap().is_empty(), "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_status_reports_need_the_status_scope() {
    let reg = Registry::start(1 << 20).await;
    let c = reqwest::Client::new();
    let url = format!("{}/v1/deployments/p/echo/status", reg.url);
    let report = json!({"host": "made-up-host", "deployment": 1, "ok": true});
    for scopes in [&["read"][..], &["deploy"], &["publish:acme"]] {
        let (s, v) = json_error(c.post(&url).bearer_auth(reg.token(scopes)).json(&report)).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{scopes:?}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("scope `status`"),
            "{v}"
        );
    }
    assert!(reg.store.statuses().unwrap().is_empty());

    let host = reg.token(&["read", "status"]);
    let r = c
        .post(&url)
        .bearer_auth(&host)
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, _) = json_error(
        c.post(&url)
            .bearer_auth(&host)
            .json(&json!({"host": "", "deployment": 1, "ok": true})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "empty host");
    // A status-only token reports but cannot read.
    let (s, _) = json_error(
        c.get(format!("{}/v1/deployments", reg.url))
            .bearer_auth(reg.token(&["status"])),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(reg.store.statuses().unwrap().len(), 1);

    // The CLI creates such tokens.
    let out = super::bus_support::weft()
        .args([
            "registry", "token", "create", "--scope", "read", "--scope", "status", "--data",
        ])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(text(&out).0.trim().starts_with("weft_"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_errors_are_json_without_internal_text() {
    let mut redis = TestRedis::start();
    let cfg = format!(
        r#"
[redis]
url = "{url}"
[admin]
listen = "127.0.0.1:0"
max_body_bytes = 1000
[pipelines.p]
stages = [{{ plugin = {echo} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "stream"
"#,
        url = redis.url(),
        echo = lit(&guest_path("guest-echo")),
    );
    let up = super::support::up(config::load(&write_config(redis.dir.path(), &cfg)).unwrap())
        .await
        .unwrap();
    let admin = format!("http://{}", up.admin);
    let c = reqwest::Client::new();

    // A client of its own for the 413, as above: that connection closes.
    let (s, v) = json_error(
        reqwest::Client::new()
            .post(format!("{admin}/ingest/p"))
            .body(vec![b'x'; 5000]),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{v}"
    );
    expect_error(
        c.post(format!("{admin}/ingest/%FF")),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        c.get(format!("{admin}/nope")),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        c.get(format!("{admin}/ingest/p")),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    let v = expect_error(
        c.post(format!("{admin}/ingest/ghost")).body("{}"),
        StatusCode::NOT_FOUND,
        "unknown_pipeline",
    )
    .await;
    no_internals(&v);

    // Redis gone: the answer says so in words, the error text stays in the log.
    redis.server.stop();
    let (s, v) = json_error(c.get(format!("{admin}/readyz"))).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(
        v["error"]["message"], "Redis is not reachable; retry later",
        "{v}"
    );
    no_internals(&v);
    let (s, v) = json_error(c.post(format!("{admin}/ingest/p")).body("{}")).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    no_internals(&v);
    drop(up); // its Redis is gone; nothing to stop gracefully
}

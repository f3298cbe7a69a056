//! The registry: the publish/auth matrix (each refusal with its status and
//! nothing stored), immutability, reads, yank, deployments and rollback,
//! and the `weft registry`/`weft publish` commands. Every test registry
//! records what it answered and checks, when dropped, that the OpenAPI
//! document lists each of those statuses for its route.

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
};

use reqwest::StatusCode;
use serde_json::{json, Value};
use weft_host::{Engine, EngineConfig};
use weft_registry::{api::ROUTES, auth, router, sign, RegistryState, Store};

use super::support::{guest_path, plugin_path};

/// What a registry answered: (lower-case method, request path, status).
type Answers = Arc<Mutex<BTreeSet<(String, String, u16)>>>;

pub struct Registry {
    pub url: String,
    pub dir: tempfile::TempDir,
    pub store: Arc<Store>,
    answers: Answers,
    _task: tokio::task::JoinHandle<()>,
}

/// Records the method, path and status of every answer.
fn record(app: axum::Router, answers: Answers) -> axum::Router {
    app.layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let answers = answers.clone();
            async move {
                let method = req.method().as_str().to_lowercase();
                let path = req.uri().path().to_string();
                let resp = next.run(req).await;
                answers
                    .lock()
                    .unwrap()
                    .insert((method, path, resp.status().as_u16()));
                resp
            }
        },
    ))
}

/// The route template (`/v1/plugins/{ns}/{name}`) of ROUTES a path matches.
fn route_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES.iter().map(|r| r.path).find(|template| {
        let t: Vec<&str> = template.split('/').collect();
        t.len() == segments.len()
            && t.iter()
                .zip(&segments)
                .all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}') && !s.is_empty()))
    })
}

/// Every answer a test saw is documented: a route's status is among the
/// responses of its operation in the OpenAPI document, a method the
/// document does not list for a route got 405, any other path 404.
impl Drop for Registry {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let doc = serde_json::to_value(weft_registry::api::openapi::document()).unwrap();
        for (method, path, status) in self.answers.lock().unwrap().iter() {
            let what = format!("{} {path}", method.to_uppercase());
            let Some(route) = route_of(path) else {
                assert_eq!(*status, 404, "{what} (no route) answered {status}");
                continue;
            };
            let op = &doc["paths"][route][method];
            if op.is_null() {
                assert_eq!(
                    *status, 405,
                    "{what} ({route}) answered {status} but is not in the OpenAPI document"
                );
            } else {
                assert!(
                    op["responses"][status.to_string()].is_object(),
                    "{what} ({route}) answered {status}, which the OpenAPI document does not list for it"
                );
            }
        }
    }
}

impl Registry {
    pub async fn start(max_bytes: usize) -> Registry {
        Registry::start_with(max_bytes, None).await
    }

    /// A registry announcing deployments on a Redis control stream.
    pub async fn start_with(
        max_bytes: usize,
        control: Option<redis::aio::ConnectionManager>,
    ) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let engine = Engine::new(EngineConfig {
            cache_dir: None,
            ..EngineConfig::default()
        })
        .unwrap();
        let answers = Answers::default();
        let app = record(
            router(
                RegistryState {
                    store: store.clone(),
                    engine,
                    control,
                },
                max_bytes,
            ),
            answers.clone(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Registry {
            url,
            dir,
            store,
            answers,
            _task: task,
        }
    }
    pub fn token(&self, scopes: &[&str]) -> String {
        let (t, h) = auth::new_token().unwrap();
        self.store
            .add_token(
                &h,
                &scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
            .unwrap();
        t
    }
    fn blobs(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("blobs"))
            .unwrap()
            .filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count()
    }
}

/// (what, url, token, signature, body, expected status, expected error code)
type Case = (
    &'static str,
    String,
    Option<String>,
    Option<String>,
    Vec<u8>,
    StatusCode,
    &'static str,
);

pub async fn put(
    url: &str,
    token: Option<&str>,
    sig: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new().put(url).body(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(s) = sig {
        r = r.header("x-weft-signature", s);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status();
    (
        status,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_auth_matrix_refuses_with_the_right_status_and_stores_nothing() {
    let reg = Registry::start(2 << 20).await;
    let (secret, public) = sign::keygen().unwrap();
    let key = sign::signing_key(&secret).unwrap();
    reg.store.add_key("acme", &public).unwrap();
    let (stranger_secret, _) = sign::keygen().unwrap();
    let stranger = sign::signing_key(&stranger_secret).unwrap();

    let echo = std::fs::read(guest_path("guest-echo")).unwrap();
    let sig = sign::sign(&key, &echo);
    let publish = reg.token(&["publish:acme"]);
    let url = format!("{}/v1/plugins/acme/guest-echo/1.2.3", reg.url);

    let mut tampered = echo.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let future = std::fs::read(guest_path("guest-future-version")).unwrap();
    let cases: Vec<Case> = vec![
        (
            "no token",
            url.clone(),
            None,
            Some(sig.clone()),
            echo.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            "bad token",
            url.clone(),
            Some("weft_nope".into()),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::UNAUTHORIZED,
            "bad_token",
        ),
        (
            "wrong scope",
            url.clone(),
            Some(reg.token(&["read"])),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            "wrong namespace",
            url.clone(),
            Some(reg.token(&["publish:other"])),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            "unregistered key",
            url.clone(),
            Some(publish.clone()),
            Some(sign::sign(&stranger, &echo)),
            echo.clone(),
            StatusCode::FORBIDDEN,
            "bad_signature",
        ),
        (
            "tampered bytes",
            url.clone(),
            Some(publish.clone()),
            Some(sig.clone()),
            tampered,
            StatusCode::FORBIDDEN,
            "bad_signature",
        ),
        (
            "no signature",
            url.clone(),
            Some(publish.clone()),
            None,
            echo.clone(),
            StatusCode::BAD_REQUEST,
            "no_signature",
        ),
        (
            "not a component",
            format!("{}/v1/plugins/acme/junk/1.0.0", reg.url),
            Some(publish.clone()),
            Some(sign::sign(&key, b"\0asm\x01\0\0\0")),
            b"\0asm\x01\0\0\0".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_component",
        ),
        (
            "foreign world",
            format!("{}/v1/plugins/acme/future/1.0.0", reg.url),
            Some(publish.clone()),
            Some(sign::sign(&key, &future)),
            future.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_world",
        ),
        (
            "describe mismatch",
            format!("{}/v1/plugins/acme/other-name/1.2.3", reg.url),
            Some(publish.clone()),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "describe_mismatch",
        ),
        (
            "dot-dot name",
            format!("{}/v1/plugins/acme/..%2Fetc/1.0.0", reg.url),
            Some(publish.clone()),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::BAD_REQUEST,
            "bad_name",
        ),
        (
            "slash in name",
            format!("{}/v1/plugins/acme/a%2Fb/1.0.0", reg.url),
            Some(publish.clone()),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::BAD_REQUEST,
            "bad_name",
        ),
        (
            "not semver",
            format!("{}/v1/plugins/acme/guest-echo/1.2", reg.url),
            Some(publish.clone()),
            Some(sig.clone()),
            echo.clone(),
            StatusCode::BAD_REQUEST,
            "bad_name",
        ),
        (
            "oversized",
            url.clone(),
            Some(publish.clone()),
            Some(sig.clone()),
            vec![0u8; 3 << 20],
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
    ];
    for (what, url, token, sig, body, status, code) in cases {
        let (got, v) = put(&url, token.as_deref(), sig.as_deref(), body).await;
        assert_eq!(got, status, "{what}: {v}");
        if !code.is_empty() {
            assert_eq!(v["error"]["code"], code, "{what}: {v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{what}"
            );
        }
    }
    assert_eq!(reg.blobs(), 0, "nothing stored");
    assert!(reg.store.versions(None).unwrap().is_empty());

    // Accepted once, idempotent, immutable.
    let (s, meta) = put(&url, Some(&publish), Some(&sig), echo.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{meta}");
    assert_eq!(meta["world"], "weft:plugin/transform@0.1.0");
    assert_eq!(meta["publisher"], public);
    assert_eq!(meta["describe"]["name"], "guest-echo");
    let (s, _) = put(&url, Some(&publish), Some(&sig), echo.clone()).await;
    assert_eq!(s, StatusCode::OK, "same bytes again");
    let other = std::fs::read(guest_path("guest-panic")).unwrap();
    let (s, v) = put(&url, Some(&publish), Some(&sign::sign(&key, &other)), other).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("version_exists"))
    );
    assert_eq!(reg.blobs(), 1);

    // Reads: metadata, bytes with ETag, listing; anonymous reads refused.
    let c = reqwest::Client::new();
    let read = reg.token(&["read"]);
    let r = c
        .get(format!("{url}/component"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["etag"].to_str().unwrap(),
        format!("\"{}\"", meta["sha256"].as_str().unwrap())
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), echo);
    assert_eq!(
        c.get(format!("{}/v1/plugins", reg.url))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let list: Value = serde_json::from_slice(
        &c.get(format!("{}/v1/plugins/acme/guest-echo", reg.url))
            .bearer_auth(&read)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(list["versions"][0]["version"], "1.2.3");
    let openapi: Value = serde_json::from_slice(
        &c.get(format!("{}/openapi.json", reg.url))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(openapi["paths"]["/v1/plugins/{ns}/{name}/{version}"]["put"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployments_canary_yank_and_rollback() {
    let reg = Registry::start(8 << 20).await;
    let (secret, public) = sign::keygen().unwrap();
    let key = sign::signing_key(&secret).unwrap();
    reg.store.add_key("weft", &public).unwrap();
    let publish = reg.token(&["publish:weft"]);
    for name in ["shopify-orders", "validate-order"] {
        let bytes = std::fs::read(plugin_path(name)).unwrap();
        let (s, v) = put(
            &format!("{}/v1/plugins/weft/{name}/0.1.0", reg.url),
            Some(&publish),
            Some(&sign::sign(&key, &bytes)),
            bytes,
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let c = reqwest::Client::new();
    let deploy = reg.token(&["deploy"]);
    let url = format!("{}/v1/deployments/shop/source", reg.url);
    let r = c
        .put(&url)
        .bearer_auth(&publish)
        .json(&json!({"plugin": "weft/shopify-orders@0.1.0"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "publish scope cannot deploy");
    let r = c
        .put(&url)
        .bearer_auth(&deploy)
        .json(&json!({"plugin": "weft/shopify-orders@0.1.0"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = c.put(&url).bearer_auth(&deploy).json(&json!({"plugin": "weft/shopify-orders@0.1.0", "canary": {"plugin": "weft/validate-order@0.1.0", "percent": 10}})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = c
        .put(&url)
        .bearer_auth(&deploy)
        .json(&json!({"plugin": "weft/missing@9.9.9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .post(format!("{url}/rollback"))
        .bearer_auth(&deploy)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let all: Value = serde_json::from_slice(
        &c.get(format!("{}/v1/deployments", reg.url))
            .bearer_auth(&deploy)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(all["history"].as_array().unwrap().len(), 3);
    assert_eq!(all["current"][0]["plugin"], "weft/shopify-orders@0.1.0");
    assert!(
        all["current"][0]["canary"].is_null(),
        "rolled back to the deployment without canary: {all}"
    );

    let admin = reg.token(&["admin"]);
    let r = c
        .post(format!(
            "{}/v1/plugins/weft/validate-order/0.1.0/yank",
            reg.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .put(&url)
        .bearer_auth(&deploy)
        .json(&json!({"plugin": "weft/validate-order@0.1.0"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "yanked versions are not deployable");

    // Every state-changing request is in the audit trail, newest first,
    // with the token that made it and the answer.
    let trail = reg.store.audit(None, 100).unwrap();
    let seen: Vec<(&str, &str, &str)> = trail
        .iter()
        .rev()
        .map(|r| (r.action.as_str(), r.target.as_str(), r.result.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("publish", "weft/shopify-orders@0.1.0", "ok"),
            ("publish", "weft/validate-order@0.1.0", "ok"),
            ("deploy", "shop/source", "ok"),
            ("deploy", "shop/source", "ok"),
            ("deploy", "shop/source", "error: not_found"),
            ("rollback", "shop/source", "ok"),
            ("yank", "weft/validate-order@0.1.0", "ok"),
            ("deploy", "shop/source", "error: yanked"),
        ],
        "the 403 of a token without the scope is not an action"
    );
    let deploy_id = format!("token:{}", &auth::hash(&deploy)[..12]);
    assert!(trail
        .iter()
        .filter(|r| r.action == "deploy")
        .all(|r| r.who == deploy_id));
    assert_eq!(reg.store.audit(Some("depl"), 2).unwrap().len(), 2);
    // The same trail over HTTP, for admin tokens only.
    let over_http = |token: String| {
        c.get(format!("{}/v1/audit?action=depl&limit=2", reg.url))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(over_http(deploy.clone()).await.unwrap().status(), 403);
    let r = over_http(admin.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{v}");
    assert_eq!(entries[0]["action"], "deploy");
    assert_eq!(entries[0]["result"], "error: yanked");
    assert_eq!(entries[0]["who"], deploy_id.as_str());
}

/// Every route of the router answers an anonymous request with a status
/// its documentation lists (the registry's drop check), as JSON for errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_anonymous_requests_as_documented() {
    let reg = Registry::start(1 << 20).await;
    let c = reqwest::Client::new();
    for r in ROUTES {
        let path = r
            .path
            .replace("{ns}", "acme")
            .replace("{name}", "echo")
            .replace("{version}", "1.0.0")
            .replace("{pipeline}", "shop")
            .replace("{stage}", "source");
        let method = reqwest::Method::from_bytes(r.verb.name().to_uppercase().as_bytes()).unwrap();
        let resp = c
            .request(method, format!("{}{path}", reg.url))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        assert!(
            r.statuses.contains(&status),
            "{} {}: {status} is not among {:?}",
            r.verb.name(),
            r.path,
            r.statuses
        );
        if status >= 400 {
            let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
            assert!(v["error"]["code"].is_string(), "{v}");
        } else {
            let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
            assert_eq!(v["openapi"], "3.1.0", "only the document is public");
        }
    }
}

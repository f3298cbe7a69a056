//! The admin API's tokens and scopes over a real `weft up` run as a new
//! user runs it (private Redis and PostgreSQL under its data directory):
//! every route × scope answers as the policy says, and a refused request
//! changes nothing; the dashboard's sign-in; the operator routes and the
//! remote CLI; a pipeline's webhook check beside the tokens.

use std::{collections::BTreeMap, path::Path};

use reqwest::{redirect, Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use weft_host::bus::Keys;

use super::{
    bus_support::{lit, weft, write_config, xlen, UpChild},
    support::{guest_path, text},
};

const ING: &str = "tok-ingest-3f9a1c";
const RD: &str = "tok-read-77d2e0a1";
const OP: &str = "tok-operate-b41c9d";
const AD: &str = "tok-admin-0e5a6f";
const PARTNER: &str = "partner-edi-token-51";

fn config(dir: &Path, ledger: bool) -> String {
    std::fs::write(dir.join("read.token"), format!("{RD}\n")).unwrap();
    std::fs::write(dir.join("partner.tokens"), format!("{PARTNER}\n")).unwrap();
    let op_hash = weft_host::stamp::hex(&Sha256::digest(OP.as_bytes()));
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[[admin.tokens]]
id = "ing"
scopes = ["ingest:p"]
token_env = "TEST_INGEST_TOKEN"
[[admin.tokens]]
id = "rd"
scopes = ["read"]
token_file = "read.token"
[[admin.tokens]]
id = "op"
scopes = ["operate"]
sha256 = "{op_hash}"
[[admin.tokens]]
id = "ad"
scopes = ["admin"]
token_env = "TEST_ADMIN_TOKEN"
[host]
data_dir = {data}
[pipelines.p]
stages = [{{ plugin = {echo} }}]
routes = {{ "*" = "sink:out" }}
[pipelines.bad]
stages = [{{ plugin = {panic} }}]
routes = {{ "*" = "sink:out" }}
[pipelines.hook]
stages = [{{ plugin = {echo} }}]
routes = {{ "*" = "sink:out" }}
[pipelines.hook.auth]
scheme = "bearer"
secret_file = "partner.tokens"
[sinks.out]
type = "file"
dir = {out}
{ledger}"#,
        data = lit(&dir.join("data")),
        echo = lit(&guest_path("guest-echo")),
        panic = lit(&guest_path("guest-panic")),
        out = lit(&dir.join("out")),
        ledger = if ledger { "[ledger]\n" } else { "" },
    )
}

/// Who calls: no credential, a token nobody configured, or one of the four.
const CALLERS: &[(&str, Option<&str>)] = &[
    ("none", None),
    ("bogus", Some("tok-nobody")),
    ("ing", Some(ING)),
    ("rd", Some(RD)),
    ("op", Some(OP)),
    ("ad", Some(AD)),
];

/// What a route needs, as the test states it (not read from the code).
#[derive(Clone, Copy, PartialEq)]
enum Needs {
    Open,
    Ingest,
    Read,
    Operate,
    Page,
}

struct Route {
    method: Method,
    path: &'static str,
    body: &'static str,
    needs: Needs,
    /// The status when admitted.
    ok: u16,
}

fn routes(ledger: bool) -> Vec<Route> {
    let r = |method: Method, path, body, needs, ok| Route {
        method,
        path,
        body,
        needs,
        ok,
    };
    let mut v = vec![
        r(Method::GET, "/healthz", "", Needs::Open, 200),
        r(Method::GET, "/readyz", "", Needs::Open, 200),
        r(Method::GET, "/dashboard/login", "", Needs::Open, 200),
        r(Method::POST, "/ingest/p", "order", Needs::Ingest, 202),
        r(Method::POST, "/v1/call/p", "order", Needs::Ingest, 200),
        r(Method::GET, "/metrics", "", Needs::Read, 200),
        r(Method::GET, "/v1/audit", "", Needs::Read, 200),
        r(Method::GET, "/v1/dlq/bad", "", Needs::Read, 200),
        r(Method::GET, "/v1/dlq/bad/nope", "", Needs::Read, 404),
        r(Method::GET, "/v1/nothing-here", "", Needs::Read, 404),
        r(
            Method::POST,
            "/v1/dlq/bad/replay",
            r#"{"ids":["nope"]}"#,
            Needs::Operate,
            404,
        ),
        r(
            Method::POST,
            "/v1/dlq/bad/purge",
            r#"{"ids":["nope"]}"#,
            Needs::Operate,
            404,
        ),
        r(
            Method::PUT,
            "/v1/lookups/items",
            "key,value\nA-1,100\n",
            Needs::Operate,
            200,
        ),
    ];
    if ledger {
        v.extend([
            r(Method::GET, "/v1/reports/channels", "", Needs::Read, 200),
            r(
                Method::GET,
                "/v1/reports/changes?since=2026-01-01",
                "",
                Needs::Read,
                200,
            ),
            r(Method::GET, "/v1/orders", "", Needs::Read, 200),
            r(Method::GET, "/v1/orders/nope", "", Needs::Read, 404),
            r(Method::GET, "/v1/exceptions", "", Needs::Read, 200),
            r(Method::GET, "/v1/openapi.json", "", Needs::Read, 200),
            r(Method::GET, "/dashboard", "", Needs::Page, 200),
            r(Method::GET, "/dashboard/exceptions", "", Needs::Page, 200),
            r(Method::GET, "/dashboard/orders", "", Needs::Page, 200),
            r(Method::GET, "/dashboard/health", "", Needs::Page, 200),
        ]);
    }
    v
}

fn expected(route: &Route, caller: &str) -> u16 {
    let granted = match route.needs {
        Needs::Open => return route.ok,
        Needs::Ingest => ["ing", "ad"].contains(&caller),
        Needs::Read | Needs::Page => ["rd", "op", "ad"].contains(&caller),
        Needs::Operate => ["op", "ad"].contains(&caller),
    };
    match (caller, route.needs) {
        ("none" | "bogus", Needs::Page) => 303,
        ("none" | "bogus", _) => 401,
        _ if granted => route.ok,
        _ => 403,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

async fn send(
    http: &reqwest::Client,
    base: &str,
    route: &Route,
    token: Option<&str>,
    n: usize,
) -> (u16, String) {
    // Ingested bodies differ, so each is a new message.
    let body = match route.needs {
        Needs::Ingest => format!("{}-{n}", route.body),
        _ => route.body.to_string(),
    };
    let mut req = http
        .request(route.method.clone(), format!("{base}{}", route.path))
        .header(
            "content-type",
            if route.body.starts_with('{') {
                "application/json"
            } else {
                "text/plain"
            },
        )
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

/// `entries-added` of stream `key` (0 when it does not exist).
async fn added(redis: &str, key: &str) -> usize {
    let mut con = weft_host::bus::connect(redis).await.unwrap();
    let info: redis::RedisResult<Vec<redis::Value>> = redis::cmd("XINFO")
        .arg("STREAM")
        .arg(key)
        .query_async(&mut con)
        .await;
    let Ok(info) = info else { return 0 };
    let mut it = info.into_iter();
    while let Some(k) = it.next() {
        let v = it.next();
        if matches!(&k, redis::Value::BulkString(b) if b == b"entries-added") {
            if let Some(redis::Value::Int(n)) = v {
                return usize::try_from(n).unwrap_or(0);
            }
        }
    }
    panic!("XINFO STREAM {key} has no entries-added (Redis 7 or newer is needed)")
}

/// What the routes could change: the input streams, the DLQ, the lookup
/// table, the audit trail and the sink's files.
async fn state(redis: &str, dir: &Path) -> BTreeMap<String, usize> {
    let mut s = BTreeMap::new();
    let k = |p: &str| Keys::new(p, p);
    for key in [
        k("p").input(),
        k("bad").input(),
        k("bad").dlq(),
        k("hook").input(),
        weft_host::ops::audit::STREAM.to_string(),
    ] {
        // Entries ever added (trimming does not change it) and held now.
        let n = xlen(redis, &key).await;
        s.insert(format!("{key} added"), added(redis, &key).await);
        if !key.contains(":in:") {
            s.insert(key, n);
        }
    }
    let mut con = weft_host::bus::connect(redis).await.unwrap();
    let items: usize = redis::cmd("HLEN")
        .arg(weft_host::masterdata::lookup_key("items"))
        .query_async(&mut con)
        .await
        .unwrap();
    s.insert("lookup items".into(), items);
    let files = std::fs::read_dir(dir.join("out"))
        .map(|d| d.count())
        .unwrap_or(0);
    s.insert("sink files".into(), files);
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_scope_as_the_policy_says_and_a_refusal_changes_nothing() {
    let ledger = weft_host::ledger::server::bindir().is_ok();
    if !ledger {
        println!("PostgreSQL is not installed: the ledger's routes are left out of the matrix");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cfg = write_config(dir, &config(dir, ledger));
    let up = UpChild::try_spawn_env(
        &cfg,
        &[("TEST_INGEST_TOKEN", ING), ("TEST_ADMIN_TOKEN", AD)],
    )
    .unwrap_or_else(|e| panic!("weft up: {e}"));
    let (base, redis) = (up.admin.clone(), up.redis_url.clone());
    let http = client();
    let dlq = Keys::new("bad", "bad").dlq();

    // One dead-lettered message to act on.
    let seed = http
        .post(format!("{base}/ingest/bad"))
        .bearer_auth(AD)
        .body("boom")
        .send()
        .await
        .unwrap();
    assert_eq!(seed.status(), StatusCode::ACCEPTED);
    let mut waited = 0;
    while xlen(&redis, &dlq).await < 1 && waited < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(
        xlen(&redis, &dlq).await,
        1,
        "the seed message was not dead-lettered"
    );

    let routes = routes(ledger);
    // Every refusal first: none of them may change anything.
    let before = state(&redis, dir).await;
    let mut n = 0;
    let mut failures = Vec::new();
    for route in &routes {
        for (who, token) in CALLERS {
            let want = expected(route, who);
            if (200..300).contains(&want) || want == 404 {
                continue;
            }
            n += 1;
            let (got, body) = send(&http, &base, route, *token, n).await;
            if got != want {
                failures.push(format!(
                    "{} {} as {who}: {got}, want {want}: {body}",
                    route.method, route.path
                ));
            }
            if got == 401 || got == 403 {
                let v: Value = serde_json::from_str(&body).unwrap_or_default();
                let code = v["error"]["code"].as_str().unwrap_or_default();
                if code
                    != if got == 401 {
                        "unauthenticated"
                    } else {
                        "forbidden"
                    }
                {
                    failures.push(format!(
                        "{} {} as {who}: error body {body}",
                        route.method, route.path
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n > 60, "only {n} refusals were tried");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        state(&redis, dir).await,
        before,
        "a refused request changed something"
    );

    // Then everything admitted.
    for route in &routes {
        for (who, token) in CALLERS {
            let want = expected(route, who);
            if !((200..300).contains(&want) || want == 404) {
                continue;
            }
            n += 1;
            let (got, body) = send(&http, &base, route, *token, n).await;
            if got != want {
                failures.push(format!(
                    "{} {} as {who}: {got}, want {want}: {body}",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A pipeline with its own webhook check takes its partner's token, not
    // an admin token (which it is no signature of).
    let hook = |token: &'static str| {
        http.post(format!("{base}/ingest/hook"))
            .bearer_auth(token)
            .body("x12")
            .send()
    };
    assert_eq!(hook(AD).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(hook(PARTNER).await.unwrap().status(), StatusCode::ACCEPTED);
    let call = |token: &'static str| {
        http.post(format!("{base}/v1/call/hook"))
            .bearer_auth(token)
            .body("x12")
            .send()
    };
    assert_eq!(call(AD).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(call(PARTNER).await.unwrap().status(), StatusCode::OK);

    // A browser on another site cannot change anything, whatever the
    // credential: the DLQ keeps its entry.
    let before = xlen(&redis, &dlq).await;
    for (header, value) in [
        ("origin", "https://elsewhere.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = http
            .post(format!("{base}/v1/dlq/bad/purge"))
            .bearer_auth(AD)
            .header(header, value)
            .header("content-type", "text/plain")
            .body(r#"{"all":true}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{header}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "cross_site", "{v}");
    }
    assert_eq!(xlen(&redis, &dlq).await, before);

    operator_routes_and_the_remote_cli(&http, &base).await;
    if ledger {
        dashboard_sign_in(&http, &base).await;
    }
}

/// The DLQ and lookup routes through `weft … --url --token`, recorded in
/// the audit trail under the token's id.
async fn operator_routes_and_the_remote_cli(http: &reqwest::Client, base: &str) {
    let run = |args: &[&str], token: &str| {
        let out = weft()
            .args(args)
            .args(["--url", base])
            .env("WEFT_TOKEN", token)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        (out.status.code(), stdout, stderr)
    };
    let (code, stdout, stderr) = run(&["dlq", "list", "--pipeline", "bad"], RD);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("trap")
            && stdout.contains(&format!("1 entries in {}", Keys::new("bad", "bad").dlq())),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["dlq", "purge", "--pipeline", "bad", "--all"], RD);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("403 forbidden")
            && stderr.contains("token `rd` does not have scope `operate`"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["dlq", "list", "--pipeline", "bad"], "");
    assert!(
        code == Some(1) && stderr.contains("give --token or set WEFT_TOKEN"),
        "{stderr}"
    );

    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        csv.path(),
        "key,value\nshopify:SKU-1,ERP-100\nshopify:SKU-2,ERP-200\n",
    )
    .unwrap();
    let csv_path = csv.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["lookup", "load", "items", csv_path], OP);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("2 rows") && stdout.contains("replaced"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(&["dlq", "replay", "--pipeline", "bad", "--all"], OP);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "replayed 1 entries into {}",
            Keys::new("bad", "bad").input()
        )),
        "{stdout}"
    );

    let (code, stdout, stderr) = run(&["audit", "--json"], RD);
    assert_eq!(code, Some(0), "{stderr}");
    let entries: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by = |action: &str| {
        entries
            .iter()
            .filter(|e| e["action"] == action)
            .map(|e| e["who"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by("dlq.replay").first().map(String::as_str),
        Some("token:op"),
        "{stdout}"
    );
    assert_eq!(
        by("lookup.load").first().map(String::as_str),
        Some("token:op"),
        "{stdout}"
    );
    assert!(
        by("lookup.load").iter().any(|w| w == "token:ad"),
        "the matrix's load by ad: {stdout}"
    );
    assert!(
        by("dlq.purge").is_empty(),
        "a refused purge was recorded as done: {stdout}"
    );

    // A bad CSV over HTTP names its line and loads nothing.
    let bad = http
        .put(format!("{base}/v1/lookups/items"))
        .bearer_auth(OP)
        .body("key,value\nonly-one-column\n")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let v: Value = bad.json().await.unwrap();
    assert_eq!(v["error"]["code"], "bad_csv", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("request body:2:"),
        "{v}"
    );
}

/// Sign-in with a token, a cookie that reads but cannot change anything,
/// cross-site sign-in refused, sign-out.
async fn dashboard_sign_in(http: &reqwest::Client, base: &str) {
    let login = |token: &'static str, origin: Option<&'static str>| {
        let mut r = http
            .post(format!("{base}/dashboard/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}&next=%2Fdashboard%2Fexceptions"));
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        r.send()
    };
    let wrong = login("nope", None).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
    let page = wrong.text().await.unwrap();
    assert!(
        page.contains("that token is not accepted") && page.contains("<form"),
        "the sign-in page is not shown again: {page}"
    );
    let ingest_only = login(ING, None).await.unwrap();
    assert_eq!(ingest_only.status(), StatusCode::FORBIDDEN);
    let cross = login(RD, Some("https://elsewhere.example")).await.unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert!(cross.headers().get("set-cookie").is_none());

    let host = base.trim_start_matches("http://");
    let ok = http
        .post(format!("{base}/dashboard/login"))
        .header("origin", format!("http://{host}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={RD}&next=%2Fdashboard%2Fexceptions"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()["location"], "/dashboard/exceptions");
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
    assert!(
        !cookie.contains(RD),
        "the cookie carries the token: {cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let with_cookie = |method: Method, path: &str| {
        http.request(method, format!("{base}{path}"))
            .header("cookie", session.clone())
            .send()
    };
    let page = with_cookie(Method::GET, "/dashboard").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Sign out"));
    assert_eq!(
        with_cookie(Method::GET, "/v1/reports/channels")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // A cookie never changes anything: a cross-site form post would carry it.
    let purge = with_cookie(Method::POST, "/v1/dlq/bad/purge")
        .await
        .unwrap();
    assert_eq!(purge.status(), StatusCode::UNAUTHORIZED);

    let out = http
        .post(format!("{base}/dashboard/logout"))
        .header("cookie", session.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = with_cookie(Method::GET, "/dashboard").await.unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the session outlived sign-out"
    );
    assert!(after.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/dashboard/login?next="));
}

/// A server without tokens answers only this machine: a DNS-rebinding
/// page's Host, or a request relayed by a proxy, is refused; and a token
/// too short to be safe stops the start of one with tokens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_tokens_answers_only_loopback_requests() {
    let redis = super::bus_support::TestRedis::start();
    let dir = redis.dir.path();
    let text = |tokens: &str| {
        format!(
            "[redis]\nurl = \"{}\"\n[admin]\nlisten = \"127.0.0.1:0\"\n{tokens}[pipelines.p]\nstages = [{{ plugin = {} }}]\nroutes = {{ \"*\" = \"sink:out\" }}\n[sinks.out]\ntype = \"file\"\ndir = {}\n",
            redis.url(),
            lit(&guest_path("guest-echo")),
            lit(&dir.join("out")),
        )
    };
    std::fs::write(dir.join("short.token"), "short-token\n").unwrap();
    let short = weft_host::config::load(&write_config(
        dir,
        &text("[[admin.tokens]]\nid = \"s\"\nscopes = [\"read\"]\ntoken_file = \"short.token\"\n"),
    ))
    .unwrap();
    let e = super::support::up(short)
        .await
        .err()
        .expect("a short token is refused");
    let chain = format!(
        "{e}: {}",
        std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(chain.contains("fewer than 16 characters"), "{chain}");

    let cfg = weft_host::config::load(&write_config(dir, &text(""))).unwrap();
    let up = super::support::up(cfg).await.unwrap();
    let port = up.admin.port();
    let http = client();
    let get = |host: &'static str, extra: Option<(&'static str, &'static str)>| {
        let mut r = http
            .get(format!("http://127.0.0.1:{port}/v1/audit"))
            .header("host", host);
        if let Some((k, v)) = extra {
            r = r.header(k, v);
        }
        r.send()
    };
    assert_eq!(
        get("127.0.0.1", None).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        get("localhost:1", None).await.unwrap().status(),
        StatusCode::OK
    );
    let rebound = get("attacker.example", None).await.unwrap();
    assert_eq!(rebound.status(), StatusCode::FORBIDDEN);
    let v: Value = rebound.json().await.unwrap();
    assert_eq!(v["error"]["code"], "no_tokens", "{v}");
    let relayed = get("127.0.0.1", Some(("x-forwarded-for", "198.51.100.7")))
        .await
        .unwrap();
    assert_eq!(relayed.status(), StatusCode::FORBIDDEN);
    // Health stays answerable for a load balancer.
    let health = http
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    up.stop().await.unwrap();
}

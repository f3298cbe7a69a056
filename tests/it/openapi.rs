//! The admin server's OpenAPI document against the server itself: every
//! route is documented with its security, and a bounded schemathesis run
//! (PyPI, installed by `scripts/install-schemathesis.sh`) over a real
//! `weft up` (private Redis and PostgreSQL) finds no 5xx, no undocumented
//! status, no wrong content type and no answer off its schema.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

use super::{
    bus_support::{lit, write_config, UpChild},
    support::{plugin_path, text},
};

const AD: &str = "tok-openapi-admin-6d1e";

/// The `st` binary: `$WEFT_SCHEMATHESIS`, else the scripts' venv.
fn schemathesis() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("WEFT_SCHEMATHESIS") {
        return Some(PathBuf::from(p));
    }
    let tools = std::env::var("WEFT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/weft/tools")
        });
    let st = tools.join("schemathesis/bin/st");
    st.exists().then_some(st)
}

fn config(dir: &std::path::Path, ledger: bool) -> String {
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[[admin.tokens]]
id = "ad"
scopes = ["admin"]
token_env = "TEST_OPENAPI_TOKEN"
[host]
data_dir = {data}
[pipelines.orders]
stages = [{{ plugin = {validate} }}]
routes = {{ "*" = "sink:out" }}
[sinks.out]
type = "file"
dir = {out}
{ledger}"#,
        data = lit(&dir.join("data")),
        validate = lit(&plugin_path("validate-order")),
        out = lit(&dir.join("out")),
        ledger = if ledger { "[ledger]\n" } else { "" },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_covers_every_route_and_the_server_keeps_to_it() {
    let ledger = weft_host::ledger::server::bindir().is_ok();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(tmp.path(), ledger));
    let up = UpChild::try_spawn_env(&cfg, &[("TEST_OPENAPI_TOKEN", AD)])
        .unwrap_or_else(|e| panic!("weft up: {e}"));
    let http = reqwest::Client::new();
    let doc: Value = http
        .get(format!("{}/v1/openapi.json", up.admin))
        .bearer_auth(AD)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Every route, with its security: open ones say so, the rest need the
    // token (the default) or a webhook signature.
    let mut routes = vec![
        ("post", "/ingest/{pipeline}", "token|webhook"),
        ("post", "/v1/call/{pipeline}", "token|webhook"),
        ("get", "/v1/audit", "default"),
        ("get", "/v1/dlq/{unit}", "default"),
        ("get", "/v1/dlq/{unit}/{id}", "default"),
        ("post", "/v1/dlq/{unit}/replay", "default"),
        ("post", "/v1/dlq/{unit}/purge", "default"),
        ("put", "/v1/lookups/{table}", "default"),
        ("get", "/healthz", "open"),
        ("get", "/readyz", "open"),
        ("get", "/metrics", "default"),
        ("get", "/v1/openapi.json", "default"),
        ("get", "/dashboard/login", "open"),
        ("post", "/dashboard/login", "open"),
        ("post", "/dashboard/logout", "open"),
    ];
    if ledger {
        routes.extend([
            ("get", "/v1/reports/channels", "default"),
            ("get", "/v1/reports/changes", "default"),
            ("get", "/v1/orders", "default"),
            ("get", "/v1/orders/{id}", "default"),
            ("get", "/v1/exceptions", "default"),
            ("get", "/dashboard", "token|session"),
            ("get", "/dashboard/exceptions", "token|session"),
            ("get", "/dashboard/orders", "token|session"),
            ("get", "/dashboard/orders/{key}", "token|session"),
            ("get", "/dashboard/health", "token|session"),
        ]);
    }
    assert_eq!(
        doc["security"],
        serde_json::json!([{"token": []}]),
        "the default is a token"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(
        documented,
        routes.len(),
        "documented operations: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (method, path, security) in &routes {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        let names: Vec<String> = match op.get("security") {
            None => vec!["default".into()],
            Some(Value::Array(reqs))
                if reqs
                    .iter()
                    .all(|r| r.as_object().is_some_and(|o| o.is_empty())) =>
            {
                vec!["open".into()]
            }
            Some(Value::Array(reqs)) => reqs
                .iter()
                .flat_map(|r| r.as_object().unwrap().keys().cloned())
                .collect(),
            Some(other) => panic!("{method} {path}: security {other}"),
        };
        assert_eq!(&names.join("|"), security, "{method} {path}");
        for status in ["401", "403"] {
            if *security != "open" && !path.starts_with("/dashboard") {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path} does not document {status}"
                );
            }
        }
    }

    let Some(st) = schemathesis() else {
        println!(
            "skipping the schemathesis run: it is not installed (scripts/install-schemathesis.sh)"
        );
        return;
    };
    let schema = tmp.path().join("openapi.json");
    std::fs::write(&schema, serde_json::to_vec(&doc).unwrap()).unwrap();
    let mut child = Command::new(&st)
        .arg("run")
        .arg(&schema)
        .args(["--base-url", &up.admin])
        .args(["--header", &format!("Authorization: Bearer {AD}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--hypothesis-max-examples",
            "50",
            "--hypothesis-seed",
            "7070",
            "--hypothesis-deadline",
            "None",
            "--request-timeout",
            "20000",
            "--no-color",
            "--experimental=openapi-3.1",
        ])
        // tests/schemathesis/hooks.py: header values as RFC 9110 allows
        // them, and a serializer for the lookup routes' text/csv.
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", super::support::root().join("tests/schemathesis"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("schemathesis runs");
    // Bounded: a run that does not finish in time is a failure, not a hang.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(420) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("schemathesis ran past 420 s:\n{}", text(&out).0);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&out);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{stderr}"
    );
}

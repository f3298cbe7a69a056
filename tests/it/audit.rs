//! The audit trail over a real redis-server: a lookup load by the `weft`
//! command and a DLQ purge are recorded with who, when, what and the
//! result; `weft audit` and `GET /v1/audit` read them newest first, by
//! action.

use serde_json::Value;
use weft_host::{
    bus::{self, append as xadd, Keys},
    config,
    ops::{self, DlqAction, DlqArgs},
    Message,
};

use super::{
    bus_support::{dlq_of_len, lit, weft, write_config, TestRedis},
    support::{guest_path, text, up},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_actions_are_recorded_and_read_back() {
    let redis = TestRedis::start();
    let dir = redis.dir.path();
    let url = redis.url();
    // A table loaded by an operator known by name.
    let csv = dir.join("items.csv");
    std::fs::write(&csv, "key,value\nA-1,100\nB-2,200\n").unwrap();
    let out = weft()
        .env("WEFT_OPERATOR", "alice")
        .args(["lookup", "load", "items"])
        .arg(&csv)
        .args(["--redis", &url])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");

    // A message that dead-letters, then purged.
    let cfg_text = format!(
        "[redis]\nurl = \"{url}\"\n[admin]\nlisten = \"127.0.0.1:0\"\n[pipelines.p]\nstages = [{{ plugin = {} }}]\nroutes = {{ \"*\" = \"sink:s\" }}\n[sinks.s]\ntype = \"file\"\ndir = {}\n",
        lit(&guest_path("guest-panic")),
        lit(&dir.join("out")),
    );
    let cfg = config::load(&write_config(dir, &cfg_text)).unwrap();
    let handle = up(cfg.clone()).await.unwrap();
    let mut con = bus::connect(&url).await.unwrap();
    let msg = Message {
        id: "boom-1".into(),
        kind: "x".into(),
        content_type: "text/plain".into(),
        payload: b"x".to_vec(),
        ..Default::default()
    };
    xadd(&mut con, &Keys::new("p", "p").input(), &msg)
        .await
        .unwrap();
    let dlq = dlq_of_len(&cfg, "p", 1).await;
    let entry = dlq[0]["entry_id"]
        .as_str()
        .expect("dead-lettered")
        .to_string();
    let args = DlqArgs {
        action: DlqAction::Purge,
        unit: "p".into(),
        ids: Vec::new(),
        all: true,
        dry_run: false,
        json: false,
    };
    let mut sink = Vec::new();
    assert_eq!(ops::dlq(&cfg, &args, None, &mut sink).await.unwrap(), 1);

    // `weft audit`: newest first.
    let out = weft()
        .args(["audit", "--json", "--redis", &url])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        (
            lines[0]["action"].as_str(),
            lines[0]["target"].as_str(),
            lines[0]["result"].as_str()
        ),
        (Some("dlq.purge"), Some("p"), Some("ok"))
    );
    let detail: Value = serde_json::from_str(lines[0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["entries"][0], entry.as_str());
    assert_eq!(
        (
            lines[1]["action"].as_str(),
            lines[1]["who"].as_str(),
            lines[1]["target"].as_str()
        ),
        (Some("lookup.load"), Some("alice"), Some("items"))
    );
    let detail: Value = serde_json::from_str(lines[1]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (detail["rows"].as_u64(), detail["mode"].as_str()),
        (Some(2), Some("replace"))
    );
    assert!(lines.iter().all(|l| l["at"]
        .as_str()
        .is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok())));

    // The admin route, filtered by action; a bad limit is a JSON 400.
    let http = reqwest::Client::new();
    let v: Value = http
        .get(format!("http://{}/v1/audit?action=lookup", handle.admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["entries"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["entries"][0]["who"], "alice");
    let r = http
        .get(format!("http://{}/v1/audit?limit=0", handle.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "bad_limit");
    handle.stop().await.unwrap();
}

//! The EDI example end to end on a real redis-server: a real X12 drop
//! through `x12` → `enrich-master-data` → `erp-order` into an HTTP ERP, the
//! 997s to their own file sink, other documents to a stream; master data
//! loaded with `weft lookup load`; an unmapped item dead-letters as
//! `invalid` and is delivered after the table is fixed and the entry
//! replayed.

use std::{path::Path, time::Duration};

use serde_json::Value;
use weft_host::{bus::Keys, config, ops};

use super::{
    bus_support::{dlq_json, lit, wait_until, weft, write_config, Recorder, TestRedis},
    support::{plugin_path, text},
};

fn edi_config(redis: &str, erp: &str, acks: &Path) -> String {
    format!(
        r#"
[redis]
url = "{redis}"
[admin]
listen = "127.0.0.1:0"
[host]
consumer = "test-host"
claim_idle_ms = 1000
[retry]
max_attempts = 2
base_ms = 10
max_ms = 50
[pipelines.edi]
flow = "edi"
stages = [{{ name = "x12", plugin = {x12}, config = {{ channel = "acme" }} }}]
routes = {{ "order.created" = "pipeline:orders", "x12.997" = "sink:acks", "*" = "sink:documents" }}
[pipelines.orders]
flow = "edi"
stages = [
  {{ name = "enrich", plugin = {enrich}, config = {{ on_unmapped = "fail" }} }},
  {{ name = "erp", plugin = {erp_order}, config = {{ company = "US01" }} }},
]
routes = {{ "http.request" = "sink:erp" }}
[sinks.erp]
type = "http"
url = "{erp}"
timeout_ms = 2000
[sinks.acks]
type = "file"
dir = {acks}
[sinks.documents]
type = "stream"
"#,
        x12 = lit(&plugin_path("x12")),
        enrich = lit(&plugin_path("enrich-master-data")),
        erp_order = lit(&plugin_path("erp-order")),
        acks = lit(acks),
    )
}

fn load(table: &str, csv: &str, dir: &Path, redis: &str) -> String {
    let file = dir.join(format!("{table}.csv"));
    std::fs::write(&file, csv).unwrap();
    let out = weft()
        .args(["lookup", "load", table])
        .arg(&file)
        .args(["--redis", redis])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    stdout
}

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    v.retain(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'));
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x12_drop_reaches_the_erp_enriched_and_997s_go_to_their_own_sink() {
    let redis = TestRedis::start();
    let url = redis.url();
    let erp = Recorder::start(0).await;
    let acks = redis.dir.path().join("acks");
    let cfg_path = write_config(
        redis.dir.path(),
        &edi_config(&url, &format!("http://{}/erp", erp.addr), &acks),
    );
    let cfg = config::load(&cfg_path).unwrap();

    // Master data: item 01220 is missing at first.
    let dir = redis.dir.path();
    let said = load(
        "items",
        "channel_item,erp_item\nacme:buyer:02006,ERP-2006\nacme:buyer:02008,ERP-2008\nbuyer:01019,ERP-1019\n",
        dir,
        &url,
    );
    assert!(
        said.contains("3 rows") && said.contains("replaced"),
        "{said}"
    );
    load(
        "customers",
        "channel_customer,erp_account\nacme:999999999,C-1000\n",
        dir,
        &url,
    );
    let out = weft()
        .args([
            "lookup",
            "get",
            "items",
            "acme:buyer:02006",
            "--redis",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(text(&out).0.trim(), "ERP-2006");
    let out = weft()
        .args(["lookup", "get", "items", "buyer:01220", "--redis", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));

    let up = super::support::up(cfg.clone()).await.unwrap();
    // One file: an 810 group and an 850 group.
    let file = realdata_or_skip!("x12").join("810-850_staedi_two-groups-mixed-versions.edi");
    ops::ingest(&cfg, "edi", std::slice::from_ref(&file))
        .await
        .unwrap();

    // Each group is acknowledged, whatever happens to the order later.
    assert!(
        wait_until(Duration::from_secs(20), || files_in(&acks).len() == 2).await,
        "two 997 files, got {:?}",
        files_in(&acks)
    );
    let acks_text: Vec<String> = files_in(&acks)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(acks_text
        .iter()
        .all(|t| t.starts_with("ISA") && t.contains("AK9*A")));
    assert!(
        acks_text.iter().any(|t| t.contains("AK1*PO*165")),
        "{acks_text:?}"
    );
    assert!(
        acks_text.iter().any(|t| t.contains("AK1*IN*1")),
        "{acks_text:?}"
    );
    // Our control numbers come from the Redis counters of the partner.
    let mut con = weft_host::bus::connect(&url).await.unwrap();
    let isa: u64 = redis::cmd("GET")
        .arg("weft:seq:x12:SENDERISA:isa")
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!(isa, 2, "one interchange per acknowledged group");
    for n in ["000000001", "000000002"] {
        assert!(
            acks_text.iter().any(|t| t.contains(&format!("IEA*1*{n}"))),
            "{acks_text:?}"
        );
    }

    // The order dead-letters as invalid, naming the unmapped line.
    let mut entries = Vec::new();
    for _ in 0..300 {
        entries = dlq_json(&cfg, "orders").await;
        if !entries.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(e["error_class"], "invalid", "{e}");
    assert_eq!(e["stage"], "enrich", "{e}");
    assert!(e["error"].as_str().unwrap().contains("01220"), "{e}");
    assert_eq!(erp.distinct(), 0);

    // The invoices went to the documents stream.
    let docs: usize = redis::cmd("XLEN")
        .arg(Keys::sink("edi", "documents").input())
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!(docs, 2, "two invoices of the 810 group");

    // Fix the table, replay: the sales order reaches the ERP once.
    load(
        "items",
        "channel_item,erp_item\nacme:buyer:02006,ERP-2006\nacme:buyer:02008,ERP-2008\nbuyer:01019,ERP-1019\nbuyer:01220,ERP-1220\n",
        dir,
        &url,
    );
    let out = weft()
        .args(["dlq", "replay", "--pipeline", "orders", "--all", "--config"])
        .arg(&cfg_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(
        wait_until(Duration::from_secs(20), || erp.distinct() == 1).await,
        "one sales order delivered"
    );
    let (key, body, method, path) = {
        let seen = erp.seen.lock().unwrap();
        let (key, body) = seen.bodies.iter().next().unwrap();
        let (method, path) = seen.requests[key].clone();
        (key.clone(), body.clone(), method, path)
    };
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("POST", "/erp/sales-orders")
    );
    assert_eq!(key.len(), 64, "idempotency key is a sha256: {key}");
    let so: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(so["external_id"], "acme:S115921858");
    assert_eq!(so["company"], "US01");
    assert_eq!(so["customer"]["account"], "C-1000");
    let items: Vec<&str> = so["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["ERP-2006", "ERP-2008", "ERP-1019", "ERP-1220"]);
    assert!(dlq_json(&cfg, "orders").await.is_empty());
    up.stop().await.unwrap();
}

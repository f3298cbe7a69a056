//! An 855 weft sends to a trading partner and the partner's 997, through
//! `weft up` in its default configuration (private Redis, private
//! PostgreSQL): the real 850 of PO A99999-01 is received; an order
//! acknowledgement for it (derived at run time from a real 855 by changing
//! the PO number; the file stays as it is) goes out through `x12-outbound`
//! and the file sink, whose delivery record carries the key the partner's
//! 997 will name; the 997 (written here from the interchange weft wrote,
//! as a partner would) comes in through the `x12` source; the order's
//! timeline shows the exchange pending, then accepted, and the exception
//! list shows `edi_ack_missing` after the service level until it arrives.

use std::{path::Path, time::Duration};

use serde_json::Value;

use super::{
    bus_support::{lit, write_config, UpChild},
    ledger_support::Admin,
    support::plugin_path,
};

const EDI_X12: &str = "application/edi-x12";

fn config(data: &Path, out: &Path) -> String {
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[host]
data_dir = {data}
consumer = "edi-ack"
[pipelines.edi]
flow = "edi"
stages = [{{ plugin = {x12}, config = {{ ack = "false" }} }}]
routes = {{ "order.acknowledged" = "pipeline:to-partner", "*" = "sink:inbox" }}
[pipelines.to-partner]
flow = "edi"
stages = [{{ plugin = {outbound}, config = {{ sender_id = "WEFTDIST", receiver_id = "ACMEBUYER" }} }}]
routes = {{ "*" = "sink:partner" }}
[sinks.inbox]
type = "stream"
[sinks.partner]
type = "file"
dir = {out}
[ledger]
"#,
        data = lit(data),
        out = lit(out),
        x12 = lit(&plugin_path("x12")),
        outbound = lit(&plugin_path("x12-outbound")),
    )
}

/// Polls the order until its EDI exchanges satisfy `want`.
async fn exchanges(api: &Admin, want: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let r = api
            .http
            .get(format!("{}/v1/orders/A99999-01", api.admin))
            .send()
            .await
            .unwrap();
        if r.status().is_success() {
            let v: Value = r.json().await.unwrap();
            let edi = v["order"]["edi"].clone();
            if want(&edi) {
                return edi;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "exchanges never became as wanted: {v}"
            );
        } else {
            assert!(
                std::time::Instant::now() < deadline,
                "the order never appeared: {}",
                r.status()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The value of element `n` of the first `id` segment of X12 `text`.
fn element(text: &str, id: &str, n: usize) -> String {
    let seg = text
        .split('~')
        .map(str::trim)
        .find(|s| s.starts_with(&format!("{id}*")))
        .unwrap_or_else(|| panic!("no {id} in {text}"));
    seg.split('*').nth(n).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_855_is_pending_until_the_partners_997_accepts_it() {
    let x12 = realdata_or_skip!("x12");
    if weft_host::ledger::server::bindir().is_err() {
        println!("skipping: PostgreSQL is not installed (scripts/install-postgres.sh)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cfg = write_config(tmp.path(), &config(&tmp.path().join("data"), &out));
    let up = UpChild::spawn(&cfg);
    let api = Admin {
        http: reqwest::Client::new(),
        admin: up.admin.clone(),
    };
    api.post(
        "edi",
        EDI_X12,
        std::fs::read(x12.join("850_x12types_004010.edi")).unwrap(),
    )
    .await;
    let ack = std::fs::read_to_string(x12.join("855_nodex12.edi")).unwrap();
    assert!(ack.contains("POTEST1112"));
    api.post(
        "edi",
        EDI_X12,
        ack.replace("POTEST1112", "A99999-01").into_bytes(),
    )
    .await;

    // The 855 weft wrote, and what its delivery expects.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let sent = loop {
        let files: Vec<_> = std::fs::read_dir(&out)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        if let Some(f) = files
            .iter()
            .find(|p| p.extension().is_some_and(|x| x == "edi"))
        {
            break std::fs::read_to_string(f).unwrap();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "x12-outbound wrote nothing"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let gs06 = element(&sent, "GS", 6);
    assert_eq!(element(&sent, "ST", 1), "855");
    let key = format!("x12:ACMEBUYER:{}", gs06.trim_start_matches('0'));
    let edi = exchanges(&api, |e| e.as_array().is_some_and(|a| !a.is_empty())).await;
    assert_eq!(edi[0]["key"], key.as_str(), "{edi}");
    assert_eq!(edi[0]["document"], "X12 855");
    assert_eq!(edi[0]["sink"], "partner");
    assert_eq!(edi[0]["status"], "pending");

    // Not acknowledged: an exception once the service level (24 h) passed.
    let time = |v: &Value| -> i64 {
        let t: jiff::Timestamp = v.as_str().expect("a time").parse().expect("RFC 3339");
        t.as_millisecond()
    };
    let delivered = time(&edi[0]["delivered_at"]);
    let due = |at: i64| {
        let api = &api;
        async move {
            let t = jiff::Timestamp::from_millisecond(at).unwrap();
            let v = api.get(&format!("/v1/exceptions?as_of={t}")).await;
            v["exceptions"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["type"] == "edi_ack_missing")
                .map(|e| {
                    (
                        e["order"].as_str().unwrap_or("").to_string(),
                        e["cause"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let day = 24 * 3_600_000;
    assert!(due(delivered + day - 1000).await.is_empty());
    assert_eq!(
        due(delivered + day).await,
        [("x12:A99999-01".to_string(), key.clone())]
    );

    // The partner's 997: its own envelope, AK1 naming the group weft sent,
    // the control number written as a number (leading zeros dropped).
    let group = gs06.trim_start_matches('0');
    let segments = [
        "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*WEFTDIST       *261203*1200*U*00401*000000901*0*P*>".to_string(),
        "GS*FA*ACMEBUYER*WEFTDIST*20261203*1200*901*X*004010".to_string(),
        "ST*997*0001".to_string(),
        format!("AK1*PR*{group}"),
        format!("AK2*855*{}", element(&sent, "ST", 2)),
        "AK5*A".to_string(),
        "AK9*A*1*1*1".to_string(),
        "SE*6*0001".to_string(),
        "GE*1*901".to_string(),
        "IEA*1*000000901".to_string(),
    ];
    api.post(
        "edi",
        EDI_X12,
        format!("{}~\n", segments.join("~\n")).into_bytes(),
    )
    .await;
    let edi = exchanges(&api, |e| e[0]["status"] == "accepted").await;
    assert_eq!(edi[0]["key"], key.as_str());
    assert!(
        edi[0]["ack"]
            .as_str()
            .is_some_and(|a| a.starts_with("x12:ACMEBUYER:")),
        "{edi}"
    );
    assert_eq!(
        time(&edi[0]["acknowledged_at"]),
        1_796_256_000_000,
        "the 997's GS04 date, 2026-12-03 (no utc_offset configured: the date alone)"
    );
    assert!(
        due(delivered + day).await.is_empty(),
        "the 997 clears the exception"
    );
}

//! `weft ingest`, `weft dlq` and `weft up` from the command line.

use weft_host::bus::{self, Keys};

use super::{
    bus_support::{lit, weft, write_config, TestRedis},
    support::{plugin_path, text},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_queues_files_and_dlq_reads_an_empty_queue() {
    let shopify = realdata_or_skip!("shopify");
    let redis = TestRedis::start();
    let cfg = write_config(
        redis.dir.path(),
        &format!(
            "[redis]\nurl = \"{}\"\n[pipelines.shopify]\nflow = \"shop\"\nstages = [{{ plugin = {} }}]\nroutes = {{ \"*\" = \"sink:s\" }}\n[sinks.s]\ntype = \"stream\"\n",
            redis.url(),
            lit(&plugin_path("shopify-orders"))
        ),
    );
    let files: Vec<_> = [
        "rest-2026-07_GET_order_450789469.json",
        "python-api_fixture_order.json",
    ]
    .iter()
    .map(|f| shopify.join(f))
    .collect();
    let out = weft()
        .args(["ingest", "shopify"])
        .args(&files)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.lines().all(|l| l.starts_with("sha256:")), "{stdout}");
    assert!(
        stderr.contains("2 file(s) queued on pipeline shopify"),
        "{stderr}"
    );
    let mut con = bus::connect(&redis.url()).await.unwrap();
    let n: usize = redis::cmd("XLEN")
        .arg(Keys::new("shop", "shopify").input())
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!(n, 2);

    let out = weft()
        .args(["dlq", "list", "--pipeline", "shopify", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(text(&out)
        .0
        .contains("0 entries in weft:{shop}:dlq:shopify"));

    // Mistakes are explained, exit 1.
    let out = weft()
        .args(["ingest", "nope"])
        .args(&files)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).1.contains("no pipeline `nope`"),
        "{:?}",
        text(&out)
    );
    let out = weft()
        .args(["dlq", "replay", "--pipeline", "shopify", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("--id"), "{:?}", text(&out));
}

#[test]
fn up_refuses_a_bad_config_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        "[host]\nbatchh = 3\n[pipelines.p]\nstages = []\n",
    );
    let out = weft().args(["up", "--config"]).arg(&cfg).output().unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("weft.toml:2") && stderr.contains("batchh"),
        "{stderr}"
    );
}

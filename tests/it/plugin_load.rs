//! A stage whose plugin cannot be loaded stops `weft up` with one line
//! that names the configuration file and line, the pipeline and the stage.

use std::time::{Duration, Instant};

use super::{
    bus_support::{weft, write_config, TestRedis},
    support::text,
};

#[test]
fn a_plugin_that_is_not_a_component_is_one_line_naming_the_config_line() {
    let redis = TestRedis::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes.wasm"),
        "these are notes,\nnot a component\n\u{1}\u{2}\u{3}\n",
    )
    .unwrap();
    let cfg = write_config(
        dir.path(),
        &format!(
            r#"
[redis]
url = "{}"
[admin]
listen = "127.0.0.1:0"

[pipelines.orders]
stages = [
  {{ name = "source", plugin = "notes.wasm" }},
]
"#,
            redis.url()
        ),
    );
    let mut child = weft()
        .args(["--log", "off", "up", "--config"])
        .arg(&cfg)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("weft up kept running with a text file as its plugin");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    let want = format!(
        "error: {}:9: pipeline `orders` stage `source`: cannot load {}: not a WebAssembly component (",
        cfg.display(),
        dir.path().join("notes.wasm").display()
    );
    assert!(lines[0].starts_with(&want), "{}\nwanted: {want}", lines[0]);
    assert!(
        lines[0].ends_with(')') && !lines[0].contains("=["),
        "no byte dump: {}",
        lines[0]
    );
}

#[test]
fn a_plugin_over_the_pool_limits_is_refused_by_weft_up_naming_the_limit() {
    let Some(py) = super::languages::lang_plugin("woocommerce-orders-py") else {
        return;
    };
    let redis = TestRedis::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &format!(
            r#"
[redis]
url = "{}"
[admin]
listen = "127.0.0.1:0"
[pool]
core_instances_per_component = 4

[pipelines.orders]
stages = [
  {{ name = "source", plugin = "{}" }},
]
"#,
            redis.url(),
            py.display()
        ),
    );
    let out = weft()
        .env("WEFT_CACHE_DIR", super::languages::lang_cache())
        .args(["--log", "off", "up", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    for want in [
        "pipeline `orders` stage `source`: cannot load",
        "the component exceeds this engine's limits",
        "14 core module instances",
        "maximum of 4",
        "[pool]",
    ] {
        assert!(lines[0].contains(want), "`{want}` not in: {}", lines[0]);
    }
}

//! The `weft` binary: exit codes, JSON lines, `plugin test`, `plugin inspect`.

use std::io::Write;

use sha2::Digest;

use super::support::{guest_path, text, weft};

fn run_echo(kind: &str, stdin: &[u8], extra: &[&str]) -> (Option<i32>, String, String) {
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = weft(cache.path());
    cmd.args(["plugin", "run"])
        .arg(guest_path("guest-echo"))
        .args(["--kind", kind])
        .args(extra);
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let (o, e) = text(&out);
    (out.status.code(), o, e)
}

#[test]
fn run_prints_json_lines_and_maps_failures_to_exit_codes() {
    let (code, out, _) = run_echo(
        "hello",
        br#"{"a": 1}"#,
        &[
            "--content-type",
            "application/json",
            "--config",
            "greeting=hi",
            "--id",
            "in-1",
        ],
    );
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["id"], "in-1");
    assert_eq!(v["payload"]["a"], 1);
    assert_eq!(v["headers"]["greeting"], "hi");

    let (code, out, _) = run_echo("hello", &[0xff, 0xfe, 0x00], &[]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (v["payload"].as_str(), v["payload_encoding"].as_str()),
        (Some("//4A"), Some("base64"))
    );

    let (code, _, err) = run_echo("invalid", b"x", &[]);
    assert_eq!(code, Some(2));
    assert_eq!(err.trim(), "error: invalid: echo was told to refuse this");
    let (code, _, err) = run_echo("retryable", b"x", &[]);
    assert_eq!(code, Some(3));
    assert!(err.starts_with("error: retryable: "), "{err}");
}

#[test]
fn traps_timeouts_and_bad_outputs_exit_4_usage_and_io_exit_1() {
    let cache = tempfile::tempdir().unwrap();
    for (guest, kind, class) in [
        ("guest-panic", "boom", "trap"),
        ("guest-loop", "spin", "timeout"),
        ("guest-alloc", "hog", "memory-limit"),
        ("guest-bad-output", "not-json", "bad-output"),
    ] {
        let out = weft(cache.path())
            .args(["plugin", "run"])
            .arg(guest_path(guest))
            .args([
                "--kind",
                kind,
                "--deadline-ms",
                "200",
                "--input",
                "Cargo.toml",
            ])
            .output()
            .unwrap();
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(4), "{guest}: {err}");
        assert!(
            err.starts_with(&format!("error: {class}: ")),
            "{guest}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
    let out = weft(cache.path())
        .args(["plugin", "run"])
        .arg(guest_path("guest-echo"))
        .args(["--input", "no/such/file"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("no/such/file"));
    let out = weft(cache.path()).args(["plugin", "run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "usage error");
    let out = weft(cache.path())
        .args(["plugin", "run", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "not a component");
    assert!(text(&out).1.contains("not a WebAssembly component"));
    let out = weft(cache.path())
        .args(["plugin", "run", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).0.contains("Exit status"));
}

#[test]
fn jsonl_chains_plugins() {
    let (code, first, _) = run_echo(
        "hello",
        br#"{"n": 1}"#,
        &["--content-type", "application/json", "--id", "a"],
    );
    assert_eq!(code, Some(0));
    let (code, second, _) = run_echo(
        "ignored",
        format!("{first}{first}").as_bytes(),
        &["--jsonl", "--config", "greeting=again"],
    );
    assert_eq!(code, Some(0));
    let lines: Vec<serde_json::Value> = second
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["payload"]["n"], 1);
    assert_eq!(
        lines[0]["kind"], "hello",
        "kind comes from the line, not --kind"
    );
    assert_eq!(lines[0]["headers"]["greeting"], "again");
}

#[test]
fn plugin_test_reports_passes_failures_diffs_and_blesses() {
    let cache = tempfile::tempdir().unwrap();
    let cases = tempfile::tempdir().unwrap();
    let d = cases.path();
    std::fs::write(d.join("good.input.json"), br#"{"x": 1}"#).unwrap();
    std::fs::write(
        d.join("good.config.toml"),
        "greeting = \"hi\"\n[message]\nid = \"g\"\nkind = \"k\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("good.expected.jsonl"),
        // Key order differs from the output on purpose.
        r#"{"payload":{"x":1},"kind":"k","id":"g","correlation_id":"","content_type":"application/json","headers":{"greeting":"hi","sku":"unmapped"}}"#,
    )
    .unwrap();
    std::fs::write(d.join("refused.input.txt"), "x").unwrap();
    std::fs::write(
        d.join("refused.config.toml"),
        "[message]\nkind = \"invalid\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("refused.expected-error.txt"),
        "invalid: told to refuse\n",
    )
    .unwrap();
    std::fs::write(d.join("wrong.input.json"), br#"{"x": 2}"#).unwrap();
    std::fs::write(
        d.join("wrong.config.toml"),
        "[message]\nid = \"w\"\nkind = \"k\"\n",
    )
    .unwrap();
    std::fs::write(d.join("wrong.expected.jsonl"), r#"{"id":"w","correlation_id":"","kind":"k","content_type":"application/json","headers":{"greeting":"none","sku":"unmapped"},"payload":{"x":3}}"#).unwrap();

    let run = |bless: bool| {
        let mut c = weft(cache.path());
        c.args(["plugin", "test"])
            .arg(guest_path("guest-echo"))
            .arg(d);
        if bless {
            c.arg("--bless");
        }
        c.output().unwrap()
    };
    let out = run(false);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("ok      good"), "{stdout}");
    assert!(stdout.contains("ok      refused"), "{stdout}");
    assert!(stdout.contains("FAIL    wrong: output differs"), "{stdout}");
    assert!(
        stdout.contains("-     \"x\": 3") && stdout.contains("+     \"x\": 2"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("2 passed, 1 failed"));

    let out = run(true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).0);
    let out = run(false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).0);
    assert_eq!(text(&out).0.lines().last(), Some("3 passed, 0 failed"));
    let blessed = std::fs::read_to_string(d.join("refused.expected-error.txt")).unwrap();
    assert_eq!(blessed.trim(), "invalid: echo was told to refuse this");
}

#[test]
fn inspect_shows_world_describe_imports_exports_size_and_digest() {
    let cache = tempfile::tempdir().unwrap();
    let path = guest_path("guest-echo");
    let bytes = std::fs::read(&path).unwrap();
    let sha = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let out = weft(cache.path())
        .args(["plugin", "inspect", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["world"], "weft:plugin/transform@0.1.0");
    assert_eq!(v["sha256"], sha);
    assert_eq!(v["size"], bytes.len());
    assert_eq!(v["describe"]["name"], "guest-echo");
    assert_eq!(v["describe"]["summary"], "echoes its input");
    assert!(v["imports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i == "weft:plugin/host@0.1.0"));
    assert_eq!(
        v["exports"],
        serde_json::json!(["weft:plugin/transform-plugin@0.1.0"])
    );

    let out = weft(cache.path())
        .args(["plugin", "inspect"])
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("plugin:    guest-echo@1.2.3 (transform)"),
        "{stdout}"
    );
    assert!(stdout.contains(&sha));
}

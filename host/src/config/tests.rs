use std::path::Path;

use super::*;

fn write_plugin(dir: &Path) {
    std::fs::write(dir.join("p.wasm"), b"").unwrap();
}

const GOOD: &str = r#"
[retry]
max_attempts = 3

[pipelines.orders]
flow = "shop"
stages = [{ plugin = "p.wasm", config = { strict = "true" } }]
routes = { "order.*" = "sink:out", "order.cancelled" = "pipeline:audit" }

[pipelines.audit]
flow = "shop"
stages = [{ plugin = "p.wasm" }]
routes = { "*" = "sink:out" }

[sinks.out]
type = "file"
dir = "out"
"#;

#[test]
fn a_good_config_resolves_paths_routes_and_flows() {
    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    let c = parse(GOOD, &dir.path().join("weft.toml")).unwrap();
    assert_eq!(c.retry.max_attempts, 3);
    assert_eq!(c.flow_of("orders"), "shop");
    let p = &c.pipelines["orders"];
    assert_eq!(p.route("order.created"), Some(Target::Sink("out".into())));
    assert_eq!(
        p.route("order.cancelled"),
        Some(Target::Pipeline("audit".into()))
    );
    assert_eq!(p.route("shipment.dispatched"), None);
    assert!(p.stages[0].plugin.get_ref().starts_with(dir.path()));
    assert_eq!(
        c.sink_streams(),
        vec![("shop".to_string(), "out".to_string())]
    );
}

#[test]
fn errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    let file = dir.path().join("weft.toml");
    let bad = GOOD.replace("max_attempts = 3", "max_attempts = 3\nmax_attemps = 4");
    let e = parse(&bad, &file).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.to_string().contains("max_attemps"), "{e}");

    let e = parse(
        &GOOD.replace(
            "sink:out\", \"order.cancelled",
            "sink:nowhere\", \"order.cancelled",
        ),
        &file,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("unknown sink `nowhere`") && e.line == Some(8),
        "{e}"
    );

    let e = parse(&GOOD.replace("pipeline:audit", "pipeline:ghost"), &file).unwrap_err();
    assert!(e.to_string().contains("unknown pipeline `ghost`"), "{e}");

    let e = parse(&GOOD.replace("pipeline:audit", "queue:x"), &file).unwrap_err();
    assert!(
        e.to_string()
            .contains("must be `sink:NAME` or `pipeline:NAME`"),
        "{e}"
    );

    let e = parse(&GOOD.replacen("p.wasm", "missing.wasm", 1), &file).unwrap_err();
    assert!(
        e.to_string().contains("missing.wasm") && e.line == Some(7),
        "{e}"
    );

    let e = parse(
        &GOOD.replacen("flow = \"shop\"", "flow = \"other\"", 1),
        &file,
    )
    .unwrap_err();
    assert!(e.to_string().contains("another flow"), "{e}");
}

/// The error of parsing `text` (next to a plugin file).
fn error_of(text: &str) -> ConfigError {
    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    parse(text, &dir.path().join("weft.toml")).unwrap_err()
}

#[test]
fn out_of_range_values_are_errors_at_their_line() {
    // (replace in GOOD, with, message, line)
    let cases = [
        ("max_attempts = 3", "max_attempts = 0", "max_attempts must be at least 1, not 0", 3),
        ("max_attempts = 3", "max_attempts = 3\nbase_ms = 0", "base_ms must be at least 1, not 0", 4),
        ("max_attempts = 3", "max_attempts = 3\n\njitter = 7.5", "jitter must be between 0.0 and 1.0, not 7.5", 5),
        ("max_attempts = 3", "max_attempts = 3\njitter = -0.1", "jitter must be between 0.0 and 1.0, not -0.1", 4),
        ("max_attempts = 3", "base_ms = 500\nmax_attempts = 3\nmax_ms = 100", "max_ms (100) must be at least base_ms (500)", 5),
        // max_ms left at its default (60 000): reported at base_ms.
        ("max_attempts = 3", "max_attempts = 3\nbase_ms = 90000", "max_ms (60000) must be at least base_ms (90000)", 4),
        ("{ plugin = \"p.wasm\", config", "{ plugin = \"p.wasm\", memory_mb = 0, config", "memory_mb must be between 1 and 4096, not 0", 7),
        ("{ plugin = \"p.wasm\", config", "{ plugin = \"p.wasm\", memory_mb = 5000, config", "memory_mb must be between 1 and 4096, not 5000", 7),
        ("{ plugin = \"p.wasm\", config", "{ plugin = \"p.wasm\", deadline_ms = 0, config", "deadline_ms must be at least 1, not 0", 7),
        ("stages = [{ plugin = \"p.wasm\" }]", "stages = [{ plugin = \"p.wasm\" },\n  { plugin = \"p.wasm\", name = \"two\", deadline_ms = 0 }]", "deadline_ms must be at least 1, not 0", 13),
        ("[pipelines.audit]", "[pipelines.audit]\nretry = { max_attempts = 0 }", "max_attempts must be at least 1, not 0", 11),
        ("[sinks.out]\ntype = \"file\"\ndir = \"out\"", "[sinks.out]\ntype = \"http\"\nurl = \"http://127.0.0.1:1/\"\ntimeout_ms = 0", "timeout_ms must be at least 1, not 0", 18),
        ("[sinks.out]\ntype = \"file\"\ndir = \"out\"", "[sinks.out]\ntype = \"http\"\nurl = \"http://127.0.0.1:1/\"\nretry = { jitter = 2.0 }", "jitter must be between 0.0 and 1.0, not 2", 18),
        ("[retry]", "[host]\nbatch = 0\n[retry]", "batch must be between 1 and 10000, not 0", 3),
        ("[retry]", "[host]\nconcurrency = 0\n[retry]", "concurrency must be between 1 and 1024, not 0", 3),
        ("[retry]", "[host]\nclaim_idle_ms = 5\n[retry]", "claim_idle_ms must be at least 1000, not 5", 3),
        ("[retry]", "[admin]\nmax_body_bytes = 0\n[retry]", "max_body_bytes must be at least 1, not 0", 3),
        ("[retry]", "[registry]\nurl = \"http://r\"\ntrusted_keys = []\nreconcile_ms = 0\n[retry]", "reconcile_ms must be at least 100, not 0", 5),
    ];
    // Arrays of tables are located too.
    let more = format!("{GOOD}\n[pipelines.more]\nflow = \"shop\"\n[[pipelines.more.stages]]\nplugin = \"p.wasm\"\nmemory_mb = 0\n");
    let e = error_of(&more);
    assert_eq!(e.line, Some(23), "{e}");
    for (from, to, message, line) in cases {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "{from}");
        let e = error_of(&text);
        assert_eq!(
            (e.message.as_str(), e.line),
            (message, Some(line)),
            "{to}: {e}"
        );
        assert!(
            e.to_string()
                .contains(&format!("weft.toml:{line}: {message}")),
            "{e}"
        );
    }
}

#[test]
fn stage_names_follow_the_name_rule_and_stages_know_their_line() {
    let e = error_of(&GOOD.replacen(
        "{ plugin = \"p.wasm\" }",
        "{ plugin = \"p.wasm\", name = \"../x\" }",
        1,
    ));
    assert_eq!(e.line, Some(12), "{e}");
    assert!(
        e.message
            .contains("pipeline `audit`: stage name `../x` must be"),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    let file = dir.path().join("weft.toml");
    let c = parse(GOOD, &file).unwrap();
    assert_eq!(c.file, file);
    assert_eq!(c.pipelines["orders"].stages[0].line, Some(7));
    assert_eq!(c.pipelines["audit"].stages[0].line, Some(12));
}

#[test]
fn zero_in_limits_names_the_line() {
    let text = "[limits]\nmax_outputs = 10\nmax_sequence_draws = 0\n";
    let e = parse(text, Path::new("weft.toml")).unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.to_string().contains("at least 1"), "{e}");
}

#[test]
fn an_order_number_pointer_must_be_a_json_pointer() {
    let http = |pointer: &str| {
        GOOD.replacen(
            "[sinks.out]\ntype = \"file\"\ndir = \"out\"",
            &format!("[sinks.out]\ntype = \"http\"\nurl = \"http://127.0.0.1:1/\"\norder_number_pointer = {pointer:?}"),
            1,
        )
    };
    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    let file = dir.path().join("weft.toml");
    for good in ["/orderNumber", "/data/0/number", "/a~1b/c~0d", ""] {
        let c = parse(&http(good), &file).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(
            matches!(&c.sinks["out"], Sink::Http { order_number_pointer: Some(p), .. } if p == good)
        );
    }
    for (bad, says) in [
        ("orderNumber", "must start with `/`, e.g. `/orderNumber`"),
        ("/order~2number", "`~` must be followed by `0`"),
        ("/trailing~", "`~` must be followed by `0`"),
    ] {
        let e = error_of(&http(bad));
        assert_eq!(e.line, Some(18), "{e}");
        assert!(
            e.message.starts_with(&format!(
                "sink `out`: order_number_pointer `{bad}` is not a JSON pointer (RFC 6901)"
            )) && e.message.contains(says),
            "{e}"
        );
    }
}

#[test]
fn pool_limits_default_and_refuse_zero() {
    let dir = tempfile::tempdir().unwrap();
    write_plugin(dir.path());
    let text = format!("[pool]\ncore_instances_per_component = 8\n{GOOD}");
    let c = parse(&text, &dir.path().join("weft.toml")).unwrap();
    assert_eq!(c.pool.core_instances_per_component, 8);
    assert_eq!(
        c.pool.memories_per_component,
        crate::engine::PoolLimits::default().memories_per_component
    );
    let e = parse("[pool]\ntables_per_component = 0\n", Path::new("weft.toml")).unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
}

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

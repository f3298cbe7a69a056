//! A golden case passes natively (`weft_sdk::testing`, the plugin's native
//! code) exactly when it passes under `weft plugin test` (the built
//! component in the host).
//!
//! For each plugin below, its `cases/` folder plus crafted cases (settings
//! spelled `yes`/`1`, `[sequence]` seeds, `[lookup]` tables, repeated and
//! `+json`/binary input headers and payloads) is run both ways:
//! - each case gives the same result (outputs as JSON lines, or the same
//!   failure class and message);
//! - crafted cases blessed by one runner write the same expected files as
//!   when blessed by the other, and pass under the other;
//! - every case passes under both (the `weft` binary for the host), and
//!   every case with a deliberately broken expected file fails under both.

use std::path::{Path, PathBuf};

use weft_host::{harness::cases, Plugin};
use weft_sdk::testing::{
    self,
    case::{self, Case, CaseReport, CaseResult},
};

use super::support::{engine, load, plugin_path, root, text, weft};

/// Copies the regular files of `from` into a new folder.
fn copy_cases(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(from).expect("case folder") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let to = dir.path().join(path.file_name().expect("file name"));
            std::fs::copy(&path, to).expect("copy");
        }
    }
    dir
}

/// A crafted case: `NAME.input.<ext>` with `config` (no expected file).
fn craft(dir: &Path, name: &str, ext: &str, input: &[u8], config: &str) {
    std::fs::write(dir.join(format!("{name}.input.{ext}")), input).expect("write input");
    std::fs::write(dir.join(format!("{name}.config.toml")), config).expect("write config");
}

/// The cases of `dir` without an expected file.
fn unjudged(dir: &Path) -> Vec<Case> {
    case::discover(dir)
        .expect("cases")
        .into_iter()
        .filter(|c| {
            !c.sibling("expected.jsonl").exists() && !c.sibling("expected-error.txt").exists()
        })
        .collect()
}

/// The expected file a case has, with its text.
fn expected(c: &Case) -> (PathBuf, String) {
    let path = ["expected.jsonl", "expected-error.txt"]
        .map(|s| c.sibling(s))
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{}: no expected file", c.name));
    let text = std::fs::read_to_string(&path).expect("read expected");
    (path, text)
}

/// Whether two results are the same (key order in outputs aside).
fn same(a: &CaseResult, b: &CaseResult) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => case::compare(a, b).is_ok(),
        (Err(a), Err(b)) => a == b,
        _ => false,
    }
}

/// Rewrites a case's expected file so the case must fail: another id in
/// the first output (an extra output when none are expected), another
/// substring of the error.
fn break_expected(c: &Case) {
    let (path, text) = expected(c);
    let broken = if path.to_string_lossy().ends_with(".jsonl") {
        let mut lines = case::expected_lines(&text).expect("expected lines");
        match lines.first_mut() {
            Some(first) => {
                let id = first["id"].as_str().unwrap_or_default();
                first["id"] = format!("{id}:broken").into();
            }
            None => lines.push(serde_json::json!({"id": "broken"})),
        }
        case::expected_jsonl(&lines)
    } else {
        format!("{} (and text no plugin writes)\n", text.trim_end())
    };
    std::fs::write(&path, broken).expect("write broken");
}

/// `weft plugin test` on `dir`: the per-case lines and the summary.
fn weft_plugin_test(plugin: &str, dir: &Path) -> (Option<i32>, String) {
    let cache = tempfile::tempdir().expect("tempdir");
    let out = weft(cache.path())
        .args(["plugin", "test"])
        .arg(plugin_path(plugin))
        .arg(dir)
        .output()
        .expect("run weft");
    let (stdout, stderr) = text(&out);
    (out.status.code(), format!("{stdout}{stderr}"))
}

/// The whole check for one plugin; `extra` writes its crafted cases.
/// Returns the expected file text of every case (by name), as blessed.
fn equivalent<P: weft_sdk::Plugin>(plugin: &str, extra: impl Fn(&Path)) -> Expected {
    let shipped = root().join("plugins").join(plugin).join("cases");
    let (engine, _cache) = engine();
    let component: Plugin = load(&engine, &plugin_path(plugin));
    let by_host = copy_cases(&shipped);
    let by_native = copy_cases(&shipped);
    extra(by_host.path());
    extra(by_native.path());

    // Crafted cases blessed by each runner write the same files.
    for c in unjudged(by_host.path()) {
        assert_eq!(
            cases::run_case(&component, &c, true).expect("host bless"),
            CaseReport::Blessed
        );
    }
    for c in unjudged(by_native.path()) {
        let result = testing::run_native::<P>(&c).expect("native run");
        assert_eq!(
            case::judge(&c, &result, true).expect("native bless"),
            CaseReport::Blessed
        );
    }
    let all = case::discover(by_host.path()).expect("cases");
    let mut blessed = Expected::new();
    for c in &all {
        let twin = case::discover(by_native.path())
            .expect("cases")
            .into_iter()
            .find(|t| t.name == c.name)
            .expect("same cases");
        assert_eq!(expected(c).1, expected(&twin).1, "{plugin} {}", c.name);
        blessed.insert(c.name.clone(), expected(c).1);
        // The same result both ways, case by case.
        let native = testing::run_native::<P>(c).expect("native run");
        let host = cases::case_result(&component, c).expect("host run");
        assert!(
            same(&native, &host),
            "{plugin} {}: native {native:?}\nhost {host:?}",
            c.name
        );
    }

    // Every case passes both ways: the host's blessings natively, the
    // native blessings under `weft plugin test`.
    for (name, report) in testing::run_cases::<P>(by_host.path(), false).expect("native") {
        assert_eq!(report, CaseReport::Pass, "{plugin} {name} natively");
    }
    let (code, out) = weft_plugin_test(plugin, by_native.path());
    assert_eq!(code, Some(0), "{plugin}: {out}");
    assert!(
        out.contains(&format!("{} passed, 0 failed", all.len())),
        "{plugin}: {out}"
    );

    // Every broken case fails both ways.
    for c in &all {
        break_expected(c);
    }
    for (name, report) in testing::run_cases::<P>(by_host.path(), false).expect("native") {
        assert!(
            matches!(report, CaseReport::Fail(_)),
            "{plugin} {name} broken passes natively"
        );
    }
    let (code, out) = weft_plugin_test(plugin, by_host.path());
    assert_eq!(code, Some(2), "{plugin}: {out}");
    assert!(
        out.contains(&format!("0 passed, {} failed", all.len())),
        "{plugin}: {out}"
    );
    blessed
}

/// Expected file texts by case name.
type Expected = std::collections::BTreeMap<String, String>;

/// The input of a shipped case.
fn shipped_input(plugin: &str, file: &str) -> Vec<u8> {
    std::fs::read(root().join("plugins").join(plugin).join("cases").join(file))
        .expect("shipped case input")
}

/// ISA06 (the sender) of an X12 interchange.
fn isa_sender(edi: &[u8]) -> String {
    let text = String::from_utf8_lossy(edi);
    let start = text.find("ISA").expect("ISA segment");
    let sep = text[start + 3..].chars().next().expect("element separator");
    text[start..]
        .split(sep)
        .nth(6)
        .expect("ISA06")
        .trim()
        .to_string()
}

#[test]
fn x12_cases_agree() {
    let e = equivalent::<x12::X12>("x12", |dir| {
        let strict = shipped_input("x12", "strict-850_edinet_bom-nbsp-short-isa.input.edi");
        craft(dir, "strict-yes", "edi", &strict, "strict = \"yes\"\n");
        craft(dir, "strict-1", "edi", &strict, "strict = 1\n");
        let po = shipped_input("x12", "850_x12types_004010.input.edi");
        craft(dir, "ack-no", "edi", &po, "ack = \"no\"\n");
        let sender = isa_sender(&po);
        craft(
            dir,
            "seeded",
            "edi",
            &po,
            &format!("[sequence]\n\"x12:{sender}:isa\" = 500\n\"x12:{sender}:gs\" = 77\n"),
        );
    });
    for strict in ["strict-yes", "strict-1"] {
        assert!(
            e[strict].ends_with("(fatal because strict = true)\n"),
            "{}",
            e[strict]
        );
    }
    assert!(!e["ack-no"].contains("x12.997"), "{}", e["ack-no"]);
    assert!(e["seeded"].contains("*000000500*"), "{}", e["seeded"]);
}

#[test]
fn edifact_cases_agree() {
    let e = equivalent::<edifact::Edifact>("edifact", |dir| {
        let input = shipped_input(
            "edifact",
            "strict-ORDERS_D96B_EAN008_staedi_with-UNG.input.edi",
        );
        craft(dir, "strict-on", "edi", &input, "strict = \"on\"\n");
        craft(dir, "strict-off", "edi", &input, "strict = \"off\"\n");
    });
    assert!(
        e["strict-on"].starts_with("invalid: "),
        "{}",
        e["strict-on"]
    );
    assert!(e["strict-off"].starts_with('{'), "{}", e["strict-off"]);
}

#[test]
fn enrich_master_data_cases_agree() {
    let e = equivalent::<enrich_master_data::EnrichMasterData>("enrich-master-data", |dir| {
        let input = shipped_input("enrich-master-data", "mapped-shopify-450789469.input.json");
        let config = std::fs::read_to_string(
            root().join("plugins/enrich-master-data/cases/mapped-shopify-450789469.config.toml"),
        )
        .expect("shipped config");
        craft(
            dir,
            "required-yes",
            "json",
            &input,
            &config.replace(
                "customer_required = \"true\"",
                "customer_required = \"yes\"",
            ),
        );
        // Without its tables, the same order is unmapped.
        let head = config.split("[lookup").next().unwrap_or_default();
        craft(dir, "no-tables", "json", &input, head);
    });
    assert_eq!(
        e["required-yes"], e["mapped-shopify-450789469"],
        "`yes` is `true`"
    );
    assert!(
        e["no-tables"].starts_with("invalid: "),
        "{}",
        e["no-tables"]
    );
}

#[test]
fn validate_order_cases_agree() {
    let e = equivalent::<validate_order::ValidateOrder>("validate-order", |dir| {
        let input = shipped_input("validate-order", "shopify-get-order-valid.input.json");
        let message = "[message]\nid = \"m-1\"\nkind = \"order.created\"\n";
        craft(
            dir,
            "repeated-headers",
            "json",
            &input,
            &format!("{message}headers = [[\"X-Trace\", \"1\"], [\"x-trace\", \"2\"]]\n"),
        );
        craft(
            dir,
            "plus-json",
            "json",
            &input,
            &format!("{message}content_type = \"application/vnd.weft.order+json\"\n"),
        );
        craft(dir, "binary", "bin", &[0xff, 0xfe, 0x00], message);
    });
    for (name, want) in [
        ("repeated-headers", r#""x-trace":["1","2"]"#),
        (
            "plus-json",
            r#""content_type":"application/vnd.weft.order+json""#,
        ),
        ("binary", "invalid: "),
    ] {
        assert!(e[name].contains(want), "{name}: {}", e[name]);
    }
}

#[test]
fn shopify_orders_cases_agree() {
    equivalent::<shopify_orders::ShopifyOrders>("shopify-orders", |_| {});
}

//! A multi-channel day through `weft up` in its default configuration
//! (private Redis, private PostgreSQL), asserted through the HTTP API:
//! real Shopify order 450789469 with its fulfillments, cancellation,
//! refund and transactions; an X12 850 → 855 → 856 → 810 chain of one PO
//! (the 850 and 810 are real and name the same PO; no real 855 or 856
//! for it exists, so they are derived at run time from real ones by
//! changing the PO number and item ids — the originals stay untouched);
//! real Amazon and WooCommerce orders. Then a late shipment restates the
//! earlier report, and exceptions clear when their event arrives.

use std::{path::Path, time::Duration};

use serde_json::Value;

use super::{
    bus_support::{lit, write_config, UpChild},
    ledger_support::Admin as Day,
    support::plugin_path,
};

fn config(data: &Path) -> String {
    let p = |n: &str| lit(&plugin_path(n));
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[host]
data_dir = {data}
consumer = "day"
[pipelines.shopify]
stages = [{{ plugin = {shopify} }}]
routes = {{ "*" = "sink:shop" }}
[pipelines.edi]
stages = [{{ plugin = {x12} }}]
routes = {{ "*" = "sink:edi" }}
[pipelines.amazon]
stages = [{{ plugin = {amazon} }}]
routes = {{ "*" = "sink:amz" }}
[pipelines.woo]
stages = [{{ plugin = {woo} }}]
routes = {{ "*" = "sink:woo" }}
[pipelines.adobe]
stages = [{{ plugin = {adobe} }}]
routes = {{ "*" = "sink:adobe" }}
[sinks.shop]
type = "stream"
[sinks.edi]
type = "stream"
[sinks.amz]
type = "stream"
[sinks.woo]
type = "stream"
[sinks.adobe]
type = "stream"
[ledger]
"#,
        data = lit(data),
        shopify = p("shopify-orders"),
        x12 = p("x12"),
        amazon = p("amazon-orders"),
        woo = p("woocommerce-orders"),
        adobe = p("adobe-commerce-orders"),
    )
}

impl Day {
    /// Waits until the channel report satisfies `want`, then once more for
    /// the last batches of the other streams.
    async fn settle(&self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.get("/v1/reports/channels").await;
            if want(&v) {
                // One more round: the last batches of every stream are in.
                tokio::time::sleep(Duration::from_millis(1500)).await;
                return self.get("/v1/reports/channels").await;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the ledger did not settle: {v}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

fn row<'a>(report: &'a Value, channel: &str) -> &'a Value {
    report["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["channel"] == channel)
        .unwrap_or_else(|| panic!("no {channel} row in {report}"))
}

fn derive(text: &str, swaps: &[(&str, &str)]) -> Vec<u8> {
    let mut t = text.to_string();
    for (a, b) in swaps {
        assert!(t.contains(a), "{a} is not in the source document");
        t = t.replace(a, b);
    }
    t.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_channel_day_reports_exact_figures_and_late_events_restate_it() {
    let shop = realdata_or_skip!("shopify");
    let x12 = realdata_or_skip!("x12");
    let amazon = realdata_or_skip!("amazon-sp-api");
    let woo = realdata_or_skip!("woocommerce");
    let adobe = realdata_or_skip!("magento");
    if weft_host::ledger::server::bindir().is_err() {
        println!("skipping: PostgreSQL is not installed (scripts/install-postgres.sh)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), &config(&tmp.path().join("data")));
    let up = UpChild::spawn(&cfg);
    let day = Day {
        http: reqwest::Client::new(),
        admin: up.admin.clone(),
    };
    let read = |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    for f in [
        "rest-2026-07_GET_order_450789469.json",
        "fulfillments-list_monei_450789469_emoji-newline-tracking.json",
        "fulfillment-cancel_monei_255858046_cancelled.json",
        "refund-create_monei_929361464_restock-refund-txn.json",
        "transactions-list_monei_450789469_auth-capture-refund.json",
    ] {
        day.post("shopify", "application/json", read(&shop, f))
            .await;
    }
    day.post(
        "amazon",
        "application/json",
        read(&amazon, "orders_2026-01-01_getOrder_example.json"),
    )
    .await;
    // Amazon's shipped ORDER_CHANGE notification, made (at run time, the
    // file stays as it is) to name the day's order and its item: 1 of 3.
    let shipped =
        std::fs::read_to_string(amazon.join("OrderChangeNotification_samples_BR_shipped.json"))
            .unwrap();
    day.post(
        "amazon",
        "application/json",
        derive(
            &shipped,
            &[
                ("701-1588164-9632243", "202-1234567-8901234"),
                ("148197599524161", "20212345678901"),
                ("\"132577\"", "\"ECHO-DOT-4-UK-CHARCOAL-3PACK\""),
            ],
        ),
    )
    .await;
    // WooCommerce: the orders list (723 is completed: a fulfilled
    // milestone without quantities) and 723's refunds (one with goods, a
    // return; one without, a credit).
    for f in [
        "wc-v3_orders_list.json",
        "wc-v3_order_723_refunds_list.json",
    ] {
        day.post("woo", "application/json", read(&woo, f)).await;
    }
    // Adobe Commerce: order 3 and its invoice.
    for f in [
        "adobe-commerce_V1_orders_3_get.json",
        "adobe-commerce_V1_invoices_3_get.json",
    ] {
        day.post("adobe", "application/json", read(&adobe, f)).await;
    }
    let edi = "application/edi-x12";
    day.post("edi", edi, read(&x12, "850_x12types_004010.edi"))
        .await;
    day.post(
        "edi",
        edi,
        read(&x12, "810-850_staedi_two-groups-mixed-versions.edi"),
    )
    .await;
    // A remittance (820) whose first invoice line names the PO, and a
    // return authorisation (180) for it: both derived at run time from
    // real documents by changing the PO number (the files stay as they are).
    let remit =
        std::fs::read_to_string(x12.join("820_oopfactory_safeway_adx-adjustments.edi")).unwrap();
    day.post(
        "edi",
        edi,
        derive(&remit, &[("REF*PO*999999999", "REF*PO*A99999-01")]),
    )
    .await;
    let rma = std::fs::read_to_string(x12.join("180_oopfactory_easistandards_b-for-blank-isa.edi"))
        .unwrap();
    day.post(
        "edi",
        edi,
        derive(&rma, &[("PRF*123456789", "PRF*A99999-01")]),
    )
    .await;
    let before = day
        .settle(|v| {
            v["channels"].as_array().is_some_and(|c| {
                c.iter().any(|r| {
                    r["channel"] == "x12" && r["invoiced_value"] != "0" && r["paid_value"] != "0"
                }) && c.iter().any(|r| r["channel"] == "shopify")
                    && c.iter().any(|r| r["channel"] == "woocommerce")
                    && c.iter()
                        .any(|r| r["channel"] == "amazon" && r["shipped_units"] != "0")
                    && c.iter()
                        .any(|r| r["channel"] == "adobe-commerce" && r["invoiced_value"] != "0")
            })
        })
        .await;
    println!("before: {before}");
    let po = "/v1/orders/A99999-01";
    let exc_before = day.get("/v1/exceptions?channel=x12").await;
    let kinds = |v: &Value, order: &str| -> Vec<String> {
        v["exceptions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["order"] == order)
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect()
    };
    let k = kinds(&exc_before, "x12:A99999-01");
    assert!(k.contains(&"invoiced_not_shipped".to_string()), "{k:?}");
    assert!(k.contains(&"acknowledgement_overdue".to_string()), "{k:?}");
    let t1 = weft_host::stamp::now_rfc3339();
    tokio::time::sleep(Duration::from_millis(50)).await;

    // Late: the acknowledgement and the shipment of the PO.
    let ack = std::fs::read_to_string(x12.join("855_nodex12.edi")).unwrap();
    day.post("edi", edi, derive(&ack, &[("POTEST1112", "A99999-01")]))
        .await;
    let asn = std::fs::read_to_string(x12.join("856_ediengine_crossdock.edi")).unwrap();
    let asn = derive(
        &asn,
        &[
            ("POREF00", "A99999-01"),
            ("POREF01", "A99999-01"),
            ("UP*0000000000642", "UP*002840022222"),
            ("EN*0000000000831", "UP*002840033333"),
            ("UP*0000000000283", "UP*002840044444"),
            ("UP*0000000000203", "UP*002840055555"),
        ],
    );
    day.post("edi", edi, asn).await;
    let after = day.settle(|v| row(v, "x12")["shipped_units"] != "0").await;
    println!("after: {after}");

    // The PO's timeline by its PO number shows all four documents.
    let order = day.get(po).await;
    let docs: Vec<&str> = order["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["doc"].as_str().unwrap())
        .collect();
    for d in ["order", "ack", "shipment", "invoice", "payment", "return"] {
        assert!(docs.contains(&d), "{d} missing from {docs:?}");
    }
    // The 180 authorised a return; nothing came back yet.
    assert!(
        order["order"]["return_authorized_at"].is_string(),
        "{order}"
    );
    assert_eq!(order["order"]["returned_value"], "0", "{order}");
    // Cleared by the late events.
    let k = kinds(
        &day.get("/v1/exceptions?channel=x12").await,
        "x12:A99999-01",
    );
    assert!(!k.contains(&"invoiced_not_shipped".to_string()), "{k:?}");
    assert!(!k.contains(&"acknowledgement_overdue".to_string()), "{k:?}");
    // As of t1 the report is restated exactly as it was, and the changes name the late events.
    let then = day.get(&format!("/v1/reports/channels?as_of={t1}")).await;
    assert_eq!(
        then["channels"], before["channels"],
        "as_of restates the earlier report"
    );
    let changes = day.get(&format!("/v1/reports/changes?since={t1}")).await;
    let arrived: Vec<&str> = changes["arrived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["doc"].as_str().unwrap())
        .collect();
    assert!(
        arrived.contains(&"shipment") && arrived.contains(&"ack"),
        "{arrived:?}"
    );
    exact_figures(&after);
    cli_and_openapi(&day, &cfg, &after).await;
    dashboard_in_chromium(&day, &after);
}

/// The dashboard in a real headless Chromium: the DOM it renders carries
/// the API's figures; a screenshot goes to `target/dashboard.png`.
fn dashboard_in_chromium(day: &Day, report: &Value) {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        assert!(
            std::env::var("WEFT_REQUIRE_CHROMIUM").is_err(),
            "chromium is required"
        );
        println!(
            "skipping the dashboard check: chromium is not installed (scripts/install-chromium.sh)"
        );
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let browse = |url: &str, extra: &[&str]| -> String {
        let mut cmd = std::process::Command::new("timeout");
        cmd.arg("60").arg(chromium).args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ]);
        cmd.arg(format!("--user-data-dir={}", profile.path().display()));
        let o = cmd.args(extra).arg(url).output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let dom = browse(&format!("{}/dashboard", day.admin), &["--dump-dom"]);
    for channel in ["shopify", "x12", "amazon", "woocommerce", "adobe-commerce"] {
        assert!(
            dom.contains(&format!("data-channel=\"{channel}\"")),
            "no {channel} card in {dom}"
        );
    }
    for (channel, key) in [
        ("x12", "net_sales"),
        ("shopify", "returned_value"),
        ("x12", "shipped_value"),
    ] {
        let v = row(report, channel)[key].as_str().unwrap().to_string();
        assert!(dom.contains(&v), "{channel} {key} {v} not on the scorecard");
    }
    assert!(dom.contains("<svg"), "sparklines are SVG");
    let page = browse(
        &format!("{}/dashboard/orders?q=A99999-01", day.admin),
        &["--dump-dom"],
    );
    assert!(
        page.contains("Order x12:A99999-01")
            && page.contains("740.40")
            && page.contains("shipment.dispatched"),
        "{page}"
    );
    let work = browse(
        &format!("{}/dashboard/exceptions?type=over_shipped", day.admin),
        &["--dump-dom"],
    );
    assert!(
        work.contains("over_shipped") && work.contains("/dashboard/orders/x12:A99999-01"),
        "{work}"
    );
    let shot = super::support::root().join("target/dashboard.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        &format!("{}/dashboard", day.admin),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,900",
            "--hide-scrollbars",
        ],
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
    println!("dashboard screenshot: {}", shot.display());
}

/// `weft report` reads the same ledger (found through `--config`: the
/// private PostgreSQL's URL file) and prints the API's answer; the OpenAPI
/// document lists every ledger route.
async fn cli_and_openapi(day: &Day, cfg: &Path, report: &Value) {
    let run = |args: &[&str]| {
        let o = super::bus_support::weft()
            .args(args)
            .arg("--config")
            .arg(cfg)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, json) = run(&["report", "channels", "--format", "json"]);
    assert_eq!(code, Some(0), "{json}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["channels"], report["channels"],
        "the CLI prints the API's report"
    );
    let (code, csv) = run(&["report", "channels", "--format", "csv"]);
    assert_eq!(code, Some(0));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("channel,currency,orders,gross,"),
        "{csv}"
    );
    assert_eq!(lines.count(), 5, "{csv}");
    let (code, table) = run(&["report", "order", "A99999-01"]);
    assert_eq!(code, Some(0), "{table}");
    assert!(
        table.contains("shipment") && table.contains("invoice"),
        "{table}"
    );
    assert_eq!(run(&["report", "order", "no-such-order"]).0, Some(2));
    let (code, exc) = run(&[
        "report",
        "exceptions",
        "--type",
        "over_shipped",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let exc: Value = serde_json::from_str(&exc).unwrap();
    assert!(exc["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type"] == "over_shipped"));
    let api = day.get("/v1/openapi.json").await;
    for path in [
        "/v1/reports/channels",
        "/v1/reports/changes",
        "/v1/orders",
        "/v1/orders/{id}",
        "/v1/exceptions",
    ] {
        assert!(
            api["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(api["components"]["schemas"].get("ChannelReport").is_some());
}

/// The day's figures, exactly. The real samples come from different
/// sources and eras, so they disagree where real systems do: the Shopify
/// fulfillment and refund name SKUs the order does not have (no fill,
/// returned money still counted), and the capture predates the order.
fn exact_figures(report: &Value) {
    let want: &[(&str, &str, &str)] = &[
        ("x12", "/orders", "2"),
        ("x12", "/gross", "2554.38"),
        ("x12", "/shipped_units", "60"),
        ("x12", "/shipped_value", "740.40"),
        ("x12", "/invoiced_value", "2554.38"),
        ("x12", "/net_sales", "2554.38"),
        ("x12", "/paid_value", "20430.34"),
        ("x12", "/returned_value", "0"),
        ("x12", "/fill_original/units", "0.1138"),
        ("x12", "/fill_revised/lines", "0.0909"),
        ("x12", "/fill_revised/orders", "0"),
        ("x12", "/time_to_invoice/median_s", "25920000"),
        ("x12", "/time_to_ship/median_s", "397612800"),
        ("shopify", "/orders", "1"),
        ("shopify", "/currency", "USD"),
        ("shopify", "/gross", "598.94"),
        ("shopify", "/shipped_units", "1"),
        ("shopify", "/invoiced_value", "250.94"),
        ("shopify", "/paid_value", "250.94"),
        ("shopify", "/returned_value", "199.65"),
        ("shopify", "/credited_value", "0"),
        ("shopify", "/net_sales", "51.29"),
        ("woocommerce", "/orders", "2"),
        ("woocommerce", "/gross", "68.35"),
        ("woocommerce", "/shipped_units", "2"),
        ("woocommerce", "/fill_revised/orders", "0.50"),
        ("woocommerce", "/returned_value", "9.00"),
        ("woocommerce", "/credited_value", "10.00"),
        ("adobe-commerce", "/orders", "1"),
        ("adobe-commerce", "/currency", "USD"),
        ("adobe-commerce", "/gross", "165.00"),
        ("adobe-commerce", "/invoiced_value", "165.00"),
        ("adobe-commerce", "/net_sales", "165.00"),
        ("adobe-commerce", "/time_to_invoice/count", "1"),
        ("amazon", "/orders", "1"),
        ("amazon", "/currency", "GBP"),
        ("amazon", "/gross", "103.97"),
        ("amazon", "/shipped_units", "1"),
        ("amazon", "/fill_revised/units", "0.3333"),
        ("amazon", "/fill_revised/orders", "0"),
    ];
    for (channel, pointer, value) in want {
        let got = row(report, channel)
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let got = match got {
            Value::String(s) => s,
            v => v.to_string(),
        };
        assert_eq!(&got, value, "{channel}{pointer}");
    }
    assert_eq!(report["channels"].as_array().unwrap().len(), 5, "{report}");
}

//! Helpers for ledger tests: a private PostgreSQL with a database per
//! test, and the canonical events of a multi-channel day.

use std::path::Path;

use serde_json::Value;
use weft_host::Message;

/// A private PostgreSQL cluster in a temp dir, stopped on drop.
pub struct TestPostgres {
    server: weft_host::ledger::server::PrivatePostgres,
    _dir: tempfile::TempDir,
}

impl TestPostgres {
    /// Starts one; `None` (with a printed reason) when PostgreSQL is not installed.
    pub fn start() -> Option<TestPostgres> {
        if weft_host::ledger::server::bindir().is_err() {
            println!("skipping: PostgreSQL is not installed (scripts/install-postgres.sh)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let server = weft_host::ledger::server::PrivatePostgres::start(&dir.path().join("pg"))
            .expect("private PostgreSQL");
        Some(TestPostgres { server, _dir: dir })
    }

    /// The URL of the server's default database.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// A new empty database `name`; its URL.
    pub async fn database(&self, name: &str) -> String {
        let (client, conn) = tokio_postgres::connect(&self.url(), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let base = self.url();
        let (prefix, _) = base.rsplit_once('/').unwrap();
        format!("{prefix}/{name}")
    }
}

/// The plugin outputs (case folders: real inputs, exact outputs) that make
/// up the day: Shopify, X12, Amazon and WooCommerce orders and what
/// followed them.
pub const DAY: &[&str] = &[
    "shopify-orders/cases/get-order-450789469.expected.jsonl",
    "shopify-orders/cases/create-discount-addresses.expected.jsonl",
    "shopify-orders/cases/webhook-orders-updated.expected.jsonl",
    "x12/cases/850_x12types_004010.expected.jsonl",
    "x12/cases/810-850_staedi_two-groups-mixed-versions.expected.jsonl",
    "x12/cases/855_nodex12.expected.jsonl",
    "x12/cases/856_ediengine_crossdock.expected.jsonl",
    "x12/cases/810_oopfactory_multi-invoice_00403.expected.jsonl",
    "amazon-orders/cases/getorder-2026-uk.expected.jsonl",
    "amazon-orders/cases/order-change-buyer-cancel-request.expected.jsonl",
    "woocommerce-orders/cases/list-orders-727-723.expected.jsonl",
    "woocommerce-orders/cases/webhook-order-updated-727.expected.jsonl",
];

/// The later lifecycle documents of the day, when their cases exist.
pub const LIFECYCLE: &[&str] = &[
    "shopify-orders/cases/fulfillments-list-450789469.expected.jsonl",
    "shopify-orders/cases/fulfillment-cancel-255858046.expected.jsonl",
    "shopify-orders/cases/refund-create-929361464.expected.jsonl",
    "shopify-orders/cases/transactions-auth-capture-refund-450789469.expected.jsonl",
    "shopify-orders/cases/fulfillment-create-1073459976.expected.jsonl",
];

/// Messages of `files` (under `plugins/`) that exist.
pub fn messages(files: &[&str]) -> Vec<Message> {
    let plugins = super::support::root().join("plugins");
    let mut out = Vec::new();
    for f in files {
        let p = plugins.join(f);
        if !Path::new(&p).exists() {
            continue;
        }
        for line in std::fs::read_to_string(&p).unwrap().lines() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(Message::from_json_line(&v).unwrap());
        }
    }
    out
}

/// Every message of the day.
pub fn day_messages() -> Vec<Message> {
    let mut m = messages(DAY);
    m.extend(messages(LIFECYCLE));
    m
}

/// A running `weft up`'s admin server, as an HTTP client sees it.
pub struct Admin {
    /// The client.
    pub http: reqwest::Client,
    /// The admin server's base URL.
    pub admin: String,
}

impl Admin {
    /// Posts `body` to `/ingest/{pipeline}`; it must be queued (202).
    pub async fn post(&self, pipeline: &str, ct: &str, body: Vec<u8>) {
        let r = self
            .http
            .post(format!("{}/ingest/{pipeline}", self.admin))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status().as_u16(),
            202,
            "{}",
            r.text().await.unwrap_or_default()
        );
    }
    /// GETs `path`; it must succeed; its JSON body.
    pub async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.admin))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }
}

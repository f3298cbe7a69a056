//! The signatures below were computed outside this code, with
//! `openssl dgst -sha256 -hmac weft-webhook-test-secret -binary FILE | base64`
//! (or without `-binary | base64` for hex), over real channel documents
//! kept in the plugins' case folders (origins in their `SOURCES.md`).

use std::path::Path;

use axum::http::{HeaderMap, HeaderValue};

use super::{Rejection, Verifier};
use crate::config::auth::IngestAuth;

const SECRET: &str = "weft-webhook-test-secret";
/// `plugins/shopify-orders/cases/webhook-orders-updated.input.json`.
const SHOPIFY_SIGNATURE: &str = "/2EY7wix73e6zk0GScSyd1o/C88OElPho8LwW0c+Dvw=";
/// `plugins/woocommerce-orders/cases/retrieve-order-727.input.json`.
const WOO_SIGNATURE: &str = "Y5IwyL2VJOZtU21q/wf5NnbwHgbGdVK7WhHQyJMsfAk=";
const WOO_SIGNATURE_HEX: &str = "639230c8bd9524e66d536d6aff07f93676f01e06c67552bb5a11d0c8932c7c09";

fn case(plugin: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plugins")
        .join(plugin)
        .join("cases")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn verifier(toml_text: &str, secrets: &[&str]) -> Verifier {
    let mut auth: IngestAuth = toml::from_str(toml_text).expect("auth parses");
    auth.resolve(Path::new(".")).expect("auth is valid");
    Verifier::new(
        &auth,
        secrets.iter().map(|s| s.as_bytes().to_vec()).collect(),
    )
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).expect("header value"));
    }
    h
}

#[test]
fn shopify_signature_of_the_real_order() {
    let body = case("shopify-orders", "webhook-orders-updated.input.json");
    let v = verifier("scheme = \"shopify\"\nsecret_env = \"X\"", &[SECRET]);
    assert_eq!(v.header(), "x-shopify-hmac-sha256");
    let good = headers(&[("x-shopify-hmac-sha256", SHOPIFY_SIGNATURE)]);
    assert_eq!(v.check(&good, &body), Ok(()));
    // One byte of the body changed.
    let mut tampered = body.clone();
    tampered[100] ^= 1;
    assert_eq!(v.check(&good, &tampered), Err(Rejection::Mismatch));
    // Another app's secret.
    let other = verifier("scheme = \"shopify\"\nsecret_env = \"X\"", &["another"]);
    assert_eq!(other.check(&good, &body), Err(Rejection::Mismatch));
    assert_eq!(v.check(&HeaderMap::new(), &body), Err(Rejection::Missing));
    let garbage = headers(&[("x-shopify-hmac-sha256", "not base64!")]);
    assert_eq!(v.check(&garbage, &body), Err(Rejection::Malformed));
    // Base64 of the wrong length is no signature either.
    let short = headers(&[("x-shopify-hmac-sha256", "c2hvcnQ=")]);
    assert_eq!(v.check(&short, &body), Err(Rejection::Malformed));
}

#[test]
fn woocommerce_signature_and_rotated_secrets() {
    let body = case("woocommerce-orders", "retrieve-order-727.input.json");
    let good = headers(&[("x-wc-webhook-signature", WOO_SIGNATURE)]);
    let v = verifier("scheme = \"woocommerce\"\nsecret_env = \"X\"", &[SECRET]);
    assert_eq!(v.check(&good, &body), Ok(()));
    // During a rotation both the new and the old secret are accepted.
    let rotating = verifier(
        "scheme = \"woocommerce\"\nsecret_env = \"X\"",
        &["the-new-secret", SECRET],
    );
    assert_eq!(rotating.check(&good, &body), Ok(()));
    // Shopify's header is not WooCommerce's.
    let wrong_header = headers(&[("x-shopify-hmac-sha256", WOO_SIGNATURE)]);
    assert_eq!(v.check(&wrong_header, &body), Err(Rejection::Missing));
}

#[test]
fn generic_hmac_in_hex_with_a_prefix() {
    let body = case("woocommerce-orders", "retrieve-order-727.input.json");
    let v = verifier(
        "scheme = \"hmac\"\nsecret_env = \"X\"\nheader = \"X-Signature\"\nprefix = \"sha256=\"",
        &[SECRET],
    );
    let good = format!("sha256={WOO_SIGNATURE_HEX}");
    assert_eq!(v.check(&headers(&[("x-signature", &good)]), &body), Ok(()));
    let upper = format!("sha256={}", WOO_SIGNATURE_HEX.to_uppercase());
    assert_eq!(v.check(&headers(&[("x-signature", &upper)]), &body), Ok(()));
    let no_prefix = headers(&[("x-signature", WOO_SIGNATURE_HEX)]);
    assert_eq!(v.check(&no_prefix, &body), Err(Rejection::Malformed));
    // RFC 4231, test case 2: key "Jefe".
    let rfc = verifier(
        "scheme = \"hmac\"\nsecret_env = \"X\"\nheader = \"X-Sig\"\nencoding = \"hex\"",
        &["Jefe"],
    );
    let sig = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert_eq!(
        rfc.check(&headers(&[("x-sig", sig)]), b"what do ya want for nothing?"),
        Ok(())
    );
}

#[test]
fn bearer_tokens() {
    let v = verifier(
        "scheme = \"bearer\"\nsecret_env = \"X\"",
        &["partner-token-1", "internal-2"],
    );
    let ok = |value: &str| v.check(&headers(&[("authorization", value)]), b"ISA*00*...");
    assert_eq!(ok("Bearer partner-token-1"), Ok(()));
    assert_eq!(ok("bearer internal-2"), Ok(()));
    assert_eq!(ok("Bearer partner-token-2"), Err(Rejection::Mismatch));
    assert_eq!(ok("Bearer partner-token-1x"), Err(Rejection::Mismatch));
    assert_eq!(ok("Basic cGFydG5lcg=="), Err(Rejection::Malformed));
    assert_eq!(ok("Bearer "), Err(Rejection::Malformed));
    assert_eq!(v.check(&HeaderMap::new(), b""), Err(Rejection::Missing));
}

#[test]
fn secrets_come_from_a_file_one_per_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("shopify.secret");
    std::fs::write(&file, format!("\n  {SECRET}  \r\n\n")).expect("write");
    let mut auth: IngestAuth =
        toml::from_str("scheme = \"shopify\"\nsecret_file = \"shopify.secret\"").expect("parses");
    auth.resolve(dir.path()).expect("valid");
    let v = Verifier::load(&auth).expect("loads");
    let body = case("shopify-orders", "webhook-orders-updated.input.json");
    let good = headers(&[("x-shopify-hmac-sha256", SHOPIFY_SIGNATURE)]);
    assert_eq!(v.check(&good, &body), Ok(()));
    // The secret never shows in what the check prints.
    assert!(!format!("{v:?}").contains(SECRET));
    std::fs::write(&file, "\n\n").expect("write");
    let e = Verifier::load(&auth).unwrap_err().to_string();
    assert!(e.contains("holds no secret"), "{e}");
    let mut missing: IngestAuth =
        toml::from_str("scheme = \"shopify\"\nsecret_env = \"WEFT_TEST_NO_SUCH_VARIABLE\"")
            .expect("parses");
    missing.resolve(dir.path()).expect("valid");
    let e = Verifier::load(&missing).unwrap_err().to_string();
    assert_eq!(
        e,
        "environment variable WEFT_TEST_NO_SUCH_VARIABLE is not set"
    );
}

//! HTTPS on the admin server: `[admin] tls_cert` and `tls_key` (a
//! self-signed certificate made for the test).

use reqwest::{redirect, StatusCode};

use super::{
    bus_support::{lit, write_config},
    support::guest_path,
};

const RD: &str = "tok-read-tls-5c1d";

/// `[admin] tls_cert`/`tls_key`: the server speaks HTTPS only, and the
/// dashboard's session cookie is `Secure`; a key that is not the
/// certificate's stops the start with the files named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_server_speaks_https_with_a_configured_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), cert.key_pair.serialize_pem()).unwrap();
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    std::fs::write(dir.join("other-key.pem"), other.key_pair.serialize_pem()).unwrap();
    let redis = super::bus_support::TestRedis::start();
    let text = |key: &str| {
        format!(
            "[redis]\nurl = \"{}\"\n[admin]\nlisten = \"127.0.0.1:0\"\ntls_cert = \"cert.pem\"\ntls_key = \"{key}\"\n[[admin.tokens]]\nid = \"rd\"\nscopes = [\"read\"]\ntoken_file = \"read.token\"\n[pipelines.p]\nstages = [{{ plugin = {} }}]\nroutes = {{ \"*\" = \"sink:out\" }}\n[sinks.out]\ntype = \"file\"\ndir = {}\n",
            redis.url(),
            lit(&guest_path("guest-echo")),
            lit(&dir.join("out")),
        )
    };
    std::fs::write(dir.join("read.token"), RD).unwrap();

    let wrong = weft_host::config::load(&write_config(dir, &text("other-key.pem"))).unwrap();
    let e = super::support::up(wrong)
        .await
        .err()
        .expect("a mismatched key is refused");
    let chain = format!(
        "{e}: {}",
        std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(
        chain.contains("tls_cert / tls_key") && chain.contains("cannot be used together"),
        "{chain}"
    );

    let cfg = weft_host::config::load(&write_config(dir, &text("key.pem"))).unwrap();
    let up = super::support::up(cfg).await.unwrap();
    assert!(up.tls);
    let port = up.admin.port();
    let https = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}");
    let health = https.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let refused = https.get(format!("{base}/v1/audit")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let read = https
        .get(format!("{base}/v1/audit"))
        .bearer_auth(RD)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    // Plain HTTP gets no answer from an HTTPS port.
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.is_err(), "plain HTTP was answered: {plain:?}");
    // Signing in sets a Secure cookie (no ledger here: the page itself
    // would 404, the sign-in does not need it).
    let login = https
        .post(format!("{base}/dashboard/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={RD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    up.stop().await.unwrap();
}

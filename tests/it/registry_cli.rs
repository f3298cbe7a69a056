//! The `weft registry`, `weft publish`, `weft deploy`, `weft rollback` and
//! `weft plugins` commands against a registry on 127.0.0.1:0.

use serde_json::Value;

use super::{
    registry::Registry,
    support::{guest_path, text},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_commands_create_tokens_keys_and_publish() {
    let reg = Registry::start(8 << 20).await;
    let weft = || std::process::Command::new(env!("CARGO_BIN_EXE_weft"));
    let keyfile = reg.dir.path().join("pub.key");
    let out = weft()
        .args(["registry", "keygen", "--out"])
        .arg(&keyfile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let public = text(&out).0.trim().to_string();
    assert_eq!(public.len(), 64);
    let out = weft()
        .args(["registry", "key", "add", "acme", &public, "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let out = weft()
        .args([
            "registry",
            "token",
            "create",
            "--scope",
            "publish:acme",
            "--data",
        ])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    let token = text(&out).0.trim().to_string();
    assert!(token.starts_with("weft_"), "{:?}", text(&out));
    let out = weft()
        .args(["registry", "token", "create", "--scope", "root", "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    let out = weft()
        .arg("publish")
        .arg(guest_path("guest-echo"))
        .args([
            "--namespace",
            "acme",
            "--registry",
            &reg.url,
            "--token",
            &token,
            "--key",
        ])
        .arg(&keyfile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let meta: Value = serde_json::from_str(&text(&out).0).unwrap();
    assert_eq!(
        (meta["name"].as_str(), meta["version"].as_str()),
        (Some("guest-echo"), Some("1.2.3"))
    );
    let out = weft()
        .arg("publish")
        .arg(guest_path("guest-echo"))
        .args([
            "--namespace",
            "other",
            "--registry",
            &reg.url,
            "--token",
            &token,
            "--key",
        ])
        .arg(&keyfile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("403"), "{:?}", text(&out));

    let deploy = reg.token(&["deploy"]);
    let conn = ["--registry", reg.url.as_str(), "--token", deploy.as_str()];
    let out = weft()
        .args(["deploy", "shop", "validate", "acme/guest-echo@1.2.3"])
        .args(conn)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let out = weft()
        .args([
            "deploy",
            "shop",
            "validate",
            "acme/guest-echo@1.2.3",
            "--canary",
            "acme/guest-echo@1.2.3",
            "--percent",
            "10",
        ])
        .args(conn)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let out = weft()
        .args(["rollback", "shop", "validate"])
        .args(conn)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let d: Value = serde_json::from_str(&text(&out).0).unwrap();
    assert!(d["canary"].is_null(), "{d}");
    let out = weft()
        .args(["deploy", "shop", "validate", "acme/nope@1.0.0"])
        .args(conn)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Key rotation: the old key can be removed (once).
    let out = weft()
        .args(["registry", "key", "remove", "acme", &public, "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(reg.store.keys("acme").unwrap().is_empty());
    let out = weft()
        .args(["registry", "key", "remove", "acme", &public, "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = weft().arg("plugins").args(conn).output().unwrap();
    assert!(
        text(&out)
            .0
            .contains("acme/guest-echo@1.2.3  weft:plugin/transform@0.1.0"),
        "{:?}",
        text(&out)
    );
}

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
    // The audit trail: key and token changes by the operator, the publish
    // by its token; refused commands changed nothing and are not there.
    let out = weft()
        .env("WEFT_OPERATOR", "ops-bob")
        .args(["registry", "audit", "--json", "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let rows: Vec<serde_json::Value> = text(&out)
        .0
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = rows
        .iter()
        .rev()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "key.add",
            "token.create",
            "publish",
            "deploy",
            "deploy",
            "rollback",
            "deploy",
            "key.remove"
        ],
        "{rows:?}"
    );
    let publish = &rows[5];
    assert_eq!(publish["target"], "acme/guest-echo@1.2.3");
    assert!(
        publish["who"].as_str().unwrap().starts_with("token:"),
        "{publish}"
    );
    // Local commands are the operator's; a token itself is never written.
    for r in [&rows[0], &rows[6], &rows[7]] {
        assert!(!r["who"].as_str().unwrap().starts_with("token:"), "{r}");
    }
    assert!(
        rows[0]["target"].as_str().unwrap().starts_with("acme "),
        "{rows:?}"
    );
    assert!(
        !text(&out).0.contains("weft_"),
        "no token in the trail: {rows:?}"
    );
    let out = weft()
        .args(["registry", "audit", "--action", "key", "--data"])
        .arg(reg.dir.path())
        .output()
        .unwrap();
    assert_eq!(text(&out).0.lines().count(), 2, "{:?}", text(&out));
}

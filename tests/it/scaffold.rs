//! `weft plugin new` scaffolds for each role build to components that pass
//! `weft plugin test` as generated.

use std::process::Command;

use super::support::{root, text, weft};

#[test]
fn scaffolds_build_and_pass_their_cases() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // Share the guest target dir so the SDK and wit-bindgen are not rebuilt.
    let target = std::env::var_os("WEFT_WASM_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target/wasm"));
    for (name, role) in [
        ("acme-source", "source"),
        ("acme-transform", "transform"),
        ("acme-sink", "sink"),
    ] {
        let dir = work.path().join(name);
        let out = weft(cache.path())
            .args(["plugin", "new", name, "--role", role, "--dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
        assert!(text(&out).0.contains("created"), "{:?}", text(&out));

        let build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--release"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        assert!(
            build.status.success(),
            "{name} does not build: {}",
            text(&build).1
        );

        let wasm = target.join(format!(
            "wasm32-wasip2/release/{}.wasm",
            name.replace('-', "_")
        ));
        let out = weft(cache.path())
            .args(["plugin", "test"])
            .arg(&wasm)
            .arg(dir.join("cases"))
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {stdout}{stderr}");
        assert_eq!(
            stdout.lines().last(),
            Some("1 passed, 0 failed"),
            "{name}: {stdout}"
        );

        let out = weft(cache.path())
            .args(["plugin", "inspect", "--json"])
            .arg(&wasm)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["world"], format!("weft:plugin/{role}@0.1.0"));
        assert_eq!(v["describe"]["name"], name);
    }
    // An existing directory is never overwritten.
    let out = weft(cache.path())
        .args(["plugin", "new", "acme-sink", "--role", "sink", "--dir"])
        .arg(work.path().join("acme-sink"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("not empty"));
}

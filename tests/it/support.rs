//! Shared helpers: paths to built components and real data, engines, the binary.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    time::Duration,
};

use weft_host::{Engine, EngineConfig, Plugin};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("repo root")
}

/// `../shared/realdata/<sub>` next to the checkout, or `None` with a
/// printed reason when the real sample data is absent (see the
/// `realdata_or_skip!` macro in tests/it.rs).
pub fn realdata(sub: &str) -> Option<PathBuf> {
    let p = root().join("../shared/realdata").join(sub);
    if p.exists() {
        Some(p)
    } else {
        println!(
            "skipping: {} is absent (the real sample data folder)",
            p.display()
        );
        None
    }
}

fn artifact(dir: &str, name: &str) -> PathBuf {
    let p = root().join("target").join(dir).join(format!("{name}.wasm"));
    assert!(
        p.exists(),
        "{} is missing: run scripts/build-wasm.sh (the README test command does)",
        p.display()
    );
    p
}

/// A shipped plugin, `target/plugins/<name>.wasm`.
pub fn plugin_path(name: &str) -> PathBuf {
    artifact("plugins", name)
}

/// An edge-case guest, `target/test-guests/<name>.wasm`.
pub fn guest_path(name: &str) -> PathBuf {
    artifact("test-guests", name)
}

/// An engine with a private cache dir and the given deadline and memory cap.
pub fn engine_with(deadline: Duration, memory_limit: usize, cache: &Path) -> Engine {
    Engine::new(EngineConfig {
        deadline,
        memory_limit,
        cache_dir: Some(cache.to_path_buf()),
        ..EngineConfig::default()
    })
    .expect("engine")
}

/// An engine with default limits and a throw-away cache.
pub fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    (
        engine_with(Duration::from_secs(1), 64 << 20, dir.path()),
        dir,
    )
}

/// Loads a component into `engine`.
pub fn load(engine: &Engine, path: &Path) -> Plugin {
    engine
        .load_file(path)
        .unwrap_or_else(|e| panic!("load {}: {e}", path.display()))
}

/// The `weft` binary with a private cache dir.
pub fn weft(cache: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    c.env("WEFT_CACHE_DIR", cache)
        .env_remove("WEFT_LOG")
        .current_dir(root());
    c
}

/// Stdout and stderr as text.
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `weft up` as the command runs it: stages naming a registry version come
/// from the configuration's `[registry]`.
pub async fn up(
    cfg: weft_host::config::Config,
) -> Result<weft_host::ops::UpHandle, weft_host::ops::OpsError> {
    let source = weft_registry::client::source(&cfg);
    weft_host::ops::up(cfg, source).await
}

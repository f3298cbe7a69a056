//! Compiled-code cache: `<dir>/<sha256 of the component>-<engine hash>.cwasm`.
//!
//! The engine hash covers the wasmtime version and every setting that
//! affects compiled code, so a cache shared by different builds never hands
//! one of them incompatible code. Files are written atomically (temp file +
//! rename); an unreadable or stale entry is recompiled and replaced.

use std::{
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
};

use wasmtime::component::Component;

use super::LoadError;

/// Where a plugin's compiled code came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Compiled now; no cache configured.
    Disabled,
    /// Compiled now and written to the cache.
    Compiled,
    /// Loaded from the cache without compiling.
    Hit,
}

fn entry(engine: &wasmtime::Engine, dir: &Path, sha256: &str) -> PathBuf {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    dir.join(format!("{sha256}-{:016x}.cwasm", h.finish()))
}

/// Returns the compiled component, from the cache when possible.
pub(crate) fn compile(
    engine: &wasmtime::Engine,
    dir: Option<&Path>,
    sha256: &str,
    bytes: &[u8],
) -> Result<(Component, CacheOutcome), LoadError> {
    let Some(dir) = dir else {
        return Ok((from_binary(engine, bytes)?, CacheOutcome::Disabled));
    };
    let path = entry(engine, dir, sha256);
    // Read into memory rather than mapping the file: a mapped file that is
    // truncated underneath a running host would crash it (SIGBUS).
    if let Ok(cached) = std::fs::read(&path) {
        #[expect(
            unsafe_code,
            reason = "wasmtime's only way to load precompiled code is `unsafe` by contract"
        )]
        // SAFETY: the cache directory belongs to this host; entries are only
        // written by `store` below, named by the component's digest and this
        // engine's compatibility hash, and wasmtime checks the header.
        match unsafe { Component::deserialize(engine, &cached) } {
            Ok(c) => return Ok((c, CacheOutcome::Hit)),
            // Over this engine's limits: compiling again would say the same.
            Err(e) if format!("{e:#}").contains("pooling allocator") => {
                return Err(refused(&format!("{e:#}")))
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), "ignoring unusable cache entry: {e:#}")
            }
        }
    }
    let component = from_binary(engine, bytes)?;
    if let Err(e) = store(&component, dir, &path) {
        tracing::warn!(path = %path.display(), "cannot write compiled-code cache: {e:#}");
        return Ok((component, CacheOutcome::Disabled));
    }
    Ok((component, CacheOutcome::Compiled))
}

fn from_binary(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<Component, LoadError> {
    if bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[4..8] == [1, 0, 0, 0] {
        return Err(LoadError::NotAComponent(
            "this is a core WebAssembly module; build a component (target wasm32-wasip2)".into(),
        ));
    }
    Component::from_binary(engine, bytes).map_err(|e| refused(&format!("{e:#}")))
}

/// The error of a component wasmtime would not take: over the pool's
/// limits (wasmtime says "… in the pooling allocator" / "… pooling
/// allocator requirements"), the reason with the setting to raise;
/// anything else is not a component.
fn refused(reason: &str) -> LoadError {
    if !reason.contains("pooling allocator") {
        return LoadError::NotAComponent(reason.to_string());
    }
    let first = reason.lines().next().unwrap_or_default().trim();
    let setting = if first.contains("core module instances") {
        "EngineConfig::pool.core_instances_per_component ([pool] in weft.toml, --max-core-instances)"
    } else if first.contains("linear memories") {
        "EngineConfig::pool.memories_per_component ([pool], --max-memories)"
    } else if first.contains("tables") {
        "EngineConfig::pool.tables_per_component ([pool], --max-tables)"
    } else if first.contains("memory") {
        "the memory cap (EngineConfig::memory_limit, --memory-mb)"
    } else {
        "the engine's pool limits"
    };
    LoadError::Limits(format!("{}; raise {setting}", reason.replace('\n', " ")))
}

fn store(component: &Component, dir: &Path, path: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let bytes = component
        .serialize()
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_refusals_name_the_setting_to_raise() {
        let e = refused("The component transitively contains 12 core module instances, which exceeds the configured maximum of 4 in the pooling allocator");
        assert!(
            matches!(&e, LoadError::Limits(m) if m.contains("12 core module instances") && m.contains("raise EngineConfig::pool.core_instances_per_component")),
            "{e}"
        );
        let e = refused("The component transitively contains 3 Wasm linear memories, which exceeds the configured maximum of 1 in the pooling allocator");
        assert!(e.to_string().contains("pool.memories_per_component"), "{e}");
        let e = refused("module memory does not fit in pooling allocator requirements\nmemory index 0 has a minimum page size of 400");
        assert!(e.to_string().contains("--memory-mb"), "{e}");
        assert!(matches!(
            refused("bad magic number"),
            LoadError::NotAComponent(_)
        ));
    }
}

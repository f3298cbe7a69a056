//! `weft plugin inspect`: what a component is and what it says about itself.

use serde::Serialize;

use crate::{engine::CONTRACT_VERSION, Plugin};

/// Everything `inspect` reports.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The file inspected.
    pub path: String,
    /// Size in bytes.
    pub size: usize,
    /// Hex sha256 of the bytes.
    pub sha256: String,
    /// e.g. `weft:plugin/transform@0.1.0`.
    pub world: String,
    /// The `weft:plugin` package version.
    pub contract_version: &'static str,
    /// `describe()` output.
    pub describe: Describe,
    /// Import names.
    pub imports: Vec<String>,
    /// Export names.
    pub exports: Vec<String>,
    /// `compiled`, `cache-hit` or `no-cache`.
    pub compiled_code: &'static str,
}

/// `describe()` output.
#[derive(Debug, Serialize)]
pub struct Describe {
    /// Plugin name.
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Role.
    pub role: String,
    /// One-line description.
    pub summary: String,
    /// Accepted kinds.
    pub accepts: Vec<String>,
    /// Emitted kinds.
    pub emits: Vec<String>,
}

/// Builds the report for a loaded plugin.
pub fn report(path: &str, plugin: &Plugin) -> Report {
    let info = plugin.info();
    Report {
        path: path.to_string(),
        size: plugin.size(),
        sha256: plugin.sha256().to_string(),
        world: plugin.role().world(),
        contract_version: CONTRACT_VERSION,
        describe: Describe {
            name: info.name.clone(),
            version: info.version.clone(),
            role: plugin.role().to_string(),
            summary: info.summary.clone(),
            accepts: info.accepts.clone(),
            emits: info.emits.clone(),
        },
        imports: plugin.summary().imports.clone(),
        exports: plugin.summary().exports.clone(),
        compiled_code: match plugin.cache() {
            crate::engine::CacheOutcome::Hit => "cache-hit",
            crate::engine::CacheOutcome::Compiled => "compiled",
            crate::engine::CacheOutcome::Disabled => "no-cache",
        },
    }
}

impl Report {
    /// Human-readable form.
    pub fn to_text(&self) -> String {
        let d = &self.describe;
        let list = |v: &[String]| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.join(", ")
            }
        };
        let mut s = String::new();
        s.push_str(&format!("file:      {}\n", self.path));
        s.push_str(&format!("size:      {} bytes\n", self.size));
        s.push_str(&format!("sha256:    {}\n", self.sha256));
        s.push_str(&format!("world:     {}\n", self.world));
        s.push_str(&format!(
            "plugin:    {}@{} ({})\n",
            d.name, d.version, d.role
        ));
        if !d.summary.is_empty() {
            s.push_str(&format!("summary:   {}\n", d.summary));
        }
        s.push_str(&format!("accepts:   {}\n", list(&d.accepts)));
        s.push_str(&format!("emits:     {}\n", list(&d.emits)));
        s.push_str(&format!("code:      {}\n", self.compiled_code));
        s.push_str("imports:\n");
        for i in &self.imports {
            s.push_str(&format!("  {i}\n"));
        }
        s.push_str("exports:\n");
        for e in &self.exports {
            s.push_str(&format!("  {e}\n"));
        }
        s
    }
}

//! `weft plugin new`: a plugin (a Rust crate here; Python or JavaScript
//! in [`other`]) that builds and passes `weft plugin test` as generated.

pub mod other;

use std::path::{Path, PathBuf};

use super::HarnessError;
use crate::Role;

/// The language of a new plugin (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// A crate on the Rust SDK (`sdk/`).
    Rust,
    /// A package on the Python SDK (`sdk-python/`, componentize-py).
    Python,
    /// A module on the JavaScript SDK (`sdk-js/`, componentize-js).
    Js,
}

impl Lang {
    /// `rust`, `python` (or `py`), `js` (or `javascript`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "rust" => Some(Lang::Rust),
            "python" | "py" => Some(Lang::Python),
            "js" | "javascript" => Some(Lang::Js),
            _ => None,
        }
    }
}

/// The SDK path of the checkout this binary was built from, if it still exists.
pub fn default_sdk_path() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk");
    p.join("Cargo.toml")
        .exists()
        .then(|| p.canonicalize().ok())
        .flatten()
}

/// Writes a new plugin crate `name` of `role` into `dir`, depending on the
/// SDK at `sdk`. Returns the files written.
pub fn scaffold(
    name: &str,
    role: Role,
    dir: &Path,
    sdk: &Path,
) -> Result<Vec<PathBuf>, HarnessError> {
    check_target(name, dir)?;
    let sdk = sdk.canonicalize().map_err(|source| HarnessError::NoSdk {
        path: sdk.to_path_buf(),
        source,
    })?;
    let ident = ident(name);
    let (accepts, emits, body) = match role {
        Role::Source => (r#"["raw"]"#, r#"["example.received"]"#, SOURCE_BODY),
        Role::Transform => (r#"["*"]"#, r#"["*"]"#, TRANSFORM_BODY),
        Role::Sink => (r#"["*"]"#, r#"["http.request"]"#, SINK_BODY),
    };
    let lib = LIB_TEMPLATE
        .replace("@BODY@", body)
        .replace("@IDENT@", &ident)
        .replace("@NAME@", name)
        .replace(
            "@ROLE_VARIANT@",
            match role {
                Role::Source => "Source",
                Role::Transform => "Transform",
                Role::Sink => "Sink",
            },
        )
        .replace("@ROLE@", role.as_str())
        .replace("@ACCEPTS@", accepts)
        .replace("@EMITS@", emits);
    let cargo = CARGO_TEMPLATE
        .replace("@NAME@", name)
        .replace("@SDK@", &sdk.display().to_string().replace('\\', "/"));
    let files = [
        ("Cargo.toml", cargo),
        (
            ".cargo/config.toml",
            "[build]\ntarget = \"wasm32-wasip2\"\n".to_string(),
        ),
        (".gitignore", "target/\n".to_string()),
        ("src/lib.rs", lib),
        (
            "README.md",
            README
                .replace("@NAME@", name)
                .replace("@ROLE@", role.as_str())
                .replace("@US@", &name.replace('-', "_")),
        ),
    ];
    let mut files: Vec<(String, String)> = files
        .into_iter()
        .map(|(rel, text)| (rel.to_string(), text))
        .collect();
    files.extend(case_files(name, role));
    write_files(dir, &files)
}

/// Refuses a bad plugin name, or a `dir` that exists with files in it.
fn check_target(name: &str, dir: &Path) -> Result<(), HarnessError> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || name.starts_with('-')
    {
        return Err(HarnessError::PluginName(name.to_string()));
    }
    if dir.exists()
        && dir
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(HarnessError::NotEmpty {
            dir: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// The type name of plugin `name`: `my-plugin` → `MyPlugin`.
fn ident(name: &str) -> String {
    let ident = name
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<String>();
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("P{ident}")
    } else {
        ident
    }
}

/// The example case of a new plugin of `role`, the same in every language:
/// `cases/example.input.json`, its expected output and (but for sources)
/// its config.
fn case_files(name: &str, role: Role) -> Vec<(String, String)> {
    let (case_in, case_out) = match role {
        Role::Source => (
            r#"{"id": "42", "note": "hello"}"#,
            r#"{"id":"example:42","correlation_id":"example:42","kind":"example.received","content_type":"application/json","headers":{},"payload":{"id":"42","note":"hello"}}"#,
        ),
        Role::Transform => (
            r#"{"note": "hello"}"#,
            r#"{"id":"case-1","correlation_id":"","kind":"example.received","content_type":"application/json","headers":{"seen-by":"NAME"},"payload":{"note":"hello"}}"#,
        ),
        Role::Sink => (
            r#"{"note": "hello"}"#,
            r#"{"id":"case-1/0","correlation_id":"","kind":"http.request","content_type":"application/json","headers":{"weft-http-method":"POST","weft-http-path":"/example"},"payload":{"note":"hello"}}"#,
        ),
    };
    let mut files = vec![
        (
            "cases/example.input.json".to_string(),
            format!("{case_in}\n"),
        ),
        (
            "cases/example.expected.jsonl".to_string(),
            format!("{}\n", case_out.replace("NAME", name)),
        ),
    ];
    if role != Role::Source {
        files.push((
            "cases/example.config.toml".to_string(),
            CASE_CONFIG.to_string(),
        ));
    }
    files
}

/// Writes `files` (paths relative to `dir`); returns their paths.
fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, HarnessError> {
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| HarnessError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| HarnessError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

const CARGO_TEMPLATE: &str = r#"[package]
name = "@NAME@"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
weft-sdk = { path = "@SDK@" }
serde_json = "1"

[profile.release]
opt-level = "s"
lto = true
codegen-units = 1
strip = "debuginfo"

# A standalone crate, even when generated inside another workspace.
[workspace]
"#;

const LIB_TEMPLATE: &str = r#"//! @NAME@: a weft @ROLE@ plugin.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

pub struct @IDENT@;

impl Plugin for @IDENT@ {
    fn describe() -> PluginInfo {
        weft_sdk::info("@NAME@", env!("CARGO_PKG_VERSION"), Role::@ROLE_VARIANT@)
            .summary("TODO: say what @NAME@ does")
            .accepts(@ACCEPTS@)
            .emits(@EMITS@)
            .build()
    }

@BODY@
}

weft_sdk::export_@ROLE@!(@IDENT@);
"#;

const SOURCE_BODY: &str = r#"    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let doc: serde_json::Value = msg.payload_json()?;
        let id = match doc.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(PluginError::invalid("the document has no `id`")),
        };
        let key = format!("example:{id}");
        Ok(vec![Message::json(key.clone(), key, "example.received", &doc)?])
    }"#;

const TRANSFORM_BODY: &str = r#"    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        Ok(vec![msg.with_header("seen-by", "@NAME@")])
    }"#;

const SINK_BODY: &str = r#"    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        // An outbound request for the host to deliver; the host adds the
        // Idempotency-Key and handles retries.
        let doc: serde_json::Value = msg.payload_json()?;
        let request = Message::json("", "", "http.request", &doc)?
            .with_header("weft-http-method", "POST")
            .with_header("weft-http-path", "/example");
        Ok(vec![request])
    }"#;

const CASE_CONFIG: &str = r#"# Plugin config goes at the top level (key = "value");
# [message] overrides the input message.
[message]
id = "case-1"
kind = "example.received"
"#;

const README: &str = r#"# @NAME@

A weft @ROLE@ plugin.

```sh
cargo build --release                      # target wasm32-wasip2 (see .cargo/config.toml)
weft plugin test target/wasm32-wasip2/release/@US@.wasm cases
weft plugin run target/wasm32-wasip2/release/@US@.wasm --input cases/example.input.json
```

Add a case: put `NAME.input.<ext>` in `cases/`, run `weft plugin test … --bless`
to write `NAME.expected.jsonl`, and review it.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_names_and_non_empty_dirs() {
        let tmp = std::env::temp_dir().join(format!("weft-scaffold-{}", std::process::id()));
        let sdk = default_sdk_path().expect("sdk in checkout");
        assert!(scaffold("Bad_Name", Role::Source, &tmp.join("x"), &sdk).is_err());
        let files = scaffold("my-plugin", Role::Transform, &tmp.join("p"), &sdk).unwrap();
        assert!(files.iter().any(|f| f.ends_with("src/lib.rs")));
        let lib = std::fs::read_to_string(tmp.join("p/src/lib.rs")).unwrap();
        assert!(
            lib.contains("pub struct MyPlugin;") && lib.contains("export_transform!(MyPlugin)"),
            "{lib}"
        );
        assert!(scaffold("my-plugin", Role::Transform, &tmp.join("p"), &sdk).is_err());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

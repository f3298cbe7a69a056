//! `weft plugin new --lang python|js`: a plugin on the Python or
//! JavaScript SDK with a `build.sh`, a case folder and a README, that
//! builds and passes `weft plugin test` as generated. The case folder is
//! the one the Rust scaffold writes for the role: the contract, not the
//! language, defines behaviour.

use std::path::{Path, PathBuf};

use super::{case_files, check_target, write_files, Lang};
use crate::harness::HarnessError;
use crate::Role;

/// The SDK folder of `lang` (`sdk-python/`, `sdk-js/`) of the checkout this
/// binary was built from, if it still exists.
pub fn default_sdk_dir(lang: Lang) -> Option<PathBuf> {
    let (dir, marker) = match lang {
        Lang::Rust => ("sdk", "Cargo.toml"),
        Lang::Python => ("sdk-python", "build.py"),
        Lang::Js => ("sdk-js", "bin/build.js"),
    };
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    p.join(marker)
        .exists()
        .then(|| p.canonicalize().ok())
        .flatten()
}

/// Writes a new Python or JavaScript plugin `name` of `role` into `dir`,
/// built with the SDK at `sdk`. Returns the files written.
pub fn scaffold(
    name: &str,
    role: Role,
    lang: Lang,
    dir: &Path,
    sdk: &Path,
) -> Result<Vec<PathBuf>, HarnessError> {
    check_target(name, dir)?;
    let sdk = sdk.canonicalize().map_err(|source| HarnessError::NoSdk {
        path: sdk.to_path_buf(),
        source,
    })?;
    let sdk = sdk.display().to_string();
    let module = match name.replace('-', "_") {
        m if m.starts_with(|c: char| c.is_ascii_digit()) => format!("p{m}"),
        m => m,
    };
    let class = super::ident(name);
    let fill = |t: &str| {
        t.replace("@NAME@", name)
            .replace("@ROLE@", role.as_str())
            .replace("@ROLE_UPPER@", &role.as_str().to_ascii_uppercase())
            .replace("@MODULE@", &module)
            .replace("@CLASS@", &class)
            .replace("@SDK@", &sdk)
            .replace("@ACCEPTS@", accepts(role))
            .replace("@EMITS@", emits(role))
    };
    let mut files: Vec<(String, String)> = match lang {
        Lang::Python => vec![
            (
                format!("{module}/__init__.py"),
                fill(PY_PLUGIN).replace("@BODY@", &fill(py_body(role))),
            ),
            ("build.sh".into(), fill(PY_BUILD)),
            (
                "README.md".into(),
                fill(
                    &README
                        .replace("@SETUP@", PY_SETUP)
                        .replace("@SRC@", &format!("{module}/__init__.py")),
                ),
            ),
        ],
        Lang::Js => vec![
            (
                "src/plugin.js".into(),
                fill(JS_PLUGIN).replace("@BODY@", &fill(js_body(role))),
            ),
            ("build.sh".into(), fill(JS_BUILD)),
            (
                "README.md".into(),
                fill(
                    &README
                        .replace("@SETUP@", JS_SETUP)
                        .replace("@SRC@", "src/plugin.js"),
                ),
            ),
        ],
        Lang::Rust => unreachable!("the Rust scaffold is super::scaffold"),
    };
    files.push((".gitignore".into(), "target/\n__pycache__/\n".into()));
    files.extend(case_files(name, role));
    let written = write_files(dir, &files)?;
    make_executable(&dir.join("build.sh"));
    Ok(written)
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mut p = meta.permissions();
        p.set_mode(0o755);
        let _ = std::fs::set_permissions(path, p);
    }
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}

fn accepts(role: Role) -> &'static str {
    match role {
        Role::Source => r#"["raw"]"#,
        Role::Transform | Role::Sink => r#"["*"]"#,
    }
}

fn emits(role: Role) -> &'static str {
    match role {
        Role::Source => r#"["example.received"]"#,
        Role::Transform => r#"["*"]"#,
        Role::Sink => r#"["http.request"]"#,
    }
}

fn py_body(role: Role) -> &'static str {
    match role {
        Role::Source => PY_SOURCE,
        Role::Transform => PY_TRANSFORM,
        Role::Sink => PY_SINK,
    }
}

fn js_body(role: Role) -> &'static str {
    match role {
        Role::Source => JS_SOURCE,
        Role::Transform => JS_TRANSFORM,
        Role::Sink => JS_SINK,
    }
}

const PY_PLUGIN: &str = r#""""@NAME@: a weft @ROLE@ plugin (Python)."""

import weft_sdk as weft
from weft_sdk import Invalid, Message
from weft_sdk.json import JsonError, loads


class @CLASS@(weft.Plugin):
    def describe(self):
        return (weft.info("@NAME@", "0.1.0", weft.Role.@ROLE_UPPER@)
                .summary("TODO: say what @NAME@ does")
                .accepts(@ACCEPTS@)
                .emits(@EMITS@)
                .build())

@BODY@
"#;

const PY_SOURCE: &str = r#"    def process(self, msg):
        try:
            doc = loads(msg.payload)
        except JsonError as e:
            raise Invalid(f"payload of message `{msg.id}` is not the expected JSON: {e}") from None
        id = doc.get("id") if isinstance(doc, dict) else None
        if isinstance(id, bool) or not isinstance(id, (str, int)):
            raise Invalid("the document has no `id`")
        key = f"example:{id}"
        return [Message.json(key, key, "example.received", doc)]"#;

const PY_TRANSFORM: &str = r#"    def process(self, msg):
        return [msg.with_header("seen-by", "@NAME@")]"#;

const PY_SINK: &str = r#"    def process(self, msg):
        # An outbound request for the host to deliver; the host adds the
        # Idempotency-Key and handles retries.
        try:
            doc = loads(msg.payload)
        except JsonError as e:
            raise Invalid(f"payload of message `{msg.id}` is not the expected JSON: {e}") from None
        request = (Message.json("", "", "http.request", doc)
                   .with_header("weft-http-method", "POST")
                   .with_header("weft-http-path", "/example"))
        return [request]"#;

const PY_BUILD: &str = r#"#!/usr/bin/env bash
# Builds target/@NAME@.wasm with componentize-py (weft's scripts/install-componentize-py.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 "${WEFT_SDK_PYTHON:-@SDK@}/build.py" --role @ROLE@ \
  --plugin @MODULE@:@CLASS@ --src "$here" -o "$here/target/@NAME@.wasm"
"#;

const PY_SETUP: &str =
    "Needs Python 3.11+ and componentize-py 0.25 (`scripts/install-componentize-py.sh` \
of the weft checkout installs it into `~/.cache/weft/tools/py`). The SDK is `weft_sdk` (in \
`sdk-python/` of the checkout); `build.sh` finds it there, or at `$WEFT_SDK_PYTHON`.";

const JS_PLUGIN: &str = r#"// @NAME@: a weft @ROLE@ plugin (JavaScript).
import { Invalid, info, jsonMessage, parseJson, payloadText, withHeader } from '@weft/sdk';

export default {
  describe() {
    return info('@NAME@', '0.1.0', '@ROLE@')
      .summary('TODO: say what @NAME@ does')
      .accepts(@ACCEPTS@)
      .emits(@EMITS@)
      .build();
  },

@BODY@
};
"#;

const JS_SOURCE: &str = r#"  process(msg) {
    let doc;
    try {
      doc = parseJson(payloadText(msg), { exactNumbers: true });
    } catch (e) {
      throw new Invalid(`payload of message \`${msg.id}\` is not the expected JSON: ${e.message}`);
    }
    const id = doc?.id;
    if (typeof id !== 'string' && !(id?.isInteger?.())) throw new Invalid('the document has no `id`');
    const key = `example:${id}`;
    return [jsonMessage(key, key, 'example.received', doc)];
  },"#;

const JS_TRANSFORM: &str = r#"  process(msg) {
    return [withHeader(msg, 'seen-by', '@NAME@')];
  },"#;

const JS_SINK: &str = r#"  process(msg) {
    // An outbound request for the host to deliver; the host adds the
    // Idempotency-Key and handles retries.
    let doc;
    try {
      doc = parseJson(payloadText(msg), { exactNumbers: true });
    } catch (e) {
      throw new Invalid(`payload of message \`${msg.id}\` is not the expected JSON: ${e.message}`);
    }
    let request = jsonMessage('', '', 'http.request', doc);
    request = withHeader(request, 'weft-http-method', 'POST');
    return [withHeader(request, 'weft-http-path', '/example')];
  },"#;

const JS_BUILD: &str = r#"#!/usr/bin/env bash
# Builds target/@NAME@.wasm with componentize-js (weft's scripts/install-jco.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/target"
node "${WEFT_SDK_JS:-@SDK@}/bin/build.js" --role @ROLE@ \
  --plugin "$here/src/plugin.js" -o "$here/target/@NAME@.wasm"
"#;

const JS_SETUP: &str = "Needs Node.js 20+ and the JS SDK's tools (`scripts/install-jco.sh` of the \
weft checkout runs `npm ci` in `sdk-js/`: jco 1.35, componentize-js 0.23, no AOT). `@weft/sdk` \
is `sdk-js/src/` (types in `sdk-js/src/index.d.ts`, the contract's in `sdk-js/types/`); \
`build.sh` bundles it, found there or at `$WEFT_SDK_JS`.";

const README: &str = r#"# @NAME@

A weft @ROLE@ plugin; its code is `@SRC@`.

@SETUP@

```sh
./build.sh                                   # writes target/@NAME@.wasm
weft plugin test target/@NAME@.wasm cases    # the golden cases
weft plugin run target/@NAME@.wasm --input cases/example.input.json
weft plugin inspect target/@NAME@.wasm       # world, imports, describe()
```

Add a case: put `NAME.input.<ext>` in `cases/` (optionally `NAME.config.toml` with
plugin settings and a `[message]` table), run `weft plugin test … --bless` to write
`NAME.expected.jsonl` (or write `NAME.expected-error.txt`: `invalid: <part of the
reason>`), and review it. Publish it like any component: `weft publish target/@NAME@.wasm
--namespace … --registry … --token … --key …` (see the operations guide).

Money and quantities are decimal strings in canonical documents: compute them with
the SDK's decimal helpers, never with floats.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_python_and_a_js_plugin_with_the_rust_scaffolds_case() {
        let tmp = tempfile::tempdir().unwrap();
        for (lang, code) in [
            (Lang::Python, "acme_x/__init__.py"),
            (Lang::Js, "src/plugin.js"),
        ] {
            let sdk = default_sdk_dir(lang).expect("SDK in checkout");
            let dir = tmp.path().join(format!("{lang:?}"));
            let files = scaffold("acme-x", Role::Source, lang, &dir, &sdk).unwrap();
            assert!(files.iter().any(|f| f.ends_with(code)), "{files:?}");
            let text = std::fs::read_to_string(dir.join(code)).unwrap();
            assert!(
                text.contains("\"acme-x\"") || text.contains("'acme-x'"),
                "{text}"
            );
            assert!(
                !text.contains("@NAME@") && !text.contains("@BODY@"),
                "{text}"
            );
            let build = std::fs::read_to_string(dir.join("build.sh")).unwrap();
            assert!(build.contains(&sdk.display().to_string()), "{build}");
            let case = std::fs::read_to_string(dir.join("cases/example.expected.jsonl")).unwrap();
            assert!(case.contains("\"example:42\""), "{case}");
            assert!(
                scaffold("acme-x", Role::Source, lang, &dir, &sdk).is_err(),
                "not empty"
            );
        }
        assert!(scaffold(
            "Bad",
            Role::Sink,
            Lang::Js,
            &tmp.path().join("b"),
            tmp.path()
        )
        .is_err());
    }
}

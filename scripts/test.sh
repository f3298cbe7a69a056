#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the wasm32-wasip2 target
# redis-server, PostgreSQL, Chromium, valgrind and the Python and JavaScript
# SDKs' toolchains (componentize-py, jco + componentize-js) and schemathesis
# (the OpenAPI conformance run of tests/it/openapi.rs) if missing, checks
# formatting and lints (clippy with warnings as errors) in all three
# workspaces, builds the plugins (Rust, Python, JavaScript) and test guests,
# then runs the SDKs' own tests, the workspace tests (unit + integration) and
# the plugins' native unit tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v cargo >/dev/null || { echo "error: cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }

scripts/install-redis.sh
scripts/install-postgres.sh
scripts/install-chromium.sh
scripts/install-valgrind.sh
scripts/install-componentize-py.sh
scripts/install-jco.sh
scripts/install-schemathesis.sh
scripts/lint.sh
scripts/build-wasm.sh
python3 -m unittest discover -s sdk-python/tests
(cd sdk-js && node --test test/)
cargo test --workspace --locked
cargo test --manifest-path plugins/Cargo.toml --locked

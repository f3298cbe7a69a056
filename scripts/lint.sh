#!/usr/bin/env bash
# The lint gate (run by scripts/test.sh): rustfmt and clippy, warnings as
# errors, on the main workspace, the plugins and the test guests. The lint
# policy itself is [workspace.lints] in each workspace's Cargo.toml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
wasm_target="${WEFT_WASM_TARGET_DIR:-$root/target/wasm}"

echo "lint: rustfmt" >&2
cargo fmt --all -- --check
cargo fmt --manifest-path plugins/Cargo.toml --all -- --check
cargo fmt --manifest-path tests/guests/Cargo.toml --all -- --check

echo "lint: clippy (main workspace)" >&2
cargo clippy --workspace --all-targets --locked --quiet -- -D warnings
echo "lint: clippy (plugins, native)" >&2
cargo clippy --manifest-path plugins/Cargo.toml --all-targets --locked --quiet -- -D warnings
echo "lint: clippy (test guests, wasm32-wasip2)" >&2
env -u CARGO_ENCODED_RUSTFLAGS -u RUSTFLAGS CARGO_TARGET_DIR="$wasm_target" \
  cargo clippy --manifest-path tests/guests/Cargo.toml --target wasm32-wasip2 --release --locked --quiet -- -D warnings

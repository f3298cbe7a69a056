#!/usr/bin/env bash
# Builds the shipped plugins into target/plugins/<name>.wasm and the
# edge-case test guests into target/test-guests/<name>.wasm.
# Installs the wasm32-wasip2 target if it is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2; then
  echo "installing the wasm32-wasip2 target…" >&2
  rustup target add wasm32-wasip2
fi

# One target dir for both guest workspaces: they share the SDK build.
wasm_target="${WEFT_WASM_TARGET_DIR:-$root/target/wasm}"
build() { # <workspace dir> <output dir>
  local ws="$1" out="$2"
  # Rust flags meant for the host must not leak into guest builds.
  env -u CARGO_ENCODED_RUSTFLAGS -u RUSTFLAGS CARGO_TARGET_DIR="$wasm_target" \
    cargo build --quiet --release --target wasm32-wasip2 --manifest-path "$ws/Cargo.toml"
  mkdir -p "$out"
  local pkgs
  pkgs=$(sed -n 's/^members *= *\[\(.*\)\]/\1/p' "$ws/Cargo.toml" | tr -d '" ' | tr ',' ' ')
  for p in $pkgs; do
    cp "$wasm_target/wasm32-wasip2/release/${p//-/_}.wasm" "$out/$p.wasm"
  done
}
build plugins "$root/target/plugins"
build tests/guests "$root/target/test-guests"
echo "plugins:     $(ls target/plugins | tr '\n' ' ')" >&2
echo "test guests: $(ls target/test-guests | tr '\n' ' ')" >&2

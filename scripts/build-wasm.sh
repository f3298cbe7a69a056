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

# Plugins in other languages (plugins/*/build.sh: Python, JavaScript). A
# guest takes 15-25 s to build, so it is rebuilt only when its sources, its
# SDK or the contract changed since (the output is newer than all of them);
# a missing toolchain skips it with the reason (scripts/test.sh installs both).
stale() { # <output> <source dirs…>
  local out="$1"; shift
  [ ! -f "$out" ] && return 0
  [ -n "$(find "$@" -newer "$out" -type f -not -path '*/node_modules/*' -not -name '*.pyc' -print -quit)" ]
}
for script in plugins/*/build.sh; do
  dir="$(dirname "$script")"
  name="$(basename "$dir")"
  out="$root/target/plugins/$name.wasm"
  case "$name" in
    *-py) sdk=sdk-python; tool="$(python3 -c 'import sys; sys.path.insert(0, "sdk-python"); from weft_sdk.build import componentize_py; print(componentize_py())' 2>/dev/null || true)";;
    *-js) sdk=sdk-js; tool="$( [ -d sdk-js/node_modules/@bytecodealliance/componentize-js ] && echo ok || true)";;
    *) sdk=; tool=ok;;
  esac
  if [ -z "$tool" ]; then
    echo "skipping $name: its toolchain is not installed (scripts/install-componentize-py.sh, scripts/install-jco.sh)" >&2
    continue
  fi
  if stale "$out" "$dir/" ${sdk:+"$sdk/"} wit/; then
    echo "building $name…" >&2
    "$script" "$out" >/dev/null 2>"$root/target/plugins/$name.build.log" \
      || { cat "$root/target/plugins/$name.build.log" >&2; exit 1; }
  fi
done
echo "plugins:     $(ls target/plugins | grep '\.wasm$' | tr '\n' ' ')" >&2
echo "test guests: $(ls target/test-guests | tr '\n' ' ')" >&2

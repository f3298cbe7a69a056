#!/usr/bin/env bash
# Builds this plugin into a component: build.sh [OUTPUT] (default
# ../../target/plugins/validate-order-js.wasm). Needs the JS SDK's tools
# (scripts/install-jco.sh: npm ci in sdk-js/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/plugins/validate-order-js.wasm}"
node "$here/../../sdk-js/bin/build.js" --role transform --plugin "$here/src/plugin.js" -o "$out"

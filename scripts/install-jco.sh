#!/usr/bin/env bash
# Installs the JavaScript SDK's tools (jco 1.35, componentize-js 0.23,
# rolldown; pinned in sdk-js/package-lock.json, from the npm registry) with
# `npm ci` into sdk-js/node_modules, if they are missing or not the locked
# ones. componentize-js runs without its AOT (weval) step, which would
# download a binary from outside the registries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sdk="$root/sdk-js"
command -v node >/dev/null || { echo "error: node (Node.js 20+) is required for the JS SDK" >&2; exit 1; }
stamp="$sdk/node_modules/.weft-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$sdk/package-lock.json"; then
  exit 0
fi
echo "installing the JS SDK's tools (npm ci in sdk-js)…" >&2
(cd "$sdk" && npm ci --no-audit --no-fund --loglevel=error >&2)
cp "$sdk/package-lock.json" "$stamp"

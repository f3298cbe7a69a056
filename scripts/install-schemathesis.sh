#!/usr/bin/env bash
# Installs schemathesis (pinned, from PyPI) into a venv the scripts own,
# `$WEFT_TOOLS_DIR/schemathesis` (default `~/.cache/weft/tools/schemathesis`),
# if it is missing. The OpenAPI conformance test (tests/it/openapi.rs) runs
# it against a live `weft up` (or `$WEFT_SCHEMATHESIS` names the `st` binary).
set -euo pipefail
version=3.39.16
tools="${WEFT_TOOLS_DIR:-$HOME/.cache/weft/tools}"
venv="$tools/schemathesis"
if [ -x "$venv/bin/st" ] && "$venv/bin/st" --version 2>/dev/null | grep -q "$version" && "$venv/bin/pip" show hypothesis 2>/dev/null | grep -q "^Version: 6.131.14$"; then
  exit 0
fi
command -v python3 >/dev/null || { echo "error: python3 is required for schemathesis" >&2; exit 1; }
echo "installing schemathesis $version into $venv…" >&2
rm -rf "$venv"
python3 -m venv "$venv"
# hypothesis pinned too: newer ones break schemathesis 3.x ("'many' object has no
# attribute 'more'").
"$venv/bin/pip" install --quiet "schemathesis==$version" "hypothesis==6.131.14"
"$venv/bin/st" --version >&2

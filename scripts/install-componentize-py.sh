#!/usr/bin/env bash
# Installs componentize-py (pinned, from PyPI) into a venv the scripts own,
# `$WEFT_TOOLS_DIR/py` (default `~/.cache/weft/tools/py`), if it is missing.
# The Python SDK's build command (`sdk-python/build.sh`) and the tests find
# it there (or at `$WEFT_COMPONENTIZE_PY`).
set -euo pipefail
version=0.25.1
tools="${WEFT_TOOLS_DIR:-$HOME/.cache/weft/tools}"
venv="$tools/py"
if [ -x "$venv/bin/componentize-py" ] && "$venv/bin/componentize-py" --version 2>/dev/null | grep -q "$version"; then
  exit 0
fi
command -v python3 >/dev/null || { echo "error: python3 is required for the Python SDK" >&2; exit 1; }
echo "installing componentize-py $version into $venv…" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet "componentize-py==$version"
"$venv/bin/componentize-py" --version >&2

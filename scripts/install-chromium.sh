#!/usr/bin/env bash
# Installs Debian's `chromium` (the headless browser the dashboard test
# drives) with apt if /usr/bin/chromium is missing; quiet when present.
set -euo pipefail
command -v chromium >/dev/null && exit 0
echo "installing chromium…" >&2
if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi

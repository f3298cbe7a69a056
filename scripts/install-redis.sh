#!/usr/bin/env bash
# Installs redis-server with apt if it is missing.
set -euo pipefail
if ! command -v redis-server >/dev/null; then
  echo "installing redis-server…" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi
fi

#!/usr/bin/env bash
# Installs valgrind with apt if it is missing (the per-message cost guard,
# tests/it/cost.rs, counts instructions with its callgrind tool).
set -euo pipefail
if ! command -v valgrind >/dev/null; then
  echo "installing valgrind…" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq valgrind >/dev/null; fi
fi

#!/usr/bin/env bash
# Installs the PostgreSQL server (Debian's `postgresql` package) with apt if
# its binaries (initdb, postgres) or its `postgres` user are missing; quiet
# when they are present. weft runs its private server with these binaries,
# as the `postgres` user when it runs as root (PostgreSQL refuses root).
set -euo pipefail
have_server() {
  local d
  if command -v pg_config >/dev/null; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then return 0; fi
  fi
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then return 0; fi
  done
  return 1
}
if ! have_server || ! getent passwd postgres >/dev/null; then
  echo "installing postgresql…" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; fi
fi

#!/usr/bin/env bash
# The main job end to end on real data: builds `weft` and the plugins, runs
# `weft up` with weft.example.toml (a private redis-server, the shopify
# pipeline: shopify-orders → validate-order → file sink), ingests every real
# Shopify sample, and shows what landed in the sink and in the dead-letter
# queue. Installs the wasm32-wasip2 target and redis-server if missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v cargo >/dev/null || { echo "error: cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
scripts/install-redis.sh
samples="${1:-$root/../shared/realdata/shopify}"
[ -d "$samples" ] || { echo "error: no sample folder at $samples" >&2; exit 1; }

scripts/build-wasm.sh
cargo build --quiet --locked -p weft-host
weft="$root/target/debug/weft"
export WEFT_CONFIG="$root/weft.example.toml"

rm -rf .weft
log="$root/target/demo-up.log"
"$weft" up >"$log" 2>&1 &
up_pid=$!
trap 'kill -TERM $up_pid 2>/dev/null || true; wait $up_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "weft is up" "$log" && break; sleep 0.1; done
grep "weft is up" "$log" || { cat "$log"; exit 1; }

echo; echo "== weft ingest shopify $samples/*.json"
"$weft" ingest shopify "$samples"/*.json

# Wait until every message is settled: delivered or dead-lettered.
total=$(ls "$samples"/*.json | wc -l)
for _ in $(seq 100); do
  delivered=$(ls .weft/out/orders 2>/dev/null | wc -l)
  dead=$("$weft" dlq list --pipeline shopify --json | wc -l)
  [ $((delivered + dead)) -ge "$total" ] && break
  sleep 0.1
done

echo; echo "== canonical orders in the file sink (.weft/out/orders/)"
for f in .weft/out/orders/*.json; do
  python3 - "$f" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
t = o.get("totals", {})
print(f'{sys.argv[1]}\n    {o["order_id"]} {o.get("order_number","")} purpose={o["purpose"]} lines={len(o["lines"])} '
      f'{o.get("currency","")} subtotal={t.get("subtotal")} discount={t.get("discount")} tax={t.get("tax")} total={t.get("total")}')
PY
done

echo; echo "== dead-letter queue of pipeline shopify (weft dlq list --pipeline shopify)"
"$weft" dlq list --pipeline shopify

echo; echo "== metrics (curl http://127.0.0.1:7070/metrics)"
curl -s http://127.0.0.1:7070/metrics | grep -E '^weft_(processed|failed|dlq_depth)' || true

echo
echo "Next: weft dlq show --pipeline shopify --all    (payloads and errors)"
echo "      weft dlq replay --pipeline shopify --id <ID> --dry-run"

#!/usr/bin/env bash
# The main job end to end on real data: builds `weft` and the plugins, runs
# `weft up` with weft.example.toml (a private redis-server) and
#  1. the shopify pipeline: shopify-orders → validate-order → file sink, on
#     every real Shopify sample;
#  2. the EDI pipelines: x12 → (997s to a file sink, other documents to a
#     file sink, orders →) enrich-master-data → erp-order → HTTP sink into a
#     stand-in ERP (scripts/demo-erp.py), on every real X12 file, with the
#     master data of examples/masterdata loaded by `weft lookup load`;
# and shows what landed in the sinks and in the dead-letter queues.
# Ends with the ledger's channel report over everything ingested and the
# dashboard's URL. Installs the wasm32-wasip2 target, redis-server and
# PostgreSQL if missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v cargo >/dev/null || { echo "error: cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
scripts/install-redis.sh
scripts/install-postgres.sh
samples="${1:-$root/../shared/realdata/shopify}"
edi="${2:-$root/../shared/realdata/x12}"
[ -d "$samples" ] || { echo "error: no sample folder at $samples" >&2; exit 1; }
[ -d "$edi" ] || { echo "error: no X12 folder at $edi" >&2; exit 1; }

scripts/build-wasm.sh
cargo build --quiet --locked -p weft
weft="$root/target/debug/weft"
export WEFT_CONFIG="$root/weft.example.toml"
# weft.example.toml protects every route: its operator token and the Shopify
# webhook secret come from the environment (random for this run unless set).
random_hex() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
export WEFT_ADMIN_TOKEN="${WEFT_ADMIN_TOKEN:-weft_$(random_hex)}"
export WEFT_SHOPIFY_WEBHOOK_SECRET="${WEFT_SHOPIFY_WEBHOOK_SECRET:-$(random_hex)}"
# `--url` commands (below) go through the admin API with this token.
export WEFT_TOKEN="$WEFT_ADMIN_TOKEN"

rm -rf .weft
python3 scripts/demo-erp.py 7080 .weft/out/erp &
erp_pid=$!
log="$root/target/demo-up.log"
"$weft" up >"$log" 2>&1 &
up_pid=$!
trap 'kill -TERM $up_pid $erp_pid 2>/dev/null || true; wait $up_pid $erp_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "weft is up" "$log" && break; sleep 0.1; done
grep "weft is up" "$log" || { cat "$log"; exit 1; }

echo; echo "== a Shopify webhook over HTTP: unsigned (refused), then signed with the app secret"
first=$(ls "$samples"/*.json | head -1)
curl -s -o /dev/null -w "    unsigned: %{http_code}\n" -H 'content-type: application/json' \
  --data-binary @"$first" http://127.0.0.1:7070/ingest/shopify
sig=$(python3 -c 'import base64,hashlib,hmac,os,sys; print(base64.b64encode(hmac.new(os.environ["WEFT_SHOPIFY_WEBHOOK_SECRET"].encode(), open(sys.argv[1],"rb").read(), hashlib.sha256).digest()).decode())' "$first")
curl -s -w "\n" -H 'content-type: application/json' -H "X-Shopify-Hmac-Sha256: $sig" \
  --data-binary @"$first" http://127.0.0.1:7070/ingest/shopify | sed 's/^/    signed:   /'

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

echo; echo "== dead-letter queue of pipeline shopify, through the admin API (weft dlq list --pipeline shopify --url …, token in WEFT_TOKEN)"
"$weft" dlq list --pipeline shopify --url http://127.0.0.1:7070

echo; echo "== metrics (curl -H 'Authorization: Bearer …' http://127.0.0.1:7070/metrics)"
curl -s -H "Authorization: Bearer $WEFT_ADMIN_TOKEN" http://127.0.0.1:7070/metrics | grep -E '^weft_(processed|failed|dlq_depth|ingest_rejected)' || true

echo; echo "== EDI: master data (weft lookup load)"
"$weft" lookup load items examples/masterdata/items.csv
"$weft" lookup load customers examples/masterdata/customers.csv

echo; echo "== weft ingest edi $edi/*.edi"
"$weft" ingest edi "$edi"/*.edi >/dev/null
# Settled when nothing new lands for a second.
last=""
for _ in $(seq 100); do
  now="$(ls .weft/out/997 .weft/out/documents .weft/out/erp 2>/dev/null | wc -l) $("$weft" dlq list --pipeline edi-orders --json | wc -l) $("$weft" dlq list --pipeline edi --json | wc -l)"
  [ "$now" = "$last" ] && break
  last="$now"; sleep 1
done

echo; echo "== 997 acknowledgements (.weft/out/997/): one per functional group"
python3 - <<'PY'
import glob, os
for f in sorted(glob.glob(".weft/out/997/*")):
    t = open(f, encoding="utf-8", errors="replace").read()
    elem, term = t[3], t[105]  # ISA: element separator, segment terminator
    ak9 = next((s.strip() for s in t.split(term) if s.strip().startswith("AK9")), "?")
    status = {"A": "accepted", "E": "accepted with errors", "P": "partly accepted", "R": "rejected"}
    code = ak9.split(elem)[1] if elem in ak9 else "?"
    print(f"    {os.path.basename(f):48s} {ak9:16s} {status.get(code, code)}")
PY

echo; echo "== other documents (.weft/out/documents/) by kind"
python3 - <<'PY'
import collections, glob, json
kinds = collections.Counter()
for f in glob.glob(".weft/out/documents/*.json"):
    d = json.load(open(f))
    kinds[d.get("schema") or d.get("standard", "?")] += 1
for k, n in sorted(kinds.items()):
    print(f"    {n:3d}  {k}")
PY

echo; echo "== sales orders received by the ERP (.weft/out/erp/)"
for f in .weft/out/erp/*.json; do
  python3 - "$f" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
b = r["body"]
items = ", ".join(f'{l.get("item")} x{l.get("quantity")}' for l in b.get("lines", []))
print(f'{r["method"]} {r["path"]}  {r.get("order_number")}  {b.get("external_id")} account={b.get("customer", {}).get("account")}  {items}')
PY
done

echo; echo "== delivery records of the ERP sink (stream weft:{edi}:deliveries, what the ledger reads)"
if command -v redis-cli >/dev/null && [ -f .weft/redis/url ]; then
  records=$(redis-cli -u "$(cat .weft/redis/url)" --json XRANGE 'weft:{edi}:deliveries' - +)
  python3 - "$records" <<'PY'
import json, sys
for _, flat in json.loads(sys.argv[1] or "[]"):
    r = dict(zip(flat[::2], flat[1::2]))
    if r.get("sink") == "erp":
        print(f'    {r.get("status")}  {r.get("ref") or "(no order number)":14s}  {r.get("target")}  {r.get("id")}')
PY
fi

echo; echo "== dead-letter queue of pipeline edi-orders (orders held for master data)"
"$weft" dlq list --pipeline edi-orders
echo; echo "== dead-letter queue of pipeline edi (files that are not X12)"
"$weft" dlq list --pipeline edi

echo; echo "== the ledger: open exceptions by type (weft report exceptions --format csv)"
# Settled when the ledger's event count stops moving for a second.
last=""
for _ in $(seq 60); do
  now=$("$weft" report channels --format json | python3 -c 'import json,sys; print(sum(r["orders"] for r in json.load(sys.stdin)["channels"]))')
  [ "$now" = "$last" ] && break
  last="$now"; sleep 1
done
"$weft" report exceptions --format csv | python3 -c '
import csv, collections, sys
rows = list(csv.DictReader(sys.stdin))
for (t, n) in sorted(collections.Counter(r["type"] for r in rows).items()):
    print(f"    {n:4d}  {t}")'

echo
echo "Next: weft dlq show --pipeline shopify --all    (payloads and errors)"
echo "      weft dlq replay --pipeline shopify --id <ID> --dry-run"
echo "      add the missing item to examples/masterdata/items.csv, weft lookup load items …,"
echo "      then weft dlq replay --pipeline edi-orders --all"

echo; echo "== the ledger: channel report (weft report channels; definitions in docs/reports.md)"
"$weft" report channels
echo
echo "Dashboard: http://127.0.0.1:7070/dashboard   (scorecard, exceptions, order search, pipeline health)"
echo "  sign in with the operator token: $WEFT_ADMIN_TOKEN"
echo "Order timeline by any id: weft report order 450789469    |    curl -H \"Authorization: Bearer \$WEFT_TOKEN\" http://127.0.0.1:7070/v1/orders/A99999-01"
if [ "${WEFT_DEMO_WAIT:-0}" = "1" ]; then
  echo "(WEFT_DEMO_WAIT=1: weft keeps running; Ctrl-C to stop)"; wait $up_pid
fi

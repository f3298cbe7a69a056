#!/usr/bin/env bash
# The main job end to end on real data: builds `weft` and the plugins, then
# runs every real Shopify sample (../shared/realdata/shopify) through
# shopify-orders (source) and validate-order (transform), printing the
# canonical orders and what was refused and why. Outputs land in target/demo/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v cargo >/dev/null || { echo "error: cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
samples="${1:-$root/../shared/realdata/shopify}"
[ -d "$samples" ] || { echo "error: no sample folder at $samples" >&2; exit 1; }

scripts/build-wasm.sh
cargo build --quiet --locked -p weft-host
weft="$root/target/debug/weft"
out="$root/target/demo"
rm -rf "$out" && mkdir -p "$out"

ok=0 refused=0
for f in "$samples"/*.json; do
  name="$(basename "$f" .json)"
  printf '\n== %s\n' "$name"
  if ! "$weft" plugin run target/plugins/shopify-orders.wasm --input "$f" \
       >"$out/$name.source.jsonl" 2>"$out/$name.err"; then
    printf '   refused by shopify-orders: %s\n' "$(cat "$out/$name.err")"
    refused=$((refused + 1)); continue
  fi
  if ! "$weft" plugin run target/plugins/validate-order.wasm --jsonl --input "$out/$name.source.jsonl" \
       >"$out/$name.canonical.jsonl" 2>"$out/$name.err"; then
    printf '   refused by validate-order: %s\n' "$(cat "$out/$name.err")"
    refused=$((refused + 1)); continue
  fi
  ok=$((ok + 1))
  rm -f "$out/$name.err"
  # A one-line summary, then the canonical order itself.
  python3 - "$out/$name.canonical.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    o = m["payload"]
    t = o.get("totals", {})
    print(f'   {m["kind"]:<16} {m["id"]}  lines={len(o["lines"])} {o.get("currency","")} '
          f'subtotal={t.get("subtotal")} discount={t.get("discount")} tax={t.get("tax")} total={t.get("total")}')
    print("   " + json.dumps(o, ensure_ascii=False)[:600] + (" …" if len(json.dumps(o)) > 600 else ""))
PY
done
printf '\n%d canonical orders, %d refused with a reason. Outputs: %s\n' "$ok" "$refused" "$out"

#!/usr/bin/env bash
# Builds this plugin into a component: build.sh [OUTPUT] (default
# ../../target/plugins/woocommerce-orders-py.wasm). Needs componentize-py
# (scripts/install-componentize-py.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/plugins/woocommerce-orders-py.wasm}"
python3 "$here/../../sdk-python/build.py" --role source \
  --plugin woocommerce_orders:WooCommerceOrders --src "$here" -o "$out"

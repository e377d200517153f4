#!/usr/bin/env bash
# Prints `bundle: html=… css=… js=… wasm=… total=… KiB gzip` for a built dist/
# and fails when the gzip total is above the budget. Every KiB here is paid by
# every learner on every visit.
set -euo pipefail
dist=${1:-dist}
budget_kib=${BUNDLE_BUDGET_KIB:-350}
gz() { # gzip -9 size in bytes of all files matching a pattern
  local total=0 f
  for f in "$dist"/$1; do [ -f "$f" ] && total=$((total + $(gzip -9 -c "$f" | wc -c))); done
  echo "$total"
}
html=$(gz '*.html'); css=$(gz '*.css'); js=$(gz '*.js'); wasm=$(gz '*.wasm')
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
total=$((html + css + js + wasm))
echo "bundle: html=$(kib $html) css=$(kib $css) js=$(kib $js) wasm=$(kib $wasm) total=$(kib $total) KiB gzip"
if [ "$total" -gt $((budget_kib * 1024)) ]; then
  echo "bundle is over the budget of $budget_kib KiB gzip" >&2
  exit 1
fi

#!/usr/bin/env bash
# Prints `bundle: html=… css=… js=… wasm=… total=… KiB gzip` for a built dist/
# and fails when the gzip total is above the budget (450 KiB; the aim is 300).
# Every KiB here is paid by every learner on every visit.
#
# Then, what the wasm is made of: twiggy's item sizes of the linked module
# (before wasm-bindgen and wasm-opt, which keep its function names), summed per
# crate. The shares are indicative: wasm-opt shrinks every crate, not equally.
set -euo pipefail
dist=${1:-dist}
budget_kib=${BUNDLE_BUDGET_KIB:-450}
gz() { # gzip -9 size in bytes of all files matching a pattern
  local total=0 f
  for f in "$dist"/$1; do [ -f "$f" ] && total=$((total + $(gzip -9 -c "$f" | wc -c))); done
  echo "$total"
}
html=$(gz '*.html'); css=$(gz '*.css'); js=$(gz '*.js'); wasm=$(gz '*.wasm')
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
total=$((html + css + js + wasm))
echo "bundle: html=$(kib $html) css=$(kib $css) js=$(kib $js) wasm=$(kib $wasm) total=$(kib $total) KiB gzip"

linked=""
for dir in "${CARGO_TARGET_DIR:-}" target target/wasm-debian; do
  candidate="$dir/wasm32-unknown-unknown/release/sts-playground.wasm"
  if [ -n "$dir" ] && [ -f "$candidate" ]; then linked=$candidate; break; fi
done
if command -v twiggy >/dev/null && [ -n "$linked" ]; then
  # `twiggy top --format csv`: Name,ShallowSize,ShallowSizePercent,…; names are demangled
  # Rust paths (`leptos::…`, `<alloc::vec::Vec<T> as …>::…`), data segments, and so on.
  twiggy top -n 1000000 --format csv "$linked" 2>/dev/null | awk -F, '
    NR == 1 { next }
    {
      size = $(NF - 3); name = $0; sub(/,[^,]*,[^,]*,[^,]*,[^,]*$/, "", name); gsub(/"/, "", name)
      sub(/^<+/, "", name); sub(/^&(mut )?/, "", name); sub(/^dyn /, "", name)
      crate = name
      if (name ~ /^data\[/ || name ~ /^data segment/) crate = "(data)"
      else if (name ~ /::/) { split(name, parts, "::"); crate = parts[1] }
      else crate = "(other)"
      if (crate == "sts_playground") { split(name, parts, "::"); crate = "sts_playground::" parts[2] }
      sizes[crate] += size; all += size
    }
    END {
      for (c in sizes) printf "%d %s\n", sizes[c], c
      printf "%d (total)\n", all > "/dev/stderr"
    }' 2> /tmp/twiggy-total.$$ | sort -rn | head -14 | awk -v all="$(cut -d" " -f1 /tmp/twiggy-total.$$)" '
    BEGIN { printf "wasm by crate (linked, before wasm-opt; %.0f KiB):", all / 1024 }
    { printf " %s %.0f%%", $2, 100 * $1 / all }
    END { print "" }'
  rm -f /tmp/twiggy-total.$$
else
  echo "wasm by crate: (twiggy or the linked wasm not found; scripts/lib.sh installs twiggy)"
fi

if [ "$total" -gt $((budget_kib * 1024)) ]; then
  echo "bundle is over the budget of $budget_kib KiB gzip" >&2
  exit 1
fi

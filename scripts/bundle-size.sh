#!/usr/bin/env bash
# Prints `bundle: html=… css=… js=… wasm=… total=… KiB gzip` for a built dist/'s
# index.html (what it loads) and fails when the gzip total is above the budget
# (450 KiB; the aim is 300). Every KiB there is paid by every learner on every visit.
# helm.html, the same app with Helm, is measured too: only learners who type
# `helm` load it (instead of the first page's wasm, on top of it once).
#
# Then, what the wasm is made of: twiggy's item sizes of the linked module
# (before wasm-bindgen and wasm-opt, which keep its function names), summed per
# crate. The shares are indicative: wasm-opt shrinks every crate, not equally.
set -euo pipefail
dist=${1:-dist}
budget_kib=${BUNDLE_BUDGET_KIB:-450}
gz() { # gzip -9 size in bytes of the named files in dist/
  local total=0 f
  for f in "$@"; do [ -f "$dist/$f" ] && total=$((total + $(gzip -9 -c "$dist/$f" | wc -c))); done
  echo "$total"
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
# What a page loads: itself and the files it names (href=./…, as Trunk writes them).
page_files() { grep -oE 'href="?\./[^" >]+' "$dist/$1" | sed -E 's/^href="?\.\///' | sort -u; }
# `bundle: html=… css=… js=… wasm=… total=… KiB gzip` for one page; sets $total.
measure() {
  local page=$1 label=$2 files
  files=$(page_files "$page")
  local html css js wasm
  html=$(gz "$page"); css=$(gz $(grep '\.css$' <<<"$files")); js=$(gz $(grep '\.js$' <<<"$files"))
  wasm=$(gz $(grep '\.wasm$' <<<"$files"))
  total=$((html + css + js + wasm))
  echo "$label: html=$(kib $html) css=$(kib $css) js=$(kib $js) wasm=$(kib $wasm) total=$(kib $total) KiB gzip"
}
if [ -f "$dist/helm.html" ]; then
  measure helm.html "helm page (opened on the first helm command)"
fi
measure index.html bundle

linked=""
for dir in "${CARGO_TARGET_DIR:-}" target target/wasm-debian; do
  candidate="$dir/wasm32-unknown-unknown/release/sts-playground.wasm"
  if [ -n "$dir" ] && [ -f "$candidate" ]; then linked=$candidate; break; fi
done
if command -v twiggy >/dev/null && [ -n "$linked" ]; then
  # `twiggy top --format csv`: Name,ShallowSize,ShallowSizePercent,RetainedSize,…; names
  # are demangled Rust paths (`leptos::…`, `<alloc::vec::Vec<T> as …>::…`), data
  # segments, imports and the like.
  twiggy top -n 1000000 --format csv "$linked" 2>/dev/null | awk -F, '
    NR == 1 { next }
    {
      size = $(NF - 3); name = $0; sub(/,[^,]*,[^,]*,[^,]*,[^,]*$/, "", name); gsub(/"/, "", name)
      # What wasm-bindgen removes does not ship: custom sections (function names, its
      # schema), its describe functions and their exports.
      if (name ~ /^custom section/ || name ~ /subsection/ || name ~ /^export / || name ~ /__wbindgen_describe/) next
      gsub(/\[[0-9a-f]+\]/, "", name)
      sub(/^<+/, "", name); sub(/^&(mut )?/, "", name); sub(/^dyn /, "", name)
      # `<str as core::fmt::Display>::fmt`: a primitive type takes its trait crate.
      if (name ~ / as / && substr(name, 1, index(name, " as ")) !~ /::/) name = substr(name, index(name, " as ") + 4)
      if (name ~ /^data/) crate = "(data)"
      else if (name ~ /^import /) crate = "(imports)"
      else if (name ~ /::/) { split(name, parts, "::"); crate = parts[1]; if (crate == "sts_playground") crate = crate "::" parts[2]; sub(/>.*$/, "", crate)
        # Methods of primitive types (`<str>::…`, `<[T]>::…`) come from core.
        if (crate ~ /^(str|\[|u[0-9]|i[0-9]|f[0-9]|usize|isize|char|bool)/) crate = "core" }
      else crate = "(glue)"
      sizes[crate] += size; all += size
    }
    END {
      printf "wasm by crate (linked, before wasm-opt: %.0f KiB):", all / 1024
      n = 0
      for (c in sizes) order[++n] = c
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sizes[order[j]] > sizes[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
      for (i = 1; i <= n && i <= 14; i++) printf " %s %.0f%%%s", order[i], 100 * sizes[order[i]] / all, (i < n && i < 14 ? "," : "")
      print ""
    }'
else
  echo "wasm by crate: (twiggy or the linked wasm not found; scripts/lib.sh installs twiggy)"
fi

if [ "$total" -gt $((budget_kib * 1024)) ]; then
  echo "bundle is over the budget of $budget_kib KiB gzip" >&2
  exit 1
fi

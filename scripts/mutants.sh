#!/usr/bin/env bash
# Mutation testing with cargo-mutants: how many deliberately injected bugs in the
# StatefulSet controller, the kubelet and the endpoints controller the tests catch.
# A measurement, not part of CI (a full run is hours on two cores).
#
#   scripts/mutants.sh                  # every mutant of the three components, the whole test suite
#   SHARD=1/10 scripts/mutants.sh       # a tenth of them (a sample: ~10 min per component)
#   TESTS=--lib scripts/mutants.sh      # only the unit tests next to the code (faster, weaker)
#   COMPONENT=statefulset scripts/mutants.sh   # one of statefulset, kubelet, endpoints
#   ITERATE=1 scripts/mutants.sh        # test only what earlier runs left missed or untested
#
# Prints, per component, caught/missed/unviable/timeout counts and the missed share;
# cargo-mutants' own report (mutants.out/missed.txt lists each surviving mutant) stays
# under target/mutants/<component>/.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --version 27.1.0 --locked

declare -A FILES=(
  [statefulset]="src/core/controllers/statefulset/control.rs src/core/controllers/statefulset/members.rs src/core/controllers/statefulset/revisions.rs src/core/controllers/statefulset/pod_control.rs src/core/controllers/statefulset/mod.rs"
  [kubelet]="src/core/node/kubelet/mod.rs src/core/node/kubelet/lifecycle.rs src/core/node/kubelet/prober.rs src/core/node/kubelet/status.rs"
  [endpoints]="src/core/controllers/endpoints.rs"
)
components=${COMPONENT:-statefulset kubelet endpoints}
for component in $components; do
  args=()
  for file in ${FILES[$component]}; do args+=(-f "$file"); done
  [ -n "${SHARD:-}" ] && args+=(--shard "$SHARD")
  [ -n "${ITERATE:-}" ] && args+=(--iterate)
  out="target/mutants/$component"
  mkdir -p "$out"
  log "cargo mutants on $component ${SHARD:+(shard $SHARD)}"
  cargo mutants "${args[@]}" --output "$out" --jobs "${JOBS:-1}" -- ${TESTS:-} >/dev/null 2>&1 || true
  count() {
    local file="$out/mutants.out/$1.txt"
    if [ -f "$file" ]; then grep -c . "$file" || true; else echo 0; fi
  }
  caught=$(count caught); missed=$(count missed); unviable=$(count unviable); timeout=$(count timeout)
  tested=$((caught + missed + timeout))
  share=$(awk -v m="$missed" -v t="$tested" 'BEGIN { printf "%.1f", t ? 100 * m / t : 0 }')
  echo "mutants $component (this run): caught=$caught missed=$missed timeout=$timeout unviable=$unviable missed=${share}%"
  # Over every run so far (--iterate keeps what earlier runs caught), for the code as it is now.
  files=()
  for file in ${FILES[$component]}; do files+=(-f "$file"); done
  cargo mutants "${files[@]}" --list 2>/dev/null | grep . > "$out/current.txt" || true
  results="$out/mutants.out"
  { cat "$results"/{caught,timeout,previously_caught}.txt 2>/dev/null || true; } | sort -u > "$out/caught-ever.txt"
  all=$(grep -c . "$out/current.txt" || true)
  ever=$(grep -cFxf "$out/caught-ever.txt" "$out/current.txt" || true)
  left=$(grep -Fxf "$results/missed.txt" "$out/current.txt" 2>/dev/null | grep -c . || true)
  share=$(awk -v m="$left" -v c="$ever" 'BEGIN { printf "%.1f", (m + c) ? 100 * m / (m + c) : 0 }')
  echo "mutants $component (all runs, current code): mutants=$all caught=$ever missed=$left untested_or_unviable=$((all - ever - left)) missed=${share}%"
done

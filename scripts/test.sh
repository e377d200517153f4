#!/usr/bin/env bash
# Installs whatever is missing and runs every test: native engine tests, a release
# wasm build, the bundle budget, and end-to-end tests in headless Chromium.
source "$(dirname "$0")/lib.sh"
set -o pipefail
ensure_build_tools
ensure_browser
cd "$ROOT"

mkdir -p "$ROOT/target"
log "native tests (cargo test)"
cargo test --locked 2>&1 | tee "$ROOT/target/native-tests.log"
native=$(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$ROOT/target/native-tests.log")

"$ROOT/scripts/build.sh"

log "bundle budget"
scripts/bundle-size.sh dist

log "end-to-end tests in headless Chromium against dist/"
npx playwright test 2>&1 | tee "$ROOT/target/e2e-tests.log"
e2e_passed=$(grep -oE '^ *[0-9]+ passed' "$ROOT/target/e2e-tests.log" | tail -1 | tr -dc 0-9)

read -r native_passed native_failed <<<"$native"
echo "tests: $((native_passed + ${e2e_passed:-0})) passed, $native_failed failed"

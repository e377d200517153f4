#!/usr/bin/env bash
# Installs whatever is missing and runs every test: native engine tests, a release
# wasm build, the bundle budget, and end-to-end tests in headless Chromium.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_browser
cd "$ROOT"

log "native tests (cargo test)"
cargo test --locked

"$ROOT/scripts/build.sh"

log "bundle budget"
scripts/bundle-size.sh dist

log "end-to-end tests in headless Chromium against dist/"
npx playwright test

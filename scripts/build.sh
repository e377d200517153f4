#!/usr/bin/env bash
# Installs whatever is missing and builds the release site into dist/.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
wasm_env
log "release wasm build (trunk build --release)"
trunk build --release

#!/usr/bin/env bash
# Installs whatever is missing, builds the app and serves it at http://127.0.0.1:8080
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
wasm_env
log "serving at http://127.0.0.1:8080 (Ctrl-C to stop)"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"

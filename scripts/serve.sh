#!/usr/bin/env bash
# Installs whatever is missing, builds the app and serves it at http://127.0.0.1:8080
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
wasm_env
log "serving at http://127.0.0.1:8080 (Ctrl-C to stop)"
# With Helm in the one page it serves (trunk serve builds index.html only; the
# published site opens helm.html on the first helm command: scripts/build.sh).
exec trunk serve --release --features helm --address 127.0.0.1 --port 8080 "$@"

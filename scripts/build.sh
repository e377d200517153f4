#!/usr/bin/env bash
# Installs whatever is missing and builds the release site into dist/: index.html
# (the app) and helm.html (the same app with `helm` in its terminal, the `helm`
# feature; the first page opens it on the first helm command, so only learners
# who use Helm download its ~74 KiB).
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
wasm_env
# The page with Helm first, so that the linked wasm left in target/ (which
# bundle-size.sh breaks down by crate) is the first page's.
log "release wasm build with Helm (trunk build --release --features helm: helm.html)"
rm -rf "$ROOT/target/dist-helm"
trunk build --release --features helm --html-output helm.html --dist "$ROOT/target/dist-helm"
log "release wasm build (trunk build --release: index.html)"
trunk build --release
# Its own hashed js and wasm, and helm.html; the stylesheet, icon and lessons are
# the same files as the first build's.
cp -n "$ROOT"/target/dist-helm/* "$ROOT/dist/" 2>/dev/null || true
cp "$ROOT/target/dist-helm/helm.html" "$ROOT/dist/helm.html"

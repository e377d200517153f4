# Shared helpers for the set-up, serve and test scripts. Source it; do not run it.
# Every install step is idempotent: it checks first and skips what is present.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRUNK_VERSION=0.21.14
TWIGGY_VERSION=0.8.0
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Trunk must never try to download a tool or check for updates.
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

apt_updated=""
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "need these Debian packages: ${missing[*]}" >&2; return 1; }
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "$apt_updated" ]; then log "apt-get update"; $sudo apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The version of a crate as locked in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_cargo() {
  if ! command -v cargo >/dev/null; then
    # No rustup toolchain: Debian's Rust is the one available from the reachable registries.
    apt_install rustc-web cargo-web rust-web-src lld-22 gcc libc6-dev
  fi
}

ensure_node() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/@playwright/test" ] \
     || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "npm ci (binaryen's wasm-opt, Playwright; no browser download)"
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "cargo install trunk $TRUNK_VERSION (takes ~15 min the first time)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want; want=$(locked_version wasm-bindgen)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    log "cargo install wasm-bindgen-cli $want (takes ~8 min the first time)"
    # Not --locked: its lockfile names a crate version the registry here lacks.
    cargo install wasm-bindgen-cli --version "=$want" --force
  fi
}

# Chooses how to build for wasm32 and exports the environment for that build only.
# Prefers rustup's toolchain (with the wasm32 target and rust-src); where those
# cannot be downloaded, uses Debian's rustc-web in a target folder of its own (so
# the native toolchain's artefacts are not rebuilt every time).
# Both rebuild std (-Z build-std, hence RUSTC_BOOTSTRAP=1) for size, with panics
# that abort after the panic hook has run. Never put these in a repo-wide
# .cargo/config.toml: native `cargo test` would break.
wasm_env() {
  local sysroot=""
  if command -v rustup >/dev/null && [ "${STS_WASM_TOOLCHAIN:-}" != debian ]; then
    sysroot="$(rustc --print sysroot)"
    if [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
      log "rustup target add wasm32-unknown-unknown"
      timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
    fi
    if [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
      log "rustup component add rust-src"
      timeout 120 rustup component add rust-src >/dev/null 2>&1 || true
    fi
  fi
  if [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ] && [ -d "$sysroot/lib/rustlib/src/rust/library" ]; then
    log "wasm toolchain: rustup ($(rustc --version)) with build-std"
  else
    apt_install rustc-web cargo-web rust-web-src lld-22
    export PATH="/usr/bin:$PATH"
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22
    export CARGO_TARGET_DIR="$ROOT/target/wasm-debian"
    log "wasm toolchain: Debian $(/usr/bin/rustc --version) with build-std"
  fi
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  # std's smaller-but-slower code paths (sort, fmt, …): −12 KiB gzip of wasm.
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  # Panics keep their message, location and Debug output (no immediate-abort,
  # -Zlocation-detail or -Zfmt-debug): a panic in the field must say where it
  # happened (ui::crash logs it and shows the learner a banner).
  fetch_wasm_crates
}

# Trunk runs cargo with --offline, so download the wasm build's crates (and, with
# build-std, the standard library's own dependencies) beforehand.
fetch_wasm_crates() {
  (cd "$ROOT" && cargo fetch --locked --target wasm32-unknown-unknown --quiet)
}

# twiggy: what the wasm is made of, per crate, printed beside the bundle line.
ensure_twiggy() {
  if [ "$(twiggy --version 2>/dev/null)" != "twiggy $TWIGGY_VERSION" ]; then
    log "cargo install twiggy $TWIGGY_VERSION (takes ~4 min the first time)"
    cargo install twiggy --version "=$TWIGGY_VERSION" --locked
  fi
}

ensure_build_tools() {
  ensure_cargo
  ensure_node
  ensure_trunk
  ensure_wasm_bindgen
  ensure_twiggy
}

ensure_browser() {
  apt_install chromium chromium-driver fonts-dejavu-core
}

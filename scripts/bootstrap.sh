#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already present at the right
# version. Usage: scripts/bootstrap.sh build   (wasm target, trunk, wasm-bindgen, wasm-split-cli, wasm-opt)
#                 scripts/bootstrap.sh test    (the above + Chromium, chromedriver, Playwright packages,
#                                               PostgreSQL for the server's second backend)
# Trunk itself builds no Rust and downloads nothing; scripts/build-wasm/hook.mjs checks these versions.
set -euo pipefail
cd "$(dirname "$0")/.."
level="${1:-test}"
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

# The pinned tools of the wasm build, one file for this script and the build hook.
. scripts/build-wasm/versions.env
TRUNK_VERSION="$TRUNK"
BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"

say() { printf '[bootstrap] %s\n' "$*"; }
apt_updated=""
apt_install() { # Debian packages, with the package lists fetched once per run
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then rustup component add clippy; fi
if ! rustup component list --installed 2>/dev/null | grep -q '^rustfmt'; then rustup component add rustfmt; fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (the version in Cargo.lock)"
  # Without --locked: one of its locked dependency versions is not in the registry.
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

# Cuts the release wasm into a main module and one per page (scripts/build-wasm/hook.mjs).
SPLIT_VERSION="$WASM_SPLIT_CLI"
if ! cargo install --list | grep -qx "wasm_split_cli_support v$SPLIT_VERSION:"; then
  say "installing wasm-split-cli $SPLIT_VERSION (about 3 minutes on 2 cores)"
  cargo install wasm_split_cli_support --locked --version "$SPLIT_VERSION" --features build-binary
fi

npm_ci() { # npm ci in $1 unless node_modules already matches the lockfile
  local dir="$1" stamp="$1/node_modules/.lock-sha"
  local want; want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    say "npm ci in $dir"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}
# wasm-opt comes from tools/package.json's binaryen; it must say the version the hook checks.
if ! grep -q "\"binaryen\": \"$BINARYEN\"" tools/package.json; then
  say "tools/package.json does not pin binaryen $BINARYEN (scripts/build-wasm/versions.env)"; exit 1
fi
npm_ci tools

if [ "$level" = "test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and chromedriver from Debian"
    apt_install chromium chromium-driver
  fi
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    # The README's nginx block is tested for real (e2e/hosts/nginx.cjs).
    say "installing nginx from Debian"
    apt_install nginx
  fi
  if ! command -v pg_virtualenv >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    # The server's integration tests run against PostgreSQL too, in a throwaway cluster
    # (pg_virtualenv, from postgresql-common); pg_trgm ships with the server package.
    say "installing PostgreSQL from Debian"
    apt_install postgresql
  fi
  if ! command -v brotli >/dev/null; then
    # Only for the size report; a missing package must not stop the tests.
    apt_install brotli 2>&1 || say "brotli not installed: size report shows gzip only"
  fi
  npm_ci e2e
fi

# Cargo runs offline inside Trunk: fetch every crate first.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
say "ready ($level)"

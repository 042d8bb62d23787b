#!/usr/bin/env bash
# Builds the app in release mode and starts the reference server with demo data at
# http://127.0.0.1:8080 (data under ./data, embedded SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh build
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
trunk build --release --offline
node scripts/size-report.mjs dist
cargo build --release -p seller-support-server
echo "Open http://127.0.0.1:8080"
exec target/release/seller-support-server --demo --dist dist --data ./data --addr 127.0.0.1:8080

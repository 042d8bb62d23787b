#!/usr/bin/env bash
# Render benchmark of the dialog list (issue 6): 1 000 rows with the Leptos DialogTable and, in the
# same headless Chromium page, the same table built by plain JavaScript (plain-table.js) from the
# same JSON. Prints medians, minima and ratios; asserts no time. Optimized build, like the app.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
cargo test -p seller-support --target wasm32-unknown-unknown --release --test list_bench -- --nocapture \
  2>&1 | sed -n '/list render benchmark/,/target:/p'

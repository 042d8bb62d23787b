#!/usr/bin/env bash
# Every figure the project tracks, in one command. It prints and judges nothing: times are noisy,
# so no figure here can fail the run (the byte budget is checked by scripts/test.sh instead). It
# exits non-zero only when a tool is missing; a benchmark that cannot run is reported and skipped.
#
#   bash scripts/bench.sh                      # builds the release app into target/bench-dist
#   BENCH_DIST=/tmp/x bash scripts/bench.sh    # measures an existing release build instead
#   BENCH_ONLY="size lighthouse" bash scripts/bench.sh   # a subset: size list comment api events lighthouse
#   (api includes the load run on SQLite and on PostgreSQL, one and two instances, when
#   pg_virtualenv is installed)
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || true)}"
only="${BENCH_ONLY:-size list comment api events lighthouse}"
wants() { [[ " $only " == *" $1 "* ]]; }

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need cargo "rustup"
need node "Debian nodejs"
if wants size && [ -z "${BENCH_DIST:-}" ]; then
  need trunk "scripts/bootstrap.sh build"
  need wasm-split-cli "scripts/bootstrap.sh build"
fi
if wants list || wants comment; then
  need wasm-bindgen-test-runner "cargo install wasm-bindgen-cli"
  [ -n "$CHROMEDRIVER" ] || missing+=("chromedriver (apt-get install chromium-driver)")
fi
if wants lighthouse; then
  [ -x "$CHROME_PATH" ] || missing+=("chromium at $CHROME_PATH (apt-get install chromium)")
  [ -f e2e/node_modules/lighthouse/cli/index.js ] || missing+=("lighthouse (scripts/bootstrap.sh test)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'bench: missing tool: %s\n' "${missing[@]}" >&2
  exit 2
fi

started=$(date +%s)
skipped=()
section() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
# Runs a benchmark; if it cannot run (build error, crash) says so and goes on.
try() {
  local name="$1"; shift
  if ! "$@"; then
    echo "bench: «$name» could not run (see above); its figures are missing"
    skipped+=("$name")
  fi
}

dist="${BENCH_DIST:-target/bench-dist}"
if wants size || wants lighthouse; then
  if [ -z "${BENCH_DIST:-}" ]; then
    section "release build of the app into $dist"
    try "release build" trunk build --release --offline --dist "$dist"
  fi
fi

if wants size; then
  section "first load (the list page) and what the other pages add: bytes raw / gzip / brotli"
  try "size report" node scripts/size-report.mjs "$dist"
fi

if wants list; then
  section "list render: 1 000 rows, Leptos DialogTable vs plain JS (headless Chromium, release)"
  try "list render" bash e2e/bench/list-render.sh
fi

if wants comment; then
  section "comment analysis, native (release)"
  if [ -f domain/examples/bench_comment.rs ]; then
    try "comment analysis native" cargo run -q --release -p domain --example bench_comment
  else
    echo "bench: domain/examples/bench_comment.rs does not exist yet"; skipped+=("comment analysis native")
  fi
  section "theme suggestion: acceptable / wrong / right in top 3 on the labelled sets"
  try "theme figures" cargo run -q --release -p domain --example theme_figures -- --held-out
  section "comment analysis in the browser (wasm, release, headless Chromium)"
  comment_browser() {
    # The test runner's own lines (compiling, "running 1 test") are noise here.
    WASM_BINDGEN_TEST_TIMEOUT=300 cargo test -p seller-support --release --target wasm32-unknown-unknown \
      --test comment_bench -- --nocapture 2>&1 |
      grep -vE '^\s*(Compiling|Finished|Running|Set WASM|Try find|Ok$|Loading Wasm|using deprecated|Invoking test|running|test result|$)'
    return "${PIPESTATUS[0]}"
  }
  try "comment analysis in the browser" comment_browser
fi

if wants api; then
  section "reference API: list p50/p99 with 100 000 dialogs, create throughput with 5 MiB files"
  try "api" cargo run -q --release -p seller-support-server --example bench_api
  section "reference API under load: 200 sellers list/open while 20 upload 5 MiB (release binary, sockets)"
  load_api() {
    cargo build -q --release -p seller-support-server --bin seller-support-server &&
      cargo run -q --release -p seller-support-server --example load_api
  }
  try "api load" load_api
  section "the same load on PostgreSQL: one instance, then two instances on one database (throwaway cluster)"
  load_api_pg() {
    if ! command -v pg_virtualenv >/dev/null; then
      echo "bench: pg_virtualenv missing (apt-get install postgresql, or scripts/bootstrap.sh test)"
      return 1
    fi
    cargo build -q --release -p seller-support-server --bin seller-support-server --example load_api &&
      # A cluster with PostgreSQL's default durability (fsync, synchronous commit), unlike the
      # test command's: these are figures, not a correctness check. One database per run, so
      # the second starts as empty as the first.
      pg_virtualenv sh -c '
        base="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT"
        psql -XAtqc "CREATE DATABASE load_one" && psql -XAtqc "CREATE DATABASE load_two" &&
        echo "--- PostgreSQL $(psql -XAtqc "SHOW server_version"), one instance" &&
        LOAD_DATABASE="$base/load_one" LOAD_INSTANCES=1 cargo run -q --release -p seller-support-server --example load_api &&
        echo "--- PostgreSQL, two instances on one database" &&
        LOAD_DATABASE="$base/load_two" LOAD_INSTANCES=2 cargo run -q --release -p seller-support-server --example load_api'
  }
  try "api load on PostgreSQL" load_api_pg
fi

if wants events; then
  section "event streams: 1 000 open on the release server, memory per stream, agent answer → event p50/p99"
  load_events() (
    # Each stream is a socket at both ends (~2 100 files): raise a lower soft limit, in this
    # subshell only; the example says so if it is still too low.
    if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt 4096 ]; then
      ulimit -Sn 4096 2>/dev/null || true
    fi
    cargo build -q --release -p seller-support-server --bin seller-support-server &&
      cargo run -q --release -p seller-support-server --example load_events
  )
  try "event streams" load_events
fi

if wants lighthouse; then
  section "Lighthouse (mobile and desktop) of / and /new, release build, reference server"
  if [ -f "$dist/index.html" ] && cargo build -q --release -p seller-support-server; then
    try "lighthouse mobile" node scripts/lighthouse.mjs --dist "$dist" --preset mobile --runs "${LH_RUNS:-3}"
    echo
    try "lighthouse desktop" node scripts/lighthouse.mjs --dist "$dist" --preset desktop --runs "${LH_RUNS:-3}"
  else
    echo "bench: no release build in $dist or the server did not build"; skipped+=("lighthouse")
  fi
fi

section "done"
if [ ${#skipped[@]} -gt 0 ]; then
  printf 'not measured: %s\n' "${skipped[@]}"
fi
exit 0

#!/usr/bin/env bash
# The tracker bench: action items synced against a local fake of GitHub's issues API at its
# rate limit, by two workers on one SQLite store. Prints the time taken, the requests made
# and the duplicates.
#
#   scripts/bench-trackers.sh [ITEMS] [LIMIT] [WINDOW_SECONDS]   (1000 300 10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p debrief-server --example bench_trackers -- "${1:-1000}" "${2:-300}" "${3:-10}"

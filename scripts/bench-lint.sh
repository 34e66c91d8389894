#!/usr/bin/env bash
# Lints a generated tree of realistic postmortems with the release binary, whole process, on
# one thread and on every core; prints throughput (MB/s, 10^6 bytes) and peak memory.
#   scripts/bench-lint.sh [MEGABYTES, default 60] [FORMAT, default json]
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes=${1:-60}
format=${2:-json}
cargo build --release -q -p debrief -p debrief-testdata
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$dir.time"' EXIT
"${CARGO_TARGET_DIR:-target}"/release/debrief-generate "$dir/tree" "$megabytes"
bytes=$(find "$dir/tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$dir/tree" -type f | wc -l)
echo "tree: $files files, $bytes bytes"
# Warm the page cache so that the figures measure debrief, not the disk.
cat $(find "$dir/tree" -type f) > /dev/null
for jobs in 1 "$(nproc)"; do
  /usr/bin/time -f '%e %M' -o "$dir.time" \
    "${CARGO_TARGET_DIR:-target}"/release/debrief lint --format "$format" --jobs "$jobs" "$dir/tree" > "$dir/out" || true
  read -r seconds kilobytes < <(tail -n 1 "$dir.time")
  findings=$(grep -c '"rule"' "$dir/out" || true)
  awk -v b="$bytes" -v s="$seconds" -v k="$kilobytes" -v j="$jobs" -v f="$findings" \
    'BEGIN { printf "jobs %s: %.2f s, %.1f MB/s, peak memory %.1f MB, %s findings\n", j, s, b / s / 1e6, k / 1024, f }'
done

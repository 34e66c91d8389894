#!/usr/bin/env bash
# The quarterly review over an organisation's whole history, from files: generates COUNT
# typical postmortems (a few kilobytes each) and times `debrief review` on them, whole
# process, with peak memory. The review alone, from parsed documents, is
# `cargo bench -p debrief-review --bench review`.
#   scripts/bench-review.sh [COUNT, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
cargo build --release -q -p debrief -p debrief-testdata
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"${CARGO_TARGET_DIR:-target}"/release/debrief-generate --typical "$dir/tree" "$count"
# Warm the page cache so that the figure measures debrief, not the disk.
find "$dir/tree" -type f -exec cat {} + > /dev/null
/usr/bin/time -f '%e %M' -o "$dir/time" \
  "${CARGO_TARGET_DIR:-target}"/release/debrief review --from 2024-01-01 --to 2026-12-31 --today 2026-11-21 "$dir/tree" > "$dir/review.md"
read -r seconds kilobytes < <(tail -n 1 "$dir/time")
echo "debrief review over $count files: $seconds s, peak memory $((kilobytes / 1024)) MB"
sed -n '/## Recurring causes/,/## Contributing/p' "$dir/review.md" | grep -E '^[0-9]+\.' | head -5

#!/usr/bin/env bash
# Lints a tree made of every real document of the corpus copied COPIES times, with the release
# binary, whole process, on every core; prints throughput (MB/s, 10^6 bytes) and peak memory.
#   scripts/bench-lint-corpus.sh [CORPUS, default $DEBRIEF_CORPUS or ../shared/corpus] [COPIES, default 60] [BINARY]
# BINARY defaults to the release build of debrief (under CARGO_TARGET_DIR when set), built first; pass another build to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${DEBRIEF_CORPUS:-../shared/corpus}}
copies=${2:-60}
binary=${3:-}
if [ -z "$binary" ]; then
  cargo build --release -q -p debrief
  binary="${CARGO_TARGET_DIR:-target}"/release/debrief
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$dir.time"' EXIT
# An empty configuration above the tree: a debrief.toml in a directory above the temporary one
# (a roster in /tmp/debrief.toml, say) would otherwise apply to every file and change the work.
: > "$dir/debrief.toml"
# Every Markdown or Quarto document, and files without an extension (some postmortems have none).
mapfile -d '' docs < <(find "$corpus" -type f \( -name '*.md' -o -name '*.qmd' -o ! -name '*.*' \) -print0)
for ((i = 0; i < copies; i++)); do
  mkdir -p "$dir/tree/$i"
  n=0
  for doc in "${docs[@]}"; do
    n=$((n + 1))
    cp "$doc" "$dir/tree/$i/$n-$(basename "$doc" | tr ' ' '_').md"
  done
done
bytes=$(find "$dir/tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$dir/tree" -type f | wc -l)
echo "tree: $files files, $bytes bytes (${#docs[@]} documents x $copies)"
cat $(find "$dir/tree" -type f) > /dev/null
for run in 1 2 3; do
  /usr/bin/time -f '%e %M' -o "$dir.time" "$binary" lint --format json "$dir/tree" > "$dir/out" || true
  read -r seconds kilobytes < <(tail -n 1 "$dir.time")
  awk -v b="$bytes" -v s="$seconds" -v k="$kilobytes" -v r="$run" \
    'BEGIN { printf "run %s: %.2f s, %.1f MB/s, peak memory %.1f MB\n", r, s, b / s / 1e6, k / 1024 }'
done

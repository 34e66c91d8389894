#!/usr/bin/env bash
# Importing a Slack export: a generated ZIP of MESSAGES messages (default 1,000,000) over DAYS
# days (default 30) in one channel, imported with `debrief timeline import slack` (release
# build). Two runs: every message read and the ✅-marked ones (1 in 100) printed as entries,
# the chat not kept; then a two-hour window merged into a postmortem with its chat log.
# Prints wall time and peak memory (maximum resident set) of each.
#   scripts/bench-import.sh [MESSAGES] [DAYS]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-1000000}
days=${2:-30}
cargo build --release -q -p debrief
cargo build --release -q -p debrief-import --example slack_export
target=$(realpath "${CARGO_TARGET_DIR:-target}")/release
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/examples/slack_export" "$dir/export.zip" "$messages" "$days"
echo "export: $(du -h "$dir/export.zip" | cut -f1) zipped"
run() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" > "$dir/out" 2> "$dir/err" || { cat "$dir/err"; exit 1; }
  read -r seconds kib < "$dir/time"
  printf '%-44s %6.2f s  %6d MiB peak  (%s)\n' "$name" "$seconds" $((kib / 1024)) "$(tail -1 "$dir/err")"
}
run "all days, reacted messages printed" \
  "$target/debrief" timeline import slack "$dir/export.zip" --channel incident --reaction white_check_mark
echo "entries printed: $(wc -l < "$dir/out")"
printf -- '---\ntitle: Bench\ndate: 2026-05-28\n---\n\n## Summary\n\nA bench.\n' > "$dir/pm.md"
run "a two-hour window merged with its chat" \
  "$target/debrief" timeline import slack "$dir/export.zip" --channel incident \
    --from 2026-05-29T10:00:00Z --to 2026-05-29T12:00:00Z --into "$dir/pm.md"

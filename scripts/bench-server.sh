#!/usr/bin/env bash
# Load benchmark of `debrief serve` (release build) with a store seeded with typical generated
# postmortems, on SQLite and on PostgreSQL: requests per second and p50/p99 latency for
# reading one postmortem, listing and searching, with wrk at 64 connections, plus the
# server's time to ready, idle memory and peak memory.
#   scripts/bench-server.sh [POSTMORTEMS, default 10000] [SECONDS per run, default 15]
# Needs wrk (apt-get install wrk) and, for the PostgreSQL half, a server at
# DEBRIEF_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432; skipped if unreachable).
# DEBRIEF_BENCH_STORES picks the stores (default "sqlite postgres").
# wrk runs on the same machine and takes its share of the cores: the figures are for both.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
seconds=${2:-15}
pg=${DEBRIEF_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
cargo build --release -q -p debrief -p debrief-testdata
bin=$(realpath "${CARGO_TARGET_DIR:-target}")/release/debrief
dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${CARGO_TARGET_DIR:-target}"/release/debrief-generate --typical "$dir/tree" "$count" > /dev/null
export DEBRIEF_PASSWORD='bench password long enough'

# A Lua script for wrk: each request picks a random postmortem or search word.
cat > "$dir/read.lua" << LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/postmortems/" .. math.random(1, $count))
end
LUA
cat > "$dir/search.lua" << 'LUA'
math.randomseed(42)
local words = {"ingress", "migration", "certificate", "stampede", "exporter", "poison", "kernel", "logging"}
local services = {"", "&service=checkout", "&service=ledger"}
request = function()
  local q = words[math.random(#words)] .. services[math.random(#services)]
  return wrk.format("GET", "/api/v1/search?limit=20&q=" .. q)
end
LUA

run() { # name, store arguments...
  local name=$1; shift
  "$bin" user add admin --function SRE --role admin "$@" > /dev/null
  local started; started=$(date +%s%N)
  DEBRIEF_LOG=warn "$bin" serve --listen 127.0.0.1:0 "$@" > "$dir/serve.out" 2> "$dir/serve.err" &
  server=$!
  until grep -q listening "$dir/serve.out" 2> /dev/null; do sleep 0.002; done
  local ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  local base; base=$(sed -n 's/^debrief: listening on //p' "$dir/serve.out")
  sleep 1
  local idle_kb; idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  curl -sf -c "$dir/jar" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$DEBRIEF_PASSWORD\"}" "$base/api/v1/session" > /dev/null
  local token; token=$(curl -sf -b "$dir/jar" -H 'sec-fetch-site: same-origin' -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  local seeded; seeded=$(date +%s%N)
  "$bin" import "$dir/tree" --server "$base" --token "$token" > /dev/null
  local seed_s; seed_s=$(awk -v n="$(( $(date +%s%N) - seeded ))" 'BEGIN {printf "%.1f", n / 1e9}')
  echo "== $name: $count postmortems imported in $seed_s s; ready in $ready_ms ms; idle memory $(( idle_kb / 1024 )) MB"
  for case in "read one:-s $dir/read.lua $base" "list 50:$base/api/v1/postmortems?limit=50" "search:-s $dir/search.lua $base"; do
    local label=${case%%:*} args=${case#*:}
    # shellcheck disable=SC2086
    wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" $args > "$dir/wrk.out"
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$dir/wrk.out")
    p50=$(awk '$1 == "50%" {print $2}' "$dir/wrk.out")
    p99=$(awk '$1 == "99%" {print $2}' "$dir/wrk.out")
    errors=$(awk '/Non-2xx/ {print $NF}' "$dir/wrk.out")
    printf '  %-9s %9s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
  done
  echo "  peak memory $(( $(awk '/VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MB"
  kill -TERM "$server"; wait "$server" || true; server=
}

stores=${DEBRIEF_BENCH_STORES:-sqlite postgres}
if [[ " $stores " == *" sqlite "* ]]; then
  run sqlite --data "$dir/data"
fi
if [[ " $stores " == *" postgres "* ]]; then
  db="debrief_bench_$$"
  if psql "$pg/postgres" -qc "CREATE DATABASE $db" 2> /dev/null; then
    run postgres --database-url "$pg/$db"
    psql "$pg/postgres" -qc "DROP DATABASE $db"
  else
    echo "== postgres: SKIPPED, no server at $pg"
  fi
fi

#!/usr/bin/env bash
# Load benchmark of `debrief serve` (release build) with a store seeded with typical generated
# postmortems, on SQLite and on PostgreSQL: requests per second and p50/p99 latency for
# reading one postmortem, listing and searching through the API, and for the web pages (a
# postmortem, the list, my work, search) with their size, with wrk at 64 connections, plus
# the server's time to ready, idle memory and peak memory. The pages are measured twice: as
# they are between two changes of the store (what they computed is kept; one pass over every
# postmortem first fills it), and computed on every view (page_cache_mb = 0), as the first
# view after a change is.
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

# Lua scripts for wrk: each request picks a random postmortem (ids are random, so they are
# read from the server once it is seeded, into ids.lua) or search word.
read_script() { # path prefix
  cat << LUA
math.randomseed(42)
dofile("$dir/ids.lua")
request = function()
  return wrk.format("GET", "$1" .. ids[math.random(#ids)])
end
LUA
}
read_script /api/v1/postmortems/ > "$dir/read.lua"
read_script /postmortems/ > "$dir/page.lua"
words=(ingress migration certificate stampede exporter poison kernel logging)
search_script() { # path
  cat << LUA
math.randomseed(42)
local words = {$(printf '"%s", ' "${words[@]}" | sed 's/, $//')}
local services = {"", "&service=checkout", "&service=ledger"}
request = function()
  local q = words[math.random(#words)] .. services[math.random(#services)]
  return wrk.format("GET", "$1" .. q)
end
LUA
}
search_script "/api/v1/search?limit=20&q=" > "$dir/search.lua"
search_script "/postmortems?q=" > "$dir/search-page.lua"

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
  token=$(curl -sf -b "$dir/jar" -H 'sec-fetch-site: same-origin' -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  local seeded; seeded=$(date +%s%N)
  "$bin" import "$dir/tree" --server "$base" --token "$token" > /dev/null
  local seed_s; seed_s=$(awk -v n="$(( $(date +%s%N) - seeded ))" 'BEGIN {printf "%.1f", n / 1e9}')
  echo "== $name: $count postmortems imported in $seed_s s; ready in $ready_ms ms; idle memory $(( idle_kb / 1024 )) MB"
  # PostgreSQL plans from table statistics, which autovacuum refreshes within a minute or so of
  # a bulk load; until then a freshly imported table looks nothing like it is (the facilitation
  # history was read by a sequential scan, 15 ms instead of 0.05). The figures are for a server
  # in its steady state, so the statistics are refreshed now rather than waited for.
  if [ "$name" = postgres ]; then psql "$pg/$db" -qc "ANALYZE"; fi
  # Every id, a page of 500 at a time.
  : > "$dir/ids"
  for ((offset = 0; ; offset += 500)); do
    curl -sf -H "Authorization: Bearer $token" "$base/api/v1/postmortems?limit=500&offset=$offset" \
      | { grep -o '"id":[0-9]*' || true; } | cut -d: -f2 > "$dir/page-ids"
    [ -s "$dir/page-ids" ] || break
    cat "$dir/page-ids" >> "$dir/ids"
  done
  # As strings: Lua prints a number of 16 digits in exponent form.
  { printf 'ids = {'; sed 's/.*/"&"/' "$dir/ids" | paste -sd,; printf '}\n'; } > "$dir/ids.lua"
  cookie=$(awk '$6 == "debrief_session" {print $6 "=" $7}' "$dir/jar")
  one=$(head -n 1 "$dir/ids")
  for case in "read one:api:-s $dir/read.lua $base" "list 50:api:$base/api/v1/postmortems?limit=50" \
    "search:api:-s $dir/search.lua $base"; do
    measure "$case"
  done
  # The pages keep what they computed until the store changes ([server] page_cache_mb): one
  # view of every page the runs ask for (every postmortem, every search, the list, my work)
  # fills it, as views do between two changes, and is not counted. The "computed" figures
  # below are those of pages computed on every view, as the first view after a change is.
  {
    sed 's#.*#/postmortems/&#' "$dir/ids"
    for word in "${words[@]}"; do
      for service in "" "&service=checkout" "&service=ledger"; do
        echo "/postmortems?q=$word$service"
      done
    done
    printf '/postmortems\n/\n'
  } | sed "s#.*#url = \"$base&\"\\noutput = /dev/null#" > "$dir/every-page.curl"
  curl -s --parallel --parallel-max 16 -H "Cookie: $cookie" -K "$dir/every-page.curl" 2> /dev/null
  for case in "page:web:-s $dir/page.lua $base" "list page:web:$base/postmortems" "my work:web:$base/" \
    "search pg:web:-s $dir/search-page.lua $base"; do
    measure "$case"
  done
  echo "  peak memory $(( $(awk '/VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MB"
  kill -TERM "$server"; wait "$server" || true; server=
  # The same pages computed on every view, as the first view after a change is.
  printf '[server]\npage_cache_mb = 0\n' > "$dir/computed.toml"
  DEBRIEF_LOG=warn "$bin" serve --listen 127.0.0.1:0 --config "$dir/computed.toml" "$@" \
    > "$dir/serve.out" 2> "$dir/serve.err" &
  server=$!
  until grep -q listening "$dir/serve.out" 2> /dev/null; do sleep 0.002; done
  base=$(sed -n 's/^debrief: listening on //p' "$dir/serve.out")
  for case in "page:web:-s $dir/page.lua $base" "list page:web:$base/postmortems" "my work:web:$base/" \
    "search pg:web:-s $dir/search-page.lua $base"; do
    measure "$case" " (computed)"
  done
  kill -TERM "$server"; wait "$server" || true; server=
}

measure() { # "label:kind:wrk arguments", label suffix; uses $base, $token, $cookie, $one
  local case=$1 suffix=${2:-}
  local label=${case%%:*} rest=${case#*:}
  local kind=${rest%%:*} args=${rest#*:}
  local auth="Authorization: Bearer $token" size=
  if [ "$kind" = web ]; then
    auth="Cookie: $cookie"
    local url; url=$(echo "$args" | awk '{print $NF}')
    case "$label" in
      page) url="$base/postmortems/$one" ;;
      "search pg") url="$base/postmortems?q=migration" ;;
    esac
    size=$(curl -sf -H "$auth" -o /dev/null -w '%{size_download}' "$url")
  fi
  # shellcheck disable=SC2086
  wrk -t2 -c64 -d"${seconds}s" --latency -H "$auth" $args > "$dir/wrk.out"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$dir/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$dir/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$dir/wrk.out")
  errors=$(awk '/Non-2xx/ {print $NF}' "$dir/wrk.out")
  printf '  %-20s %9s req/s   p50 %8s   p99 %8s   non-2xx %s%s\n' "$label$suffix" "$rps" "$p50" \
    "$p99" "${errors:-0}" "${size:+   page $(( size / 1024 )) KB}"
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

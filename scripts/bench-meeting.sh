#!/usr/bin/env bash
# Latency of a review meeting's changes from one participant to another's screen, across two
# instances of `debrief serve` (release build) on one PostgreSQL database, while wrk loads
# both instances with postmortem pages as scripts/bench-server.sh does (64 connections in
# all). The meeting's notes are made on one instance and timed until the other instance's
# live stream delivers them (debrief-meeting-latency): p50, p99 and the slowest.
#   scripts/bench-meeting.sh [CHANGES, default 300] [POSTMORTEMS, default 10000]
# Needs wrk (apt-get install wrk) and a PostgreSQL server at DEBRIEF_BENCH_POSTGRES
# (default postgres://postgres@127.0.0.1:5432) whose user may create databases.
set -euo pipefail
cd "$(dirname "$0")/.."
changes=${1:-300}
count=${2:-10000}
pg=${DEBRIEF_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
cargo build --release -q -p debrief -p debrief-testdata -p debrief-soak
target=$(realpath "${CARGO_TARGET_DIR:-target}")/release
bin=$target/debrief
dir=$(mktemp -d)
db="debrief_meeting_bench_$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
psql "$pg/postgres" -qc "CREATE DATABASE $db"
url="$pg/$db"
export DEBRIEF_PASSWORD='bench password long enough'
"$bin" user add admin --function SRE --role admin --database-url "$url" > /dev/null
"$bin" user add ops --function Ops --role contributor --database-url "$url" > /dev/null
"$bin" user add pm --function Product --role contributor --database-url "$url" > /dev/null
"$target/debrief-generate" --typical "$dir/tree" "$count" > /dev/null

bases=()
for i in 0 1; do
  DEBRIEF_LOG=warn "$bin" serve --listen 127.0.0.1:0 --database-url "$url" > "$dir/serve-$i.out" 2> "$dir/serve-$i.err" &
  pids+=($!)
  until grep -q listening "$dir/serve-$i.out" 2> /dev/null; do sleep 0.01; done
  bases+=("$(sed -n 's/^debrief: listening on //p' "$dir/serve-$i.out")")
done
writer=${bases[0]} reader=${bases[1]}

token_of() { # username: an API token, by signing in
  curl -sf -c "$dir/jar-$1" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$DEBRIEF_PASSWORD\"}" "$writer/api/v1/session" > /dev/null
  curl -sf -b "$dir/jar-$1" -H 'sec-fetch-site: same-origin' -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$writer/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
admin=$(token_of admin) ops=$(token_of ops)
call() { # token method path [json]
  curl -sf -X "$2" -H "Authorization: Bearer $1" -H 'content-type: application/json' \
    ${4:+-d "$4"} "$writer$3"
}
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

"$bin" import "$dir/tree" --server "$writer" --token "$admin" > /dev/null
psql "$url" -qc "ANALYZE"
# The meeting's postmortem: in review, ops facilitating, pm the scribe.
markdown='# Postmortem: Queue stalled, 2026-06-14\n\n## Summary\n\nThe order queue stalled.\n\n## Timeline (UTC)\n\n- 14:02 Deploy begins\n- 14:05 Alert fires\n- 14:40 Queue drains\n'
created=$(call "$admin" POST /api/v1/postmortems "{\"markdown\":\"$markdown\"}")
id=$(echo "$created" | field id)
version=$(call "$admin" PUT "/api/v1/postmortems/$id/facilitator" '{"username":"ops","version":1}' | field version)
version=$(call "$admin" PUT "/api/v1/postmortems/$id/scribe" "{\"username\":\"pm\",\"version\":$version}" | field version)
call "$admin" POST "/api/v1/postmortems/$id/transitions" "{\"to\":\"in_review\",\"version\":$version}" > /dev/null
call "$ops" PUT "/api/v1/postmortems/$id/meeting" '{"starts_at":1781000000}' > /dev/null
call "$ops" POST "/api/v1/postmortems/$id/meeting/changes" '{"kind":"start"}' > /dev/null

# The load: random postmortem pages on both instances, 32 connections each.
cookie=$(awk '$6 == "debrief_session" {print $6 "=" $7}' "$dir/jar-admin")
curl -sf -H "Authorization: Bearer $admin" "$writer/api/v1/postmortems?limit=500" \
  | grep -o '"id":[0-9]*' | cut -d: -f2 | sed 's/.*/"&"/' | paste -sd, | sed 's/^/ids = {/; s/$/}/' > "$dir/ids.lua"
cat > "$dir/page.lua" << LUA
math.randomseed(42)
dofile("$dir/ids.lua")
request = function()
  return wrk.format("GET", "/postmortems/" .. ids[math.random(#ids)])
end
LUA
for base in "$writer" "$reader"; do
  wrk -t1 -c32 -d600s -H "Cookie: $cookie" -s "$dir/page.lua" "$base" > /dev/null &
  pids+=($!)
done
sleep 2
echo "== two instances on PostgreSQL, $count postmortems, both under wrk (64 connections in all)"
"$target/debrief-meeting-latency" --writer "$writer" --reader "$reader" --token "$ops" \
  --postmortem "$id" --changes "$changes"

#!/usr/bin/env bash
# A soak: two instances on one PostgreSQL database and one on SQLite, under mixed load (reads,
# lists, searches, new postmortems, edits that conflict, evidence uploads, logins), with an
# instance killed by SIGKILL and restarted every KILL_EVERY seconds. Then every write a server
# acknowledged is read back, and both stores are checked. Prints requests by answer, 5xx
# (goal: none), acknowledged writes missing (goal: none) and the integrity checks; exits 1 when
# a goal is missed.
#
#   scripts/soak.sh [SECONDS, default 600]
#
# Environment: DEBRIEF_SOAK_POSTGRES, a PostgreSQL server URL whose user may create databases
# (default postgres://postgres@127.0.0.1:5432/test; a fresh database is made and dropped);
# KILL_EVERY (seconds, default 60); WORKERS (per store, default 4); PROFILE (cargo profile,
# default release); PORT (the first of three ports, default 18101).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
kill_every=${KILL_EVERY:-60}
workers=${WORKERS:-4}
profile=${PROFILE:-release}
first_port=${PORT:-18101}
base=${DEBRIEF_SOAK_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}

cargo build --profile "$profile" -q -p debrief -p debrief-soak
dir=$profile
[ "$profile" = dev ] && dir=debug
bin="${CARGO_TARGET_DIR:-target}/$dir/debrief"
soak="${CARGO_TARGET_DIR:-target}/$dir/debrief-soak"

work=$(mktemp -d)
database="debrief_soak_$$_$(date +%s)"
postgres="${base%/*}/$database"
password='the soak password, long enough'
declare -a pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  psql -q "$base" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  echo "logs and ledger kept in $work"
}
trap cleanup EXIT

psql -q "$base" -c "CREATE DATABASE $database"
DEBRIEF_PASSWORD=$password "$bin" user add soak --function SRE --role admin --database-url "$postgres" >/dev/null
DEBRIEF_PASSWORD=$password "$bin" user add soak --function SRE --role admin --data "$work/sqlite" >/dev/null

port() { echo $((first_port + $1)); }

# Instance 0 and 1 share PostgreSQL; instance 2 has the SQLite store.
start() {
  local i=$1 store
  if [ "$i" -lt 2 ]; then store=(--database-url "$postgres"); else store=(--data "$work/sqlite"); fi
  "$bin" serve --listen "127.0.0.1:$(port "$i")" "${store[@]}" >>"$work/server-$i.log" 2>&1 &
  pids[i]=$!
  # Killed on purpose: no job notice when it dies.
  disown "${pids[i]}"
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$(port "$i")/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "instance $i did not start; see $work/server-$i.log" >&2
  return 1
}

# SIGKILL, and wait until the process is gone.
stop() {
  kill -9 "${pids[$1]}" 2>/dev/null || true
  while kill -0 "${pids[$1]}" 2>/dev/null; do sleep 0.05; done
}

for i in 0 1 2; do start "$i"; done
groups=(
  "postgres=http://127.0.0.1:$(port 0),http://127.0.0.1:$(port 1)"
  "sqlite=http://127.0.0.1:$(port 2)"
)

echo "soak: $seconds s, an instance killed every $kill_every s, $workers workers per store"
"$soak" load --seconds "$seconds" --workers "$workers" --ledger "$work/ledger.jsonl" \
  --password "$password" "${groups[@]}" >"$work/load.txt" &
load=$!

kills=0
started=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  # Sleep in short steps, so that the soak ends when the load does.
  for _ in $(seq 1 $((kill_every * 10))); do
    kill -0 "$load" 2>/dev/null || break 2
    sleep 0.1
  done
  i=$((RANDOM % 3))
  stop "$i"
  kills=$((kills + 1))
  echo "  $(($(date +%s) - started)) s: instance $i killed with SIGKILL, restarting"
  start "$i"
done
load_ok=0
wait "$load" || load_ok=$?
cat "$work/load.txt"

# Every instance stopped and started again: what was acknowledged must have been kept.
for i in 0 1 2; do stop "$i"; done
for i in 0 1 2; do start "$i"; done
verify_ok=0
"$soak" verify --ledger "$work/ledger.jsonl" --password "$password" "${groups[@]}" || verify_ok=$?

# Each store's own check, and its history against its postmortems.
disagree="SELECT COUNT(*) FROM postmortems p WHERE p.version <>
  (SELECT MAX(v.version) FROM postmortem_versions v WHERE v.postmortem_id = p.id)"
sqlite_check=$(sqlite3 "$work/sqlite/debrief.sqlite3" 'PRAGMA integrity_check;')
sqlite_disagree=$(sqlite3 "$work/sqlite/debrief.sqlite3" "$disagree;")
postgres_disagree=$(psql -qtA "$postgres" -c "$disagree")
postgres_indexes=$(psql -qtA "$postgres" -c "SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid")
echo "kills: $kills"
echo "sqlite integrity_check: $sqlite_check; postmortems whose history disagrees: $sqlite_disagree"
echo "postgres invalid indexes: $postgres_indexes; postmortems whose history disagrees: $postgres_disagree"

if [ "$load_ok" -ne 0 ] || [ "$verify_ok" -ne 0 ] || [ "$sqlite_check" != ok ] ||
  [ "$sqlite_disagree" != 0 ] || [ "$postgres_disagree" != 0 ] || [ "$postgres_indexes" != 0 ]; then
  echo "soak: FAILED"
  exit 1
fi
echo "soak: passed"

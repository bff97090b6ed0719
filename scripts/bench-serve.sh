#!/usr/bin/env bash
# The serve benchmark (issues #13 and #28), in three parts; each prints its figures and the
# goals they answer to.
#
#   scripts/bench-serve.sh [checks] [AGENTS] [ROUNDS] [SECONDS]
#     On a synthetic store of AGENTS agents (default 50,000), wrk asks `outboundctl serve` for
#     random agents' single checks and, in the same run and alternating round by round, a bare
#     Hummingbird route answering a fixed JSON of the same size (`outboundctl-bench
#     bare-route`). Prints medians over ROUNDS and the ratios that count: serve's rate / the
#     bare route's, serve's p99 / the bare route's, a 1,000-check batch's p99 / a single
#     check's (both on one connection, so queueing does not enter), the start-up time, the
#     resident memory, and how long an apply takes to be served.
#   scripts/bench-serve.sh churn [AGENTS] [REVISIONS] [INTERVAL]
#     One serve on SQLite while an admin applies REVISIONS (default 100) one-agent revisions
#     INTERVAL (0.5) seconds apart: resident memory (peak, and whether it stays flat) and the
#     freshness of every revision (p50, p99), by scripts/bench/serve_churn.py.
#   scripts/bench-serve.sh replicas [AGENTS] [ROUNDS] [SECONDS]
#     Three serves on one throwaway PostgreSQL (scripts/dev-postgres.sh), wrk on two of them
#     for SECONDS (default 60) while 8 admins apply at once, ROUNDS (default 3) times:
#     freshness on every replica, wrk's and the applies' errors, resident memory per replica.
#   scripts/bench-serve.sh explain [AGENTS] [ROUNDS] [SECONDS]
#     One serve on a throwaway PostgreSQL; wrk asks for random agents' explains (which read
#     the store) over 32 connections, against the default --store-reads 4: rate, p50, p99, and
#     the most threads and connections the serve held. With BASELINE=/path/to/outboundctl, the
#     same against that binary in the same run, alternating round by round.
set -euo pipefail
cd "$(dirname "$0")/.."
part=checks
case "${1:-}" in checks | churn | replicas | explain) part=$1; shift ;; esac
agents=${1:-50000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product outboundctl >/dev/null
swift build -c release --product outboundctl-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${postgres_stop:-}" ]; then $postgres_stop >/dev/null 2>&1 || true; rm -rf "$postgres_dir"; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/outboundctl-bench" generate --agents "$agents" "$work/tenant"

serve() { # STORE PORT → starts a serve, waits for its "listening" line; its pid in $serve_pid
  "$bin/outboundctl" serve --store "$1" --listen "127.0.0.1:$2" 2>"$work/serve-$2.log" &
  serve_pid=$!
  pids+=($serve_pid)
  until grep -q '"listening"' "$work/serve-$2.log" 2>/dev/null; do sleep 0.01; done
}

if [ "$part" = churn ]; then
  "$bin/outboundctl" apply "$work/tenant" --store "$work/outbound.sqlite" -q >/dev/null
  serve "$work/outbound.sqlite" 18472
  echo "churn: $agents agents, ${2:-100} one-agent revisions ${3:-0.5} s apart, one serve on SQLite"
  python3 scripts/bench/serve_churn.py --bin "$bin" --tenant "$work/tenant" --store "$work/outbound.sqlite" \
    --serve "http://127.0.0.1:18472:$serve_pid" --revisions "${2:-100}" --interval "${3:-0.5}"
  echo "goals: resident peak <= 150 MB and flat after the first revisions; freshness p50 and p99 <= 1 s"
  exit 0
fi

postgres_store() { # → a throwaway PostgreSQL (stopped at exit) holding the tenant: $url, $store
  # Its own directory (dev-postgres.sh runs the server as `postgres` when this runs as root).
  postgres=$(scripts/dev-postgres.sh --stop-with $$)
  postgres_dir=$(echo "$postgres" | sed -n 's/^dir=//p')
  url=$(echo "$postgres" | sed -n 's/^url=//p')
  postgres_stop=$(echo "$postgres" | sed -n 's/^stop=//p')
  store="$url&schema=bench"
  "$bin/outboundctl" apply "$work/tenant" --store "$store" -q >/dev/null
}

if [ "$part" = explain ]; then
  rounds=${2:-3}
  seconds=${3:-10}
  postgres_store
  declare -A results
  binaries=("$bin/outboundctl")
  [ -n "${BASELINE:-}" ] && binaries+=("$BASELINE")
  for round in $(seq "$rounds"); do
    for binary in "${binaries[@]}"; do
      "$binary" serve --store "$store" --listen 127.0.0.1:18476 2>"$work/serve-explain.log" &
      serve_pid=$!
      until grep -q '"listening"' "$work/serve-explain.log" 2>/dev/null; do sleep 0.01; done
      : >"$work/samples"
      ( while kill -0 "$serve_pid" 2>/dev/null; do
          echo "$(ls "/proc/$serve_pid/task" | wc -l) $(psql --no-psqlrc -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'outboundctl%'" "$url")" >>"$work/samples"
          sleep 0.2
        done ) &
      sampler=$!
      line=$(env AGENTS="$agents" PATH_SUFFIX="/explain?channel=sms" wrk -t1 -c32 -d"${seconds}s" -s scripts/wrk/agents.lua http://127.0.0.1:18476 | grep '^RESULT')
      kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
      peak=$(awk '$1 > t { t = $1 } $2 > c { c = $2 } END { print t, c }' "$work/samples")
      results[$binary]+="$(echo "$line" | sed -E 's/.*rps=([0-9.]+) p50=([0-9.]+) p99=([0-9.]+) non2xx=([0-9]+) errors=([0-9]+).*/\1 \2 \3 \4 \5/') $peak"$'\n'
    done
    echo "round $round of $rounds done" >&2
  done
  median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  column() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF { print $c }' | median; }
  echo "explain: $agents agents on PostgreSQL, wrk -c32 for ${seconds} s, --store-reads 4, $rounds rounds, medians"
  printf '%-12s %9s %8s %8s %7s %7s %8s %6s\n' binary req/s p50_ms p99_ms non2xx errors threads conns
  for binary in "${binaries[@]}"; do
    label=$([ "$binary" = "$bin/outboundctl" ] && echo this || echo baseline)
    printf '%-12s %9s %8s %8s %7s %7s %8s %6s\n' "$label" "$(column "$binary" 1)" "$(column "$binary" 2)" "$(column "$binary" 3)" \
      "$(column "$binary" 4)" "$(column "$binary" 5)" "$(column "$binary" 6)" "$(column "$binary" 7)"
  done
  echo "goals: connections <= --store-reads + 2 = 6; threads flat however many requests wait"
  exit 0
fi

if [ "$part" = replicas ]; then
  rounds=${2:-3}
  seconds=${3:-60}
  postgres_store
  serve "$store" 18473; first=$serve_pid
  serve "$store" 18474; second=$serve_pid
  serve "$store" 18475; third=$serve_pid
  env AGENTS="$agents" wrk -t1 -c32 -d"${seconds}s" -s scripts/wrk/agents.lua http://127.0.0.1:18473 >"$work/wrk-1.txt" &
  wrk_one=$!
  env AGENTS="$agents" wrk -t1 -c32 -d"${seconds}s" -s scripts/wrk/agents.lua http://127.0.0.1:18474 >"$work/wrk-2.txt" &
  wrk_two=$!
  echo "replicas: $agents agents on PostgreSQL, 3 serves, wrk (32 connections) on the first two for ${seconds} s,"
  echo "8 admins applying at once, $rounds rounds"
  python3 scripts/bench/serve_churn.py --bin "$bin" --tenant "$work/tenant" --store "$store" --admins 8 --revisions "$rounds" \
    --serve "http://127.0.0.1:18473:$first" --serve "http://127.0.0.1:18474:$second" --serve "http://127.0.0.1:18475:$third"
  wait "$wrk_one" "$wrk_two"
  grep '^RESULT' "$work/wrk-1.txt" | sed 's/^/wrk on serve 1: /'
  grep '^RESULT' "$work/wrk-2.txt" | sed 's/^/wrk on serve 2: /'
  echo "connections held by the serves at the end: $(psql --no-psqlrc -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'outboundctl' AND pid <> pg_backend_pid()" "$url")"
  echo "goals: freshness p50 and p99 <= 1 s on every replica, 0 errors, resident <= 150 MB each"
  exit 0
fi

rounds=${2:-5}
seconds=${3:-10}
"$bin/outboundctl" apply "$work/tenant" --store "$work/outbound.sqlite" -q >/dev/null

# Start-up: from exec to the "listening" line, with the whole revision loaded.
started=$(date +%s.%N)
"$bin/outboundctl" serve --store "$work/outbound.sqlite" --listen 127.0.0.1:18470 2>"$work/serve.log" &
pids+=($!)
serve_pid=$!
until grep -q '"listening"' "$work/serve.log" 2>/dev/null; do sleep 0.01; done
startup=$(echo "$(date +%s.%N) - $started" | bc)

curl -s "http://127.0.0.1:18470/v1/agents/agent-1/outbound?channel=sms" >"$work/answer.json"
"$bin/outboundctl-bench" bare-route --port 18471 --body "$work/answer.json" >"$work/bare.log" &
pids+=($!)
until grep -q listening "$work/bare.log" 2>/dev/null; do sleep 0.01; done

python3 - "$agents" >"$work/batch.json" <<'PY'
import json, random, sys
agents = int(sys.argv[1])
print(json.dumps({"checks": [{"id": str(i), "agent": f"agent-{random.randrange(agents)}", "channel": random.choice(["sms", "email"])} for i in range(1000)]}))
PY

run() { # PORT CONNECTIONS [ENV...] → "rps p50 p99"
  local port=$1 connections=$2; shift 2
  local line
  line=$(env AGENTS="$agents" "$@" wrk -t1 -c"$connections" -d"${seconds}s" -s scripts/wrk/agents.lua "http://127.0.0.1:$port" | grep '^RESULT')
  case "$line" in *"non2xx=0 errors=0"*) ;; *) echo "wrk saw errors: $line" >&2; exit 1;; esac
  echo "$line" | sed -E 's/.*rps=([0-9.]+) p50=([0-9.]+) p99=([0-9.]+).*/\1 \2 \3/'
}

declare -A results
for round in $(seq "$rounds"); do
  results[serve]+="$(run 18470 64)"$'\n'
  results[bare]+="$(run 18471 64)"$'\n'
  results[single1]+="$(run 18470 1)"$'\n'
  results[batch1]+="$(run 18470 1 BODY_FILE="$work/batch.json")"$'\n'
  echo "round $round of $rounds done" >&2
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF { print $c }' | median; }

rss=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$serve_pid/status")

# An apply made by another process: how long until serve answers from it.
before=$(curl -s http://127.0.0.1:18470/v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
sed -i 's/^  agent-7:$/  agent-7:\n    active: false/' "$work/tenant/agents-000.yaml"
"$bin/outboundctl" apply "$work/tenant" --store "$work/outbound.sqlite" -q --yes >/dev/null
applied=$(date +%s.%N)
until [ "$(curl -s http://127.0.0.1:18470/v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')" -gt "$before" ]; do sleep 0.01; done
visible=$(echo "$(date +%s.%N) - $applied" | bc)

printf '%s agents, %s rounds of %s s, medians; wrk -t1 on the same 2 cores\n' "$agents" "$rounds" "$seconds"
printf '%-34s %10s %9s %9s\n' case req/s p50_ms p99_ms
for name in serve bare single1 batch1; do
  label=$(case $name in serve) echo "serve, single check, 64 conns";; bare) echo "bare route, 64 conns";;
          single1) echo "serve, single check, 1 conn";; batch1) echo "serve, 1,000-check batch, 1 conn";; esac)
  printf '%-34s %10s %9s %9s\n' "$label" "$(column $name 1)" "$(column $name 2)" "$(column $name 3)"
done
ratio() { echo "scale=3; $1 / $2" | bc; }
echo "rate serve / bare:            $(ratio "$(column serve 1)" "$(column bare 1)")   (goal >= 0.70)"
echo "p99 serve / bare:             $(ratio "$(column serve 3)" "$(column bare 3)")   (goal <= 1.5)"
echo "p99 batch / single check:     $(ratio "$(column batch1 3)" "$(column single1 3)")   (goal <= 20)"
echo "start-up:                     ${startup} s   (goal <= 1)"
echo "resident peak:                ${rss} MB   (goal <= 150)"
echo "apply visible after:          ${visible} s   (goal <= 1)"

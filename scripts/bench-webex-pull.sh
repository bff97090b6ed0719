#!/usr/bin/env bash
# The webex pull benchmark (issue #26): a tenant of USERS users (default 50,000), written by
# scripts/webex-fixture.py and served by the fake Webex API (Tests/FakeWebex) with Cisco's
# default page of 100, is pulled RUNS times at --rate RATE (default 300, Cisco's limit), and
# imported RUNS times with `import webex`. Prints the requests made, the medians, and the
# ratios that count: the pull's time / the minimum its request count allows at RATE (requests
# ÷ RATE a minute; the goal is ≤ 1.2), and the pull's time / the import's.
#   scripts/bench-webex-pull.sh [USERS] [RATE] [RUNS]
# OUTBOUNDCTL=path runs another build (default: a release build in .build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-50000}
rate=${2:-300}
runs=${3:-3}
if [ -z "${OUTBOUNDCTL:-}" ]; then
  swift build -c release --scratch-path .build-release --product outboundctl >/dev/null
  OUTBOUNDCTL=.build-release/release/outboundctl
fi
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 scripts/webex-fixture.py "$work/export" --users "$users" >/dev/null
org=5d1f3a6e-2c44-4e0b-9a59-7c1b2f0e8a31
python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$work/token"
python3 Tests/FakeWebex/fake_webex.py --export "$work/export" --org "$org" --token-file "$work/token" \
  --page-cap 100 --log "$work/requests.jsonl" > "$work/fake.out" 2>"$work/fake.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/^listening on //p' "$work/fake.out")
[ -n "$api" ] || { cat "$work/fake.err" >&2; exit 1; }

now() { date +%s.%N; }
pulls=() requests=()
for run in $(seq "$runs"); do
  before=$(wc -l < "$work/requests.jsonl" 2>/dev/null || echo 0)
  start=$(now)
  "$OUTBOUNDCTL" webex pull --out "$work/raw-$run" --org "$org" --api "$api" --token-file "$work/token" --rate "$rate" -q
  end=$(now)
  after=$(wc -l < "$work/requests.jsonl")
  pulls+=("$start:$end")
  requests+=("$((after - before))")
  cmp -s <(cat "$work/raw-1"/*.json) <(cat "$work/raw-$run"/*.json) || { echo "run $run pulled other bytes than run 1" >&2; exit 1; }
done
imports=()
for run in $(seq "$runs"); do
  start=$(now)
  "$OUTBOUNDCTL" import webex "$work/export" --out "$work/config-$run" -q
  end=$(now)
  imports+=("$start:$end")
done

python3 - "$rate" "${requests[*]}" "${pulls[*]}" "${imports[*]}" <<'PY'
import statistics, sys
rate = int(sys.argv[1])
requests = [int(x) for x in sys.argv[2].split()]
def spans(text):
    return [float(end) - float(start) for start, end in (pair.split(":") for pair in text.split())]
pulls, imports = spans(sys.argv[3]), spans(sys.argv[4])
pull, imp = statistics.median(pulls), statistics.median(imports)
minimum = statistics.median(requests) * 60 / rate
print(f"requests per pull: {requests}")
print(f"pull at --rate {rate}: median {pull:.2f} s of {[round(p, 2) for p in pulls]}")
print(f"minimum at --rate {rate} (requests / rate a minute): {minimum:.2f} s")
print(f"pull / minimum: {pull / minimum:.3f}  (goal <= 1.2)")
print(f"import webex of the same export: median {imp:.2f} s of {[round(i, 2) for i in imports]}")
print(f"pull / import: {pull / imp:.1f}")
PY

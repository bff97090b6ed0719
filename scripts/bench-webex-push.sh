#!/usr/bin/env bash
# The webex push benchmark (issue #27): a tenant of USERS users (default 1,000), written by
# scripts/webex-fixture.py and served by the fake Webex API (Tests/FakeWebex), is pulled and
# imported once; AGENTS agents (default 1,000) are then moved to another desktop profile in
# the files, and
# `webex push` sends that change RUNS times with bulk (PATCH user/bulk, 100 users a request)
# and RUNS times without (--no-bulk: GET and PUT per user), each against a fresh fake at
# --rate RATE (default 300, Cisco's limit). Prints the requests each push made, the medians,
# and the ratio that counts: the push's wall time / the minimum its request count allows at
# RATE (requests ÷ RATE a minute). The push's time includes its own pull of the tenant.
#   scripts/bench-webex-push.sh [USERS] [RATE] [RUNS] [RUNS_WITHOUT_BULK] [AGENTS]
# OUTBOUNDCTL=path runs another build (default: a release build in .build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-1100}
rate=${2:-300}
runs=${3:-3}
runs_single=${4:-$runs}
agents=${5:-1000}
extra=Tests/Fixtures/webex/extra.yaml  # the generated tenant's entry points are the fixture's
if [ -z "${OUTBOUNDCTL:-}" ]; then
  swift build -c release --scratch-path .build-release --product outboundctl >/dev/null
  OUTBOUNDCTL=.build-release/release/outboundctl
fi
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 scripts/webex-fixture.py "$work/export" --users "$users" >/dev/null
org=5d1f3a6e-2c44-4e0b-9a59-7c1b2f0e8a31
python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$work/token"

start_fake() {
  rm -f "$work/requests.jsonl" "$work/fake.out"
  python3 Tests/FakeWebex/fake_webex.py --export "$work/export" --org "$org" --token-file "$work/token" \
    --log "$work/requests.jsonl" > "$work/fake.out" 2>"$work/fake.err" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
  api=$(sed -n 's/^listening on //p' "$work/fake.out")
  [ -n "$api" ] || { cat "$work/fake.err" >&2; exit 1; }
}
stop_fake() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

start_fake
"$OUTBOUNDCTL" webex pull --out "$work/raw" --org "$org" --api "$api" --token-file "$work/token" --rate 100000 -q
cp "$extra" "$work/raw/extra.yaml"
"$OUTBOUNDCTL" import webex "$work/raw" --out "$work/config" -q
stop_fake
# AGENTS agents to another desktop profile: one changed Webex field (agentProfileId) each.
python3 - "$work/config" "$agents" <<'PY'
import pathlib, re, sys
config, wanted = pathlib.Path(sys.argv[1]), int(sys.argv[2])
profiles = re.findall(r"^  ([^\s:]+):", (config / "desktopProfiles.yaml").read_text(), re.M)
agents = config / "agents.yaml"
moved = 0
def move(match):
    global moved
    if moved == wanted:
        return match[0]
    moved += 1
    return match[1] + next(p for p in profiles if p != match[2])
agents.write_text(re.sub(r"^(    desktopProfile: )(\S+)$", move, agents.read_text(), flags=re.M))
if moved < wanted:
    sys.exit(f"only {moved} agents have a desktop profile; give more USERS")
print(f"{moved} agents moved to another desktop profile", file=sys.stderr)
PY

now() { date +%s.%N; }
push() {  # push MODE: one run against a fresh fake; prints "seconds:requests"
  start_fake
  local flags=()
  [ "$1" = single ] && flags=(--no-bulk)
  local start end
  start=$(now)
  "$OUTBOUNDCTL" webex push "$work/config" --extra "$extra" --yes --org "$org" --api "$api" --token-file "$work/token" --rate "$rate" \
    --journal "$work/journal" -q "${flags[@]}" > "$work/push.out" || { cat "$work/push.out" >&2; exit 1; }
  end=$(now)
  local requests
  requests=$(wc -l < "$work/requests.jsonl")
  "$OUTBOUNDCTL" webex plan "$work/config" --extra "$extra" --org "$org" --api "$api" --token-file "$work/token" --rate 100000 \
    --detailed-exitcode -q > /dev/null || { echo "the plan after the push is not empty" >&2; exit 1; }
  stop_fake
  echo "$start:$end:$requests"
}
bulk=() single=()
for _ in $(seq "$runs"); do bulk+=("$(push bulk)"); done
for _ in $(seq "$runs_single"); do single+=("$(push single)"); done

python3 - "$rate" "${bulk[*]}" "${single[*]}" <<'PY'
import statistics, sys
rate = int(sys.argv[1])
def report(name, text):
    runs = [(float(end) - float(start), int(requests)) for start, end, requests in (run.split(":") for run in text.split())]
    if not runs:
        return
    seconds = statistics.median(r[0] for r in runs)
    requests = statistics.median(r[1] for r in runs)
    minimum = requests * 60 / rate
    print(f"{name}: requests {[r[1] for r in runs]}, wall median {seconds:.2f} s of {[round(r[0], 2) for r in runs]}")
    print(f"  minimum at --rate {rate} (requests / rate a minute): {minimum:.2f} s; wall / minimum: {seconds / minimum:.3f}")
report("with bulk (PATCH user/bulk)", sys.argv[2])
report("without bulk (--no-bulk)", sys.argv[3])
PY

#!/usr/bin/env bash
# The support console's pictures in docs/images/ (shown in the README): the agent page, the
# overview and the revisions at desktop (1280 px) and phone (390 px) widths, taken with the
# browser tests' setup (headless chromium, chromium-driver, selenium) from a serve on
# examples/acme with two revisions. Needs what scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product outboundctl >/dev/null
bin="$(swift build --show-bin-path)/outboundctl"
work="$(mktemp -d)"
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cp -r examples/acme "$work/acme"
"$bin" apply "$work/acme" --store "$work/outbound.sqlite" --author "Rita Alves" --message "Acme: first import" --yes --quiet >/dev/null
sed -i 's/name: Email desk/name: Email desk (Porto)/' "$work/acme/organisation.yaml"
"$bin" apply "$work/acme" --store "$work/outbound.sqlite" --author "Rita Alves" --message "Rename the Porto email desk" --yes --quiet >/dev/null

"$bin" serve --store "$work/outbound.sqlite" --listen 127.0.0.1:0 2>"$work/serve.log" &
serve_pid=$!
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/serve.log" | head -1)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start: $(cat "$work/serve.log")" >&2; exit 1; }

python3 Tests/Browser/console_test.py --plain "$url" --screenshots docs/images

#!/usr/bin/env bash
# Fuzzes the front end and the Webex export reader with libFuzzer (from the Swift toolchain)
# and AddressSanitizer.
#   scripts/fuzz.sh SECONDS [extra libFuzzer flags]
# Crashes, hangs (> 1 s) and out-of-memory inputs land in .build-fuzz/artifacts; copy each one
# into Tests/Fixtures/fuzz-regressions/ so `swift test` replays it for ever.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
out=.build-fuzz
mkdir -p "$out/corpus" "$out/artifacts"
# Every source of the front end but the SHA-256 digest, which needs swift-crypto (a package
# swiftc alone cannot build), the desired state that calls it and the store's gate reads that use
# the desired state; and the Webex export reader
# without the API client, which needs AsyncHTTPClient. None of those is part of what the fuzzer
# runs. It is all one module here, so the Webex sources' `import OutboundConfig` is a warning.
sources=$(find Sources/OutboundConfig Sources/OutboundWebex/Export Sources/OutboundWebex/Schema Sources/OutboundWebex/Mapping -name '*.swift' \
  | sort | grep -v -e '/CanonicalDigest.swift$' -e '/DesiredState.swift$' -e '/GateReads.swift$')
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name OutboundConfig -package-name outboundctl -suppress-warnings \
  -I Sources/CYAML $(pkg-config --libs yaml-0.1) \
  $sources Fuzz/FuzzEntry.swift \
  -o "$out/fuzz-front-end" 2> "$out/build.log" || { cat "$out/build.log"; exit 1; }
seeds="$out/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
find examples Tests/Fixtures -name '*.yaml' -o -name '*.yml' -o -path '*/webex/tenant/*.json' | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr '/' '_')"; done
"$out/fuzz-front-end" "$out/corpus" "$seeds" \
  -dict=Fuzz/outbound.dict -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$@"

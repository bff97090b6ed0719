#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and ThreadSanitizer, each in its own build
# folder. Slower than `swift test` (several minutes each), so not part of .ci/run: run it
# before resolving work that touches concurrency, parsing or the store.
set -euo pipefail
cd "$(dirname "$0")/.."
# XCTest and Foundation's Process on Linux leave test-harness objects (teardown blocks,
# pipes) alive at exit; LeakSanitizer would report those, not our code, so it is off.
# AddressSanitizer still stops at every memory error.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
for sanitizer in address thread; do
  echo "== swift test --sanitize=$sanitizer"
  swift test --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" "$@"
done

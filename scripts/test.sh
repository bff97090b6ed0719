#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the build and the tests need
# when it is missing (Debian packages, Python modules), then runs `swift test`.
# Extra arguments go to `swift test` (e.g. `scripts/test.sh --filter StoreCommandTests`).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
pkg-config --exists yaml-0.1 2>/dev/null || missing+=(libyaml-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v runuser >/dev/null || missing+=(util-linux)
command -v faketime >/dev/null || missing+=(faketime)     # the time-travel tests move other processes' clocks
command -v sqlite3 >/dev/null || missing+=(sqlite3)
# The PostgreSQL tests start a throwaway server (scripts/dev-postgres.sh); Debian keeps initdb
# out of PATH, in /usr/lib/postgresql/VERSION/bin.
command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v wrk >/dev/null || missing+=(wrk)               # scripts/bench-serve.sh
command -v bc >/dev/null || missing+=(bc)
command -v curl >/dev/null || missing+=(curl)
command -v chromium >/dev/null || missing+=(chromium)               # the console's browser tests (Tests/Browser)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
# The schema tests run scripts/check-schema.py (jsonschema validates, PyYAML reads the files);
# the reporter tests parse JUnit with Python's own xml module; the serve tests check
# schemas/openapi.json with openapi-spec-validator and drive a running serve with schemathesis.
# The Webex fixture tests check Tests/Fixtures/webex against Cisco's schemas with openapi-schema-validator,
# and the fake Webex Contact Center API the webex tests run (Tests/FakeWebex) checks every request with it.
for module in jsonschema:jsonschema yaml:pyyaml openapi_spec_validator:openapi-spec-validator schemathesis:schemathesis openapi_schema_validator:openapi-schema-validator; do
  python3 -c "import ${module%%:*}" 2>/dev/null \
    || python3 -m pip install --quiet "${module#*:}" \
    || python3 -m pip install --quiet --break-system-packages "${module#*:}"
done
# The console's browser tests drive chromium with selenium.
python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium || python3 -m pip install --quiet --break-system-packages selenium

# The code's format (.swift-format, `swift format` ships with the toolchain):
# `swift format format -i -r --configuration .swift-format Sources Tests` fixes what this finds.
swift format lint --strict --configuration .swift-format -r Sources Tests

# The fake Webex Contact Center API's own tests: the webex tests trust what it logs.
python3 -m unittest discover -s Tests/FakeWebex -p 'test_*.py'

exec swift test "$@"

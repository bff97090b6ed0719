#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from the system's install, for trying the PostgreSQL
# store by hand and for the tests (Tests/PostgresTestSupport runs this very script):
#
#   scripts/dev-postgres.sh [--stop-with PID] [DIR]
#
# initdb into DIR (default: a new temporary directory), the server's unix socket in DIR, TCP on
# 127.0.0.1 at a free port; run as user `postgres` when this runs as root (PostgreSQL refuses
# to run as root). The superuser `postgres` has the password `postgres` over TCP (so wrong
# passwords can be tried); over the socket no password is asked. A database `outboundctl`
# exists. Prints, one per line:
#   url=postgres://postgres@localhost:PORT/outboundctl?host=DIR   (the socket: use this one)
#   tcp=postgres://postgres@127.0.0.1:PORT/outboundctl            (TCP; PGPASSWORD=postgres)
#   dir=DIR
#   stop=pg_ctl -D DIR/data stop -m immediate
#   start=pg_ctl … start                                        (starts it again after a stop)
# With --stop-with PID the server stops by itself once process PID has ended (the tests pass
# their own, so a killed test run leaves no server behind).
set -euo pipefail

# Descriptors inherited beyond 0-2 are closed (bash keeps 255 for this script): the server
# left running would hold them, and a caller waiting for their end would wait forever
# (Foundation's Process on Linux learns that its child ended through such a socket).
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
done

stop_with=""
if [ "${1:-}" = "--stop-with" ]; then stop_with="$2"; shift 2; fi
dir="${1:-$(mktemp -d /tmp/outboundctl-postgres.XXXXXX)}"
mkdir -p "$dir"

# Debian puts the server's programs out of PATH, under /usr/lib/postgresql/VERSION/bin.
bin=""
if ! command -v initdb >/dev/null; then
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "error: PostgreSQL's initdb was not found; install the server: apt-get install postgresql" >&2
    exit 1
  fi
  bin="$bin/"
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false postgres
  chown postgres "$dir"
  chmod 755 "$dir"
  as_owner=(runuser -u postgres --)
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo postgres > "$dir/pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
"${as_owner[@]}" "${bin}initdb" --pgdata="$dir/data" --username=postgres --pwfile="$dir/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"
# fsync off: a throwaway server needs no durability across power loss, and the tests run faster.
start=("${as_owner[@]}" "${bin}pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait
  "--options=-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" start)
"${start[@]}" >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as_owner[@]}" psql --quiet --host="$dir" --port="$port" --username=postgres --dbname=postgres \
  --command="CREATE DATABASE outboundctl" >/dev/null

if [ -n "$stop_with" ]; then
  (
    while kill -0 "$stop_with" 2>/dev/null; do sleep 1; done
    "${as_owner[@]}" "${bin}pg_ctl" --pgdata="$dir/data" stop -m immediate >/dev/null 2>&1
    rm -rf "$dir"
  ) </dev/null >/dev/null 2>&1 &
  disown
fi

echo "url=postgres://postgres@localhost:$port/outboundctl?host=$dir"
echo "tcp=postgres://postgres@127.0.0.1:$port/outboundctl"
echo "dir=$dir"
echo "stop=${as_owner[*]} ${bin}pg_ctl -D $dir/data stop -m immediate"
printf 'start='; printf '%q ' "${start[@]}"; echo

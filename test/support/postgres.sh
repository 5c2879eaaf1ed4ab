#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on loopback only.
#
#   postgres.sh start DIR   initdb into DIR, start a server on 127.0.0.1 at a free port with its
#                           socket in DIR, create the database evb_test, and print its URL on
#                           stdout (everything else goes to stderr).
#   postgres.sh restart DIR restart that server (fast shutdown), same port: for reconnect tests.
#   postgres.sh stop DIR    stop that server (fast shutdown) and remove DIR.
#
# DIR should be a new empty folder (mktemp -d). Needs Debian's postgresql package. As root, the
# server runs as the postgres user, since PostgreSQL refuses to run as root.
set -euo pipefail

usage() {
  echo "usage: $0 start|restart|stop DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
action="$1"
dir="$2"

bindir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bindir" || ! -x "$bindir/pg_ctl" || ! -x "$bindir/initdb" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin." >&2
  echo "Install them with: apt-get install -y postgresql" >&2
  exit 1
fi

# Runs a command as the user that owns the cluster.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s = require('node:net').createServer();
s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

start() {
  mkdir -p "$dir"
  if [[ "$(id -u)" -eq 0 ]]; then
    chown -R postgres: "$dir"
  fi
  as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    echo "initdb failed" >&2
    exit 1
  }
  local port attempt
  for attempt in 1 2 3; do
    port="$(free_port)"
    if as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --wait \
      --timeout=60 --silent start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >&2; then
      as_owner "$bindir/createdb" --host=127.0.0.1 --port="$port" --username=postgres evb_test >&2
      echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') started on 127.0.0.1:$port (data in $dir)" >&2
      echo "postgresql://postgres@127.0.0.1:$port/evb_test"
      return 0
    fi
    echo "PostgreSQL did not start on port $port (attempt $attempt):" >&2
    tail -n 20 "$dir/postgres.log" >&2 || true
  done
  exit 1
}

stop() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop >/dev/null 2>&1 || {
      echo "pg_ctl stop failed; see $dir/postgres.log" >&2
    }
  fi
  rm -rf "$dir"
}

restart() {
  as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --mode=fast --wait \
    --timeout=60 --silent restart >&2
}

case "$action" in
  start) start ;;
  restart) restart ;;
  stop) stop ;;
  *) usage ;;
esac

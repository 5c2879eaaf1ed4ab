#!/usr/bin/env bash
# The container smoke test (issue 15): builds evb's image from the Dockerfile with podman, on a
# Node.js base made from Debian's packages (no registry is reachable here), and runs it twice:
#   1. with a PostgreSQL server on loopback (DATABASE_URL), and
#   2. on the embedded database in its /data volume,
# each time checking the health check, that it runs as a non-root user without package managers,
# and a rapportör's sign-in and quarter view (smoke-client.mjs); on PostgreSQL after the image's
# seed command has written the demo kommun.
#
#   smoke.sh        needs root, podman, runc, debootstrap and Debian's postgresql.
#
# Podman runs with runc and explicit ulimits: its default runtime (crun) fails on these machines
# (see ../shared/docs/engineering-notes.md, "Containers").
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
base_image=localhost/evb-node:20
image=localhost/evb:smoke
run_flags=(--ulimit nofile=10000:10000 --ulimit nproc=1000:1000)
pm() { podman --runtime runc "$@"; }

# The PostgreSQL server's folder is its own (postgres.sh hands it to the postgres user).
pgdir="$(mktemp -d)"
containers=()
cleanup() {
  for c in "${containers[@]}"; do pm rm -f "$c" >/dev/null 2>&1 || true; done
  pm volume rm -f evb-smoke-data >/dev/null 2>&1 || true
  bash "$repo/test/support/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== base image $base_image"
bash "$here/base-image.sh" "$base_image" >/dev/null

echo "== podman build $image"
# The host's pnpm store and npm cache, mounted into the build's RUN steps, save downloading again.
store="$(npx -y pnpm@10 store path)"
store="${store%/v10}"
mkdir -p "$store" "$HOME/.npm"
pm build --format docker --network host "${run_flags[@]}" \
  -v "$store:/pnpm-store" -v "$HOME/.npm:/root/.npm" \
  --build-arg "NODE_IMAGE=$base_image" -t "$image" "$repo"

free_port() {
  node -e "const s = require('node:net').createServer();
    s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# Starts the image as container $1 with the extra arguments after it; waits for its health check.
start() {
  local name="$1" port="$2"
  shift 2
  containers+=("$name")
  # Podman reaches no systemd here to run the health check on a timer: it is run by hand below.
  pm run -d --name "$name" --network host "${run_flags[@]}" -e "PORT=$port" "$@" "$image" \
    >/dev/null 2> >(grep -v "systemd connection" >&2)
  for _ in $(seq 1 180); do
    if pm healthcheck run "$name" >/dev/null 2>&1; then return 0; fi
    if [[ "$(pm inspect -f '{{.State.Running}}' "$name")" != true ]]; then break; fi
    sleep 1
  done
  echo "smoke: $name did not become healthy" >&2
  pm logs "$name" >&2 || true
  return 1
}

# What holds for every container of the image.
inspect() {
  local name="$1"
  [[ "$(pm exec "$name" id -u)" == 10001 ]] || { echo "smoke: $name runs as root" >&2; return 1; }
  if pm exec "$name" sh -c 'command -v npm || command -v npx || command -v pnpm || command -v gcc'; then
    echo "smoke: $name has a build tool" >&2
    return 1
  fi
  [[ "$(pm image inspect --format '{{.HealthCheck.Test}}' "$image")" == *api/health* ]] || {
    echo "smoke: the image has no HEALTHCHECK" >&2
    return 1
  }
}

echo "== with PostgreSQL on loopback"
url="$(bash "$repo/test/support/postgres.sh" start "$pgdir")"
port="$(free_port)"
start evb-smoke-pg "$port" -e "DATABASE_URL=$url"
inspect evb-smoke-pg
# A kommun's PostgreSQL gets no demo data by itself; the image's seed command writes it.
pm exec evb-smoke-pg node apps/server/dist/seed.js
node "$here/smoke-client.mjs" "http://127.0.0.1:$port"
pm logs evb-smoke-pg 2>&1 | grep -q 'PostgreSQL' || { echo "smoke: not on PostgreSQL" >&2; exit 1; }

echo "== on the embedded database in the /data volume"
port="$(free_port)"
start evb-smoke-pglite "$port" -v evb-smoke-data:/data
inspect evb-smoke-pglite
node "$here/smoke-client.mjs" "http://127.0.0.1:$port"

echo "smoke: the image passed"

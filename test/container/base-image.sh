#!/usr/bin/env bash
# A Node.js 20 base image made from Debian's packages, for building evb's image where no container
# registry is reachable (CI here): `debootstrap` a minimal Debian, copy in this machine's Node.js 20
# (its binary and npm), import it into podman. Used as `--build-arg NODE_IMAGE=localhost/evb-node:20`.
#
#   base-image.sh [IMAGE]   default IMAGE localhost/evb-node:20; does nothing if it exists.
#
# Needs root, debootstrap and podman (apt-get install -y podman runc debootstrap).
set -euo pipefail

image="${1:-localhost/evb-node:20}"
if podman image exists "$image"; then
  echo "$image exists" >&2
  exit 0
fi

node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(npm root -g)/npm"
if [[ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" != 20 ]]; then
  echo "Node.js 20 is needed to make the base image; this machine has $("$node_bin" --version)." >&2
  exit 1
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
# ca-certificates: npx fetches pnpm over HTTPS in the build stage.
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" http://deb.debian.org/debian >&2
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -r "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' - "$image" >&2
echo "$image"

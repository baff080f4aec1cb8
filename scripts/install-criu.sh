#!/usr/bin/env bash
# Provision CRIU >= 4.2 for Stasis.
#
# Uses the system's criu when it is >= 4.2 and `criu check` passes. Otherwise downloads criu and
# its whole shared-library closure (libc included) from Debian unstable through a *private* apt
# configuration (the system's sources are never touched), unpacks them into $PREFIX and points the
# binary at the private loader and libraries with patchelf. The same private apt fetches the go-criu
# package that ships CRIU's protobuf schemas, which the build compiles (they are never committed).
#
# Idempotent: a second run with everything in place returns in well under a second.
set -euo pipefail

PREFIX=${STASIS_CRIU_PREFIX:-/opt/stasis/criu}
SUITE=${STASIS_CRIU_SUITE:-sid}
MIRROR=${STASIS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
STAMP=$PREFIX/.stasis-criu-ok

log() { printf 'install-criu: %s\n' "$*" >&2; }

version_ge() { # $1 >= $2 ?
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

schemas_present() {
  [ -f "$PREFIX/schemas/.namespaced" ] && [ -f "$PREFIX/schemas/images/inventory.proto" ] &&
    [ -f "$PREFIX/schemas/images/stats.proto" ]
}

if [ -f "$STAMP" ] && [ -x "$(cat "$STAMP")" ] && schemas_present && [ -x "$PREFIX/bin/crit" ]; then
  cat "$STAMP"
  exit 0
fi

mkdir -p "$PREFIX"
apt_dir=$PREFIX/.apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" > "$apt_dir/sources.list"
APT_OPTS=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::State::Status=/dev/null"
  -o "APT::Architecture=$(dpkg --print-architecture)"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)
private_apt_ready=0
private_apt() {
  if [ $private_apt_ready = 0 ]; then
    log "refreshing private package lists for $SUITE"
    apt-get "${APT_OPTS[@]}" -qq update >&2
    private_apt_ready=1
  fi
}

fetch_and_unpack() { # package names...
  (cd "$apt_dir/debs" && apt-get "${APT_OPTS[@]}" -qq download "$@" >&2)
  for deb in "$apt_dir/debs"/*.deb; do
    dpkg-deb -x "$deb" "$PREFIX/root"
  done
  rm -f "$apt_dir/debs"/*.deb
}

criu_works() { # $1 = path: runs, is >= 4.2 and `criu check` passes
  local v
  [ -x "$1" ] || return 1
  v=$("$1" --version 2>/dev/null | sed -n 's/^Version: *//p')
  [ -n "$v" ] && version_ge "$v" 4.2 && "$1" check >/dev/null 2>&1
}

# 1. CRIU itself. A copy recorded by an earlier run (or already unpacked into $PREFIX) that still
# works is kept, so that only what is missing (e.g. the schemas) is fetched.
criu_path=""
for known in "$(cat "$STAMP" 2>/dev/null || true)" "$PREFIX/bin/criu"; do
  if [ -n "$known" ] && criu_works "$known"; then
    criu_path=$known
    log "keeping working criu at $criu_path"
    break
  fi
done
if [ -z "$criu_path" ] && command -v criu >/dev/null 2>&1; then
  if criu_works "$(command -v criu)"; then
    criu_path=$(command -v criu)
    log "using system criu at $criu_path"
  fi
fi

if [ -z "$criu_path" ]; then
  private_apt
  closure=$(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests \
      --no-conflicts --no-breaks --no-replaces --no-enhances criu |
    grep -v '^ ' | grep -v '^<' | sort -u)
  log "fetching criu and $(echo "$closure" | wc -l) packages of its closure"
  rm -rf "$PREFIX/root"
  mkdir -p "$PREFIX/root"
  # shellcheck disable=SC2086
  fetch_and_unpack $closure
  loader=$(find "$PREFIX/root" -name 'ld-linux-x86-64.so.2' | head -n1)
  [ -n "$loader" ] || { log "no dynamic loader found in the closure"; exit 1; }
  libdirs="$PREFIX/root/usr/lib/x86_64-linux-gnu:$PREFIX/root/lib/x86_64-linux-gnu:$PREFIX/root/usr/lib:$PREFIX/root/lib"
  criu_bin=$PREFIX/root/usr/sbin/criu
  patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$libdirs" "$criu_bin"
  # Libraries find each other through the binary's DT_RPATH (it is inherited by dependencies).
  mkdir -p "$PREFIX/bin"
  ln -sf "$criu_bin" "$PREFIX/bin/criu"
  criu_path=$PREFIX/bin/criu
  "$criu_path" --version >&2
  "$criu_path" check >&2 || { log "criu check failed for $criu_path"; exit 1; }
fi

# 2. CRIU's protobuf schemas (compiled by the build; never committed).
if ! schemas_present; then
  private_apt
  rm -rf "$PREFIX/schemas-pkg"
  mkdir -p "$PREFIX/schemas-pkg"
  (cd "$apt_dir/debs" && apt-get "${APT_OPTS[@]}" -qq download golang-github-checkpoint-restore-go-criu-dev >&2)
  dpkg-deb -x "$apt_dir/debs"/golang-github-checkpoint-restore-go-criu-dev_*.deb "$PREFIX/schemas-pkg"
  rm -f "$apt_dir/debs"/*.deb
  images=$(dirname "$(find "$PREFIX/schemas-pkg" -path '*crit/images/*' -name 'inventory.proto' | sort -V | tail -n1)")
  stats=$(find "$PREFIX/schemas-pkg" -name 'stats.proto' | sort -V | tail -n1)
  rpc=$(find "$PREFIX/schemas-pkg" -name 'rpc.proto' | sort -V | tail -n1)
  rm -rf "$PREFIX/schemas"
  mkdir -p "$PREFIX/schemas/images"
  cp "$images"/*.proto "$PREFIX/schemas/images/"
  [ -f "$PREFIX/schemas/images/stats.proto" ] || cp "$stats" "$PREFIX/schemas/images/"
  [ -n "$rpc" ] && cp "$rpc" "$PREFIX/schemas/rpc.proto"
  # The schemas declare no package; give the generated C# types a namespace of ours instead of the
  # global one. This edits only the private copy that the build reads.
  for f in "$PREFIX/schemas/images"/*.proto; do
    sed -i '0,/^syntax *= *"proto2";/s//syntax = "proto2";\noption csharp_namespace = "Stasis.Criu.Proto";/' "$f"
  done
  touch "$PREFIX/schemas/.namespaced"
fi

# 3. crit, CRIU's own image decoder of the same release (tests compare our reader with it): sid's
#    python3-pycriu, run by the system's python3 with Debian 12's python3-protobuf.
if [ ! -x "$PREFIX/bin/crit" ] || ! "$PREFIX/bin/crit" --help >/dev/null 2>&1; then
  private_apt
  mkdir -p "$PREFIX/pycriu" "$PREFIX/bin"
  (cd "$apt_dir/debs" && apt-get "${APT_OPTS[@]}" -qq download python3-pycriu >&2)
  dpkg-deb -x "$apt_dir/debs"/python3-pycriu_*.deb "$PREFIX/pycriu"
  rm -f "$apt_dir/debs"/*.deb
  cat > "$PREFIX/bin/crit" <<CRIT
#!/bin/sh
PYTHONPATH="$PREFIX/pycriu/usr/lib/python3/dist-packages" exec /usr/bin/python3 -m crit "\$@"
CRIT
  chmod +x "$PREFIX/bin/crit"
fi

echo "$criu_path" > "$STAMP"
echo "$criu_path"

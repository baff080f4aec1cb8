#!/usr/bin/env bash
# Set up everything Stasis needs on a Debian 12 machine, idempotently:
#   1. Debian packages (only the missing ones; `apt-get update` only when something is missing)
#   2. CRIU >= 4.2 and its protobuf schemas (scripts/install-criu.sh)
#   3. the solution, built in Release (skipped when no input changed since the last build)
#   4. the `stasis` command: a ReadyToRun publish in /opt/stasis/app, linked as /usr/local/bin/stasis
#   5. an image named `busybox` made from busybox-static (skipped when already imported)
# A second run with everything in place takes about a second.
#
# Environment:
#   STASIS_ROOT               state root the busybox image goes into (default: the CLI's default)
#   STASIS_SETUP_SKIP_IMAGE=1 do not fail when the image cannot be imported (the verb is missing)
#   STASIS_APP_DIR            where the CLI is published (default /opt/stasis/app)
#   STASIS_BIN_DIR            where the `stasis` link goes (default /usr/local/bin)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_DIR=${STASIS_APP_DIR:-/opt/stasis/app}
BIN_DIR=${STASIS_BIN_DIR:-/usr/local/bin}
IMAGE_DIR=/opt/stasis/images
STATE_DIR=$REPO/artifacts/setup # per-checkout stamps (ignored by git)

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and writes /opt/stasis, $BIN_DIR)"
[ -r /etc/debian_version ] || die "this set-up is written for Debian 12; /etc/debian_version is missing"

# Several checkouts of the project share /opt/stasis and the `stasis` link: one set-up at a time.
mkdir -p /opt/stasis
exec 9>/opt/stasis/.setup.lock
flock 9

# --- 1. Debian packages ---------------------------------------------------------------------------
PACKAGES=(
  runc conmon # not criu: Debian 12's 3.17 fails `criu check`; install-criu.sh provides one
  iptables iproute2 procps util-linux psmisc
  busybox-static patchelf zstd libzstd1 tar gzip
  containernetworking-plugins skopeo umoci jq
  gcc libc6-dev make
  python3 python3-protobuf # crit (CRIU's decoder, provisioned by install-criu.sh) and test process trees
  podman # interop tests and benchmarks run Podman beside Stasis
  debian-archive-keyring ca-certificates # install-criu.sh's private apt reads the archive keyring
)
missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [ "${status:0:2}" = ii ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update >&2 || die "apt-get update failed"
  apt-get -qq install -y --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get install failed for: ${missing[*]}"
fi

# --- 2. CRIU ----------------------------------------------------------------------------------------
CRIU=$(bash "$REPO/scripts/install-criu.sh") || die "CRIU provisioning failed (scripts/install-criu.sh)"
[ -x "$CRIU" ] || die "install-criu.sh printed '$CRIU', which is not an executable"

# --- 3. Build --------------------------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 ||
  die "the .NET 10 SDK (dotnet) is not on PATH; this machine kind ships it, Debian does not"

# The build and the publish are skipped when nothing that goes into them changed: the hash covers
# every source file (tracked or new, not ignored), this script and the SDK version.
source_hash() {
  {
    cd "$REPO"
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      git ls-files -z -co --exclude-standard -- src tests '*.props' '*.targets' '*.slnx' \
        global.json nuget.config NuGet.config scripts/setup.sh |
        sort -z | xargs -0 -r sha256sum 2>/dev/null || true
    else
      find src tests Directory.*.props Stasis.slnx scripts/setup.sh \
        \( -name bin -o -name obj \) -prune -o -type f -print0 2>/dev/null |
        sort -z | xargs -0 -r sha256sum
    fi
    ls -d "$(dirname "$(readlink -f "$(command -v dotnet)")")"/sdk/* 2>/dev/null
    cat /opt/stasis/criu/schemas/.namespaced 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}
hash=$(source_hash)
mkdir -p "$STATE_DIR"
built_outputs=(
  "$REPO/src/Stasis.Cli/bin/Release/net10.0/Stasis.Cli.dll"
  "$REPO/tests/Stasis.Tests/bin/Release/net10.0/Stasis.Tests.dll"
  "$REPO/tests/Stasis.IntegrationTests/bin/Release/net10.0/Stasis.IntegrationTests.dll"
)
outputs_present() { local f; for f in "${built_outputs[@]}"; do [ -f "$f" ] || return 1; done; }

if [ "$(cat "$STATE_DIR/build.hash" 2>/dev/null)" = "$hash" ] && outputs_present; then
  log "build is up to date"
else
  log "building Stasis.slnx (Release)"
  rm -f "$STATE_DIR/build.hash"
  (cd "$REPO" && dotnet build Stasis.slnx -c Release -nologo -clp:ErrorsOnly -v:q) >&2 ||
    die "dotnet build failed"
  echo "$hash" > "$STATE_DIR/build.hash"
fi

# --- 4. The `stasis` command --------------------------------------------------------------------------
# Measured on 2026-11-22 (2 cores, `stasis --help`, median wall / CPU): plain IL 102 / 99 ms,
# single-file 103 ms, ReadyToRun 74 / 69 ms, ReadyToRun self-contained 74 / 67 ms (86 MB), ReadyToRun
# with TieredPGO and concurrent GC off 73 / 69 ms (no gain), without tiered compilation 85 ms.
# So: framework-dependent ReadyToRun. Fallback when the crossgen package cannot be restored: plain IL.
PUBLISH_ARGS=(-c Release -r linux-x64 --self-contained false -nologo -clp:ErrorsOnly -v:q)
if [ "$(cat "$APP_DIR/.source-hash" 2>/dev/null)" = "$hash" ] && [ -x "$APP_DIR/stasis" ]; then
  log "stasis CLI in $APP_DIR is up to date"
else
  log "publishing the stasis CLI to $APP_DIR"
  staging=$APP_DIR.new
  rm -rf "$staging"
  if ! (cd "$REPO" && dotnet publish src/Stasis.Cli/Stasis.Cli.csproj "${PUBLISH_ARGS[@]}" \
      -p:PublishReadyToRun=true -o "$staging") >&2; then
    log "ReadyToRun publish failed (crossgen package unavailable?); publishing plain IL instead"
    rm -rf "$staging"
    (cd "$REPO" && dotnet publish src/Stasis.Cli/Stasis.Cli.csproj "${PUBLISH_ARGS[@]}" \
      -o "$staging") >&2 || die "dotnet publish of src/Stasis.Cli failed"
  fi
  [ -x "$staging/Stasis.Cli" ] || die "publish produced no $staging/Stasis.Cli"
  # The apphost finds Stasis.Cli.dll by the name built into it, so it can carry the command's own name,
  # which is also what --help shows and what conmon's exit command calls.
  mv "$staging/Stasis.Cli" "$staging/stasis"
  echo "$hash" > "$staging/.source-hash"
  rm -rf "$APP_DIR.old"
  [ -d "$APP_DIR" ] && mv "$APP_DIR" "$APP_DIR.old"
  mv "$staging" "$APP_DIR"
  rm -rf "$APP_DIR.old"
fi
mkdir -p "$BIN_DIR"
if [ "$(readlink "$BIN_DIR/stasis" 2>/dev/null)" != "$APP_DIR/stasis" ]; then
  ln -sfn "$APP_DIR/stasis" "$BIN_DIR/stasis"
  log "installed $BIN_DIR/stasis -> $APP_DIR/stasis"
fi
STASIS=$BIN_DIR/stasis

# --- 5. The busybox image ---------------------------------------------------------------------------
# The tarball is reproducible, so its sha256 names its content; a stamp beside the store records
# which tarball the store's `busybox` image came from.
STORE=${STASIS_ROOT:-/var/lib/stasis}
stamp=$STORE/.setup-busybox.sha256
tarball=$IMAGE_DIR/busybox-rootfs.tar
image_listed() { "$STASIS" image ls 2>/dev/null | grep -Eq '(^|[[:space:]"])busybox([[:space:]":,]|$)'; }
image_problem() {
  if [ "${STASIS_SETUP_SKIP_IMAGE:-0}" = 1 ]; then
    log "warning: $* (ignored: STASIS_SETUP_SKIP_IMAGE=1)"
  else
    die "$* (set STASIS_SETUP_SKIP_IMAGE=1 to go on without the image)"
  fi
}

want=""
if [ -f "$tarball" ] && [ "$tarball" -nt /bin/busybox ] && [ "$tarball" -nt "$REPO/scripts/make-busybox-rootfs.sh" ]; then
  want=$(sha256sum "$tarball" | cut -d' ' -f1)
fi
if [ -n "$want" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && image_listed; then
  log "image busybox is up to date"
else
  mkdir -p "$IMAGE_DIR"
  want=$(bash "$REPO/scripts/make-busybox-rootfs.sh" "$tarball") || die "building the busybox rootfs failed"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && image_listed; then
    log "image busybox is up to date"
  else
    log "importing image busybox from $tarball"
    if image_listed; then
      "$STASIS" image rm busybox >&2 || image_problem "stasis image rm busybox failed"
    fi
    if ! "$STASIS" image import "$tarball" busybox >&2; then
      image_problem "stasis image import $tarball busybox failed"
    elif ! image_listed; then
      image_problem "stasis image import exited 0 but 'stasis image ls' does not list busybox"
    else
      mkdir -p "$STORE"
      echo "$want" > "$stamp"
    fi
  fi
fi

log "ready: $STASIS (criu: $CRIU)"

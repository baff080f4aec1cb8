#!/usr/bin/env bash
# Image load and container start: `stasis` beside `podman` on the same archives, in one run.
#
#   bench/images/run.sh     prints a markdown table and records it in bench/README.md ("Images")
#
# The image (~200 MiB: one layer of busybox, BENCH_RANDOM_MIB of random bytes and BENCH_TEXT_MIB of
# text in 1000 files) is made offline with umoci; skopeo writes it as a docker-archive (plain layer
# tars) and an oci-archive (gzip layers). For each archive: `stasis image load -i` and `podman load
# -i`, each into a store the image was just removed from; then `stasis run -d` and `podman run -d`
# (overlayfs both: podman --storage-driver overlay; no network for either) of a sleeping container,
# timed until the command returns with the container running. The two alternate run by run; medians
# of BENCH_RUNS runs after one warm-up; wall time; throughput = uncompressed image size / load time.
# Podman 4.3.1 needs --runtime runc and explicit ulimits here.
#
# Environment: BENCH_RUNS (5), BENCH_RANDOM_MIB (160), BENCH_TEXT_MIB (40), STASIS (stasis; may be a
# command with arguments, e.g. "dotnet /path/Stasis.Cli.dll"). Everything lives in a fresh
# /tmp/stasis-bench-images-XXXXXX (STASIS_ROOT and podman's --root included), removed at exit.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${BENCH_RUNS:-5}
RANDOM_MIB=${BENCH_RANDOM_MIB:-160}
TEXT_MIB=${BENCH_TEXT_MIB:-40}
read -r -a S <<< "${STASIS:-stasis}"

log() { printf 'bench-images: %s\n' "$*" >&2; }
die() { printf 'bench-images: error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
for tool in umoci skopeo podman python3 jq runc; do command -v "$tool" >/dev/null || die "$tool not found: run scripts/setup.sh"; done
command -v "${S[0]}" >/dev/null || die "'${S[0]}' not on PATH: run scripts/setup.sh (or set STASIS)"

W=$(mktemp -d /tmp/stasis-bench-images-XXXXXX)
export STASIS_ROOT=$W/stasis
P=(podman --root "$W/podman/root" --runroot "$W/podman/run" --storage-driver overlay --cgroup-manager cgroupfs)
PODMAN_RUN=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network none)
cleanup() {
  set +e
  local c m
  for c in $("${S[@]}" ps -a --format json 2>/dev/null | jq -r '.[].id' 2>/dev/null); do "${S[@]}" rm -f "$c" >/dev/null 2>&1; done
  "${P[@]}" rm -af -t 0 >/dev/null 2>&1
  "${P[@]}" rmi -af >/dev/null 2>&1
  "${P[@]}" system reset -f >/dev/null 2>&1
  for m in $(awk -v w="$W/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do umount -l "$m"; done
  rm -rf "$W"
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------------ the image
log "making a $((RANDOM_MIB + TEXT_MIB)) MiB image with umoci"
umoci init --layout "$W/layout"
umoci new --image "$W/layout:img"
umoci unpack --image "$W/layout:img" "$W/bundle" >/dev/null
R=$W/bundle/rootfs
mkdir -p "$R/bin" "$R/data/random" "$R/data/text"
cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
ln -s busybox "$R/bin/sleep"
for i in $(seq 1 $((RANDOM_MIB / 8))); do head -c 8M /dev/urandom > "$R/data/random/r$i"; done
python3 - "$R/data/text" "$TEXT_MIB" <<'PY'
import os, sys
d, mib = sys.argv[1], int(sys.argv[2])
per = mib * 1024 * 1024 // 1000
line = b"the quick brown fox jumps over the lazy dog 0123456789\n"
for i in range(1000):
    with open(os.path.join(d, "t%04d.txt" % i), "wb") as f:
        f.write((line * (per // len(line) + 1))[:per])
PY
umoci repack --image "$W/layout:img" "$W/bundle"
umoci config --image "$W/layout:img" --config.cmd sleep --config.cmd 3600
skopeo copy --quiet "oci:$W/layout:img" "docker-archive:$W/img-docker.tar:bench/img:1"
skopeo copy --quiet "oci:$W/layout:img" "oci-archive:$W/img-oci.tar:bench/img:1"
rm -rf "$W/bundle" "$W/layout"
DOCKER_MIB=$(( $(stat -c %s "$W/img-docker.tar") / 1048576 ))
OCI_MIB=$(( $(stat -c %s "$W/img-oci.tar") / 1048576 ))
log "docker-archive $DOCKER_MIB MiB, oci-archive $OCI_MIB MiB (gzip layers)"

# ------------------------------------------------------------------------------------------ timing
ms() { # run a command, print its wall time in ms; a failure aborts the bench
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>"$W/last.err" || die "$* failed: $(tail -3 "$W/last.err")"
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mibs() { awk -v m="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? m * 1000 / t : 0) }'; }

stasis_rmi() { local id; for id in $("${S[@]}" image ls --format json | jq -r '.[].id'); do "${S[@]}" image rm "$id" >/dev/null; done; }
stasis_load() { stasis_rmi; ms "${S[@]}" image load -i "$1"; }
podman_load() { "${P[@]}" rmi -af >/dev/null 2>&1 || true; ms "${P[@]}" load -q -i "$1"; }

declare -A T
for archive in docker oci; do
  file=$W/img-$archive.tar
  stasis_load "$file" >/dev/null # warm-up (also warms the page cache for both)
  podman_load "$file" >/dev/null
  s=() p=()
  for i in $(seq 1 "$RUNS"); do
    s+=("$(stasis_load "$file")")
    p+=("$(podman_load "$file")")
    log "load $archive run $i: stasis ${s[-1]} ms, podman ${p[-1]} ms"
  done
  T[s_$archive]=$(printf '%s\n' "${s[@]}" | median)
  T[p_$archive]=$(printf '%s\n' "${p[@]}" | median)
done

# Both stores now hold the image (from the oci-archive): start sleeping containers from it.
s=() p=()
for i in $(seq 0 "$RUNS"); do
  a=$(ms "${S[@]}" run -d --network none --name "sb$i" bench/img:1)
  b=$(ms "${P[@]}" run -d "${PODMAN_RUN[@]}" --name "pb$i" bench/img:1)
  "${S[@]}" rm -f "sb$i" >/dev/null
  "${P[@]}" rm -f -t 0 "pb$i" >/dev/null
  if [ "$i" -gt 0 ]; then s+=("$a"); p+=("$b"); log "run -d run $i: stasis $a ms, podman $b ms"; fi
done
T[s_run]=$(printf '%s\n' "${s[@]}" | median)
T[p_run]=$(printf '%s\n' "${p[@]}" | median)

table=$(cat <<TABLE
Medians of $RUNS runs after a warm-up, warm page cache, wall time, $(date -u +%Y-%m-%d); \`bench/images/run.sh\`; $(nproc) cores; $(podman --version); image of $DOCKER_MIB MiB uncompressed (${RANDOM_MIB} MiB random, ${TEXT_MIB} MiB text), one layer.

| task | stasis | podman | stasis / podman |
|---|---:|---:|---:|
| \`image load\` docker-archive ($DOCKER_MIB MiB, plain layer) | ${T[s_docker]} ms ($(mibs "$DOCKER_MIB" "${T[s_docker]}") MiB/s) | ${T[p_docker]} ms ($(mibs "$DOCKER_MIB" "${T[p_docker]}") MiB/s) | $(ratio "${T[s_docker]}" "${T[p_docker]}") |
| \`image load\` oci-archive ($OCI_MIB MiB, gzip layer) | ${T[s_oci]} ms ($(mibs "$DOCKER_MIB" "${T[s_oci]}") MiB/s) | ${T[p_oci]} ms ($(mibs "$DOCKER_MIB" "${T[p_oci]}") MiB/s) | $(ratio "${T[s_oci]}" "${T[p_oci]}") |
| \`run -d\` to running (overlayfs) | ${T[s_run]} ms | ${T[p_run]} ms | $(ratio "${T[s_run]}" "${T[p_run]}") |
TABLE
)
echo "$table"
readme=$REPO/bench/README.md
if grep -q '<!-- images-results -->' "$readme"; then
  awk -v t="$table" '/<!-- images-results -->/{print; print t; skip=1; next} /<!-- \/images-results -->/{skip=0} !skip' "$readme" > "$readme.new" && mv "$readme.new" "$readme"
else
  printf '\n## Images (issue 3)\n\n`bench/images/run.sh`: image load throughput and container start time beside Podman on the same archives.\nTarget: not slower than Podman.\n\n<!-- images-results -->\n%s\n<!-- /images-results -->\n' "$table" >> "$readme"
fi

#!/bin/bash
# Export/import benchmark: checkpoint+export and import+restore of a container holding SIZE MiB (incompressible),
# through Stasis, Podman 4.3.1 (same CRIU) and the raw pipeline (runc checkpoint + tar | zstd -T0, and back).
# Usage (root): bench/archives/run.sh [REPS] [SIZES...]   e.g. bench/archives/run.sh 3 64 512 1024
# STASIS_BIN: the CLI to measure. STASIS_BASE_BIN (optional): a second build measured in the same run, alternating with
# the first run by run (the machine is shared, so before/after figures are only comparable from one run); it adds
# "base" columns and the base/new ratio.
# Needs: a Release build of the CLI (dotnet build -c Release src/Stasis.Cli), gcc with static libc, podman, runc, zstd.
set -euo pipefail
REPS=${1:-3}; shift || true
SIZES=${*:-64 512 1024}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CRIU_DIR=/opt/stasis/criu/bin
# Through `dotnet Stasis.Cli.dll`: the apphost would register itself as conmon's exit command, whose late cleanup races `rm -f`.
STASIS_BIN=${STASIS_BIN:-dotnet $REPO/src/Stasis.Cli/bin/Release/net10.0/Stasis.Cli.dll}
WORK=$(mktemp -d /var/tmp/stasis-bench-XXXXXX)
S="$STASIS_BIN --root $WORK/stasis"
B=${STASIS_BASE_BIN:+$STASIS_BASE_BIN --root $WORK/stasis}
P="podman --root $WORK/podman --runroot $WORK/podman-run --runtime runc --cgroup-manager cgroupfs --events-backend none"
PFLAGS="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network none"
export PATH=$CRIU_DIR:$PATH   # runc and podman find CRIU >= 4.2 as `criu`

cleanup() {
  $P rm -af -t 0 >/dev/null 2>&1 || true
  $S rm -f sb >/dev/null 2>&1 || true
  runc delete -f rawb >/dev/null 2>&1 || true
  # `|| true`: under set -e -o pipefail a grep that finds no mount would end the trap before the rm.
  { grep -o " $WORK[^ ]*" /proc/self/mountinfo || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

gcc -O2 -static -o "$WORK/memhog" "$HERE/memhog.c"
mkdir -p "$WORK/rootfs"
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/proc" "$WORK/rootfs/sys" "$WORK/rootfs/dev" "$WORK/rootfs/tmp" "$WORK/rootfs/etc"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh cat sleep echo; do ln -s busybox "$WORK/rootfs/bin/$a"; done
cp "$WORK/memhog" "$WORK/rootfs/memhog"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
$S image import "$WORK/rootfs.tar" hog >/dev/null
$P import "$WORK/rootfs.tar" localhost/hog:latest >/dev/null 2>&1

now() { date +%s.%N; }
wait_ready() { for _ in $(seq 1 300); do if "$@" 2>/dev/null | grep -q ready; then return 0; fi; sleep 0.1; done; echo "never ready" >&2; return 1; }

declare -A T
run_stasis() { # size [label CLI]: the same store for both builds (the image is imported once)
  local label=${2:-stasis} cli=${3:-$S}
  $cli run -d --name sb --network none hog /memhog "$1" >/dev/null; wait_ready $cli logs sb
  local t0=$(now); $cli checkpoint sb --export "$WORK/s.tar.zst" >/dev/null; local t1=$(now)
  $cli rm -f sb >/dev/null
  local t2=$(now); $cli restore --import "$WORK/s.tar.zst" >/dev/null; local t3=$(now)
  $cli rm -f sb >/dev/null; rm -f "$WORK/s.tar.zst"
  T[$label,$1,export]+="$(echo "$t1 - $t0" | bc) "; T[$label,$1,import]+="$(echo "$t3 - $t2" | bc) "
}
run_podman() {
  $P run -d --name pb $PFLAGS localhost/hog /memhog "$1" >/dev/null; wait_ready $P logs pb
  local t0=$(now); $P container checkpoint --export "$WORK/p.tar.zst" pb >/dev/null; local t1=$(now)
  $P rm -f pb >/dev/null
  local t2=$(now); $P container restore --import "$WORK/p.tar.zst" >/dev/null; local t3=$(now)
  $P rm -f -t 0 pb >/dev/null; rm -f "$WORK/p.tar.zst"
  T[podman,$1,export]+="$(echo "$t1 - $t0" | bc) "; T[podman,$1,import]+="$(echo "$t3 - $t2" | bc) "
}
run_raw() {
  # stdio on /dev/null (CRIU cannot dump a host file the way runc would be given it); readiness through a file.
  local b=$WORK/bundle; rm -rf "$b" "$WORK/rootfs/ready"; mkdir -p "$b"
  (cd "$b" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"readonly": true/"readonly": false/; s/"sh"/"\/memhog", "'"$1"'", "\/ready"/; s|"path": "rootfs"|"path": "'"$WORK/rootfs"'"|' config.json)
  runc run -d --bundle "$b" rawb >/dev/null 2>&1 </dev/null
  for _ in $(seq 1 300); do [ -e "$WORK/rootfs/ready" ] && break; sleep 0.1; done
  local img=$WORK/img; rm -rf "$img"; mkdir -p "$img"
  local t0=$(now); runc checkpoint --image-path "$img" rawb; tar -C "$img" -cf - . | zstd -T0 -q -o "$WORK/r.tar.zst"; local t1=$(now)
  runc delete -f rawb >/dev/null 2>&1 || true; rm -rf "$img"
  local t2=$(now); mkdir -p "$img"; zstd -d -q -c "$WORK/r.tar.zst" | tar -C "$img" -xf -
  runc restore -d --image-path "$img" --bundle "$b" rawb >/dev/null 2>&1 </dev/null; local t3=$(now)
  runc delete -f rawb >/dev/null 2>&1 || true; rm -rf "$img" "$WORK/r.tar.zst" "$WORK/rootfs/ready"
  T[raw,$1,export]+="$(echo "$t1 - $t0" | bc) "; T[raw,$1,import]+="$(echo "$t3 - $t2" | bc) "
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for size in $SIZES; do
  for rep in $(seq 1 "$REPS"); do
    run_raw "$size"; run_stasis "$size"
    if [ -n "$B" ]; then run_stasis "$size" base "$B"; fi
    run_podman "$size"
  done
done

echo "| MiB | raw export | Stasis export | Podman export | Stasis/raw | Podman/Stasis | raw import | Stasis import | Podman import | Stasis/raw | Podman/Stasis |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in $SIZES; do
  row="| $size"
  for dir in export import; do
    r=$(echo "${T[raw,$size,$dir]}" | median); s=$(echo "${T[stasis,$size,$dir]}" | median); p=$(echo "${T[podman,$size,$dir]}" | median)
    row+=" | $(printf %.2f "$r") s | $(printf %.2f "$s") s | $(printf %.2f "$p") s | $(echo "scale=2; $s / $r" | bc)× | $(echo "scale=2; $p / $s" | bc)×"
  done
  echo "$row |"
done
if [ -n "$B" ]; then
  echo
  echo "| MiB | base export | Stasis export | base/new | base import | Stasis import | base/new |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for size in $SIZES; do
    row="| $size"
    for dir in export import; do
      b=$(echo "${T[base,$size,$dir]}" | median); s=$(echo "${T[stasis,$size,$dir]}" | median)
      row+=" | $(printf %.2f "$b") s | $(printf %.2f "$s") s | $(echo "scale=2; $b / $s" | bc)×"
    done
    echo "$row |"
  done
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

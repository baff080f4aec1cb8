#!/usr/bin/env bash
# Networking benchmark: checkpoint + restore in place of a busybox echo server holding 100 established
# connections, each peer sending a line every 100 ms. Reports connections lost and the client-visible pause
# (longest gap between two replies on any connection), for stasis and for Podman on the same workload.
# Needs root, runc, conmon, CRIU at /opt/stasis/criu/bin/criu, CNI plugins, iptables, podman. Traffic stays on
# this machine: the stasis network is 10.214.0.0/24, Podman uses its default network.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CONNS=${CONNS:-100}
RUN_SECONDS=${RUN_SECONDS:-12}
WORK=$(mktemp -d /tmp/stasis-bench-net.XXXXXX)
S=""
P=""
cleanup() {
  [ -n "$S" ] && { $S rm -f echo >/dev/null 2>&1 || true; $S network rm bench >/dev/null 2>&1 || true; }
  [ -n "$P" ] && { $P rm -f echo >/dev/null 2>&1 || true; $P system reset -f >/dev/null 2>&1 || true; }
  grep " $WORK/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build "$HERE/PauseClient" -o "$WORK/client" -v q -nologo >/dev/null
dotnet build "$REPO/src/Stasis.Cli" -o "$WORK/stasis" -v q -nologo >/dev/null
CLIENT="$WORK/client/PauseClient"

# A busybox image: the static binary and the applets the workload uses.
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/tmp" "$WORK/rootfs/etc"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh nc cat sleep; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -cf "$WORK/busybox.tar" .

measure() { # NAME IP CHECKPOINT-CMD RESTORE-CMD
  local name=$1 ip=$2 cp=$3 rs=$4
  sleep 1
  "$CLIENT" "$ip" 7000 "$CONNS" "$RUN_SECONDS" > "$WORK/$name.out" 2>"$WORK/$name.err" &
  local client=$!
  # busybox nc accepts slowly: start the clock once every connection is up, then let traffic flow a while.
  until grep -q connected "$WORK/$name.err" 2>/dev/null; do sleep 0.2; done
  sleep 3
  local t0 t1 t2
  t0=$(date +%s%N); eval "$cp" >/dev/null; t1=$(date +%s%N); eval "$rs" >/dev/null; t2=$(date +%s%N)
  wait "$client" || true
  printf '%-7s %s checkpoint_ms=%d restore_ms=%d %s\n' "$name" "$(cat "$WORK/$name.err")" $(((t1 - t0) / 1000000)) $(((t2 - t1) / 1000000)) "$(head -1 "$WORK/$name.out")"
  sed -n '2,$p' "$WORK/$name.out" | sed "s/^/        /"
}

S="$WORK/stasis/Stasis.Cli --root $WORK/stasis-root"
$S image import "$WORK/busybox.tar" busybox >/dev/null
$S network create bench --subnet 10.214.0.0/24 >/dev/null
$S run -d --name echo --network bench busybox nc -ll -p 7000 -e cat >/dev/null
IP=$($S inspect echo | sed -n 's/.*"ipAddress": "\(.*\)".*/\1/p')
measure stasis "$IP" "$S checkpoint --tcp-established echo" "$S restore echo"

export PATH=/opt/stasis/criu/bin:$PATH
P="podman --root $WORK/podman/root --runroot $WORK/podman/run --runtime runc"
$P import "$WORK/busybox.tar" localhost/busybox >/dev/null
$P run -d --name echo --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 localhost/busybox nc -ll -p 7000 -e cat >/dev/null
IP=$($P inspect -f '{{.NetworkSettings.IPAddress}}' echo)
measure podman "$IP" "$P container checkpoint --tcp-established echo" "$P container restore --tcp-established echo"

#!/usr/bin/env bash
# Checkpoint/restore benchmark: `stasis` against raw `runc` on the same bundle.
#
#   bench/run.sh              full run; prints a markdown table and records it in bench/README.md
#   bench/run.sh --raw-only   only the raw runc half (no stasis needed); README left alone
#
# For each size N (MiB) a container runs bench/memhog.c (N MiB of touched anonymous memory) in a
# busybox rootfs. Stasis: `stasis run -d`, then `stasis checkpoint X --name cpK` and `stasis restore
# X --checkpoint cpK`. Raw: the config.json Stasis generated for that container (rootfs, cgroup and
# netns paths swapped for the bench's own), run by conmon with a private `runc --root`, then
# `runc checkpoint` and a conmon `--restore`, as Stasis does. The two halves alternate run by run so
# that a change of load on the machine hits both alike. Wall times; medians of BENCH_RUNS runs after
# BENCH_WARMUP warm-up runs.
#
# Environment: BENCH_SIZES ("16 256 1024"), BENCH_RUNS (5), BENCH_WARMUP (1), STASIS (stasis).
# Everything lives in a fresh /tmp/stasis-bench-XXXXXX (STASIS_ROOT included) and is removed at exit.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${BENCH_SIZES:-16 256 1024}
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
STASIS=${STASIS:-stasis}
RAW_ONLY=0
COMMAND="bench/run.sh${*:+ $*}"
for arg in "$@"; do
  case $arg in
    --raw-only) RAW_ONLY=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (runc, CRIU, mounts)"
for tool in runc conmon gcc jq unshare nsenter ip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run scripts/setup.sh first"
done
RUNC=$(command -v runc)
CONMON=$(command -v conmon)
CRIU=$(bash "$REPO/scripts/install-criu.sh" 2>/dev/null) || die "no usable CRIU: run scripts/setup.sh"
if [ $RAW_ONLY = 0 ]; then
  command -v "$STASIS" >/dev/null 2>&1 || die "'$STASIS' not on PATH: run scripts/setup.sh (or use --raw-only)"
fi

W=$(mktemp -d /tmp/stasis-bench-XXXXXX)
TAG=sb$$ # names: containers, runc ids, cgroup parent
export STASIS_ROOT=$W/stasis-root
RUNC_ROOT=$W/runc
mkdir -p "$RUNC_ROOT" "$W/exit" "$W/sock" "$STASIS_ROOT"

# ---------------------------------------------------------------------------------------- clean-up
stasis_names=() raw_ids=() conmon_pidfiles=() mounts=()
cleanup() {
  set +e
  local n id f pid m d
  for n in "${stasis_names[@]}"; do "$STASIS" rm -f "$n" >/dev/null 2>&1; done
  for id in "${raw_ids[@]}"; do
    "$RUNC" --root "$RUNC_ROOT" kill "$id" KILL >/dev/null 2>&1
    "$RUNC" --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
  done
  for f in "${conmon_pidfiles[@]}"; do # conmon ends with its container; end any that did not
    pid=$(cat "$f" 2>/dev/null) || continue
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = conmon ]; then kill "$pid" 2>/dev/null; fi
  done
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  for d in /sys/fs/cgroup/*/"$TAG" /sys/fs/cgroup/"$TAG"; do
    [ -d "$d" ] || continue
    find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
    rmdir "$d" 2>/dev/null
  done
  if findmnt -rn -o TARGET | grep -q "^$W"; then
    log "warning: mounts left under $W, not removing it"
  else
    # A container's exit hook (stasis container cleanup) may still touch its folder for a moment.
    rm -rf "$W" 2>/dev/null || { sleep 1; rm -rf "$W"; }
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------ timing
now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2) }'; }
wait_until() { # wait_until SECONDS CMD...: poll CMD every 5 ms
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.005
  done
}

# ------------------------------------------------------------------------------------------- image
log "work folder $W"
gcc -static -O2 -Wall -Wextra -Werror -o "$W/memhog" "$REPO/bench/memhog.c" || die "building memhog failed"
bash "$REPO/scripts/make-busybox-rootfs.sh" "$W/memhog.tar" "$W/memhog:/memhog" >/dev/null
mkdir -p "$W/lower"
tar -xf "$W/memhog.tar" -C "$W/lower"
if [ $RAW_ONLY = 0 ]; then
  "$STASIS" image import "$W/memhog.tar" memhog >/dev/null || die "stasis image import failed"
fi

# ---------------------------------------------------------------------------------------- raw half
# raw_bundle N CONFIG: a bundle for the raw container of size N from a Stasis-generated config.json
# (or, with --raw-only, from `runc spec`): own overlay rootfs over the same image, own netns when the
# config names one, own cgroup, copies of bind-mounted files that live in Stasis's state.
raw_bundle() {
  local n=$1 config=$2 b=$W/raw-$n
  mkdir -p "$b/bundle/rootfs" "$b/upper" "$b/work" "$b/binds"
  mount -t overlay overlay -o "lowerdir=$W/lower,upperdir=$b/upper,workdir=$b/work" "$b/bundle/rootfs"
  mounts+=("$b/bundle/rootfs")
  local netns=""
  if jq -e '.linux.namespaces[] | select(.type == "network" and (.path // "") != "")' "$config" >/dev/null; then
    netns=$b/netns
    touch "$netns"
    unshare --net="$netns" true
    mounts+=("$netns")
    nsenter --net="$netns" ip link set lo up
  fi
  local src i=0
  while IFS= read -r src; do
    i=$((i + 1))
    cp -a "$src" "$b/binds/$i"
    printf '%s\t%s\n' "$src" "$b/binds/$i"
  done < <(jq -r --arg a "$STASIS_ROOT" --arg b /run/stasis \
    '.mounts[]? | select((.type // "bind") == "bind" or ((.options // []) | index("bind"))) | .source
     | select(startswith($a) or startswith($b))' "$config") > "$b/binds.tsv"
  jq --arg root "$b/bundle/rootfs" --arg ns "$netns" --arg cg "/$TAG/raw-$n" \
    --rawfile binds "$b/binds.tsv" '
    ($binds | split("\n") | map(select(length > 0) | split("\t") | {key: .[0], value: .[1]})
      | from_entries) as $map
    | .root.path = $root | .root.readonly = false
    | .process.terminal = false
    | del(.hooks)
    | .linux.cgroupsPath = $cg
    | .linux.namespaces |= map(if .type == "network" and $ns != "" then .path = $ns else del(.path) end)
    | .mounts |= map(if $map[.source] then .source = $map[.source] else . end)
    ' "$config" > "$b/bundle/config.json"
}

# spec_config N OUT: runc's default spec for memhog N, rlimits within the hard limits, and a network
# namespace with a path (raw_bundle gives it one made with unshare, as an engine with CNI does).
spec_config() {
  local n=$1 out=$2 d
  d=$(mktemp -d "$W/spec.XXXXXX")
  (cd "$d" && "$RUNC" spec)
  local hard
  hard=$(prlimit --pid $$ --raw --noheadings --output RESOURCE,HARD |
    awk '{printf "%s\"RLIMIT_%s\": %s", (NR>1?",":"{"), $1, ($2=="unlimited"?"null":$2)} END{print "}"}')
  jq --arg n "$n" --argjson hard "$hard" '
    .process.args = ["/memhog", $n] | .process.terminal = false
    | .process.rlimits |= map(if $hard[.type] != null and .hard > $hard[.type]
        then .hard = $hard[.type] | .soft = ([.soft, $hard[.type]] | min) else . end)
    | .linux.namespaces |= map(if .type == "network" then .path = "(bench netns)" else . end)
    ' "$d/config.json" > "$out"
  rm -rf "$d"
}

conmon_run() { # conmon_run ID BUNDLE [--restore DIR WORK]: conmon starts (or restores) the container
  local id=$1 bundle=$2 b=$W/$1
  mkdir -p "$b"
  rm -f "$b/pid" "$b/conmon.pid" "$W/exit/$id"
  local args=(--api-version 1 -c "$id" -u "$id" -n "$id" -r "$RUNC" -b "$bundle" -p "$b/pid"
    -l "k8s-file:$b/ctr.log" --exit-dir "$W/exit" --socket-dir-path "$W/sock"
    --conmon-pidfile "$b/conmon.pid" --runtime-arg "--root=$RUNC_ROOT"
    --runtime-arg "--criu=$CRIU" --syslog)
  [ $# -gt 2 ] && args+=(--restore "$4" --runtime-opt "--work-path=$5")
  "$CONMON" "${args[@]}" || return 1
  # conmon returns at once; the container exists once runc has written its pid file.
  wait_until 120 test -s "$b/pid"
}

raw_start() { # raw_start ID BUNDLE
  raw_ids+=("$1")
  conmon_pidfiles+=("$W/$1/conmon.pid") # (restores reuse it; they run in $(...) subshells)
  conmon_run "$1" "$2" || die "conmon could not create $1 (see syslog)"
  "$RUNC" --root "$RUNC_ROOT" start "$1" || die "runc start $1 failed"
  wait_until 120 grep -q ' ready' "$W/$1/ctr.log" || die "$1 never printed ready"
}

raw_checkpoint() { # raw_checkpoint ID DIR -> ms
  local t
  mkdir -p "$2/work"
  t=$(now_ns)
  "$RUNC" --root "$RUNC_ROOT" --criu "$CRIU" checkpoint --image-path "$2/images" --work-path "$2/work" "$1" ||
    die "runc checkpoint $1 failed: $(grep -h 'Error' "$2/work/dump.log" 2>/dev/null | tail -n3)"
  ms_since "$t"
  # Not timed (runc has returned), but shown: how long conmon takes to record the exit afterwards.
  wait_until 30 test -f "$W/exit/$1" || die "conmon of $1 did not record the exit"
  log "  (raw: conmon recorded the exit $(ms_since "$t") ms after the checkpoint began)"
}

raw_restore() { # raw_restore ID BUNDLE DIR -> ms
  local t
  mkdir -p "$3/rwork"
  t=$(now_ns)
  conmon_run "$1" "$2" --restore "$3/images" "$3/rwork" ||
    die "restore of $1 failed: $(grep -h 'Error' "$3/rwork/restore.log" 2>/dev/null | tail -n3)"
  ms_since "$t"
  [ "$("$RUNC" --root "$RUNC_ROOT" state "$1" | jq -r .status)" = running ] || die "$1 is not running after restore"
}

# ------------------------------------------------------------------------------------- stasis half
stasis_config() { # the config.json Stasis generated for container NAME
  local f n=$1
  for f in "$STASIS_ROOT"/containers/*/bundle/config.json; do
    [ -f "$f" ] || continue
    if grep -qs "\"$n\"" "$(dirname "$(dirname "$f")")/container.json"; then echo "$f"; return 0; fi
  done
  return 1
}

stasis_ready() { "$STASIS" logs "$1" 2>/dev/null | grep -q ' *ready'; }

stasis_timed() { # stasis_timed ARGS... -> ms
  local t out
  t=$(now_ns)
  out=$("$STASIS" "$@" 2>&1) || die "stasis $* failed: $out"
  ms_since "$t"
}

# ---------------------------------------------------------------------------------------------- run
declare -A res
for n in $SIZES; do
  log "size $n MiB"
  name=$TAG-$n
  id=$TAG-raw-$n
  if [ $RAW_ONLY = 0 ]; then
    stasis_names+=("$name")
    "$STASIS" run -d --name "$name" memhog /memhog "$n" >/dev/null || die "stasis run failed"
    wait_until 120 stasis_ready "$name" || die "$name never printed ready"
    config=$(stasis_config "$name") || die "no bundle/config.json for $name under $STASIS_ROOT/containers"
  else
    config=$W/spec-$n.json
    spec_config "$n" "$config"
  fi
  raw_bundle "$n" "$config"
  raw_start "$id" "$W/raw-$n/bundle"

  s_cp=() s_rs=() r_cp=() r_rs=()
  for ((k = 0; k < WARMUP + RUNS; k++)); do
    t_scp=- t_srs=-
    if [ $RAW_ONLY = 0 ]; then
      t_scp=$(stasis_timed checkpoint "$name" --name "cp$k")
      t_srs=$(stasis_timed restore "$name" --checkpoint "cp$k")
      "$STASIS" checkpoint rm "$name" "cp$k" >/dev/null 2>&1 || log "warning: could not remove checkpoint cp$k of $name"
    fi
    d=$W/raw-$n/cp$k
    t_rcp=$(raw_checkpoint "$id" "$d")
    t_rrs=$(raw_restore "$id" "$W/raw-$n/bundle" "$d")
    rm -rf "$d"
    label=run
    [ $k -lt "$WARMUP" ] && label=warm-up
    log "  $label $k: stasis $t_scp/$t_srs ms, raw $t_rcp/$t_rrs ms (checkpoint/restore)"
    if [ $k -ge "$WARMUP" ]; then
      [ $RAW_ONLY = 0 ] && s_cp+=("$t_scp") && s_rs+=("$t_srs")
      r_cp+=("$t_rcp") r_rs+=("$t_rrs")
    fi
  done
  res[$n,rcp]=$(median "${r_cp[@]}") res[$n,rrs]=$(median "${r_rs[@]}")
  if [ $RAW_ONLY = 0 ]; then
    res[$n,scp]=$(median "${s_cp[@]}") res[$n,srs]=$(median "${s_rs[@]}")
    "$STASIS" rm -f "$name" >/dev/null || log "warning: stasis rm -f $name failed"
  fi
  "$RUNC" --root "$RUNC_ROOT" kill "$id" KILL >/dev/null 2>&1 || true
  wait_until 10 test -f "$W/exit/$id" || true
  "$RUNC" --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1 || true
done

# ------------------------------------------------------------------------------------------ report
ratio() { [ -n "$1" ] && [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}' || echo "–"; }
table() {
  echo "| size | checkpoint: stasis | checkpoint: raw runc | ratio | restore: stasis | restore: raw runc | ratio |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for n in $SIZES; do
    local scp=${res[$n,scp]:-} srs=${res[$n,srs]:-}
    printf '| %s MiB | %s | %s ms | %s | %s | %s ms | %s |\n' "$n" \
      "${scp:+$scp ms}" "${res[$n,rcp]}" "$(ratio "$scp" "${res[$n,rcp]}")" \
      "${srs:+$srs ms}" "${res[$n,rrs]}" "$(ratio "$srs" "${res[$n,rrs]}")"
  done
}
about() {
  printf 'Medians of %s runs after %s warm-up, wall time, %s; `%s`; %s cores; kernel %s; %s; CRIU %s.\n' \
    "$RUNS" "$WARMUP" "$(date -u +%Y-%m-%d)" "$COMMAND" "$(nproc)" "$(uname -r)" \
    "$("$RUNC" --version | head -n1)" "$("$CRIU" --version | sed -n 's/^Version: *//p')"
}

out=$(table)
echo
echo "$out"
echo
about
mkdir -p "$REPO/bench/results"
{ about; echo; echo "$out"; } > "$REPO/bench/results/latest.md"
if [ $RAW_ONLY = 0 ] && [ "${BENCH_WRITE_README:-1}" = 1 ]; then
  readme=$REPO/bench/README.md
  block=$(printf '<!-- results: written by bench/run.sh -->\n%s\n\n%s\n<!-- /results -->' "$(about)" "$out")
  if grep -q '<!-- results: written by bench/run.sh -->' "$readme"; then
    awk -v block="$block" '
      /<!-- results: written by bench\/run.sh -->/ { print block; skip = 1; next }
      /<!-- \/results -->/ { skip = 0; next }
      !skip { print }' "$readme" > "$readme.tmp" && mv "$readme.tmp" "$readme"
  else
    printf '\n%s\n' "$block" >> "$readme"
  fi
  log "results recorded in bench/README.md"
fi

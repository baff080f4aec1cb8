#!/usr/bin/env bash
# A demo to watch: a counting busybox container is checkpointed, shown as stopped, restored, and
# goes on counting from where it stopped. Needs scripts/setup.sh first (`make demo` does both).
#
# Environment: STASIS (the command, default `stasis`), STASIS_ROOT (state root, as for stasis),
# DEMO_PAUSE (seconds between steps, default 1).
set -euo pipefail

STASIS=${STASIS:-stasis}
NAME=demo-counter
PAUSE=${DEMO_PAUSE:-1}

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'; else B='' G='' R='' N=''; fi
step() { printf '\n%s==> %s%s\n' "$B" "$*" "$N"; }
quote() { # the command line as one would type it
  local a out=""
  for a in "$@"; do
    if [[ $a =~ [^A-Za-z0-9_./=:@%+-] ]]; then a="'${a//\'/\'\\\'\'}'"; fi
    out+="${out:+ }$a"
  done
  printf '%s' "$out"
}
show() { printf '%s$ %s%s\n' "$B" "$(quote "$@")" "$N"; "$@"; }
die() { printf '%sdemo failed: %s%s\n' "$R" "$*" "$N" >&2; exit 1; }

command -v "$STASIS" >/dev/null 2>&1 || die "'$STASIS' is not on PATH: run scripts/setup.sh (or make demo)"

cleanup() {
  "$STASIS" rm -f "$NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The numbers the container printed, one per line, in order (whatever the log lines carry around them).
numbers() { "$STASIS" logs "$NAME" 2>/dev/null | sed -nE 's/^(.*[^0-9])?([0-9]+)[[:space:]]*$/\2/p'; }
show_log_tail() {
  printf '%s$ %s logs %s | tail -n 5%s\n' "$B" "$STASIS" "$NAME" "$N"
  "$STASIS" logs "$NAME" | tail -n 5
}
wait_for_count() { # wait_for_count N: until the log holds at least N numbers (10 s at most)
  local i
  for i in $(seq 100); do
    [ "$(numbers | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

cleanup # a container left by an interrupted demo

step "Start a container that counts, twice a second"
show "$STASIS" run -d --name "$NAME" busybox sh -c 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.5; done'
wait_for_count 6 || die "the container printed no count within 10 s"
sleep "$PAUSE"

step "Its log"
show_log_tail

step "Checkpoint it (CRIU writes its memory and state to disk; the container stops)"
show "$STASIS" checkpoint "$NAME" --name cp1
before=$(numbers)
last_before=$(printf '%s\n' "$before" | tail -n1)
[ -n "$last_before" ] || die "no count in the log before the checkpoint"
sleep "$PAUSE"

step "It is no longer running"
show "$STASIS" ps -a
sleep "$PAUSE"
[ "$(numbers | tail -n1)" = "$last_before" ] || die "the container went on counting after its checkpoint"

step "Restore it from the checkpoint"
show "$STASIS" restore "$NAME"
n_before=$(printf '%s\n' "$before" | wc -l)
wait_for_count $((n_before + 4)) || true
sleep 1
show "$STASIS" ps
after=$(numbers)

# The log may go on in the same file (the old lines come first) or start afresh.
if [ "$(printf '%s\n' "$after" | head -n "$n_before")" = "$before" ]; then
  new=$(printf '%s\n' "$after" | tail -n +"$((n_before + 1))")
else
  new=$after
fi
first_after=$(printf '%s\n' "$new" | sed -n 1p)
last_after=$(printf '%s\n' "$new" | tail -n1)
[ -n "$first_after" ] || die "the restored container printed nothing"

step "Its log after the restore"
show_log_tail
printf '\n  last count before the checkpoint: %s%s%s\n' "$B" "$last_before" "$N"
printf '  first count after the restore:   %s%s%s\n' "$B" "$first_after" "$N"
if [ "$first_after" -gt "$last_before" ] && [ "$last_after" -gt "$first_after" ]; then
  printf '  %sit went on from where it stopped, and keeps counting.%s\n' "$G" "$N"
else
  die "the count did not resume (last before: $last_before, after: $first_after … $last_after)"
fi

step "Remove it"
show "$STASIS" rm -f "$NAME"
trap - EXIT
printf '\n%sdemo done.%s\n' "$G" "$N"

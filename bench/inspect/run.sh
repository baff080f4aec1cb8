#!/usr/bin/env bash
# Inspecting a checkpoint: `stasis checkpoint inspect --all` and `stasis checkpoint memsearch` on a
# checkpoint of a container holding 1 GiB (BENCH_MIB) of touched memory, beside CRIU's own crit
# (4.2.1, provisioned by scripts/install-criu.sh) decoding the same images, in one run.
#
#   bench/inspect/run.sh      prints a markdown table and records it in bench/README.md ("Inspect")
#
# crit has no memory search, so its side is the search a crit user writes: pycriu (crit's library)
# decodes every pagemap, then Python scans the page files and maps each hit back to its address.
# Warm page cache (one warm-up run), medians of BENCH_RUNS (5) runs, wall time.
# Below the table, the floor of a search on this machine: bench/inspect/floor.c (only mapping and
# scanning the pages files, in C) and `stasis --version` (a .NET start that does nothing).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MIB=${BENCH_MIB:-1024}
RUNS=${BENCH_RUNS:-5}
STASIS=${STASIS:-stasis}
CRIT=/opt/stasis/criu/bin/crit

log() { printf 'bench-inspect: %s\n' "$*" >&2; }
die() { printf 'bench-inspect: error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
command -v "$STASIS" >/dev/null || die "stasis not on PATH: run scripts/setup.sh"
[ -x "$CRIT" ] || die "$CRIT missing: run scripts/install-criu.sh"

W=$(mktemp -d /tmp/stasis-bench-inspect-XXXXXX)
export STASIS_ROOT=$W/root
cleanup() {
  set +e
  "$STASIS" rm -f bench-inspect >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT

gcc -static -O2 -o "$W/memhog" "$REPO/bench/memhog.c"
gcc -O2 -pthread -o "$W/floor" "$REPO/bench/inspect/floor.c"
bash "$REPO/scripts/make-busybox-rootfs.sh" "$W/memhog.tar" "$W/memhog:/memhog" >/dev/null
"$STASIS" image import "$W/memhog.tar" memhog >/dev/null
"$STASIS" run -d --network none --name bench-inspect memhog /memhog "$MIB" >/dev/null
for _ in $(seq 600); do "$STASIS" logs bench-inspect | grep -q ready && break; sleep 0.2; done
"$STASIS" checkpoint bench-inspect --name big >/dev/null
CP=$("$STASIS" checkpoint ls bench-inspect --format json | jq -r '.[0].path')/checkpoint
log "checkpoint: $(du -sh "$CP" | cut -f1) in $CP"

ms() { # run a command, print its wall time in ms
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
crit_decode_all() { # every image crit can decode (pages-*.img are raw memory, not protobuf)
  local f
  for f in "$CP"/*.img; do
    case $(basename "$f") in pages-*) continue ;; esac
    "$CRIT" decode -i "$f" >/dev/null 2>&1 || true
  done
}
bench() { # name command…
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true # warm-up
  local i
  for i in $(seq "$RUNS"); do ms "$@"; done | median
}

load_before=$(cut -d' ' -f1 /proc/loadavg) # the machine may be shared: say how busy it was
inspect=$(bench inspect "$STASIS" checkpoint inspect bench-inspect big --all --format json)
decode=$(bench decode crit_decode_all)
search=$(bench search "$STASIS" checkpoint memsearch bench-inspect big --search "ready $MIB MiB")
regex=$(bench regex "$STASIS" checkpoint memsearch bench-inspect big --regex "ready [0-9]+ MiB")
crit_search() { # $1 = python regex (bytes)
  PYTHONPATH=/opt/stasis/criu/pycriu/usr/lib/python3/dist-packages /usr/bin/python3 - "$CP" "$1" <<'PY'
import os, re, sys
import pycriu
d, pat = sys.argv[1], re.compile(sys.argv[2].encode())
hits = 0
for name in sorted(os.listdir(d)):
    if not (name.startswith("pagemap-") and name.endswith(".img")):
        continue
    with open(os.path.join(d, name), "rb") as f:
        entries = pycriu.images.load(f)["entries"]
    with open(os.path.join(d, "pages-%d.img" % entries[0]["pages_id"]), "rb") as f:
        data = f.read()
    off = 0
    for e in entries[1:]:
        if e.get("flags", 0) & 4 == 0:  # not in this image (in a parent or lazy)
            continue
        size = e["nr_pages"] * 4096
        for m in pat.finditer(data, off, off + size):
            hits += 1
            print(hex(e["vaddr"] + m.start() - off))
        off += size
print(hits, "hits")
PY
}
csearch=$(bench csearch crit_search "ready $MIB MiB")
cregex=$(bench cregex crit_search "ready [0-9]+ MiB")
floor_scan() { local f; for f in "$CP"/pages-*.img; do "$W/floor" "$f" "ready $MIB MiB"; done; }
floor=$(bench floor floor_scan)
start=$(bench start "$STASIS" --version)
load_after=$(cut -d' ' -f1 /proc/loadavg)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

table=$(cat <<TABLE
Medians of $RUNS runs after a warm-up, warm page cache, wall time, $(date -u +%Y-%m-%d); \`bench/inspect/run.sh\`; $(nproc) cores; CRIU $("$STASIS" check --json 2>/dev/null | jq -r .criuVersion); checkpoint of a container holding $MIB MiB; load average $load_before before, $load_after after.

| task | stasis | crit | stasis / crit |
|---|---:|---:|---:|
| everything in the checkpoint (\`checkpoint inspect --all --format json\` / \`crit decode\` of every image) | $inspect ms | $decode ms | $(ratio "$inspect" "$decode") |
| find a text in memory (\`checkpoint memsearch --search\` / pycriu + Python scan) | $search ms | $csearch ms | $(ratio "$search" "$csearch") |
| find a regex in memory (\`checkpoint memsearch --regex\` / pycriu + Python \`re\`) | $regex ms | $cregex ms | $(ratio "$regex" "$cregex") |

Floor on this machine: the scan alone in C (\`bench/inspect/floor.c\`: pages files mapped in 2 MiB chunks, memchr + memcmp, 2 threads) $floor ms ($(ratio "$floor" "$csearch") of crit's text search); a .NET start that does nothing (\`stasis --version\`) $start ms.
TABLE
)
echo "$table"
readme=$REPO/bench/README.md
if grep -q '<!-- inspect-results -->' "$readme"; then
  awk -v t="$table" '/<!-- inspect-results -->/{print; print t; skip=1; next} /<!-- \/inspect-results -->/{skip=0} !skip' "$readme" > "$readme.new" && mv "$readme.new" "$readme"
else
  printf '\n## Inspect (issue 6)\n\n`bench/inspect/run.sh`: `checkpoint inspect --all` and `checkpoint memsearch` on a 1 GiB checkpoint beside\nCRIU'"'"'s own crit on the same images. Target: an order of magnitude faster than crit.\n\n<!-- inspect-results -->\n%s\n<!-- /inspect-results -->\n' "$table" >> "$readme"
fi

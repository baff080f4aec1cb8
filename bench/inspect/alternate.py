#!/usr/bin/env python3
"""alternate.py N LABEL 'COMMAND' [LABEL 'COMMAND' ...]: run the commands in turn N times (after one warm-up
round) and print, per command, the median and minimum wall time and CPU time (user + system, from wait4) in ms.

For before/after figures on a shared machine: the commands alternate run by run, so load changes hit all of them
alike, and CPU time is much steadier than wall time when other work competes for the cores. Output of the commands
is discarded. Example:

  STASIS_ROOT=... bench/inspect/alternate.py 20 \\
      old "stasis checkpoint memsearch c big --search 'ready 1024 MiB'" \\
      new "/tmp/app/Stasis.Cli checkpoint memsearch c big --search 'ready 1024 MiB'"
"""
import os
import shlex
import statistics
import sys
import time


def main() -> int:
    if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    commands = list(zip(sys.argv[2::2], sys.argv[3::2]))
    wall = {label: [] for label, _ in commands}
    cpu = {label: [] for label, _ in commands}
    devnull = os.open(os.devnull, os.O_WRONLY)
    load_before = open("/proc/loadavg").read().split()[0]
    for round_ in range(rounds + 1):
        for label, command in commands:
            args = shlex.split(command)
            start = time.monotonic()
            pid = os.fork()
            if pid == 0:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.execvp(args[0], args)
            _, _, usage = os.wait4(pid, 0)
            if round_ > 0:  # round 0 warms the page cache and the binaries
                wall[label].append((time.monotonic() - start) * 1000)
                cpu[label].append((usage.ru_utime + usage.ru_stime) * 1000)
    load_after = open("/proc/loadavg").read().split()[0]
    print(f"{rounds} rounds; load average {load_before} before, {load_after} after")
    for label, _ in commands:
        w, c = wall[label], cpu[label]
        print(f"{label:14} wall median {statistics.median(w):7.1f} min {min(w):7.1f} | "
              f"cpu median {statistics.median(c):7.1f} min {min(c):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Idle footprint: the daemon left alone for --minutes (default 5) after it is ready.

Samples VmRSS from /proc/<pid>/status and utime+stime from /proc/<pid>/stat every --every seconds.
Prints RSS after the idle period (target <= 100 MB) and CPU as % of one core over the period, counted
from readiness (target <= 0.2 %). Start-up CPU is printed apart.

Usage: bench/idle/run.py [--minutes 5] [--flags service|default] [--cds] [--env KEY=VALUE ...] [--jar ...]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pulsebench as pb  # noqa: E402

RSS_TARGET_MB = 100
CPU_TARGET_PCT = 0.2


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--every", type=float, default=30)
    ap.add_argument("--flags", choices=["service", "default"], default="service")
    ap.add_argument("--jar", default=pb.JAR)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--log", help="keep the daemon's output in this file")
    ap.add_argument("--jvm", action="append", default=[], help="an extra JVM flag, e.g. another collector")
    ap.add_argument("--cds", action="store_true", help="as pulse.service runs it: with a class-data-sharing archive"
                    " from one training run of the daemon")
    a = ap.parse_args()
    jar = os.path.abspath(a.jar)
    jar = pb.require_jar(jar)
    env = dict(kv.split("=", 1) for kv in a.env)
    flags = (pb.SERVICE_FLAGS if a.flags == "service" else []) + a.jvm
    if a.flags == "service":
        env = {**pb.SERVICE_ENV, **env}
    if a.cds:
        archive = os.path.join(tempfile.mkdtemp(prefix="pulse-bench-cds-"), "pulse.jsa")
        pb.train_cds(jar, flags, env, archive, "daemon")
        flags = flags + [f"-XX:SharedArchiveFile={archive}"]
    print(f"Pulse idle footprint, {a.flags} flags{' + CDS archive' if a.cds else ''}, {a.minutes:g} min"
          f" ({pb.machine_note()})")
    d = pb.Daemon(jar, flags, env, keep_log=a.log).start()
    try:
        t_ready, signal = d.wait_ready(120)
        d.settle(1)
        pid = d.proc.pid
        start_ticks = pb.proc_cpu_ticks(pid)
        t0 = time.monotonic()
        ready_line = next((l for l in d.lines if pb.READY_LINE in l), "")
        print(f"  ready after {t_ready:.2f} s ({signal}); start-up CPU {start_ticks / pb.CLK_TCK:.2f} s; "
              f"{ready_line[ready_line.find(pb.READY_LINE):].split(';')[0]}")
        print(f"  {'t (s)':>6} {'RSS MB':>8} {'CPU s':>7} {'threads':>8}")
        end = t0 + a.minutes * 60
        while True:
            now = time.monotonic()
            ticks = pb.proc_cpu_ticks(pid) - start_ticks
            print(f"  {now - t0:6.0f} {pb.proc_rss_kb(pid) / 1024:8.1f} {ticks / pb.CLK_TCK:7.2f} {threads(pid):8d}",
                  flush=True)
            if now >= end or d.proc.poll() is not None:
                break
            time.sleep(min(a.every, max(0.0, end - now)))
        if d.proc.poll() is not None:
            sys.exit(f"  the daemon died after {time.monotonic() - t0:.0f} s (exit {d.proc.returncode}):\n"
                     + "\n".join(d.lines[-10:]))
        wall = time.monotonic() - t0
        ticks = pb.proc_cpu_ticks(pid) - start_ticks
        rss_mb = pb.proc_rss_kb(pid) / 1024
        cpu_pct = ticks / pb.CLK_TCK / wall * 100
        print(f"  RSS after {wall / 60:.1f} min idle: {rss_mb:.1f} MB   target <= {RSS_TARGET_MB} MB: "
              f"{'OK' if rss_mb <= RSS_TARGET_MB else 'MISSED'}")
        print(f"  CPU over {wall / 60:.1f} min idle: {ticks / pb.CLK_TCK:.2f} s = {cpu_pct:.3f} % of one core   "
              f"target <= {CPU_TARGET_PCT} %: {'OK' if cpu_pct <= CPU_TARGET_PCT else 'MISSED'}"
              f" (resolution {100 / pb.CLK_TCK / wall:.4f} %)")
    finally:
        d.stop()
        d.cleanup()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fire lateness: --jobs jobs (default 100) firing every second for --seconds (default 120).

Compiles the plugin in bench/lateness/src with javac against target/pulse.jar, drops it into a fresh
plugins directory and starts the daemon. Each run appends its lateness (the daemon's clock at the
top of run() minus the fire's due time) to a file. After the window the daemon is stopped and the
figures come from that file, cross-checked with Pulse's run history (started_at - scheduled_at).

Target (issue 2): p99 <= 25 ms, no fire lost (each job runs once for every second of the window).

Usage: bench/lateness/run.py [--seconds 120] [--jobs 100] [--threads N] [--flags service|default]
                             [--env KEY=VALUE ...] [--jvm FLAG ...] [--jar ...] [--keep]
"""

import argparse
import collections
import csv
import glob
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import pulsebench as pb  # noqa: E402

P99_TARGET_MS = 25


def build_plugin(jar, out_dir):
    classes = os.path.join(out_dir, "classes")
    shutil.rmtree(classes, ignore_errors=True)
    os.makedirs(classes)
    sources = glob.glob(os.path.join(HERE, "src", "**", "*.java"), recursive=True)
    javac = os.path.join(os.environ["JAVA_HOME"], "bin", "javac") if os.environ.get("JAVA_HOME") else "javac"
    subprocess.run([javac, "--release", "17", "-Xlint:all,-options", "-Werror", "-cp", jar, "-d", classes, *sources],
                   check=True)
    plugin = os.path.join(out_dir, "bench-lateness.jar")
    with zipfile.ZipFile(plugin, "w") as z:
        z.write(os.path.join(HERE, "src", "META-INF", "services", "pulse.api.Extension"),
                "META-INF/services/pulse.api.Extension")
        for root, _, files in os.walk(classes):
            for f in files:
                z.write(os.path.join(root, f), os.path.relpath(os.path.join(root, f), classes))
    return plugin


def read_history(jar, state, out_dir):
    """Pulse's run history as CSV, through H2's own shell in the Pulse jar (the daemon has stopped)."""
    csv_path = os.path.join(out_dir, "runs.csv")
    sql = (f"CALL CSVWRITE('{csv_path}', 'SELECT job_id, trigger_kind, "
           "DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE ''1970-01-01 00:00:00+00'', scheduled_at) AS sched_ms, "
           "DATEDIFF(MICROSECOND, scheduled_at, started_at) AS late_us, outcome FROM pulse_runs')")
    url = f"jdbc:h2:file:{os.path.join(state, 'pulse')}"
    r = subprocess.run([pb.java(), "-cp", jar, "org.h2.tools.Shell", "-url", url, "-user", "pulse", "-password", "",
                        "-sql", sql], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(csv_path):
        print(f"  (could not read the run history: {r.stdout.strip()} {r.stderr.strip()})")
        return None
    with open(csv_path) as f:
        return list(csv.DictReader(f))


def figures(label, late_ms):
    if not late_ms:
        return f"  {label}: no runs"
    return (f"  {label}: p50 {pb.percentile(late_ms, 50):.1f} ms  p90 {pb.percentile(late_ms, 90):.1f}  "
            f"p99 {pb.percentile(late_ms, 99):.1f}  max {max(late_ms):.1f} ms  (n={len(late_ms)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=100)
    ap.add_argument("--threads", type=int, help="PULSE_SCHEDULER_THREADS (default: Pulse's default)")
    ap.add_argument("--flags", choices=["service", "default"], default="service")
    ap.add_argument("--jar", default=pb.JAR)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--jvm", action="append", default=[], help="an extra JVM flag, e.g. for a JFR recording")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (log, history, lateness file)")
    a = ap.parse_args()
    jar = os.path.abspath(a.jar)
    jar = pb.require_jar(jar)
    work = tempfile.mkdtemp(prefix="pulse-bench-lateness-")
    plugin = build_plugin(jar, work)
    lateness_file = os.path.join(work, "lateness.txt")
    env = {"BENCH_LATENESS_FILE": lateness_file, "BENCH_JOBS": str(a.jobs), "BENCH_SCHEDULE": "1s"}
    if a.threads:
        env["PULSE_SCHEDULER_THREADS"] = str(a.threads)
    flags = (pb.SERVICE_FLAGS if a.flags == "service" else []) + a.jvm
    if a.flags == "service":
        env.update(pb.SERVICE_ENV)
    env.update(dict(kv.split("=", 1) for kv in a.env))
    print(f"Pulse fire lateness: {a.jobs} jobs every 1s for {a.seconds} s, {a.flags} flags, "
          f"PULSE_SCHEDULER_THREADS={a.threads or 'default'} ({pb.machine_note()})")

    d = pb.Daemon(jar, flags, env, workdir=os.path.join(work, "daemon"), keep_log=os.path.join(work, "daemon.log"))
    shutil.copy(plugin, d.plugins)
    d.start()
    try:
        d.wait_ready(120)
        d.settle(0.5)
        ready_line = next((l for l in d.lines if pb.READY_LINE in l), "")
        print(f"  {ready_line[ready_line.find(pb.READY_LINE):].split(';')[0]}")
        # The window: whole seconds, starting two seconds after ready so every trigger is in place.
        start_s = math.ceil(time.time()) + 2
        end_s = start_s + a.seconds
        time.sleep(max(0.0, start_s - time.time()))
        ticks0 = pb.proc_cpu_ticks(d.proc.pid)
        t0 = time.monotonic()
        time.sleep(max(0.0, end_s - time.time()))
        if d.proc.poll() is not None:
            sys.exit(f"  the daemon died during the window (exit {d.proc.returncode}); figures would be wrong:\n"
                     + "\n".join(d.lines[-10:]))
        cpu_pct = (pb.proc_cpu_ticks(d.proc.pid) - ticks0) / pb.CLK_TCK / (time.monotonic() - t0) * 100
        rss = pb.proc_rss_kb(d.proc.pid) / 1024
        time.sleep(3)  # let the last fires of the window start
    finally:
        rc = d.stop(60)

    in_window = lambda ms: start_s * 1000 <= ms < end_s * 1000  # noqa: E731
    rows = []
    with open(lateness_file) as f:
        for line in f:
            job, sched_ms, late_us, trigger = line.split()
            if in_window(int(sched_ms)):
                rows.append((job, int(sched_ms), int(late_us), trigger))
    expected = a.jobs * a.seconds
    fires = collections.Counter((r[0], r[1]) for r in rows)
    lost = expected - len(fires)
    dupes = sum(c - 1 for c in fires.values() if c > 1)
    per_job = collections.Counter(r[0] for r in fires)
    late_ms = [r[2] / 1000 for r in rows]
    print(f"  window {a.seconds} s: expected {expected} fires ({a.seconds} per job), ran {len(fires)}, "
          f"lost {lost}, duplicated {dupes}; runs per job min {min(per_job.values(), default=0)} "
          f"max {max(per_job.values(), default=0)}")
    print(figures("lateness measured in run()", late_ms))
    history = read_history(jar, d.state, work)
    if history is not None:
        h = [r for r in history if r["JOB_ID"].startswith("bench-") and in_window(int(r["SCHED_MS"]))]
        outcomes = collections.Counter(r["OUTCOME"] for r in h)
        print(figures("lateness in run history (started_at - scheduled_at)", [int(r["LATE_US"]) / 1000 for r in h]))
        print(f"  run history: {len(h)} runs in the window, outcomes {dict(outcomes)}")
    log = "\n".join(d.lines)
    print(f"  log: {log.count('Skipped the')} overlap skips, {log.count('misfire grace')} misfire lines, "
          f"{sum(1 for l in d.lines if ' WARN ' in l or ' ERROR ' in l)} warn/error lines; daemon exit {rc}")
    print(f"  daemon during the window: CPU {cpu_pct:.0f} % of one core, RSS {rss:.0f} MB")
    p99 = pb.percentile(late_ms, 99) if late_ms else float("inf")
    ok = p99 <= P99_TARGET_MS and lost == 0
    print(f"  target p99 <= {P99_TARGET_MS} ms and no fire lost: {'OK' if ok else 'MISSED'}")
    if a.keep:
        print(f"  kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

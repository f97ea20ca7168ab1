#!/usr/bin/env python3
"""Start to ready: how long `java -jar pulse.jar daemon` takes until systemd would see READY=1.

Three set-ups, each started --runs times (default 10) on an existing state directory (a restart,
what systemd does most), after one start on an empty one (first start: migrations) that is reported
apart:
  default   no JVM flags
  service   the flags of packaging/pulse.service, MALLOC_ARENA_MAX=2
  cds       service + class-data sharing: one training run with -XX:ArchiveClassesAtExit, then
            -XX:SharedArchiveFile
Target (issue 2): median <= 1.5 s with every built-in job registered.

Usage: bench/startup/run.py [--runs N] [--jar target/pulse.jar] [--env KEY=VALUE ...] [--only default,service,cds]
                            [--cds-train daemon|check]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pulsebench as pb  # noqa: E402

TARGET_S = 1.5


def one_start(jar, flags, env, workdir):
    d = pb.Daemon(jar, flags, env, workdir=workdir)
    d.start()
    try:
        t, signal = d.wait_ready(60)
        d.settle(0.3)  # let the later signals arrive, so all three can be reported
        jobs = next((l for l in d.lines if pb.READY_LINE in l), "")
        return t, signal, d, jobs[jobs.index(pb.READY_LINE):].split("; state")[0] if jobs else ""
    finally:
        d.stop()


def measure(name, jar, flags, env, runs):
    workdir = tempfile.mkdtemp(prefix=f"pulse-bench-startup-{name}-")
    first, first_signal, _, jobs_line = one_start(jar, flags, env, workdir)
    times, cpus, signals, others = [], [], set(), {"ready": [], "health": [], "log": []}
    for _ in range(runs):
        t, signal, d, _ = one_start(jar, flags, env, workdir)
        times.append(t)
        if signal in d.cpu:
            cpus.append(d.cpu[signal])
        signals.add(signal)
        for k in others:
            v = getattr(d, "t_" + k)
            if v is not None:
                others[k].append(v)
    shutil.rmtree(workdir, ignore_errors=True)
    return {"name": name, "first": first, "first_signal": first_signal, "times": times, "cpus": cpus, "signals": signals,
            "others": others, "jobs": jobs_line}


def report(r):
    t = r["times"]
    med = pb.median(t)
    verdict = "OK" if med <= TARGET_S else "MISSED"
    print(f"  {r['name']:<8} median {med:.3f} s  min {min(t):.3f}  max {max(t):.3f}  (n={len(t)}, signal: "
          f"{'/'.join(sorted(r['signals']))})  first start on empty state {r['first']:.3f} s   "
          f"target <= {TARGET_S} s: {verdict}")
    if r["cpus"]:
        print(f"           CPU used until ready (user+sys, less sensitive to a busy machine): median "
              f"{pb.median(r['cpus']):.2f} s  min {min(r['cpus']):.2f}  max {max(r['cpus']):.2f}")
    seen = ", ".join(f"{k} {pb.median(v):.3f} s" for k, v in r["others"].items() if v)
    print(f"           medians by signal: {seen or 'none'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--jar", default=pb.JAR)
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the daemon, e.g. to enable jobs")
    ap.add_argument("--only", default="default,service,cds")
    ap.add_argument("--cds-train", default="daemon", help="what the CDS training run runs: daemon (default) or a"
                    " one-shot command such as check")
    a = ap.parse_args()
    source = os.path.abspath(a.jar)
    jar = pb.require_jar(source)
    env = dict(kv.split("=", 1) for kv in a.env)
    only = a.only.split(",")
    print(f"Pulse start-up ({source}; {pb.machine_note()})")
    print("  time from process start to READY=1 on NOTIFY_SOCKET (a build without sd_notify: the first 200 from "
          f"GET /api/health, else the '{pb.READY_LINE}' log line)")
    results = []
    if "default" in only:
        results.append(measure("default", jar, [], env, a.runs))
    service_env = {**pb.SERVICE_ENV, **env}
    if "service" in only:
        results.append(measure("service", jar, pb.SERVICE_FLAGS, service_env, a.runs))
    if "cds" in only:
        archive = os.path.join(tempfile.mkdtemp(prefix="pulse-bench-cds-"), "pulse.jsa")
        size = pb.train_cds(jar, pb.SERVICE_FLAGS, service_env, archive, a.cds_train)
        print(f"  cds archive: {size / 1048576:.1f} MiB from one training run of '{a.cds_train}'"
              " (-XX:ArchiveClassesAtExit)")
        results.append(measure("cds", jar, pb.SERVICE_FLAGS + [f"-XX:SharedArchiveFile={archive}"], service_env, a.runs))
        os.unlink(archive)
    if results:
        print(f"  jobs: {results[0]['jobs'] or '(no ready line seen)'}")
    for r in results:
        report(r)
    by = {r["name"]: r for r in results}
    if "service" in by and "cds" in by and by["service"]["cpus"] and by["cds"]["cpus"]:
        wall = [pb.median(by[k]["times"]) for k in ("service", "cds")]
        cpu = [pb.median(by[k]["cpus"]) for k in ("service", "cds")]
        print(f"  class-data sharing vs service flags: wall {wall[0]:.3f} s -> {wall[1]:.3f} s "
              f"({(wall[1] - wall[0]) / wall[0] * 100:+.0f} %), CPU {cpu[0]:.2f} s -> {cpu[1]:.2f} s "
              f"({(cpu[1] - cpu[0]) / cpu[0] * 100:+.0f} %)")


if __name__ == "__main__":
    main()

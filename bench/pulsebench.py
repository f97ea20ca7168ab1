"""Shared helpers for Pulse's benchmark harnesses: start the built jar as systemd would, and tell
when it is ready.

Readiness, best signal first:
  READY=1   the sd_notify datagram on a socket we bind and pass as NOTIFY_SOCKET (what systemd waits for)
  health    the first 200 from GET /api/health
  log       the "Scheduler running" log line (the scheduler is started; last step before READY=1)
Each start records all three it sees; figures name the signal they use.
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JAR = os.path.join(ROOT, "target", "pulse.jar")

# The flags packaging/pulse.service uses (see FIELD-NOTES: an explicit -Xmx keeps RSS bounded).
SERVICE_FLAGS = [
    "-Xms8m", "-Xmx64m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
    "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData",
]
SERVICE_ENV = {"MALLOC_ARENA_MAX": "2"}
READY_LINE = "Scheduler running"


def java():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else shutil.which("java") or "java"


def require_jar(jar):
    """Checks the jar exists and returns a private copy of it to run.

    The copy keeps the measurement apart from the build (rebuilding target/ mid-run changes nothing)
    and from anything else on a shared machine that signals processes by a command line containing
    "pulse.jar". One copy per harness run: a class-data-sharing archive names the jar's path.
    """
    if not os.path.isfile(jar):
        sys.exit(f"no {jar}: build it first with ./mvnw -B -ntp package -DskipTests")
    copy = os.path.join(tempfile.mkdtemp(prefix="pulse-bench-jar-"), "pulse-under-bench.jar")
    shutil.copy2(jar, copy)
    return copy


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(extra):
    """The caller's environment without Pulse/OTel/systemd variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PULSE_", "OTEL_")) and k not in ("NOTIFY_SOCKET", "JOURNAL_STREAM", "LOGFIRE_TOKEN",
                                                                  "WATCHDOG_USEC", "WATCHDOG_PID")}
    env.update(extra)
    return env


class Daemon:
    """One `java ... -jar pulse.jar daemon` process with its own state dir, port and notify socket."""

    def __init__(self, jar, flags, env=None, workdir=None, keep_log=None):
        self.workdir = workdir or tempfile.mkdtemp(prefix="pulse-bench-")
        self.state = os.path.join(self.workdir, "state")
        self.plugins = os.path.join(self.workdir, "plugins")
        os.makedirs(self.plugins, exist_ok=True)
        self.port = free_port()
        self.notify_path = os.path.join(self.workdir, "notify.sock")
        if os.path.exists(self.notify_path):
            os.unlink(self.notify_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.notify_path)
        self.sock.settimeout(0.2)
        self.env = clean_env({"PULSE_STATE_DIR": self.state, "PULSE_PLUGINS_DIR": self.plugins,
                              "PULSE_API_PORT": str(self.port), "NOTIFY_SOCKET": self.notify_path,
                              **(env or {})})
        self.cmd = [java(), *flags, "-jar", jar, "daemon"]
        self.keep_log = keep_log
        self.lines = []
        self.notifications = []
        self.t_ready = self.t_health = self.t_log = None
        self.cpu = {}  # signal -> CPU seconds (user + sys, all threads) the JVM had used when it arrived
        self.proc = None
        self._stop = threading.Event()
        self._probe = threading.Event()  # set: stop polling /api/health

    def start(self):
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=self.workdir, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1)
        self._threads = [threading.Thread(target=f, daemon=True) for f in (self._read, self._notify, self._health)]
        for t in self._threads:
            t.start()
        return self

    def _read(self):
        log = open(self.keep_log, "w") if self.keep_log else None
        for line in self.proc.stdout:
            now = time.monotonic()
            self.lines.append(line.rstrip("\n"))
            if log:
                log.write(line)
            if self.t_log is None and READY_LINE in line:
                self.t_log = now - self.t0
                self._cpu("log")
        if log:
            log.close()

    def _notify(self):
        while not self._stop.is_set():
            try:
                msg = self.sock.recv(4096).decode(errors="replace")
            except socket.timeout:
                continue
            except OSError:
                return
            now = time.monotonic()
            self.notifications.append((now - self.t0, msg))
            if self.t_ready is None and "READY=1" in msg.split("\n"):
                self.t_ready = now - self.t0
                self._cpu("ready")

    def _health(self):
        url = f"http://127.0.0.1:{self.port}/api/health"
        while not self._stop.is_set() and not self._probe.is_set() and self.t_health is None:
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        self.t_health = time.monotonic() - self.t0
                        self._cpu("health")
                        return
            except Exception:
                pass
            time.sleep(0.01)

    def _cpu(self, signal):
        try:
            self.cpu[signal] = proc_cpu_ticks(self.proc.pid) / CLK_TCK
        except (OSError, ValueError):
            pass

    def wait_ready(self, timeout=60, fallback_after=3.0):
        """Waits for READY=1; returns (seconds, signal name) or raises.

        Falls back to the health answer, then the log line, only when READY=1 has not come
        `fallback_after` seconds after them (a build without sd_notify)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.t_ready is not None:
                return self.t_ready, "ready"
            now = time.monotonic() - self.t0
            for name in ("health", "log"):
                t = getattr(self, "t_" + name)
                if t is not None and now - t >= fallback_after:
                    return t, name
            if self.proc.poll() is not None:
                raise RuntimeError(f"daemon exited with {self.proc.returncode}:\n" + "\n".join(self.lines[-30:]))
            time.sleep(0.005)
        raise RuntimeError("daemon not ready in %ss:\n%s" % (timeout, "\n".join(self.lines[-30:])))

    def settle(self, seconds):
        """Gives signals that arrive a little after the first one time to show up, then stops polling
        the health endpoint (an idle measurement must not count our own requests)."""
        time.sleep(seconds)
        self._probe.set()

    def stop(self, timeout=30):
        self._stop.set()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.sock.close()
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)


def proc_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def proc_cpu_ticks(pid):
    """utime + stime of the process (all threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[11]) + int(fields[12])  # utime, stime are fields 14 and 15 of the whole line


CLK_TCK = os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def machine_note():
    """Cores, load and CPU pressure: figures taken on a busy machine say so."""
    load = os.getloadavg()
    note = f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    try:
        with open("/proc/pressure/cpu") as f:
            some = f.readline().split()
        note += f", CPU pressure {some[1].split('=')[1]} % (tasks waiting for a CPU, last 10 s)"
    except (OSError, IndexError):
        pass
    return note


def median(values):
    return statistics.median(values)


def train_cds(jar, flags, env, archive, command):
    """One training run with -XX:ArchiveClassesAtExit writes the archive: a daemon started and
    stopped cleanly, or a one-shot command such as `check` (what a package's install script can run)."""
    if os.path.exists(archive):
        os.unlink(archive)
    train = flags + [f"-XX:ArchiveClassesAtExit={archive}"]
    if command == "daemon":
        d = Daemon(jar, train, env)
        d.start()
        try:
            d.wait_ready(120)
            time.sleep(2)
        finally:
            rc = d.stop(60)
            d.cleanup()
        tail = d.lines[-20:]
    else:
        work = tempfile.mkdtemp(prefix="pulse-bench-cds-train-")
        r = subprocess.run([java(), *train, "-jar", jar, command], cwd=work, capture_output=True, text=True,
                           env=clean_env({**env, "PULSE_STATE_DIR": os.path.join(work, "state"),
                                             "PULSE_API_PORT": str(free_port())}))
        rc, tail = r.returncode, (r.stdout + r.stderr).splitlines()[-20:]
        shutil.rmtree(work, ignore_errors=True)
    if not os.path.exists(archive):
        sys.exit(f"CDS training run ({command}) exited {rc} without writing {archive}:\n" + "\n".join(tail))
    return os.path.getsize(archive)

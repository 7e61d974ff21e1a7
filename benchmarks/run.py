"""Benchmark kubelint against PyYAML's C loader, kubernetes-validate and checkov.

    python benchmarks/run.py [--runs N] [--quick] [--skip-checkov] [--output benchmarks/RESULTS.md]

Issue 23's rows: the corpus re-run with a warm result cache against the cold run, N copies of
a 7-object app as one stream against the same copies as N files, and the cold full check
against the load baseline and kubeconform (where it is installed and given local schemas).
Every kubelint command runs with a private KUBELINT_CACHE_DIR whose schema cache is warm (as
after any first run) and whose result cache is emptied before each cold run.

Every figure is the wall time of a whole process (start-up included), measured here with
time.perf_counter() around subprocess + os.wait4(); peak memory is the child's ru_maxrss from
wait4 (the largest single process of its tree) and, for corpus runs, the sum of the resident
sets of the whole process tree, sampled every 50 ms from /proc (kubelint's worker processes
included). The report (Markdown) goes to standard output and to --output; progress goes to
standard error. Standard library only, plus the tools being measured. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    from benchmarks.generate import generate as generate_corpus
except ImportError:  # run as a script: benchmarks/ itself is sys.path[0]
    from generate import generate as generate_corpus

try:  # the one-stream generator of benchmarks/streams.py, where it exists
    from benchmarks import streams as stream_generator
except ImportError:
    try:
        import streams as stream_generator  # type: ignore[no-redef]  # run as a script
    except ImportError:
        stream_generator = None  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_PROJECTS = REPO.parent / "shared" / "projects-corpus"
# Where kubelint keeps rendered charts and built Kustomize roots (kubelint/project/rendercache.py).
RENDER_FOLDERS = ("helm", "kustomize")
PEERS_VENV = HERE / ".venv-peers"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_INTERVAL = 0.05
MB = 1_000_000

# Targets from issue #5 (2-core machine class); ratios are to the CSafeLoader load process.
TARGET_FULL_VS_LOAD = 0.6
TARGET_SCHEMA_VS_LOAD = 0.45
TARGET_STARTUP_OVER_TYPER = 0.08
TARGET_VS_KUBERNETES_VALIDATE = 100.0
TARGET_VS_CHECKOV = 40.0
TARGET_RSS_MB = 250.0
# Targets from issue #23.
TARGET_COLD_VS_LOAD = 0.4  # full check, default jobs, result cache cold
TARGET_STARTUP_OVER_TYPER_23 = 0.05  # issue 23 tightened issue 5's one-file limit
TARGET_VS_KUBECONFORM = 0.7  # kubelint's time over kubeconform's (schema only, strict, -n 2)
TARGET_STREAM_VS_FILES = 2.0  # N copies of an app as one stream over the same as N files
STREAM_MEMORY_DOCUMENTS = 20_000  # issue 23: this many documents within TARGET_RSS_MB, as one stream too

# kubelint/resultcache.py's folder under KUBELINT_CACHE_DIR (resultcache.SECTION); the
# schema cache's folders beside it stay warm.
RESULTS_FOLDER = "results"
WARM = "kubelint full check, warm re-run"
KUBECONFORM = "kubeconform -strict (schemas only)"

# The baseline: the cheapest thing any YAML linter must do, parse every file with libyaml.
LOAD_CODE = r"""
import json, sys, time
started = time.perf_counter()
import yaml
imported = time.perf_counter()
documents = errors = 0
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    try:
        with open(path, encoding="utf-8") as handle:
            documents += len(list(yaml.load_all(handle, Loader=yaml.CSafeLoader)))
    except Exception:
        errors += 1
done = time.perf_counter()
print(json.dumps({"import": imported - started, "load": done - imported,
                  "documents": documents, "errors": errors}))
"""

# kubernetes-validate's CLI exits at the first file it cannot parse as YAML, skipping every
# file after it: hand it only the files it can parse, found with its own reader (pure-Python
# SafeLoader; libyaml accepts a few files that it rejects). Untimed.
KV_PARSEABLE_CODE = r"""
import json, sys
from kubernetes_validate.utils import resources_from_file
ok = []
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    try:
        resources_from_file(path)
    except (SystemExit, Exception):
        continue
    ok.append(path)
print(json.dumps(ok))
"""


def child_env() -> dict[str, str]:
    """The environment of every measured command: ours, except that Python may cache bytecode
    (as after `pip install`), so that start-up is not a recompilation of every module."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env

ONE_FILE_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: nginx:1.27.2
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
"""

# One copy of a small application as a chart renders it: 7 objects, clean (no finding), all in
# one namespace, with the autoscaler and disruption budget that the run-wide rules pair with
# their workload. Copies differ by name only. Used when benchmarks/streams.py is absent.
STREAM_APP = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
data:
  LOG_LEVEL: info
  HTTP_PORT: "8080"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: ghcr.io/acme/app:1.4.2
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: {name}-config
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: shop
  labels:
    app.kubernetes.io/name: {name}
spec:
  ingressClassName: nginx
  rules:
    - host: {name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port:
                  name: http
"""
STREAM_APP_OBJECTS = 7


def write_stream_inputs(root: Path, copies: int) -> tuple[Path, Path, int]:
    """`copies` copies of the app, as one stream (root/stream.yaml) and as one file a copy
    (root/files/app-NNNN.yaml): the same bytes either way. Returns (stream, folder, documents)."""
    if stream_generator is not None and hasattr(stream_generator, "write_stream_inputs"):
        return stream_generator.write_stream_inputs(root, copies)
    folder = root / "files"
    folder.mkdir(parents=True)
    texts = [STREAM_APP.replace("{name}", f"app-{n:04d}") for n in range(copies)]
    for n, text in enumerate(texts):
        (folder / f"app-{n:04d}.yaml").write_text(text, encoding="utf-8")
    stream = root / "stream.yaml"
    stream.write_text("---\n".join(texts), encoding="utf-8")
    return stream, folder, copies * STREAM_APP_OBJECTS


class CacheDir:
    """A private KUBELINT_CACHE_DIR for the measured kubelint runs, never the user's: the
    untimed warm-up fills its schema cache, and `cold()` empties its result cache before each
    cold run, so that a cold run is a first run of these files, not a first run of kubelint."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="kubelint-bench-cache-"))

    def env(self) -> dict[str, str]:
        env = child_env()
        env["KUBELINT_CACHE_DIR"] = str(self.path)
        env.pop("KUBELINT_NO_CACHE", None)
        return env

    def cold(self) -> None:
        shutil.rmtree(self.path / RESULTS_FOLDER, ignore_errors=True)

    def unrendered(self) -> None:
        """No chart rendered and no Kustomize root built yet, as on a project's first run."""
        for folder in RENDER_FOLDERS:
            shutil.rmtree(self.path / folder, ignore_errors=True)

    def results_bytes(self) -> int:
        total = 0
        for dirpath, _, filenames in os.walk(self.path / RESULTS_FOLDER):
            for name in filenames:
                with contextlib.suppress(OSError):
                    total += os.path.getsize(os.path.join(dirpath, name))
        return total

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ process timing


class TreeSampler:
    """Samples the summed resident set of a process and all its descendants from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_bytes

    def _loop(self) -> None:
        while True:
            total = sum(_rss_bytes(pid) for pid in _descendants(self.pid)[1:])  # not the launcher
            self.peak_bytes = max(self.peak_bytes, total)
            if self._stop.wait(SAMPLE_INTERVAL):
                return


def _descendants(root: int) -> list[int]:
    found = [root]
    index = 0
    while index < len(found):
        pid = found[index]
        index += 1
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    found.extend(int(child) for child in handle.read().split())
            except (OSError, ValueError):
                continue
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class Run:
    seconds: float
    rss_bytes: int  # ru_maxrss from wait4: the largest single process of the child's tree
    tree_bytes: int | None  # sampled peak of the summed resident sets of the whole tree
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    cpu: float = 0.0  # user + system seconds of the child and its descendants


# The timed child is started by this small launcher rather than by the benchmark process itself:
# on Linux a child's ru_maxrss starts from the high-water mark of the process that forked it, and
# the benchmark process grows (reports, peers' output); a bare Python launcher keeps that floor at
# the size of `python -c pass`. The launcher times spawn-to-exit with perf_counter and reports
# the child's wall time, ru_maxrss (KiB), exit code and CPU seconds (user + system, its reaped
# descendants included) on the file descriptor it is given.
LAUNCHER_CODE = r"""
import json, os, sys, time
fd, argv = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
os.write(fd, json.dumps([elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                         usage.ru_utime + usage.ru_stime]).encode())
"""


def run_process(argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                sample: bool = True, timeout: float | None = None) -> Run:
    """Run one process to completion: wall time, peak RSS, exit code and its output."""
    read_fd, write_fd = os.pipe()
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            timed_out = threading.Event()
            launcher = subprocess.Popen(
                [sys.executable, "-S", "-c", LAUNCHER_CODE, str(write_fd), *argv], stdin=subprocess.DEVNULL,
                stdout=out, stderr=err, env=child_env() if env is None else env, cwd=cwd,
                start_new_session=True, pass_fds=(write_fd,))
            os.close(write_fd)
            write_fd = -1
            sampler = TreeSampler(launcher.pid) if sample else None
            timer: threading.Timer | None = None
            if timeout is not None:
                def kill() -> None:
                    timed_out.set()
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(launcher.pid, signal.SIGKILL)  # the session this launcher leads, nothing else
                timer = threading.Timer(timeout, kill)
                timer.start()
            with os.fdopen(read_fd, "rb") as pipe:
                read_fd = -1
                message = pipe.read()
            launcher.wait()
            if timer is not None:
                timer.cancel()
            tree = sampler.stop() if sampler else None
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
    finally:
        for fd in (read_fd, write_fd):
            if fd >= 0:
                os.close(fd)
    if not message:
        if timed_out.is_set():
            return Run(float(timeout or 0), 0, tree, -9, stdout, stderr, timed_out=True, cpu=0.0)
        raise RuntimeError(f"could not run {argv[0]}: {tail(stderr)}")
    seconds, maxrss_kib, returncode, cpu = json.loads(message)
    return Run(
        seconds=seconds,
        cpu=cpu,
        rss_bytes=maxrss_kib * 1024,
        tree_bytes=max(tree, maxrss_kib * 1024) if tree is not None else None,
        returncode=returncode,
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out.is_set(),
    )


def capture(argv: Sequence[str], timeout: float = 120) -> str:
    """Output of a short helper command (versions, --help); '' when it cannot run."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout + done.stderr).strip()


# ------------------------------------------------------------------------------------ results


@dataclass
class Row:
    """One measured command: several runs of the same thing."""

    label: str
    command: str
    runs: list[Run] = field(default_factory=list)
    documents: int | None = None
    note: str = ""
    unavailable: str | None = None
    in_process: list[float] = field(default_factory=list)  # the load baseline's own timing

    @property
    def ok(self) -> bool:
        return self.unavailable is None and bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(run.rss_bytes for run in self.runs) / MB

    @property
    def tree_mb(self) -> float | None:
        trees = [run.tree_bytes for run in self.runs if run.tree_bytes is not None]
        return max(trees) / MB if trees else None


@dataclass
class CorpusResult:
    title: str
    display: str
    files: int
    bytes: int
    documents: int | None
    rows: list[Row]
    load: Row | None
    notes: list[str]

    def row(self, label: str) -> Row | None:
        return next((row for row in self.rows if row.label == label and row.ok), None)


@dataclass
class StreamResult:
    copies: int
    documents: int
    bytes: int
    source: str
    rows: list[Row]  # N files, one stream, one stream on standard input
    memory: Row | None = None  # STREAM_MEMORY_DOCUMENTS in one stream, once, for its peak RSS

    @property
    def ratio(self) -> float | None:
        many, one = self.rows[0], self.rows[1]
        return one.median / many.median if many.ok and one.ok else None


@dataclass
class Tools:
    kubelint: str
    python: str
    kubernetes_validate: str | None
    checkov: str | None
    has_jobs: bool
    checkov_flags: list[str]
    has_no_cache: bool = False  # `kubelint check --no-cache` (issue 23's result cache)
    kubeconform: str | None = None


# ------------------------------------------------------------------------------------ helpers


def discover(root: Path) -> list[str]:
    """The files `kubelint check DIR` reads (kubelint/source.py): *.yaml, *.yml, *.json, no
    hidden files or directories, each directory once however it is linked."""
    seen: set[tuple[int, int]] = set()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        info = os.stat(dirpath)
        if (info.st_dev, info.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            os.path.join(dirpath, name) for name in sorted(filenames)
            if not name.startswith(".") and name.lower().endswith(MANIFEST_SUFFIXES)
        )
    return sorted(found)


def script_python(executable: str) -> str:
    """The interpreter a console script runs under (its shebang), else this one."""
    try:
        with open(executable, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        parts = shlex.split(first[2:])
        if parts and Path(parts[0]).name.startswith("python") and os.access(parts[0], os.X_OK):
            return parts[0]
    return sys.executable


def find_tool(explicit: str | None, name: str, *dirs: Path) -> str | None:
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for folder in dirs:
        candidate = folder / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def batches(paths: list[str], fixed: int) -> list[list[str]]:
    """Split an argument list so that no command line exceeds a safe share of ARG_MAX."""
    limit = max(os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2 for k, v in os.environ.items())
                - fixed, 32_768)
    out: list[list[str]] = [[]]
    size = 0
    for path in paths:
        cost = len(os.fsencode(path)) + 1 + 8  # the string, its NUL and its argv pointer
        if out[-1] and size + cost > limit:
            out.append([])
            size = 0
        out[-1].append(path)
        size += cost
    return out


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def fmt_rate(documents: int | None, seconds: float) -> str:
    if not documents or seconds <= 0:
        return "–"
    return f"{documents / seconds:,.0f}"


# ----------------------------------------------------------------------------------- measuring


class Bench:
    def __init__(self, args: argparse.Namespace, tools: Tools, cache: CacheDir) -> None:
        self.args = args
        self.tools = tools
        self.k8s_version = args.kubernetes_version
        self.cache = cache

    def kubelint_cmd(self, target: str, *extra: str, output: str = os.devnull) -> list[str]:
        return [self.tools.kubelint, "check", target, "--format", "json", "--fail-on", "never",
                "-o", output, *extra]

    def corpus(self, title: str, root: Path, display: str) -> CorpusResult:
        args = self.args
        files = discover(root)
        size = sum(os.path.getsize(path) for path in files)
        notes: list[str] = []
        log(f"[{title}] {len(files)} files, {size / MB:.1f} MB")
        workdir = Path(tempfile.mkdtemp(prefix="kubelint-bench-"))
        try:
            listing = workdir / "files.txt"
            listing.write_text("\n".join(files) + "\n", encoding="utf-8")
            target = str(root)

            # Untimed warm-up (page cache, bytecode caches) that also counts the documents.
            report_path = workdir / "report.json"
            env = self.cache.env()
            warm = run_process(self.kubelint_cmd(target, output=str(report_path)), env=env, sample=False)
            documents: int | None = None
            if warm.returncode != 0:
                notes.append(f"kubelint warm-up run exited {warm.returncode}: {tail(warm.stderr)}")
            else:
                report = json.loads(report_path.read_text(encoding="utf-8"))
                summary = report.get("summary", {})
                documents = summary.get("documents")
                self.k8s_version = self.k8s_version or report.get("kubernetesVersion")
                notes.append(
                    "kubelint's report (full check): " + ", ".join(f"{k} {v}" for k, v in summary.items()))
            schema_report = workdir / "schema.json"
            warm = run_process(self.kubelint_cmd(target, "--schema-only", output=str(schema_report)),
                               env=env, sample=False)
            if warm.returncode == 0:
                summary = json.loads(schema_report.read_text(encoding="utf-8")).get("summary", {})
                notes.append("kubelint's report (--schema-only): "
                             + ", ".join(f"{k} {v}" for k, v in summary.items()))

            # The fast commands, interleaved run by run so that drift hits them all alike.
            load = Row("PyYAML CSafeLoader load (process)",
                       "python -c 'for f in files: list(yaml.load_all(open(f), Loader=yaml.CSafeLoader))'",
                       documents=documents)
            # Each kubelint row but the warm ones starts with an empty result cache (cold); a warm
            # row runs right after the cold row before it, in the same cache: the second of two
            # runs over unchanged files.
            fast: list[tuple[Row, list[str], bool]] = [
                (load, [self.tools.python, "-c", LOAD_CODE, str(listing)], False)]
            fast.append((Row("kubelint full check", f"kubelint check {display} --format json "
                             "--fail-on never -o /dev/null", documents=documents), self.kubelint_cmd(target), True))
            fast.append((Row(WARM, "… again, the result cache filled by the run before", documents=documents),
                         self.kubelint_cmd(target), False))
            if self.tools.has_no_cache:
                fast.append((Row("kubelint full check --no-cache", "… --no-cache", documents=documents),
                             self.kubelint_cmd(target, "--no-cache"), True))
            fast.append((Row("kubelint --schema-only", "… --schema-only", documents=documents),
                         self.kubelint_cmd(target, "--schema-only"), True))
            if self.tools.has_jobs:
                fast.append((Row("kubelint full check -j 1", "… -j 1", documents=documents),
                             self.kubelint_cmd(target, "-j", "1"), True))
                fast.append((Row("kubelint full check -j 1, warm re-run", "… -j 1 again, the result cache filled by the run before",
                                 documents=documents), self.kubelint_cmd(target, "-j", "1"), False))
                fast.append((Row("kubelint --schema-only -j 1", "… --schema-only -j 1", documents=documents),
                             self.kubelint_cmd(target, "--schema-only", "-j", "1"), True))
            kubeconform = self.kubeconform_row(files, documents)
            if kubeconform.unavailable is None:
                fast.append((kubeconform, kubeconform_argv(self.tools.kubeconform or "", args, files), False))
            stored: int | None = None
            for index in range(args.runs):
                for row, argv, cold in fast:
                    log(f"[{title}] {row.label}: run {index + 1}/{args.runs}")
                    if cold:
                        self.cache.cold()
                    result = run_process(argv, env=env)
                    row.runs.append(result)
                    if row.label == "kubelint full check":
                        stored = self.cache.results_bytes()
                    if row is load:
                        parsed = json.loads(result.stdout)
                        row.in_process.append(parsed["load"])
                        if index == 0:
                            notes.append(f"The load baseline parsed {parsed['documents']} YAML documents "
                                         f"(empty ones included); {parsed['errors']} files raised an error.")
            rows = [row for row, _, _ in fast]
            if kubeconform.unavailable is not None:
                rows.append(kubeconform)
            notes.append(f"The result cache held {(stored or 0) / MB:.1f} MB after a cold full check"
                         + (" (none: this kubelint has no result cache yet, so the warm rows are cold runs too)."
                            if not stored else "."))
            for row in rows[1:]:
                if row is kubeconform:
                    continue
                bad = {run.returncode for run in row.runs} - {0, 1}
                if bad:
                    row.note = f"exit code {sorted(bad)}: {tail(row.runs[-1].stderr)}"
            in_load = Row("PyYAML CSafeLoader load (in-process, no start-up)", "the same, timed inside the process",
                          documents=documents)
            in_load.runs = [Run(s, 0, None, 0, "", "") for s in load.in_process]
            rows.insert(1, in_load)

            generated = title.startswith("Generated")
            if generated and args.skip_kubernetes_validate_generated:
                rows.append(Row("kubernetes-validate CLI", "", unavailable=(
                    "not run on the generated corpus (--skip-kubernetes-validate-generated)")))
            elif not args.skip_kubernetes_validate:
                rows.append(self.kubernetes_validate(title, listing, files, documents,
                                                     1 if generated else args.peer_runs, notes))
            if args.skip_checkov:
                pass
            elif generated and not args.checkov_generated:
                rows.append(Row("checkov --framework kubernetes", "", unavailable=(
                    "not run on the generated corpus (it takes many minutes; pass --checkov-generated)")))
            else:
                rows.append(self.checkov(title, root, display, documents, 1 if generated else args.checkov_runs))
            return CorpusResult(title, display, len(files), size, documents, rows, load, notes)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def kubeconform_row(self, files: list[str], documents: int | None) -> Row:
        """kubeconform, timed with the fast commands: schema validation only, the Go peer."""
        args = self.args
        locations = args.kubeconform_schema_location or []
        command = " ".join(["kubeconform -strict -summary -n 2", *(f"-schema-location {loc}" for loc in locations),
                            "FILES…"])
        row = Row(KUBECONFORM, command, documents=documents)
        if args.skip_kubeconform:
            row.unavailable = "not run (--skip-kubeconform)"
        elif self.tools.kubeconform is None:
            row.unavailable = "not installed (or pass --kubeconform PATH)"
        elif not locations:
            row.unavailable = ("not run: it needs local schemas, its default location is on the network "
                               "(pass --kubeconform-schema-location DIR_OR_TEMPLATE)")
        elif len(batches(files, 200 + sum(len(loc) + 20 for loc in locations))) > 1:
            row.unavailable = "not run: the file list does not fit one command line"
        else:
            row.note = "exit 1 means invalid resources"
        return row

    def kubernetes_validate(self, title: str, listing: Path, files: list[str], documents: int | None,
                            runs: int, notes: list[str]) -> Row:
        label = "kubernetes-validate CLI"
        exe = self.tools.kubernetes_validate
        version = self.k8s_version or "1.37"
        row = Row(label, f"kubernetes-validate --strict -k {version} FILES…", documents=documents)
        if exe is None:
            row.unavailable = "not installed (pip install kubernetes-validate, or pass --kubernetes-validate PATH)"
            return row
        log(f"[{title}] {label}: finding the files it can parse (untimed)")
        parseable = run_process([script_python(exe), "-c", KV_PARSEABLE_CODE, str(listing)], sample=False)
        try:
            ok_files: list[str] = json.loads(parseable.stdout)
        except json.JSONDecodeError:
            ok_files = files
            notes.append(f"Could not pre-check the files for kubernetes-validate: {tail(parseable.stderr)}")
        skipped = len(files) - len(ok_files)
        fixed = [exe, "--strict", "-k", version]
        groups = batches(ok_files, sum(len(a) + 1 for a in fixed))
        if skipped:
            row.note = (f"given the {len(ok_files)} of {len(files)} files that parse as YAML (its CLI stops "
                        f"at the first file that does not); docs/s counts all {documents} documents")
        if len(groups) > 1:
            row.note += f"{'; ' if row.note else ''}{len(groups)} invocations per run (argument list size)"
        for index in range(runs):
            log(f"[{title}] {label}: run {index + 1}/{runs} ({len(ok_files)} files)")
            parts = [run_process(fixed + group, timeout=self.args.peer_timeout) for group in groups]
            run = Run(
                seconds=sum(p.seconds for p in parts),
                rss_bytes=max(p.rss_bytes for p in parts),
                tree_bytes=max(p.tree_bytes or 0 for p in parts),
                returncode=max(p.returncode for p in parts),
                stdout="".join(p.stdout for p in parts),
                stderr="".join(p.stderr for p in parts),
                timed_out=any(p.timed_out for p in parts),
                cpu=sum(p.cpu for p in parts),
            )
            row.runs.append(run)
            if run.timed_out:
                row.unavailable = f"timed out after {self.args.peer_timeout:.0f} s"
                return row
        out = row.runs[-1].stdout + row.runs[-1].stderr
        if "Couldn't parse YAML" in out or "Couldn't open file" in out or "Traceback" in out:
            row.note += f"{'; ' if row.note else ''}WARNING, it stopped early: {tail(out)}"
        counts = {kind: len(re.findall(rf"(?m)^{kind} ", row.runs[-1].stdout)) for kind in ("INFO", "WARN", "ERROR")}
        notes.append(f"kubernetes-validate reported {counts['INFO']} resources valid, {counts['ERROR']} invalid "
                     f"and {counts['WARN']} without a schema (custom resources), exit code {row.runs[-1].returncode}.")
        return row

    def checkov(self, title: str, root: Path, display: str, documents: int | None, runs: int) -> Row:
        flags = self.tools.checkov_flags
        row = Row("checkov --framework kubernetes",
                  f"checkov --framework kubernetes -d {display} --quiet --compact -o json {' '.join(flags)}".strip(),
                  documents=documents)
        if self.tools.checkov is None:
            row.unavailable = (f"not installed (python3 -m venv {PEERS_VENV.relative_to(REPO)} && "
                               f"{PEERS_VENV.relative_to(REPO)}/bin/pip install checkov)")
            return row
        env = dict(child_env(), BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
        argv = [self.tools.checkov, "--framework", "kubernetes", "-d", str(root), "--quiet", "--compact",
                "-o", "json", *flags]
        with tempfile.TemporaryDirectory(prefix="kubelint-bench-checkov-") as cwd:
            for index in range(runs):
                log(f"[{title}] checkov: run {index + 1}/{runs} (slow)")
                run = run_process(argv, env=env, cwd=Path(cwd), timeout=self.args.peer_timeout)
                if run.timed_out:
                    row.unavailable = f"timed out after {self.args.peer_timeout:.0f} s"
                    return row
                summary = checkov_summary(run.stdout)
                if run.returncode not in (0, 1) or summary is None:
                    row.unavailable = f"failed (exit {run.returncode}): {tail(run.stderr or run.stdout)}"
                    return row
                row.runs.append(run)
                row.note = ("its summary: " + ", ".join(f"{k} {summary[k]}" for k in
                            ("resource_count", "passed", "failed", "parsing_errors") if k in summary))
        return row

    def startup(self) -> list[Row]:
        """One 30-line Deployment: kubelint's start-up against typer's import and kubernetes-validate."""
        runs = self.args.startup_runs
        with tempfile.TemporaryDirectory(prefix="kubelint-bench-one-") as folder:
            path = Path(folder) / "deployment.yaml"
            path.write_text(ONE_FILE_DEPLOYMENT, encoding="utf-8")
            uncached = {**child_env(), "KUBELINT_NO_CACHE": "1"}
            cached = self.cache.env()
            # (row, argv, env, cold): a cold kubelint row starts with an empty result cache (the
            # schema cache warm), as a pre-commit run over a changed file does.
            commands: list[tuple[Row, list[str], dict[str, str] | None, bool]] = [
                (Row("python -c pass", "python -c pass"), [self.tools.python, "-c", "pass"], None, False),
                (Row("python -c 'import typer'", "python -c 'import typer'"),
                 [self.tools.python, "-c", "import typer"], None, False),
                (Row("kubelint check FILE", "kubelint check deployment.yaml"),
                 [self.tools.kubelint, "check", str(path)], cached, True),
                (Row("kubelint check FILE, warm re-run",
                     "kubelint check deployment.yaml again (the file unchanged: a result-cache hit)"),
                 [self.tools.kubelint, "check", str(path)], cached, False),
                (Row("kubelint check FILE --schema-only", "kubelint check deployment.yaml --schema-only"),
                 [self.tools.kubelint, "check", str(path), "--schema-only"], cached, True),
                (Row("kubelint check FILE, no disk cache",
                     "KUBELINT_NO_CACHE=1 kubelint check deployment.yaml (what a first run costs)"),
                 [self.tools.kubelint, "check", str(path)], uncached, False),
            ]
            if self.tools.kubernetes_validate:
                commands.append((Row("kubernetes-validate FILE", "kubernetes-validate deployment.yaml"),
                                 [self.tools.kubernetes_validate, str(path)], None, False))
            for _, argv, env, _ in commands:  # warm-up, untimed (it also fills kubelint's cache)
                run_process(argv, env=env, sample=False)
            for index in range(runs):
                log(f"[one file] run {index + 1}/{runs}")
                for row, argv, env, cold in commands:
                    if cold:
                        self.cache.cold()
                    row.runs.append(run_process(argv, env=env, sample=False))
            for row, _, _, _ in commands:
                bad = {run.returncode for run in row.runs} - {0}
                if bad:
                    row.note = f"exit code {sorted(bad)}: {tail(row.runs[-1].stderr or row.runs[-1].stdout)}"
            return [row for row, _, _, _ in commands]

    def projects(self, root: Path) -> list[Row]:
        """Helm charts and Kustomize roots (../shared/projects-corpus): a project's first run, with
        nothing rendered or built yet, and a re-run of the unchanged tree."""
        env = self.cache.env()
        argv = self.kubelint_cmd(str(root))
        first = Row("first run", "kubelint check projects-corpus --format json --fail-on never -o /dev/null "
                    "(charts rendered, roots built, files linted: the render and result caches empty)")
        again = Row("re-run", "… again, nothing changed (both caches filled by the first run)")
        unrendered = Row("first run, --no-render", "… --no-render, the result cache empty (the files "
                         "linted one by one: what rendering adds)")
        run_process(argv, env=env, sample=False, timeout=self.args.peer_timeout)  # untimed warm-up
        for index in range(self.args.project_runs):
            log(f"[projects] run {index + 1}/{self.args.project_runs}")
            self.cache.cold()
            self.cache.unrendered()
            first.runs.append(run_process(argv, env=env, timeout=self.args.peer_timeout))
            again.runs.append(run_process(argv, env=env, timeout=self.args.peer_timeout))
            self.cache.cold()
            unrendered.runs.append(run_process([*argv, "--no-render"], env=env, timeout=self.args.peer_timeout))
        rows = [first, again, unrendered]
        for row in rows:
            bad = {run.returncode for run in row.runs} - {0}
            if bad:
                row.note = f"exit code {sorted(bad)}: {tail(row.runs[-1].stderr or row.runs[-1].stdout)}"
        return rows

    def streams(self) -> StreamResult:
        """N copies of a 7-object app as one stream against the same N copies as N files: the
        run-wide rules and the reduce step must be linear (issue 23: one stream ≤ 2× the files)."""
        args = self.args
        copies = args.stream_copies
        with tempfile.TemporaryDirectory(prefix="kubelint-bench-streams-") as folder:
            stream, files, documents = write_stream_inputs(Path(folder), copies)
            size = stream.stat().st_size
            source = ("benchmarks/streams.py" if stream_generator is not None
                      and hasattr(stream_generator, "write_stream_inputs") else "benchmarks/run.py (STREAM_APP)")
            log(f"[streams] {copies} copies, {documents} documents, {size / MB:.1f} MB, from {source}")
            env = self.cache.env()
            one = Row("one stream (one file)", f"kubelint check stream.yaml --format json --fail-on never "
                      f"-o /dev/null ({copies} copies in one file)", documents=documents)
            many = Row(f"{copies} files", f"kubelint check files/ … (one copy a file, {copies} files)",
                       documents=documents)
            piped = Row("one stream on standard input", "kubelint check - < stream.yaml (as after helm "
                        "template | …)", documents=documents)
            # Standard input by the shell's redirection (no pipe writer to wait for).
            stdin_argv = ["/bin/sh", "-c", 'exec "$0" check - --format json --fail-on never -o /dev/null < "$1"',
                          self.tools.kubelint, str(stream)]
            commands = [(many, self.kubelint_cmd(str(files))), (one, self.kubelint_cmd(str(stream))),
                        (piped, stdin_argv)]
            self.cache.cold()  # untimed warm-up (the page cache, the schema cache); the stream is fresh
            run_process(commands[0][1], env=env, sample=False, timeout=args.peer_timeout)
            for index in range(args.stream_runs):
                for row, argv in commands:
                    if row.unavailable:
                        continue
                    log(f"[streams] {row.label}: run {index + 1}/{args.stream_runs}")
                    self.cache.cold()
                    run = run_process(argv, env=env, timeout=args.peer_timeout)
                    if run.timed_out:
                        row.unavailable = f"timed out after {args.peer_timeout:.0f} s"
                        continue
                    row.runs.append(run)
            memory = self.stream_memory(Path(folder) / "memory", env)
            rows = [many, one, piped]
            for row in [*rows, memory]:
                bad = {run.returncode for run in row.runs} - {0, 1}
                if bad:
                    row.note = f"exit code {sorted(bad)}: {tail(row.runs[-1].stderr)}"
            return StreamResult(copies, documents, size, source, rows, memory)

    def stream_memory(self, root: Path, env: dict[str, str]) -> Row:
        """Issue 23's memory bound for one stream: STREAM_MEMORY_DOCUMENTS documents (copies of
        the same app) in one file, one cold run, its peak RSS over all processes."""
        copies = -(-STREAM_MEMORY_DOCUMENTS // max(1, STREAM_APP_OBJECTS))
        stream, _, documents = write_stream_inputs(root, copies)
        row = Row(f"one stream of {documents:,} documents (peak RSS)",
                  f"kubelint check stream.yaml --format json --fail-on never -o /dev/null ({copies} copies, "
                  f"{stream.stat().st_size / MB:.1f} MB, one run)", documents=documents)
        log(f"[streams] {row.label}")
        self.cache.cold()
        run = run_process(self.kubelint_cmd(str(stream)), env=env, timeout=self.args.peer_timeout)
        if run.timed_out:
            row.unavailable = f"timed out after {self.args.peer_timeout:.0f} s"
        else:
            row.runs.append(run)
        return row


def kubeconform_argv(exe: str, args: argparse.Namespace, files: list[str]) -> list[str]:
    argv = [exe, "-strict", "-summary", "-n", "2"]
    for location in args.kubeconform_schema_location or []:
        argv += ["-schema-location", location]
    return argv + files


def checkov_summary(stdout: str) -> dict[str, int] | None:
    start = min((i for i in (stdout.find("{"), stdout.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    try:
        data = json.loads(stdout[start:])
    except json.JSONDecodeError:
        return None
    reports = data if isinstance(data, list) else [data]
    total: dict[str, int] = {}
    for report in reports:
        summary = report.get("summary", {}) if isinstance(report, dict) else {}
        for key, value in summary.items():
            if isinstance(value, int):
                total[key] = total.get(key, 0) + value
    return total


def tail(text: str, limit: int = 240) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    out = " / ".join(lines[-3:])
    return (out[: limit - 1] + "…") if len(out) > limit else out


# ----------------------------------------------------------------------------------- reporting


@dataclass
class Target:
    name: str
    measured: str
    limit: str
    passed: bool | None  # None: could not be measured


def targets(corpora: list[CorpusResult], startup: list[Row] | None,
            streams: StreamResult | None = None) -> list[Target]:
    out: list[Target] = []
    real = next((c for c in corpora if not c.title.startswith("Generated")), None)
    generated = next((c for c in corpora if c.title.startswith("Generated")), None)

    def vs_load(corpus: CorpusResult | None, label: str, limit: float, name: str) -> None:
        row = corpus.row(label) if corpus else None
        if corpus is None or row is None or corpus.load is None:
            out.append(Target(name, "not measured", f"≤ {limit}× load", None))
            return
        ratio = row.median / corpus.load.median
        out.append(Target(name, f"{fmt_s(row.median)} s = {ratio:.2f}× load ({fmt_s(corpus.load.median)} s)",
                          f"≤ {limit}× load", ratio <= limit))

    vs_load(real, "kubelint full check", TARGET_FULL_VS_LOAD, "full check, real corpus")
    vs_load(real, "kubelint --schema-only", TARGET_SCHEMA_VS_LOAD, "--schema-only, real corpus")

    one = {row.label: row for row in startup or [] if row.ok}
    kubelint_one, typer_one = one.get("kubelint check FILE"), one.get("python -c 'import typer'")
    for limit, issue in ((TARGET_STARTUP_OVER_TYPER, 5), (TARGET_STARTUP_OVER_TYPER_23, 23)):
        name = f"one-file run over `import typer` (issue {issue})"
        if kubelint_one and typer_one:
            over = kubelint_one.median - typer_one.median
            out.append(Target(name, f"{fmt_s(kubelint_one.median)} − {fmt_s(typer_one.median)} = {over:+.3f} s",
                              f"≤ +{limit} s", over <= limit))
        else:
            out.append(Target(name, "not measured", f"≤ +{limit} s", None))

    for corpus in (real, generated):
        if corpus is None:
            continue
        mine = corpus.row("kubelint full check")
        where = "real corpus" if corpus is real else "generated corpus"
        for label, limit, short in (("kubernetes-validate CLI", TARGET_VS_KUBERNETES_VALIDATE, "kubernetes-validate"),
                                    ("checkov --framework kubernetes", TARGET_VS_CHECKOV, "checkov")):
            peer = next((row for row in corpus.rows if row.label == label), None)
            if peer is None or (not peer.ok and corpus is generated):
                continue
            name = f"faster than {short}, {where}"
            if not peer.ok or mine is None:
                out.append(Target(name, f"not measured ({peer.unavailable or 'kubelint failed'})",
                                  f"≥ {limit:.0f}×", None))
                continue
            ratio = peer.median / mine.median
            out.append(Target(name, f"{fmt_s(peer.median)} s / {fmt_s(mine.median)} s = {ratio:.0f}×",
                              f"≥ {limit:.0f}×", ratio >= limit))

    out.extend(issue23_targets(real, streams))

    row = generated.row("kubelint full check") if generated else None
    if row is None or generated is None:
        out.append(Target("peak RSS, generated corpus", "not measured", f"≤ {TARGET_RSS_MB:.0f} MB", None))
    else:
        tree = row.tree_mb if row.tree_mb is not None else row.rss_mb
        out.append(Target(f"peak RSS, generated corpus ({generated.documents} documents), full check",
                          f"{tree:.0f} MB, all processes (largest one {row.rss_mb:.0f} MB)",
                          f"≤ {TARGET_RSS_MB:.0f} MB", tree <= TARGET_RSS_MB))
    return out


def issue23_targets(real: CorpusResult | None, streams: StreamResult | None) -> list[Target]:
    """Issue 23: the cold run against the load baseline and kubeconform, the warm re-run, the
    one-stream ratio."""
    out: list[Target] = []
    cold = real.row("kubelint full check") if real else None
    name = "cold full check (result cache empty), real corpus"
    if cold is None or real is None or real.load is None:
        out.append(Target(name, "not measured", f"≤ {TARGET_COLD_VS_LOAD}× load", None))
    else:
        ratio = cold.median / real.load.median
        out.append(Target(name, f"{fmt_s(cold.median)} s = {ratio:.2f}× load ({fmt_s(real.load.median)} s)",
                          f"≤ {TARGET_COLD_VS_LOAD}× load", ratio <= TARGET_COLD_VS_LOAD))
    peer = next((row for row in real.rows if row.label == KUBECONFORM), None) if real else None
    name = "cold full check against kubeconform, real corpus"
    if peer is None or not peer.ok or cold is None:
        out.append(Target(name, f"not measured ({peer.unavailable if peer else 'no real corpus'})",
                          f"≤ {TARGET_VS_KUBECONFORM}× kubeconform", None))
    else:
        ratio = cold.median / peer.median
        out.append(Target(name, f"{fmt_s(cold.median)} s / {fmt_s(peer.median)} s = {ratio:.2f}×",
                          f"≤ {TARGET_VS_KUBECONFORM}× kubeconform", ratio <= TARGET_VS_KUBECONFORM))
    warm = real.row(WARM) if real else None
    if warm is not None and cold is not None:
        out.append(Target("warm re-run, real corpus (no limit set; the issue's prototype: 0.27 s)",
                          f"{fmt_s(warm.median)} s = {warm.median / cold.median:.2f}× the cold run", "–", None))
    name = "one stream against the same copies as files"
    if streams is None or streams.ratio is None:
        out.append(Target(name, "not measured", f"≤ {TARGET_STREAM_VS_FILES:.0f}×", None))
    else:
        many, one = streams.rows[0], streams.rows[1]
        out.append(Target(f"{name} ({streams.copies} copies, {streams.documents:,} documents)",
                          f"{fmt_s(one.median)} s / {fmt_s(many.median)} s = {streams.ratio:.2f}×",
                          f"≤ {TARGET_STREAM_VS_FILES:.0f}×", streams.ratio <= TARGET_STREAM_VS_FILES))
    memory = streams.memory if streams is not None else None
    name = "peak RSS, one stream"
    if memory is None or not memory.ok:
        out.append(Target(name, "not measured", f"≤ {TARGET_RSS_MB:.0f} MB", None))
    else:
        tree = memory.tree_mb if memory.tree_mb is not None else memory.rss_mb
        out.append(Target(f"{name} ({memory.documents:,} documents in one file), full check",
                          f"{tree:.0f} MB, all processes", f"≤ {TARGET_RSS_MB:.0f} MB", tree <= TARGET_RSS_MB))
    return out


def streams_table(streams: StreamResult) -> list[str]:
    lines = [
        "## One stream against many files (issue 23)",
        "",
        f"{streams.copies} copies of a 7-object application (a Deployment with the objects the run-wide rules "
        f"pair with it, an autoscaler and a disruption budget among them; all in one namespace), "
        f"{streams.documents:,} documents, {streams.bytes / MB:.1f} MB, written by {streams.source}: as one "
        "stream, and as one file a copy. Each run with the result cache empty; the untimed warm-up is one run "
        "of the files.",
        "",
        "| command | runs | median s | min s | max s | CPU s | docs/s | × files | peak RSS MB (largest process) "
        "| peak RSS MB (all processes) | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = streams.rows[0].median if streams.rows[0].ok else None
    for row in [*streams.rows, *([streams.memory] if streams.memory is not None else [])]:
        if row is streams.memory:
            base = None  # other documents than the files row: no ratio
        if not row.ok:
            lines.append(f"| {row.label} | 0 | – | – | – | – | – | – | – | – | {row.unavailable or 'no run'} |")
            continue
        timing, codes = _timing_cells(row)
        tree = row.tree_mb
        lines.append(
            f"| {row.label} | {timing} | {fmt_rate(row.documents, row.median)} "
            f"| {fmt_ratio(row.median / base) if base else '–'} | {row.rss_mb:.0f} "
            f"| {'–' if tree is None else f'{tree:.0f}'} | {codes} |")
    lines += ["", "Commands:", ""]
    for row in [*streams.rows, *([streams.memory] if streams.memory is not None else [])]:
        lines.append(f"- {row.label}: `{row.command}`" + (f"; {row.note}" if row.note else ""))
    lines.append("")
    return lines


def _timing_cells(row: Row) -> tuple[str, str]:
    """A row's runs, median, min, max and CPU seconds as table cells, and its exit codes."""
    seconds = [run.seconds for run in row.runs]
    codes = ",".join(map(str, sorted({run.returncode for run in row.runs})))
    return (f"{len(seconds)} | {fmt_s(row.median)} | {fmt_s(min(seconds))} | {fmt_s(max(seconds))} "
            f"| {fmt_s(row.cpu)}"), codes


def projects_table(rows: list[Row], display: str) -> list[str]:
    lines = [
        "## Helm charts and Kustomize roots",
        "",
        f"`{display}`: real charts and overlays (its README and SOURCES.tsv), linted as projects. The "
        "charts render in this process (the helm binary when on PATH, else helm-python-sdk), the roots "
        "build with kustomize (or kubectl kustomize), a few at once. Runs interleaved after one untimed "
        "warm-up.",
        "",
        "| command | runs | median s | min s | max s | CPU s | peak RSS MB (all processes) | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if not row.ok:
            lines.append(f"| {row.label} | 0 | – | – | – | – | – | {row.unavailable or 'no run'} |")
            continue
        timing, codes = _timing_cells(row)
        tree = row.tree_mb
        lines.append(f"| {row.label} | {timing} | {'–' if tree is None else f'{tree:.0f}'} | {codes} |")
    lines += ["", "Commands:", ""]
    for row in rows:
        lines.append(f"- {row.label}: `{row.command}`" + (f"; {row.note}" if row.note else ""))
    lines.append("")
    return lines


def corpus_table(corpus: CorpusResult) -> list[str]:
    lines = [
        f"## {corpus.title}",
        "",
        f"`{corpus.display}`: {corpus.files} files, {corpus.bytes / MB:.1f} MB, "
        f"{corpus.documents if corpus.documents is not None else '?'} documents (kubelint's count).",
        "",
        "| command | runs | median s | min s | max s | CPU s | docs/s | × load | peak RSS MB (largest process) "
        "| peak RSS MB (all processes) | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    load = corpus.load.median if corpus.load and corpus.load.ok else None
    for row in corpus.rows:
        if not row.ok:
            lines.append(f"| {row.label} | 0 | – | – | – | – | – | – | – | – | {row.unavailable} |")
            continue
        seconds = [run.seconds for run in row.runs]
        in_process = row.label.startswith("PyYAML CSafeLoader load (in-process")
        tree = row.tree_mb
        codes = sorted({run.returncode for run in row.runs})
        lines.append(
            f"| {row.label} | {len(seconds)} | {fmt_s(row.median)} | {fmt_s(min(seconds))} | {fmt_s(max(seconds))} "
            f"| {'–' if in_process else fmt_s(row.cpu)} | {fmt_rate(row.documents, row.median)} | {fmt_ratio(row.median / load) if load else '–'} "
            f"| {'–' if in_process else f'{row.rss_mb:.0f}'} | {'–' if tree is None else f'{tree:.0f}'} "
            f"| {'–' if in_process else ','.join(map(str, codes))} |")
    lines.append("")
    lines.append("Commands (FILES… is the list of files kubelint reads in the folder):")
    lines.append("")
    for row in corpus.rows:
        if row.command:
            lines.append(f"- {row.label}: `{row.command}`" + (f"; {row.note}" if row.note else ""))
    for note in corpus.notes:
        lines.append(f"- {note}")
    lines.append("")
    return lines


def load_average() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " / ".join(handle.read().split()[:3])
    except OSError:
        return "unknown"


def render(args: argparse.Namespace, info: dict[str, str], corpora: list[CorpusResult],
           startup: list[Row] | None, skipped: list[str], elapsed: float,
           streams: StreamResult | None = None, projects: list[Row] | None = None) -> str:
    info = dict(info)
    info["load average (1/5/15 min)"] += f" at the start, {load_average()} at the end"
    lines = [
        "# kubelint benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' ' + ' '.join(args.argv) if args.argv else ''}` "
        f"on {info['date']}, in {elapsed / 60:.1f} minutes. Every figure is the wall time of a whole "
        "process (Python start-up included) from this script; see `benchmarks/README.md` for what "
        "each one means. The tests never time anything.",
        "",
        "## Machine and software",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in info.items() if key != "date"]
    lines += ["", "## Targets (issues #5 and #23)", "",
              "Ratios are to the `yaml.load_all(CSafeLoader)` process over the same files, timed in the same "
              "run; kubelint figures are its default `--jobs`.", "",
              "| target | measured (medians) | limit | result |", "|---|---|---|---|"]
    for target in targets(corpora, startup, streams):
        verdict = "n/a" if target.passed is None else ("**PASS**" if target.passed else "**MISS**")
        lines.append(f"| {target.name} | {target.measured} | {target.limit} | {verdict} |")
    lines.append("")
    if args.quick:
        lines += ["**Quick mode**: fewer runs and a smaller generated corpus; not for RESULTS.md.", ""]
    for message in skipped:
        lines += [f"> {message}", ""]
    for corpus in corpora:
        lines += corpus_table(corpus)
    if streams is not None:
        lines += streams_table(streams)
    if projects:
        shown = os.path.relpath(args.projects, REPO) if args.projects.is_absolute() else str(args.projects)
        lines += projects_table(projects, shown)
    if startup:
        lines += ["## One file (start-up)", "",
                  "A 30-line Deployment in a temporary file; each command once untimed, then "
                  f"{len(startup[0].runs)} runs, interleaved.", "",
                  "| command | runs | median s | min s | max s | CPU s | peak RSS MB | exit |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for row in startup:
            seconds = [run.seconds for run in row.runs]
            codes = ",".join(map(str, sorted({run.returncode for run in row.runs})))
            lines.append(f"| `{row.command}` | {len(seconds)} | {fmt_s(row.median)} | {fmt_s(min(seconds))} "
                         f"| {fmt_s(max(seconds))} | {fmt_s(row.cpu)} | {row.rss_mb:.0f} | {codes} |")
        for row in startup:
            if row.note:
                lines.append(f"\n- {row.label}: {row.note}")
        lines.append("")
    lines += [
        "## How these were measured", "",
        f"- Fast commands (load baseline, kubelint): {args.runs} run(s) each after one untimed warm-up, "
        "interleaved run by run. kubernetes-validate: "
        f"{args.peer_runs} run(s) on the real corpus, 1 on the generated one; checkov: "
        f"{args.checkov_runs} run on the real corpus only (unless --checkov-generated). "
        "Median, min and max are over those runs.",
        "- docs/s is kubelint's `summary.documents` for the corpus divided by the median wall time; "
        "× load divides the median by the load baseline's median (whole process, start-up included).",
        "- Peak RSS (largest process) is ru_maxrss from os.wait4: the largest single process in the "
        "child's tree. Peak RSS (all processes) sums the resident sets of the child and all its "
        f"descendants (kubelint's workers), sampled every {SAMPLE_INTERVAL * 1000:.0f} ms from /proc; "
        "pages shared between processes count once per process. Maximum over the runs.",
        "- CPU s is the median of user + system time of the command and its worker processes (from "
        "os.wait4), less sensitive than wall time to other work on the machine.",
        "- Commands run with the benchmark's environment minus PYTHONDONTWRITEBYTECODE, so that "
        "Python caches bytecode as it does after `pip install`; the untimed warm-up writes the caches.",
        "- kubelint runs with a private KUBELINT_CACHE_DIR: its schema cache warm (as after any first run), "
        "its result cache emptied before every run except the warm re-runs, which follow the cold run "
        "of the same command in the same cache (the second of two runs over unchanged files).",
        "- Exit codes: kubelint runs with --fail-on never (0); 1 from checkov means failed checks; "
        "kubernetes-validate ORs 1 (an invalid resource) and 2 (a resource it could not validate).",
        "",
    ]
    return "\n".join(lines)


def machine_info(tools: Tools) -> dict[str, str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo") as handle:
            kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
            memory = f"{kb * 1024 / 1e9:.1f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    os_name = platform.system()
    try:
        with open("/etc/os-release") as handle:
            os_name = next((line.split("=", 1)[1].strip().strip('"') for line in handle
                            if line.startswith("PRETTY_NAME=")), os_name)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = capture(["git", "-C", str(REPO), "log", "--oneline", "-1"]) or "unknown"
    dirty = capture(["git", "-C", str(REPO), "status", "--porcelain", "--", "kubelint", "rules", "schemas",
                     "pyproject.toml"])
    if dirty:
        commit += f" (plus uncommitted changes to {len(dirty.splitlines())} files under kubelint/, rules/, schemas/)"
    versions = capture([tools.python, "-c", (
        "import sys, yaml, importlib.metadata as m\n"
        "def v(name):\n"
        "    try:\n        return m.version(name)\n"
        "    except m.PackageNotFoundError:\n        return 'not installed'\n"
        "print(sys.version.split()[0], yaml.__version__, 'with libyaml' if yaml.__with_libyaml__ else 'NO libyaml',"
        " v('typer'), v('jsonschema-rs'), sep='|')")]).split("|")
    versions += ["?"] * (5 - len(versions))
    kv = capture([tools.kubernetes_validate, "--version"]) if tools.kubernetes_validate else "not installed"
    checkov = capture([tools.checkov, "--version"]) if tools.checkov else "not installed"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{cpu}, {usable} cores usable ({os.cpu_count()} online)",
        "memory": memory,
        "OS": f"{os_name}, Linux {platform.release()}",
        "Python (kubelint's)": f"{versions[0]} ({tools.python})",
        "kubelint": f"{capture([tools.kubelint, '--version'])}, commit {commit}; "
                    f"`--jobs` {'supported' if tools.has_jobs else 'not supported'}",
        "PyYAML": f"{versions[1]} {versions[2]}",
        "typer / jsonschema-rs": f"{versions[3]} / {versions[4]}",
        "kubernetes-validate": kv.splitlines()[-1] if kv else "unknown",
        "checkov": checkov.splitlines()[-1] if checkov else "unknown",
        "kubeconform": ((capture([tools.kubeconform, "-v"]) or "unknown").splitlines()[-1]
                        if tools.kubeconform else "not installed"),
        "load average (1/5/15 min)": load_average(),
    }


# ------------------------------------------------------------------------------------------ main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="runs of each fast command (default 5; --quick 1)")
    parser.add_argument("--peer-runs", type=int, default=None,
                        help="runs of kubernetes-validate on the real corpus (default 2; --quick 1)")
    parser.add_argument("--checkov-runs", type=int, default=1, help="runs of checkov (default 1)")
    parser.add_argument("--startup-runs", type=int, default=None, help="runs of the one-file commands (default 10)")
    parser.add_argument("--quick", action="store_true",
                        help="for iterating: 1 run each, a 2,000-document generated corpus, no checkov")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="real-world corpus (../shared/corpus)")
    parser.add_argument("--documents", type=int, default=None, help="generated documents (default 20000)")
    parser.add_argument("--generated-files", type=int, default=None, help="generated files (default documents/10)")
    parser.add_argument("--skip-corpus", action="store_true", help="skip the real-world corpus")
    parser.add_argument("--skip-generated", action="store_true", help="skip the generated corpus")
    parser.add_argument("--skip-startup", action="store_true", help="skip the one-file start-up runs")
    parser.add_argument("--skip-checkov", action="store_true", help="do not run checkov at all")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--checkov-generated", action="store_true",
                       help="also run checkov on the generated corpus (many minutes)")
    group.add_argument("--skip-checkov-generated", action="store_true",
                       help="do not run checkov on the generated corpus (the default)")
    parser.add_argument("--skip-kubernetes-validate", action="store_true", help="do not run kubernetes-validate")
    parser.add_argument("--skip-kubernetes-validate-generated", action="store_true",
                        help="do not run kubernetes-validate on the generated corpus (saves 7-10 minutes)")
    parser.add_argument("--peer-timeout", type=float, default=1800, help="seconds before a peer run is killed")
    parser.add_argument("--stream-copies", type=int, default=None,
                        help="copies of the 7-object app for the one-stream rows (default 800; --quick 200)")
    parser.add_argument("--stream-runs", type=int, default=None, help="runs of the one-stream rows (default 3)")
    parser.add_argument("--skip-streams", action="store_true", help="skip the one-stream rows")
    parser.add_argument("--projects", type=Path, default=DEFAULT_PROJECTS,
                        help="Helm charts and Kustomize roots (../shared/projects-corpus)")
    parser.add_argument("--project-runs", type=int, default=None, help="runs of the project rows (default 3)")
    parser.add_argument("--skip-projects", action="store_true", help="skip the charts and Kustomize roots")
    parser.add_argument("--kubeconform", help="kubeconform executable (default: on PATH)")
    parser.add_argument("--kubeconform-schema-location", action="append", metavar="LOCATION",
                        help="kubeconform -schema-location (a folder or URL template; repeatable); "
                             "without it kubeconform is not run, its default location being on the network")
    parser.add_argument("--skip-kubeconform", action="store_true", help="do not run kubeconform")
    parser.add_argument("--kubelint", help="kubelint executable (default: next to this Python)")
    parser.add_argument("--kubernetes-validate", help="kubernetes-validate executable")
    parser.add_argument("--checkov", help=f"checkov executable (default: {PEERS_VENV.relative_to(REPO)}/bin/checkov)")
    parser.add_argument("--kubernetes-version", "-k", help="version for kubernetes-validate (default: kubelint's)")
    parser.add_argument("--output", "-o", type=Path, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    args.argv = argv
    args.runs = args.runs or (1 if args.quick else 5)
    args.peer_runs = args.peer_runs or (1 if args.quick else 2)
    args.startup_runs = args.startup_runs or (3 if args.quick else 10)
    args.stream_copies = args.stream_copies or (200 if args.quick else 800)
    args.stream_runs = args.stream_runs or (1 if args.quick else 3)
    args.project_runs = args.project_runs or (1 if args.quick else 3)
    args.documents = args.documents or (2_000 if args.quick else 20_000)
    args.generated_files = args.generated_files or max(1, args.documents // 10)
    if args.quick and not args.checkov:
        args.skip_checkov = True
    for name in ("runs", "peer_runs", "checkov_runs", "startup_runs", "documents", "generated_files",
                 "stream_copies", "stream_runs", "project_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def find_tools(args: argparse.Namespace) -> Tools:
    here = Path(os.path.abspath(sys.executable)).parent
    kubelint = find_tool(args.kubelint, "kubelint", here)
    if kubelint is None:
        raise SystemExit("kubelint not found next to this Python; install it (pip install -e .) or pass --kubelint")
    python = script_python(kubelint)
    check_help = capture([kubelint, "check", "--help"])
    has_jobs = "--jobs" in check_help
    has_no_cache = "--no-cache" in check_help
    kv = find_tool(args.kubernetes_validate, "kubernetes-validate", Path(kubelint).parent, here)
    checkov = None if args.skip_checkov else find_tool(args.checkov, "checkov", PEERS_VENV / "bin")
    flags: list[str] = []
    if checkov:
        help_text = capture([checkov, "--help"])
        flags = [flag for flag in ("--skip-download", "--no-guide") if flag in help_text]
    kubeconform = None if args.skip_kubeconform else find_tool(args.kubeconform, "kubeconform")
    return Tools(kubelint, python, kv, checkov, has_jobs, flags, has_no_cache, kubeconform)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = time.perf_counter()
    tools = find_tools(args)
    if "with libyaml" not in capture([tools.python, "-c",
                                      "import yaml; print('with libyaml' if yaml.__with_libyaml__ else '')"]):
        raise SystemExit(f"{tools.python} has no PyYAML with libyaml: the load baseline needs yaml.CSafeLoader")
    info = machine_info(tools)
    cache = CacheDir()
    try:
        return measure(args, tools, info, cache, started)
    finally:
        cache.remove()


def measure(args: argparse.Namespace, tools: Tools, info: dict[str, str], cache: CacheDir,
            started: float) -> int:
    bench = Bench(args, tools, cache)
    corpora: list[CorpusResult] = []
    skipped: list[str] = []
    if args.skip_corpus:
        skipped.append("The real-world corpus was skipped (--skip-corpus).")
    elif not args.corpus.is_dir():
        message = f"The real-world corpus is absent ({args.corpus}): skipped. It lives at ../shared/corpus."
        skipped.append(message)
        log(message)
    else:
        display = os.path.relpath(args.corpus, REPO) if args.corpus.is_absolute() else str(args.corpus)
        corpora.append(bench.corpus("Real-world corpus", args.corpus.resolve(), display))
    if not args.skip_generated:
        root = Path(tempfile.mkdtemp(prefix="kubelint-bench-generated-"))
        try:
            log(f"[generated] writing {args.documents} documents in {args.generated_files} files under {root}")
            made = generate_corpus(root, args.documents, args.generated_files)
            title = f"Generated corpus ({made.documents:,} documents)"
            result = bench.corpus(title, root, "$TMPDIR/generated")
            result.notes.insert(0, f"Written by `benchmarks/generate.py` (seed 5, deterministic) into a temporary "
                                   f"folder, deleted afterwards; {made.mistakes} documents carry a deliberate mistake.")
            corpora.append(result)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    streams = None if args.skip_streams else bench.streams()
    projects = None
    if args.skip_projects:
        skipped.append("The charts and Kustomize roots were skipped (--skip-projects).")
    elif not args.projects.is_dir():
        skipped.append(f"The projects corpus is absent ({args.projects}): skipped. It lives at "
                       "../shared/projects-corpus.")
    else:
        projects = bench.projects(args.projects.resolve())
    startup = None if args.skip_startup else bench.startup()
    report = render(args, info, corpora, startup, skipped, time.perf_counter() - started, streams, projects)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
        log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

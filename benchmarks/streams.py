"""One rendered stream against the same objects as many files (issue 23).

`helm template | kubelint check -` and `kustomize build | kubelint check -` hand kubelint one
file of thousands of documents. Every check that looks at the other documents of the file, and
every run-wide rule, must then cost O(n) or O(n log n) in objects, never compare all pairs: N
copies of an application in one stream should take at most twice the time of the same copies
as N files (the files pay a process pool and N reads; the stream must not pay n²).

The application: a Deployment, its Service, HorizontalPodAutoscaler, PodDisruptionBudget,
ConfigMap, Secret and NetworkPolicy, which the run-wide and the per-file reliability rules pair
with each other. Copies differ by name, all in one namespace (`--layout names`, the worst case
for tables by namespace) or each in a namespace of its own (`--layout namespaces`).

    python benchmarks/streams.py                  # N = 800 and 3000, both layouts
    python benchmarks/streams.py -n 800 --layout names --runs 3
    python benchmarks/streams.py -n 3000 --profile stream.prof   # cProfile of the stream run

benchmarks/run.py imports `write_stream_inputs` for its one-stream row.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
  labels: {{app.kubernetes.io/name: {name}}}
spec:
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: shop}}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: app
          image: ghcr.io/acme/app:1.4.2
          ports: [{{name: http, containerPort: 8080}}]
          envFrom: [{{configMapRef: {{name: {name}-config}}}}]
          env:
            - name: TOKEN
              valueFrom: {{secretKeyRef: {{name: {name}-secret, key: token}}}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          livenessProbe: {{httpGet: {{path: /healthz, port: http}}, failureThreshold: 5}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsUser: 10001
            capabilities: {{drop: [ALL]}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector: {{app.kubernetes.io/name: {name}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {namespace}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {namespace}
spec:
  minAvailable: 1
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {namespace}
data: {{LOG_LEVEL: info}}
---
apiVersion: v1
kind: Secret
metadata:
  name: {name}-secret
  namespace: {namespace}
type: Opaque
stringData: {{token: not-a-real-token}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {namespace}
spec:
  podSelector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  policyTypes: [Ingress]
  ingress:
    - from: [{{podSelector: {{matchLabels: {{app.kubernetes.io/part-of: shop}}}}}}]
      ports: [{{port: 8080}}]
"""
APP_OBJECTS = APP.count("\napiVersion:") + 1
LAYOUTS = ("names", "namespaces")


def app(number: int, layout: str = "names") -> str:
    name = f"app-{number:04d}"
    namespace = "shop" if layout == "names" else f"shop-{number:04d}"
    return APP.format(name=name, namespace=namespace)


def write_stream_inputs(root: Path, copies: int, layout: str = "names") -> tuple[Path, Path, int]:
    """`copies` copies of the app as one stream (root/stream.yaml) and as one file a copy
    (root/files/app-NNNN.yaml), the same bytes either way. Returns (stream, folder, documents)."""
    folder = root / "files"
    folder.mkdir(parents=True, exist_ok=True)
    texts = [app(n, layout) for n in range(copies)]
    for number, text in enumerate(texts):
        (folder / f"app-{number:04d}.yaml").write_text(text, encoding="utf-8")
    stream = root / "stream.yaml"
    stream.write_text("---\n".join(texts), encoding="utf-8")
    return stream, folder, copies * APP_OBJECTS


def _time(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _no_cache() -> list[str]:
    """`--no-cache` where kubelint has a result cache: a warm cache would time nothing."""
    usage = subprocess.run([sys.executable, "-m", "kubelint", "check", "--help"], capture_output=True, text=True,
                           check=False).stdout
    return ["--no-cache"] if "--no-cache" in usage else []


def _kubelint(path: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "kubelint", "check", str(path), "--format", "json", "--fail-on", "never",
            "-o", os.devnull, *extra]


def _profile(stream: Path, out: str) -> None:
    """A cProfile of linting the stream in this process, with one process (the CLI leaves by
    os._exit, before cProfile could write its file)."""
    import cProfile

    from kubelint import lint_paths
    from kubelint.options import Options

    profiler = cProfile.Profile()
    profiler.runcall(lint_paths, [str(stream)], Options(jobs=1))
    profiler.dump_stats(out)


def measure(copies: int, layout: str, runs: int, extra: list[str], profile: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kubelint-streams-") as tmp:
        stream, folder, documents = write_stream_inputs(Path(tmp), copies, layout)
        files = _time(_kubelint(folder, extra), runs)
        one = _time(_kubelint(stream, extra), runs)
        if profile:
            _profile(stream, profile)
    return {"copies": copies, "documents": documents, "files": files, "stream": one, "ratio": one / files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--copies", type=int, action="append", help="copies (default: 800 and 3000)")
    parser.add_argument("--layout", choices=(*LAYOUTS, "both"), default="both")
    parser.add_argument("--runs", type=int, default=1, help="runs of each command (the median is kept)")
    parser.add_argument("--profile", help="write a cProfile of the (last) one-stream run to this file")
    parser.add_argument("--kubelint-args", default="", help="more arguments for kubelint check, e.g. '-j 1'")
    args = parser.parse_args(argv)
    extra = _no_cache() + args.kubelint_args.split()
    layouts = LAYOUTS if args.layout == "both" else (args.layout,)
    print(f"{'layout':<11} {'copies':>6} {'documents':>9} {'N files':>9} {'1 stream':>9} {'ratio':>6}")
    worst = 0.0
    for copies in args.copies or [800, 3000]:
        for layout in layouts:
            row = measure(copies, layout, args.runs, extra, args.profile)
            worst = max(worst, row["ratio"])
            print(f"{layout:<11} {copies:>6} {row['documents']:>9} {row['files']:>8.2f}s {row['stream']:>8.2f}s "
                  f"{row['ratio']:>5.2f}x", flush=True)
    print(f"target: one stream at most 2x the files; worst {worst:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

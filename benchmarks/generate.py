"""Write a deterministic corpus of generated Kubernetes manifests for the benchmark.

    python benchmarks/generate.py OUT_DIR [--documents 20000] [--files 2000] [--seed 5]

The mix is what an application repository holds: Deployments, Services, ConfigMaps,
StatefulSets, CronJobs, Ingresses, ServiceAccounts and RBAC objects, about 2 KB a document on
average, several documents a file, files spread over team/app folders. About 4% of the documents
carry a deliberate mistake of the kind people make (a string where a number belongs, a misspelt
or misplaced field, a removed API version, a selector that does not match, an image without a
tag). Every file is valid YAML, so that every tool measured reads every file. The same seed
always gives byte-identical files. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WORDS = (
    "alpha", "atlas", "billing", "cart", "catalog", "checkout", "comet", "delta", "echo", "email",
    "falcon", "frontend", "gateway", "harbor", "inventory", "ledger", "lotus", "mercury", "nova",
    "orders", "payments", "pricing", "quasar", "queue", "ranking", "search", "shipping", "signal",
    "tango", "tracker", "users", "vault", "vector", "worker", "zephyr",
)
TEAMS = ("core", "data", "edge", "growth", "infra", "mobile", "payments", "platform", "risk", "web")
IMAGES = (
    "nginx:1.27.2", "redis:7.4.1", "postgres:16.4", "python:3.12-slim", "node:22-alpine",
    "ghcr.io/acme/api:v2.14.3", "ghcr.io/acme/worker:v2.14.3", "quay.io/prometheus/node-exporter:v1.8.2",
    "registry.k8s.io/pause:3.10", "docker.io/library/busybox:1.37",
    "gcr.io/distroless/static-debian12:nonroot", "ghcr.io/acme/frontend:2024.11.3",
)
ENV_NAMES = (
    "LOG_LEVEL", "LOG_FORMAT", "HTTP_PORT", "GRPC_PORT", "DATABASE_HOST", "DATABASE_PORT",
    "DATABASE_NAME", "REDIS_URL", "FEATURE_FLAGS", "OTEL_EXPORTER_OTLP_ENDPOINT", "CACHE_TTL",
    "MAX_CONNECTIONS", "REGION", "TENANT", "SENTRY_ENVIRONMENT", "WORKER_CONCURRENCY",
)
CPU = ("50m", "100m", "250m", "500m", "1")
MEMORY = ("64Mi", "128Mi", "256Mi", "512Mi", "1Gi")

MISTAKE_RATE = 0.04


@dataclass
class Generated:
    """What generate() wrote."""

    root: Path
    files: int
    documents: int
    bytes: int
    mistakes: int


class _Doc:
    """One manifest being written as YAML text, with its own random stream."""

    def __init__(self, rng: random.Random, team: str, app: str) -> None:
        self.rng = rng
        self.team = team
        self.app = app
        self.lines: list[str] = []
        self.mistake: str | None = None
        self.version = f"v{rng.randint(1, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"

    def add(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def wants_mistake(self, choices: tuple[str, ...]) -> str | None:
        if self.rng.random() < MISTAKE_RATE:
            self.mistake = self.rng.choice(choices)
        return self.mistake

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    # ---------------------------------------------------------------------------- shared parts

    def metadata(self, name: str, *, namespaced: bool = True, component: str = "server") -> None:
        self.add(0, "metadata:")
        self.add(2, f"name: {name}")
        if namespaced:
            self.add(2, f"namespace: {self.team}")
        self.add(2, "labels:")
        self.labels(4, component)
        self.add(2, "annotations:")
        self.add(4, f"acme.io/owner: team-{self.team}@acme.example")
        self.add(4, f'acme.io/runbook: "https://runbooks.acme.example/{self.team}/{self.app}"')
        self.add(4, f'acme.io/git-commit: "{self.rng.getrandbits(160):040x}"')

    def labels(self, indent: int, component: str) -> None:
        self.add(indent, f"app.kubernetes.io/name: {self.app}")
        self.add(indent, f"app.kubernetes.io/component: {component}")
        self.add(indent, f"app.kubernetes.io/part-of: {self.team}")
        self.add(indent, f"app.kubernetes.io/version: {self.version}")
        self.add(indent, "app.kubernetes.io/managed-by: kustomize")

    def image(self) -> str:
        return self.rng.choice(IMAGES)

    def container(self, indent: int, name: str, image: str, *, port: bool = True,
                  port_text: str | None = None, pull_policy: str = "IfNotPresent",
                  probes: bool = True) -> None:
        rng = self.rng
        p = " " * indent
        self.lines.append(f"{p}- name: {name}")
        self.add(indent + 2, f"image: {image}")
        self.add(indent + 2, f"imagePullPolicy: {pull_policy}")
        if port:
            self.add(indent + 2, "ports:")
            self.add(indent + 4, "- name: http")
            self.add(indent + 6, f"containerPort: {port_text or rng.choice(('8080', '8000', '9090', '3000'))}")
            self.add(indent + 6, "protocol: TCP")
        self.add(indent + 2, "env:")
        for env in rng.sample(ENV_NAMES, rng.randint(3, 7)):
            self.add(indent + 4, f"- name: {env}")
            if rng.random() < 0.2:
                self.add(indent + 6, "valueFrom:")
                self.add(indent + 8, "secretKeyRef:")
                self.add(indent + 10, f"name: {self.app}-secrets")
                self.add(indent + 10, f"key: {env.lower().replace('_', '-')}")
            else:
                self.add(indent + 6, f'value: "{rng.choice(WORDS)}-{rng.randint(1, 999)}"')
        self.add(indent + 2, "resources:")
        self.add(indent + 4, "requests:")
        self.add(indent + 6, f"cpu: {rng.choice(CPU)}")
        self.add(indent + 6, f"memory: {rng.choice(MEMORY)}")
        self.add(indent + 4, "limits:")
        self.add(indent + 6, f"memory: {rng.choice(MEMORY)}")
        if probes and port:
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                self.add(indent + 2, f"{probe}:")
                self.add(indent + 4, "httpGet:")
                self.add(indent + 6, f"path: {path}")
                self.add(indent + 6, "port: http")
                self.add(indent + 4, f"periodSeconds: {rng.choice((5, 10, 15))}")
        self.add(indent + 2, "securityContext:")
        self.add(indent + 4, "allowPrivilegeEscalation: false")
        self.add(indent + 4, "readOnlyRootFilesystem: true")
        self.add(indent + 4, "capabilities:")
        self.add(indent + 6, 'drop: ["ALL"]')
        self.add(indent + 2, "volumeMounts:")
        self.add(indent + 4, "- name: config")
        self.add(indent + 6, "mountPath: /etc/app")
        self.add(indent + 6, "readOnly: true")

    def pod_spec(self, indent: int, *, mistake: str | None, restart: str | None = None) -> None:
        rng = self.rng
        self.add(indent, "spec:")
        if restart:
            self.add(indent + 2, f"restartPolicy: {restart}")
        self.add(indent + 2, f"serviceAccountName: {self.app}")
        self.add(indent + 2, "securityContext:")
        self.add(indent + 4, "runAsNonRoot: true")
        self.add(indent + 4, f"runAsUser: {rng.choice((1000, 10001, 65532))}")
        self.add(indent + 4, "seccompProfile:")
        self.add(indent + 6, "type: RuntimeDefault")
        self.add(indent + 2, "containers:" if mistake != "typo-field" else "contianers:")
        image = self.image()
        if mistake == "latest-tag":
            image = image.rsplit(":", 1)[0] + ":latest"
        elif mistake == "no-tag":
            image = image.rsplit(":", 1)[0]
        self.container(
            indent + 4, self.app, image,
            port_text='"8080"' if mistake == "port-string" else None,
            pull_policy="Sometimes" if mistake == "bad-enum" else "IfNotPresent",
            probes=restart is None,
        )
        if restart is None and rng.random() < 0.3:
            self.container(indent + 4, "metrics", "quay.io/prometheus/node-exporter:v1.8.2", probes=False)
        self.add(indent + 2, "volumes:")
        self.add(indent + 4, "- name: config")
        self.add(indent + 6, "configMap:")
        self.add(indent + 8, f"name: {self.app}-config")


# ------------------------------------------------------------------------------------------ kinds


def deployment(d: _Doc) -> None:
    m = d.wants_mistake(("replicas-string", "latest-tag", "no-tag", "typo-field", "misplaced-labels",
                         "selector-mismatch", "port-string", "bad-enum", "removed-api"))
    d.add(0, "apiVersion: " + ("extensions/v1beta1" if m == "removed-api" else "apps/v1"))
    d.add(0, "kind: Deployment")
    d.metadata(d.app)
    if m == "misplaced-labels":
        d.add(0, "labels:")
        d.add(2, f"tier: {d.team}")
    d.add(0, "spec:")
    d.add(2, "replicas: " + ('"3"' if m == "replicas-string" else str(d.rng.choice((1, 2, 3, 5)))))
    d.add(2, "revisionHistoryLimit: 5")
    d.add(2, "selector:")
    d.add(4, "matchLabels:")
    d.add(6, f"app.kubernetes.io/name: {d.app}" + ("-v2" if m == "selector-mismatch" else ""))
    d.add(2, "strategy:")
    d.add(4, "type: RollingUpdate")
    d.add(4, "rollingUpdate:")
    d.add(6, "maxSurge: 25%")
    d.add(6, "maxUnavailable: 0")
    d.add(2, "template:")
    d.add(4, "metadata:")
    d.add(6, "labels:")
    d.labels(8, "server")
    d.pod_spec(4, mistake=m)


def statefulset(d: _Doc) -> None:
    m = d.wants_mistake(("replicas-string", "no-tag", "typo-field", "bad-enum"))
    d.add(0, "apiVersion: apps/v1")
    d.add(0, "kind: StatefulSet")
    d.metadata(d.app + "-db", component="database")
    d.add(0, "spec:")
    d.add(2, f"serviceName: {d.app}-db")
    d.add(2, "replicas: " + ('"3"' if m == "replicas-string" else "3"))
    d.add(2, "podManagementPolicy: Parallel")
    d.add(2, "selector:")
    d.add(4, "matchLabels:")
    d.add(6, f"app.kubernetes.io/name: {d.app}")
    d.add(2, "template:")
    d.add(4, "metadata:")
    d.add(6, "labels:")
    d.labels(8, "database")
    d.pod_spec(4, mistake=m)
    d.add(2, "volumeClaimTemplates:")
    d.add(4, "- metadata:")
    d.add(8, "name: data")
    d.add(6, "spec:")
    d.add(8, 'accessModes: ["ReadWriteOnce"]')
    d.add(8, "storageClassName: standard-rwo")
    d.add(8, "resources:")
    d.add(10, "requests:")
    d.add(12, f"storage: {d.rng.choice(('10Gi', '20Gi', '100Gi'))}")


def cronjob(d: _Doc) -> None:
    m = d.wants_mistake(("removed-api", "latest-tag", "typo-field", "schedule-int"))
    d.add(0, "apiVersion: " + ("batch/v1beta1" if m == "removed-api" else "batch/v1"))
    d.add(0, "kind: CronJob")
    d.metadata(d.app + "-cleanup", component="job")
    d.add(0, "spec:")
    d.add(2, "schedule: " + ("5" if m == "schedule-int" else f'"{d.rng.randint(0, 59)} */{d.rng.choice((1, 2, 6))} * * *"'))
    d.add(2, "concurrencyPolicy: Forbid")
    d.add(2, "successfulJobsHistoryLimit: 3")
    d.add(2, "failedJobsHistoryLimit: 1")
    d.add(2, "jobTemplate:")
    d.add(4, "spec:")
    d.add(6, "backoffLimit: 2")
    d.add(6, "ttlSecondsAfterFinished: 3600")
    d.add(6, "template:")
    d.pod_spec(8, mistake=m, restart="OnFailure")


def service(d: _Doc) -> None:
    m = d.wants_mistake(("port-string", "typo-field", "bad-enum"))
    d.add(0, "apiVersion: v1")
    d.add(0, "kind: Service")
    d.metadata(d.app)
    d.add(0, "spec:")
    d.add(2, "type: " + ("LoadBalanacer" if m == "bad-enum" else d.rng.choice(("ClusterIP", "ClusterIP", "NodePort"))))
    d.add(2, "selector:")
    d.add(4, f"app.kubernetes.io/name: {d.app}")
    d.add(4, "app.kubernetes.io/component: server")
    d.add(2, "ports:")
    for name, port in (("http", 80), ("grpc", 9000), ("metrics", 9090))[: d.rng.randint(1, 3)]:
        d.add(4, f"- name: {name}")
        d.add(6, "port: " + ('"80"' if m == "port-string" else str(port)))
        d.add(6, ("targetport" if m == "typo-field" else "targetPort") + f": {name}")
        d.add(6, "protocol: TCP")


def configmap(d: _Doc) -> None:
    m = d.wants_mistake(("data-int", "misplaced-labels"))
    rng = d.rng
    d.add(0, "apiVersion: v1")
    d.add(0, "kind: ConfigMap")
    d.metadata(d.app + "-config", component="config")
    if m == "misplaced-labels":
        d.add(0, "labels:")
        d.add(2, f"tier: {d.team}")
    d.add(0, "data:")
    d.add(2, "MAX_CONNECTIONS: " + ("100" if m == "data-int" else '"100"'))
    d.add(2, f"LOG_LEVEL: {rng.choice(('info', 'debug', 'warn'))}")
    d.add(2, "app.yaml: |")
    d.add(4, "server:")
    d.add(6, f"port: {rng.choice((8080, 8000))}")
    d.add(6, "shutdownTimeout: 30s")
    d.add(4, "upstreams:")
    for word in rng.sample(WORDS, rng.randint(4, 12)):
        d.add(6, f"- name: {word}")
        d.add(8, f"url: http://{word}.{rng.choice(TEAMS)}.svc.cluster.local:{rng.choice((80, 8080, 9000))}")
        d.add(8, f"timeout: {rng.choice((1, 2, 5))}s")
        d.add(8, f"retries: {rng.randint(0, 3)}")
    d.add(2, "logging.properties: |")
    for key in rng.sample(ENV_NAMES, rng.randint(3, 8)):
        d.add(4, f"{key.lower().replace('_', '.')}={rng.choice(WORDS)}")


def ingress(d: _Doc) -> None:
    m = d.wants_mistake(("removed-api", "old-backend", "bad-enum"))
    rng = d.rng
    d.add(0, "apiVersion: " + ("extensions/v1beta1" if m == "removed-api" else "networking.k8s.io/v1"))
    d.add(0, "kind: Ingress")
    d.metadata(d.app)
    d.add(2, "  nginx.ingress.kubernetes.io/proxy-body-size: 8m")
    d.add(2, "  cert-manager.io/cluster-issuer: letsencrypt")
    d.add(0, "spec:")
    d.add(2, "ingressClassName: nginx")
    d.add(2, "tls:")
    d.add(4, f"- hosts: [{d.app}.acme.example]")
    d.add(6, f"secretName: {d.app}-tls")
    d.add(2, "rules:")
    for host in range(rng.randint(1, 3)):
        d.add(4, f"- host: {d.app}{'' if host == 0 else host}.acme.example")
        d.add(6, "http:")
        d.add(8, "paths:")
        for path in ("/", "/api", "/static")[: rng.randint(1, 3)]:
            d.add(10, f"- path: {path}")
            d.add(12, "pathType: " + ("Regex" if m == "bad-enum" else "Prefix"))
            d.add(12, "backend:")
            if m in ("removed-api", "old-backend"):
                d.add(14, f"serviceName: {d.app}")
                d.add(14, "servicePort: 80")
            else:
                d.add(14, "service:")
                d.add(16, f"name: {d.app}")
                d.add(16, "port:")
                d.add(18, "name: http")


def service_account(d: _Doc) -> None:
    d.add(0, "apiVersion: v1")
    d.add(0, "kind: ServiceAccount")
    d.metadata(d.app, component="identity")
    d.add(0, "automountServiceAccountToken: false")


def role(d: _Doc) -> None:
    m = d.wants_mistake(("removed-api", "verbs-string"))
    rng = d.rng
    cluster = rng.random() < 0.3
    d.add(0, "apiVersion: rbac.authorization.k8s.io/" + ("v1beta1" if m == "removed-api" else "v1"))
    d.add(0, "kind: " + ("ClusterRole" if cluster else "Role"))
    d.metadata(d.app + "-reader", namespaced=not cluster, component="rbac")
    d.add(0, "rules:")
    groups = (('""', "configmaps", "secrets", "services", "pods", "endpoints"),
              ('"apps"', "deployments", "statefulsets", "replicasets"),
              ('"batch"', "jobs", "cronjobs"),
              ('"networking.k8s.io"', "ingresses", "networkpolicies"),
              ('"coordination.k8s.io"', "leases"))
    for group, *resources in rng.sample(groups, rng.randint(2, 5)):
        d.add(2, f"- apiGroups: [{group}]")
        d.add(4, "resources: [" + ", ".join(resources) + "]")
        d.add(4, "verbs: " + ('"get, list, watch"' if m == "verbs-string" else '["get", "list", "watch"]'))


def role_binding(d: _Doc) -> None:
    m = d.wants_mistake(("removed-api", "typo-field"))
    d.add(0, "apiVersion: rbac.authorization.k8s.io/" + ("v1beta1" if m == "removed-api" else "v1"))
    d.add(0, "kind: RoleBinding")
    d.metadata(d.app + "-reader", component="rbac")
    d.add(0, "roleRef:")
    d.add(2, "apiGroup: rbac.authorization.k8s.io")
    d.add(2, "kind: Role")
    d.add(2, f"name: {d.app}-reader")
    d.add(0, "subjects:" if m != "typo-field" else "subject:")
    d.add(2, "- kind: ServiceAccount")
    d.add(4, f"name: {d.app}")
    d.add(4, f"namespace: {d.team}")


KINDS: tuple[tuple[Callable[[_Doc], None], int], ...] = (
    (deployment, 26), (service, 18), (configmap, 14), (statefulset, 8), (cronjob, 8),
    (ingress, 8), (service_account, 6), (role, 6), (role_binding, 6),
)


def generate(root: Path, documents: int = 20_000, files: int = 2_000, seed: int = 5) -> Generated:
    """Write `documents` manifests into `files` files under `root` (created if missing)."""
    if documents < 1 or files < 1:
        raise ValueError("documents and files must be at least 1")
    files = min(files, documents)
    rng = random.Random(seed)
    makers = [maker for maker, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    total_bytes = 0
    mistakes = 0
    per_file, extra = divmod(documents, files)
    for index in range(files):
        team = TEAMS[index % len(TEAMS)]
        app = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        folder = root / team / app
        folder.mkdir(parents=True, exist_ok=True)
        texts: list[str] = []
        seen: dict[Callable[[_Doc], None], int] = {}
        for _ in range(per_file + (1 if index < extra else 0)):
            maker = rng.choices(makers, weights)[0]
            seen[maker] = seen.get(maker, 0) + 1  # a second Deployment in a file gets its own name
            name = app if seen[maker] == 1 else f"{app}-{seen[maker]}"
            doc = _Doc(random.Random(rng.getrandbits(64)), team, name)
            maker(doc)
            mistakes += doc.mistake is not None
            texts.append(doc.text())
        body = "# Generated by kubelint's benchmarks/generate.py; not real manifests.\n---\n" + "---\n".join(texts)
        path = folder / f"{index:05d}-{app}.yaml"
        path.write_text(body, encoding="utf-8")
        total_bytes += len(body.encode("utf-8"))
    return Generated(root=root, files=files, documents=documents, bytes=total_bytes, mistakes=mistakes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write into (created; should be empty)")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        parser.error(f"{args.out_dir} is not empty")
    result = generate(args.out_dir, args.documents, args.files, args.seed)
    print(f"wrote {result.documents} documents ({result.mistakes} with a deliberate mistake) in "
          f"{result.files} files, {result.bytes / 1e6:.1f} MB, under {os.fspath(result.root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

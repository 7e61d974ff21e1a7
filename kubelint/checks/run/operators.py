"""Namespaces run by an operator: where a controller may create objects the input does not show.

There a Service, PodDisruptionBudget or NetworkPolicy that selects no pod of the input, or a
reference to a Secret the input lacks, may well be satisfied by what the operator creates, so
the cross-object checks stay quiet. That needs evidence: a custom resource whose
CustomResourceDefinition is in the input and describes no pods (no field named as a pod
spec's, see facts.POD_FIELDS) runs none, and does not make its namespace operator-run; one
whose CRD describes pods, or whose CRD is not in the input, does. `operator_namespaces` says
which namespaces and which object made each one so (`-v` lists them; `explain` of the rules
says when it happens).
"""

from __future__ import annotations

from kubelint.checks.run.index import RunIndex
from kubelint.kube.groups import is_builtin_group

# API groups of custom resources known not to create pods, Services or Secrets of their own
# (or only the ones their spec names, see facts.SECRET_MAKERS): any other custom resource in
# a namespace may be an operator's input, whose output the linted files cannot show.
_INERT_GROUPS = frozenset({
    "cert-manager.io", "acme.cert-manager.io", "networking.istio.io", "security.istio.io",
    "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io", "route.openshift.io",
    "bitnami.com", "external-secrets.io", "traefik.io", "traefik.containo.us",
    "snapshot.storage.k8s.io", "policy.linkerd.io", "kyverno.io", "metallb.io",
    "templates.gatekeeper.sh", "constraints.gatekeeper.sh", "config.gatekeeper.sh",
})
_INERT_KINDS = frozenset({("monitoring.coreos.com", k) for k in (
    "ServiceMonitor", "PodMonitor", "Probe", "PrometheusRule", "AlertmanagerConfig", "ScrapeConfig")})


def operated(index: RunIndex, runs_pods: bool = False) -> set[str | None]:
    """The operator-run namespaces of the run (see `operator_namespaces`)."""
    return index.memoized(f"operator-namespaces-{runs_pods}", lambda: set(operator_namespaces(index, runs_pods)))


def operator_namespaces(index: RunIndex, runs_pods: bool = False) -> dict[str | None, tuple[str, str, str]]:
    """Each operator-run namespace with the object that made it so: (kind, name, file), the
    first in the run's order.

    With `runs_pods`, only where the operator may run pods: there the selectors of Services,
    PodDisruptionBudgets and NetworkPolicies are not judged. A custom resource whose CRD is in
    the input and describes no pods does not count (it may still make Secrets or Services, so
    it counts for the references to those)."""
    return index.memoized(f"operator-namespaces-why-{runs_pods}", lambda: _operator_namespaces(index, runs_pods))


def _operator_namespaces(index: RunIndex, runs_pods: bool) -> dict[str | None, tuple[str, str, str]]:
    """Namespaces where a controller may create objects the input does not show: those holding
    a custom resource that is not known to be inert (a Prometheus, a CephCluster; with
    `runs_pods`, only one whose CRD, when the input has it, describes pods), and those whose
    workloads come in one file with CustomResourceDefinitions (an operator's bundle)."""
    found: dict[str | None, tuple[str, str, str]] = {}
    bundles = {f.file for f in index.of_kind("CustomResourceDefinition")}
    for facts in index.objects:
        group = facts.group
        if facts.file in bundles and facts.workload is not None:
            found.setdefault(index.namespace_of(facts), (facts.kind, facts.name or "", facts.file))
        elif (not is_builtin_group(facts.api_version) and group not in _INERT_GROUPS
              and (group, facts.kind) not in _INERT_KINDS and facts.workload is None):
            crd = index.crds.get((group, facts.kind))
            if runs_pods and crd is not None and not crd.runs_pods:
                continue  # its CRD describes no pods: a Backup, a bucket, a user
            namespace = index.namespace_of(facts)
            if namespace is not None:
                found.setdefault(namespace, (facts.kind, facts.name or "", facts.file))
    return found

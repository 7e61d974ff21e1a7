"""Which pods of the run a selector selects, and which come closest when it selects none.

The tables here are built once per namespace (pod sources, pods by label pair, the label key
sets in use) and kept in the index's memo, so each selector costs a lookup, not a pass over
every workload of its namespace.
"""

from __future__ import annotations

from typing import Any

from kubelint.checks.run.common import elsewhere
from kubelint.checks.run.facts import ObjectFacts
from kubelint.checks.run.index import RunIndex
from kubelint.kube.selectors import describe_requirement, matches, unmatched

# Labels that controllers add to the pods they create, which a pod template does not show.
_JOB_LABELS = ("job-name", "controller-uid", "batch.kubernetes.io/job-name",
               "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index")
_CONTROLLER_LABELS: dict[str, tuple[str, ...]] = {
    "StatefulSet": ("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
                    "controller-revision-hash"),
    "DaemonSet": ("controller-revision-hash", "pod-template-generation"),
    "Deployment": ("pod-template-hash",),
    "Rollout": ("rollouts-pod-template-hash",),
    "Job": _JOB_LABELS,
    "CronJob": _JOB_LABELS,
}
_ADDED_KEYS = frozenset(k for keys in _CONTROLLER_LABELS.values() for k in keys)


def labels_of(pods: ObjectFacts) -> dict[str, str]:
    """The labels of a workload's pod template (a Pod's own labels); none for other objects."""
    return pods.workload.pod_labels if pods.workload is not None else {}


def pod_sources(index: RunIndex, namespace: str | None) -> list[ObjectFacts]:
    """The objects whose pods exist in `namespace`: workloads, without PodTemplates (which
    only hold a template for someone else to use)."""
    by_namespace = index.memoized("pod-sources", dict)
    if namespace not in by_namespace:
        by_namespace[namespace] = [f for f in index.workloads(namespace) if f.kind != "PodTemplate"]
    return by_namespace[namespace]  # type: ignore[no-any-return]


def _by_label(index: RunIndex, namespace: str | None) -> dict[tuple[str, str], list[ObjectFacts]]:
    """The pod sources of a namespace by each label pair of their templates."""
    tables = index.memoized("pods-by-label", dict)
    if namespace not in tables:
        table: dict[tuple[str, str], list[ObjectFacts]] = {}
        for pods in pod_sources(index, namespace):
            for pair in labels_of(pods).items():
                table.setdefault(pair, []).append(pods)
        tables[namespace] = table
    return tables[namespace]  # type: ignore[no-any-return]


def _positive_keys(selector: dict[str, Any]) -> list[str]:
    """The label keys a pod must carry to be selected."""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return list(selector)
    keys = list(selector.get("matchLabels") or {})
    keys += [e.get("key") for e in selector.get("matchExpressions") or [] if e.get("operator") in ("In", "Exists")]
    return keys


def same_label_scheme(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> bool:
    """Whether a pod template of the namespace carries every label key `selector` needs: then
    a selector that matches none has a wrong value (a typo, a rename on one side). A selector
    with keys no template uses is for pods that something else creates (an operator, a
    script, another install), and is not judged."""
    keys = set(_positive_keys(selector))
    if keys & _ADDED_KEYS:
        return any(keys <= set(pod_labels(p, selector)) for p in _carrying(index, namespace, keys))
    key_sets = index.memoized("label-key-sets", dict)
    if namespace not in key_sets:
        key_sets[namespace] = {frozenset(labels_of(p)) for p in pod_sources(index, namespace)}
    return any(keys <= found for found in key_sets[namespace])


def _carrying(index: RunIndex, namespace: str | None, keys: set[str]) -> list[ObjectFacts]:
    """The pod sources of a namespace that may carry every label key of `keys` (their template
    has it, or their controller adds it), in index order: a pod lacking one cannot be selected,
    so only those are compared, never every workload of the namespace. Every pod source when
    `keys` is empty."""
    tables = index.memoized("pods-by-key", dict)
    if namespace not in tables:
        table: dict[str, list[ObjectFacts]] = {}
        for pods in pod_sources(index, namespace):
            for key in {*labels_of(pods), *_CONTROLLER_LABELS.get(pods.kind, ())}:
                table.setdefault(key, []).append(pods)
        tables[namespace] = table
    if not keys:
        return pod_sources(index, namespace)
    return min((tables[namespace].get(key, []) for key in sorted(keys)), key=len)  # type: ignore[no-any-return]


def _wanted(selector: dict[str, Any], key: str) -> str | None:
    """The value `selector` asks of `key`, if any: to stand in for a label a controller adds."""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        value = selector.get(key)
        return str(value) if value is not None else None
    labels = selector.get("matchLabels") or {}
    if key in labels:
        return str(labels[key])
    for expression in selector.get("matchExpressions") or []:
        if expression.get("key") == key and expression.get("operator") in ("In", "Exists"):
            values = expression.get("values") or [""]
            return str(values[0])
    return None


def pod_labels(pods: ObjectFacts, selector: dict[str, Any]) -> dict[str, str]:
    """The labels the pods of `pods` will carry, as far as `selector` cares: the template's,
    plus those the controller adds (a per-pod Service selects `statefulset.kubernetes.io/
    pod-name: web-0`, which no template says)."""
    labels = labels_of(pods)
    added = _CONTROLLER_LABELS.get(pods.kind, ())
    if not added or _ADDED_KEYS.isdisjoint(_positive_keys(selector)):
        return labels
    labels = dict(labels)
    for key in added:
        if key in labels:
            continue
        value = _wanted(selector, key)
        if value is None:
            continue
        if key == "statefulset.kubernetes.io/pod-name" and not value.startswith(f"{pods.name}-"):
            continue
        labels[key] = value
    return labels


def _candidates(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> list[ObjectFacts]:
    """The pod sources of `namespace` that may match `selector`, in index order: those with the
    rarest label pair it requires, else those carrying the keys it requires. A namespace may
    hold thousands of workloads and selectors; none is compared with all of them."""
    if "matchLabels" in selector or "matchExpressions" in selector:
        pairs = selector.get("matchLabels") or {}
    else:
        pairs = selector
    table = _by_label(index, namespace)
    found = [table.get((key, value), []) for key, value in pairs.items()
             if isinstance(key, str) and key not in _ADDED_KEYS and isinstance(value, str)]
    if found:
        return min(found, key=len)
    return _carrying(index, namespace, {k for k in _positive_keys(selector) if isinstance(k, str)})


def _selector_key(selector: dict[str, Any]) -> Any:
    """A hashable form of a selector of the facts (string labels, expressions with string values)."""
    return repr(sorted((str(k), repr(v)) for k, v in selector.items()))


def selected(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> list[ObjectFacts]:
    """The pod sources of `namespace` whose pods `selector` selects, worked out once per
    selector and namespace (many policies of a namespace share their peers' selectors)."""
    memo = index.memoized("selected", dict)
    key = (namespace, _selector_key(selector))
    if key not in memo:
        memo[key] = [p for p in _candidates(index, namespace, selector) if matches(selector, pod_labels(p, selector))]
    return memo[key]  # type: ignore[no-any-return]


def selects_any(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> bool:
    """Whether `selector` selects a pod source of `namespace`: the first match ends the search."""
    return any(matches(selector, pod_labels(p, selector)) for p in _candidates(index, namespace, selector))


def describe_selector(selector: dict[str, Any]) -> str:
    if "matchLabels" in selector or "matchExpressions" in selector:
        parts = [f"`{k}: {v}`" for k, v in (selector.get("matchLabels") or {}).items()]
        parts += [describe_requirement(e) for e in selector.get("matchExpressions") or []]
    else:
        parts = [f"`{k}: {v}`" for k, v in selector.items()]
    return ", ".join(parts)


def labels_text(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(labels.items())) + "}" if labels else "no labels"


def nearest(index: RunIndex, namespace: str | None, selector: dict[str, Any], origin: ObjectFacts) -> str:
    """Which pods come closest to `selector` (of `origin`), and what they lack: the likely typo.
    Candidates are the pods sharing the most label pairs with the selector, else the
    namespace's first; one in another directory than `origin` is named with its file."""
    pairs = selector.get("matchLabels") or {} if "matchLabels" in selector or "matchExpressions" in selector \
        else selector
    table = _by_label(index, namespace)
    shared: dict[int, int] = {}
    order: dict[int, ObjectFacts] = {}
    for pair in pairs.items():
        for candidate in table.get(pair, ()):
            shared[id(candidate)] = shared.get(id(candidate), 0) + 1
            order.setdefault(id(candidate), candidate)
    if shared:
        most = max(shared.values())
        pods = [pod for key, pod in order.items() if shared[key] == most][:50]
    else:
        pods = _sharing_values(pod_sources(index, namespace)[:500], pairs)[:50]
    best: tuple[int, ObjectFacts, list[str]] | None = None
    for candidate in pods:
        missing = [text for _, text in unmatched(selector, pod_labels(candidate, selector))]
        if best is None or len(missing) < best[0]:
            best = (len(missing), candidate, missing)
    if best is None:
        return ""
    _, candidate, missing = best
    labels = labels_of(candidate)
    has = f"has pod labels {labels_text(labels)}" if labels else "has no pod labels"
    return (f"; the nearest, {candidate.kind} `{candidate.name}`{elsewhere(candidate, origin)}, {has} and lacks "
            f"{', '.join(missing)}")


def _sharing_values(pods: list[ObjectFacts], pairs: dict[Any, Any]) -> list[ObjectFacts]:
    """When no pod has a pair of the selector, the likely mistake is the key (`app: nginx` for
    `app.kubernetes.io/name: nginx`): pods with the selector's values come first."""
    values = {v for v in pairs.values() if isinstance(v, str)}

    def shared(pod: ObjectFacts) -> int:
        return len(values & set(labels_of(pod).values()))
    return sorted(pods, key=shared, reverse=True)  # stable: input order on a tie

"""Pod Security admission: pod templates against the levels their Namespace (in the input) labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckDef, define_run
from kubelint.checks.run.index import RunHit, RunIndex

_LEVEL_ORDER = {"privileged": 0, "baseline": 1, "restricted": 2}
_PSA = "pod-security.kubernetes.io/"


def _namespace_levels(index: RunIndex) -> dict[str, tuple[int, int]]:
    """Per Namespace of the input: (enforced level, the strictest warn/audit level)."""
    levels: dict[str, tuple[int, int]] = {}
    for namespace in index.of_kind("Namespace"):
        if not namespace.name:
            continue
        enforce = _LEVEL_ORDER.get(namespace.labels.get(_PSA + "enforce", ""), 0)
        warn = max(_LEVEL_ORDER.get(namespace.labels.get(_PSA + mode, ""), 0) for mode in ("warn", "audit"))
        levels[namespace.name] = (enforce, warn)
    return levels


def _controls(violations: list[tuple[str, Any, str]]) -> str:
    by_control: dict[str, list[str]] = {}
    for control, _, reason in violations:
        by_control.setdefault(control, []).append(reason)
    parts = []
    for control, reasons in by_control.items():
        more = f" and {len(reasons) - 1} more" if len(reasons) > 1 else ""
        parts.append(f"{control} ({reasons[0]}{more})")
    return "; ".join(parts)


def pod_security(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A pod template in a Namespace of the input that labels a Pod Security level it fails.

    mode `enforce`: the level of the `enforce` label (the API server refuses the pods);
    mode `warn`: the stricter level of the `warn` or `audit` labels, for the controls the
    enforced level does not already refuse (kubectl prints warnings; audit logs them)."""
    mode = params.get("mode", "enforce") if isinstance(params, dict) else "enforce"
    names = {v: k for k, v in _LEVEL_ORDER.items()}
    levels = _namespace_levels(index)
    if not levels:
        return
    for workload in index.workloads():
        pss = workload.workload.pss if workload.workload is not None else None
        namespace = index.namespace_of(workload)
        if not pss or workload.kind == "PodTemplate" or namespace not in levels:
            continue
        enforce, warn = levels[namespace]
        if mode == "enforce":
            if not enforce:
                continue
            level = names[enforce]
            violations = pss.get(level) or []
        else:
            if warn <= enforce:
                continue
            level = names[warn]
            refused = {tuple(v[1]) for v in pss.get(names[enforce], [])} if enforce else set()
            violations = [v for v in pss.get(level) or [] if tuple(v[1]) not in refused]
        if not violations:
            continue
        first = min(violations, key=lambda v: (workload.at(tuple(v[1])).line, workload.at(tuple(v[1])).column))
        yield RunHit(workload, tuple(first[1]), {
            "kind": workload.kind, "name": workload.name, "namespace": namespace, "level": level,
            "controls": _controls(violations)})


CHECKS: dict[str, CheckDef] = {
    "pod-security": define_run(pod_security, params={
        "type": "object", "additionalProperties": False, "required": ["mode"],
        "properties": {"mode": {"enum": ["enforce", "warn"]}}},
        placeholders=("kind", "name", "namespace", "level", "controls")),
}

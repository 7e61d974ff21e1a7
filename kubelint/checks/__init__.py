"""The Python checks that rule files name, by name.

Each theme module keeps an explicit `CHECKS` table of its own, joined here into one (a name
taken twice is an error at import), so that `grep` finds every check, helpers of different
themes never edit one shared table, and the catalog test can tell which checks no rule uses.
"""

from __future__ import annotations

from typing import Any

from kubelint.checks import images, reliability, run, security, validity
from kubelint.checks.apis import api_lifecycle
from kubelint.checks.base import CheckDef, define
from kubelint.checks.structure import misplaced_field, missing_selector

_LIFECYCLE = ("api_version", "kind", "removed_in", "last_served", "deprecated_in", "replacement", "available",
              "target", "note")
_CUSTOM = ("api_version", "kind", "project", "removed_in", "replacement", "note")

CHECKS: dict[str, CheckDef] = {
    "api-lifecycle": define(api_lifecycle, params={
        "type": "object", "additionalProperties": False, "required": ["status"],
        "properties": {"status": {"enum": ["removed", "deprecated"],
                                  "description": "Which finding the rule gives: an apiVersion the target "
                                                 "version no longer serves, or one it has deprecated."}}},
        variants_for=lambda params: ("default", "no-replacement") if params.get("status") == "removed" else (
            "default", "not-scheduled", "no-replacement", "scheduled", "scheduled-no-replacement",
            "custom", "custom-no-replacement"),
        placeholders={"default": _LIFECYCLE, "not-scheduled": _LIFECYCLE, "no-replacement": _LIFECYCLE,
                      "scheduled": _LIFECYCLE, "scheduled-no-replacement": _LIFECYCLE,
                      "custom": _CUSTOM, "custom-no-replacement": _CUSTOM}),
    "misplaced-field": define(misplaced_field, ("default",), {
        "type": "object", "additionalProperties": False, "required": ["places"],
        "properties": {"places": {"type": "array", "description": "Where to look and where each field belongs: "
                                  "`kinds`, `at` (the mapping looked in), `fields`, `belongs` (`{field}` is "
                                  "the field's name), `message` (the variant), `builtin_only`.",
                                  "items": {
            "type": "object", "required": ["fields", "belongs"],
            "properties": {"kinds": {"type": "array", "items": {"type": "string"}},
                           "builtin_only": {"type": "boolean"}, "at": {"type": "string"},
                           "fields": {"type": "array", "items": {"type": "string"}},
                           "belongs": {"type": "string"}, "message": {"type": "string"}}}}}},
        # each place names the message variant of its findings (`message:`, else default)
        variants_for=lambda params: {str(place.get("message", "default")) for place in params.get("places", [])
                                     if isinstance(place, dict)},
        placeholders=("field", "found", "belongs", "kind")),
    "missing-selector": define(missing_selector, ("default", "no-labels"), {
        "type": "object", "additionalProperties": False,
        "properties": {"defaulted_in": {"type": "array", "items": {"type": "string"}, "default": [],
                                        "description": "apiVersions whose API server filled the selector in "
                                                       "from the template's labels."}}},
        placeholders=("kind", "example")),
}

# The placeholders of the checks whose modules do not declare them yet (reliability and the
# run-wide checks of checks/run/): what their hits fill, read from their code.
# A declaration in the module itself wins; an entry here that the module declares is dead.
_UNDECLARED: dict[str, Any] = {
    "missing-resource": ("container", "resource"),
    "missing-probe": ("container",),
    "identical-probes": ("container",),
    "single-replica": ("kind", "name"),
    "job-ttl": ("name",),
    "pdb-blocks-eviction": {"default": ("field", "value"), "replicas": ("value", "kind", "workload", "replicas")},
    "duplicate-object": ("kind", "name", "namespace", "other"),
    "service-selects-nothing": ("name", "selector", "namespace", "nearest"),
    "service-target-port-undeclared": {"default": ("name", "target", "protocol", "pods", "declared"),
                                       "protocol": ("name", "target", "protocol", "pods", "declared", "other")},
    "ingress-service-missing": ("service", "namespace", "services"),
    "ingress-service-port-missing": ("service", "port", "what", "where", "ports"),
    "hpa-target-missing": {"default": ("kind", "name", "namespace", "workloads"),
                           "other-kind": ("kind", "name", "namespace", "other")},
    "hpa-replicas-conflict": ("kind", "name", "replicas", "hpa", "where"),
    "pdb-selects-nothing": ("kind", "name", "selector", "namespace", "nearest"),
    "networkpolicy-selects-nothing": {"default": ("kind", "name", "selector", "namespace", "nearest"),
                                      "peer": ("kind", "name", "selector", "namespace", "nearest", "direction")},
    "statefulset-service-missing": {"default": ("name", "service", "namespace"),
                                    "not-headless": ("name", "service", "namespace", "where"),
                                    "not-selecting": ("name", "service", "namespace", "where", "selector",
                                                      "labels")},
    "missing-service-account": ("kind", "workload", "name", "namespace"),
    "missing-configmap": {"default": ("kind", "workload", "name", "namespace"),
                          "key": ("kind", "workload", "name", "namespace", "key", "keys", "where")},
    "missing-secret": {"default": ("kind", "workload", "name", "namespace"),
                       "key": ("kind", "workload", "name", "namespace", "key", "keys", "where")},
    "pod-security": ("kind", "name", "namespace", "level", "controls"),
}


def _joined(module: Any) -> dict[str, CheckDef]:
    """A module's table, with the placeholders it leaves unsaid filled in from `_UNDECLARED`."""
    out = {}
    for name, check in module.CHECKS.items():
        if check.placeholders is None and name in _UNDECLARED:
            check = check.replace(placeholders=define(check.run, placeholders=_UNDECLARED[name]).placeholders)
        out[name] = check
    return out


for _module in (run, images, reliability, security, validity):
    for _name, _check in _joined(_module).items():
        if _name in CHECKS:
            raise RuntimeError(f"check {_name!r} is defined twice")
        CHECKS[_name] = _check

"""The Python checks that rule files name, by name.

Each theme module keeps an explicit `CHECKS` table of its own, merged here, so that `grep`
finds every check, helpers of different themes never edit one shared table, and the catalog
test can tell which checks no rule uses.
"""

from __future__ import annotations

from kubelint.checks import images, reliability, run, security, validity
from kubelint.checks.apis import api_lifecycle
from kubelint.checks.base import CheckDef, define
from kubelint.checks.structure import misplaced_field, missing_selector

CHECKS: dict[str, CheckDef] = {
    "api-lifecycle": define(api_lifecycle, params={
        "type": "object", "additionalProperties": False, "required": ["status"],
        "properties": {"status": {"enum": ["removed", "deprecated"]}}},
        variants_for=lambda params: ("default", "no-replacement") if params.get("status") == "removed" else (
            "default", "not-scheduled", "no-replacement", "scheduled", "scheduled-no-replacement",
            "custom", "custom-no-replacement")),
    "misplaced-field": define(misplaced_field, (), {
        "type": "object", "additionalProperties": False, "required": ["places"],
        "properties": {"places": {"type": "array", "items": {
            "type": "object", "required": ["fields", "belongs"],
            "properties": {"kinds": {"type": "array", "items": {"type": "string"}},
                           "builtin_only": {"type": "boolean"}, "at": {"type": "string"},
                           "fields": {"type": "array", "items": {"type": "string"}},
                           "belongs": {"type": "string"}, "message": {"type": "string"}}}}}}),
    "missing-selector": define(missing_selector, ("default", "no-labels"), {
        "type": "object", "additionalProperties": False,
        "properties": {"defaulted_in": {"type": "array", "items": {"type": "string"}}}}),
}
for _module in (run, images, reliability, security, validity):
    for _name, _check in _module.CHECKS.items():
        if _name in CHECKS:
            raise RuntimeError(f"check {_name!r} is defined twice")
        CHECKS[_name] = _check

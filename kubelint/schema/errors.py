"""jsonschema-rs errors → kubelint hits: one finding per problem, at its field, in Kubernetes' words.

Every error becomes a `Problem` (rule, field path, where to point, words); then the problems
that describe the same mistake twice are dropped (see `_one_per_problem`) and the rest sorted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from kubelint.model import FieldPath, Hit, format_path
from kubelint.schema.compiler import KindSchema
from kubelint.suggest import closest

Kinds = jsonschema_rs.ValidationErrorKind
SCHEMA_INVALID = "schema-invalid"
UNKNOWN_FIELD = "unknown-field"
_MAX_SHOWN = 60  # characters of a value quoted in a message
_MAX_OPTIONS = 12  # enum values listed in a message


@dataclass(frozen=True)
class Problem:
    rule: str
    path: FieldPath
    text: str  # the words after "<path>: "
    at: str = "value"
    category: str = "other"  # type | required | unknown | other: what _one_per_problem looks at
    # A missing required field: the names of the fields that belong inside it, so that an
    # unknown sibling that is one of them (spec.spec, where spec.template.spec was meant) is
    # known for the same mistake.
    inside: frozenset[str] = frozenset()

    def hit(self, origin: str) -> tuple[str, Hit]:
        where = format_path(self.path) or "(object)"
        suffix = f" ({origin})" if origin else ""
        return self.rule, Hit(self.path, {"detail": f"{where}: {self.text}{suffix}", "category": self.category},
                              at=self.at)


def hits(errors: Iterable[Any], schema: KindSchema, strict: bool, document: Any) -> list[tuple[str, Hit]]:
    """The findings for every error of one document, sorted, each problem once.

    Values are quoted from `document` itself: jsonschema-rs hands back JSON, in which a YAML
    `.inf` has become null."""
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_problems(error, schema.compiled_schema, document))
    problems = _one_per_problem(problems, schema, strict)
    return [p.hit(schema.origin) for p in problems]


# ----------------------------------------------------------------------------- one per problem

def _one_per_problem(problems: list[Problem], schema: KindSchema, strict: bool) -> list[Problem]:
    """Drop what would report one mistake twice, and what the API server does not check.

    - Not strict: unknown fields are not reported.
    - `status`: the API server resets it on create, so nothing required in it is enforced (and
      for a custom resource with a status subresource, nothing in it is checked at all).
    - A required field missing beside an unknown one is the same mistake (misspelt or
      misplaced: `contaners`, or a pod spec written one level too high): the unknown field's
      finding (or misplaced-field, which replaces it) names it.
    - A value of the wrong type also fails its enum, pattern or oneOf: the type says it all.
    """
    kept = [p for p in problems if strict or p.category != "unknown"]
    kept = [p for p in kept if not (p.path[:1] == ("status",)
                                     and (schema.ignore_status or p.category == "required"))]
    unknown_by_parent: dict[FieldPath, set[str]] = {}
    for p in kept:
        if p.category == "unknown" and p.path and isinstance(p.path[-1], str):
            unknown_by_parent.setdefault(p.path[:-1], set()).add(p.path[-1])
    typed = {p.path for p in kept if p.category == "type"}
    out: list[Problem] = []
    seen: set[tuple[str, FieldPath, str]] = set()
    for p in kept:
        if p.category == "required" and _same_mistake(p, unknown_by_parent.get(p.path[:-1], set())):
            continue
        if p.category != "type" and p.path in typed:
            continue
        key = (p.rule, p.path, p.text)
        if key not in seen:
            seen.add(key)
            out.append(p)
    out.sort(key=lambda p: (_path_key(p.path), p.rule, p.text))
    return out


def _same_mistake(missing: Problem, unknown: set[str]) -> bool:
    """Whether an unknown sibling explains a missing required field: a misspelling of it
    (`contaners` for `containers`), or a field that belongs inside it, written one level too
    high (`spec.spec` where `spec.template.spec` was meant). Anything else is a second mistake
    and keeps its own finding (issue: `--schema-only` lost `spec.selector: Required value`)."""
    if not unknown:
        return False
    name = missing.path[-1] if missing.path else ""
    if not isinstance(name, str):
        return False
    if unknown & missing.inside:
        return True
    return any(closest(field, {name}) == name for field in unknown)


def _path_key(path: FieldPath) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{part:012d}") if isinstance(part, int) else (1, part) for part in path)


# ----------------------------------------------------------------------------- error → problems

def _value_at(document: Any, path: FieldPath, fallback: Any) -> Any:
    node = document
    for part in path:
        in_map = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            return fallback
        node = node[part]
    return node


def _problems(error: Any, schema: dict[str, Any], document: Any) -> list[Problem]:
    kind = error.kind
    path: FieldPath = tuple(error.instance_path)
    value = _value_at(document, path, error.instance)
    if isinstance(kind, Kinds.Type):
        return [_type_problem(path, list(kind.types), value)]
    if isinstance(kind, Kinds.Required):
        parent = _node_at(schema, list(error.schema_path)[:-1])
        props = parent.get("properties") if isinstance(parent, dict) else None
        child = _resolve(schema, props.get(kind.property)) if isinstance(props, dict) else None
        return [Problem(SCHEMA_INVALID, path + (kind.property,), "Required value", "key", "required",
                        frozenset(_names_within(schema, child, 2)))]
    if isinstance(kind, (Kinds.AdditionalProperties, Kinds.UnevaluatedProperties)):
        node = _node_at(schema, list(error.schema_path)[:-1])
        known = _property_names(node)
        present = set(value) if isinstance(value, dict) else set()
        out = []
        for name in sorted(kind.unexpected):
            guess = closest(name, known - present)
            text = "unknown field" + (f"; did you mean {guess}?" if guess else "")
            out.append(Problem(UNKNOWN_FIELD, path + (name,), text, "key", "unknown"))
        return out
    if isinstance(kind, (Kinds.AnyOf, Kinds.OneOfNotValid)):
        return _branch_problems(error, schema, document)
    if isinstance(kind, Kinds.OneOfMultipleValid):
        names = _required_choices(_node_at(schema, list(error.schema_path)))
        text = (f"Invalid value: set only one of: {', '.join(names)}" if names
                else "Invalid value: matches more than one of the allowed forms")
        return [Problem(SCHEMA_INVALID, path, text)]
    if isinstance(kind, Kinds.Referencing):
        return []
    return [Problem(SCHEMA_INVALID, path, _constraint_text(kind, value, error))]


def _type_problem(path: FieldPath, types: list[str], value: Any) -> Problem:
    wanted = [t for t in types if t != "null"] or types
    order = ["object", "array", "string", "integer", "number", "boolean", "null"]
    wanted = sorted(set(wanted), key=lambda t: order.index(t) if t in order else len(order))
    text = f"expected {' or '.join(wanted)}, got {_describe(value)}"
    if wanted == ["string"] and isinstance(value, (bool, int, float)):
        text += "; put the value in quotes"
    return Problem(SCHEMA_INVALID, path, text, "value", "type")


def _branch_problems(error: Any, schema: dict[str, Any], document: Any) -> list[Problem]:
    """anyOf/oneOf with no matching branch: explain the branch the value was most likely meant for.

    A branch that failed only because the value has another type is the least relevant; among
    the others, the one whose errors go deepest (the value matched it furthest), then the one
    with fewest errors, wins.
    """
    path: FieldPath = tuple(error.instance_path)
    branches = [list(b) for b in error.kind.context]
    if not branches or not all(branches):
        return [Problem(SCHEMA_INVALID, path, "Invalid value: does not match any allowed form")]
    depth = len(path)

    def mismatched(branch: list[Any]) -> bool:
        return any(isinstance(e.kind, Kinds.Type) and len(e.instance_path) == depth for e in branch)

    if all(mismatched(b) for b in branches):
        types: list[str] = []
        for branch in branches:
            for e in branch:
                if isinstance(e.kind, Kinds.Type) and len(e.instance_path) == depth:
                    types.extend(e.kind.types)
        return [_type_problem(path, types, _value_at(document, path, error.instance))]
    if all(isinstance(e.kind, Kinds.Required) and len(e.instance_path) == depth for b in branches for e in b):
        names = sorted({e.kind.property for b in branches for e in b})
        return [Problem(SCHEMA_INVALID, path, f"Required value: set one of: {', '.join(names)}", "key",
                        "required")]
    best = min(branches, key=lambda b: (mismatched(b), -max(len(e.instance_path) for e in b), len(b)))
    out: list[Problem] = []
    for e in best:
        out.extend(_problems(e, schema, document))
    return out


def _constraint_text(kind: Any, value: Any, error: Any) -> str:
    shown = _render(value)
    if isinstance(kind, Kinds.Enum):
        # "" and null are in the enums kubelint adds (the server defaults them); not worth listing.
        options = [o for o in kind.options if o not in ("", None)] or list(kind.options)
        listed = ", ".join(_render(o) for o in options[:_MAX_OPTIONS]) + (", …" if len(options) > _MAX_OPTIONS else "")
        text = f"Unsupported value: {shown}: supported values: {listed}"
        guess = closest(value, [o for o in options if isinstance(o, str)]) if isinstance(value, str) else None
        return text + (f"; did you mean {_render(guess)}?" if guess else "")
    if isinstance(kind, Kinds.Constant):
        return f"Unsupported value: {shown}: supported value: {_render(kind.expected_value)}"
    if isinstance(kind, Kinds.Pattern):
        return f"Invalid value: {shown}: should match '{kind.pattern}'"
    if isinstance(kind, Kinds.Minimum):
        return f"Invalid value: {shown}: should be greater than or equal to {kind.limit}"
    if isinstance(kind, Kinds.Maximum):
        return f"Invalid value: {shown}: should be less than or equal to {kind.limit}"
    if isinstance(kind, Kinds.ExclusiveMinimum):
        return f"Invalid value: {shown}: should be greater than {kind.limit}"
    if isinstance(kind, Kinds.ExclusiveMaximum):
        return f"Invalid value: {shown}: should be less than {kind.limit}"
    if isinstance(kind, Kinds.MultipleOf):
        return f"Invalid value: {shown}: should be a multiple of {kind.multiple_of}"
    if isinstance(kind, Kinds.MinLength):
        return f"Invalid value: {shown}: should be at least {kind.limit} chars long"
    if isinstance(kind, Kinds.MaxLength):
        return f"Too long: may not be longer than {kind.limit}"
    if isinstance(kind, Kinds.MinItems):
        return f"Invalid value: {_count(value)}: should have at least {kind.limit} items"
    if isinstance(kind, Kinds.MaxItems):
        return f"Too many: {_count(value)}: must have at most {kind.limit} items"
    if isinstance(kind, Kinds.MinProperties):
        return f"Invalid value: {_count(value)}: should have at least {kind.limit} properties"
    if isinstance(kind, Kinds.MaxProperties):
        return f"Too many: {_count(value)}: must have at most {kind.limit} properties"
    if isinstance(kind, Kinds.UniqueItems):
        return "Duplicate value: the items must be unique"
    if isinstance(kind, Kinds.Not):
        return f"Invalid value: {shown}: this value is not allowed here"
    if isinstance(kind, Kinds.FalseSchema):
        return "Forbidden: this field is not allowed here"
    if isinstance(kind, Kinds.AdditionalItems):
        return f"Too many: {_count(value)}: must have at most {kind.limit} items"
    if isinstance(kind, Kinds.Contains):
        return "Invalid value: no item matches what this list must contain"
    return f"Invalid value: {error.message}"


# ----------------------------------------------------------------------------- helpers

def _node_at(schema: Any, pointer: list[Any]) -> Any:
    """The schema node at a jsonschema-rs schema path (keywords from the document root)."""
    node = schema
    for part in pointer:
        if isinstance(node, dict):
            node = node.get(str(part))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _resolve(root: Any, node: Any, depth: int = 0) -> Any:
    """A schema node with its local `$ref` (and a lone allOf branch, as the Kubernetes schemas
    wrap refs) followed."""
    while isinstance(node, dict) and depth < 8:
        depth += 1
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            node = _node_at(root, ref[2:].split("/"))
            continue
        branches = node.get("allOf")
        if "properties" not in node and isinstance(branches, list) and len(branches) == 1:
            node = branches[0]
            continue
        break
    return node


def _names_within(root: Any, node: Any, depth: int) -> set[str]:
    """The field names `depth` levels into a schema node: where a field written too high
    belongs (a workload's template.spec.containers)."""
    names = _property_names(node)
    if depth > 1 and isinstance(node, dict) and isinstance(node.get("properties"), dict):
        for child in node["properties"].values():
            names |= _names_within(root, _resolve(root, child), depth - 1)
    return names


def _property_names(node: Any) -> set[str]:
    props = node.get("properties") if isinstance(node, dict) else None
    return {k for k in props if isinstance(k, str)} if isinstance(props, dict) else set()


def _required_choices(node: Any) -> list[str]:
    """For oneOf: [{required: [a]}, {required: [b]}], the names a and b."""
    if not isinstance(node, list):
        return []
    names: list[str] = []
    for branch in node:
        required = branch.get("required") if isinstance(branch, dict) else None
        if not isinstance(required, list) or set(branch) - {"required"}:
            return []
        names.extend(str(r) for r in required)
    return sorted(set(names))


def _count(value: Any) -> int:
    return len(value) if isinstance(value, (list, dict)) else 0


def _render(value: Any) -> str:
    """A value as Kubernetes quotes it in messages: JSON, shortened."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 2] + "…\""


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {_render(value)}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {_render(value) if math.isfinite(value) else value}"
    if isinstance(value, str):
        return f"string {_render(value)}"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__

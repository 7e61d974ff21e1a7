"""`kubectl explain` for the field under the cursor: its description and type from the schemas.

The schemas the validator compiles are stripped of descriptions; the shipped kind files and
their `_definitions.json` keep them, so those are read here (both are cached per process by
kube/versions.py). A custom resource's field comes from the `openAPIV3Schema` of its CRD.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from kubelint.engine.documents import expand_lists, is_manifest
from kubelint.kube.groups import group_of, is_builtin_group
from kubelint.kube.versions import GVK, definitions, read_json, version_dir
from kubelint.model import Document, FieldPath, Span, format_path


class FieldDoc(NamedTuple):
    path: str  # spec.template.spec.containers[0].image
    type: str  # string, integer (int32), []Container, map[string]string
    description: str
    origin: str  # "apps/v1 Deployment, Kubernetes 1.37" or "CRD widgets.example.com"


class Cursor(NamedTuple):
    doc: Document  # the object (an item of a List is its own object)
    path: FieldPath  # from the object's root


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def field_at(documents: Sequence[Document], line: int, column: int) -> Cursor | None:
    """The deepest key (or scalar value) at 1-based (line, column), in the object holding it."""
    objects = expand_lists([d for d in documents if is_manifest(d.obj)])
    best: tuple[int, Cursor] | None = None
    for doc in objects:
        if not (doc.span.line <= line <= doc.span.end_line):
            continue
        for full in doc.paths():
            if full[:len(doc.base)] != doc.base or len(full) == len(doc.base):
                continue
            node = doc.node(full)
            if node is None:
                continue
            hit = (node.key is not None and _inside(node.key, line, column)) or (
                _is_scalar(doc, full) and _inside(node.value, line, column))
            if hit and (best is None or len(full) > best[0]):
                best = (len(full), Cursor(doc, full[len(doc.base):]))
    return best[1] if best else None


def _is_scalar(doc: Document, full: FieldPath) -> bool:
    value: Any = doc.obj if not doc.base else None
    if doc.base:
        return True  # positions are enough; a List item's own value is rarely asked for
    for part in full:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return False
    return not isinstance(value, (dict, list))


# --------------------------------------------------------------------------- built-in kinds


def _kind_file(directory: str, api_version: str, kind: str) -> dict[str, Any] | None:
    from kubelint.schema.store import _candidates  # the kind files that may hold apiVersion/kind

    wanted = {"group": group_of(api_version), "version": api_version.rsplit("/", 1)[-1], "kind": kind}
    for name in _candidates(directory, api_version, kind):
        try:
            root = read_json(os.path.join(directory, name))
        except (OSError, ValueError):
            continue
        tags = root.get(GVK) if isinstance(root, dict) else None
        if isinstance(tags, list) and any(isinstance(t, dict) and {k: t.get(k) for k in wanted} == wanted
                                          for t in tags):
            return root
    return None


class SchemaRoot(NamedTuple):
    """A kind's schema as shipped (with descriptions), how its `$ref`s resolve, and where it is from."""

    root: dict[str, Any]
    lookup: Callable[[str], Any]
    origin: str
    standard_fields: bool = True  # a CRD's schema rarely describes apiVersion, kind, metadata


def builtin_root(api_version: str, kind: str, version: tuple[int, int], strict: bool = True) -> SchemaRoot | None:
    directory = version_dir(version, strict)
    if directory is None or not is_builtin_group(api_version):
        return None
    root = _kind_file(directory, api_version, kind)
    if root is None:
        return None
    defs = definitions(directory)
    return SchemaRoot(root, lambda ref: defs.get(ref.rsplit("/", 1)[-1]),
                      f"{api_version} {kind}, Kubernetes {version[0]}.{version[1]}")


def custom_root(crd: Document, api_version: str) -> SchemaRoot | None:
    """The `openAPIV3Schema` of the CRD's version that serves `api_version`."""
    spec = crd.obj.get("spec") if isinstance(crd.obj, dict) else None
    if not isinstance(spec, dict):
        return None
    version = api_version.rsplit("/", 1)[-1]
    schema = None
    for item in spec.get("versions") or ():
        if isinstance(item, dict) and item.get("name") == version and isinstance(item.get("schema"), dict):
            schema = item["schema"].get("openAPIV3Schema")
    if schema is None and isinstance(spec.get("validation"), dict):
        schema = spec["validation"].get("openAPIV3Schema")
    if not isinstance(schema, dict):
        return None
    return SchemaRoot(schema, lambda ref: None, f"CRD {crd.name or ''}".strip(), standard_fields=False)


def builtin_field(api_version: str, kind: str, path: FieldPath, version: tuple[int, int],
                  strict: bool = True) -> FieldDoc | None:
    schema = builtin_root(api_version, kind, version, strict)
    return field_doc(schema, path) if schema is not None else None


def custom_field(crd: Document, api_version: str, path: FieldPath) -> FieldDoc | None:
    schema = custom_root(crd, api_version)
    return field_doc(schema, path) if schema is not None else None


# ------------------------------------------------------------------------------- the walk


def _undescribed(schema: SchemaRoot, path: FieldPath) -> bool:
    return (not schema.standard_fields and bool(path) and path[0] in ("apiVersion", "kind", "metadata")
            and path[0] not in (schema.root.get("properties") or {}))


def _descend(schema: SchemaRoot, path: FieldPath) -> tuple[dict[str, Any], str] | None:
    """The resolved schema node at `path` and its description, or None where the schema ends."""
    if _undescribed(schema, path):
        return None
    node, description = _resolved(schema.root, schema.lookup, "")
    for part in path:
        child: Any = None
        if isinstance(part, int):
            child = node.get("items")
        else:
            props = node.get("properties")
            if isinstance(props, dict) and part in props:
                child = props[part]
            elif isinstance(node.get("additionalProperties"), dict):
                child = node["additionalProperties"]
        if not isinstance(child, dict):
            return None
        node, description = _resolved(child, schema.lookup, "")
    return node, description


def field_doc(schema: SchemaRoot, path: FieldPath) -> FieldDoc | None:
    found = _descend(schema, path)
    if found is None:
        return None
    node, description = found
    return FieldDoc(format_path(path), _type(node, schema.lookup), description, schema.origin)


def children(schema: SchemaRoot, path: FieldPath) -> list[tuple[str, FieldDoc]]:
    """The fields a mapping at `path` may hold, in the schema's order."""
    found = _descend(schema, path)
    if found is None:
        return []
    props = found[0].get("properties")
    if not isinstance(props, dict):
        return []
    out = []
    for name, child in props.items():
        if isinstance(child, dict):
            node, description = _resolved(child, schema.lookup, "")
            out.append((name, FieldDoc(format_path((*path, name)), _type(node, schema.lookup), description,
                                       schema.origin)))
    return out


def _resolved(node: dict[str, Any], lookup: Any, description: str) -> tuple[dict[str, Any], str]:
    """The node behind `$ref` and one-branch `allOf`, with the nearest description."""
    for _ in range(32):
        description = description or str(node.get("description") or "")
        ref = node.get("$ref")
        branches = node.get("allOf")
        if isinstance(ref, str):
            target = lookup(ref)
            if not isinstance(target, dict):
                break
            node = {**target, "x-kubelint-name": ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1]}
        elif isinstance(branches, list) and len(branches) == 1 and isinstance(branches[0], dict) \
                and "properties" not in node:
            node = {**branches[0], **{k: v for k, v in node.items() if k != "allOf"}}
        else:
            break
    return node, description


def _type(node: dict[str, Any], lookup: Any) -> str:
    declared = node.get("type")
    kinds = [declared] if isinstance(declared, str) else [t for t in declared or () if t != "null"]
    name = node.get("x-kubelint-name")
    if node.get("x-kubernetes-int-or-string"):
        return "int-or-string"
    if "array" in kinds:
        items = node.get("items")
        inner = _type(_resolved(items, lookup, "")[0], lookup) if isinstance(items, dict) else "Object"
        return f"[]{inner}"
    if "object" in kinds or (not kinds and isinstance(node.get("properties"), dict)):
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and not node.get("properties"):
            return f"map[string]{_type(_resolved(extra, lookup, '')[0], lookup)}"
        return str(name or "Object")
    if not kinds:
        return str(name or "Object")
    shown = kinds[0]
    if isinstance(node.get("format"), str):
        shown += f" ({node['format']})"
    return shown

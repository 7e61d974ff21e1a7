"""CustomResourceDefinitions → JSON schemas for their custom resources.

A CRD's openAPIV3Schema is an OpenAPI 3.0 schema with Kubernetes extensions; it is converted to
a JSON Schema (draft 2020-12) that behaves the way the API server validates custom resources:

- `x-kubernetes-int-or-string`: integer or string; `nullable`: null allowed too.
- unknown fields: the API server prunes them, and `kubectl --validate=strict` reports them, so
  in strict mode an object schema without `additionalProperties` rejects unknown fields -
  except under `x-kubernetes-preserve-unknown-fields` (and for a v1beta1 CRD that keeps
  unknown fields, `spec.preserveUnknownFields`, the default there).
- `x-kubernetes-embedded-resource`: the object may carry apiVersion, kind and metadata.
- nulls in mappings are pruned by the API server before validation; the validator prunes the
  document the same way (validator.py), so no `null` is added to types here.
- defaults are applied before validation, so a required field with a default is not required.
- the root always allows apiVersion, kind and metadata; metadata is checked loosely (the API
  server checks it as ObjectMeta, which kubelint's own rules cover).
- value constraints inside anyOf/oneOf/allOf/not never add unknown-field checks (in the
  structural schemas Kubernetes requires, such branches only restrict values).

A CRD with garbage in it never raises: unusable parts are skipped.
"""

from __future__ import annotations

import functools
import marshal
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kubelint.model import Document
from kubelint.schema.compiler import KindSchema
from kubelint.schema.subset import Deferred, materialize

_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean"})
_NUMBER_KEYWORDS = ("minimum", "maximum", "multipleOf")
_COUNT_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
_CONSTRAINT_KEYWORDS = frozenset(
    _NUMBER_KEYWORDS + _COUNT_KEYWORDS + ("pattern", "uniqueItems", "required", "enum"))
_BRANCH_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "not"})
_META_STRINGS = ("name", "generateName", "namespace", "uid", "resourceVersion", "selfLink")
_CRD_API_VERSIONS = ("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1")


@dataclass(frozen=True)
class CustomKind:
    """One served version of a custom resource, as a CRD defines it."""

    group: str
    version: str
    kind: str
    crd_name: str
    file: str
    schema: KindSchema

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class _Later(Deferred):
    """A node of a CRD's schema, converted when something first looks at it: the subset check
    looks at the few nodes a custom resource uses, and only compiling needs them all."""

    __slots__ = ("converter", "node", "branch", "done")

    def __init__(self, converter: _Converter, node: Any, branch: bool) -> None:
        self.converter = converter
        self.node = node
        self.branch = branch
        self.done: dict[str, Any] | None = None

    def resolve(self) -> dict[str, Any]:
        if self.done is None:
            self.done = self.converter.shallow(self.node, branch=self.branch)
        return self.done


class _Converter:
    def __init__(self, strict: bool) -> None:
        self.strict = strict

    def convert(self, node: Any, *, branch: bool = False) -> dict[str, Any]:
        """One openAPIV3Schema node as JSON Schema, all the way down."""
        return materialize(self.shallow(node, branch=branch))

    def shallow(self, node: Any, *, branch: bool = False) -> dict[str, Any]:
        """One openAPIV3Schema node as JSON Schema, its subschemas converted when first
        resolved (_Later); `branch` inside anyOf/oneOf/allOf/not."""
        if not isinstance(node, dict):
            return {}
        out: dict[str, Any] = {}
        declared = node.get("type")
        types: list[str] = []
        if node.get("x-kubernetes-int-or-string") is True:
            types = ["integer", "string"]
        elif isinstance(declared, str) and declared in _TYPES:
            types = [declared]
        nullable = node.get("nullable") is True
        if types:
            out["type"] = types + ["null"] if nullable else (types[0] if len(types) == 1 else types)
        self._copy_constraints(node, out, nullable)
        properties = node.get("properties")
        if isinstance(properties, dict):
            out["properties"] = {k: _Later(self, v, branch) for k, v in properties.items() if isinstance(k, str)}
        if node.get("x-kubernetes-embedded-resource") is True and not branch:
            props = out.setdefault("properties", {})
            props.setdefault("apiVersion", {"type": "string"})
            props.setdefault("kind", {"type": "string"})
            props.setdefault("metadata", {"type": "object"})
        additional = node.get("additionalProperties")
        if isinstance(additional, bool):
            out["additionalProperties"] = additional
        elif isinstance(additional, dict):
            out["additionalProperties"] = _Later(self, additional, branch)
        elif (self.strict and not branch and node.get("x-kubernetes-preserve-unknown-fields") is not True
              and (types == ["object"] or (not types and isinstance(properties, dict)))):
            out["additionalProperties"] = False
        items = node.get("items")
        if isinstance(items, dict):
            out["items"] = _Later(self, items, branch)
        elif isinstance(items, list) and items:  # an empty prefixItems does not compile
            out["prefixItems"] = [_Later(self, i, branch) for i in items]
        if _BRANCH_KEYWORDS.isdisjoint(node):
            return out
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = node.get(keyword)
            if isinstance(branches, list) and branches:
                converted = [self.shallow(b, branch=True) for b in branches]
                if not (types == ["integer", "string"] and _only_int_or_string(converted)):
                    out[keyword] = converted
        negated = node.get("not")
        if isinstance(negated, dict):
            out["not"] = _Later(self, negated, True)
        return out

    @staticmethod
    def _copy_constraints(node: dict[str, Any], out: dict[str, Any], nullable: bool) -> None:
        if _CONSTRAINT_KEYWORDS.isdisjoint(node):
            return  # most nodes: a type, a description and properties
        for keyword in _NUMBER_KEYWORDS:
            if _is_number(node.get(keyword)):
                out[keyword] = node[keyword]
        if out.get("multipleOf") is not None and out["multipleOf"] <= 0:
            del out["multipleOf"]
        # OpenAPI 3.0 writes exclusiveMinimum: true beside minimum; JSON Schema wants the number.
        for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if node.get(exclusive) is True and bound in out:
                out[exclusive] = out.pop(bound)
        for keyword in _COUNT_KEYWORDS:
            if _is_count(node.get(keyword)):
                out[keyword] = node[keyword]
        if isinstance(node.get("pattern"), str):
            out["pattern"] = node["pattern"]
        if node.get("uniqueItems") is True:
            out["uniqueItems"] = True
        required = node.get("required")
        if isinstance(required, list) and all(isinstance(r, str) for r in required):
            # The API server applies defaults before it validates: a defaulted field is never
            # missing.
            props = node.get("properties")
            defaulted = {k for k, v in props.items() if isinstance(v, dict) and "default" in v} \
                if isinstance(props, dict) else set()
            if set(required) - defaulted:
                out["required"] = sorted(set(required) - defaulted)
        enum = node.get("enum")
        if isinstance(enum, list) and enum:
            out["enum"] = enum + [None] if nullable and None not in enum else list(enum)


def _only_int_or_string(branches: list[dict[str, Any]]) -> bool:
    """The anyOf [{type: integer}, {type: string}] that goes with x-kubernetes-int-or-string."""
    return all(set(b) <= {"type"} and b.get("type") in ("integer", "string") for b in branches)


def loose_object_meta(strict: bool, declared: Any = None) -> dict[str, Any]:
    """metadata of a custom resource: the fields of ObjectMeta with their simple types.

    Name constraints the CRD declares (Kubernetes only allows name and generateName there)
    are kept."""
    string = {"type": "string"}
    string_map = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
    props: dict[str, Any] = {name: dict(string) for name in _META_STRINGS}
    props.update({
        "labels": string_map, "annotations": string_map,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
        "generation": {"type": "integer"},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "creationTimestamp": {"type": ["string", "null"]},
        "deletionTimestamp": {"type": ["string", "null"]},
        "managedFields": {"type": "array"},
    })
    if isinstance(declared, dict) and isinstance(declared.get("properties"), dict):
        converter = _Converter(strict=False)
        for name in ("name", "generateName"):
            if isinstance(declared["properties"].get(name), dict):
                props[name] = {**converter.convert(declared["properties"][name]), "type": "string"}
    meta: dict[str, Any] = {"type": "object", "properties": props}
    if strict:
        meta["additionalProperties"] = False
    return meta


class PackedSchema(bytes):
    """A CRD's openAPIV3Schema in marshal's format, as worker processes send it.

    Why: a CRD is mostly its schema, and unpickling every CRD of a big tree in the main process
    cost more than linting the files that use them; most are never needed there. marshal
    writes plain data twice as fast as pickle, and only the schemas of kinds that some
    custom resource uses are ever read back (resource_schema)."""

    def load(self) -> Any:
        return marshal.loads(self)


def pack(obj: Any) -> Any:
    """A CRD object with its openAPIV3Schemas packed; everything else as it was."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if not isinstance(spec, dict):
        return obj
    light = dict(spec)
    validation = spec.get("validation")
    if isinstance(validation, dict) and "openAPIV3Schema" in validation:
        light["validation"] = _packed_schema(validation)
    versions = spec.get("versions")
    if isinstance(versions, list):
        light["versions"] = [
            {**item, "schema": _packed_schema(item["schema"])}
            if isinstance(item, dict) and isinstance(item.get("schema"), dict)
            and "openAPIV3Schema" in item["schema"] else item
            for item in versions]
    return {**obj, "spec": light}


def _packed_schema(holder: dict[str, Any]) -> dict[str, Any]:
    try:
        return {**holder, "openAPIV3Schema": PackedSchema(marshal.dumps(holder["openAPIV3Schema"]))}
    except ValueError:  # not plain data: cannot happen for parsed YAML, but stay correct
        return holder


def resource_schema(open_api: Any, strict: bool) -> dict[str, Any]:
    """The JSON Schema for a custom resource whose CRD gives `open_api` as its schema."""
    if isinstance(open_api, PackedSchema):
        open_api = open_api.load()
    if not isinstance(open_api, dict):
        return {"type": "object"}  # no schema: the API server accepts any fields
    root = _Converter(strict).shallow(open_api)
    root["type"] = "object"
    props = root.setdefault("properties", {})
    declared = open_api.get("properties")
    declared_meta = declared.get("metadata") if isinstance(declared, dict) else None
    props["apiVersion"] = {"type": "string"}
    props["kind"] = {"type": "string"}
    props["metadata"] = loose_object_meta(strict, declared_meta)
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return root


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def custom_kinds(doc: Document, strict: bool, origin_file: str | None = None) -> list[CustomKind]:
    """Every served version that a CRD document defines; [] for anything it cannot use."""
    obj = doc.obj
    if not isinstance(obj, dict) or doc.kind != "CustomResourceDefinition" or doc.api_version not in _CRD_API_VERSIONS:
        return []
    spec = obj.get("spec")
    group, kind = _get(spec, "group"), _get(spec, "names", "kind")
    if not isinstance(group, str) or not group or not isinstance(kind, str) or not kind:
        return []
    plural = _get(spec, "names", "plural")
    name = doc.name or (f"{plural}.{group}" if isinstance(plural, str) else f"{kind.lower()}.{group}")
    v1beta1 = doc.api_version == "apiextensions.k8s.io/v1beta1"
    # v1beta1 CRDs kept unknown fields unless they opted into pruning.
    keeps_unknown = _get(spec, "preserveUnknownFields") is True or (
        v1beta1 and _get(spec, "preserveUnknownFields") is not False)
    shared_schema = _get(spec, "validation", "openAPIV3Schema")
    shared_status = isinstance(_get(spec, "subresources", "status"), dict)
    versions = spec.get("versions") if isinstance(spec, dict) else None
    entries: list[tuple[str, Any, bool]] = []
    if isinstance(versions, list) and versions:
        for item in versions:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            if item.get("served") is False:
                continue
            open_api = _get(item, "schema", "openAPIV3Schema")
            status = isinstance(_get(item, "subresources", "status"), dict) or shared_status
            entries.append((item["name"], open_api if open_api is not None else shared_schema, status))
    elif isinstance(_get(spec, "version"), str):
        entries.append((spec["version"], shared_schema, shared_status))
    found: list[CustomKind] = []
    file = origin_file or doc.file
    for version, open_api, status in entries:
        build = functools.partial(resource_schema, open_api, strict and not keeps_unknown)
        origin = f"from CRD {name} in {file}"
        found.append(CustomKind(group, version, kind, name, file,
                                KindSchema(build, origin, custom=True, ignore_status=status, converted=True)))
    return found


def custom_kinds_of(documents: Iterable[Document], strict: bool) -> list[CustomKind]:
    found: list[CustomKind] = []
    for doc in documents:
        try:
            found.extend(custom_kinds(doc, strict))
        except Exception:  # a CRD kubelint cannot read is skipped, never fatal
            continue
    return found

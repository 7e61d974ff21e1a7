"""User schema directories (`--schema-dir`, config `schema-dir`).

Two kinds of content are understood:
- JSON schemas in the common catalog layout `{group}/{kind}_{version}.json`, lowercase kind
  (the datreeio/CRDs-catalog layout: `monitoring.coreos.com/prometheus_v1.json`). A schema
  without `$schema` is read as draft 4, which is what openapi2jsonschema-generated catalogs are;
- YAML files holding CustomResourceDefinitions, used like CRDs found in the linted input; a
  single such file (a CRD bundle) may be given instead of a directory.

Files are read only when a document needs them; the YAML files are scanned once, on the first
custom resource that no embedded schema or input CRD covers.
"""

from __future__ import annotations

import json
import os
from typing import Any

from kubelint.kube.groups import GROUP_PATTERN, KIND_PATTERN, VERSION_PATTERN, group_of
from kubelint.model import Document
from kubelint.schema.compiler import KindSchema
from kubelint.schema.crd import CustomKind, custom_kinds_of

_YAML_SUFFIXES = (".yaml", ".yml")
_MAX_BYTES = 64 * 1024 * 1024


class SchemaDirs:
    def __init__(self, directories: list[str], strict: bool) -> None:
        self.directories = list(directories)
        self.strict = strict
        self._json: dict[str, KindSchema | None] = {}
        self._crds: list[CustomKind] | None = None

    def json_schema(self, api_version: str, kind: str) -> KindSchema | None:
        """The catalog schema for apiVersion/kind from the first directory that has one."""
        group, version = group_of(api_version), api_version.rsplit("/", 1)[-1]
        if not (GROUP_PATTERN.fullmatch(group) and VERSION_PATTERN.fullmatch(version)
                and KIND_PATTERN.fullmatch(kind)):
            return None
        for directory in self.directories:
            path = os.path.join(directory, group, f"{kind.lower()}_{version}.json")
            if path not in self._json:
                self._json[path] = _load_json_schema(path) if os.path.isfile(path) else None
            if self._json[path] is not None:
                return self._json[path]
        return None

    def custom_kinds(self) -> list[CustomKind]:
        """Served versions of every CRD in the YAML files of the directories."""
        if self._crds is None:
            documents: list[Document] = []
            for directory in self.directories:
                for path in _yaml_files(directory):
                    documents.extend(_crd_documents(path))
            self._crds = custom_kinds_of(documents, self.strict)
        return self._crds


def _load_json_schema(path: str) -> KindSchema:
    origin = f"from schema dir {path}"
    try:
        with open(path, encoding="utf-8") as handle:
            schema: Any = json.load(handle)
    except (OSError, ValueError) as exc:
        return KindSchema({}, origin, custom=True, problem=f"cannot read {path}: {exc}")
    if not isinstance(schema, dict):
        return KindSchema({}, origin, custom=True, problem=f"{path} does not hold a JSON schema object")
    return KindSchema(schema, origin, custom=True, draft4="$schema" not in schema)


def _yaml_files(directory: str) -> list[str]:
    if os.path.isfile(directory):  # a CRD bundle named directly, whatever its suffix
        return [directory]
    found: list[str] = []
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(top, f) for f in sorted(files) if f.endswith(_YAML_SUFFIXES))
    return found


def _crd_documents(path: str) -> list[Document]:
    from kubelint.kube.lists import list_items
    from kubelint.parser import parse
    from kubelint.source import ReadError, read_bytes

    try:
        text = read_bytes(path, _MAX_BYTES).decode("utf-8-sig")
    except (OSError, ReadError, UnicodeDecodeError):
        return []
    if "CustomResourceDefinition" not in text:
        return []
    documents: list[Document] = []
    for doc in parse(text, path).documents:
        items = list_items(doc.obj)
        if items is not None:
            documents.extend(Document(path, doc.index, item, doc.positions, doc.span, ("items", i),
                                      doc.line_offset, doc.root)
                             for i, item in enumerate(items))
        else:
            documents.append(doc)
    return documents

"""The Kubernetes schemas that ship with kubernetes-validate, found and bundled per kind.

The data files are read by path (importing kubernetes_validate costs 0.2 s). A kind file
(`deployment-apps-v1.json`) refers to the shared `_definitions.json` (1.4 MB, ~20 ms to parse):
it is parsed once per process and only when a document needs a schema. Each kind becomes one
bundled schema holding only the definitions it reaches, patched (patches.py), and is compiled
once per process: caches are keyed by the schema directory, which names version and strictness.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kubelint import cache
from kubelint.kube.groups import KIND_PATTERN, VERSION_PATTERN, group_of

# The shipped schemas' directories and what they serve are Kubernetes facts (kube/versions.py).
from kubelint.kube.versions import GVK, definitions, read_json, schema_dirs, served_kinds, version_dir
from kubelint.schema.compiler import KindSchema

if TYPE_CHECKING:
    from kubelint.schema.patches import Localised

ENUMS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kube", "enums.yaml")
ENUMS_CODE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "enums.py")


@functools.cache
def _kind_files(directory: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(lowercase kind, version) → kind file names: `deployment-apps-v1.json`, `pod-v1.json`.

    Kept in the schema cache (keyed by the directory's own stamp, which changes when a file
    comes or goes): listing and sorting 800 names took each worker of a big run 10 ms."""
    try:
        index = cache.cached("kindfiles", [directory], functools.partial(_list_kind_files, directory))
    except OSError:
        return {}
    return {tuple(key.split("/", 1)): tuple(names) for key, names in index.items()}  # type: ignore[misc]


def _list_kind_files(directory: str) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for name in sorted(os.listdir(directory)):
        parts = name[:-5].split("-") if name.endswith(".json") else []
        if len(parts) >= 2:
            index.setdefault(f"{parts[0]}/{parts[-1]}", []).append(name)
    return index


@functools.cache
def _localised(directory: str) -> dict[str, Localised]:
    """Definitions of one directory already patched and localised, shared by every kind."""
    return {}


def clear_caches() -> None:
    """Forget every loaded and compiled schema: the next document starts cold."""
    for cached in (version_dir, _kind_files, definitions, _localised, served_kinds, kind_schema):
        cached.cache_clear()


@functools.cache
def _version_of(directory: str) -> tuple[int, int] | None:
    return next((version for (version, _), path in schema_dirs().items() if path == directory), None)


def _bundle_of(root: dict[str, Any], directory: str) -> dict[str, Any]:
    # Imported here: a run that finds the bundles in the schema cache never builds one.
    from kubelint.schema.enums import patches
    from kubelint.schema.patches import bundle

    return bundle(root, definitions(directory), _localised(directory), patches(_version_of(directory)))


def _candidates(directory: str, api_version: str, kind: str) -> Iterator[str]:
    """Kind files that may hold apiVersion/kind: names follow the Go package, not the group
    (internal.apiserver.k8s.io is `apiserverinternal`), so the tag inside decides. The usual
    name is tried first: listing the directory (800 files) is a one-file run's cost."""
    version = api_version.rsplit("/", 1)[-1]
    if not KIND_PATTERN.fullmatch(kind) or not VERSION_PATTERN.fullmatch(version):
        return
    group = group_of(api_version)
    usual = f"{kind.lower()}-{group.split('.')[0]}-{version}.json" if group else f"{kind.lower()}-{version}.json"
    if os.path.isfile(os.path.join(directory, usual)):
        yield usual
    for name in _kind_files(directory).get((kind.lower(), version), ()):
        if name != usual:
            yield name


@functools.cache
def kind_schema(directory: str, api_version: str, kind: str) -> KindSchema | None:
    """The bundled schema of a built-in apiVersion/kind, or None if this version has none.

    A kind file's group-version-kind tags are kept beside its bundle in the disk cache, so a
    run that finds the entry reads no JSON at all. (The entry is the file's, whatever kind was
    asked for: a misspelt kind leads to the same file, and its tags tell it apart.)"""
    wanted = {"group": group_of(api_version), "version": api_version.rsplit("/", 1)[-1], "kind": kind}
    for name in _candidates(directory, api_version, kind):
        path = os.path.join(directory, name)
        files = [path, os.path.join(directory, "_definitions.json"), ENUMS, ENUMS_CODE]
        try:
            found = cache.cached("bundles", files, functools.partial(_tagged_bundle, path, directory))
        except (OSError, ValueError):
            continue
        tags = found.get("tags") if isinstance(found, dict) else None
        if isinstance(tags, list) and any(isinstance(t, dict) and {k: t.get(k) for k in wanted} == wanted
                                          for t in tags):
            return KindSchema(found["bundle"], shipped=True)
    return None


def _tagged_bundle(path: str, directory: str) -> dict[str, Any] | None:
    """The kind file at `path` bundled, with its group-version-kind tags (None if it holds no
    schema)."""
    root = read_json(path)
    if not isinstance(root, dict):
        return None
    return {"tags": root.get(GVK), "bundle": _bundle_of(root, directory)}

"""Kustomize trees without rendering: which files are kustomize's own, which are patches, which
kustomizations are roots, and which labels kustomize adds to each file's selectors.

Linted as a bag of files, a Kustomize tree gives false errors: a transformer config
(`apiVersion: builtin`) "is not served", a file a configMapGenerator reads "is not a
manifest", a strategic-merge patch "has no selector" and its `$patch: delete` is an "unknown
field", a base Deployment whose selector comes from the overlay's `commonLabels` "has no
selector". `kustomize_files` reads the kustomizations among the files, in their directories
and above them, and the kustomizations those use, and says what each file is.

Rendering (`build`) and mapping a built field back to its line (`locate`) are in
kustomize_build.py and kustomize_map.py, re-exported here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from kubelint.kube.kustomize import (
    KUSTOMIZATION_NAMES,
    PATCH_DIRECTIVES,
    has_patch_directive,
    inline,
    is_patch_directive,
    named_as_patch,
    patch_paths,
)
from kubelint.lazypattern import LazyPattern
from kubelint.model import Record
from kubelint.project.files import first_object
from kubelint.source import real_path

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
_REMOTE = LazyPattern(r"^([a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)", re.IGNORECASE)


def is_kustomize_config(api_version: Any, kind: Any = None) -> bool:
    """A document kustomize reads and never emits: a Kustomization or Component, a transformer
    or generator config of the builtin plugins (`apiVersion: builtin`)."""
    if not isinstance(api_version, str):
        return False
    return api_version == "builtin" or api_version.split("/", 1)[0] == KUSTOMIZE_GROUP


def is_remote(entry: str) -> bool:
    """A resource kustomize would fetch (a git or http URL): kubelint never goes online."""
    return _REMOTE.match(entry.strip()) is not None


def find_kustomization(directory: str) -> str | None:
    """The kustomization file of a directory (kustomize's own order of names), or None."""
    for name in KUSTOMIZATION_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return None


# --------------------------------------------------------------------------------- one file

class Kustomization(Record):
    """What one kustomization file names, as real paths (inline entries name no file).

    A plain class with slots (model.Record), not a dataclass: every start-up imports this
    module, and a one-file run reads kustomizations without building any."""

    __slots__ = ("path", "directory", "obj", "resources", "subtrees", "patches", "own", "plugin_trees",
                 "selector_labels", "remote")

    def __init__(self, path: str, directory: str, obj: dict[str, Any], resources: list[str] | None = None,
                 subtrees: list[str] | None = None, patches: set[str] | None = None,
                 own: dict[str, str] | None = None, plugin_trees: list[str] | None = None,
                 selector_labels: dict[str, str] | None = None, remote: list[str] | None = None) -> None:
        self.path = path  # real path of the kustomization file
        self.directory = directory
        self.obj = obj
        self.resources: list[str] = [] if resources is None else resources  # files
        # directories used as resources/components
        self.subtrees: list[str] = [] if subtrees is None else subtrees
        self.patches: set[str] = set() if patches is None else patches
        self.own: dict[str, str] = {} if own is None else own  # file → the field that names it
        # directories of transformer configs
        self.plugin_trees: list[str] = [] if plugin_trees is None else plugin_trees
        self.selector_labels: dict[str, str] = {} if selector_labels is None else selector_labels
        self.remote: list[str] = [] if remote is None else remote  # resources kustomize would download

    @property
    def is_component(self) -> bool:
        return self.obj.get("kind") == "Component"


def read_kustomization(path: str) -> Kustomization | None:
    """The parsed kustomization at `path` (a file), or None when it holds no mapping."""
    obj = first_object(path)
    if not isinstance(obj, dict):
        return None
    real = real_path(path)
    directory = os.path.dirname(real)
    k = Kustomization(real, directory, obj)
    for key in ("resources", "bases", "components"):
        for entry in _strings(obj.get(key)):
            if is_remote(entry):
                k.remote.append(entry)
                continue
            target = os.path.normpath(os.path.join(directory, entry))
            (k.subtrees if os.path.isdir(target) else k.resources).append(target)
    k.patches = patch_paths(obj, directory)
    for key in ("configMapGenerator", "secretGenerator"):
        for generator in _dicts(obj.get(key)):
            for entry in _strings(generator.get("files")):
                source = entry.split("=", 1)[1] if "=" in entry else entry
                k.own[_join(directory, source)] = f"{key} files"
            for entry in [*_strings(generator.get("envs")), *_strings([generator.get("env")])]:
                k.own[_join(directory, entry)] = f"{key} envs"
    for entry in _strings(obj.get("configurations")):
        k.own[_join(directory, entry)] = "configurations"
    for entry in _strings(obj.get("crds")):
        k.own[_join(directory, entry)] = "crds"
    openapi = obj.get("openapi")
    for entry in _strings([openapi.get("path")] if isinstance(openapi, dict) else []):
        k.own[_join(directory, entry)] = "openapi"
    for entry in _strings([r.get("path") for r in _dicts(obj.get("replacements"))]):
        k.own[_join(directory, entry)] = "replacements"
    for chart in _dicts(obj.get("helmCharts")):
        if chart:
            for entry in [*_strings([chart.get("valuesFile")]), *_strings(chart.get("additionalValuesFiles"))]:
                k.own[_join(directory, entry)] = "helmCharts values"
    for key in ("transformers", "generators", "validators"):
        for entry in _strings(obj.get(key)):
            if inline(entry) or is_remote(entry):
                continue
            target = os.path.normpath(os.path.join(directory, entry))
            if os.path.isdir(target):
                k.plugin_trees.append(target)
            else:
                k.own[target] = key
    labels = obj.get("commonLabels")
    if isinstance(labels, dict):
        k.selector_labels.update({str(a): str(b) for a, b in labels.items()})
    for entry in _dicts(obj.get("labels")):
        if entry.get("includeSelectors") is True and isinstance(entry.get("pairs"), dict):
            k.selector_labels.update({str(a): str(b) for a, b in entry["pairs"].items()})
    return k


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip() and "\0" not in v]


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _join(directory: str, entry: str) -> str:
    return real_path(os.path.join(directory, entry.strip()))


# --------------------------------------------------------------------------------- a tree

class KustomizeInfo(Record):
    """What kustomize makes of a set of files. Files are named as they were given.

    - `own`: kustomize's own files, never objects (kustomizations, transformer and generator
      configs, files generators read, configurations, openapi, replacements sources), each
      with the reason, e.g. "configMapGenerator files of overlays/prod/kustomization.yaml";
    - `patches`: files a kustomization names as patches, and files named as patches
      (`*-patch.yaml`, applied by `kubectl patch` or a kustomization elsewhere): partial
      objects (what kube/kustomize.py `partial_files` says, from the same reading);
    - `roots`: directories of the root kustomizations (none of the others uses them as a
      resource or component), sorted: what `build` renders; named relative to the working
      directory, or absolute when every path was given absolute (so are `kustomizations`
      and the keys of `remote`);
    - `selector_labels`: for a file, the labels kustomize adds to its selectors
      (`commonLabels`, `labels` with `includeSelectors: true`) in some build that includes it;
    - `remote`: root directory → the remote resources its tree names (never built offline).

    A plain class with slots (model.Record), not a frozen dataclass, which every start-up
    made; nothing hashes one (its dicts made it unhashable anyway) or sets its fields.
    """

    __slots__ = ("own", "patches", "roots", "selector_labels", "kustomizations", "remote")

    def __init__(self, own: dict[str, str], patches: frozenset[str], roots: tuple[str, ...],
                 selector_labels: dict[str, dict[str, str]], kustomizations: tuple[str, ...] = (),
                 remote: dict[str, tuple[str, ...]] | None = None) -> None:
        self.own = own
        self.patches = patches
        self.roots = roots
        self.selector_labels = selector_labels
        self.kustomizations = kustomizations  # every kustomization file read, real paths
        self.remote: dict[str, tuple[str, ...]] = {} if remote is None else remote

    def is_own(self, path: str) -> bool:
        return path in self.own


def kustomize_files(paths: Iterable[str]) -> KustomizeInfo:
    """Read the kustomizations among `paths`, in their directories and above them, and every
    kustomization those use, and say what each of `paths` is to kustomize.

    A kustomization above the files counts, so that a pre-commit run on one patch still knows
    it is one; roots are chosen among the kustomizations found from the paths themselves."""
    given = [p for p in paths if p != "-"]
    real_of = {p: real_path(p) for p in given}
    by_real: dict[str, list[str]] = {}
    for path, real in real_of.items():
        by_real.setdefault(real, []).append(path)

    start: list[str] = []  # kustomization files found from the paths, in a stable order
    seen_dirs: set[str] = set()
    for path in sorted(given):
        real = real_of[path]
        if os.path.basename(real) in KUSTOMIZATION_NAMES and os.path.isfile(real):
            start.append(real)
        directory = real if os.path.isdir(real) else os.path.dirname(real)
        while directory not in seen_dirs:
            seen_dirs.add(directory)
            found = find_kustomization(directory)
            if found:
                start.append(real_path(found))
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent

    tree = _walk(sorted(set(start)))
    used: set[str] = set()
    for k in tree.values():
        for sub in [*k.subtrees, *k.plugin_trees]:
            found = find_kustomization(sub)
            if found:
                used.add(real_path(found))
    roots = sorted({k.directory for path, k in tree.items() if path in set(start) and path not in used
                    and not k.is_component})

    own_real: dict[str, str] = {}
    patches_real: set[str] = set()
    for k in tree.values():
        where = _shown(k.path, given)
        own_real.setdefault(k.path, "a kustomization")
        for path, why in k.own.items():
            own_real.setdefault(path, f"{why} of {where}")
        patches_real |= k.patches
        for sub in k.plugin_trees:  # a kustomization of transformer configs: its resources too
            found = find_kustomization(sub)
            plugin = tree.get(real_path(found)) if found else None
            for resource in plugin.resources if plugin else ():
                own_real.setdefault(real_path(resource), f"transformers of {where}")
    labels_real = _selector_labels(tree, roots)

    own = {p: own_real[r] for r, ps in by_real.items() if r in own_real for p in ps}
    patches = frozenset(p for r, ps in by_real.items() if r in patches_real for p in ps) \
        | {p for p in given if named_as_patch(p)}
    selector = {p: dict(sorted(labels_real[r].items())) for r, ps in by_real.items()
                if labels_real.get(r) for p in ps}
    remote = {k.directory: tuple(_remote_of(k, tree)) for k in tree.values() if k.directory in roots}
    absolute = bool(given) and all(os.path.isabs(p) for p in given)

    def style(real: str) -> str:
        return real if absolute else _shown(real, given)

    return KustomizeInfo(own, patches, tuple(style(r) for r in roots), selector, tuple(style(k) for k in sorted(tree)),
                         {style(d): r for d, r in remote.items() if r})


def _walk(start: list[str]) -> dict[str, Kustomization]:
    """Every kustomization reachable from `start` by resources, components and plugin trees."""
    tree: dict[str, Kustomization] = {}
    pending = list(reversed(start))
    while pending:
        path = pending.pop()
        if path in tree:
            continue
        k = read_kustomization(path)
        if k is None:
            continue
        tree[path] = k
        for sub in [*k.subtrees, *k.plugin_trees]:
            found = find_kustomization(sub)
            if found and real_path(found) not in tree:
                pending.append(real_path(found))
    return tree


def _children(k: Kustomization, tree: dict[str, Kustomization]) -> Iterator[Kustomization]:
    for sub in k.subtrees:
        found = find_kustomization(sub)
        child = tree.get(real_path(found)) if found else None
        if child is not None:
            yield child


def _selector_labels(tree: dict[str, Kustomization], roots: list[str]) -> dict[str, dict[str, str]]:
    """For each resource file, the selector labels of the kustomizations that include it."""
    out: dict[str, dict[str, str]] = {}
    by_dir = {k.directory: k for k in tree.values()}
    stack: list[tuple[Kustomization, dict[str, str], frozenset[str]]] = [
        (by_dir[r], {}, frozenset()) for r in roots if r in by_dir]
    # kustomizations no root reaches (a base linted alone) give their own labels too
    stack += [(k, {}, frozenset()) for k in tree.values() if k.directory not in roots]
    while stack:
        k, inherited, path = stack.pop()
        if k.path in path:
            continue  # a cycle: kustomize refuses it, and so does this walk
        labels = {**k.selector_labels, **inherited}  # an outer kustomization wins
        for resource in k.resources:
            if labels:
                out.setdefault(real_path(resource), {}).update(labels)
        for child in _children(k, tree):
            stack.append((child, labels, path | {k.path}))
    return out


def _remote_of(root: Kustomization, tree: dict[str, Kustomization]) -> list[str]:
    found: list[str] = []
    stack, seen = [root], set()
    while stack:
        k = stack.pop()
        if k.path in seen:
            continue
        seen.add(k.path)
        found.extend(k.remote)
        stack.extend(_children(k, tree))
    return sorted(set(found))


def tree_files(root: str) -> list[str]:
    """Every local file a build of `root` reads (kustomizations, resources, patches, generator
    inputs): what its rendering's cache key covers."""
    start = find_kustomization(root)
    if start is None:
        return []
    tree = _walk([real_path(start)])
    files: set[str] = set()
    for k in tree.values():
        files.add(k.path)
        files.update(real_path(r) for r in k.resources)
        files.update(k.patches)
        files.update(k.own)
    return sorted(f for f in files if os.path.isfile(f))


def _shown(real: str, given: list[str]) -> str:
    """A real path as the user would read it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(real)
    except ValueError:
        return real
    return relative


# Building and mapping back, re-exported here; imported when first asked for: a one-file run
# reads kustomizations but builds nothing, and their dataclasses cost start-up time.
_ELSEWHERE = {
    **dict.fromkeys(("BuildError", "BuildResult", "BuiltObject", "Origin", "Transformation", "build",
                     "find_kustomize"), "kubelint.project.kustomize_build"),
    **dict.fromkeys(("Location", "locate"), "kubelint.project.kustomize_map"),
}


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [  # and, through __getattr__, the names of _ELSEWHERE
    "KUSTOMIZATION_NAMES", "PATCH_DIRECTIVES", "KustomizeInfo", "Kustomization", "find_kustomization",
    "has_patch_directive", "is_kustomize_config", "is_patch_directive", "kustomize_files", "patch_paths",
    "read_kustomization", "tree_files",
]

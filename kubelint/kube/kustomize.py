"""Kustomize patches: files a kustomization names as patches hold partial objects by design.

`overlays/prod/replicas.yaml` with only `spec.replicas: 5` is a strategic-merge patch; linted
as a whole Deployment it would be missing its selector and template. kubelint validates the
fields a patch sets and never what it leaves out. The kustomizations looked at are those
among the linted files and those in the directories of the linted files and above them, so
that a pre-commit run on the patch alone still knows it is one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from kubelint.lazypattern import LazyPattern

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# The kustomization fields that name patch files, and how each entry names its file.
_PATCH_FIELDS = ("patches", "patchesStrategicMerge", "patchesJson6902")
# Strategic-merge patch directives (k8s.io/apimachinery/pkg/util/strategicpatch): a key that
# is one of these is an instruction to the merge, never a field of the object.
PATCH_DIRECTIVES = ("$patch", "$retainKeys", "$setElementOrder/", "$deleteFromPrimitiveList/")
PATCH_DIRECTIVE_PATTERN = r"^\$(patch|retainKeys)$|^\$(setElementOrder|deleteFromPrimitiveList)/."
_DIRECTIVE = LazyPattern(PATCH_DIRECTIVE_PATTERN)


def is_patch_directive(key: Any) -> bool:
    """Whether a mapping key is a strategic-merge directive (`$patch`, `$setElementOrder/x`, …)."""
    return isinstance(key, str) and key.startswith("$") and _DIRECTIVE.match(key) is not None


def has_patch_directive(obj: Any, limit: int = 100_000) -> bool:
    """Whether a document holds a strategic-merge directive anywhere. Such a document is a
    patch wherever it lives (no API server accepts `$patch`), so it is partial by design."""
    stack = [obj]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.startswith("$") and _DIRECTIVE.match(key):
                    return True
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def patch_paths(kustomization: Any, directory: str) -> set[str]:
    """The real paths of the patch files a parsed kustomization names (inline patches have none)."""
    out: set[str] = set()
    if not isinstance(kustomization, dict):
        return out
    for key in _PATCH_FIELDS:
        entries = kustomization.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            path = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(path, str) and path.strip() and not inline(path):
                out.add(os.path.realpath(os.path.join(directory, path.strip())))
    return out


def inline(entry: str) -> bool:
    """Whether a kustomization entry is an inline patch or document rather than a file name
    (or no name a file could have)."""
    return "\n" in entry or "\0" in entry or entry.lstrip().startswith(("{", "["))


def _read(path: str) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None


_PATCH_NAME = re.compile(r"(^|[-_.])patch(es)?($|[-_.])", re.IGNORECASE)


def named_as_patch(path: str) -> bool:
    """A file named as a patch (`patch.json`, `replicas-patch.yaml`, `patch_resources.yaml`):
    such files are applied with `kubectl patch --patch-file` or by a kustomization outside the
    linted tree, and hold partial objects too."""
    stem = os.path.basename(path).rsplit(".", 1)[0]
    # kubebuilder's crd/patches/*.yaml: kept for a kustomization that lists them (often commented out)
    folder = os.path.basename(os.path.dirname(os.path.abspath(path))).lower()
    return _PATCH_NAME.search(stem) is not None or folder in ("patches", "patch")


def partial_files(files: Iterable[str]) -> frozenset[str]:
    """The linted files (as given) that some kustomization names as a patch, or that are
    named as patches."""
    files = [f for f in files if f != "-"]
    named = {f for f in files if named_as_patch(f)}
    directories: set[str] = set()
    # one realpath per directory, not per file: a tree has far fewer of them
    for given in {os.path.dirname(path) for path in files}:
        directory = os.path.realpath(given or ".")
        while directory not in directories:
            directories.add(directory)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    patches: set[str] = set()
    for directory in sorted(directories):
        for name in KUSTOMIZATION_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                patches |= patch_paths(_read(candidate), directory)
    if not patches:
        return frozenset(named)
    return frozenset(named | {f for f in files if os.path.realpath(f) in patches})

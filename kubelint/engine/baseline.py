"""A baseline: today's findings recorded, so that a legacy repository adopts kubelint at once
and only new findings are reported.

A finding is matched by file, object identity (apiVersion's group, kind, namespace, name),
rule and field path, never by line or message, so the baseline survives edits above a finding
and rewordings. In the field path, an item of a list that has a `name` (containers, ports,
volumes, env, …) is written by that name, `containers[name="web"]`, not by its index: inserting a
container before another must not bring the second one's findings back as new. Baselines written
before that, with indexes, are still read and matched by index. Several findings with the same identity are counted: if a file had two and now
has three, one is new. The file is JSON, sorted and stable, so it diffs well in review; it is
rewritten whole by `--write-baseline`, which drops entries that no longer match anything.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kubelint.errors import KubelintError
from kubelint.model import Finding, format_path

VERSION = 1
Key = tuple[str, str, str, str, str, str, str]


class BaselineError(KubelintError, ValueError):
    """A baseline file that cannot be read: a usage error (exit 2)."""


def _portable(path: str, base: str) -> str:
    """The finding's file relative to the baseline's directory, with `/`: the same key from
    any working directory and any platform."""
    if path.startswith("<"):  # <stdin>
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive on Windows
        relative = os.path.abspath(path)
    return relative.replace(os.sep, "/")


def key_of(finding: Finding, base: str, path: str | None = None) -> Key:
    """The finding's identity; `path` replaces its field path (the path with names)."""
    group = (finding.api_version or "").rpartition("/")[0] if finding.api_version else ""
    return (_portable(finding.file, base), finding.rule, group, finding.kind or "",
            finding.namespace or "", finding.name or "", finding.path if path is None else path)


# A rendered field path's parts: `.key` (or the first key), `["odd key"]`, `[3]`.
_PART = re.compile(r'\.?([A-Za-z0-9_][A-Za-z0-9_-]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]')


def _parts(path: str) -> list[str | int] | None:
    """The parts of a path as model.format_path renders it; None when it is not one."""
    out: list[str | int] = []
    position = 0
    while position < len(path):
        match = _PART.match(path, position)
        if match is None or match.end() == position:
            return None
        key, quoted, index = match.groups()
        if index is not None:
            out.append(int(index))
        elif quoted is not None:
            out.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            out.append(key)
        position = match.end()
    return out


def _item_name(items: list[Any], index: int) -> str | None:
    """The `name` of a list item when it names that item alone in its list."""
    item = items[index]
    name = item.get("name") if isinstance(item, dict) else None
    if not isinstance(name, str) or not name:
        return None
    same = sum(1 for other in items if isinstance(other, dict) and other.get("name") == name)
    return name if same == 1 else None


def named_path(path: str, obj: Any) -> str:
    """`path` with each index of a named list item replaced by the item's name.

    The path is walked in `obj` (the YAML document the finding is in); where it leaves the
    object, the rest of the path stays as written.
    """
    parts = _parts(path) if "[" in path else None
    if not parts or not any(type(p) is int for p in parts):
        return path
    out: list[str] = []
    node = obj
    for part in parts:
        if type(part) is int:
            name = _item_name(node, part) if isinstance(node, list) and 0 <= part < len(node) else None
            out.append(f"[name={json.dumps(name, ensure_ascii=False)}]" if name is not None else f"[{part}]")
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        else:
            out.append(format_path((part,)) if not out else format_path(("x", part))[1:])
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(out)


def named_paths(findings: Sequence[Finding]) -> list[str]:
    """Each finding's path with names for indexes, reading each finding's file once.

    The findings carry indexes only; the names are in the files, which are read again (only
    files with a finding inside a list, each once). A file that cannot be read, or whose
    document no longer holds the finding's object, keeps the indexes.
    """
    out = [f.path for f in findings]
    by_file: dict[str, list[int]] = {}
    for n, finding in enumerate(findings):
        if "[" in finding.path and finding.document is not None and not finding.file.startswith("<"):
            by_file.setdefault(finding.file, []).append(n)
    for file in sorted(by_file):
        objects = _documents(file)
        for n in by_file[file]:
            finding = findings[n]
            obj = objects.get(finding.document)  # type: ignore[arg-type]
            if obj is not None and _holds(obj, finding):
                out[n] = named_path(finding.path, obj)
    return out


def _documents(file: str) -> dict[int, Any]:
    """The objects of a file's YAML documents by index; none when it cannot be read."""
    from kubelint.source import load_path

    try:
        return {doc.index: doc.obj for doc in load_path(file).documents}
    except Exception:  # the lint reported whatever is wrong with the file
        return {}


def _holds(obj: Any, finding: Finding) -> bool:
    """Whether the document still holds the finding's object (an item of a List by its place)."""
    if not isinstance(obj, dict):
        return False
    parts = _parts(finding.path) or []
    if len(parts) >= 2 and parts[0] == "items" and type(parts[1]) is int and isinstance(obj.get("items"), list):
        items = obj["items"]
        obj = items[parts[1]] if 0 <= parts[1] < len(items) else None
        if not isinstance(obj, dict):
            return False
    kind = obj.get("kind")
    return not finding.kind or kind == finding.kind


_FIELDS = ("file", "rule", "group", "kind", "namespace", "name", "path")


@dataclass
class Baseline:
    base: str  # the directory the baseline's paths are relative to
    counts: Counter[Key] = field(default_factory=Counter)

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise BaselineError(f"baseline file not found: {path} (write one with --write-baseline {path})") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"{path}: not a kubelint baseline: {exc}") from None
        entries = data.get("findings") if isinstance(data, dict) else None
        if not isinstance(entries, list) or data.get("version") != VERSION:
            raise BaselineError(f"{path}: not a kubelint baseline (version {VERSION} with a `findings` list)")
        baseline = cls(os.path.dirname(os.path.abspath(path)))
        for entry in entries:
            if not isinstance(entry, dict):
                raise BaselineError(f"{path}: every entry of `findings` is an object")
            key = tuple(str(entry.get(name) or "") for name in _FIELDS)
            count = entry.get("count", 1)
            baseline.counts[key] += count if isinstance(count, int) and count > 0 else 1  # type: ignore[index]
        return baseline

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings the baseline knows), in the order given.

        A finding matches an entry by its path with names first, then (a baseline written
        before names were recorded) by its path with indexes.
        """
        findings = list(findings)
        left = Counter(self.counts)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding, path in zip(findings, named_paths(findings), strict=True):
            if finding.rule == "internal-error":
                new.append(finding)
                continue
            key = key_of(finding, self.base, path)
            if left[key] <= 0 and path != finding.path:
                key = key_of(finding, self.base)
            if left[key] > 0:
                left[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known


def write(path: str, findings: Iterable[Finding]) -> int:
    """Record `findings` in `path` (sorted, stable); returns how many were recorded."""
    base = os.path.dirname(os.path.abspath(path))
    recorded = [f for f in findings if f.rule != "internal-error"]
    counts = Counter(key_of(f, base, named) for f, named in zip(recorded, named_paths(recorded), strict=True))
    entries = []
    for key in sorted(counts):
        entry = {name: value for name, value in zip(_FIELDS, key, strict=True) if value}
        if counts[key] > 1:
            entry["count"] = counts[key]
        entries.append(entry)
    text = json.dumps({"version": VERSION, "tool": "kubelint", "findings": entries}, indent=2,
                      ensure_ascii=False, sort_keys=True) + "\n"
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(temporary, path)
    return sum(counts.values())

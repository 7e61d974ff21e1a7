"""A baseline: today's findings recorded, so that a legacy repository adopts kubelint at once
and only new findings are reported.

A finding is matched by file, object identity (apiVersion's group, kind, namespace, name),
rule and field path, never by line or message, so the baseline survives edits above a finding
and rewordings. Several findings with the same identity are counted: if a file had two and now
has three, one is new. The file is JSON, sorted and stable, so it diffs well in review; it is
rewritten whole by `--write-baseline`, which drops entries that no longer match anything.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kubelint.errors import KubelintError
from kubelint.model import Finding

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


def key_of(finding: Finding, base: str) -> Key:
    group = (finding.api_version or "").rpartition("/")[0] if finding.api_version else ""
    return (_portable(finding.file, base), finding.rule, group, finding.kind or "",
            finding.namespace or "", finding.name or "", finding.path)


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
        """(new findings, findings the baseline knows), in the order given."""
        left = Counter(self.counts)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            if finding.rule == "internal-error":
                new.append(finding)
                continue
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
    counts = Counter(key_of(f, base) for f in findings if f.rule != "internal-error")
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

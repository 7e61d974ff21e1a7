"""Where a finding is, as CI services want it: repository-relative paths and stable fingerprints.

A fingerprint must survive a run on another day and a change of lines above the finding
(GitLab and code scanning match findings across commits by it), so it is made of what names
the problem, never of where it sits: the file, the object's identity, the rule, the field path.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from kubelint.model import Finding


def relative_path(file: str, root: str) -> str:
    """The path with forward slashes, relative to `root` when it lies under it."""
    path = file
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path, root)
        except ValueError:  # another drive (Windows)
            rel = path
        if not rel.startswith(".."):
            path = rel
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def identity(finding: Finding, root: str) -> str:
    obj = "/".join(part or "" for part in (finding.api_version, finding.kind, finding.namespace, finding.name))
    return "\x1f".join((relative_path(finding.file, root), obj, finding.rule, finding.path))


def fingerprints(findings: Sequence[Finding], root: str) -> list[str]:
    """One fingerprint per finding, in order; findings with the same identity (two schema
    errors at one field) are told apart by their rank among those, which is stable because
    findings are sorted."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        key = identity(finding, root)
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        out.append(hashlib.sha256(f"{key}\x1f{rank}".encode()).hexdigest()[:32])
    return out

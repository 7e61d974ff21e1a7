"""Options: everything that changes what a run reports.

The config file and the CLI flags fill them (config.py); the engine reads them. They sit
below config, selection and the runner, so that none of those imports another for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubelint.kube.versions import default_version
from kubelint.source import DEFAULT_MAX_BYTES


@dataclass
class Options:
    """Everything that changes what a run reports; the config file and CLI flags fill it."""

    kubernetes_version: tuple[int, int] = field(default_factory=default_version)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → {enabled, severity}
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_BYTES
    strict: bool = True
    schema_dirs: list[str] = field(default_factory=list)
    jobs: int | None = None
    schema_only: bool = False  # only the input and schema rules: what kubeconform does
    # Rule selection for one run, over the config's `rules:`: ids or categories.
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)  # just these (and the input rules)
    profile: str | None = None  # baseline | restricted: the Pod Security Standards rules
    # The namespace of objects that name none, for the run-wide rules (as `kubectl -n`).
    namespace: str = "default"
    rules_dirs: list[str] = field(default_factory=list)  # a team's own rule files
    # `ignore:` entries of the config: {paths, kinds, namespaces, names, rules, reason, place}
    ignores: list[dict[str, Any]] = field(default_factory=list)
    baseline: str | None = None  # a baseline file: its findings are not reported again
    report_unused_suppressions: bool = False

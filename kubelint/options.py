"""Options: everything that changes what a run reports.

The config file and the CLI flags fill them (config.py); the engine reads them. They sit
below config, selection and the runner, so that none of those imports another for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubelint.kube.versions import default_version
from kubelint.model import FieldMethods
from kubelint.source import DEFAULT_MAX_BYTES


@dataclass(init=False, eq=False, repr=False)
class Options(FieldMethods):
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
    # Helm charts and Kustomize roots: rendered where helm / kustomize are at hand ("auto"), or
    # never ("off": their files are linted one by one; a chart's templates are skipped).
    render: str = "auto"
    helm_values: list[str] = field(default_factory=list)  # --values files, later ones win
    helm_set: list[str] = field(default_factory=list)  # --set key=value
    release_name: str = "release-name"  # as `helm template` names the release by default
    # Keep each file's outcome in the result cache (kubelint/resultcache.py) and reuse it when
    # nothing that changes it has changed; KUBELINT_NO_CACHE=1 turns it off too.
    cache: bool = True

    def __init__(self, kubernetes_version: tuple[int, int] | str | None = None,
                 rules: dict[str, dict[str, Any]] | None = None, exclude: list[str] | None = None,
                 max_file_size: int = DEFAULT_MAX_BYTES, strict: bool = True, schema_dirs: list[str] | None = None,
                 jobs: int | None = None, schema_only: bool = False, enable: list[str] | None = None,
                 disable: list[str] | None = None, only: list[str] | None = None, profile: str | None = None,
                 namespace: str = "default", rules_dirs: list[str] | None = None,
                 ignores: list[dict[str, Any]] | None = None, baseline: str | None = None,
                 report_unused_suppressions: bool = False, render: str = "auto",
                 helm_values: list[str] | None = None, helm_set: list[str] | None = None,
                 release_name: str = "release-name", cache: bool = True) -> None:
        """Written out, not generated (see model.FieldMethods); None stands for a field's
        default (the default version, a new empty list or mapping)."""
        self.kubernetes_version = default_version() if kubernetes_version is None else kubernetes_version  # type: ignore[assignment]
        self.rules = {} if rules is None else rules
        self.exclude = [] if exclude is None else exclude
        self.max_file_size = max_file_size
        self.strict = strict
        self.schema_dirs = [] if schema_dirs is None else schema_dirs
        self.jobs = jobs
        self.schema_only = schema_only
        self.enable = [] if enable is None else enable
        self.disable = [] if disable is None else disable
        self.only = [] if only is None else only
        self.profile = profile
        self.namespace = namespace
        self.rules_dirs = [] if rules_dirs is None else rules_dirs
        self.ignores = [] if ignores is None else ignores
        self.baseline = baseline
        self.report_unused_suppressions = report_unused_suppressions
        self.render = render
        self.helm_values = [] if helm_values is None else helm_values
        self.helm_set = [] if helm_set is None else helm_set
        self.release_name = release_name
        self.cache = cache
        self.__post_init__()

    def __post_init__(self) -> None:
        """Parse what has one written form (a version string) and refuse what cannot work, by
        field name: a wrong Options is the caller's mistake, not a finding of every file."""
        version = self.kubernetes_version
        if isinstance(version, str):
            from kubelint.kube.versions import parse_version

            try:
                self.kubernetes_version = parse_version(version)
            except ValueError as exc:
                raise ValueError(f"Options.kubernetes_version: {exc}") from None
        elif not (isinstance(version, tuple) and len(version) == 2 and all(isinstance(p, int) for p in version)):
            raise ValueError(f"Options.kubernetes_version: expected a version such as \"1.30\" or (1, 30), "
                             f"not {version!r}")
        for name in ("exclude", "schema_dirs", "enable", "disable", "only", "rules_dirs", "helm_values", "helm_set"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(
                    isinstance(v, str) for v in value):
                raise ValueError(f"Options.{name}: expected a list of strings, not {value!r}")
            setattr(self, name, list(value))
        for name in ("strict", "schema_only", "report_unused_suppressions", "cache"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Options.{name}: expected true or false, not {getattr(self, name)!r}")
        if self.jobs is not None and (not isinstance(self.jobs, int) or isinstance(self.jobs, bool) or self.jobs < 1):
            raise ValueError(f"Options.jobs: expected a whole number of at least 1, not {self.jobs!r}")
        if not isinstance(self.max_file_size, int) or isinstance(self.max_file_size, bool) or self.max_file_size < 1:
            raise ValueError(f"Options.max_file_size: expected a positive number of bytes, not {self.max_file_size!r}")
        if self.profile not in (None, "baseline", "restricted"):
            raise ValueError(f"Options.profile: unknown profile {self.profile!r}; choose baseline or restricted")
        if self.render not in ("auto", "off"):
            raise ValueError(f"Options.render: expected auto or off, not {self.render!r}")
        if not isinstance(self.release_name, str) or not self.release_name:
            raise ValueError(f"Options.release_name: expected a release name, not {self.release_name!r}")
        if not isinstance(self.namespace, str) or not self.namespace:
            raise ValueError(f"Options.namespace: expected a namespace name, not {self.namespace!r}")

"""The one table of kubelint's settings: config key, command-line flag, kind and merge policy.

Why a table: a setting used to be written three times (the config reader, the flags and
Options) and merged by hand in a fourth place, so adding one touched eight. Now the config
reader reads each key by its row, the CLI hands its flags over by the row's name, and
`merge` combines them the same way for every setting. Rules (`rules:`, `enable:`,
`disable:`) and `ignore:` entries are read by the config reader, which knows rule ids and
positions; everything else is plain data here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from kubelint.model import Record
from kubelint.source import real_path

# The names of the config file, found from each linted file upward.
CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")


def config_in(directory: str) -> str | None:
    """The config file of `directory` itself, if it has one."""
    for name in CONFIG_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def nearest_config(start: str) -> str | None:
    """The nearest .kubelint.yaml at or above `start` (a directory, or a file's directory)."""
    directory = real_path(start)  # a symlink loop stays as written: its directory is searched
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        found = config_in(directory)
        if found:
            return found
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent

Kind = Literal["version", "string", "strings", "paths", "path", "bool", "int", "level"]
# replace: the flag wins over the config, which wins over the default;
# extend:  the config's list, then the flag's;
# flag:    only a flag (or the library caller) sets it.
Merge = Literal["replace", "extend", "flag"]


class Setting(Record):
    """One row of the table. A plain class with slots (model.Record), not a frozen dataclass:
    every start-up imports this module, and nothing hashes a row or sets its fields."""

    __slots__ = ("name", "key", "flag", "kind", "merge", "per_run")

    def __init__(self, name: str, key: str | None, flag: str | None, kind: Kind, merge: Merge = "replace",
                 per_run: bool = False) -> None:
        self.name = name  # the Options field (or the run's, for per-run settings)
        self.key = key  # the .kubelint.yaml key; None: no config key
        self.flag = flag  # the command-line flag; None: config only
        self.kind = kind
        self.merge = merge
        # Per run, not per file: read from the config nearest the working directory or the flags,
        # never from the configs of the files (output format, jobs, the fail level).
        self.per_run = per_run


SETTINGS: tuple[Setting, ...] = (
    Setting("kubernetes_version", "kubernetes-version", "--kubernetes-version", "version"),
    Setting("fail_on", "fail-on", "--fail-on", "level", per_run=True),
    Setting("exclude", "exclude", "--exclude", "strings", "extend"),
    Setting("strict", "strict", "--strict", "bool"),
    Setting("schema_dirs", "schema-dir", "--schema-dir", "paths", "extend"),
    Setting("max_file_size", "max-file-size", None, "int"),
    Setting("profile", "profile", "--profile", "string"),
    Setting("baseline", "baseline", "--baseline", "path"),
    Setting("report_unused_suppressions", "report-unused-suppressions", "--report-unused-suppressions", "bool"),
    Setting("rules_dirs", "rules-dir", "--rules-dir", "paths", "extend"),
    Setting("namespace", "namespace", "--namespace", "string"),
    Setting("render", "render", "--no-render", "string"),
    Setting("cache", "cache", "--no-cache", "bool"),
    Setting("helm_values", "helm.values", "--values", "paths", "extend"),
    Setting("helm_set", "helm.set", "--set", "strings", "extend"),
    Setting("release_name", "helm.release-name", "--release-name", "string"),
    Setting("jobs", None, "--jobs", "int", "flag", per_run=True),
    Setting("schema_only", None, "--schema-only", "bool", "flag"),
    Setting("enable", None, "--enable", "strings", "flag"),
    Setting("disable", None, "--disable", "strings", "flag"),
    Setting("only", None, "--only", "strings", "flag"),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS if s.key}


def merged(defaults: Mapping[str, Any], config: Mapping[str, Any], flags: Mapping[str, Any]) -> dict[str, Any]:
    """Each setting's value: the defaults, then the config's, then the flags', by its merge policy.

    A flag of None (or an empty list) was not given. Names not in the table are refused, so a
    caller cannot set what nobody reads.
    """
    for name in (*config, *flags):
        if name not in BY_NAME:
            raise KeyError(f"unknown setting {name!r}")
    out = dict(defaults)
    for setting in SETTINGS:
        name = setting.name
        said = flags.get(name)
        given = said is not None and said != []
        if setting.merge == "extend":
            out[name] = [*out.get(name, []), *config.get(name, []), *(said or [])]
        elif given:
            out[name] = said
        elif setting.merge != "flag" and config.get(name) is not None:
            out[name] = config[name]
    return out


def config_keys() -> Iterable[str]:
    return BY_KEY.keys()

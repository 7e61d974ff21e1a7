"""Find, load and validate `.kubelint.yaml`, and merge it with what the caller says.

The CLI and the library resolve configuration here, the same way, so that an editor calling
`kubelint.lint_paths()` gets what `kubelint check` reports. The config is parsed with kubelint's
own YAML reader so that every mistake is reported at the line of the key or value at fault,
validated against schemas/config.schema.json, and explained in plain words with a did-you-mean.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kubelint.errors import KubelintError
from kubelint.model import Document, Record
from kubelint.resources import data_dir
from kubelint.settings import nearest_config

if TYPE_CHECKING:
    from kubelint.engine.rules import Rule
    from kubelint.options import Options


FAIL_LEVELS = ("error", "warning", "info", "never")
STDIN = "-"
# Words people write for a setting, and the setting they mean (`image-tag: disabled`).
_VALUE_ALIASES = {
    "disabled": "off", "disable": "off", "false": "off", "no": "off", "none": "never",
    "enabled": "on", "enable": "on", "true": "on", "yes": "on",
    "warn": "warning", "warnings": "warning", "errors": "error", "err": "error", "infos": "info",
}


class ConfigError(KubelintError):
    """Configuration kubelint cannot use (a file, a flag or an option): exit 2 with this message.

    A message about a config file starts with `file:line:column`.
    """


# Config, Overrides and Settings are plain classes with slots (model.Record: a dataclass's
# equality and repr), not dataclasses, which every start-up made.


class Config(Record):
    """One config file, read: each setting's value by its name in kubelint/settings.py, the
    rules it turns on, off or tunes, and its `ignore:` entries."""

    __slots__ = ("path", "values", "rules", "ignores")

    def __init__(self, path: str | None = None, values: dict[str, Any] | None = None,
                 rules: dict[str, dict[str, Any]] | None = None, ignores: list[dict[str, Any]] | None = None) -> None:
        self.path = path
        self.values: dict[str, Any] = {} if values is None else values
        self.rules: dict[str, dict[str, Any]] = {} if rules is None else rules
        self.ignores: list[dict[str, Any]] = [] if ignores is None else ignores

    @property
    def fail_on(self) -> str | None:
        return self.values.get("fail_on")

    @property
    def rules_dirs(self) -> list[str]:
        return list(self.values.get("rules_dirs") or [])


class Overrides(Record):
    """What the caller says explicitly: `flags` by setting name (kubelint/settings.py); None or
    an empty list is not said. `config_path` names the config instead of searching for one."""

    __slots__ = ("config_path", "flags")

    def __init__(self, config_path: str | None = None, flags: dict[str, Any] | None = None) -> None:
        self.config_path = config_path
        self.flags: dict[str, Any] = {} if flags is None else flags
        from kubelint.settings import BY_NAME

        unknown = sorted(set(self.flags) - set(BY_NAME))
        if unknown:
            raise TypeError(f"Overrides: unknown settings {', '.join(unknown)}")


class Settings(Record):
    """A resolved run: the config of its per-run settings (if any), its Options, the fail
    level, and how each project's Options are made from the project's own config."""

    __slots__ = ("config", "options", "fail_on", "options_for")

    def __init__(self, config: Config | None, options: Options, fail_on: str = "error",
                 options_for: Callable[[str | None], Options] | None = None) -> None:
        self.config = config
        self.options = options
        self.fail_on = fail_on
        # config path (None: no config) → that project's Options; None when one config is named
        # for the whole run (--config)
        self.options_for = options_for


# ---------------------------------------------------------------------------------- discovery


def find_config(start: str | None = None) -> str | None:
    """The nearest .kubelint.yaml from `start` (a directory or a file; default: the current
    directory) upward."""
    return nearest_config(start or os.getcwd())


def find_config_for(paths: Sequence[str], stdin_filename: str | None = None) -> str | None:
    """The config of the run's per-run settings (the fail level; the jobs): the nearest one to
    the working directory, else the one config that every linted path finds upward.

    Each project of the run applies its own nearest config to its files (see `Settings.options_for`);
    this one only decides what is decided once per run."""
    here = find_config()
    if here is not None:
        return here
    found: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            if not stdin_filename:
                continue
            # The buffer's file may not exist yet: start from its directory (or above it).
            start = os.path.dirname(os.path.abspath(stdin_filename))
        elif os.path.lexists(raw):
            start = raw
        else:
            continue
        config = find_config(start)
        if config is not None:
            found.add(config)
    return next(iter(found)) if len(found) == 1 else None


# ------------------------------------------------------------------------------------ loading


@functools.cache
def _schema() -> dict[str, Any]:
    import json  # here: a run without a config file never imports it

    with open(data_dir("schemas") / "config.schema.json", encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def load_config(path: str, rules: dict[str, Rule] | None = None) -> Config:
    """Read, validate and normalise a config file; `rules` (default: the built-in ones and the
    file's rules-dir) are what rule ids, categories and parameters are checked against.

    Every mistake is reported at once, in the order of the file: schema errors, unknown rule
    ids, bad parameters and missing directories alike (three typos should not take three runs).
    """
    from kubelint.parser import parse

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    parsed = parse(text, path)
    if parsed.problems:
        problem = parsed.problems[0]
        raise ConfigError(f"{path}:{problem.span.line}:{problem.span.column}: {problem.message}")
    if not parsed.documents or parsed.documents[0].obj is None:
        return Config(path=path)
    doc = parsed.documents[0]
    data = doc.obj
    reader = _Reader(path, doc, text)
    reader.validate(_schema(), data, ())
    rules_dirs = reader.rules_dirs(data)
    if rules is None:
        from kubelint.engine.rules import RuleError, all_rules

        try:
            rules = all_rules(rules_dirs)
        except RuleError as exc:
            reader.raise_collected()
            raise ConfigError(str(exc)) from None
    config = reader.config(data, rules)
    config.values["rules_dirs"] = rules_dirs
    reader.raise_collected()
    return config


def _shown_path(path: str) -> str:
    """The config file as a finding names it: relative to the current directory when it is below
    it, as the linted files are shown, so SARIF and GitLab reports (which want paths relative to
    the repository) can place an `unused-suppression` in it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative == ".." or relative.startswith(".." + os.sep) else relative


def _position(message: str) -> tuple[int, int, str]:
    """`file:line:column: …` → (line, column) for sorting messages in the order of the file."""
    parts = message.split(":", 3)
    try:
        return int(parts[1]), int(parts[2]), message
    except (IndexError, ValueError):
        return 0, 0, message


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class _Reader:
    """One config file being read: turns its data into a Config, each mistake at its line."""

    def __init__(self, path: str, doc: Document, text: str) -> None:
        self.path = path
        self.doc = doc
        self.lines = text.splitlines()
        self.base = os.path.dirname(os.path.abspath(path))
        self.errors: list[str] = []  # every mistake found, reported together
        self.bad_keys: set[Any] = set()  # top-level keys the schema refused: not read further

    def raise_collected(self) -> None:
        if not self.errors:
            return
        explained = sorted(set(self.errors), key=_position)
        raise ConfigError("\n".join(explained[:10]) + (f"\n(and {len(explained) - 10} more)"
                                                       if len(explained) > 10 else ""))

    def error(self, where: tuple[Any, ...], message: str, at: str = "value") -> ConfigError:
        span, _ = self.doc.locate(where, at)
        return ConfigError(f"{self.path}:{span.line}:{span.column}: {message}")

    def raw_text(self, where: tuple[Any, ...]) -> str | None:
        """The scalar at `where` as written: `1.30` stays `1.30`, which YAML reads as 1.3."""
        pos = self.doc.node(where)
        if pos is None or pos.value.line != pos.value.end_line or pos.value.line > len(self.lines):
            return None
        line = self.lines[pos.value.line - 1]
        return line[pos.value.column - 1: pos.value.end_column - 1].strip().strip("'\"") or None

    # ----------------------------------------------------------------------------- validation

    def validate(self, schema: dict[str, Any], data: Any, prefix: tuple[Any, ...]) -> None:
        """Every mistake of `data`, in kubelint/schemawords.py's words (the rule loader's too)."""
        import jsonschema_rs

        from kubelint.schemawords import explain_all

        validator = jsonschema_rs.validator_for(schema)
        for item in explain_all(schema, data, prefix, whole="the config", aliases=_VALUE_ALIASES,
                                validator=validator):
            self.errors.append(str(self.error(item.path, item.message, item.at)))
        for error in validator.iter_errors(data):
            where = prefix + tuple(error.instance_path)
            if where:
                self.bad_keys.add(where[0])
            elif type(error.kind).__name__ == "AdditionalProperties":
                self.bad_keys.update(error.kind.unexpected)

    # -------------------------------------------------------------------------- normalising

    def config(self, data: Any, rules: dict[str, Rule]) -> Config:
        """Each setting by its row in kubelint/settings.py, then the rules and ignore entries."""
        from kubelint.settings import SETTINGS

        config = Config(path=self.path)
        if not isinstance(data, dict):
            return config
        for setting in SETTINGS:
            key = setting.key
            if key is None or key.split(".")[0] in self.bad_keys or setting.name == "rules_dirs":
                continue
            section, _, sub = key.partition(".")  # `helm.values`: values under helm:
            raw = data.get(section) if not sub else (data.get(section) or {}).get(sub)
            if raw is None:
                continue
            value = self.value(setting.kind, key, raw)
            if value is not None:
                config.values[setting.name] = value
        if "ignore" not in self.bad_keys:
            config.ignores = self.ignores(data)
        for key, enabled in (("enable", True), ("disable", False)):
            if key in self.bad_keys:
                continue
            for index, name in enumerate(_as_list(data.get(key))):
                where = (key, index) if isinstance(data.get(key), list) else (key,)
                for rule_id in sorted(self.selection(name, rules, key, where)):
                    config.rules[rule_id] = {"enabled": enabled}
        raw_rules = data.get("rules") if isinstance(data.get("rules"), dict) else {}
        for rule_id, value in raw_rules.items():
            if rule_id not in rules:
                from kubelint.suggest import closest

                guess = closest(rule_id, rules)
                hint = f"; did you mean `{guess}`?" if guess else "; `kubelint rules` lists them"
                self.errors.append(str(self.error(("rules", rule_id), f"unknown rule `{rule_id}`{hint}", "key")))
                continue
            if ("rules" in self.bad_keys and not isinstance(value, (str, bool, dict))) or (
                    isinstance(value, str) and value not in ("on", "off", "error", "warning", "info")):
                continue  # the schema error says what is wrong with it
            setting = _normalise_rule(value)
            if "params" in setting:
                self.check_params(rules[rule_id], setting["params"])
            config.rules[rule_id] = {**config.rules.get(rule_id, {}), **setting}
        return config

    def value(self, kind: str, key: str, raw: Any) -> Any:
        """A setting's value as Options take it; a mistake is collected, and gives None."""
        if kind == "version":
            return self.version(raw)
        if kind == "strings":
            return _as_list(raw)
        if kind == "path":
            return os.path.join(self.base, raw) if isinstance(raw, str) else None
        if kind == "paths":
            out = []
            for index, directory in enumerate(_as_list(raw)):
                full = os.path.join(self.base, directory)
                if not os.path.exists(full):
                    where = (*key.split("."), index) if isinstance(raw, list) else tuple(key.split("."))
                    self.errors.append(str(self.error(where, f"{key}: no such directory or file: {directory} "
                                                      f"(relative to the config file's directory, {self.base})")))
                    continue
                out.append(full)
            return out
        return raw

    def rules_dirs(self, data: Any) -> list[str]:
        out = []
        value = data.get("rules-dir") if isinstance(data, dict) and "rules-dir" not in self.bad_keys else None
        for index, directory in enumerate(_as_list(value)):
            full = os.path.join(self.base, directory)
            if not os.path.isdir(full):
                where = ("rules-dir", index) if isinstance(value, list) else ("rules-dir",)
                self.errors.append(str(self.error(where, f"rules-dir: no such directory: {directory} "
                                                  f"(relative to the config file's directory, {self.base})")))
                continue
            out.append(full)
        return out

    def ignores(self, data: Any) -> list[dict[str, Any]]:
        """The `ignore:` entries, each with the place it is written (for unused-suppression)."""
        out = []
        for index, entry in enumerate(data.get("ignore") or []):
            item = {key: _as_list(entry.get(key)) for key in ("paths", "kinds", "namespaces", "names", "rules")}
            item["reason"] = entry.get("reason") or ""
            item["place"], _ = self.doc.locate(("ignore", index), "value")
            item["place_file"] = _shown_path(self.path)
            out.append(item)
        return out

    def version(self, value: Any) -> tuple[int, int] | None:
        from kubelint.kube.versions import parse_version

        text = str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = self.raw_text(("kubernetes-version",)) or text
        try:
            return parse_version(text)
        except ValueError as exc:
            self.errors.append(str(self.error(("kubernetes-version",), f"kubernetes-version: {exc}")))
            return None

    def selection(self, name: str, rules: dict[str, Rule], key: str, where: tuple[Any, ...]) -> set[str]:
        from kubelint.engine.selection import SelectionError, resolve

        try:
            return resolve([name], rules, key)
        except SelectionError as exc:
            self.errors.append(str(self.error(where, str(exc))))
            return set()

    def check_params(self, rule: Rule, params: dict[str, Any]) -> None:
        """Parameters for a rule, checked against what its check declares, at their line."""
        from kubelint.checks import CHECKS
        from kubelint.checks.base import NO_PARAMS

        where = ("rules", rule.id, "params")
        declared = CHECKS[rule.check].params if rule.check and rule.check in CHECKS else None
        if declared is None or declared is NO_PARAMS:
            if params:
                self.errors.append(str(self.error(where, f"rule `{rule.id}` takes no parameters", "key")))
            return
        merged = {**rule.params, **params}
        before = len(self.errors)
        self.validate(declared, merged, where)
        self.errors[before:] = [f"{e} (parameters of rule `{rule.id}`)" for e in self.errors[before:]]


def _normalise_rule(value: Any) -> dict[str, Any]:
    if value in ("on", True):
        return {"enabled": True}
    if value in ("off", False):
        return {"enabled": False}
    if isinstance(value, str):
        return {"enabled": True, "severity": value}
    return dict(value)


# ---------------------------------------------------------------------------------- resolving


def options_from(config: Config | None, overrides: Overrides | None = None) -> Options:
    """The Options of a run: the defaults, then the config file, then the explicit overrides,
    each setting merged by its policy in kubelint/settings.py."""
    from kubelint.options import Options
    from kubelint.settings import BY_NAME, merged

    said = overrides or Overrides()
    flags = dict(said.flags)
    version = flags.get("kubernetes_version")
    if isinstance(version, str):
        from kubelint.kube.versions import parse_version

        try:
            flags["kubernetes_version"] = parse_version(version)
        except ValueError as exc:
            raise ConfigError(f"--kubernetes-version: {exc}") from None
    for name, what in (("schema_dirs", "directory or file"), ("rules_dirs", "directory")):
        for directory in flags.get(name) or ():
            exists = os.path.isdir(directory) if name == "rules_dirs" else os.path.exists(directory)
            if not exists:
                raise ConfigError(f"{BY_NAME[name].flag}: no such {what}: {directory}")
    values = merged({}, config.values if config else {}, flags)
    values.pop("fail_on", None)  # the run's, not the Options'
    try:
        options = Options(**{k: v for k, v in values.items() if v is not None})
    except ValueError as exc:  # "Options.profile: …" said as the flag (or key) that set it
        name, _, message = str(exc).partition(": ")
        setting = BY_NAME.get(name.removeprefix("Options."))
        where = (setting.flag or setting.key) if setting else name
        raise ConfigError(f"{where}: {message}") from None
    if config is not None:
        options.rules = {rule_id: dict(setting) for rule_id, setting in config.rules.items()}
        options.ignores = list(config.ignores)
    return options


def resolve(paths: Sequence[str] = (), overrides: Overrides | None = None,
            stdin_filename: str | None = None) -> Settings:
    """Find the run's config (or read the one named), and merge it with `overrides`."""
    said = overrides or Overrides()
    if said.config_path is not None:
        if not os.path.isfile(said.config_path):
            raise ConfigError(f"config file not found: {said.config_path}")
        found: str | None = said.config_path
    else:
        found = find_config_for(paths, stdin_filename)
    config = load_config(found) if found else None
    options = options_from(config, said)
    fail_on = said.flags.get("fail_on") or (config.fail_on if config else None) or "error"
    # A project with no config of its own takes the run's (the one nearest the working directory).
    per_project = None if said.config_path is not None else project_options(said, {found: options, None: options})
    return Settings(config, options, fail_on, per_project)


def project_options(overrides: Overrides, known: dict[str | None, Options] | None = None
                    ) -> Callable[[str | None], Options]:
    """Each project's Options: its own config merged with the same flags, read once per file."""
    memo: dict[str | None, Options] = dict(known or {})

    def options_for(config_path: str | None) -> Options:
        if config_path not in memo:
            memo[config_path] = options_from(load_config(config_path) if config_path else None, overrides)
        return memo[config_path]

    return options_for

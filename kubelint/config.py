"""Find, load and validate `.kubelint.yaml`, and merge it with the command line.

The config is parsed with kubelint's own YAML reader so that a mistake is reported at its line,
and validated against schemas/config.schema.json.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint.model import format_path
from kubelint.resources import data_dir

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")
FAIL_LEVELS = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A config file kubelint cannot use: exit 2 with this message (it names file and line)."""


@dataclass
class Config:
    path: str | None = None
    kubernetes_version: str | None = None
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    strict: bool | None = None
    schema_dirs: list[str] = field(default_factory=list)
    max_file_size: int | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_config(start: str | None = None) -> str | None:
    """The nearest .kubelint.yaml from `start` (default: the current directory) upward."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return str(candidate)
    return None


def _normalise_rule(value: Any) -> dict[str, Any]:
    if value in ("on", True):
        return {"enabled": True}
    if value in ("off", False):
        return {"enabled": False}
    if isinstance(value, str):
        return {"enabled": True, "severity": value}
    return dict(value)


def load_config(path: str, known_rules: set[str] | None = None) -> Config:
    from kubelint.parser import parse

    try:
        with open(path, encoding="utf-8") as handle:
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

    import jsonschema_rs

    with open(data_dir("schemas") / "config.schema.json", encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema_rs.validator_for(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.instance_path)))
    if errors:
        error = errors[0]
        where = tuple(error.instance_path)
        span, _ = doc.locate(where, "value")
        shown = format_path(where) or "the config"
        raise ConfigError(f"{path}:{span.line}:{span.column}: {shown}: {error.message}")
    config = Config(path=path)
    if not isinstance(data, dict):
        return config
    base = os.path.dirname(os.path.abspath(path))
    if "kubernetes-version" in data:
        config.kubernetes_version = str(data["kubernetes-version"])
    config.fail_on = data.get("fail-on")
    config.exclude = list(data.get("exclude") or [])
    config.strict = data.get("strict")
    config.schema_dirs = [os.path.join(base, d) for d in data.get("schema-dir") or []]
    config.max_file_size = data.get("max-file-size")
    for rule_id, value in (data.get("rules") or {}).items():
        if known_rules is not None and rule_id not in known_rules:
            import difflib

            span, _ = doc.locate(("rules", rule_id), "key")
            close = difflib.get_close_matches(rule_id, sorted(known_rules), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else "; `kubelint rules` lists them"
            raise ConfigError(f"{path}:{span.line}:{span.column}: unknown rule `{rule_id}`{hint}")
        config.rules[rule_id] = _normalise_rule(value)
    return config

"""Rules are data: one YAML file per rule, loaded here into Rule objects.

Python never owns a rule's identity, severity, words or examples; a rule names the check that
backs it (or carries a JSON Schema) and the parameters it passes.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from kubelint.errors import KubelintError
from kubelint.model import Rule, Severity
from kubelint.resources import data_dir, load_yaml_data

TARGETS = ("input", "schema", "object", "podspec", "container", "run")


class RuleError(KubelintError):
    """A rule file that kubelint cannot use; the message names its file and line."""


def rule_from_data(data: dict[str, Any], source: str) -> Rule:
    messages = data.get("messages") or {}
    if "message" in data:
        messages = {"default": data["message"], **messages}
    if "default" not in messages:
        raise RuleError(f"{source}: a rule needs a `message`")
    target = data.get("target", "object")
    if target not in TARGETS:
        raise RuleError(f"{source}: unknown target {target!r}")
    return Rule(
        id=data["id"],
        category=data.get("category", "general"),
        severity=Severity.parse(data.get("severity", "warning")),
        enabled=bool(data.get("enabled", True)),
        summary=data.get("summary", ""),
        target=target,
        messages=dict(messages),
        kinds=tuple(data.get("kinds") or ()),
        check=data.get("check"),
        params=dict(data.get("params") or {}),
        schema=data.get("schema"),
        docs=dict(data.get("docs") or {}),
        examples={k: list(v or []) for k, v in (data.get("examples") or {}).items()},
        source=source,
        peers={tool: tuple(ids) for tool, ids in (data.get("peers") or {}).items()},
        pss=dict(data.get("pss") or {}),
        supersedes=tuple(data.get("supersedes") or ()),
    )


def _load_file(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml_data(path)
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    if not isinstance(data, dict) or "id" not in data:
        raise RuleError(f"{path}: not a rule file (a mapping with an `id`)")
    if path.stem != data["id"]:
        raise RuleError(f"{path}:1:1: the file name must be the rule id ({data['id']}.yaml)")
    return data


@functools.cache
def _rule_file_validator() -> Any:
    import json

    import jsonschema_rs

    schema = json.loads((data_dir("schemas") / "rule.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=False)


def validate_rule_data(data: Any, path: Path | str) -> None:
    """Refuse a rule file that does not match schemas/rule.schema.json, at its line.

    jsonschema-rs, not jsonschema: it is already loaded for manifests, and importing
    jsonschema would cost a one-file run ~50 ms."""
    errors = sorted(_rule_file_validator().iter_errors(data), key=lambda e: list(map(str, e.instance_path)))
    if errors:
        error = errors[0]
        message = error.message
        if len(message) > 200 and message.startswith(("{", "[")):
            # jsonschema-rs quotes the whole failing value first: keep only what it says of it
            message = "this value" + message[message.rfind(" is "):]
        if "oneOf" in message and not error.instance_path:
            message += " (a rule has `check` or `schema`, not both)"
        raise RuleError(f"{where(path, tuple(error.instance_path))}: {message}")


def where(path: Path | str, field_path: tuple[Any, ...]) -> str:
    """`file:line:column` of a field of a rule (or config) file, for a message."""
    from kubelint.parser import parse

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return str(path)
    result = parse(text, str(path))
    if not result.documents:
        return str(path)
    span, _ = result.documents[0].locate(field_path, "key")
    return f"{path}:{span.line}:{span.column}"


def rule_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.yaml"))


def _validated_rule_files(paths: list[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        data = _load_file(path)
        validate_rule_data(data, path)
        out.append(data)
    return out


@functools.cache
def builtin_rules() -> dict[str, Rule]:
    """Every shipped rule by id, in a stable order.

    The rule files, read and validated, are one entry of kubelint's disk cache (keyed by the
    stamps of every rule file, the rule schema and this module): a one-file pre-commit run
    then reads one JSON file instead of ninety and validates nothing.
    """
    from kubelint import cache

    paths = rule_files(data_dir("rules"))
    stamped = [str(p) for p in paths] + [str(data_dir("schemas") / "rule.schema.json"), __file__]
    loaded = cache.cached("rules", stamped, functools.partial(_validated_rule_files, paths))
    rules: dict[str, Rule] = {}
    for path, data in zip(paths, loaded, strict=True):
        rule = rule_from_data(data, str(path))
        if rule.id in rules:
            raise RuleError(f"{path}: rule id {rule.id} is defined twice")
        rules[rule.id] = rule
    return dict(sorted(rules.items()))


def load_rules_dir(directory: str | Path) -> dict[str, Rule]:
    """A team's own rules: rule files in the built-ins' format, from `rules-dir`.

    They are read without kubelint's disk cache (which holds only kubelint's own data) and
    validated like the built-ins; a broken one is a RuleError naming its file and line.
    """
    from kubelint.resources import _parse_data

    root = Path(directory)
    if not root.is_dir():
        raise RuleError(f"{directory}: rules directory not found")
    rules: dict[str, Rule] = {}
    for path in rule_files(root):
        try:
            data = _parse_data(path)
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise RuleError(str(exc)) from None
        if not isinstance(data, dict) or "id" not in data:
            raise RuleError(f"{path}:1:1: not a rule file (a mapping with an `id`)")
        validate_rule_data(data, path)
        if path.stem != data["id"]:
            raise RuleError(f"{where(path, ('id',))}: the file name must be the rule id ({data['id']}.yaml)")
        rule = rule_from_data(data, str(path))
        if rule.id in rules:
            raise RuleError(f"{where(path, ('id',))}: rule id {rule.id} is defined twice")
        rules[rule.id] = rule
    from kubelint.engine.prepare import prepare_rules

    prepare_rules(list(rules.values()))  # an unknown check or wrong params: refused now, at its line
    return rules


def all_rules(rules_dirs: tuple[str, ...] | list[str] = ()) -> dict[str, Rule]:
    """The built-in rules and those of the given directories; an id may not be taken twice."""
    if not rules_dirs:
        return builtin_rules()
    rules = dict(builtin_rules())
    for directory in rules_dirs:
        for rule_id, rule in load_rules_dir(directory).items():
            if rule_id in rules:
                raise RuleError(f"{where(rule.source, ('id',))}: rule id {rule_id} is already defined "
                                f"by {'kubelint' if rule_id in builtin_rules() else rules[rule_id].source}")
            rules[rule_id] = rule
    return dict(sorted(rules.items()))


def raw_rule_data(path: Path) -> dict[str, Any]:
    """The rule file as written: for validating it against schemas/rule.schema.json."""
    return _load_file(path)

"""Rules are data: one YAML file per rule, loaded here into Rule objects.

Python never owns a rule's identity, severity, words or examples; a rule names the check that
backs it (or carries a JSON Schema) and the parameters it passes. A rule file is held to what
its check declares when it loads, at the file's line (`contract_problems`): a rule that cannot
work is refused before any manifest is read, never an error on every document.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
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
    rule = Rule(
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
    found = parameters(rule)
    if found:  # for `kubelint explain` and docs/rules.md (report/ reads only the model)
        rule.docs["parameters"] = found
    return rule


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
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_rule_schema(), validate_formats=False)


def validate_rule_data(data: Any, path: Path | str) -> None:
    """Refuse a rule file that does not match schemas/rule.schema.json, every mistake at its line.

    jsonschema-rs, not jsonschema: it is already loaded for manifests, and importing
    jsonschema would cost a one-file run ~50 ms. The words are the config reader's
    (kubelint/schemawords.py)."""
    from kubelint.schemawords import explain_all

    validator = _rule_file_validator()
    if validator.is_valid(data):
        return
    schema = _rule_schema()
    explained = explain_all(schema, data, whole="the rule file", validator=validator)
    locate = _locator(path)
    raise RuleError(_joined(f"{locate(item.path, item.at)}: {item.message}" for item in explained))


@functools.cache
def _rule_schema() -> dict[str, Any]:
    import json

    schema: dict[str, Any] = json.loads((data_dir("schemas") / "rule.schema.json").read_text(encoding="utf-8"))
    return schema


def _joined(messages: Any) -> str:
    """Mistakes in the order of the file, each once, at most ten."""
    def position(message: str) -> tuple[int, int, str]:
        parts = message.rsplit(": ", 1)[0].split(":")
        try:
            return int(parts[-2]), int(parts[-1]), message
        except (IndexError, ValueError):
            return 0, 0, message

    unique = sorted(set(messages), key=position)
    more = f"\n(and {len(unique) - 10} more)" if len(unique) > 10 else ""
    return "\n".join(unique[:10]) + more


def _locator(path: Path | str) -> Callable[..., str]:
    """`file:line:column` of fields of one rule (or config) file, parsing it once."""
    from kubelint.parser import parse

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return lambda field_path, at="key": str(path)
    result = parse(text, str(path))
    if not result.documents:
        return lambda field_path, at="key": str(path)
    document = result.documents[0]

    def locate(field_path: tuple[Any, ...], at: str = "key") -> str:
        span, _ = document.locate(tuple(field_path), at)
        return f"{path}:{span.line}:{span.column}"

    return locate


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
    return files_ending(directory, ".yaml")


def files_ending(directory: Path, suffix: str) -> list[Path]:
    """The files under `directory` named *`suffix`, in pathlib's order (by path components).

    os.walk, not Path.rglob: pathlib's globbing and sorting took 1.5 ms of a one-file run
    against 0.5."""
    found = []
    for folder, _, names in os.walk(directory, followlinks=True):
        found += [os.path.join(folder, name) for name in names if name.endswith(suffix)]
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]


# ------------------------------------------------------------------------------ the contract

# What a `schema:` rule's hits fill (engine/prepare.py's SchemaCheck): the failing field's name,
# its value (a mapping or list as YAML flow), the target's name and the field's path in it.
SCHEMA_PLACEHOLDERS = frozenset({"field", "value", "name", "path"})
# Targets whose findings kubelint's reader and validator make: a rule file cannot feed them.
ENGINE_TARGETS = ("input", "schema")
_PER_DOCUMENT = ("object", "podspec", "container")


def contract_problems(rule: Rule, builtin: bool = False) -> list[tuple[tuple[Any, ...], str]]:
    """What makes a rule unable to work, each as (field of its file, words), in file order.

    The check it names exists, runs where the rule's target says (once per run or per
    object), takes the parameters given, and fills every placeholder of every message
    variant it may report, which the file must all define. `builtin`: one of kubelint's own
    rules, which may have the engine's targets (input, schema)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    if rule.target in ENGINE_TARGETS and not builtin:
        problems.append((("target",), f"`target: {rule.target}` is for kubelint's own reader and schema "
                                      f"findings; a rule file checks with `target: {', '.join(_PER_DOCUMENT)}` "
                                      "or `run`"))
    if rule.schema is not None:
        problems += _message_problems(rule, lambda variant: SCHEMA_PLACEHOLDERS, "a `schema:` rule")
        if rule.target == "run":
            problems.append((("target",), "a `schema:` rule checks each object, pod spec or container; "
                                          "`target: run` is for run-wide checks"))
        if not builtin:
            from kubelint.schema.compiler import SchemaUnusable, compile_schema

            try:
                compile_schema(dict(rule.schema))
            except SchemaUnusable as exc:
                problems.append((("schema",), f"schema does not compile: {exc}"))
        return problems
    if not rule.check:
        return problems
    from kubelint.checks import CHECKS
    from kubelint.checks.base import NO_PARAMS, with_defaults
    from kubelint.suggest import closest

    definition = CHECKS.get(rule.check)
    if definition is None:
        guess = closest(rule.check, set(CHECKS))
        hint = f"; did you mean {guess}?" if guess else ""
        return problems + [(("check",), f"unknown check {rule.check!r}{hint}")]
    problems += _scope_problems(rule, definition.scope, CHECKS)
    takes_none = definition.params is NO_PARAMS or (
        not definition.params.get("properties") and definition.params.get("additionalProperties") is False)
    if rule.params and takes_none:
        problems.append((("params",), f"check {rule.check} takes no parameters"))
    else:
        from kubelint.schemawords import explain_all

        for item in explain_all(definition.params, rule.params, ("params",), whole="params"):
            problems.append((item.path, f"{item.message} (parameters of check {rule.check})"))
    if problems:
        return problems
    params = with_defaults(definition.params, rule.params)
    needed = definition.needed_variants(params)
    missing = sorted(needed - set(rule.messages))
    if missing:
        problems.append((("messages",) if "messages" in _said(rule) else ("message",), f"check {rule.check} may report message variant(s) {', '.join(missing)}, which this "
                         "rule does not define"))
    unknown = sorted(set(rule.messages) - needed - {"default"})
    for variant in unknown:
        problems.append((_message_field(rule, variant), f"check {rule.check} never reports variant `{variant}` "
                                                        f"(it reports {', '.join(sorted(needed))})"))

    def allowed(variant: str) -> frozenset[str] | None:
        if variant in needed:
            return definition.placeholders_for(variant)
        named = [definition.placeholders_for(v) for v in needed]  # a message never shown: any name
        return None if any(n is None for n in named) else frozenset().union(*named)  # type: ignore[arg-type]

    problems += _message_problems(rule, allowed, f"check {rule.check}")
    return problems


def _said(rule: Rule) -> frozenset[str]:
    """Which of `message` and `messages` the rule file says (from the file, for positions)."""
    return _said_in(rule.source)


@functools.lru_cache(maxsize=256)
def _said_in(source: str) -> frozenset[str]:
    from kubelint.resources import _parse_data

    try:
        data = _parse_data(Path(source))
    except (ValueError, OSError, UnicodeDecodeError):
        return frozenset({"messages"})
    return frozenset(key for key in ("message", "messages") if isinstance(data, dict) and key in data)


def _message_field(rule: Rule, variant: str) -> tuple[Any, ...]:
    if variant == "default" and "message" in _said(rule):
        return ("message",)
    return ("messages", variant)


def _scope_problems(rule: Rule, scope: str, checks: Any) -> list[tuple[tuple[Any, ...], str]]:
    if scope == "run" and rule.target != "run":
        return [(("target",), f"check {rule.check} runs once over every object of the run (cross-object); "
                              f"its rule needs `target: run`, not `target: {rule.target}`")]
    if scope == "document" and rule.target == "run":
        run_wide = sorted(name for name, check in checks.items() if check.scope == "run")
        return [(("target",), f"check {rule.check} runs on each object, pod spec or container; "
                              f"`target: run` is for the run-wide checks ({', '.join(run_wide)})")]
    return []


def placeholders_of(template: str) -> list[str]:
    """The names a message template fills, in order; ValueError for a stray brace."""
    import string  # here: a one-file run reads its rules from the cache, never parsing a template

    names = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"`{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}` "
                             "is not a placeholder (a name in braces, such as `{name}`)")
        names.append(name)
    return names


def _message_problems(rule: Rule, allowed: Callable[[str], frozenset[str] | None],
                      who: str) -> list[tuple[tuple[Any, ...], str]]:
    problems = []
    for variant, template in rule.messages.items():
        literal = "; a literal brace is written `{{` or `}}`"
        try:
            names = placeholders_of(template)
        except ValueError as exc:
            text = str(exc)
            text = "a single `{` or `}`" if text.startswith(("Single", "unmatched", "expected")) else text
            problems.append((_message_field(rule, variant), f"message `{variant}`: {text}{literal}"))
            continue
        known = allowed(variant)
        if known is None:
            continue
        unknown = [name for name in dict.fromkeys(names) if name not in known]
        if unknown:
            offered = ", ".join(f"{{{n}}}" for n in sorted(known)) or "none"
            problems.append((_message_field(rule, variant), f"message `{variant}` uses {', '.join(f'{{{n}}}' for n in unknown)}, which "
                                 f"{who} does not fill (it fills: {offered}){literal}"))
    return problems


# The rules the config changed, held to their checks' contracts in this process, by
# contract_key. The built-in rule files were held when the catalog was built (builtin_rules),
# so a run holds only those, once (contracts cost a one-file run 27 ms).
_HELD: set[str] = set()


_CONTRACT_FIELDS = ("source", "check", "target", "params", "messages", "schema")  # with the id


def contract_key(rule: Rule) -> str:
    """What check_contract reads of a rule."""
    return repr((rule.id, rule.source, rule.check, rule.target, rule.params, rule.messages, rule.schema))


def hold_to_contract(rule: Rule) -> None:
    """check_contract(rule, builtin=True), unless this rule, as it is, was held already.

    A shipped rule whose contract fields are still its file's own objects (selection and the
    config replace what they change) was held when the catalog was built: known without a key
    (writing ninety keys out cost a one-file run 0.3 ms)."""
    shipped = builtin_rules().get(rule.id)
    if shipped is not None and all(getattr(rule, name) is getattr(shipped, name) for name in _CONTRACT_FIELDS):
        return
    key = contract_key(rule)
    if key not in _HELD:
        check_contract(rule, builtin=True)
        _HELD.add(key)


def check_contract(rule: Rule, builtin: bool = False) -> None:
    """Refuse a rule its check (or schema) cannot honour, every problem at its line."""
    problems = contract_problems(rule, builtin)
    if problems:
        locate = _locator(rule.source)
        raise RuleError(_joined(f"{locate(at)}: {words}" for at, words in problems))


def parameters(rule: Rule) -> list[dict[str, Any]]:
    """The parameters a rule's check takes, for `kubelint explain` and docs/rules.md: name,
    type in words, the value this rule uses unless the config says otherwise, description."""
    if not rule.check:
        return []
    from kubelint.checks import CHECKS

    definition = CHECKS.get(rule.check)
    if definition is None:
        return []
    out = []
    required = set(definition.params.get("required") or ())
    for name, spec in (definition.params.get("properties") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        entry: dict[str, Any] = {"name": name, "type": _type_words(spec), "required": name in required,
                                 "description": str(spec.get("description", ""))}
        if name in rule.params:
            entry["default"] = rule.params[name]
        elif "default" in spec:
            entry["default"] = spec["default"]
        out.append(entry)
    return out


def _type_words(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    kind = spec.get("type")
    if kind == "array":
        inner = (spec.get("items") or {}).get("type")
        return f"list of {inner}s" if isinstance(inner, str) else "list"
    return str(kind) if kind else "any"


# ---------------------------------------------------------------------------------- loading


def _validated_rule_files(paths: list[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        data = _load_file(path)
        validate_rule_data(data, path)
        check_contract(rule_from_data(data, str(path)), builtin=True)
        out.append(data)
    return out


@functools.cache
def builtin_rules() -> dict[str, Rule]:
    """Every shipped rule by id, in a stable order.

    The rules, read, validated and held to their checks' contracts, are one entry of
    kubelint's disk cache, keyed by every shipped file (resources.shipped_files: the rule
    files, the rule schema, the checks, this module and the model among them): a one-file
    pre-commit run then unpickles them ready instead of reading ninety files and validating
    each.
    """
    from kubelint import cache
    from kubelint.resources import shipped_files

    rules: dict[str, Rule] = cache.cached("rules", shipped_files(), _builtin_rules, objects=True, loaded=True)
    return rules


def _builtin_rules() -> dict[str, Rule]:
    """The rules of the shipped files, each held to its check's contract: the rule files among
    resources.shipped_files, the list that keys the catalog's cache entry."""
    from kubelint.resources import shipped_files

    rules: dict[str, Rule] = {}
    folder = os.path.join(str(data_dir("rules")), "")
    paths = [p for p in shipped_files() if p.startswith(folder) and p.endswith(".yaml")]
    for path, data in zip(paths, _validated_rule_files([Path(p) for p in paths]), strict=True):
        rule = rule_from_data(data, path)
        if rule.id in rules:
            raise RuleError(f"{path}: rule id {rule.id} is defined twice")
        rules[rule.id] = rule
    return dict(sorted(rules.items()))


def load_rules_dir(directory: str | Path) -> dict[str, Rule]:
    """A team's own rules: rule files in the built-ins' format, from `rules-dir`.

    They are read without kubelint's disk cache (which holds only kubelint's own data),
    validated like the built-ins and held to their checks' contracts (check_contract); a
    broken one is a RuleError naming its file and line. Loading prepares nothing: the Linter
    does, once per run.
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
        check_contract(rule)
        rules[rule.id] = rule
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

"""JSON Schema errors of kubelint's own files in plain words, at the field they are about.

The one place that words them, for `.kubelint.yaml` (config.py) and rule files
(engine/rules.py) alike: a validator's "is not valid under any of the schemas listed in the
'oneOf' keyword" tells a person nothing; "`exclude` must be a string or a list, not `3`" with
a did-you-mean does. The caller places each explanation (file:line:column) with its own
parsed document; this module knows no file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from kubelint.model import FieldPath, format_path

_TYPE_WORDS = {"array": "a list", "string": "a string", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "object": "a mapping", "null": "empty"}


class Explained(NamedTuple):
    """One mistake: the field it is about, what to say, and whether to point at its key."""

    path: FieldPath
    message: str
    at: str = "value"


def explain_all(schema: Mapping[str, Any], data: Any, prefix: FieldPath = (), *, whole: str = "the file",
                aliases: Mapping[str, str] | None = None, validator: Any = None) -> list[Explained]:
    """Every mistake of `data` against `schema`, each once, in the validator's order.

    `prefix` is where `data` sits in the file (a rule's `params`), `whole` what to call the
    file itself, `aliases` words people write for a value and the value they mean."""
    import jsonschema_rs

    check = validator if validator is not None else jsonschema_rs.validator_for(dict(schema))
    out: list[Explained] = []
    for error in check.iter_errors(data):
        for item in explain(error, schema, prefix, whole=whole, aliases=aliases):
            if item not in out:
                out.append(item)
    return out + [item for item in regex_problems(schema, data, tuple(prefix), whole) if item not in out]


def regex_problems(schema: Mapping[str, Any], data: Any, where: FieldPath = (), whole: str = "the file") -> list[Explained]:
    """Strings the schema declares `format: regex` that Python's `re` cannot compile.

    Why here: the validator leaves formats unchecked (and would check ECMA-262, not the `re`
    syntax the checks compile with), and a check compiles its patterns lazily, on the first
    value it meets; a bad one must be a mistake of the config or rule file, at its line."""
    out: list[Explained] = []
    if schema.get("format") == "regex" and isinstance(data, str):
        import re

        try:
            re.compile(data)
        except re.error as exc:
            shown = format_path(where) or whole
            out.append(Explained(where, f"{shown}: `{data}` is not a regular expression ({exc})"))
    properties = schema.get("properties")
    if isinstance(data, dict) and isinstance(properties, Mapping):
        for key, value in data.items():
            if isinstance(properties.get(key), Mapping):
                out += regex_problems(properties[key], value, (*where, key), whole)
    items = schema.get("items")
    if isinstance(data, list) and isinstance(items, Mapping):
        for index, value in enumerate(data):
            out += regex_problems(items, value, (*where, index), whole)
    return out


def explain(error: Any, schema: Mapping[str, Any], prefix: FieldPath = (), *, whole: str = "the file",
            aliases: Mapping[str, str] | None = None) -> list[Explained]:
    """One validator error in plain words (a failed `oneOf` of mappings may be several)."""
    where: FieldPath = tuple(prefix) + tuple(error.instance_path)
    node = schema_at(schema, list(error.schema_path)[:-1])
    kind = type(error.kind).__name__
    shown = format_path(where) or whole
    value = error.instance
    said = aliases or {}
    if kind == "AdditionalProperties":
        allowed = sorted(node.get("properties") or {})
        place = f" under `{shown}`" if where else ""
        out = []
        for key in map(str, error.kind.unexpected):
            guess = _guess(key, allowed, said)
            hint = f"; did you mean `{guess}`?" if guess else ""
            known = f" (known: {', '.join(allowed)})" if allowed else f" ({shown} takes none)"
            out.append(Explained(where + (key,), f"unknown key `{key}`{place}{hint}{known}", "key"))
        return out
    if kind == "Enum":
        options = [_word(o) for o in error.kind.options]
        return [Explained(where, bad_value(shown, value, options, said))]
    if kind in ("OneOfNotValid", "AnyOf"):
        branches = node.get("oneOf" if kind == "OneOfNotValid" else "anyOf") or []
        needed = _required_only(branches)
        if needed:
            return [Explained(where, f"{shown} needs {_either(needed)}", "key")]
        if isinstance(value, dict):
            branch = next((b for b in branches if b.get("type") == "object"), None)
            if branch is not None:
                deeper = explain_all(branch, value, where, whole=whole, aliases=said)
                if deeper:
                    return deeper
        options = [o for b in branches for o in b.get("enum", []) if isinstance(o, str)]
        options += ["{" + ", ".join(b.get("properties") or {}) + "}" for b in branches
                    if b.get("type") == "object"]
        return [Explained(where, bad_value(shown, value, options, said))]
    if kind == "OneOfMultipleValid":
        needed = _required_only(node.get("oneOf") or [])
        if needed:
            return [Explained(where, f"{shown} has more than one of {_either(needed, 'and')}; keep one", "key")]
    if kind == "Required":
        place = f" under `{shown}`" if where else ""
        return [Explained(where, f"`{error.kind.property}` is missing{place}", "key")]
    if kind == "Type":
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in _types(node.get("type")))
        return [Explained(where, f"{shown} must be {wanted}, not {describe(value)}")]
    if kind == "Minimum":
        return [Explained(where, f"{shown} must be at least {node.get('minimum')}, not {value!r}")]
    if kind == "MinLength":
        limit = node.get("minLength", 1)
        return [Explained(where, f"{shown} must not be empty" if limit == 1
                          else f"{shown} must be at least {limit} characters long")]
    if kind == "MinItems":
        limit = node.get("minItems", 1)
        return [Explained(where, f"{shown} must list at least {limit} item{'s' if limit != 1 else ''}")]
    if kind == "Pattern":
        return [Explained(where, f"{describe(value)} is not a valid {shown} (it must match `{node.get('pattern')}`)")]
    return [Explained(where, f"{shown}: {_short(error.message)}")]


def describe(value: Any) -> str:
    """A value as a message names it: `3`, `true`, a list, a mapping, empty."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"`{value}`"


def bad_value(shown: str, value: Any, options: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """`value` is not one of `options`: the closest one offered, then all of them."""
    word = str(value).lower() if isinstance(value, bool) else str(value)
    guess = _guess(word, [o for o in options if not o.startswith("{")], aliases or {}) \
        if not isinstance(value, dict) else None
    hint = f"; did you mean `{guess}`?" if guess else ""
    return f"{describe(value)} is not a valid {shown}{hint} (choose {', '.join(options)})"


def schema_at(schema: Mapping[str, Any], path: Iterable[Any]) -> dict[str, Any]:
    """The schema node at a validator's schema path (its last step is the failing keyword)."""
    node: Any = schema
    for part in path:
        if isinstance(node, Mapping):
            node = node.get(part if not isinstance(part, int) else str(part), node.get(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return {}
    return dict(node) if isinstance(node, Mapping) else {}


def _word(option: Any) -> str:
    return str(option).lower() if isinstance(option, bool) else str(option)


def _types(declared: Any) -> list[str]:
    return [declared] if isinstance(declared, str) else list(declared or [])


def _guess(word: str, options: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    from kubelint.suggest import closest

    alias = aliases.get(word.lower())
    if alias in options:
        return alias
    return closest(word, options)


def _required_only(branches: Sequence[Any]) -> list[str]:
    """The keys of `oneOf: [{required: [a]}, {required: [b]}]`: one of these keys, or none."""
    keys = []
    for branch in branches:
        if not isinstance(branch, Mapping) or set(branch) != {"required"} or len(branch["required"]) != 1:
            return []
        keys.append(str(branch["required"][0]))
    return keys


def _either(keys: Sequence[str], word: str = "or") -> str:
    quoted = [f"`{k}`" for k in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {word} {quoted[-1]}"


def _short(message: str) -> str:
    # the validator quotes the whole failing value first: keep only what it says of it
    if len(message) > 200 and message.startswith(("{", "[")):
        return "this value" + message[message.rfind(" is "):]
    return message

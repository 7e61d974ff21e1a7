"""Whether a value conforms to a schema, in Python, for the part of JSON Schema 2020-12 that
kubelint's schemas and the schemas it converts from CRDs use: `type`, `enum`, `const`,
`properties`, `patternProperties`, `additionalProperties`, `required`, `items`,
`prefixItems`, local `$ref`, `not`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, the
numeric bounds, `multipleOf` (of integers), the length and size bounds, `uniqueItems` and
`pattern` (for patterns that mean the same in Python and in jsonschema-rs's regex engine).

Why: a pre-commit run checks one or two documents, and jsonschema-rs costs such a run more
than the check itself: its import brings in `email`, `decimal` and `socket` (13 ms), and
compiling a Deployment's schema takes 7 ms. Walking the schema along the document in Python
takes a fraction of a millisecond. Every verdict is three-valued: True (conforms), False
(does not) or None (this module cannot tell: a keyword, value or pattern it does not model).
Only True is acted on, as "no schema findings"; anything else goes to jsonschema-rs, which
also writes the messages. A wrong True would hide a finding, so each keyword here is exact
or says None, and a test compares both validators on the corpus and on generated documents.
It answers for schemas that compile (compiler.KindSchema says which): it does not hold a
schema to the metaschema, which only compiling does.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

from kubelint.lazypattern import LazyPattern

Verdict = bool | None

# Keywords that never make a value invalid (annotations), or that compile_schema turns off
# (`format`: the Kubernetes formats are the API server's to check).
_IGNORED = frozenset({
    "$schema", "$defs", "definitions", "$comment", "title", "description", "default", "examples",
    "readOnly", "writeOnly", "deprecated", "format",
})
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_REF_PREFIX = "#/$defs/"
# What a pattern this module evaluates with Python's `re` may hold (see portable()).
_LITERALS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-/:,=@#%&'\"!~<>;`")
_ESCAPED = frozenset(".-/\\^$|()[]{}*+?")
_QUANTIFIER = LazyPattern(r"\{[0-9]+(?:,[0-9]*)?\}")
_LINE_TERMINATORS = frozenset("\n\r\u2028\u2029")  # a set: as a pattern class it took 0.7 ms to compile
_MATCHED_AT_MOST = 256  # characters: a longer value is left to jsonschema-rs (see portable())


class Deferred:
    """A subschema made when first looked at (a CRD's, see crd.py): `check` resolves it, and
    `materialize` resolves every one left before a schema is compiled."""

    __slots__ = ()

    def resolve(self) -> Any:
        raise NotImplementedError


def materialize(schema: Any) -> Any:
    """`schema` with every Deferred in it resolved, in place (the dicts and lists a Deferred
    resolves to are its own), all the way down."""
    if isinstance(schema, Deferred):
        schema = schema.resolve()
    stack = [schema]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            for key, value in node.items():
                if isinstance(value, Deferred):
                    value = node[key] = value.resolve()
                if type(value) is dict or type(value) is list:
                    stack.append(value)
        elif type(node) is list:
            for index, value in enumerate(node):
                if isinstance(value, Deferred):
                    value = node[index] = value.resolve()
                if type(value) is dict or type(value) is list:
                    stack.append(value)
    return schema


class Allowance:
    """How many more values a process asks this module about, before it has loaded
    jsonschema-rs. A pre-commit run checks a few documents and never loads it. Once a process
    has (for a value this module could not pass, a CRD, a config file, or because it forks
    workers for a big run), the compiled validators are the cheaper way: the Python walk
    takes 0.1 to 0.3 ms a document, more for the biggest (which a big run lints first), and a
    few microseconds a rule's target, against jsonschema-rs's hundredths. Per process, not per
    run or project, as the import and the compiled schemas are.
    """

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


DOCUMENTS = Allowance(16)  # documents checked against the schemas kubelint ships
RULE_TARGETS = Allowance(256)  # objects, pod specs and containers checked by `schema:` rules


def retire() -> None:
    """This process has loaded jsonschema-rs to compile a schema: ask it from now on."""
    DOCUMENTS.left = RULE_TARGETS.left = 0


def verdict(schema: Any, instance: Any) -> Verdict:
    """Whether `instance` conforms to `schema` (a JSON Schema 2020-12 document), or None."""
    if isinstance(schema, dict) and schema.get("$schema", _DRAFT) != _DRAFT:
        return None
    try:
        return _Walk(schema).check(schema, instance)
    except RecursionError:
        return None


def _some(verdicts: Iterable[Verdict]) -> Verdict:
    """At least one is True (the rest not looked at), else None when one cannot be told, else False."""
    result: Verdict = False
    for found in verdicts:
        if found:
            return True
        if found is None:
            result = None
    return result


class _Walk:
    """One verdict: the root schema (for `$ref`) and the patterns compiled along the way."""

    __slots__ = ("root", "patterns")

    def __init__(self, root: Any) -> None:
        self.root = root
        self.patterns: dict[str, re.Pattern[str] | None] = {}

    def check(self, schema: Any, value: Any) -> Verdict:
        if schema is True:
            return True
        if schema is False:
            return False
        if type(schema) is not dict:
            if not isinstance(schema, Deferred):
                return None
            schema = schema.resolve()
            if type(schema) is not dict:
                return None
        result: Verdict = True
        for keyword, argument in schema.items():
            if keyword in _IGNORED or keyword.startswith("x-"):
                continue
            method = _KEYWORDS.get(keyword)
            if method is None:
                return None
            found = method(self, argument, value, schema)
            if found is False:
                return False
            if found is None:
                result = None
        return result

    def _every(self, pairs: Iterable[tuple[Any, Any]]) -> Verdict:
        """All of the (subschema, value) pairs conform: False at the first that does not,
        None when one cannot be told and none fails."""
        result: Verdict = True
        for sub, item in pairs:
            found = self.check(sub, item)
            if found is False:
                return False
            if found is None:
                result = None
        return result

    # ------------------------------------------------------------------------- keywords

    def _type(self, names: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        kind = json_type(value)
        if kind is None:
            return None
        if type(names) is str:
            names = [names]
        elif type(names) is not list:
            return None
        for name in names:
            if name not in _TYPES:
                return None
            if name == kind or (name == "number" and kind == "integer"):
                return True
            if name == "integer" and kind == "number" and value.is_integer():
                return True
        return False

    def _enum(self, options: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(options) is not list:
            return None
        return _some(json_equal(option, value) for option in options)

    def _const(self, option: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        return json_equal(option, value)

    def _properties(self, properties: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(properties) is not dict:
            return None
        if type(value) is not dict:
            return True
        return self._every((sub, value[key]) for key, sub in properties.items() if key in value)

    def _pattern_properties(self, patterns: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(patterns) is not dict:
            return None
        if type(value) is not dict:
            return True
        pairs = []
        for pattern, sub in patterns.items():
            for key in value:
                matched = self._matches(pattern, key)
                if matched is None:
                    return None
                if matched:
                    pairs.append((sub, value[key]))
        return self._every(pairs)

    def _additional_properties(self, sub: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(value) is not dict:
            return True
        named = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        if type(named) is not dict or type(patterns) is not dict:
            return None
        pairs = []
        for key, item in value.items():
            if key in named:
                continue
            matches = [self._matches(pattern, key) for pattern in patterns]
            if None in matches:
                return None
            if not any(matches):
                pairs.append((sub, item))
        return self._every(pairs)

    def _required(self, names: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(names) is not list or not all(type(name) is str for name in names):
            return None
        if type(value) is not dict:
            return True
        return all(name in value for name in names)

    def _items(self, sub: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(sub) is not dict and type(sub) is not bool and not isinstance(sub, Deferred):
            return None  # the array form is a draft-4 to draft-7 keyword
        if "prefixItems" in schema:
            return None  # then `items` is for the items after them
        if type(value) is not list:
            return True
        return self._every((sub, item) for item in value)

    def _ref(self, reference: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(reference) is not str or not reference.startswith(_REF_PREFIX):
            return None
        name = reference[len(_REF_PREFIX):]
        if "/" in name or "~" in name or "%" in name:
            return None
        definitions = self.root.get("$defs") if type(self.root) is dict else None
        if type(definitions) is not dict or name not in definitions:
            return None
        return self.check(definitions[name], value)

    def _not(self, sub: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        found = self.check(sub, value)
        return None if found is None else not found

    def _all_of(self, subs: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(subs) is not list or not subs:
            return None
        return self._every((sub, value) for sub in subs)

    def _any_of(self, subs: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(subs) is not list or not subs:
            return None
        return _some(self.check(sub, value) for sub in subs)

    def _one_of(self, subs: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(subs) is not list or not subs:
            return None
        passed = 0
        for sub in subs:
            found = self.check(sub, value)
            if found is None:
                return None
            passed += found
        return passed == 1

    def _if(self, condition: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        held = self.check(condition, value)
        if held is None:
            return None
        branch = schema.get("then" if held else "else", True)
        return self.check(branch, value)

    def _branch(self, sub: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        """`then` and `else` are checked by `if`, and alone they do nothing."""
        return True

    def _pattern(self, pattern: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(value) is not str:
            return True
        return self._matches(pattern, value)

    def _matches(self, pattern: Any, text: Any) -> bool | None:
        if type(text) is not str or len(text) > _MATCHED_AT_MOST or not _LINE_TERMINATORS.isdisjoint(text):
            # jsonschema-rs's `.` stops at every ECMAScript line terminator, Python's at \n
            # only, and Python's `$` also matches before a final \n; for length, see portable().
            return None
        compiled = self.patterns.get(pattern, False)
        if compiled is False:
            compiled = None
            if type(pattern) is str and portable(pattern):
                try:
                    compiled = re.compile(pattern, re.ASCII)  # \d is [0-9] in jsonschema-rs
                except re.error:
                    compiled = None
            self.patterns[pattern] = compiled
        if compiled is None:
            return None
        return compiled.search(text) is not None

    def _prefix_items(self, subs: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(subs) is not list or not subs:
            return None
        if type(value) is not list:
            return True
        return self._every(zip(subs, value, strict=False))

    def _unique_items(self, unique: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(unique) is not bool:
            return None
        if not unique or type(value) is not list:
            return True
        result: Verdict = True
        for index, item in enumerate(value):
            for other in value[index + 1:]:
                same = json_equal(item, other)
                if same:
                    return False
                if same is None:
                    result = None
        return result

    def _multiple_of(self, divisor: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(divisor) is not int or divisor <= 0:
            return None  # a fraction: floating point, which jsonschema-rs rounds its own way
        kind = json_type(value)
        if kind is None:
            return None
        if kind == "integer":
            return value % divisor == 0
        return True if kind != "number" else None


_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})


def portable(pattern: str) -> bool:
    """Whether `pattern` matches the same strings (without a newline) in Python's `re` and
    in jsonschema-rs's regex engine, and cannot make Python's backtracking slow.

    Portable: ASCII literals, `.`, anchors, groups (plain or `(?:`), alternation, greedy or
    lazy repeats, `\\d`, escaped punctuation and bracket classes of such characters. Not:
    what the two read differently (`\\w` and `\\s` are Unicode classes that differ,
    `[[:alpha:]]` and `&&` mean something in a Rust class only, `\\Z`, flags, look-arounds),
    more than two unbounded repeats (`.*.*.*x` is cubic in Python, linear in Rust), and an
    unbounded repeat of a group that holds a repeat or an alternative (`(a+)+`, `(a|a)*`:
    exponential)."""
    index, length = 0, len(pattern)
    unbounded = 0
    after_group = False
    groups: list[bool] = []  # for each open group: whether it holds a repeat or an alternative
    last_group_busy = False  # what the group just closed held, for a repeat that follows it
    while index < length:
        char = pattern[index]
        closed = False
        if char == "\\":
            if index + 1 >= length or not (pattern[index + 1] in _ESCAPED or pattern[index + 1] == "d"):
                return False
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            if end < 0:
                return False
            index = end + 1
        elif char == "(":
            if pattern.startswith("(?", index) and not pattern.startswith("(?:", index):
                return False
            groups.append(False)
            index += 3 if pattern.startswith("(?:", index) else 1
        elif char == ")":
            if not groups:
                return False
            last_group_busy = groups.pop()
            if groups and last_group_busy:
                groups[-1] = True
            closed = True
            index += 1
        elif char in "{*+?":
            if char == "{":
                repeat = _QUANTIFIER.match(pattern, index)
                if repeat is None:
                    return False
                index = repeat.end()
                endless = repeat.group().endswith(",}")
            else:
                index += 1
                endless = char != "?"
            if index < length and pattern[index] == "+":
                return False  # possessive
            if index < length and pattern[index] == "?":
                index += 1  # lazy
            if endless:
                unbounded += 1
                if unbounded > 2 or (after_group and last_group_busy):
                    return False
            if groups:
                groups[-1] = True
        elif char == "|":
            if groups:
                groups[-1] = True
            index += 1
        elif char in "^$." or char in _LITERALS:
            index += 1
        else:
            return False
        after_group = closed
    return not groups


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` closing the class that opens at `start`, or -1 if the class is
    not portable."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    first = index
    while index < len(pattern):
        char = pattern[index]
        if char == "]" and index > first:
            return index
        if char == "\\":
            if index + 1 >= len(pattern) or not (pattern[index + 1] in _ESCAPED or pattern[index + 1] == "d"):
                return -1
            index += 2
            continue
        if char == "[" or char == "]" or pattern.startswith(("&&", "--", "~~"), index):
            return -1
        if char not in _LITERALS and char not in "^$.|(){}*+?":
            return -1
        index += 1
    return -1


def json_type(value: Any) -> str | None:
    """The JSON type of a parsed YAML value (a float is a number; NaN and infinities, and
    anything JSON cannot hold, are None). An integral float is a "number" here; `type:
    integer` accepts it, as JSON Schema does."""
    kind = type(value)
    if kind is str:
        return "string"
    if kind is dict:
        return "object" if all(type(key) is str for key in value) else None
    if kind is list:
        return "array"
    if kind is bool:
        return "boolean"
    if kind is int:
        return "integer"
    if kind is float:
        return "number" if math.isfinite(value) else None
    if value is None:
        return "null"
    return None


def json_equal(left: Any, right: Any) -> Verdict:
    """JSON equality: 1 equals 1.0, true does not equal 1; None when a side is not JSON."""
    left_type, right_type = json_type(left), json_type(right)
    if left_type is None or right_type is None:
        return None
    numbers = ("integer", "number")
    if left_type in numbers and right_type in numbers:
        return bool(left == right)
    if left_type != right_type:
        return False
    if left_type == "array":
        if len(left) != len(right):
            return False
        result: Verdict = True
        for a, b in zip(left, right, strict=True):
            same = json_equal(a, b)
            if same is False:
                return False
            if same is None:
                result = None
        return result
    if left_type == "object":
        if left.keys() != right.keys():
            return False
        result = True
        for key, item in left.items():
            same = json_equal(item, right[key])
            if same is False:
                return False
            if same is None:
                result = None
        return result
    return bool(left == right)


def _size(measure: Callable[[Any], int | None], holds: Callable[[int, int], bool]) -> Callable[
        [_Walk, Any, Any, dict[str, Any]], Verdict]:
    """A length or size bound's check; `measure` is None for a value it does not apply to."""

    def check(walk: _Walk, bound: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if type(bound) is not int or bound < 0:
            return None
        size = measure(value)
        return True if size is None else holds(size, bound)

    return check


def _string_length(value: Any) -> int | None:
    return len(value) if type(value) is str else None  # characters (code points), as JSON Schema counts


def _array_length(value: Any) -> int | None:
    return len(value) if type(value) is list else None


def _object_size(value: Any) -> int | None:
    return len(value) if type(value) is dict else None


def _bound(holds: Callable[[Any, Any], bool]) -> Callable[[_Walk, Any, Any, dict[str, Any]], Verdict]:
    """A numeric bound's check: it holds, or the value is not a number (which it ignores)."""

    def check(walk: _Walk, bound: Any, value: Any, schema: dict[str, Any]) -> Verdict:
        if json_type(bound) not in ("integer", "number"):
            return None
        kind = json_type(value)
        if kind is None:
            return None
        return holds(value, bound) if kind in ("integer", "number") else True

    return check


_KEYWORDS: dict[str, Callable[[_Walk, Any, Any, dict[str, Any]], Verdict]] = {
    "type": _Walk._type,
    "enum": _Walk._enum,
    "const": _Walk._const,
    "properties": _Walk._properties,
    "patternProperties": _Walk._pattern_properties,
    "additionalProperties": _Walk._additional_properties,
    "required": _Walk._required,
    "items": _Walk._items,
    "$ref": _Walk._ref,
    "not": _Walk._not,
    "allOf": _Walk._all_of,
    "anyOf": _Walk._any_of,
    "oneOf": _Walk._one_of,
    "if": _Walk._if,
    "then": _Walk._branch,
    "else": _Walk._branch,
    "minimum": _bound(operator.ge),
    "maximum": _bound(operator.le),
    "exclusiveMinimum": _bound(operator.gt),
    "exclusiveMaximum": _bound(operator.lt),
    "multipleOf": _Walk._multiple_of,
    "minLength": _size(_string_length, operator.ge),
    "maxLength": _size(_string_length, operator.le),
    "minItems": _size(_array_length, operator.ge),
    "maxItems": _size(_array_length, operator.le),
    "minProperties": _size(_object_size, operator.ge),
    "maxProperties": _size(_object_size, operator.le),
    "uniqueItems": _Walk._unique_items,
    "pattern": _Walk._pattern,
    "prefixItems": _Walk._prefix_items,
}

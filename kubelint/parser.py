"""YAML text → Documents with positions, built straight from libyaml's event stream.

Why events and not `yaml.load`: PyYAML's loaders lose positions, and composing a node tree and
then walking it costs more than building the objects once from events. Why our own scalar
resolution: Kubernetes reads YAML with go-yaml (YAML 1.1 flavour, via sigs.k8s.io/yaml), which
differs from PyYAML's resolvers: unquoted dates stay strings, `=` is a string, `1:20` is a string
(PyYAML reads a base-60 integer), `1e3` is a float, `y`/`n`/`on`/`off` are booleans.

The builder is iterative, so deep nesting cannot exhaust the Python stack, and it counts how many
nodes aliases expand to, so an alias bomb is refused before anything walks it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kubelint.model import Document, FieldPath, NodePos, Span

try:  # libyaml is ~5x faster; the pure-Python parser is the fallback, same events.
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventParser  # type: ignore[assignment]

MAX_DEPTH = 1000
MAX_ALIAS_EXPANSION = 1_000_000  # nodes that aliases may add to a file, in total

_BOOL = {
    "y": True, "Y": True, "yes": True, "Yes": True, "YES": True,
    "true": True, "True": True, "TRUE": True, "on": True, "On": True, "ON": True,
    "n": False, "N": False, "no": False, "No": False, "NO": False,
    "false": False, "False": False, "FALSE": False, "off": False, "Off": False, "OFF": False,
}  # fmt: skip
_NULL = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOAT = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip
# strconv.ParseInt(s, 0, 64) after go-yaml removed underscores.
_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NUMERIC_START = frozenset("+-.0123456789")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge", "!",
}  # fmt: skip


def resolve_plain(text: str) -> Any:
    """The value go-yaml gives an untagged plain scalar."""
    if not text:
        return None
    first = text[0]
    if first in _NUMERIC_START:
        plain = text.replace("_", "") if "_" in text else text
        if _INT.match(plain):
            sign = -1 if plain[0] == "-" else 1
            body = plain.lstrip("+-")
            if body[:2] in ("0x", "0X"):
                value = int(body[2:], 16)
            elif body[:2] in ("0o", "0O"):
                value = int(body[2:], 8)
            elif body[:2] in ("0b", "0B"):
                value = int(body[2:], 2)
            elif len(body) > 1 and body[0] == "0":
                value = int(body[1:], 8)
            else:
                value = int(body)
            value *= sign
            if -(2**63) <= value < 2**64:
                return value
        if _FLOAT.match(plain):
            return float(plain)
        special = _SPECIAL_FLOAT.get(text)
        if special is not None:
            return special
        return text
    if text in _NULL:
        return None
    boolean = _BOOL.get(text)
    if boolean is not None:
        return boolean
    return text


def _tagged(value: str, tag: str) -> Any:
    """A scalar with an explicit standard tag."""
    short = tag.rsplit(":", 1)[-1]
    if short in ("str", "binary", "timestamp", "!"):
        return value
    resolved = resolve_plain(value)
    if short == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if short == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    if short == "bool" and isinstance(resolved, bool):
        return resolved
    if short == "null" and resolved is None:
        return None
    raise _BuildError(f"cannot read {value!r} as !!{short}")


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something wrong with the YAML itself; the source stage turns it into a finding."""

    rule: str
    message: str
    span: Span


@dataclass(slots=True)
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    # Character ranges of scalar values: lets the template detector tell `{{` inside a string
    # from `{{` that YAML read as structure. Only collected when asked.
    scalar_ranges: list[tuple[int, int]] = field(default_factory=list)
    error_index: int | None = None  # where parsing stopped, if it did


class _BuildError(Exception):
    """A YAML construct Kubernetes would refuse (unknown tag, alias bomb, too deep)."""

    def __init__(self, message: str, rule: str = "yaml-syntax") -> None:
        super().__init__(message)
        self.rule = rule


def _span(start: Any, end: Any, line_offset: int) -> Span:
    return Span(start.line + 1 + line_offset, start.column + 1, end.line + 1 + line_offset, end.column + 1)


def _key_text(value: Any) -> str:
    """Kubernetes turns non-string keys into strings when it converts YAML to JSON."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Frame:
    __slots__ = ("container", "path", "is_map", "key", "key_span", "merges", "explicit", "size",
                 "start", "anchor")

    def __init__(self, container: Any, path: FieldPath, is_map: bool, start: Any,
                 anchor: str | None) -> None:
        self.container = container
        self.start = start
        self.anchor = anchor
        self.path = path
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.key_span: Span | None = None
        self.merges: list[Any] | None = None
        self.explicit: set[str] | None = None
        self.size = 1


_NO_KEY = object()
_MERGE = object()


def parse(text: str, filename: str, *, collect_scalars: bool = False, line_offset: int = 0,
          first_index: int = 0) -> ParseResult:
    """Parse every document of `text`; stop at the first syntax error, keeping what came before."""
    result = ParseResult()
    parser = _EventParser(text)
    positions: dict[FieldPath, NodePos] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    expanded = 0
    doc_index = first_index
    doc_start: Any = None
    root: Any = _NO_KEY
    root_span: Span | None = None
    scalar_ranges = result.scalar_ranges
    ScalarEvent = yaml.ScalarEvent
    MappingStartEvent = yaml.MappingStartEvent
    SequenceStartEvent = yaml.SequenceStartEvent
    MappingEndEvent = yaml.MappingEndEvent
    SequenceEndEvent = yaml.SequenceEndEvent
    AliasEvent = yaml.AliasEvent
    DocumentStartEvent = yaml.DocumentStartEvent
    DocumentEndEvent = yaml.DocumentEndEvent

    def attach(value: Any, start: Any, end: Any, size: int) -> None:
        """Put a finished node into its parent (or make it the document root)."""
        nonlocal root, root_span
        if not stack:
            root = value
            root_span = _span(start, end, line_offset)
            positions[()] = NodePos(None, root_span)
            return
        frame = stack[-1]
        frame.size += size
        if frame.is_map:
            if frame.key is _NO_KEY:
                if isinstance(value, (dict, list)):
                    raise _BuildError("a mapping key must be a string, not a mapping or list")
                frame.key = value
                frame.key_span = _span(start, end, line_offset)
                return
            key = frame.key
            frame.key = _NO_KEY
            if key is _MERGE:
                sources = value if isinstance(value, list) else [value]
                if not all(isinstance(s, dict) for s in sources):
                    raise _BuildError("the merge key << takes a mapping or a list of mappings")
                if frame.merges is None:
                    frame.merges = []
                frame.merges.append((sources, frame.key_span))
                return
            key = _key_text(key)
            mapping = frame.container
            if frame.explicit is not None and key in frame.explicit:
                assert frame.key_span is not None
                result.problems.append(ParseProblem(
                    "yaml-duplicate-key",
                    f"duplicate key `{key}`: Kubernetes keeps only the last value and "
                    "`kubectl --validate=strict` rejects it; remove one of them",
                    frame.key_span,
                ))
            elif frame.explicit is None:
                frame.explicit = {key}
            else:
                frame.explicit.add(key)
            mapping[key] = value
            path = frame.path + (key,)
            positions[path] = NodePos(frame.key_span, _span(start, end, line_offset))
        else:
            sequence = frame.container
            path = frame.path + (len(sequence),)
            sequence.append(value)
            positions[path] = NodePos(None, _span(start, end, line_offset))

    def child_path() -> FieldPath:
        if not stack:
            return ()
        frame = stack[-1]
        if frame.is_map:
            if frame.key is _NO_KEY or frame.key is _MERGE:
                return frame.path + ("<key>",)
            return frame.path + (_key_text(frame.key),)
        return frame.path + (len(frame.container),)

    try:
        while True:
            event = parser.get_event()
            if event is None:
                break
            cls = event.__class__
            if cls is ScalarEvent:
                value_text = event.value
                tag = event.tag
                if tag is None or tag == "!":
                    if not event.style and tag is None:  # plain: None (Python) or "" (libyaml)
                        if (stack and stack[-1].is_map and stack[-1].key is _NO_KEY
                                and value_text == "<<"):
                            value: Any = _MERGE
                        else:
                            value = resolve_plain(value_text)
                    else:
                        value = value_text
                elif tag in _STANDARD_TAGS:
                    value = _tagged(value_text, tag)
                else:
                    raise _BuildError(f"unsupported tag {tag}: Kubernetes manifests use plain "
                                      "YAML types only; remove the tag")
                if collect_scalars:
                    scalar_ranges.append((event.start_mark.index, event.end_mark.index))
                if value is _MERGE:
                    frame = stack[-1]
                    frame.key = _MERGE
                    frame.key_span = _span(event.start_mark, event.end_mark, line_offset)
                    continue
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                attach(value, event.start_mark, event.end_mark, 1)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                tag = event.tag
                if tag is not None and tag not in _STANDARD_TAGS:
                    raise _BuildError(f"unsupported tag {tag}: Kubernetes manifests use plain "
                                      "YAML types only; remove the tag")
                if len(stack) >= MAX_DEPTH:
                    raise _BuildError(
                        f"the document nests deeper than {MAX_DEPTH} levels; no Kubernetes "
                        "object is that deep", rule="yaml-complexity")
                is_map = cls is MappingStartEvent
                stack.append(_Frame({} if is_map else [], child_path(), is_map,
                                    event.start_mark, event.anchor))
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.merges:
                    _apply_merges(frame, positions)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.container, frame.size)
                attach(frame.container, frame.start, event.end_mark, frame.size)
            elif cls is AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:
                    raise _BuildError(f"unknown alias *{event.anchor}")
                value, size = target
                expanded += size
                if expanded > MAX_ALIAS_EXPANSION:
                    raise _BuildError(
                        f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an alias "
                        "bomb?); refusing to expand them", rule="yaml-complexity")
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise _BuildError("an alias cannot be used as a mapping key here")
                attach(value, event.start_mark, event.end_mark, size)
            elif cls is DocumentStartEvent:
                doc_start = event.start_mark
                positions = {}
                anchors = {}
                root = _NO_KEY
                root_span = None
            elif cls is DocumentEndEvent:
                if root is not _NO_KEY:
                    assert root_span is not None
                    span = Span(doc_start.line + 1 + line_offset, doc_start.column + 1,
                                root_span.end_line, root_span.end_column)
                    result.documents.append(Document(filename, doc_index, root, positions, span))
                doc_index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        result.problems.append(ParseProblem("yaml-syntax", _syntax_message(exc), Span(line, column, line, column)))
        result.error_index = mark.index if mark else 0
    except yaml.YAMLError as exc:  # reader errors: bad characters
        mark = getattr(exc, "position", None)
        result.problems.append(ParseProblem("yaml-syntax", f"not valid YAML: {exc}", Span(1 + line_offset, 1, 1 + line_offset, 1)))
        result.error_index = mark if isinstance(mark, int) else 0
    except _BuildError as exc:
        mark = event.start_mark
        line = mark.line + 1 + line_offset
        result.problems.append(ParseProblem(exc.rule, str(exc), Span(line, mark.column + 1, line, mark.column + 1)))
        result.error_index = mark.index
    return result


def _apply_merges(frame: _Frame, positions: dict[FieldPath, NodePos]) -> None:
    """YAML merge keys: explicit keys win, then earlier merge sources over later ones."""
    mapping = frame.container
    explicit = frame.explicit or set()
    for sources, span in frame.merges or []:
        for source in sources:
            for key, value in source.items():
                if key not in explicit and key not in mapping:
                    mapping[key] = value
                    assert span is not None
                    positions[frame.path + (key,)] = NodePos(span, span)
    # Keep the object's keys in source order with merged keys where `<<` stood is not needed
    # by any consumer; dict order is insertion order, which keeps output deterministic.


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "syntax error").strip()
    context = (exc.context or "").strip()
    text = f"not valid YAML: {problem}"
    if context:
        text += f" ({context})"
    if "found character '\\t'" in problem or "\\t" in problem:
        text += "; YAML does not allow tabs for indentation, use spaces"
    return text

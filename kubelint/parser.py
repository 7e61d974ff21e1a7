"""YAML text → Documents with positions, built straight from libyaml's event stream.

Why events and not `yaml.load`: PyYAML's loaders lose positions, and composing a node tree and
then walking it costs more than building the objects once from events. Why our own scalar
resolution: Kubernetes reads YAML with go-yaml (YAML 1.1 flavour, via sigs.k8s.io/yaml), which
differs from PyYAML's resolvers: unquoted dates stay strings, `=` is a string, `1:20` is a string
(PyYAML reads a base-60 integer), `1e3` is a float, `y`/`n`/`on`/`off` are booleans.

The builder is iterative, so deep nesting cannot exhaust the Python stack, and it counts how many
nodes aliases expand to, so an alias bomb is refused before anything walks it: aliases share the
anchored object, so memory stays bounded by the text, and the count bounds the time of anything
that later walks the expanded tree.

Every way the YAML can be bad ends as a ParseProblem with a place, never an exception: the source
stage resumes after it at the next document.
"""

from __future__ import annotations

import gc
import math
import os
import re
import threading
from _thread import get_ident
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from kubelint.model import Document, FieldPath, Layout, RawPosition, Span, as_numbers

try:  # libyaml is ~5x faster; the pure-Python parser is the fallback, same events.
    import yaml._yaml as _yaml_module
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventParser  # type: ignore[assignment]
    _yaml_module = None
_EVENTS_LOCK = threading.Lock()
_EVENT_NAMES = ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent",
                "AliasEvent", "ScalarEvent", "MappingStartEvent", "SequenceStartEvent",
                "MappingEndEvent", "SequenceEndEvent")
_PRISTINE = {name: getattr(_yaml_module, name) for name in _EVENT_NAMES if hasattr(_yaml_module, name)}
# Pausing the cyclic collector during a parse is a process-wide side effect: only the command
# line (which owns its process) turns it on; a library caller's process is left alone.
PAUSE_GC = False


def _after_fork_in_child() -> None:
    """A fork while another thread of the host was inside a parse copies the lock held and
    PyYAML's event names bound to that thread's callbacks; the child would wait forever on
    its first parse (a worker of lint_paths(jobs=2) in a threaded host)."""
    global _EVENTS_LOCK
    _EVENTS_LOCK = threading.Lock()
    if _yaml_module is not None:
        vars(_yaml_module).update(_PRISTINE)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

# The deepest object in the real-world corpus nests 39 levels (CRD schemas). Past a few
# hundred levels the schema validator gives up silently and recursive walkers risk the stack, so
# anything deeper is reported here instead. libyaml itself stops at 1000.
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 1_000_000  # nodes that aliases may add to a file, in total
_USING_LIBYAML = _EventParser.__module__ == "yaml._yaml"
# The arguments libyaml's module passes to each event class it looks up by name, in order: our
# callbacks take exactly these (see _run_events).
_EVENT_SIGNATURES = {
    "StreamStartEvent": ("start_mark", "end_mark", "encoding"),
    "StreamEndEvent": ("start_mark", "end_mark"),
    "DocumentStartEvent": ("start_mark", "end_mark", "explicit", "version", "tags"),
    "DocumentEndEvent": ("start_mark", "end_mark", "explicit"),
    "AliasEvent": ("anchor", "start_mark", "end_mark"),
    "ScalarEvent": ("anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style"),
    "MappingStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "SequenceStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "MappingEndEvent": ("start_mark", "end_mark"),
    "SequenceEndEvent": ("start_mark", "end_mark"),
}


def _events_as_expected(module: Any) -> bool:
    """Whether `module` builds events from the classes, with the arguments, our callbacks stand in for.

    Rebinding the names is only sound while libyaml's module calls PyYAML's own event classes
    with these parameters; a PyYAML that changed either gets the slow path (event objects and
    their attributes), which is slower but reads the same.
    """
    import inspect

    import yaml.events

    for name, expected in _EVENT_SIGNATURES.items():
        bound = getattr(module, name, None)
        if bound is None or bound is not getattr(yaml.events, name, None):
            return False
        try:
            parameters = list(inspect.signature(bound.__init__).parameters.values())
        except (TypeError, ValueError):
            return False
        if tuple(p.name for p in parameters[1:]) != expected or any(
                p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters):
            return False
    return True


# Whether a parse may rebind PyYAML's event names to our callbacks (see _run_events).
_FAST_EVENTS = _USING_LIBYAML and _events_as_expected(_yaml_module)

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
_WORDS: dict[str, Any] = {**_BOOL, **dict.fromkeys(_NULL)}  # the plain scalars that are no string
# First characters of plain scalars that can only be strings: nothing that go-yaml resolves to
# a number, bool, null or merge key starts with one of them. Checked inline, for speed.
_PLAIN_TEXT_START = frozenset(
    chr(c) for c in range(0x21, 0x7F) if chr(c) not in "+-.0123456789~yYnNtTfFoO<"
)
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
        # More than 21 characters cannot be a decimal int64/uint64 (and int() refuses
        # thousands of digits); hex, octal and binary parse in linear time at any length.
        if _INT.match(plain) and (len(plain) <= 21 or plain.lstrip("+-")[:1] == "0"):
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
            number = float(plain)
            if number not in (math.inf, -math.inf):
                return number
            return text  # strconv.ParseFloat reports a range error: go-yaml keeps the string
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


class ParseProblem(NamedTuple):
    """Something wrong with the YAML itself; the source stage turns it into a finding."""

    rule: str
    message: str
    span: Span
    # For problems inside a document that was read (a duplicate key): which one, and where.
    document: int | None = None
    path: FieldPath = ()


@dataclass(slots=True)
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    # Character ranges of scalar values: lets the template detector tell `{{` inside a string
    # from `{{` that YAML read as structure. Only collected when asked.
    scalar_ranges: list[tuple[int, int]] = field(default_factory=list)
    # Offsets below are in characters of the whole text (not of the window at `start`).
    error_index: int | None = None  # where parsing stopped, if it did
    # After an error, where the next document can begin at the earliest: past the `---` of the
    # broken document, or past the last document that ended. Resuming any earlier would read a
    # document twice and report its problems twice.
    resume_floor: int = 0
    # Whether the error was inside a document (not in directives or junk between documents).
    error_in_document: bool = False
    # The index the next document would get: documents completed, plus `first_index`. After an
    # error inside a document it is the index of the broken document.
    next_index: int = 0
    alias_nodes: int = 0  # nodes that aliases added, counting those of earlier parses of the file


class _Window:
    """text[start:] as a stream that libyaml pulls in pieces.

    Why: resuming after a syntax error parses the rest of the file again; slicing or encoding
    the whole rest for every broken document made a file of many broken documents quadratic.
    A stream is read only as far as the parser gets.
    """

    __slots__ = ("text", "pos", "piece_start", "piece")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start
        self.piece_start = start
        self.piece = 256  # small first: after a broken document the next one is often short

    def read(self, size: int = -1) -> str:
        self.piece_start = start = self.pos
        size = self.piece if size < 0 else min(size, self.piece)
        self.piece *= 2
        self.pos = min(len(self.text), start + size)
        return self.text[start:self.pos]


class _BuildError(Exception):
    """A YAML construct Kubernetes would refuse (unknown tag, alias bomb, too deep)."""

    def __init__(self, message: str, rule: str = "yaml-syntax", mark: Any = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.mark = mark  # where: the start of the event that raised it



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
    """An open mapping or sequence while its events stream in."""

    __slots__ = ("container", "path", "is_map", "key", "key_start", "key_end", "merges", "size",
                 "start", "anchor", "pos")

    def __init__(self, container: Any, path: FieldPath, is_map: bool, start: Any,
                 anchor: str | None, pos: Any) -> None:
        self.container = container
        self.start = start
        self.anchor = anchor
        self.path = path
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.key_start: Any = None  # the libyaml marks of the pending key
        self.key_end: Any = None
        self.merges: list[Any] | None = None
        self.size = 1
        self.pos = pos  # the positions of the children: see model.Layout

    @property
    def key_pos(self) -> RawPosition:
        start, end = self.key_start, self.key_end
        return (start.line, start.column, end.line, end.column)


_NO_KEY = object()
_MERGE = object()


# go-yaml, the API server's and kubectl's YAML reader, reads the escape \' in a double-quoted
# scalar as '; libyaml refuses it. (Both accept \/ and \<TAB>, so \' is the only escape where
# they part.) Such a file is parsed again with the escape rewritten to \L, of the same length,
# so every position stays right, and the line separator it yields is turned back into '.
_GO_YAML_QUOTE = "\\'"
_STAND_IN = "\\L"
_MAX_REWRITES = 1000


def parse(text: str, filename: str, *, collect_scalars: bool = False, line_offset: int = 0,
          first_index: int = 0, start: int = 0, alias_nodes: int = 0) -> ParseResult:
    """Parse as go-yaml reads: libyaml, plus what go-yaml accepts and libyaml refuses (see above)."""
    result = _parse(text, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                    first_index=first_index, start=start, alias_nodes=alias_nodes)
    rewrites = 0
    if result.error_index is None or not text.startswith(_GO_YAML_QUOTE, result.error_index) \
            or "\u2028" in text or _STAND_IN in text[start:]:
        return result  # the clean path: one test of the error index
    while (result.error_index is not None and text.startswith(_GO_YAML_QUOTE, result.error_index)
           and result.problems and "unknown escape" in result.problems[-1].message
           and rewrites < _MAX_REWRITES):
        index = result.error_index
        patched = text[:index] + _STAND_IN + text[index + 2:]
        retry = _parse(patched, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                       first_index=first_index, start=start, alias_nodes=alias_nodes)
        if retry.error_index is not None and retry.error_index <= index:
            break  # the rewrite did not help: keep libyaml's complaint
        text, result, rewrites = patched, retry, rewrites + 1
    if rewrites:
        for doc in result.documents:
            doc.obj = _restore_quotes(doc.obj)
    return result


def _restore_quotes(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\u2028", "'")
    if isinstance(value, dict):
        return {k: _restore_quotes(v) for k, v in value.items()}  # keys keep their positions
    if isinstance(value, list):
        return [_restore_quotes(v) for v in value]
    return value


def _parse(text: str, filename: str, *, collect_scalars: bool = False, line_offset: int = 0,
           first_index: int = 0, start: int = 0, alias_nodes: int = 0) -> ParseResult:
    """Parse every document of `text[start:]`; stop at the first error, keeping what came before.

    `start` must be at a line start and `line_offset` the number of lines before it, so that
    positions are those of the whole text; documents are numbered from `first_index`.
    `alias_nodes` is what aliases earlier in the file already expanded to: the limit is for the
    whole file, across the parses that resume after errors.
    """
    result = ParseResult(next_index=first_index)
    if not start and text.startswith("\ufeff"):
        # libyaml skips a leading byte-order mark without counting it in its offsets; drop it
        # here so that offsets into `text` and libyaml's agree (columns already skip it).
        text = text[1:]
    positions: Layout = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None  # stack[-1], kept at hand: every event asks for it
    no_key = _NO_KEY
    plain_text_start = _PLAIN_TEXT_START
    numeric_start = _NUMERIC_START
    words = _WORDS
    problems = result.problems
    expanded = alias_nodes
    doc_index = first_index
    doc_start: Any = None
    floor: Any = None  # the end of the last `---` (or implicit document start) or document end
    in_document = False
    window = _Window(text, start) if start else None
    root: Any = _NO_KEY
    root_pos: RawPosition = ()
    scalar_ranges = result.scalar_ranges
    stream_end: Any = None
    # While a parse runs, PyYAML's C module calls these callbacks for every parser in the
    # process (see _run_events); events of another thread's parser get what PyYAML would
    # have made for them, and never reach this builder.
    owner = get_ident()

    def attach(value: Any, start: Any, end: Any, size: int) -> None:
        """Put a finished node into its parent (or make it the document root)."""
        nonlocal root, root_pos
        frame = top
        if frame is None:
            root = value
            root_pos = (start, end)
            return
        frame.size += size
        if frame.is_map:
            key = frame.key
            if key is no_key:
                if isinstance(value, (dict, list)):
                    raise _BuildError("a mapping key must be a string, not a mapping or list", mark=start)
                frame.key = value
                frame.key_start = start
                frame.key_end = end
                return
            frame.key = no_key
            if key is _MERGE:
                sources = value if isinstance(value, list) else [value]
                if not all(isinstance(s, dict) for s in sources):
                    raise _BuildError("the merge key << takes a mapping or a list of mappings", mark=start)
                if frame.merges is None:
                    frame.merges = []
                frame.merges.append((sources, (frame.key_start, frame.key_end)))
                return
            if type(key) is not str:
                key = _key_text(key)
            mapping = frame.container
            if key in mapping:  # merged keys are added only at the mapping's end
                problems.append(_duplicate(key, frame.key_pos, line_offset, doc_index, frame.path))
            mapping[key] = value
            frame.pos[key] = (frame.key_start, frame.key_end, start, end)
        else:
            frame.container.append(value)
            frame.pos.append((start, end))

    # libyaml calls these, one per event, with the event's fields (see _run_events). They never
    # raise: an error is returned as _Stopped and raised once libyaml has freed the event.
    def scalar(anchor: str | None, tag: str | None, implicit: Any, value_text: str, sm: Any, em: Any,
               style: str | None) -> Any:
        try:
            if get_ident() != owner:  # another thread's parser: what PyYAML would have made
                return yaml.ScalarEvent(anchor, tag, implicit, value_text, sm, em, style)
            if tag is None:
                if style:  # quoted or block: a string (plain is None or "")
                    value: Any = value_text
                elif value_text[:1] in plain_text_start:
                    value = value_text  # `image`, `nginx`: no number, bool or null starts so
                elif value_text[:1] in numeric_start:
                    value = resolve_plain(value_text)
                elif value_text == "<<" and top is not None and top.is_map and top.key is no_key:
                    top.key = _MERGE
                    top.key_start = sm
                    top.key_end = em
                    return True
                else:
                    value = words.get(value_text, value_text)  # `true`, `null`, `~`; `name` stays
            elif tag == "!":
                value = value_text
            elif tag in _STANDARD_TAGS:
                try:
                    value = _tagged(value_text, tag)
                except _BuildError as exc:
                    exc.mark = sm
                    raise
            else:
                raise _BuildError(_unsupported_tag(tag), mark=sm)
            if collect_scalars:
                scalar_ranges.append((start + sm.index, start + em.index))
            if anchor is not None:
                anchors[anchor] = (value, 1)
            frame = top
            # The two commonest cases inline, for speed: a key, and a value under a string key.
            # Everything else goes through attach().
            if frame is not None and frame.is_map:
                key = frame.key
                if key is no_key:
                    frame.key = value
                    frame.key_start = sm
                    frame.key_end = em
                    frame.size += 1
                    return True
                if type(key) is str:
                    frame.key = no_key
                    frame.size += 1
                    mapping = frame.container
                    if key in mapping:
                        problems.append(_duplicate(key, frame.key_pos, line_offset, doc_index, frame.path))
                    mapping[key] = value
                    frame.pos[key] = (frame.key_start, frame.key_end, sm, em)
                    return True
            attach(value, sm, em, 1)
            return True
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def collection_start(is_map: bool, anchor: str | None, tag: str | None, sm: Any) -> bool:
        nonlocal top
        if tag is not None and tag not in _STANDARD_TAGS:
            raise _BuildError(_unsupported_tag(tag), mark=sm)
        if len(stack) >= MAX_DEPTH:
            raise _BuildError(
                f"the document nests deeper than {MAX_DEPTH} levels; no Kubernetes "
                "object is that deep", rule="yaml-complexity", mark=sm)
        if top is None:
            path: FieldPath = ()
        elif top.is_map:
            key = top.key
            if key is no_key or key is _MERGE:
                path = top.path + ("<key>",)
            else:
                path = top.path + (key if type(key) is str else _key_text(key),)
        else:
            path = top.path + (len(top.container),)
        pos: Any = {} if is_map else []
        positions[path] = pos
        top = _Frame({} if is_map else [], path, is_map, sm, anchor, pos)
        stack.append(top)
        return True

    def mapping_start(anchor: str | None, tag: str | None, implicit: Any, sm: Any, em: Any,
                      flow_style: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.MappingStartEvent(anchor, tag, implicit, sm, em, flow_style)
            return collection_start(True, anchor, tag, sm)
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def sequence_start(anchor: str | None, tag: str | None, implicit: Any, sm: Any, em: Any,
                       flow_style: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.SequenceStartEvent(anchor, tag, implicit, sm, em, flow_style)
            return collection_start(False, anchor, tag, sm)
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def mapping_end(sm: Any, em: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.MappingEndEvent(sm, em)
            return collection_end(sm, em)
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def sequence_end(sm: Any, em: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.SequenceEndEvent(sm, em)
            return collection_end(sm, em)
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def collection_end(sm: Any, em: Any) -> bool:
        nonlocal top
        frame = stack.pop()
        top = stack[-1] if stack else None
        if frame.merges:
            _apply_merges(frame)
        if frame.anchor is not None:
            anchors[frame.anchor] = (frame.container, frame.size)
        attach(frame.container, frame.start, em, frame.size)
        return True

    def alias(anchor: str, sm: Any, em: Any) -> bool:
        nonlocal expanded
        target = anchors.get(anchor)
        if target is None:
            raise _BuildError(f"unknown alias *{anchor}", mark=sm)
        value, size = target
        expanded += size
        if expanded > MAX_ALIAS_EXPANSION:
            raise _BuildError(
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an alias "
                "bomb?); refusing to expand them", rule="yaml-complexity", mark=sm)
        if top is not None and top.is_map and top.key is no_key:
            raise _BuildError("an alias cannot be used as a mapping key here", mark=sm)
        attach(value, sm, em, size)
        return True

    def document_start(sm: Any, em: Any, explicit: Any = None, version: Any = None,
                       tags: Any = None) -> bool:
        nonlocal doc_start, floor, in_document, positions, anchors, root
        doc_start = sm
        floor = em
        in_document = True
        positions = {}
        anchors = {}
        root = _NO_KEY
        return True

    def document_end(sm: Any, em: Any, explicit: Any = None) -> bool:
        nonlocal doc_index, floor, in_document
        if root is not _NO_KEY:
            span = Span(doc_start.line + 1 + line_offset, doc_start.column + 1,
                        root_pos[1].line + 1 + line_offset, root_pos[1].column + 1)
            result.documents.append(Document(filename, doc_index, root, positions, span,
                                             line_offset=line_offset, root=root_pos))
        doc_index += 1
        floor = em
        in_document = False
        return True

    def stream_start(sm: Any, em: Any, encoding: Any = None) -> bool:
        return True

    def stream_finish(sm: Any, em: Any) -> bool:
        nonlocal stream_end
        stream_end = sm
        return True

    calls: dict[str, Callable[..., Any]] = {
        "StreamStartEvent": stream_start, "StreamEndEvent": stream_finish,
        "DocumentStartEvent": document_start, "DocumentEndEvent": document_end,
        "AliasEvent": alias, "ScalarEvent": scalar,
        "MappingStartEvent": mapping_start, "SequenceStartEvent": sequence_start,
        "MappingEndEvent": mapping_end, "SequenceEndEvent": sequence_end,
    }
    for name in ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent",
                 "AliasEvent"):  # the rare events: a wrapper is cheap enough
        calls[name] = _owned_by(owner, calls[name], getattr(yaml, name))
    try:
        _run_events(window if window is not None else text, calls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = start + mark.index if mark is not None else len(text)
        rule, message = _syntax_problem(exc, text, index)
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark is not None else (0, 0)
        _fail(result, rule, message, text, index, line, column, start, line_offset)
        opened = _unclosed(exc, text, start, line_offset, result.problems[-1].span)
        if opened is not None:  # reported where the bracket or quote opened
            result.problems[-1] = opened
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        index = _reader_index(text, start, exc.position)
        line, column = position(text, index, start, line_offset)
        code = exc.character if isinstance(exc.character, int) else ord(text[index:index + 1] or "\0")
        message = f"not valid YAML: the character U+{code:04X} is not allowed in YAML ({exc.reason}); remove it"
        _fail(result, "yaml-syntax", message, text, index, line, column, start, line_offset)
    except UnicodeEncodeError as exc:  # a lone surrogate in a str from the library API
        index = (window.piece_start if window is not None else 0) + exc.start
        line, column = position(text, index, start, line_offset)
        message = f"not valid Unicode: the lone surrogate U+{ord(text[index]):04X} is not a character"
        _fail(result, "file-unreadable", message, text, index, line, column, start, line_offset)
    except _BuildError as exc:
        mark = exc.mark
        _fail(result, exc.rule, str(exc), text, start + mark.index, mark.line + 1 + line_offset,
              mark.column + 1, start, line_offset)
    result.next_index = doc_index
    result.alias_nodes = expanded
    if result.error_index is not None:
        result.error_in_document = in_document
        result.resume_floor = start + floor.index if floor is not None else start
    elif stream_end is not None and result.documents and text[-1:] not in LINE_BREAK_CHARS:
        _clamp_to_end(result.documents[-1], text, stream_end.line + 1 + line_offset)
    return result


def _run_events(stream: Any, calls: dict[str, Callable[..., Any]]) -> None:
    """Feed every event of `stream` to `calls`, keyed by PyYAML's event class names.

    Why not `get_event()` and a dispatch on its class: libyaml parses a manifest in a fifth of
    the time PyYAML then takes to make an event object per event with a Python `__init__`.
    PyYAML's C module looks those classes up by name in its own namespace at every event, so
    for the length of one parse the names are bound to our callbacks and the objects are
    never made (a third less time for the whole parse). The lock keeps two of these parses
    apart; a callback called from another thread (someone else's parser, using PyYAML's event
    API meanwhile) makes the event object PyYAML would have made, so nobody else sees a
    difference. Should a PyYAML build ever stop calling by name, its event objects come back
    from `get_event()` and take the slow path below, so the result is the same either way;
    one whose event classes no longer take the arguments our callbacks expect is found at
    import (_FAST_EVENTS) and never rebound.

    A callback does not raise into libyaml's module: an exception there skips its freeing of
    the event (a leak per failed parse). It returns a _Stopped, which comes back from
    `get_event()` once the event is freed, and is raised here.
    """
    if not _FAST_EVENTS:
        parser = _EventParser(stream)
        while (event := parser.get_event()) is not None:
            stopped = _call_for(event, calls)
            if type(stopped) is _Stopped:
                raise stopped.error
        return
    namespace = vars(_yaml_module)
    # The builder makes a tree of new containers: no cycles for the collector to find, yet
    # it would walk the young objects again and again as they pile up (a fifth of the time).
    collecting = gc.isenabled()
    with _EVENTS_LOCK:
        saved = {name: namespace[name] for name in calls}
        namespace.update(calls)
        if PAUSE_GC:
            gc.disable()
        try:
            get_event = _EventParser(stream).get_event
            while True:
                event = get_event()
                if event is True:
                    continue
                if event is None:
                    return
                if type(event) is _Stopped:
                    raise event.error
                stopped = _call_for(event, calls)  # pragma: no cover - a PyYAML that did not call us
                if type(stopped) is _Stopped:  # pragma: no cover
                    raise stopped.error
        finally:
            namespace.update(saved)
            if collecting:
                gc.enable()


class _Stopped:
    """An exception a callback caught, on its way out of libyaml's module (see _run_events)."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _owned_by(owner: int, call: Callable[..., Any], event_class: Any) -> Callable[..., Any]:
    def owned(*args: Any) -> Any:
        try:
            if get_ident() != owner:
                return event_class(*args)
            return call(*args)
        except BaseException as exc:  # see _run_events: never raise into libyaml's module
            return _Stopped(exc)
    return owned


def _call_for(event: Any, calls: dict[str, Callable[..., Any]]) -> Any:
    """Turn an event object into the call libyaml makes for it; what the call returned."""
    name = type(event).__name__
    call = calls[name]
    if name == "ScalarEvent":
        return call(event.anchor, event.tag, event.implicit, event.value, event.start_mark,
                    event.end_mark, event.style)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        return call(event.anchor, event.tag, event.implicit, event.start_mark, event.end_mark,
                    event.flow_style)
    if name == "AliasEvent":
        return call(event.anchor, event.start_mark, event.end_mark)
    return call(event.start_mark, event.end_mark)


def _clamp_to_end(doc: Document, text: str, virtual_line: int) -> None:
    """Bring spans that end on the line libyaml adds after a text with no final line break
    back to the end of the text, where an editor can show them."""
    last_line_start = max(text.rfind(c) for c in LINE_BREAK_CHARS) + 1
    end_line, end_column = virtual_line - 1, len(text) - last_line_start + 1

    def clamp(span: Span) -> Span:
        if span.end_line < virtual_line:
            return span
        return Span(min(span.line, end_line), span.column if span.line < virtual_line else end_column,
                    end_line, end_column)

    doc.span = clamp(doc.span)
    # Raw positions are 0-based and relative to the document's line offset.
    virtual = virtual_line - 1 - doc.line_offset
    last, column = end_line - 1 - doc.line_offset, end_column - 1

    def fix(raw: RawPosition) -> RawPosition:
        raw = as_numbers(raw)
        if max(raw[2::4]) < virtual:
            return raw
        fixed: list[int] = []
        for at in range(0, len(raw), 4):
            line, col, e_line, e_col = raw[at:at + 4]
            if e_line >= virtual:
                line, col = (min(line, last), col if line < virtual else column)
                e_line, e_col = last, column
            fixed += (line, col, e_line, e_col)
        return tuple(fixed)

    if doc.root:
        doc.root = fix(doc.root)
    for children in doc.positions.values():
        keys = range(len(children)) if type(children) is list else list(children)
        for key in keys:
            children[key] = fix(children[key])


def _fail(result: ParseResult, rule: str, message: str, text: str, index: int, line: int,
          column: int, start: int, line_offset: int) -> None:
    """Record the problem that stopped parsing, at its place in the whole text."""
    if index >= len(text):
        # libyaml ends a text that has no final line break with a line break of its own: a
        # mark at the end can be on a line that is not there. Use the real end instead.
        index = len(text)
        line, column = position(text, index, start, line_offset)
    result.problems.append(ParseProblem(rule, message, Span(line, column, line, column)))
    result.error_index = index


# What str.splitlines() splits at, and so what the text report and editors count as lines.
# libyaml breaks lines at \r\n, \r, \n, NEL, LS and PS; the others are characters YAML refuses,
# so the two agree on every line before the first error.
LINE_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
LINE_BREAK = re.compile("\r\n|[" + LINE_BREAK_CHARS + "]")


def position(text: str, index: int, start: int = 0, line_offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of character `index`; `start` is a line start `line_offset` lines in.

    Only for the rare places that need it (bad characters, templates); libyaml's marks give
    every other position, and the two count lines the same way.
    """
    index = max(start, min(index, len(text)))
    line = line_offset + 1
    line_start = start
    for match in LINE_BREAK.finditer(text, start, index):
        line += 1
        line_start = match.end()
    return line, index - line_start + 1


def _reader_index(text: str, start: int, position: int) -> int:
    """libyaml reports a bad character at a byte offset of the UTF-8 it read; make it characters."""
    if not _USING_LIBYAML:  # pragma: no cover - the pure-Python reader counts characters
        return start + position
    prefix = text[start:start + position].encode("utf-8", "surrogatepass")[:position]
    return start + len(prefix.decode("utf-8", "ignore"))


def _apply_merges(frame: _Frame) -> None:
    """YAML merge keys: explicit keys win, then earlier merge sources over later ones.

    Merged keys point at the `<<` that brought them."""
    mapping = frame.container
    for sources, key_pos in frame.merges or []:
        for source in sources:
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    frame.pos[key] = key_pos + key_pos


def _duplicate(key: str, key_pos: RawPosition, line_offset: int, document: int,
               parent: FieldPath) -> ParseProblem:
    line, column, end_line, end_column = key_pos[:4]
    return ParseProblem(
        "yaml-duplicate-key",
        f"duplicate key `{key}`: Kubernetes keeps only the last value and "
        "`kubectl --validate=strict` rejects it; remove one of them",
        Span(line + 1 + line_offset, column + 1, end_line + 1 + line_offset, end_column + 1),
        document, parent + (key,),
    )


def _unsupported_tag(tag: str) -> str:
    """Why a tag is refused; nothing is ever constructed from it, so `!!python/...` is inert."""
    shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
    return (f"unsupported tag `{shown}`: Kubernetes manifests use plain YAML types only; "
            "remove the tag")


# libyaml's context for a bracket or quote still open when it gave up, and what closes it.
_CLOSERS = {"while parsing a flow sequence": "]", "while parsing a flow mapping": "}",
            "while scanning a quoted scalar": ""}


def _unclosed(exc: yaml.MarkedYAMLError, text: str, start: int, line_offset: int,
              stopped: Span) -> ParseProblem | None:
    """A bracket or quote that is never closed, as a problem at the place where it opened.

    libyaml stops where it notices (often the end of the file, where no code frame can show
    anything); the fix is at the opening, so the finding goes there and names both places.
    A complaint on the opening's own line (`["a" "b"]`) stays where libyaml made it.
    """
    mark, context = exc.context_mark, (exc.context or "").strip()
    if mark is None or context not in _CLOSERS or exc.problem_mark is None:
        return None
    opener = text[start + mark.index:start + mark.index + 1]
    if opener not in ("[", "{", '"', "'"):
        return None
    closer = _CLOSERS[context] or opener
    problem = (exc.problem or "").strip()
    at_end = start + exc.problem_mark.index >= len(text) or "end of stream" in problem
    marker = "document indicator" in problem
    line, column = mark.line + 1 + line_offset, mark.column + 1
    if not (at_end or marker) and (not closer or stopped.line == line):
        return None
    where = f"not valid YAML: this `{opener}` opened at {line}:{column}"
    if at_end:
        message = (f"{where} is never closed: the end of the file ({stopped.line}:{stopped.column}) "
                   f"comes first; close it with `{closer}`")
    elif marker:
        message = (f"{where} is never closed: the document marker `---` at {stopped.line}:"
                   f"{stopped.column} comes first; close it with `{closer}`")
    else:
        message = (f"{where} is not closed: at {stopped.line}:{stopped.column} a `,` or `{closer}` "
                   f"was expected; close it with `{closer}`")
    return ParseProblem("yaml-syntax", message, Span(line, column, line, column + 1))


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, index: int) -> tuple[str, str]:
    """The rule and message for libyaml's complaint, in words a manifest author can act on."""
    problem = (exc.problem or "syntax error").strip()
    if "maximum nesting depth" in problem:
        return "yaml-complexity", (f"the document nests deeper than {MAX_DEPTH} levels; no "
                                   "Kubernetes object is that deep")
    context = (exc.context or "").strip()
    text_message = f"not valid YAML: {problem}"
    if context:
        text_message += f" ({context})"
    if "tab" in problem or text[index:index + 1] == "\t":
        text_message += "; YAML does not allow tabs for indentation, use spaces"
    return "yaml-syntax", text_message

"""The documents, built straight from libyaml's event stream: objects, positions and problems.

Why events and not `yaml.load`: PyYAML's loaders lose positions, and composing a node tree and
then walking it costs more than building the objects once from events.

The builder is iterative, so deep nesting cannot exhaust the Python stack, and it counts how many
nodes aliases expand to, so an alias bomb is refused before anything walks it: aliases share the
anchored object, so memory stays bounded by the text, and the count bounds the time of anything
that later walks the expanded tree.
"""

from __future__ import annotations

import sys
from _thread import get_ident
from collections.abc import Callable
from sys import intern
from typing import Any

from kubelint.model import (
    DeferredLayout,
    Document,
    FieldPath,
    Layout,
    RawPosition,
    Record,
    Span,
    as_numbers,
    pack_numbers,
    pack_position,
)
from kubelint.parser.cyaml import _owned_by, _run_events, _Stopped, paused_gc, pyyaml, rebind
from kubelint.parser.problems import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    ParseProblem,
    _BuildError,
    _duplicate,
    _stopping_problem,
    _unsupported_tag,
)
from kubelint.parser.scalars import (
    _GO_YAML_QUOTE,
    _MAX_REWRITES,
    _NUMERIC_START,
    _PLAIN_TEXT_START,
    _STAND_IN,
    _STANDARD_TAGS,
    _WORDS,
    _key_text,
    _restore_quotes,
    _tagged,
    resolve_plain,
)
from kubelint.parser.text import LINE_BREAK_CHARS, _Window

try:  # the C builder for plain manifests (_fastyaml.c); where it was not built, this one alone
    from kubelint.parser import _fastyaml
except ImportError:  # pragma: no cover - a build without a C compiler or libyaml's headers
    _fastyaml = None  # (configured at the end of this module, with the functions it calls)


class ParseResult(Record):
    """What a parse of a text (or of its rest, after an error) found: the later stages' input.

    A plain class with slots (model.Record), not a dataclass, which every start-up made."""

    __slots__ = ("documents", "problems", "scalar_ranges", "error_index", "resume_floor", "error_in_document",
                 "next_index", "alias_nodes")

    def __init__(self, documents: list[Document] | None = None, problems: list[ParseProblem] | None = None,
                 scalar_ranges: list[tuple[int, int]] | None = None, error_index: int | None = None,
                 resume_floor: int = 0, error_in_document: bool = False, next_index: int = 0,
                 alias_nodes: int = 0) -> None:
        self.documents: list[Document] = [] if documents is None else documents
        self.problems: list[ParseProblem] = [] if problems is None else problems
        # Character ranges of scalar values: lets the template detector tell `{{` inside a string
        # from `{{` that YAML read as structure. Only collected when asked.
        self.scalar_ranges: list[tuple[int, int]] = [] if scalar_ranges is None else scalar_ranges
        # Offsets below are in characters of the whole text (not of the window at `start`).
        self.error_index = error_index  # where parsing stopped, if it did
        # After an error, where the next document can begin at the earliest: past the `---` of the
        # broken document, or past the last document that ended. Resuming any earlier would read a
        # document twice and report its problems twice.
        self.resume_floor = resume_floor
        # Whether the error was inside a document (not in directives or junk between documents).
        self.error_in_document = error_in_document
        # The index the next document would get: documents completed, plus `first_index`. After an
        # error inside a document it is the index of the broken document.
        self.next_index = next_index
        self.alias_nodes = alias_nodes  # nodes that aliases added, counting those of earlier parses of the file


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


class _Heavy(Exception):
    """The light mode met what only the full callbacks build (see _parse)."""


def _is_schema_path(path: FieldPath) -> bool:
    """spec.versions[n].schema.openAPIV3Schema or spec.validation.openAPIV3Schema."""
    if len(path) == 5:
        return (path[4] == "openAPIV3Schema" and path[3] == "schema" and path[1] == "versions"
                and path[0] == "spec" and type(path[2]) is int)
    return path == ("spec", "validation", "openAPIV3Schema")


def parse(text: str, filename: str, *, collect_scalars: bool = False, line_offset: int = 0,
          first_index: int = 0, start: int = 0, alias_nodes: int = 0, light: bool = False,
          defer_after: int | None = None) -> ParseResult:
    """Parse as go-yaml reads: libyaml, plus what go-yaml accepts and libyaml refuses (scalars.py).

    `light`: the openAPIV3Schemas of CRDs are built without positions (see _parse); a caller
    that asks must parse again without it when a finding lands inside one (Document.light).
    `defer_after`: the documents from this index on keep a DeferredLayout, their positions
    read again from their own lines when asked (a long stream's; see model.DeferredLayout)."""
    light = light and not collect_scalars
    defer_after = None if collect_scalars or start else defer_after
    if _fastyaml is not None and not collect_scalars and not start:
        fast = _fast_parse(text, filename, line_offset, first_index, alias_nodes, light, defer_after)
        if fast is not None:
            return fast
    try:
        result = _parse(text, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                        first_index=first_index, start=start, alias_nodes=alias_nodes, light=light,
                        defer_after=defer_after)
    except _Heavy:  # something in a schema the light mode does not build: the whole way
        light = False
        result = _parse(text, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                        first_index=first_index, start=start, alias_nodes=alias_nodes, defer_after=defer_after)
    rewrites = 0
    if result.error_index is None or not text.startswith(_GO_YAML_QUOTE, result.error_index) \
            or "\u2028" in text or _STAND_IN in text[start:]:
        return result  # the clean path: one test of the error index
    while (result.error_index is not None and text.startswith(_GO_YAML_QUOTE, result.error_index)
           and result.problems and "unknown escape" in result.problems[-1].message
           and rewrites < _MAX_REWRITES):
        index = result.error_index
        patched = text[:index] + _STAND_IN + text[index + 2:]
        try:
            retry = _parse(patched, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                           first_index=first_index, start=start, alias_nodes=alias_nodes, light=light,
                           defer_after=defer_after)
        except _Heavy:
            light = False
            retry = _parse(patched, filename, collect_scalars=collect_scalars, line_offset=line_offset,
                           first_index=first_index, start=start, alias_nodes=alias_nodes, defer_after=defer_after)
        if retry.error_index is not None and retry.error_index <= index:
            break  # the rewrite did not help: keep libyaml's complaint
        text, result, rewrites = patched, retry, rewrites + 1
    if rewrites:
        for doc in result.documents:
            doc.obj = _restore_quotes(doc.obj)
    return result


def parser_in_use() -> str:
    """Which builder reads YAML here, for `kubelint --version` and bug reports."""
    if _fastyaml is not None:
        ours = _fastyaml.libyaml_version()
        theirs = getattr(pyyaml().module, "get_version_string", lambda: ours)()
        also = f"; PyYAML's libyaml {theirs} for the rest" if theirs != ours else ""
        return f"C (kubelint/parser/_fastyaml: its own block scanner, then libyaml {ours}{also})"
    return "Python (the C parser was not built at install: see the README)"


def _fast_parse(text: str, filename: str, line_offset: int, first_index: int, alias_nodes: int,
                light: bool, defer_after: int | None) -> ParseResult | None:
    """The C builder's parse, or None where the text needs this module's (see _fastyaml.c).

    The documents of a long stream from `defer_after` on are built without positions and get
    a DeferredLayout, as _parse gives them."""
    if text.startswith("\ufeff"):
        text = text[1:]  # as _parse does: libyaml does not count it in its offsets
    defer_from = sys.maxsize if defer_after is None else max(defer_after, COMPACT_AFTER) - first_index
    compact_from = max(COMPACT_AFTER - first_index, 0)
    built = _fast_build(text, light, defer_from, compact_from)
    if built is not None and built[1] > defer_from and not _may_defer(text):
        built = _fast_build(text, light, sys.maxsize, compact_from)  # as _parse decides once: no deferral
    if built is None:
        return None
    entries, seen, stream_end_line = built
    result = ParseResult(next_index=first_index + seen, alias_nodes=alias_nodes)
    documents = result.documents
    run: _Run | None = None
    for index, root, positions, line, column, root_pos, light_paths, begin, end in entries:
        index += first_index
        span = Span(line + 1 + line_offset, column + 1, root_pos[2] + 1 + line_offset, root_pos[3] + 1)
        if positions is None:  # deferred: read again with its run of documents when asked
            run = _Run.joined(run, text, begin, end, line, index, filename, light)
            documents.append(Document(filename, index, root, DeferredLayout(run, index), span,
                                      line_offset=line_offset + run.first_line, root=run.root(root_pos),
                                      light=light_paths))
            continue
        if index >= COMPACT_AFTER:  # a long stream: the C builder packed its positions already
            root_pos = pack_numbers(root_pos)
        documents.append(Document(filename, index, root, positions, span, line_offset=line_offset,
                                  root=root_pos, light=light_paths))
    if documents and text[-1:] not in LINE_BREAK_CHARS:
        _clamp_to_end(documents[-1], text, stream_end_line + 1 + line_offset)
    return result


def _fast_build(text: str, light: bool, defer_from: int, compact_from: int) -> Any:
    with paused_gc():
        return _fastyaml.build(text, light, defer_from, compact_from, MAX_DEPTH)


def _parse(text: str, filename: str, *, collect_scalars: bool = False, line_offset: int = 0,
           first_index: int = 0, start: int = 0, alias_nodes: int = 0, light: bool = False,
           defer_after: int | None = None) -> ParseResult:
    """Parse every document of `text[start:]`; stop at the first error, keeping what came before.

    `start` must be at a line start and `line_offset` the number of lines before it, so that
    positions are those of the whole text; documents are numbered from `first_index`.
    `alias_nodes` is what aliases earlier in the file already expanded to: the limit is for the
    whole file, across the parses that resume after errors.

    `light`: inside a CRD's openAPIV3Schema (spec.versions[n].schema or spec.validation), the
    builder switches to callbacks that only build the objects: CRDs are most of the bytes of
    most trees, their schemas most of a CRD, and no finding lands in them but for a broken
    schema. The schema's own key and value keep their positions; the paths of such schemas
    are Document.light. Anything these callbacks do not handle as the full ones do (an anchor,
    an alias, a tag, a merge key, a duplicate key) raises _Heavy: the caller parses again in
    full.
    """
    import yaml  # here: the C builder reads most texts without PyYAML (see cyaml.pyyaml)

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
    # The paths of containers, one tuple each across the documents of a stream.
    shared_paths: dict[FieldPath, FieldPath] = {}
    scalar_ranges = result.scalar_ranges
    stream_end: Any = None
    light_roots: list[FieldPath] = []  # this document's schemas built light
    # The open containers of a light subtree: [container, is_map, pending key, nodes].
    light_stack: list[list[Any]] = []
    light_start: Any = None  # the mark where the light subtree began
    light_path: FieldPath = ()
    run: _Run | None = None  # the run of deferred documents being filled (see defer_after)
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
                    # Keys repeat in every document (apiVersion, metadata, name, …): one string
                    # object each, not one per occurrence, keeps a long stream small.
                    frame.key = intern(value) if type(value) is str else value
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
        nonlocal top, light_start, light_path
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
        path = shared_paths.setdefault(path, path)  # ("metadata",) once for every document
        if light and _is_schema_path(path) and type(stack[0].container) is dict \
                and stack[0].container.get("kind") == "CustomResourceDefinition" and anchor is None and tag is None:
            light_stack.append([{} if is_map else [], is_map, no_key, 1])
            light_start = sm
            light_path = path
            rebind(calls, light_calls)
            return True
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
        nonlocal doc_index, floor, in_document, run, defer_after
        if root is not _NO_KEY:
            span = Span(doc_start.line + 1 + line_offset, doc_start.column + 1,
                        root_pos[1].line + 1 + line_offset, root_pos[1].column + 1)
            kept_root: Any = root_pos
            layout: Any = positions
            offset = line_offset
            deferring = defer_after is not None and doc_index >= max(defer_after, COMPACT_AFTER)
            if deferring and run is None and not _may_defer(text):  # checked once, when the stream gets long
                defer_after = None
                deferring = False
            if deferring:
                # A long stream: this document keeps a way to read its positions again, with
                # the run of documents around it (see _Run); positions count from its first line.
                run = _Run.joined(run, text, doc_start.index, em.index, doc_start.line, doc_index, filename,
                                  light)
                layout = DeferredLayout(run, doc_index)
                offset = line_offset + run.first_line
                kept_root = run.root(as_numbers(root_pos))
            elif doc_index >= COMPACT_AFTER:  # a long stream: keep its positions small
                _compact(positions)
                kept_root = pack_position(root_pos)
            result.documents.append(Document(filename, doc_index, root, layout, span,
                                             line_offset=offset, root=kept_root,
                                             light=tuple(light_roots)))
        light_roots.clear()
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

    def light_scalar(anchor: str | None, tag: str | None, implicit: Any, value_text: str, sm: Any, em: Any,
                     style: str | None) -> Any:
        try:
            if get_ident() != owner:
                return yaml.ScalarEvent(anchor, tag, implicit, value_text, sm, em, style)
            if anchor is not None or tag is not None:
                raise _Heavy
            if style:
                value: Any = value_text
            elif value_text[:1] in plain_text_start:
                value = value_text
            elif value_text[:1] in numeric_start:
                value = resolve_plain(value_text)
            elif value_text == "<<":
                raise _Heavy
            else:
                value = words.get(value_text, value_text)
            frame = light_stack[-1]
            frame[3] += 1
            if frame[1]:
                key = frame[2]
                if key is no_key:
                    frame[2] = intern(value) if type(value) is str else value
                    return True
                frame[2] = no_key
                if type(key) is not str:
                    key = _key_text(key)
                mapping = frame[0]
                if key in mapping:
                    raise _Heavy
                mapping[key] = value
            else:
                frame[0].append(value)
            return True
        except BaseException as exc:  # libyaml frees the event only if we return
            return _Stopped(exc)

    def light_collection_start(is_map: bool, anchor: str | None, tag: str | None) -> bool:
        if anchor is not None or tag is not None or len(stack) + len(light_stack) >= MAX_DEPTH:
            raise _Heavy
        parent = light_stack[-1]
        if parent[1] and parent[2] is no_key:
            raise _Heavy  # a mapping or list as a key: the full callbacks say why not
        light_stack.append([{} if is_map else [], is_map, no_key, 1])
        return True

    def light_mapping_start(anchor: str | None, tag: str | None, implicit: Any, sm: Any, em: Any,
                            flow_style: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.MappingStartEvent(anchor, tag, implicit, sm, em, flow_style)
            return light_collection_start(True, anchor, tag)
        except BaseException as exc:
            return _Stopped(exc)

    def light_sequence_start(anchor: str | None, tag: str | None, implicit: Any, sm: Any, em: Any,
                             flow_style: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.SequenceStartEvent(anchor, tag, implicit, sm, em, flow_style)
            return light_collection_start(False, anchor, tag)
        except BaseException as exc:
            return _Stopped(exc)

    def light_collection_end(sm: Any, em: Any) -> bool:
        frame = light_stack.pop()
        if not light_stack:  # the schema is whole: back to the full callbacks
            rebind(calls, full_calls)
            light_roots.append(light_path)
            attach(frame[0], light_start, em, frame[3])
            return True
        parent = light_stack[-1]
        parent[3] += frame[3]
        if parent[1]:
            key = parent[2]
            parent[2] = no_key
            if type(key) is not str:
                key = _key_text(key)
            if key in parent[0]:
                raise _Heavy
            parent[0][key] = frame[0]
        else:
            parent[0].append(frame[0])
        return True

    def light_mapping_end(sm: Any, em: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.MappingEndEvent(sm, em)
            return light_collection_end(sm, em)
        except BaseException as exc:
            return _Stopped(exc)

    def light_sequence_end(sm: Any, em: Any) -> Any:
        try:
            if get_ident() != owner:
                return yaml.SequenceEndEvent(sm, em)
            return light_collection_end(sm, em)
        except BaseException as exc:
            return _Stopped(exc)

    def light_alias(anchor: str, sm: Any, em: Any) -> Any:
        if get_ident() != owner:
            return yaml.AliasEvent(anchor, sm, em)
        return _Stopped(_Heavy())

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
    light_calls: dict[str, Callable[..., Any]] = {
        "ScalarEvent": light_scalar, "AliasEvent": light_alias,
        "MappingStartEvent": light_mapping_start, "SequenceStartEvent": light_sequence_start,
        "MappingEndEvent": light_mapping_end, "SequenceEndEvent": light_sequence_end,
    }
    full_calls = {name: calls[name] for name in light_calls}
    try:
        _run_events(window if window is not None else text, calls)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError, UnicodeEncodeError, _BuildError) as exc:
        problem, result.error_index = _stopping_problem(
            exc, text, start, line_offset, window.piece_start if window is not None else 0)
        problems.append(problem)
    finally:
        # The callbacks that switch modes reach these tables, which hold the callbacks: a cycle
        # that would keep this parse's text and tables alive until the collector runs, and the
        # command line pauses it. Emptied, the parse is freed as soon as it returns.
        for table in (calls, light_calls, full_calls):
            table.clear()
    result.next_index = doc_index
    result.alias_nodes = expanded
    if result.error_index is not None:
        result.error_in_document = in_document
        result.resume_floor = start + floor.index if floor is not None else start
    elif stream_end is not None and result.documents and text[-1:] not in LINE_BREAK_CHARS:
        _clamp_to_end(result.documents[-1], text, stream_end.line + 1 + line_offset)
    return result


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


# From this document on, a stream's positions are packed into ints as each document ends: a
# file of thousands of documents (a rendered chart, `kustomize build`) then stays small.
COMPACT_AFTER = 64
# From this document of a stream on, the loader (source.load_text) defers positions
# (model.DeferredLayout): a stream this long is a rendered chart or a generated bundle.
DEFER_POSITIONS_AFTER = 5000


def _may_defer(text: str) -> bool:
    """Whether a document's own lines parse as it did in the stream: no directives (a %TAG
    changes what follows it), and every line break ends in \n (\n or \r\n), so that a line
    starts after a \n."""
    if text.startswith("%") or "\n%" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


# Deferred documents are parsed again this many at a time: one parse of a few lines costs
# more in setting up than in parsing, and the linter asks for them in order.
_RUN_DOCUMENTS = 64


class _Run:
    """Consecutive deferred documents of a stream (`text[begin:end]`, cut only when asked: a
    copy of every document would be the stream twice), and the positions of the last parse of
    them that no document has taken yet."""

    __slots__ = ("begin", "documents", "end", "filename", "first_index", "first_line", "handed", "light",
                 "pending", "text")

    def __init__(self, text: str, begin: int, first_line: int, first_index: int, filename: str,
                 light: bool) -> None:
        self.text, self.begin, self.end = text, begin, begin
        self.first_line, self.first_index, self.documents = first_line, first_index, 0
        self.filename, self.light = filename, light
        self.pending: dict[int, Layout] = {}
        self.handed: set[int] = set()

    @classmethod
    def joined(cls, run: _Run | None, text: str, begin: int, end: int, line: int, index: int, filename: str,
               light: bool) -> _Run:
        """The run that deferred document `index` (`text[begin:end]`, from 0-based `line` on)
        joins: `run`, or a new one when there is none yet or it is full."""
        if run is None or run.documents >= _RUN_DOCUMENTS:
            run = cls(text, text.rfind("\n", 0, begin) + 1, line, index, filename, light)
        run.end = end
        run.documents += 1
        return run

    def root(self, numbers: tuple[int, ...]) -> int:
        """A document's root position (0-based numbers of the text), packed and counted from
        the run's first line, as its DeferredLayout counts."""
        line, column, end_line, end_column = numbers
        return pack_numbers((line - self.first_line, column, end_line - self.first_line, end_column))

    def layout(self, index: int) -> Layout:
        """Document `index`'s positions, counted from the run's first line. A parse of the run
        keeps the positions of the documents not yet asked for, each handed out once; a
        document asked for again (a finding placed after linting) is parsed again with its
        run, and nothing else is kept then, so no layout outlives its document's use."""
        found = self.pending.pop(index, None)
        if found is None:
            parsed = parse(self.text[self.begin:self.end], self.filename, first_index=self.first_index,
                           light=self.light)
            for doc in parsed.documents:
                if type(doc.positions) is dict and (doc.index == index or doc.index not in self.handed):
                    self.pending[doc.index] = doc.positions
            found = self.pending.pop(index, None)
        self.handed.add(index)
        return {} if found is None else found  # never seen: the run parses alone as in its stream


def _compact(positions: dict[Any, Any]) -> None:
    for children in positions.values():
        keys = range(len(children)) if type(children) is list else list(children)
        for key in keys:
            raw = children[key]
            if type(raw) is tuple and raw:
                children[key] = pack_numbers(raw) if type(raw[0]) is int else pack_position(raw)


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


if _fastyaml is not None:
    _fastyaml.configure(resolve_plain, _key_text, _WORDS, _PLAIN_TEXT_START, _NUMERIC_START, _compact)

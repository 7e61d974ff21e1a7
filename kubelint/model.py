"""The small value types every stage shares: documents with their positions, findings, rules
as a run applied them, and the run's result.

Findings and spans are frozen dataclasses, so that they sort, compare and serialise
deterministically; a Document (the parsed tree and its positions) and the RunResult a run
fills are not. An editor plugin can use all of them without the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NamedTuple

PathPart = str | int
FieldPath = tuple[PathPart, ...]


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Span(NamedTuple):
    """A 1-based region of the source text; columns count characters, as editors do."""

    line: int
    column: int
    end_line: int
    end_column: int


class Hit(NamedTuple):
    """One problem a check found: where (a field path relative to the object) and the words.

    `values` fill the rule's message template; `variant` picks one of the rule's messages;
    `at` says whether the finding points at the field's key or its value. It lives here, not
    with the checks, because the schema package yields hits too and must not import checks.
    """

    path: FieldPath
    values: dict[str, Any]
    variant: str = "default"
    at: str = "value"


class NodePos(NamedTuple):
    """Where a node sits: its key (None for list items and the root) and its value."""

    key: Span | None
    value: Span


# Where a node sits: 0-based (line, column, end line, end column) of the value, preceded by
# the same four for the key when the node is a mapping entry. The parser stores the libyaml
# marks themselves, (start, end) or (key start, key end, start, end), and they become numbers
# only when asked: most nodes never are, and reading eight numbers off the marks of every node
# was a fifth of the parse.
RawPosition = tuple[Any, ...]


def as_numbers(raw: RawPosition | int) -> RawPosition:
    """The numbers of a position, whether stored as marks, as numbers, or packed in one int."""
    if type(raw) is int:
        return unpack_position(raw)
    if raw and type(raw[0]) is not int:
        return tuple(n for mark in raw for n in (mark.line, mark.column))
    return raw  # type: ignore[return-value]


# A position packed in one int (see pack_position): each mark's line in 32 bits, its column in
# 24, and the number of marks in the lowest 3.
_MARK_BITS, _COLUMN_BITS = 56, 24


def pack_position(marks: tuple[Any, ...]) -> int:
    """Marks (the parser's) as one int: a long stream's documents keep ~40 bytes a node
    instead of ~380 (a tuple of PyYAML marks), which is most of what such a stream costs."""
    value = 0
    for mark in marks:
        value = (value << _MARK_BITS) | (mark.line << _COLUMN_BITS) | mark.column
    return (value << 3) | len(marks)


def unpack_position(value: int) -> RawPosition:
    count = value & 7
    value >>= 3
    numbers: list[int] = []
    for _ in range(count):
        numbers[:0] = (value >> _COLUMN_BITS & 0xFFFFFFFF, value & ((1 << _COLUMN_BITS) - 1))
        value >>= _MARK_BITS
    return tuple(numbers)


# Positions of a container's children, kept per container: a dict (key → key and value
# positions) for a mapping, a list (index → value position) for a sequence. Keyed by the
# container's own path, so the parser never builds a path per scalar: a path is a tuple as
# long as the nesting is deep, and CRD schemas nest 20 to 40 levels.
Layout = dict[FieldPath, Any]


def pack_numbers(numbers: tuple[int, ...]) -> int:
    """0-based (line, column) pairs packed as pack_position packs marks."""
    value = 0
    for at in range(0, len(numbers), 2):
        value = (value << _MARK_BITS) | (numbers[at] << _COLUMN_BITS) | numbers[at + 1]
    return (value << 3) | (len(numbers) // 2)


class DeferredLayout(Mapping[FieldPath, Any]):
    """The positions of one document of a long stream, read again from its lines when asked.

    Why: positions are two fifths of what a stream's documents hold, and a stream is linted
    only once it is all parsed, so 20,000 Deployments in one stream held 100 MB of positions
    at once. Past the first documents of a stream (parser.DEFER_POSITIONS_AFTER), a document
    keeps only its index and the run of documents it was parsed with (`source`, whose
    `layout(index)` parses that run again, once for all of them); the linter reads a
    document's positions while it lints it and lets them go after (`release`).
    """

    __slots__ = ("_index", "_layout", "_source")

    def __init__(self, source: Any, index: int) -> None:
        self._source = source
        self._index = index
        self._layout: Layout | None = None

    def _read(self) -> Layout:
        layout = self._layout
        if layout is None:
            layout = self._layout = self._source.layout(self._index)
        return layout

    def __getitem__(self, path: FieldPath) -> Any:
        return self._read()[path]

    def get(self, path: FieldPath, default: Any = None) -> Any:  # type: ignore[override]
        return self._read().get(path, default)

    def __contains__(self, path: object) -> bool:
        return path in self._read()

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def release(self) -> None:
        """Drop the positions read; they are read again if asked for."""
        self._layout = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._read()),))  # sent or stored as the plain layout it stands for


def release_positions(doc: Document) -> None:
    """Let a deferred document's positions go once nothing needs them (see DeferredLayout)."""
    if type(doc.positions) is DeferredLayout:
        doc.positions.release()


class ValueMethods:
    """Equality and repr over a class's named values, as @dataclass generates them: the
    shared part of FieldMethods (a dataclass's fields) and Record (a plain class's slots)."""

    __slots__ = ()

    def _names(self, role: str) -> tuple[str, ...]:
        """The attributes that take part in `role`: compare, hash or repr."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._names("compare")
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass with eq

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names("repr"))
        return f"{self.__class__.__qualname__}({shown})"


class FieldMethods(ValueMethods):
    """The equality and repr that @dataclass generates, written once over a dataclass's fields:
    the API's dataclasses (Document, Finding, Rule, RunResult, Options) take
    `@dataclass(init=False, eq=False, repr=False)` and one of these as a base.

    Why: @dataclass execs generated source for each method of each class at import, and a
    one-file run paid 4 ms for these five (their __init__, written out in each class, was half
    of it). They stay dataclasses (fields, replace, asdict, frozen). Each field's `compare` and
    `repr` are honoured as @dataclass honours them, and tests/test_model_methods.py holds the
    methods and each __init__ (its parameters, their order and defaults) to what @dataclass
    would make.
    """

    __slots__ = ()

    def _names(self, role: str) -> tuple[str, ...]:
        return _field_names(self.__class__, role)


class FrozenFieldMethods(FieldMethods):
    """FieldMethods for a frozen dataclass: hashable by its fields, as @dataclass(frozen=True)
    makes it (each field's `hash`, else its `compare`)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._names("hash")))


_FIELD_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _field_names(cls: type, role: str) -> tuple[str, ...]:
    """The names of `cls`'s fields that take part in `role` (compare, hash or repr), in order."""
    names = _FIELD_NAMES.get((cls, role))
    if names is None:
        from dataclasses import fields

        chosen = list(fields(cls))
        if role == "hash":
            chosen = [f for f in chosen if (f.compare if f.hash is None else f.hash)]
        else:
            chosen = [f for f in chosen if getattr(f, role)]
        names = _FIELD_NAMES[(cls, role)] = tuple(f.name for f in chosen)
    return names


@dataclass(slots=True, init=False, eq=False, repr=False)
class Document(FieldMethods):
    """One YAML document of a file, with positions for every key and value it contains."""

    file: str
    index: int
    obj: Any
    positions: Layout | DeferredLayout
    span: Span
    # The path prefix of this object inside the YAML document: items of a `kind: List`
    # live at ("items", n) and their field paths are reported relative to the item.
    base: FieldPath = ()
    # Lines before the text the parser saw (it resumes after a broken document).
    line_offset: int = 0
    root: RawPosition = ()  # the position of the root node itself
    # Paths of subtrees parsed without positions inside (a CRD's openAPIV3Schema; see
    # parser.parse's `light`): a finding below one needs the file parsed again in full.
    light: tuple[FieldPath, ...] = ()

    def __init__(self, file: str, index: int, obj: Any, positions: Layout | DeferredLayout, span: Span,
                 base: FieldPath = (), line_offset: int = 0, root: RawPosition = (),
                 light: tuple[FieldPath, ...] = ()) -> None:
        self.file = file
        self.index = index
        self.obj = obj
        self.positions = positions
        self.span = span
        self.base = base
        self.line_offset = line_offset
        self.root = root
        self.light = light

    @property
    def api_version(self) -> str | None:
        value = self.obj.get("apiVersion") if isinstance(self.obj, dict) else None
        return value if isinstance(value, str) else None

    @property
    def kind(self) -> str | None:
        value = self.obj.get("kind") if isinstance(self.obj, dict) else None
        return value if isinstance(value, str) else None

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.obj.get("metadata") if isinstance(self.obj, dict) else None
        return meta if isinstance(meta, dict) else {}

    @property
    def name(self) -> str | None:
        value = self.metadata.get("name")
        return value if isinstance(value, str) else None

    @property
    def namespace(self) -> str | None:
        value = self.metadata.get("namespace")
        return value if isinstance(value, str) else None

    def raw(self, path: FieldPath) -> RawPosition | None:
        """0-based (key and) value position of the node at `path`, as the parser saw it."""
        if not path:
            return as_numbers(self.root) or None
        children = self.positions.get(path[:-1])
        if children is None:
            return None
        last = path[-1]
        if type(children) is list:
            if type(last) is int and 0 <= last < len(children):
                return as_numbers(children[last])
            return None
        raw = children.get(last)
        return None if raw is None else as_numbers(raw)

    def paths(self) -> Iterator[FieldPath]:
        """Every path that has a position."""
        if self.root:
            yield ()
        for parent, children in self.positions.items():
            keys = range(len(children)) if type(children) is list else children
            for key in keys:
                yield parent + (key,)

    def node(self, path: FieldPath) -> NodePos | None:
        """The key and value spans of the node at `path` (from the YAML document's root)."""
        raw = self.raw(path)
        if raw is None:
            return None
        offset = self.line_offset + 1
        value = Span(raw[-4] + offset, raw[-3] + 1, raw[-2] + offset, raw[-1] + 1)
        if len(raw) == 8:
            return NodePos(Span(raw[0] + offset, raw[1] + 1, raw[2] + offset, raw[3] + 1), value)
        return NodePos(None, value)

    def locate(self, path: FieldPath, at: str = "value") -> tuple[Span, FieldPath]:
        """The span for `path`, falling back to the deepest node that exists.

        A finding about a missing field points at its parent's key, which is where a person
        would add it. Returns the span and the part of the path that exists.
        """
        full = self.base + tuple(path)
        for cut in range(len(full), len(self.base) - 1, -1):
            pos = self.node(full[:cut])
            if pos is None:
                continue
            exact = cut == len(full)
            if at == "key" or not exact:
                span = pos.key or pos.value
            else:
                span = pos.value
            return span, full[len(self.base) : cut]
        return self.span, ()


@dataclass(frozen=True, slots=True, init=False, eq=False, repr=False)
class Finding(FrozenFieldMethods):
    """One thing a rule found: where (file, 1-based line and column span, field path), what
    and about which object."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    path: str = ""
    document: int | None = None
    api_version: str | None = None
    kind: str | None = None
    namespace: str | None = None
    name: str | None = None
    # A kubelint.fix.model.Fix when the finding has one right answer (set after the lint, in
    # the process that has the text); not part of a finding's identity, order or equality.
    fix: Any = field(default=None, compare=False, hash=False)

    def __init__(self, rule: str, severity: Severity, message: str, file: str, line: int, column: int,
                 end_line: int, end_column: int, path: str = "", document: int | None = None,
                 api_version: str | None = None, kind: str | None = None, namespace: str | None = None,
                 name: str | None = None, fix: Any = None) -> None:
        put = object.__setattr__  # frozen
        put(self, "rule", rule)
        put(self, "severity", severity)
        put(self, "message", message)
        put(self, "file", file)
        put(self, "line", line)
        put(self, "column", column)
        put(self, "end_line", end_line)
        put(self, "end_column", end_column)
        put(self, "path", path)
        put(self, "document", document)
        put(self, "api_version", api_version)
        put(self, "kind", kind)
        put(self, "namespace", namespace)
        put(self, "name", name)
        put(self, "fix", fix)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.rule, self.message, self.path,
                -1 if self.document is None else self.document)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the class and its fields in order: workers send findings to the parent,
        and the result cache stores them. The frozen slots dataclass's own way (a state tuple
        set back field by field in Python) took three times as long to write and twice as long
        to read, 30 ms for a corpus run's 3,700 findings. Every field is here, in order (a test
        holds it to dataclasses.fields)."""
        return (Finding, (self.rule, self.severity, self.message, self.file, self.line, self.column,
                          self.end_line, self.end_column, self.path, self.document, self.api_version,
                          self.kind, self.namespace, self.name, self.fix))


class Record(ValueMethods):
    """A base for small internal records written as plain classes with `__slots__`: the
    equality and repr that @dataclass would generate, over the slots in their order.

    Why not @dataclass: making one execs generated source at import (0.5 to 1 ms each), and a
    one-file run made 37 of them before linting a line; now it makes five, the API's own
    (Document, Finding, Rule, RunResult and Options), which stay dataclasses (FieldMethods).
    """

    __slots__ = ()

    def _names(self, role: str) -> tuple[str, ...]:
        return self.__slots__  # type: ignore[return-value]


def path_within(path: str, prefix: str) -> bool:
    """Whether the rendered field path `path` is `prefix` or below it (`spec.x`, `spec[0]`)."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def format_path(path: FieldPath) -> str:
    """Render a field path the way kubectl explains fields: spec.containers[0].image."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and all(c.isalnum() or c in "_-" for c in part) and not part[0].isdigit():
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


# ---------------------------------------------------------------------- what reports read
# The result types the reports read live here, so that report/ imports nothing from the
# engine: a rule as the run applied it, a suppressed finding, and the run's result.


@dataclass(frozen=True, init=False, eq=False, repr=False)
class Rule(FrozenFieldMethods):
    """A rule as the run applies it: its file's fields, with the config's severity and params."""

    id: str
    category: str
    severity: Severity
    enabled: bool
    summary: str
    target: str
    messages: dict[str, str]
    kinds: tuple[str, ...] = ()
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] | None = None
    docs: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source: str = ""
    # tool → the ids of its closest checks (kube-linter, polaris, kube-score, checkov, pluto)
    peers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The Pod Security Standards level and control this rule covers, when it covers one.
    pss: dict[str, Any] = field(default_factory=dict)
    # Rules whose findings at the same field (or below it) this rule's finding replaces.
    supersedes: tuple[str, ...] = ()

    def __init__(self, id: str, category: str, severity: Severity, enabled: bool, summary: str,
                 target: str, messages: dict[str, str], kinds: tuple[str, ...] = (), check: str | None = None,
                 params: dict[str, Any] | None = None, schema: dict[str, Any] | None = None,
                 docs: dict[str, Any] | None = None, examples: dict[str, list[dict[str, Any]]] | None = None,
                 source: str = "", peers: dict[str, tuple[str, ...]] | None = None,
                 pss: dict[str, Any] | None = None, supersedes: tuple[str, ...] = ()) -> None:
        put = object.__setattr__  # frozen; None stands for a dict field's default, a new {}
        put(self, "id", id)
        put(self, "category", category)
        put(self, "severity", severity)
        put(self, "enabled", enabled)
        put(self, "summary", summary)
        put(self, "target", target)
        put(self, "messages", messages)
        put(self, "kinds", kinds)
        put(self, "check", check)
        put(self, "params", {} if params is None else params)
        put(self, "schema", schema)
        put(self, "docs", {} if docs is None else docs)
        put(self, "examples", {} if examples is None else examples)
        put(self, "source", source)
        put(self, "peers", {} if peers is None else peers)
        put(self, "pss", {} if pss is None else pss)
        put(self, "supersedes", supersedes)

    def message(self, variant: str = "default", **values: Any) -> str:
        # The loader has made sure the file defines every variant its check may report.
        return self.messages[variant].format(**values)

    def applies_to(self, kind: str | None) -> bool:
        return not self.kinds or (kind is not None and kind in self.kinds)


class Suppressed(NamedTuple):
    """A finding that something silenced: what (comment, annotation, config, baseline) and why."""

    finding: Finding
    mechanism: str
    reason: str


@dataclass(init=False, eq=False, repr=False)
class RunResult(FieldMethods):
    """What a run found, how much it read, and what the reports describe beside the findings."""

    findings: list[Finding]
    files: int = 0
    documents: int = 0
    skipped: int = 0
    seconds: float = 0.0
    # The run's rules (selection and severities applied), for reports that describe them.
    rules: dict[str, Rule] = field(default_factory=dict, repr=False, compare=False)
    # What comments, annotations, the config or the baseline silenced, with what silenced it.
    suppressed: list[Suppressed] = field(default_factory=list, repr=False, compare=False)
    # The files read and skipped as holding no Kubernetes object (for `-v`), sorted.
    skipped_files: list[str] = field(default_factory=list, repr=False, compare=False)
    # Namespaces where a custom resource's operator may own what cross-object rules look for
    # (for `-v`): (namespace, "references" or "pods", the resource's kind, name and file).
    operator_namespaces: list[tuple[str, str, str, str, str]] = field(default_factory=list, repr=False,
                                                                      compare=False)
    # The projects the input was split into (for `-v`): (root, how it was found, files, config).
    projects: list[tuple[str, str, int, str | None]] = field(default_factory=list, repr=False, compare=False)

    def __init__(self, findings: list[Finding], files: int = 0, documents: int = 0, skipped: int = 0,
                 seconds: float = 0.0, rules: dict[str, Rule] | None = None,
                 suppressed: list[Suppressed] | None = None, skipped_files: list[str] | None = None,
                 operator_namespaces: list[tuple[str, str, str, str, str]] | None = None,
                 projects: list[tuple[str, str, int, str | None]] | None = None) -> None:
        # None stands for a collection field's default: a new, empty one.
        self.findings = findings
        self.files = files
        self.documents = documents
        self.skipped = skipped
        self.seconds = seconds
        self.rules = {} if rules is None else rules
        self.suppressed = [] if suppressed is None else suppressed
        self.skipped_files = [] if skipped_files is None else skipped_files
        self.operator_namespaces = [] if operator_namespaces is None else operator_namespaces
        self.projects = [] if projects is None else projects

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.findings if f.rule == "internal-error")

    def exit_code(self, fail_on: str = "error") -> int:
        """0 clean, 1 findings at or above `fail_on` (error, warning, info, never), 2 when
        kubelint itself failed on something (an internal error): what the CLI exits with."""
        if self.internal_errors:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity.parse(fail_on)
        return 1 if any(f.severity >= threshold for f in self.findings) else 0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

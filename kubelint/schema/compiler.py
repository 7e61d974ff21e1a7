"""A schema for one apiVersion/kind, compiled on first use into a jsonschema-rs validator.

jsonschema-rs validates ~70x faster than jsonschema; compiling costs a few milliseconds, so a
schema is compiled only when a document of its kind shows up, and once. Compiling is always
offline (a `$ref` to the network fails instead of fetching) and never checks `format`: the
Kubernetes schemas use formats (int32, byte, date-time) that the API server checks its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubelint.model import Record
from kubelint.schema import subset

# jsonschema-rs is imported where a schema is compiled: its import alone (13 ms, most of it
# the `email`, `decimal` and `socket` modules it loads) is a sixth of a one-file run, which
# the subset check (subset.py) often spares.


# Keywords dropped when a schema does not compile as written: CRD patterns are Go RE2 regular
# expressions, and a few of them are not valid in the regex dialect jsonschema-rs uses.
_REGEX_KEYWORDS = frozenset({"pattern", "patternProperties"})


class SchemaUnusable(Exception):
    """A schema that cannot be compiled even without its patterns; the message says why."""


def fatal(exc: BaseException) -> bool:
    """Whether an exception must propagate: a Rust panic surfaces as a BaseException too."""
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


def without_patterns(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: without_patterns(v) for k, v in schema.items() if k not in _REGEX_KEYWORDS}
    if isinstance(schema, list):
        return [without_patterns(v) for v in schema]
    return schema


def load_before_fork() -> None:
    """Import jsonschema-rs in this process before it forks workers: each worker of a big run
    validates with it, and a module loaded before the fork is loaded once and shared."""
    import jsonschema_rs  # noqa: F401

    subset.retire()


def compile_schema(schema: dict[str, Any], draft4: bool = False) -> tuple[Any, dict[str, Any]]:
    """A validator for `schema` and the schema it was built from (patterns may be dropped).

    Raises SchemaUnusable when the schema cannot be used at all.
    """
    import jsonschema_rs

    subset.retire()

    cls = jsonschema_rs.Draft4Validator if draft4 else jsonschema_rs.Draft202012Validator
    if "$schema" in schema:
        cls = jsonschema_rs.validator_cls_for(schema)
    reason = "cannot compile"
    attempt: dict[str, Any] | None = schema
    while attempt is not None:
        try:
            return cls(attempt, validate_formats=False, offline=True), attempt
        except BaseException as exc:  # a panic in the Rust code is a BaseException
            if fatal(exc):
                raise
            reason = str(exc).split("\n", 1)[0]
        if attempt is not schema:
            break
        stripped = without_patterns(schema)
        attempt = stripped if stripped != schema else None
    raise SchemaUnusable(reason)


class KindSchema(Record):
    """The schema of one apiVersion/kind and what a finding should say about where it came from.

    `source` is the schema, or a function that builds it: a CRD's schema is converted only
    when a custom resource of its kind shows up. `origin` ends messages ("from CRD
    widgets.example.com in crds.yaml"); `custom` marks custom resources, whose null fields the
    API server prunes before it validates; `ignore_status` marks a status subresource, whose
    content the API server drops on create; `shipped` marks the schemas kubelint ships, which
    all compile (a test holds them to it), so that the subset check may answer for them.

    A plain class with slots (model.Record), not a dataclass, which every start-up made. As
    the dataclass did, equality compares every slot, the compiled validator and its schema
    too; repr leaves those two out (see _SHOWN).
    """

    __slots__ = ("source", "origin", "custom", "ignore_status", "draft4", "problem", "shipped", "_compiled",
                 "_used")
    _SHOWN = __slots__[:7]  # what repr shows: not the compiled validator nor the schema it was built from

    def __init__(self, source: dict[str, Any] | Callable[[], dict[str, Any]], origin: str = "", custom: bool = False,
                 ignore_status: bool = False, draft4: bool = False, problem: str | None = None,
                 shipped: bool = False) -> None:
        self.source = source
        self.origin = origin
        self.custom = custom
        self.ignore_status = ignore_status
        self.draft4 = draft4
        self.problem = problem
        self.shipped = shipped
        self._compiled: Any = None
        self._used: dict[str, Any] | None = None

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._SHOWN)
        return f"{self.__class__.__qualname__}({fields})"

    def validator(self) -> Any | None:
        """The compiled validator, or None when the schema is unusable (see `problem`)."""
        if self._compiled is None and self.problem is None:
            try:
                schema = self.source() if callable(self.source) else self.source
                self._compiled, self._used = compile_schema(schema, self.draft4)
            except SchemaUnusable as exc:
                self.problem = str(exc)
            except Exception as exc:  # a schema built from garbage is skipped
                self.problem = f"{type(exc).__name__}: {exc}"
        return self._compiled

    def conforms(self, instance: Any) -> bool:
        """True when the subset check (subset.py) finds that `instance` conforms, which it
        tries for a shipped schema not compiled yet, while the process's allowance lasts.
        False means only that the compiled validator must be asked."""
        if not self.shipped or self.draft4 or self._compiled is not None:
            return False
        if not subset.DOCUMENTS.take():
            return False
        schema = self.source() if callable(self.source) else self.source
        return subset.verdict(schema, instance) is True

    @property
    def compiled_schema(self) -> dict[str, Any]:
        """The schema the validator was built from: error schema paths point into it."""
        return self._used or {}

    def __getstate__(self) -> dict[str, Any]:
        """Compiled validators do not pickle: a worker process compiles its own."""
        state = {k: getattr(self, k) for k in self.__slots__}
        state["_compiled"] = None
        state["_used"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)

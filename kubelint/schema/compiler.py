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


# How many resources of a custom kind the subset check answers for before the kind's schema
# is compiled. A CRD's schema, converted, takes 1 to 10 ms to compile and the subset check
# a twentieth of a millisecond a resource, and most kinds have a few resources in a run:
# of the corpus's 41 kinds in use, 32 never need compiling, 90 ms of compiling in all.
CUSTOM_SUBSET_RESOURCES = 32


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
    content the API server drops on create. The subset check (subset.py) may answer for the
    schemas kubelint ships (`shipped`), which all compile (a test holds them to it), and for
    those converted from a CRD (`converted`), which crd.py writes well-formed: for a schema
    that might not compile, only compiling can tell that it is unusable.

    A plain class with slots (model.Record), not a dataclass, which every start-up made. As
    the dataclass did, equality compares every slot, the compiled validator and its schema
    too; repr leaves those two out (see _SHOWN).
    """

    __slots__ = ("source", "origin", "custom", "ignore_status", "draft4", "problem", "shipped", "converted",
                 "_compiled", "_used", "_built", "_allowance")
    _SHOWN = __slots__[:8]  # what repr shows: not the compiled validator nor the schema it was built from

    def __init__(self, source: dict[str, Any] | Callable[[], dict[str, Any]], origin: str = "", custom: bool = False,
                 ignore_status: bool = False, draft4: bool = False, problem: str | None = None,
                 shipped: bool = False, converted: bool = False) -> None:
        self.source = source
        self.origin = origin
        self.custom = custom
        self.ignore_status = ignore_status
        self.draft4 = draft4
        self.problem = problem
        self.shipped = shipped
        self.converted = converted
        self._compiled: Any = None
        self._used: dict[str, Any] | None = None
        self._built: dict[str, Any] | None = None  # the schema `source` built, once
        # What the subset check may still answer for: a converted schema's own resources, a
        # shipped one's the process's documents (see conforms).
        self._allowance = subset.Allowance(CUSTOM_SUBSET_RESOURCES) if converted else (
            subset.DOCUMENTS if shipped else None)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._SHOWN)
        return f"{self.__class__.__qualname__}({fields})"

    def validator(self) -> Any | None:
        """The compiled validator, or None when the schema is unusable (see `problem`)."""
        if self._compiled is None and self.problem is None:
            try:
                schema = subset.materialize(self.schema()) if self.converted else self.schema()
                self._compiled, self._used = compile_schema(schema, self.draft4)
            except SchemaUnusable as exc:
                self.problem = str(exc)
            except Exception as exc:  # a schema built from garbage is skipped
                self.problem = f"{type(exc).__name__}: {exc}"
        return self._compiled

    def schema(self) -> dict[str, Any]:
        """The schema, built from `source` on first need (a CRD's conversion) and kept."""
        if self._built is None:
            self._built = self.source() if callable(self.source) else self.source
        return self._built

    def conforms(self, instance: Any) -> bool:
        """True when the subset check (subset.py) finds that `instance` conforms, which it
        tries before the schema is compiled: for a shipped schema while the process's
        allowance lasts (subset.DOCUMENTS), for one converted from a CRD the first
        CUSTOM_SUBSET_RESOURCES of its kind. False means only that the compiled validator
        must be asked."""
        if self._compiled is not None or self.problem is not None or self.draft4:
            return False
        if self._allowance is None or not self._allowance.take():
            return False
        try:
            schema = self.schema()
        except Exception:  # built from garbage: validator() says so
            return False
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
        state["_built"] = None
        state["_allowance"] = None  # the process's own (subset.DOCUMENTS) cannot travel: a copy compiles
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)

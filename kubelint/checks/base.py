"""What a check receives and what it yields, and what it declares so rule files can be checked.

A rule file binds a check by name; what the check declares here (where it runs, its message
variants, its parameters with their defaults, the placeholders each variant fills) is what
the rule loader holds the file to, at the file's line, before any manifest is read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kubelint.model import Document, FieldPath, Hit, Record

# Hit is the model's (the schema package yields hits too); checks import it from here.
__all__ = ["NO_PARAMS", "SCOPES", "Check", "CheckContext", "CheckDef", "Hit", "define", "define_run",
           "with_defaults"]

# The parameter schema of a check that takes none: a rule file's `params: {typo: 7}` is refused.
# One shared definition: `params=None` means this, so no check can leave its parameters unsaid.
NO_PARAMS: dict[str, Any] = {"type": "object", "additionalProperties": False}
# "document": called per object, pod spec or container (ctx, target, path, params), for rules
# whose target is object, podspec or container; "run": called once per run over the index of
# facts (index, params), for `target: run`.
SCOPES = ("document", "run")
# The key of `placeholders` that holds the names every variant fills.
ANY_VARIANT = "*"


class CheckContext(Record):
    """What a check sees besides its target.

    For podspec and container targets, `pod_spec` is the pod spec the target belongs to, so a
    container check can read what the pod level sets for every container (securityContext).
    A plain class with slots (model.Record), not a dataclass, which every start-up made.
    """

    __slots__ = ("document", "kubernetes_version", "documents", "pod_spec", "pod_spec_path")

    def __init__(self, document: Document, kubernetes_version: tuple[int, int], documents: Sequence[Document] = (),
                 pod_spec: dict[str, Any] | None = None, pod_spec_path: FieldPath = ()) -> None:
        self.document = document
        self.kubernetes_version = kubernetes_version
        self.documents = documents
        self.pod_spec = pod_spec
        self.pod_spec_path = pod_spec_path


Check = Callable[[CheckContext, Any, FieldPath, dict[str, Any]], Iterable[Hit]]


class CheckDef(Record):
    """A check and what it declares, so the rule loader can refuse a rule that cannot work.

    `variants` are the message variants the check may yield (a rule file using the check must
    define each); `params` is a JSON Schema of the parameters the check takes, defaults
    included (`default:` of each property, filled in before the check sees them); None says
    it takes none (NO_PARAMS); `prepare`, when given, turns the validated parameters into what
    the check receives as `params`, once per rule (kube-linter's instantiate-once shape: tables
    and regexes built at load, not per document); `variants_for`, when the variants a check
    may yield depend on its parameters (one check, two rules); `placeholders` are the names
    each variant's hits fill, which a rule's message may use (`*`: every variant), None when
    the check has not declared them.

    A plain class with slots (model.Record), not a frozen dataclass: every start-up defines
    one per check module. Nothing hashes a CheckDef (its `params` dict made it unhashable
    anyway) or sets its fields; `replace` stands for dataclasses.replace.
    """

    __slots__ = ("run", "variants", "params", "prepare", "variants_for", "scope", "placeholders")

    def __init__(self, run: Check, variants: frozenset[str] = frozenset({"default"}),
                 params: dict[str, Any] | None = None, prepare: Callable[[dict[str, Any]], Any] | None = None,
                 variants_for: Callable[[dict[str, Any]], Iterable[str]] | None = None, scope: str = "document",
                 placeholders: Mapping[str, frozenset[str]] | None = None) -> None:
        if scope not in SCOPES:
            raise ValueError(f"a check's scope is one of {', '.join(SCOPES)}, not {scope!r}")
        self.run = run
        self.variants = variants
        self.params: dict[str, Any] = NO_PARAMS if params is None else params
        self.prepare = prepare
        self.variants_for = variants_for
        self.scope = scope
        self.placeholders = placeholders

    def replace(self, **changes: Any) -> CheckDef:
        """A copy with `changes`, checked as a new one is (as dataclasses.replace was)."""
        return CheckDef(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def needed_variants(self, params: dict[str, Any]) -> frozenset[str]:
        return frozenset(self.variants_for(params)) if self.variants_for else self.variants

    def placeholders_for(self, variant: str) -> frozenset[str] | None:
        """The names a hit of this variant fills; None when the check has not said."""
        if self.placeholders is None:
            return None
        named = self.placeholders.get(variant)
        return named if named is not None else self.placeholders.get(ANY_VARIANT, frozenset())


def _placeholders(named: Iterable[str] | Mapping[str, Iterable[str]] | None) -> dict[str, frozenset[str]] | None:
    if named is None:
        return None
    if isinstance(named, Mapping):
        return {variant: frozenset(names) for variant, names in named.items()}
    return {ANY_VARIANT: frozenset(named)}


def define(run: Check, variants: Iterable[str] = ("default",), params: dict[str, Any] | None = None,
           prepare: Callable[[dict[str, Any]], Any] | None = None,
           variants_for: Callable[[dict[str, Any]], Iterable[str]] | None = None,
           placeholders: Iterable[str] | Mapping[str, Iterable[str]] | None = None) -> CheckDef:
    """A check run per object, pod spec or container. `placeholders`: the names every hit
    fills, or a mapping variant → names where the variants differ."""
    return CheckDef(run, frozenset(variants), params if params is not None else NO_PARAMS, prepare, variants_for,
                    "document", _placeholders(placeholders))


def define_run(run: Callable[..., Iterable[Any]], variants: Iterable[str] = ("default",),
               params: dict[str, Any] | None = None,
               prepare: Callable[[dict[str, Any]], Any] | None = None,
               placeholders: Iterable[str] | Mapping[str, Iterable[str]] | None = None) -> CheckDef:
    """A run-wide check: `run(index, params)` over the facts of every object of the run."""
    return CheckDef(run, frozenset(variants), params if params is not None else NO_PARAMS,  # type: ignore[arg-type]
                    prepare, None, "run", _placeholders(placeholders))


def with_defaults(schema: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """`params` with the `default:` of each property of `schema` that they leave out.

    The defaults live in the schema, where `kubelint explain` and docs/rules.md read them, so
    the check body never carries a second, diverging default."""
    filled = dict(params)
    for name, spec in (schema.get("properties") or {}).items():
        if name not in filled and isinstance(spec, Mapping) and "default" in spec:
            filled[name] = copy.deepcopy(spec["default"])
    return filled

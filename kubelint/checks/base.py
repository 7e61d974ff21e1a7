"""What a check receives and what it yields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kubelint.model import Document, FieldPath, Hit

# Hit is the model's (the schema package yields hits too); checks import it from here.
__all__ = ["NO_PARAMS", "Check", "CheckContext", "CheckDef", "Hit", "define", "define_run"]

# The parameter schema of a check that takes none: a rule file's `params: {typo: 7}` is refused.
NO_PARAMS: dict[str, Any] = {"type": "object", "additionalProperties": False}


@dataclass(slots=True)
class CheckContext:
    """What a check sees besides its target.

    For podspec and container targets, `pod_spec` is the pod spec the target belongs to, so a
    container check can read what the pod level sets for every container (securityContext).
    """

    document: Document
    kubernetes_version: tuple[int, int]
    documents: Sequence[Document] = ()
    pod_spec: dict[str, Any] | None = None
    pod_spec_path: FieldPath = ()


Check = Callable[[CheckContext, Any, FieldPath, dict[str, Any]], Iterable[Hit]]


@dataclass(frozen=True)
class CheckDef:
    """A check and what it declares, so the rule loader can refuse a rule that cannot work.

    `variants` are the message variants the check may yield (a rule file using the check must
    define each); `params` is a JSON Schema of the parameters the check takes; `prepare`, when
    given, turns the validated parameters into what the check receives as `params`, once per
    rule (kube-linter's instantiate-once shape: tables and regexes built at load, not per
    document).
    """

    run: Check
    variants: frozenset[str] = frozenset({"default"})
    params: dict[str, Any] | None = None
    prepare: Callable[[dict[str, Any]], Any] | None = None
    # When the variants a check may yield depend on its parameters (one check, two rules).
    variants_for: Callable[[dict[str, Any]], Iterable[str]] | None = None
    # "document": called per object, pod spec or container (ctx, target, path, params);
    # "run": called once per run over the index of facts (index, params), for `target: run`.
    scope: str = "document"

    def needed_variants(self, params: dict[str, Any]) -> frozenset[str]:
        return frozenset(self.variants_for(params)) if self.variants_for else self.variants


def define(run: Check, variants: Iterable[str] = ("default",), params: dict[str, Any] | None = None,
           prepare: Callable[[dict[str, Any]], Any] | None = None,
           variants_for: Callable[[dict[str, Any]], Iterable[str]] | None = None) -> CheckDef:
    return CheckDef(run, frozenset(variants), params, prepare, variants_for)


def define_run(run: Callable[..., Iterable[Any]], variants: Iterable[str] = ("default",),
               params: dict[str, Any] | None = None,
               prepare: Callable[[dict[str, Any]], Any] | None = None) -> CheckDef:
    """A run-wide check: `run(index, params)` over the facts of every object of the run."""
    return CheckDef(run, frozenset(variants), params, prepare, None, "run")  # type: ignore[arg-type]

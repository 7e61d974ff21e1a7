"""Rules made ready to run: each check with its validated parameters, each `schema:` compiled.

Done once per rule when a Linter is made, never per document, and refused at that point, with
the rule file's name and line, when a rule cannot work: an unknown check, a message variant the
check may yield that the file lacks, parameters that do not match what the check declares, or
a schema that does not compile. (yamllint and kube-linter refuse such rules at load too; a rule
that silently never fires is the worst kind of linter bug.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kubelint.checks.base import Check, CheckContext, Hit
from kubelint.engine.rules import Rule, RuleError, where
from kubelint.kube.workloads import get_path
from kubelint.model import FieldPath, format_path

Prepared = tuple[Check, Any]  # the function to call and what it receives as `params`


def prepare_rules(rules: Sequence[Rule]) -> dict[str, Prepared]:
    prepared: dict[str, Prepared] = {}
    for rule in rules:
        if rule.check:
            prepared[rule.id] = _prepare_check(rule)
        elif rule.schema is not None:
            prepared[rule.id] = (SchemaCheck(rule).run, None)
    return prepared


def _prepare_check(rule: Rule) -> Prepared:
    from kubelint.checks import CHECKS
    from kubelint.suggest import closest

    definition = CHECKS.get(rule.check or "")
    if definition is None:
        guess = closest(rule.check or "", set(CHECKS))
        hint = f"; did you mean {guess}?" if guess else ""
        raise RuleError(f"{where(rule.source, ('check',))}: unknown check {rule.check!r}{hint}")
    missing = sorted(definition.needed_variants(rule.params) - set(rule.messages))
    if missing:
        raise RuleError(f"{where(rule.source, ('messages',))}: check {rule.check} may report "
                        f"message variant(s) {', '.join(missing)}, which this rule does not define")
    params = rule.params
    if definition.params is not None:
        import jsonschema_rs

        validator = jsonschema_rs.Draft202012Validator(definition.params, validate_formats=False)
        for error in validator.iter_errors(params):
            at = ("params", *error.instance_path)
            raise RuleError(f"{where(rule.source, at)}: params: {error.message}")
    if definition.prepare is not None:
        params = definition.prepare(params)
    return definition.run, params


class SchemaCheck:
    """A rule that is a JSON Schema on its target (Polaris-style): every violation is a hit.

    A hit points at the failing field's value; a missing required field points at the key of
    its parent or, when the parent is the target container or object itself, at its `name:`
    value, where a person reading the manifest looks for it. The message can use `{field}`
    (the failing field's name), `{value}` (its value), `{name}` (the target's name) and
    `{path}` (the field path inside the target).
    """

    def __init__(self, rule: Rule) -> None:
        import jsonschema_rs

        from kubelint.schema.compiler import SchemaUnusable, compile_schema

        try:
            self.validator, _ = compile_schema(dict(rule.schema or {}))
        except SchemaUnusable as exc:
            raise RuleError(f"{where(rule.source, ('schema',))}: schema does not compile: {exc}") from None
        self._kinds = jsonschema_rs.ValidationErrorKind

    def run(self, ctx: CheckContext, target: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
        seen: set[FieldPath] = set()
        for error in self.validator.iter_errors(target):
            inner: FieldPath = tuple(error.instance_path)
            at = "value"
            field = inner[-1] if inner else ""
            if isinstance(error.kind, self._kinds.Required):
                field = error.kind.property
                if not inner and isinstance(target, dict) and isinstance(target.get("name"), str):
                    inner = ("name",)  # a container's missing field: at its name, as people look
                else:
                    at = "key"
            where_path = path + inner
            if where_path in seen:
                continue
            seen.add(where_path)
            name = target.get("name") if isinstance(target, dict) else None
            if not isinstance(name, str):
                name = ctx.document.name or ""
            yield Hit(where_path, {
                "field": field,
                "value": _shown(get_path(target, inner)),
                "name": name,
                "path": format_path(inner),
            }, at=at)


def _shown(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."

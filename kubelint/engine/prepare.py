"""Rules made ready to run: each check with its validated parameters, each `schema:` compiled.

Done once per rule when a Linter is made, never per document. A rule that cannot work was
refused when it loaded (engine/rules.py's contract: the check, its target, params, message
variants and placeholders); the rule as the run configured it (the config may change its
params) is held to the same contract here, at the rule file's line. (yamllint and kube-linter
refuse such rules at load too; a rule that silently never fires is the worst kind of linter
bug.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kubelint.checks.base import Check, CheckContext, Hit
from kubelint.engine.rules import Rule, RuleError, where
from kubelint.kube.workloads import get_path
from kubelint.model import FieldPath, format_path
from kubelint.schema.subset import RULE_TARGETS, verdict

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
    """The check and what it receives: the parameters validated, their defaults filled in from
    the check's schema (so a check body never carries a default of its own), then prepared.

    The rule files were held to their checks when they loaded; this holds the rule again as
    the run configured it, since the config (or a caller's Options) may change its params."""
    from kubelint.checks import CHECKS
    from kubelint.checks.base import with_defaults
    from kubelint.engine.rules import hold_to_contract

    hold_to_contract(rule)  # once per process, and never for a built-in rule the config left as it is
    definition = CHECKS[rule.check or ""]
    params = with_defaults(definition.params, rule.params)
    if definition.prepare is not None:
        params = definition.prepare(params)
    return definition.run, params


class SchemaCheck:
    """A rule that is a JSON Schema on its target (Polaris-style): every violation is a hit.

    A hit points at the failing field's value; a missing required field points at the key of
    its parent or, when the parent is the target container or object itself, at its `name:`
    value, where a person reading the manifest looks for it. The message can use `{field}`
    (the failing field's name), `{value}` (its value, a mapping or list written as YAML flow:
    `{limits: {cpu: 1}}`), `{name}` (the target's name) and `{path}` (the field path inside
    the target): rules.SCHEMA_PLACEHOLDERS, which the loader holds messages to.
    """

    def __init__(self, rule: Rule) -> None:
        # The first targets go to the subset check (schema/subset.py), so that a small run
        # never imports jsonschema-rs; the schema is compiled on the first target the subset
        # check cannot pass, or once the process's allowance (subset.RULE_TARGETS) is spent.
        # A rule file's schema was compiled when the rule loaded (rules.contract_problems),
        # and the built-in rules' schemas are held to compile by their examples' test.
        self.rule = rule
        self.schema = dict(rule.schema or {})
        self.validator: Any = None
        self._required: Any = None  # jsonschema-rs's ValidationErrorKind.Required, once compiled

    def _compiled(self) -> Any:
        if self.validator is None:
            import jsonschema_rs

            from kubelint.schema.compiler import SchemaUnusable, compile_schema

            try:
                self.validator, _ = compile_schema(self.schema)
            except SchemaUnusable as exc:
                raise RuleError(f"{where(self.rule.source, ('schema',))}: schema does not compile: {exc}") from None
            self._required = jsonschema_rs.ValidationErrorKind.Required
        return self.validator

    def run(self, ctx: CheckContext, target: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
        if self.validator is None and RULE_TARGETS.take() and verdict(self.schema, target) is True:
            return
        validator = self._compiled()
        seen: set[FieldPath] = set()
        for error in validator.iter_errors(target):
            inner: FieldPath = tuple(error.instance_path)
            at = "value"
            field = inner[-1] if inner else ""
            if isinstance(error.kind, self._required):
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
    """A value as a message shows it: YAML as a person would write it on one line, shortened."""
    text = flow(value)
    return text if len(text) <= 60 else text[:57] + "..."


def flow(value: Any) -> str:
    """YAML flow style: `{limits: {cpu: 1}}`, `[a, b]`, `true`, `null`; a plain string as it is.

    Not Python's repr (`{'limits': {'cpu': 1}}`), which a manifest's author never wrote."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        import yaml

        return str(yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1 << 30,
                                  allow_unicode=True)).strip().removesuffix("...").strip()
    return str(value)

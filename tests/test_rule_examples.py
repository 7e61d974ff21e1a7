"""Every rule's own examples, run by the code `kubelint rules --test` runs (engine/examples.py):
bad ones give the finding at the marked place, good ones none; and what the checks yield is
what they declare, so a rule file held to the declarations at load cannot fail at run time."""

from __future__ import annotations

import json
import string
from typing import Any

import pytest

from kubelint.checks import CHECKS
from kubelint.checks.base import with_defaults
from kubelint.engine.examples import examples_of, run_example, run_examples
from kubelint.engine.rules import builtin_rules, contract_problems, raw_rule_data, rule_files
from kubelint.model import Rule
from kubelint.resources import data_dir

RULES = builtin_rules()
# Rules that no manifest can trigger; each has a dedicated test named here.
NO_EXAMPLE = {"internal-error": "tests/test_engine.py::test_a_failing_check_becomes_an_internal_error",
              "unused-suppression": "tests/test_suppressions.py::test_unused_suppressions_are_reported_at_their_place",
              # a chart or a kustomization tree, not one manifest
              "render-failed": "tests/test_render.py::test_a_chart_that_does_not_render_is_a_finding_at_its_template_line",
              "render-skipped": "tests/test_render.py::test_rendering_off_says_so_once_per_chart_and_root"}
EXAMPLES = list(examples_of(RULES.values()))


@pytest.mark.parametrize("rule,kind,index,example", EXAMPLES,
                         ids=[f"{r.id}-{k}-{i}" for r, k, i, _ in EXAMPLES])
def test_rule_example(rule: Rule, kind: str, index: int, example: dict) -> None:
    result = run_example(rule, kind, index, example)
    assert result.passed, [result.problem] + [f"{f.rule} {f.line}:{f.column} {f.message}" for f in result.findings]


def test_every_rule_has_a_bad_example() -> None:
    missing = [r for r, rule in RULES.items() if not rule.examples.get("bad") and r not in NO_EXAMPLE]
    assert missing == []


def test_every_check_is_used_and_every_named_check_exists() -> None:
    named = {rule.check for rule in RULES.values() if rule.check}
    assert named - set(CHECKS) == set()
    assert set(CHECKS) - named == set(), "checks that no rule uses"


def test_rule_files_match_the_rule_schema() -> None:
    import jsonschema

    schema = json.loads((data_dir("schemas") / "rule.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in rule_files(data_dir("rules")):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(raw_rule_data(path))]
        assert errors == [], path


def test_every_rule_keeps_its_checks_contract() -> None:
    assert {rule.id: contract_problems(rule, builtin=True) for rule in RULES.values()
            if contract_problems(rule, builtin=True)} == {}


def test_every_check_declares_its_placeholders() -> None:
    assert sorted(name for name, check in CHECKS.items() if check.placeholders is None) == []


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_variant_a_check_uses_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding of every example, recorded where its message is made: the variant is
    one the rule file defines (no fallback to `default`) and the check declares, and the
    values fill every placeholder of its message and every name the check declares."""
    made: dict[tuple[str, str], list[frozenset[str]]] = {}
    original = Rule.message

    def recording(self: Rule, variant: str = "default", **values: Any) -> str:
        made.setdefault((self.id, variant), []).append(frozenset(values))
        return original(self, variant, **values)

    monkeypatch.setattr(Rule, "message", recording)
    results = run_examples(RULES.values())
    assert [r for r in results if not r.passed] == []
    problems = []
    for (rule_id, variant), given in sorted(made.items()):
        rule = RULES[rule_id]
        if variant not in rule.messages:
            problems.append(f"{rule_id}: yields variant {variant!r}, which its file does not define")
            continue
        needed = _placeholders(rule.messages[variant])
        for keys in given:
            if not needed <= keys:
                problems.append(f"{rule_id} {variant}: message uses {sorted(needed - keys)}, not filled")
        definition = CHECKS.get(rule.check or "")
        if definition is None:
            continue
        if variant not in definition.needed_variants(with_defaults(definition.params, rule.params)):
            problems.append(f"{rule_id}: check {rule.check} yields variant {variant!r} it does not declare")
        declared = definition.placeholders_for(variant) or frozenset()
        for keys in given:
            if not declared <= keys:
                problems.append(f"{rule_id} {variant}: check {rule.check} declares {sorted(declared - keys)}, "
                                "which a hit did not fill")
    assert sorted(set(problems)) == []
    # the examples reach most variants: the declarations are checked against real hits
    declared_variants = {(r.id, v) for r in RULES.values() if r.check for v in r.messages}
    assert len(set(made) & declared_variants) >= 0.8 * len(declared_variants)

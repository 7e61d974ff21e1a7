"""Every rule's own examples: bad ones give the finding at the marked place, good ones none."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kubelint.checks import CHECKS
from kubelint.engine.rules import builtin_rules, raw_rule_data, rule_files
from kubelint.engine.runner import Options, lint_paths, lint_text
from kubelint.kube.versions import parse_version
from kubelint.resources import data_dir

RULES = builtin_rules()
# Rules that no manifest can trigger; each has a dedicated test named here.
NO_EXAMPLE = {"internal-error": "tests/test_engine.py::test_a_failing_check_becomes_an_internal_error",
              "unused-suppression": "tests/test_suppressions.py::test_unused_suppressions_are_reported_at_their_place"}


def _examples() -> list[tuple[str, str, int, dict]]:
    cases = []
    for rule_id, rule in RULES.items():
        for kind in ("bad", "good"):
            for index, example in enumerate(rule.examples.get(kind, [])):
                cases.append((rule_id, kind, index, example))
    return cases


def _findings(example: dict, tmp_path: Path, rule_id: str):
    options = Options(rules={rule_id: {"enabled": True}})  # an off-by-default rule shows its examples
    if "kubernetes-version" in example:
        options.kubernetes_version = parse_version(example["kubernetes-version"])
    name = example.get("filename", "example.yaml")
    if "base64" in example:
        path = tmp_path / name
        path.write_bytes(base64.b64decode(example["base64"]))
        return lint_paths([str(path)], options).findings
    return lint_text(example["manifest"], name, options)


@pytest.mark.parametrize("rule_id,kind,index,example", _examples(),
                         ids=[f"{r}-{k}-{i}" for r, k, i, _ in _examples()])
def test_rule_example(rule_id: str, kind: str, index: int, example: dict, tmp_path: Path) -> None:
    findings = _findings(example, tmp_path, rule_id)
    got = [(f.line, f.column) for f in findings if f.rule == rule_id]
    expected = [(e["line"], e["column"]) for e in example.get("findings", [])] if kind == "bad" else []
    assert got == expected, [f"{f.rule} {f.line}:{f.column} {f.message}" for f in findings]
    for finding in findings:
        assert finding.rule != "internal-error", finding.message


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


def test_every_message_variant_a_check_uses_exists() -> None:
    for rule in RULES.values():
        for variant in rule.messages:
            assert rule.messages[variant].strip(), (rule.id, variant)

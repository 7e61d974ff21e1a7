"""The rule contract, checked when rules load: a rule file is held to what its check declares
(where it runs, its parameters, its message variants and placeholders), at the file's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.engine.rules import RuleError, builtin_rules, load_rules_dir
from kubelint.engine.run import lint_text
from kubelint.options import Options
from kubelint.report.catalog import explain_text, rule_dict, to_markdown

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources: {limits: {cpu: 1}}
"""
EXAMPLES = "examples: {bad: [], good: []}\n"
DOCS = "docs: {what: x, why: x, fix: x}\n"


def _rule(tmp_path: Path, rule_id: str, body: str) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(parents=True, exist_ok=True)
    severity = "" if "severity:" in body else "severity: warning\n"
    text = f"id: {rule_id}\ncategory: house\n{severity}summary: s\n{body}{DOCS}{EXAMPLES}"
    (directory / f"{rule_id}.yaml").write_text(text)
    return directory


def _refused(directory: Path) -> str:
    with pytest.raises(RuleError) as caught:
        load_rules_dir(directory)
    return str(caught.value)


def test_a_run_wide_check_bound_to_objects_is_refused_at_its_line(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "svc", "target: object\ncheck: service-selects-nothing\nmessage: m\n")
    err = _refused(directory)
    assert err == (f"{directory / 'svc.yaml'}:5:1: check service-selects-nothing runs once over every object "
                   "of the run (cross-object); its rule needs `target: run`, not `target: object`")


@pytest.mark.parametrize("target", ["podspec", "container"])
def test_a_run_wide_check_is_refused_for_every_per_document_target(tmp_path: Path, target: str) -> None:
    directory = _rule(tmp_path, "dup", f"target: {target}\ncheck: duplicate-object\nmessage: m\n")
    assert "dup.yaml:5:1: check duplicate-object runs once over every object" in _refused(directory)


def test_a_document_check_bound_to_the_run_is_refused_at_its_line(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "tag", "target: run\ncheck: image-tag\nmessages: {no-tag: a, floating: b, default: c}\n")
    err = _refused(directory)
    assert err.startswith(f"{directory / 'tag.yaml'}:5:1: check image-tag runs on each object, pod spec or "
                          "container; `target: run` is for the run-wide checks (duplicate-object, ")


def test_an_undeclared_parameter_of_a_run_wide_check_is_refused(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "svc", "target: run\ncheck: service-selects-nothing\nparams: {typo: 7}\nmessage: m\n")
    assert _refused(directory) == (f"{directory / 'svc.yaml'}:7:1: check service-selects-nothing takes no "
                                   "parameters")


def test_an_undeclared_parameter_is_refused_at_its_line_with_a_guess(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "tag", "target: container\ncheck: image-tag\nparams:\n  floatng: [x]\n"
                                       "messages: {no-tag: a, floating: b, default: c}\n")
    err = _refused(directory)
    assert err == (f"{directory / 'tag.yaml'}:8:3: unknown key `floatng` under `params`; did you mean "
                   "`floating`? (known: floating) (parameters of check image-tag)")


def test_a_parameter_that_is_no_regular_expression_is_refused_at_its_line(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "house-secret", "target: container\ncheck: secret-in-env\nparams:\n"
                                                "  names: ['.*KEY', '[unclosed']\nmessages: {default: a, private-key: b}\n")
    assert _refused(directory) == (f"{directory / 'house-secret.yaml'}:8:20: params.names[1]: `[unclosed` is not "
                                   "a regular expression (unterminated character set at position 0) (parameters "
                                   "of check secret-in-env)")


def test_an_unknown_placeholder_is_refused_at_the_messages_line_with_the_allowed_ones(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "house-registry", "target: container\nschema: {required: [image]}\n"
                                                  "message: \"{kind} `{name}` has no image\"\n")
    err = _refused(directory)
    assert err == (f"{directory / 'house-registry.yaml'}:7:1: message `default` uses {{kind}}, which a "
                   "`schema:` rule does not fill (it fills: {field}, {name}, {path}, {value}); a literal "
                   "brace is written `{{` or `}}`")


def test_a_checks_placeholders_are_the_ones_it_declares(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "tag", "target: container\ncheck: image-tag\n"
                                       "messages:\n  default: d\n  no-tag: \"{image} in {namespace}\"\n"
                                       "  floating: \"{image}\"\n")
    err = _refused(directory)
    assert err == (f"{directory / 'tag.yaml'}:9:3: message `no-tag` uses {{namespace}}, which check image-tag "
                   "does not fill (it fills: {image}, {name}, {short}); a literal brace is written `{{` or `}}`")


def test_a_single_brace_is_refused_with_how_to_write_one(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "limits", "target: container\nschema: {required: [resources]}\n"
                                          "message: \"set resources: {limits: …}\"\n")
    err = _refused(directory)
    assert err == (f"{directory / 'limits.yaml'}:7:1: message `default`: `{{limits: …}}` is not a "
                   "placeholder (a name in braces, such as `{name}`); a literal brace is written `{{` or `}}`")
    directory = _rule(tmp_path / "b", "limits", "target: container\nschema: {required: [resources]}\n"
                                                "message: \"set resources: limits: }\"\n")
    assert _refused(directory) == (f"{directory / 'limits.yaml'}:7:1: message `default`: a single `{{` or `}}`; "
                                   "a literal brace is written `{{` or `}}`")


def test_a_literal_brace_works_end_to_end(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "needs-limits", "target: container\nschema:\n  required: [resources]\n"
                                                "message: \"container `{name}` has no resources; add "
                                                "`resources: {{limits: {{cpu: 1}}}}`\"\n")
    load_rules_dir(directory)
    found = lint_text(POD.replace("      resources: {limits: {cpu: 1}}\n", ""), "pod.yaml",
                      Options(rules_dirs=[str(directory)], only=["needs-limits"]))
    assert [(f.rule, f.line, f.column, f.message) for f in found] == [
        ("needs-limits", 7, 13, "container `web` has no resources; add `resources: {limits: {cpu: 1}}`")]


def test_a_mapping_value_is_shown_as_yaml_flow(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "no-cpu-limit", "target: container\nschema:\n  properties:\n    resources:\n"
                                                "      properties:\n        limits: {not: {required: [cpu]}}\n"
                                                "message: \"container `{name}` limits {field}: {value}\"\n")
    found = lint_text(POD, "pod.yaml", Options(rules_dirs=[str(directory)], only=["no-cpu-limit"]))
    assert [(f.line, f.column, f.message) for f in found] == [
        (9, 27, "container `web` limits limits: {cpu: 1}")]


def test_a_missing_message_variant_fails_at_load(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "tag", "target: container\ncheck: image-tag\nmessage: \"{image}\"\n")
    assert _refused(directory) == (f"{directory / 'tag.yaml'}:7:1: check image-tag may report message "
                                   "variant(s) floating, no-tag, which this rule does not define")


def test_a_message_variant_the_check_never_reports_is_refused(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "tag", "target: container\ncheck: image-tag\n"
                                       "messages: {default: d, no-tag: a, floating: b, flaoting: c}\n")
    assert _refused(directory) == (f"{directory / 'tag.yaml'}:7:48: check image-tag never reports variant "
                                   "`flaoting` (it reports floating, no-tag)")


def test_a_rule_file_cannot_take_the_readers_targets(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "mine", "target: input\nmessage: m\n")
    assert _refused(directory).startswith(f"{directory / 'mine.yaml'}:5:1: `target: input` is for kubelint's "
                                          "own reader and schema findings")


def test_rule_file_mistakes_are_in_the_configs_words_all_at_once(tmp_path: Path) -> None:
    directory = _rule(tmp_path, "both", "severity: critcal\ntarget: container\ncheck: image-tag\n"
                                        "schema: {required: [image]}\nmessage: m\n")
    path = directory / "both.yaml"
    assert _refused(directory).splitlines() == [
        f"{path}:1:1: the rule file has more than one of `check` and `schema`; keep one",
        f"{path}:4:11: `critcal` is not a valid severity (choose error, warning, info)",
    ]


def test_defaults_come_from_the_parameter_schema(tmp_path: Path) -> None:
    # no params: the schema's default [ALL, NET_RAW] applies, so dropping NET_RAW is enough
    directory = _rule(tmp_path, "caps", "target: container\ncheck: capabilities-not-dropped\n"
                                        "messages: {default: \"{who} keeps them\", partial: \"{who} drops too few\"}\n")
    manifest = POD.replace("      resources: {limits: {cpu: 1}}\n",
                           "      securityContext: {capabilities: {drop: [NET_RAW]}}\n")
    assert lint_text(manifest, "pod.yaml", Options(rules_dirs=[str(directory)], only=["caps"])) == []
    found = lint_text(manifest.replace("NET_RAW", "MKNOD"), "pod.yaml",
                      Options(rules_dirs=[str(directory)], only=["caps"]))
    assert [(f.line, f.message) for f in found] == [(9, "container `web` drops too few")]


def test_explain_and_the_docs_show_each_parameter_from_the_schema() -> None:
    rule = builtin_rules()["image-tag"]
    text = explain_text(rule)
    assert ("Parameters (in .kubelint.yaml: rules: {image-tag: {params: {name: value}}}):\n"
            "  floating (list of strings, default: [latest])\n"
            "    Tags that move: an image with one of them is reported.\n") in text
    docs = to_markdown({"image-tag": rule})
    assert ("| name | type | default | description |\n|---|---|---|---|\n"
            "| `floating` | list of strings | `[latest]` | Tags that move: an image with one of them is "
            "reported. |\n") in docs
    assert "Parameters" not in explain_text(builtin_rules()["host-network"])
    assert rule_dict(rule)["parameters"] == [{"name": "floating", "type": "list of strings", "required": False,
                                              "description": "Tags that move: an image with one of them is "
                                                             "reported.", "default": ["latest"]}]

"""Custom resources: validated against CRDs from the input and from --schema-dir."""

from __future__ import annotations

import json
from pathlib import Path

from kubelint.options import Options
from tests.classic import lint_paths, lint_text, run_cli
from tests.conftest import FIXTURES
from tests.test_schema import schema_findings

F = FIXTURES / "schema"
CRDS = F / "crds-and-crs" / "crds.yaml"
CR = F / "crds-and-crs" / "cr.yaml"


def test_custom_resource_validated_against_a_crd_from_another_file() -> None:
    # The CR file comes first: CRDs are collected from every file before linting.
    findings = lint_paths([str(CR), str(CRDS)]).findings
    origin = f" (from CRD memcacheds.cache.example.com in {CRDS})"
    assert schema_findings(findings) == [
        ("schema-invalid", 6, 9, 'spec.size: expected integer, got string "3"' + origin),
        ("schema-invalid", 7, 9, 'spec.tier: Unsupported value: "medium": supported values: "small", "large"' + origin),
        ("unknown-field", 10, 3, "spec.colour: unknown field" + origin),
        ("schema-invalid", 20, 7, "spec.backups[1].schedule: Required value" + origin),
        ("schema-invalid", 20, 13, 'spec.backups[1].keep: expected integer, got string "7"' + origin),
        ("schema-invalid", 41, 12, "spec.storage: Invalid value: set only one of: emptyDir, pvc" + origin),
        ("schema-invalid", 43, 13, "CRD memcacheds.cache.example.com does not serve v1alpha1 of Memcached (it serves v1)"),
    ]
    # Nothing about the CRD itself: it is a valid apiextensions.k8s.io/v1 object.
    assert not any(f.file == str(CRDS) for f in findings)


def test_crd_extensions_are_honoured() -> None:
    """int-or-string, nullable, preserve-unknown-fields, embedded resources, null pruning and
    the status subresource: the second CR of cr.yaml uses them all and is valid; the first
    has `status.nodes: 3`, which the API server drops on create."""
    findings = schema_findings(lint_paths([str(CRDS), str(CR)]).findings)
    assert not any(line in (11, 12, 13, 14, 15, 16, 23) for _, line, _, _ in findings)
    assert not any(25 <= line <= 34 for _, line, _, _ in findings)


def test_without_strict_unknown_fields_of_custom_resources_pass() -> None:
    findings = schema_findings(lint_paths([str(CRDS), str(CR)], Options(strict=False)).findings)
    assert [f for f in findings if f[0] == "unknown-field"] == []
    assert ("schema-invalid", 6, 9) in [f[:3] for f in findings]


def test_v1beta1_crds_keep_unknown_fields_by_default() -> None:
    text = """\
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  version: v1
  names: {kind: Thing, plural: things}
  scope: Namespaced
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            size: {type: integer}
---
apiVersion: example.com/v1
kind: Thing
metadata: {name: t}
spec:
  size: big
  extra: allowed
"""
    findings = schema_findings(lint_text(text, "things.yaml", Options(kubernetes_version=(1, 25))))
    assert [f[:3] for f in findings] == [("schema-invalid", 20, 9)]


def test_a_crd_with_garbage_in_it_does_not_crash() -> None:
    text = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: junk.example.com}
spec:
  group: example.com
  names: {kind: Junk, plural: junk}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          required: 7
          properties:
            spec:
              type: [not, a, type]
              minimum: lots
              pattern: "(?<!unsupported"
              properties: {a: 1, b: {type: string, pattern: "[a-z"}}
              items: [1, 2]
              oneOf: nope
---
apiVersion: example.com/v1
kind: Junk
metadata: {name: j}
spec: {a: 1, b: 2}
"""
    findings = lint_text(text, "junk.yaml")
    assert not any(f.rule == "internal-error" for f in findings)
    cr = [f for f in findings if f.line > 24 and f.rule in ("schema-invalid", "unknown-field")]
    assert [(f.rule, f.line, f.column, f.path) for f in cr] == [("schema-invalid", 28, 17, "spec.b")]


def test_catalog_schema_dir() -> None:
    cr = F / "catalog-cr.yaml"
    schema = F / "catalog" / "cache.example.com" / "memcached_v1.json"
    findings = lint_paths([str(cr)], Options(schema_dirs=[str(F / "catalog")])).findings
    assert schema_findings(findings) == [
        ("schema-invalid", 6, 9, f"spec.size: Invalid value: 0: should be greater than or equal to 1 (from schema dir {schema})"),
        ("unknown-field", 8, 3, f"spec.tire: unknown field (from schema dir {schema})"),
    ]


def test_crd_yaml_files_in_a_schema_dir_through_the_cli() -> None:
    code, out, _ = run_cli(["check", "--format", "json", "--schema-dir", str(F / "crd-dir"), str(F / "widget.yaml")])
    report = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        ("schema-invalid", 7, 9, 'spec.tier: Unsupported value: "huge": supported values: "small", "large" '
                                 f"(from CRD widgets.example.org in {F / 'crd-dir' / 'widgets.yaml'})"),
    ]


def test_schema_dir_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / ".kubelint.yaml"
    config.write_text(f"schema-dir: [{F / 'catalog'}]\nstrict: false\n")
    code, out, _ = run_cli(["check", "--format", "json", "--config", str(config), str(F / "catalog-cr.yaml")])
    assert [(f["rule"], f["line"]) for f in json.loads(out)["findings"]] == [("schema-invalid", 6)]


def test_an_unreadable_catalog_schema_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "cache.example.com").mkdir()
    (tmp_path / "cache.example.com" / "memcached_v1.json").write_text("{not json")
    findings = lint_paths([str(F / "catalog-cr.yaml")], Options(schema_dirs=[str(tmp_path)])).findings
    [(rule, line, column, message)] = schema_findings(findings)
    assert (rule, line, column) == ("unknown-kind", 2, 7)
    assert message.startswith("cannot use the schema for cache.example.com/v1 Memcached (from schema dir ")


ONE_OF_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: knobs.example.com}
spec:
  group: example.com
  names: {kind: Knob, plural: knobs}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                level:
                  oneOf:
                    - type: integer
                    - type: object
                      required: [value]
                      properties:
                        value: {type: string}
                        unit: {type: string, default: "%"}
---
"""


def test_one_of_reports_the_branch_the_value_was_meant_for() -> None:
    text = ONE_OF_CRD + "apiVersion: example.com/v1\nkind: Knob\nmetadata: {name: a}\nspec:\n  level: {value: 3}\n"
    origin = " (from CRD knobs.example.com in knob.yaml)"
    assert schema_findings(lint_text(text, "knob.yaml")) == [
        ("schema-invalid", 33, 18, "spec.level.value: expected string, got integer 3; put the value in quotes" + origin),
    ]
    text = ONE_OF_CRD + "apiVersion: example.com/v1\nkind: Knob\nmetadata: {name: a}\nspec:\n  level: yes\n"
    assert schema_findings(lint_text(text, "knob.yaml")) == [
        ("schema-invalid", 33, 10, "spec.level: expected object or integer, got boolean true" + origin),
    ]


def test_a_misspelt_custom_kind_suggests_the_crd_kind() -> None:
    text = ONE_OF_CRD + "apiVersion: example.com/v1\nkind: Knobb\nmetadata: {name: a}\n"
    assert schema_findings(lint_text(text, "knob.yaml")) == [
        ("unknown-kind", 30, 7, "no schema for example.com/v1 Knobb; did you mean Knob? Validation skipped"),
    ]


def test_the_validator_survives_pickling_for_spawned_workers() -> None:
    import pickle

    from kubelint.parser import parse
    from kubelint.schema import SchemaValidator

    docs = parse(ONE_OF_CRD + "apiVersion: example.com/v1\nkind: Knob\nmetadata: {name: a}\nspec:\n  level: []\n",
                 "knob.yaml").documents
    validator = SchemaValidator((1, 37))
    validator.add_crds(docs[:1])
    before = list(validator.validate(docs[1]))
    after = list(pickle.loads(pickle.dumps(validator)).validate(docs[1]))
    assert before == after and len(before) == 1


def test_the_crd_itself_is_checked_against_apiextensions() -> None:
    text = ONE_OF_CRD.replace("value: {type: string}", "value: {tpye: string}")
    assert schema_findings(lint_text(text, "knob.yaml")) == [
        ("unknown-field", 26, 33, "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.level"
                                  ".oneOf[1].properties.value.tpye: unknown field; did you mean type?"),
    ]


def _tree_with_hidden_api_version(tmp_path: Path) -> list[str]:
    """A CRD file, an unrelated big-enough file, and a List whose item takes its apiVersion
    from an alias: a byte scan cannot see that group, only the parsed document can."""
    (tmp_path / "crds.yaml").write_text(CRDS.read_text())
    (tmp_path / "list.yaml").write_text(
        "apiVersion: v1\nkind: List\n"
        "metadata: {annotations: {group: &g cache.example.com/v1}}\n"
        "items:\n"
        "  - apiVersion: *g\n    kind: Memcached\n    metadata: {name: a}\n    spec: {size: x}\n")
    for n in range(10):
        (tmp_path / f"cm{n}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{n}}}\n")
    return [str(tmp_path)]


def test_a_custom_resource_the_byte_scan_cannot_see_is_still_checked(tmp_path: Path) -> None:
    paths = _tree_with_hidden_api_version(tmp_path)
    serial = lint_paths(paths, Options(jobs=1)).findings
    parallel = lint_paths(paths, Options(jobs=2)).findings
    assert serial == parallel
    got = [(f.rule, f.file.rsplit("/", 1)[-1], f.line, f.column, f.path) for f in serial]
    assert got == [("schema-invalid", "list.yaml", 8, 18, "items[0].spec.size")]


def test_a_custom_resource_on_stdin_is_checked_against_a_crd_file() -> None:
    text = CR.read_text().split("---")[0]
    findings = lint_paths(["-", str(CRDS)], stdin_text=text, stdin_filename="cr.yaml").findings
    assert [(f.rule, f.line, f.file) for f in findings][:2] == [
        ("schema-invalid", 6, "cr.yaml"), ("schema-invalid", 7, "cr.yaml")]


def test_a_crd_group_the_byte_scan_cannot_see_is_still_used(tmp_path: Path) -> None:
    # The CRD names its group through an alias: the plan cannot know the file defines it.
    hidden = CRDS.read_text().replace(
        "metadata:\n  name: memcacheds.cache.example.com\nspec:\n  group: cache.example.com\n",
        "metadata:\n  name: memcacheds.cache.example.com\n  labels: {g: &g cache.example.com}\n"
        "spec:\n  group: *g\n", 1)
    assert "group: *g" in hidden
    (tmp_path / "a-crds.yaml").write_text(hidden)
    (tmp_path / "b-cr.yaml").write_text(CR.read_text())
    for n in range(10):
        (tmp_path / f"cm{n}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{n}}}\n")
    serial = lint_paths([str(tmp_path)], Options(jobs=1)).findings
    parallel = lint_paths([str(tmp_path)], Options(jobs=2)).findings
    assert serial == parallel
    got = [(f.rule, f.line) for f in serial if f.file.endswith("b-cr.yaml")]
    assert got[:2] == [("schema-invalid", 6), ("schema-invalid", 7)]  # validated against the CRD


def test_a_file_that_hides_one_of_its_groups_waits_for_it(tmp_path: Path) -> None:
    """cr.yaml names other.example.com plainly and cache.example.com only through an alias:
    it must not be linted once the first group is complete but the second is not."""
    from kubelint.engine.linter import Linter
    from kubelint.engine.passes import _TwoPasses

    crds, cr, plain = tmp_path / "crds.yaml", tmp_path / "cr.yaml", tmp_path / "plain.yaml"
    crds.write_text(CRDS.read_text())
    cr.write_text("apiVersion: other.example.com/v1\nkind: Thing\nmetadata: {name: a}\n---\n"
                  "metadata: {name: b, labels: {v: &v cache.example.com/v1}}\n"
                  "apiVersion: *v\nkind: Memcached\nspec: {size: x}\n")
    plain.write_text("apiVersion: cache.example.com/v1\nkind: Memcached\nmetadata: {name: c}\n")
    linter = Linter(Options(jobs=1))
    files = [str(crds), str(cr), str(plain)]
    run = _TwoPasses(linter, files, None)
    assert set(run.waiting) == {str(cr), str(plain)}
    run.lint_ready()  # other.example.com has no CRD, so cr.yaml looks ready; it is not
    assert set(run.waiting) == {str(cr), str(plain)} and not run.later
    run.first_done(str(crds), linter.first_pass(str(crds)))
    run.lint_ready()
    run.finish()
    assert not run.unplanned and not run.waiting
    findings = run.later[str(cr)][0]
    assert ("schema-invalid", 8, "spec.size") in [(f.rule, f.line, f.path) for f in findings]

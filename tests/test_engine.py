"""The engine: targets, internal errors, List expansion, sorting."""

from __future__ import annotations

from kubelint.checks import CHECKS
from kubelint.engine.run import lint_text
from kubelint.options import Options

# The engine tests look at a fixed set of rules, so that new rules in the catalog do not move them.
BASIC = Options(only=["image-tag", "misplaced-field", "schema-invalid", "unknown-field", "removed-api"])

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
"""


def test_a_failing_check_becomes_an_internal_error(monkeypatch) -> None:
    def broken(ctx, target, path, params):
        raise KeyError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(CHECKS, "image-tag", CHECKS["image-tag"].replace(run=broken))
    findings = lint_text(POD, "pod.yaml")
    internal = [f for f in findings if f.rule == "internal-error"]
    assert len(internal) == 1
    assert "image-tag" in internal[0].message and "KeyError" in internal[0].message
    assert (internal[0].line, internal[0].column) == (1, 1)
    assert internal[0].kind == "Pod" and internal[0].name == "web"


def test_list_items_are_linted_with_their_own_positions() -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a}
    spec:
      containers:
        - name: a
          image: nginx:latest
"""
    findings = lint_text(text, "list.yaml", BASIC)
    assert [(f.rule, f.line, f.column, f.path, f.kind) for f in findings] == [
        ("image-tag", 10, 18, "items[0].spec.containers[0].image", "Pod"),
    ]


def test_cronjob_containers_are_targets() -> None:
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
"""
    findings = lint_text(text, "cron.yaml", BASIC)
    assert [(f.rule, f.line, f.column) for f in findings] == [("image-tag", 13, 22)]
    assert findings[0].path == "spec.jobTemplate.spec.template.spec.containers[0].image"


def test_findings_are_sorted_by_position() -> None:
    text = POD.replace("metadata:\n  name: web\n", "metadata:\n  name: web\nlabels: {a: b}\n")
    findings = lint_text(text, "pod.yaml", BASIC)
    assert [(f.line, f.rule) for f in findings] == [(5, "misplaced-field"), (9, "image-tag")]


def test_a_null_list_item_is_named_null() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n  - ~\n  - 3\n"
    findings = lint_text(text, "list.yaml")
    assert [(f.rule, f.line, f.column) for f in findings] == [("not-a-manifest", 4, 5), ("not-a-manifest", 5, 5)]
    assert "is a null, not a mapping" in findings[0].message
    assert "is a number, not a mapping" in findings[1].message


def test_list_item_findings_carry_the_path_from_the_document_root() -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    dta: {x: y}
  - apiVersion: extensions/v1beta1
    kind: Ingress
    metadata: {name: b}
    spec:
      backend: {serviceName: web, servicePort: 80}
"""
    findings = lint_text(text, "list.yaml", BASIC)
    got = [(f.rule, f.path, f.line, f.column) for f in findings]
    assert ("unknown-field", "items[0].dta", 7, 5) in got
    # removed-api still covers the schema findings of its own item, whatever the prefix
    assert [r for r, p, _, _ in got if p.startswith("items[1]")] == ["removed-api"]

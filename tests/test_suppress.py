"""Suppressing findings with comments and annotations."""

from __future__ import annotations

from tests.classic import lint_text

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: a
      image: nginx{a}
    - name: b
      image: busybox{b}
"""


def _rules_at(text: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_text(text, "pod.yaml")]


def test_without_directives_both_images_are_reported() -> None:
    assert _rules_at(POD.format(a="", b="")) == [("image-tag", 8), ("image-tag", 10)]


def test_end_of_line_comment_silences_that_line_only() -> None:
    text = POD.format(a="  # kubelint: disable=image-tag", b="")
    assert _rules_at(text) == [("image-tag", 10)]


def test_own_line_comment_silences_the_next_line() -> None:
    text = POD.replace("    - name: b\n", "    - name: b\n      # kubelint: disable=image-tag\n").format(a="", b="")
    assert _rules_at(text) == [("image-tag", 8)]


def test_other_rules_are_not_silenced() -> None:
    text = POD.format(a="  # kubelint: disable=missing-selector", b="")
    assert _rules_at(text) == [("image-tag", 8), ("image-tag", 10)]


def test_file_level_comment() -> None:
    text = "# kubelint: disable-file=image-tag\n" + POD.format(a="", b="")
    assert _rules_at(text) == []


def test_annotation_silences_the_object() -> None:
    text = POD.replace("  name: web\n", "  name: web\n  annotations:\n    kubelint.dev/ignore: image-tag\n")
    assert _rules_at(text.format(a="", b="")) == []


def test_tool_configs_are_skipped_not_linted() -> None:
    text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels: {a: b}\n"
    assert lint_text(text, "kustomization.yaml") == []

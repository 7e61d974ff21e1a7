"""YAML that go-yaml (kubectl, the API server) reads and libyaml alone would refuse."""

from __future__ import annotations

from kubelint.engine.run import lint_text
from kubelint.source import load_text

POD = '''apiVersion: v1
kind: Pod
metadata:
  name: e
spec:
  containers:
    - name: c
      image: busybox:1.36
      command: ["sh", "-c", "echo \\"A=\\'x\\'\\""]
      args: ["a\\/b", "tab\\\tx", "a\\'b", 'it''s', plain\\'kept]
      bogus: 1
'''


def test_the_single_quote_escape_reads_as_go_yaml_reads_it() -> None:
    source = load_text(POD, "pod.yaml")
    assert source.problems == []
    container = source.documents[0].obj["spec"]["containers"][0]
    assert container["command"] == ["sh", "-c", "echo \"A='x'\""]
    assert container["args"] == ["a/b", "tab\tx", "a'b", "it's", "plain\\'kept"]


def test_positions_after_the_escape_are_right() -> None:
    found = [(f.rule, f.line, f.column) for f in lint_text(POD, "pod.yaml") if f.rule == "unknown-field"]
    assert found == [("unknown-field", 11, 7)]


def test_other_bad_escapes_stay_errors() -> None:
    source = load_text('a: "x\\qy"\n', "a.yaml")
    assert [p.rule for p in source.problems] == ["yaml-syntax"]


def test_a_real_line_separator_escape_is_not_mistaken() -> None:
    source = load_text('a: "x\\Ly\\\'z"\n', "a.yaml")
    assert [p.rule for p in source.problems] == ["yaml-syntax"]  # ambiguous: libyaml's answer stands

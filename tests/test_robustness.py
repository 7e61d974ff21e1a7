"""Issue #4, robustness: every bad input is reported at a place and the run goes on.

Hostile YAML, odd files, odd paths, a failing rule, and no network or writes. Speed is shown
by benchmarks, never by timed assertions: where a case must not blow up, the bound asserted is
one that a correct run misses by orders of magnitude (and the measured figure is printed, for
`pytest -s`).
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import stat
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from kubelint.model import Finding
from kubelint.options import Options
from kubelint.parser import MAX_ALIAS_EXPANSION, MAX_DEPTH
from kubelint.schema import store
from kubelint.source import decode, discover, load_path, load_text
from tests.classic import lint_paths, lint_text, run_cli

POD = (
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  containers:\n"
    "    - name: web\n"
    "      image: nginx:latest\n"
)
POD_FINDINGS = [("image-tag", 8, 14)]


def places(findings: Iterable[Finding]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in findings]


def editor_lines(text: str) -> list[str]:
    """Lines as an editor shows them: str.splitlines(), plus the empty line after a final break."""
    lines = (text + "x").splitlines()
    lines[-1] = lines[-1][:-1]
    return lines


def assert_inside(findings: Iterable[Finding], text: str, file: str) -> None:
    """Every finding names `file` and starts and ends at a real place of `text`."""
    lines = editor_lines(text)
    for f in findings:
        assert f.file == file, f
        for line, column in ((f.line, f.column), (f.end_line, f.end_column)):
            assert 1 <= line <= len(lines), (f, len(lines))
            assert 1 <= column <= len(lines[line - 1]) + 1, (f, lines[line - 1])
        assert (f.end_line, f.end_column) >= (f.line, f.column), f


def measure(name: str, run: Callable[[], Any]) -> Any:
    """Run a hostile case twice, for its time and then for its peak traced memory; print both."""
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        result = run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\nhostile case {name}: {seconds:.3f} s, peak {peak / 1e6:.2f} MB")
    assert seconds < 10, f"{name} took {seconds:.1f} s"  # a correct run takes milliseconds
    assert peak < 200e6, f"{name} peaked at {peak / 1e6:.0f} MB"
    return result


def lint_file(tmp_path: Path, name: str, data: bytes, options: Options | None = None) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(data)
    return lint_paths([str(path)], options or Options(jobs=1)).findings


# --------------------------------------------------------------------------- 1. hostile YAML


def _laughs(levels: int, flow: str = "[{}]", width: int = 10) -> str:
    """The billion-laughs bomb: each level holds `width` aliases of the one before."""
    open_, close = flow[0], flow[-1]
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:",
             f"  l0: &l0 {open_}" + ", ".join(["lol"] * width if open_ == "[" else
                                               [f"k{i}: lol" for i in range(width)]) + close]
    for level in range(1, levels):
        items = [f"*l{level - 1}"] * width if open_ == "[" else [f"k{i}: *l{level - 1}" for i in range(width)]
        lines.append(f"  l{level}: &l{level} {open_}" + ", ".join(items) + close)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("flow", ["[]", "{}"])
def test_billion_laughs_is_refused_in_bounded_time_and_memory(flow: str) -> None:
    text = _laughs(9, flow)  # 10**9 nodes once expanded
    findings = measure(f"billion laughs {flow}", lambda: lint_text(text, "lol.yaml"))
    # Refused at the alias of level 5 that takes the total past a million nodes: the 8th
    # (111,111 nodes each) in lists, the 4th (222,221 nodes each, keys count) in mappings.
    column = {"[]": len("  l5: &l5 [") + 7 * len("*l4, ") + 1,
              "{}": len("  l5: &l5 {") + 3 * len("k0: *l4, ") + len("k0: ") + 1}[flow]
    assert places(findings) == [("yaml-complexity", 10, column)]
    assert text.splitlines()[9][column - 1:column + 2] == "*l4"
    assert findings[0].message == (f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an "
                                   "alias bomb?); refusing to expand them")
    assert_inside(findings, text, "lol.yaml")


def test_merge_key_bomb_is_refused() -> None:
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: x" for i in range(10)) + "}"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} {{" + ", ".join(f"k{i}: *a{level - 1}" for i in range(10)) + "}")
    lines.append("b:\n  <<: [" + ", ".join(["*a8"] * 10) + "]")
    text = "\n".join(lines) + "\n"
    findings = measure("merge-key bomb", lambda: lint_text(text, "merge.yaml"))
    assert [f.rule for f in findings] == ["yaml-complexity"]


def test_alias_budget_is_for_the_whole_file_even_across_broken_documents() -> None:
    """Aliases of 600,000 nodes are fine once; twice in a file is too much, broken doc between or not."""
    anchor = "base: &b [" + ", ".join(["x"] * 1000) + "]\n"
    many = "uses: [" + ", ".join(["*b"] * 600) + "]\n"
    one = anchor + many
    assert lint_text(one, "one.yaml") == []
    for separator in ("---\n", "---\nbroken: [\n---\n"):
        text = one + separator + one
        findings = measure("alias budget across documents", lambda t=text: lint_text(t, "two.yaml"))
        assert [f.rule for f in findings if f.rule == "yaml-complexity"] == ["yaml-complexity"]
        assert findings[-1].line == text.count("\n")  # the `uses:` line of the last document


def test_aliases_under_the_limit_still_lint_in_bounded_time() -> None:
    """Just under the limit, every rule walks the expanded tree: still bounded."""
    env = "".join(f"        - {{name: E{i}, value: v}}\n" for i in range(100))
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n"
            "    - &c\n      name: c\n      image: nginx:latest\n      env:\n" + env
            + "".join("    - *c\n" for _ in range(1500)))  # 1,500 x 506 nodes
    findings = measure("1,500 aliased containers", lambda: lint_text(text, "aliases.yaml"))
    # Each alias is reported where it stands (the fields inside it have no place of their own).
    assert places(findings) == [("image-tag", 8, 14)] + [("image-tag", 110 + i, 7) for i in range(1500)]


HOSTILE_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/object:os.system {{a: 1}}",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!!set {{a, b}}",
    "!custom [1]",
]


@pytest.mark.parametrize("tagged", HOSTILE_TAGS)
def test_non_standard_tags_are_an_error_and_never_construct_anything(
        tagged: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    marker = tmp_path / "constructed"
    text = POD.replace("name: web\nspec", "name: web\n  labels: " + tagged.format(marker=marker) + "\nspec")
    findings = lint_text(text, "tag.yaml")
    assert places(findings) == [("yaml-syntax", 5, 11)]
    assert "unsupported tag `" in findings[0].message and "remove the tag" in findings[0].message
    assert calls == [] and not marker.exists()


def test_a_tagged_key_and_a_tagged_document_are_refused_too() -> None:
    findings = lint_text("--- !!python/object:x\na: 1\n---\n" + POD.replace("kind: Pod", "!!python/str kind: Pod"),
                         "tag.yaml")
    assert [(f.rule, f.line, f.column) for f in findings] == [("yaml-syntax", 1, 5), ("yaml-syntax", 5, 1)]


@pytest.mark.parametrize("shape", ["block", "flow-seq", "flow-map"])
@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 10_000])
def test_deep_nesting_is_a_finding_not_a_recursion_error(shape: str, levels: int) -> None:
    if shape == "block":
        body = "".join(" " * i + "a:\n" for i in range(1, levels + 1))
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n" + body
    else:
        open_, close = ("[", "]") if shape == "flow-seq" else ("{a: ", "}")
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + open_ * levels + close * levels + "\n"
    findings = measure(f"{levels} levels, {shape}", lambda: lint_text(text, "deep.yaml"))
    assert [f.rule for f in findings] == ["yaml-complexity"]
    assert f"deeper than {MAX_DEPTH} levels" in findings[0].message
    assert_inside(findings, text, "deep.yaml")
    if levels == MAX_DEPTH + 1:  # at the collection that is one too deep
        if shape == "block":
            assert (findings[0].line, findings[0].column) == (4 + MAX_DEPTH, MAX_DEPTH + 1)
        else:
            assert findings[0].line == 4 and findings[0].column == 7 + len(open_) * (MAX_DEPTH - 1)


def test_nesting_up_to_the_limit_is_read_and_validated() -> None:
    """At the limit the schema validator still works (it gives up silently a little deeper)."""
    def data(levels: int) -> str:  # the root mapping is the first level
        body = "[" * (levels - 1) + "]" * (levels - 1)
        return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata: {body}\n"

    assert places(lint_text(data(MAX_DEPTH), "ok.yaml")) == [("schema-invalid", 4, 7)]
    assert places(lint_text(data(MAX_DEPTH + 1), "deep.yaml")) == [("yaml-complexity", 4, 6 + MAX_DEPTH)]


def test_huge_numbers_are_strings_or_floats_never_a_crash() -> None:
    """int() refuses 4,300+ digits; go-yaml reads such a plain scalar as a float or a string."""
    from kubelint.parser import resolve_plain

    assert resolve_plain("1" * 5000) == "1" * 5000  # +Inf: strconv.ParseFloat fails, a string
    assert resolve_plain("1" * 25) == 1.1111111111111111e24
    assert resolve_plain("1e400") == "1e400"
    assert resolve_plain("0x" + "f" * 5000) == "0x" + "f" * 5000
    text = POD.replace("name: web\nspec", "name: web\n  annotations: {n: " + "9" * 100_000 + "}\nspec")
    assert places(lint_text(text, "n.yaml")) == [("image-tag", 9, 14)]  # a string, as in Kubernetes


# ---------------------------------------------------------------------------------- 2. odd files


@pytest.mark.parametrize("name,data", [
    ("empty.yaml", b""),
    ("comments.yaml", b"# nothing here\n# at all\n"),
    ("separator.yaml", b"---\n"),
    ("separators.yaml", b"---\n---\n...\n"),
    ("null.yaml", b"--- null\n"),
    ("tilde.yaml", b"~\n"),
    ("scalar.yaml", b"just a string\n"),
    ("list.yaml", b"- a\n- b\n"),
])
def test_files_without_objects_are_skipped_quietly(name: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = lint_paths([str(path)], Options(jobs=1))
    assert result.findings == [] and result.files == 1 and result.skipped == 1


def test_scalars_and_lists_among_manifests_are_not_manifests() -> None:
    text = POD + "---\njust a string\n---\n- a\n- b\n---\n42\n---\n"
    findings = lint_text(text, "mixed.yaml")
    assert [(f.rule, f.line, f.column, f.document) for f in findings] == [
        ("image-tag", 8, 14, 0), ("not-a-manifest", 10, 1, 1), ("not-a-manifest", 12, 1, 2),
        ("not-a-manifest", 15, 1, 3)]
    assert [f.message.split(":")[0] for f in findings[1:]] == [
        "this document is a string, not a mapping", "this document is a list, not a mapping",
        "this document is a number, not a mapping"]


def test_kind_list_with_garbage_items() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n  - 1\n  - [a]\n  - {a: b}\n  - text\n"
            "  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x}]}}\n"
            "  - {apiVersion: 3, kind: []}\n")
    findings = lint_text(text, "list.yaml")
    assert "internal-error" not in {f.rule for f in findings}
    assert [(f.rule, f.line, f.column) for f in findings if f.rule == "not-a-manifest"] == [
        ("not-a-manifest", 4, 5), ("not-a-manifest", 5, 5), ("not-a-manifest", 6, 5),
        ("not-a-manifest", 7, 5), ("not-a-manifest", 9, 5)]
    assert ("image-tag", 8, text.splitlines()[7].index("image: x}") + len("image: ") + 1) in places(findings)
    assert_inside(findings, text, "list.yaml")


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_byte_order_marks_and_columns_in_characters(encoding: str, bom: bytes, tmp_path: Path) -> None:
    # An accented letter and an astral emoji (two UTF-16 units, four UTF-8 bytes) before the
    # finding on the same line: columns count characters, and line 1 does not count the BOM.
    text = ("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: é😀}\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n"
            "  containers: [{name: é😀, image: nginx:latest}]\n")
    findings = lint_file(tmp_path, "bom.yaml", bom + text.encode(encoding))
    assert places(findings) == [("removed-api", 1, 13), ("image-tag", 9, 34)]
    assert text.splitlines()[8][33:45] == "nginx:latest"


def test_utf16_with_a_broken_surrogate_is_unreadable_at_its_place(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "a: 1\nb: x".encode("utf-16-le") + b"\x00\xd8" + "y\n".encode("utf-16-le")
    findings = lint_file(tmp_path, "u16.yaml", data)
    assert places(findings) == [("file-unreadable", 2, 5)]
    assert "UTF-16 byte-order mark but is not valid UTF-16" in findings[0].message


def test_utf16_without_a_bom_is_named(tmp_path: Path) -> None:
    findings = lint_file(tmp_path, "u16.yaml", POD.encode("utf-16-le"))
    assert places(findings) == [("file-unreadable", 1, 2)]
    assert "looks like UTF-16 without a byte-order mark" in findings[0].message


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_invalid_utf8_and_nul_bytes_are_reported_at_their_place(eol: str, tmp_path: Path) -> None:
    head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf".replace("\n", eol).encode()
    findings = lint_file(tmp_path, "latin1.yaml", head + b"\xe9" + eol.encode())
    assert places(findings) == [("file-unreadable", 4, 12)]
    assert "not valid UTF-8 (byte 0xe9)" in findings[0].message
    findings = lint_file(tmp_path, "nul.yaml", head + b"\x00" + eol.encode())
    assert places(findings) == [("file-unreadable", 4, 12)]
    assert "binary file (it contains NUL bytes)" in findings[0].message


BROKEN_TAIL = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n---\n" + POD
ENDINGS = {"crlf": "\r\n", "lone-cr": "\r", "nel": "\x85", "line-separator": "\u2028"}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_line_endings_keep_positions(ending: str, tmp_path: Path) -> None:
    text = (POD + BROKEN_TAIL).replace("\n", ENDINGS[ending])
    expected = [("image-tag", 8, 14), ("yaml-syntax", 13, 1), ("image-tag", 22, 14)]
    findings = lint_file(tmp_path, "eol.yaml", text.encode())
    assert places(findings) == expected
    assert [f.document for f in findings] == [0, None, 2]  # syntax errors are file-level
    # The text report shows the right source line under each finding.
    code, out, _ = run_cli(["check", "--no-color", "--fail-on", "never", str(tmp_path / "eol.yaml")])
    shown = [tuple(line.strip().split(" | ", 1)) for line in out.splitlines()
             if " | " in line and not line.strip().startswith("|")]
    assert shown == [("8", "      image: nginx:latest"), ("13", "    name: x"),
                     ("22", "      image: nginx:latest")]


def test_mixed_line_endings_keep_positions() -> None:
    lines = (POD + BROKEN_TAIL).split("\n")
    text = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(lines[:-1]))
    assert places(lint_text(text, "mixed.yaml")) == [("image-tag", 8, 14), ("yaml-syntax", 13, 1),
                                                    ("image-tag", 22, 14)]


def test_tabs_for_indentation_say_so() -> None:
    findings = lint_text(POD.replace("  name: web", "\tname: web"), "tabs.yaml")
    assert places(findings) == [("yaml-syntax", 4, 1)]
    assert "YAML does not allow tabs for indentation, use spaces" in findings[0].message


@pytest.mark.parametrize("char", ["\x0c", "\x01", "\x7f", "\ufffe"])
def test_characters_yaml_refuses_are_reported_where_they_are(char: str) -> None:
    text = POD.replace("name: web\nspec", f"name: w{char}eb\nspec")
    findings = lint_text(text, "ctl.yaml")
    assert places(findings) == [("yaml-syntax", 4, 10)]
    assert f"U+{ord(char):04X} is not allowed" in findings[0].message
    assert_inside(findings, text, "ctl.yaml")


def test_lone_surrogates_from_the_library_api_are_a_finding() -> None:
    text = POD + "---\n" + POD.replace("name: web\nspec", "name: w\ud800\nspec")
    findings = lint_text(text, "surrogate.yaml")
    assert places(findings) == [("image-tag", 8, 14), ("file-unreadable", 13, 10), ("image-tag", 17, 14)]
    assert findings[1].message == ("not valid Unicode: the lone surrogate U+D800 is not a character "
                                   "(the text was decoded wrongly); it was read as U+FFFD")


def test_a_file_over_the_size_limit_is_a_finding_and_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # 50 MB of real content
        handle.write(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n")
        chunk = b"".join(b"  k%07d: %s\n" % (i, b"x" * 90) for i in range(10_000))
        for _ in range(50):
            handle.write(chunk)
    size = path.stat().st_size
    assert size > 50_000_000
    result = measure("50 MB file", lambda: lint_paths([str(path)], Options(jobs=1)))
    assert places(result.findings) == [("file-unreadable", 1, 1)]
    assert (f"the file is {size:,} bytes, over the 20,971,520-byte limit; raise max-file-size "
            "in .kubelint.yaml to lint it") in result.findings[0].message


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    pod = tmp_path / "pod.yaml"
    pod.write_text(POD)
    config = tmp_path / ".kubelint.yaml"
    config.write_text("max-file-size: 100\n")
    code, out, _ = run_cli(["check", "--format", "json", "--config", str(config), str(pod)])
    report = json.loads(out)
    assert code == 1 and [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [
        ("file-unreadable", 1, 1)]
    assert "over the 100-byte limit" in report["findings"][0]["message"]
    config.write_text(f"max-file-size: {len(POD)}\n")
    code, out, _ = run_cli(["check", "--format", "json", "--config", str(config), str(pod)])
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["image-tag"]


def test_ten_thousand_documents(tmp_path: Path) -> None:
    docs = [POD.replace("name: web\n", f"name: web-{i}\n", 1) for i in range(10_000)]
    docs[5000] = "broken: [\n"
    path = tmp_path / "many.yaml"
    path.write_text("---\n".join(docs))
    result = measure("10,000 documents", lambda: lint_paths([str(path)], Options(jobs=1)))
    assert result.documents == 10_000
    assert len(result.findings) == 10_000
    broken = [f for f in result.findings if f.rule == "yaml-syntax"]
    assert len(broken) == 1 and broken[0].line == 5000 * 9 + 2
    assert [f.document for f in result.findings if f.rule == "image-tag"][4999:5001] == [4999, 5001]


def test_many_broken_documents_are_each_reported_and_read_in_linear_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Resuming after each broken document must not re-read the rest of the file each time."""
    from kubelint import parser

    read = [0]
    original = parser._Window.read

    def counting(self: Any, size: int = -1) -> str:
        piece = original(self, size)
        read[0] += len(piece)
        return piece

    monkeypatch.setattr(parser._Window, "read", counting)
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [\n"
    text = "---\n".join([doc] * 2000) + "---\n" + POD
    source = measure("2,000 broken documents", lambda: load_text(text, "broken.yaml"))
    assert [p.span.line for p in source.problems] == [5 * i + 5 for i in range(2000)]
    assert source.document_count == 2001 and [d.index for d in source.documents] == [2000]
    assert read[0] < 10 * len(text)  # a few hundred characters per resume; quadratic is ~1000x


def test_resuming_never_reports_one_error_twice() -> None:
    """An error on a document's own `---` line resumes after that document, not at it."""
    text = POD + "--- !!python/object:x\na: 1\n--- [\n---\n" + POD + "--- {a: 1\n"
    source = load_text(text, "f.yaml")
    # The `{` never closed is reported where it opened (21:5), not at the end of the file.
    assert [(p.span.line, p.span.column) for p in source.problems] == [(9, 5), (12, 1), (21, 5)]
    assert [d.index for d in source.documents] == [0, 3] and source.document_count == 5
    # Directives belong to the document after them; an error in them is not a document.
    source = load_text("%YAML 1.1\n---\na: [\n---\n" + POD + "%YAML 1.1\n%YAML 1.1\n---\n" + POD, "f.yaml")
    assert [(p.span.line, p.span.column) for p in source.problems] == [(4, 1), (14, 1)]
    assert [d.index for d in source.documents] == [1, 2] and source.document_count == 3


def test_an_error_at_the_next_separator_does_not_swallow_the_next_document() -> None:
    text = "a: [1,\n---\n" + POD
    findings = lint_text(text, "f.yaml")
    assert places(findings) == [("yaml-syntax", 2, 1), ("image-tag", 10, 14)]
    assert findings[1].document == 1


def test_template_markers_after_a_broken_document_are_judged_in_their_own_document() -> None:
    alert = POD.replace("name: web\nspec", "name: web\n  annotations: {summary: '{{ $labels.pod }} is down'}\nspec")
    findings = lint_text("broken: [\n---\n" + alert, "f.yaml")
    assert places(findings) == [("yaml-syntax", 2, 1), ("image-tag", 11, 14)]
    helm = lint_text("broken: [\n---\n" + POD.replace("name: web", "name: {{ .Release.Name }}"), "f.yaml")
    assert places(helm) == [("yaml-syntax", 2, 1), ("unrendered-template", 6, 9)]


def test_many_commented_template_markers_on_one_line_are_one_pass() -> None:
    text = POD + "# " + "{{ x }} " * 200_000 + "\n"
    findings = measure("200,000 commented `{{` on one line", lambda: lint_text(text, "c.yaml"))
    assert places(findings) == POD_FINDINGS


# ---------------------------------------------------------------------------------- odd paths


def test_an_unreadable_file_is_a_finding_and_the_run_goes_on(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, where chmod 000 changes nothing: open() is made to refuse."""
    secret, pod = tmp_path / "secret.yaml", tmp_path / "pod.yaml"
    secret.write_text(POD)
    pod.write_text(POD)
    real_open = open

    def refusing(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing)
    code, out, _ = run_cli(["check", "--format", "json", "--fail-on", "never", "-j", "1", str(tmp_path)])
    report = json.loads(out)
    assert code == 0
    assert [(f["file"], f["rule"], f["line"], f["column"]) for f in report["findings"]] == [
        (str(pod), "image-tag", 8, 14), (str(secret), "file-unreadable", 1, 1)]
    assert report["findings"][1]["message"] == f"cannot read {secret}: Permission denied"
    code, out, _ = run_cli(["check", "--no-color", "--fail-on", "never", "-j", "1", str(tmp_path)])
    assert f"{secret}:1:1  error  file-unreadable  cannot read {secret}: Permission denied" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_chmod_000_file_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(POD)
    path.chmod(0)
    assert places(lint_paths([str(path)], Options(jobs=1)).findings) == [("file-unreadable", 1, 1)]


def test_a_directory_that_cannot_be_listed_is_a_finding(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "pod.yaml").write_text(POD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "pod.yaml").write_text(POD)
    real_scandir = os.scandir

    def refusing(path: Any = ".") -> Any:
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert discover([str(tmp_path)]) == [str(locked), str(tmp_path / "ok" / "pod.yaml")]
    findings = lint_paths([str(tmp_path)], Options(jobs=1)).findings
    assert [(f.file, f.rule, f.line, f.column) for f in findings] == [
        (str(locked), "file-unreadable", 1, 1), (str(tmp_path / "ok" / "pod.yaml"), "image-tag", 8, 14)]
    assert findings[0].message == f"cannot read {locked}: Permission denied"


def test_symlink_loops_dangling_links_and_devices(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pod.yaml").write_text(POD)
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")  # a directory loop
    (tmp_path / "a" / "b" / "self").symlink_to(tmp_path)  # another, to the top
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "null.yaml").symlink_to(os.devnull)
    result = lint_paths([str(tmp_path)], Options(jobs=1))
    got = {(Path(f.file).name, f.rule, f.line, f.column) for f in result.findings}
    assert got == {("pod.yaml", "image-tag", 8, 14), ("dangling.yaml", "file-unreadable", 1, 1),
                   ("loop.yaml", "file-unreadable", 1, 1), ("null.yaml", "file-unreadable", 1, 1)}
    assert result.files == 4
    messages = {Path(f.file).name: f.message.split(": ", 1)[1] for f in result.findings
                if f.rule == "file-unreadable"}
    assert messages["dangling.yaml"] == "No such file or directory"
    assert messages["loop.yaml"] == "Too many levels of symbolic links"
    assert messages["null.yaml"].startswith("not a regular file")


def test_a_path_that_does_not_exist_exits_2_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    code, out, err = run_cli(["check", str(tmp_path / "pod.yaml"), str(tmp_path / "nope.yaml")])
    assert code == 2 and out == ""
    assert err == f"kubelint: no such file or directory: {tmp_path / 'nope.yaml'}\n"


class _FifoWatch:
    """Notices anything opening a FIFO for reading, and lets it go on (it then reads EOF).

    Opening a FIFO's write end without blocking succeeds only while a reader is waiting, so
    this reports the bug (a blocked open) instead of hanging the test suite on it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                self._stop.wait(0.01)
                continue
            self.opened += 1
            os.close(fd)

    def __enter__(self) -> _FifoWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_reported_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "pod.yaml").write_text(POD)
    with _FifoWatch(fifo) as watch:
        assert discover([str(tmp_path)]) == [str(fifo), str(tmp_path / "pod.yaml")]
        source = load_path(str(fifo))
    assert watch.opened == 0
    assert [(p.rule, p.span.line, p.span.column) for p in source.problems] == [("file-unreadable", 1, 1)]
    assert source.problems[0].message == (f"cannot read {fifo}: not a regular file (a FIFO, device "
                                          "or socket); kubelint reads files only")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("report", ["json", "text"])
def test_a_fifo_in_a_directory_does_not_block_a_run(report: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "pod.yaml").write_text(POD)
    with _FifoWatch(fifo) as watch:
        code, out, _ = run_cli(["check", "--format", report, "--no-color", "-j", "1", str(tmp_path)])
    assert watch.opened == 0
    assert code == 1 and "not a regular file (a FIFO, device or socket)" in out


# ------------------------------------------------------------------------- 4. internal errors


def test_an_internal_error_names_rule_and_document_and_exits_2(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.checks import CHECKS

    def broken(ctx: Any, target: Any, path: Any, params: Any) -> Any:
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(CHECKS, "image-tag", CHECKS["image-tag"].replace(run=broken))
    path = tmp_path / "pods.yaml"
    path.write_text(POD.replace("image: nginx:latest", "image: nginx:1.27") + "---\n"
                    + POD.replace("kind: Pod", "kind: Pod\nlabels: {}"))
    code, out, _ = run_cli(["check", "--format", "json", "-j", "1", str(path)])
    report = json.loads(out)
    assert code == 2
    assert [(f["rule"], f["line"], f["column"], f["document"]) for f in report["findings"]] == [
        ("internal-error", 1, 1, 0), ("internal-error", 9, 1, 1), ("misplaced-field", 12, 1, 1)]
    message = report["findings"][1]["message"]
    assert message.startswith("rule image-tag failed on document 2: ZeroDivisionError: boom at ")
    assert "Please report this" in message
    code, _, _ = run_cli(["check", "--format", "json", "--fail-on", "never", "-j", "1", str(path)])
    assert code == 2  # whatever the fail level


# -------------------------------------------------------------------- 5. no network, no writes


class _Guard:
    """Refuses network sockets and every write to a file, recording what was attempted.

    Raises a BaseException so that no `except Exception` (or `except OSError`) in kubelint can
    turn an attempt into a finding and hide it.
    """

    class Refused(BaseException):
        pass

    def __init__(self, monkeypatch: pytest.MonkeyPatch, allowed: set[str], under: str | None = None) -> None:
        self.attempts: list[str] = []
        self.allowed = allowed
        self.under = under  # a directory where writes are allowed: kubelint's schema cache
        guard = self
        real_socket, real_open, real_os_open = socket.socket, open, os.open

        class NoNetwork(real_socket):  # type: ignore[misc, valid-type]
            def __init__(self, family: int = socket.AF_INET, *args: Any, **kwargs: Any) -> None:
                if family in (socket.AF_INET, socket.AF_INET6):
                    guard.refuse(f"socket({family!r})")
                super().__init__(family, *args, **kwargs)

        def no_write_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if any(c in mode for c in "wax+") and not guard.may_write(file):
                guard.refuse(f"open({file!r}, {mode!r})")
            return real_open(file, mode, *args, **kwargs)

        def no_write_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND) and not guard.may_write(path):
                guard.refuse(f"os.open({path!r}, {flags})")
            return real_os_open(path, flags, *args, **kwargs)

        def no_lookup(*args: Any, **kwargs: Any) -> Any:
            guard.refuse(f"name lookup {args!r}")

        monkeypatch.setattr(socket, "socket", NoNetwork)
        for name in ("getaddrinfo", "gethostbyname", "create_connection"):
            monkeypatch.setattr(socket, name, no_lookup)
        monkeypatch.setattr("builtins.open", no_write_open)
        monkeypatch.setattr("io.open", no_write_open)
        monkeypatch.setattr(os, "open", no_write_os_open)

    def refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise self.Refused(what)

    def may_write(self, path: Any) -> bool:
        if isinstance(path, int):  # a descriptor already open: the pipes to a subprocess (kustomize)
            return True
        text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
        if text in self.allowed:
            return True
        # kustomize builds through a wrapper kustomization in a temporary folder, removed after
        wrapper = os.path.join(tempfile.gettempdir(), "kubelint-kustomize-")
        if os.path.abspath(text).startswith(wrapper):
            return True
        return self.under is not None and os.path.abspath(text).startswith(self.under + os.sep)


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def test_the_guard_itself_refuses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    guard = _Guard(monkeypatch, allowed=set())
    with pytest.raises(_Guard.Refused):
        socket.socket()
    with pytest.raises(_Guard.Refused):
        open(tmp_path / "x", "w")  # noqa: SIM115
    assert len(guard.attempts) == 2


def test_a_full_check_of_the_corpus_uses_no_network_and_writes_nothing_but_its_cache(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(cache))
    store.clear_caches()  # so that the bundles are built, and written, under the guard
    before = _tree(corpus)
    # Warm up lazy imports (they may write bytecode caches: Python's doing, not kubelint's).
    for report in ("json", "sarif", "text"):
        run_cli(["check", "--format", report, "--fail-on", "never", str(corpus / "microservices-demo")])
    guard = _Guard(monkeypatch, allowed=set(), under=str(cache))
    store.clear_caches()
    # Trees with kustomize roots (built), CRDs and their custom resources, and plain manifests:
    # every path of a run, at a third of the corpus's cost (the whole corpus runs elsewhere).
    parts = [str(corpus / name) for name in ("ingress-nginx", "microservices-demo", "prometheus-operator",
                                              "kubernetes-examples", "argo-cd")]
    code, out, err = run_cli(["check", *parts, "--format", "json", "--fail-on", "never", "-j", "1"])
    assert guard.attempts == [] and code == 0, err
    assert json.loads(out)["summary"]["files"] > 200
    for report in ("sarif", "text"):
        code, _, err = run_cli(["check", "--format", report, "--fail-on", "never", "-j", "1",
                                str(corpus / "helm-templates"), str(corpus / "cert-manager")])
        assert guard.attempts == [] and code == 0, err
    assert list(work.iterdir()) == []
    assert _tree(corpus) == before
    assert len(list((cache / "bundles").glob("*.marshal"))) > 20  # the cache did its job


def test_output_writes_exactly_the_file_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    run_cli(["check", "--format", "sarif", "k8s"])  # warm up lazy imports
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    guard = _Guard(monkeypatch, allowed={str(target), "out/report.sarif"})
    code, out, _ = run_cli(["check", "--format", "sarif", "--output", "out/report.sarif", "k8s"])
    assert guard.attempts == [] and code == 0 and out == ""
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "k8s", "k8s/pod.yaml", "out", "out/report.sarif"]
    assert json.loads(target.read_text())["runs"][0]["results"][0]["ruleId"] == "image-tag"
    assert stat.S_ISREG(target.stat().st_mode)


def test_decode_never_raises_anything_but_its_own_error() -> None:
    from kubelint.source import ReadError

    for data in (b"\xff\xfe\x00", b"\xfe\xff\xd8\x00", b"\x00\x00\xfe\xff\x00\x11\x00\x00", b"\xef\xbb\xbf\xff",
                 b"\xc3", b"a\x00", bytes(range(256))):
        try:
            decode(data)
        except ReadError as exc:
            assert exc.line >= 1 and exc.column >= 1

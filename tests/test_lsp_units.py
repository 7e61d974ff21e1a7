"""The language server's parts without a client: positions, the workspace context, the actions."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

pytest.importorskip("lsprotocol", reason="the lsp extra (lsprotocol) is not installed")

from lsprotocol import types  # noqa: E402

import kubelint  # noqa: E402
from kubelint.options import Options  # noqa: E402
from kubelint.server.actions import disable_action, one_edit  # noqa: E402
from kubelint.server.context import Context  # noqa: E402
from kubelint.server.positions import UTF8, UTF16, UTF32, LineIndex  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "lsp" / "workspace"


def test_columns_after_emoji_and_cjk_in_each_encoding() -> None:
    text = 'a: "😀漢字" # x\n'
    column = text.index("#") + 1  # 1-based, in characters
    for encoding, expected in ((UTF16, 10), (UTF32, 9), (UTF8, 16)):
        index = LineIndex(text, encoding)
        assert index.to_lsp(1, column) == types.Position(line=0, character=expected)
        assert index.from_lsp(types.Position(line=0, character=expected)) == (1, column)


def test_a_byte_order_mark_is_not_a_column_of_kubelints() -> None:
    text = "\ufeffapiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\nspec: {}\n"
    removed = next(f for f in kubelint.lint_text(text, "a.yaml", Options()) if f.rule == "removed-api")
    index = LineIndex(text, UTF16)
    start = index.to_lsp(removed.line, removed.column)
    assert text.splitlines()[0][start.character:].startswith("extensions/v1beta1")
    assert index.from_lsp(start) == (removed.line, removed.column)


def test_half_a_surrogate_pair_counts_as_the_character() -> None:
    index = LineIndex("😀x\n", UTF16)
    assert index.from_lsp(types.Position(line=0, character=1)) == (1, 2)  # inside 😀: after it
    assert index.from_lsp(types.Position(line=0, character=2)) == (1, 2)


def test_line_breaks_lsp_does_not_know_go_through_offsets() -> None:
    # kubelint (like Python and YAML) breaks lines at U+2028; LSP only at \n, \r\n and \r
    text = "# a\u2028b\nkind: x\r\nname: y\n"
    index = LineIndex(text, UTF16)
    assert index.to_lsp(3, 1) == types.Position(line=1, character=0)  # kubelint's line 3 is LSP's 2nd
    assert index.to_lsp(4, 7) == types.Position(line=2, character=6)
    assert index.from_lsp(types.Position(line=2, character=6)) == (4, 7)
    # a column past the end of a line is its end, never the next line; a line past the end is the end
    assert index.to_lsp(3, 99) == types.Position(line=1, character=7)
    assert index.to_lsp(99, 1) == types.Position(line=3, character=0)


def test_a_fix_becomes_one_edit_on_the_original_text() -> None:
    text = (FIXTURES / "apps" / "ingress.yaml").read_text(encoding="utf-8")
    findings = kubelint.lint_text(text, "ingress.yaml", Options())
    from kubelint.fix.apply import apply_edits
    from kubelint.fix.session import FixSession

    removed = next(f for f in findings if f.rule == "removed-api")
    fix = FixSession(Options()).fixes("ingress.yaml", text, [removed])[removed]
    index = LineIndex(text)
    edit = one_edit(index, fix.edits)
    start, end = index.lsp_offset(edit.range.start), index.lsp_offset(edit.range.end)
    assert text[:start] + edit.new_text + text[end:] == apply_edits(text, fix.edits)


def test_disable_joins_a_directive_already_on_the_line() -> None:
    text = "image: nginx  # kubelint: disable=image-pull-policy -- pinned elsewhere\n"
    finding = kubelint.Finding("image-tag", kubelint.Severity.WARNING, "m", "f.yaml", 1, 8, 1, 13)
    action = disable_action("file:///f.yaml", 1, LineIndex(text), finding, "images", None)
    assert action is not None and action.edit is not None
    edit = action.edit.document_changes[0].edits[0]
    start = LineIndex(text).lsp_offset(edit.range.start)
    assert text[:start] + edit.new_text + text[start:] == (
        "image: nginx  # kubelint: disable=image-pull-policy,image-tag -- pinned elsewhere\n")


def settle(context: Context) -> None:
    """Wait for the context's background reads of the workspace (a hang guard, not a timing)."""
    import time

    deadline = time.monotonic() + 60
    while not context.settled():
        assert time.monotonic() < deadline, "the workspace was not read within 60 s"
        time.sleep(0.01)


def test_workspace_crds_are_read_once_and_again_when_they_change(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES, root)
    widget = root / "apps" / "widget.yaml"
    context = Context([str(root)])
    context.findings(str(widget), widget.read_text(encoding="utf-8"), {})  # starts reading the workspace
    settle(context)
    first = context.findings(str(widget), widget.read_text(encoding="utf-8"), {})
    assert [f.rule for f in first if f.rule.startswith("schema")] == ["schema-invalid"]
    assert first[0].file == os.path.join("apps", "widget.yaml")
    # the CRD file changes on disk (size becomes a string): picked up by its modification stamp
    crd = root / "crds" / "widgets.yaml"
    crd.write_text(crd.read_text(encoding="utf-8").replace(
        "size:\n                  type: integer", "size:\n                  type: string"), encoding="utf-8")
    os.utime(crd, ns=(1, 1))
    second = context.findings(str(widget), widget.read_text(encoding="utf-8"), {})
    assert not [f for f in second if f.rule == "schema-invalid"]
    # a new CRD file appears: unknown until the client reports it (or it is saved)
    gadget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n  namespace: shop\nspec: {}\n"
    assert [f.rule for f in context.findings(str(root / "g.yaml"), gadget, {})] == ["unknown-kind"]
    new_crd = root / "crds" / "gadgets.yaml"
    new_crd.write_text(crd.read_text(encoding="utf-8").replace("Widget", "Gadget").replace("widget", "gadget"),
                       encoding="utf-8")
    context.invalidate([str(new_crd)])
    assert context.findings(str(root / "g.yaml"), gadget, {}) == []


def test_a_broken_config_is_one_finding_at_the_top(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("rules:\n  no-such-rule: off\n", encoding="utf-8")
    context = Context([str(tmp_path)])
    found = context.findings(str(tmp_path / "a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", {})
    assert [(f.rule, f.line, f.column) for f in found] == [("config-error", 1, 1)]
    assert "no-such-rule" in found[0].message


POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:1.27.2
      envFrom:
        - configMapRef:
            name: settings
        - configMapRef:
            name: absent
"""
SETTINGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: b\n"


def test_run_wide_rules_see_the_workspace_and_open_buffers_over_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import kubelint.server.context as context_module

    gate = threading.Event()  # holds the background read of the workspace until the test says
    read = context_module._facts

    def gated(*args: object) -> object:
        assert gate.wait(60)
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(context_module, "_facts", gated)
    (tmp_path / ".kubelint.yaml").write_text("rules:\n  missing-configmap: on\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(SETTINGS, encoding="utf-8")
    context = Context([str(tmp_path)])
    ready = threading.Event()
    context.on_ready = ready.set
    pod = str(tmp_path / "pod.yaml")

    def missing(open_buffers: dict[str, str]) -> list[str]:
        return sorted(f.message.split("`")[3] for f in context.findings(pod, POD, open_buffers)
                      if f.rule == "missing-configmap")

    # while the workspace is read (in the background), the buffer alone is the context
    assert missing({}) == ["absent", "settings"]
    gate.set()
    settle(context)
    assert ready.is_set()  # and the server was told, to lint its open buffers again
    # then settings is defined in a file that was never opened; absent nowhere
    assert missing({}) == ["absent"]
    # an open buffer wins over its file: renamed there, settings is missing too
    assert missing({str(tmp_path / "config.yaml"): SETTINGS.replace("settings", "other")}) == ["absent", "settings"]
    # a new file on disk, once the client reports it, defines absent
    (tmp_path / "absent.yaml").write_text(SETTINGS.replace("settings", "absent"), encoding="utf-8")
    assert context.invalidate([str(tmp_path / "absent.yaml")]) is True
    assert missing({}) == []
    # findings of the other files are never the buffer's
    assert all(f.file == "pod.yaml" for f in context.findings(pod, POD, {}))


def _disabled(text: str, line: int, category: str = "reliability") -> str | None:
    finding = kubelint.Finding("single-replica", kubelint.Severity.INFO, "m", "f.yaml", line, 5, line, 9)
    index = LineIndex(text)
    action = disable_action("file:///f.yaml", 1, index, finding, category, None)
    if action is None:
        return None
    edit = action.edit.document_changes[0].edits[0]
    start = index.lsp_offset(edit.range.start)
    return text[:start] + edit.new_text + text[start:]


def test_disable_goes_above_a_line_that_opens_a_multi_line_string() -> None:
    text = 'metadata:\n  annotations:\n    note: "first\n      second"\n  name: x\n'
    assert _disabled(text, 3) == (
        'metadata:\n  annotations:\n    # kubelint: disable=single-replica -- reason\n    note: "first\n'
        '      second"\n  name: x\n')
    assert _disabled(text, 5) == text.replace("  name: x\n", "  name: x  # kubelint: disable=single-replica -- reason\n")
    # inside a block scalar no comment can go: it would become part of the text
    block = "data:\n  script: |\n    echo one\n    echo two\n"
    assert _disabled(block, 3) is None
    # the input rules are silenced for the whole file, from its first line
    assert _disabled(block, 3, "input").startswith("# kubelint: disable-file=single-replica -- reason\ndata:")


def test_the_documented_helix_setup_is_the_shipped_one() -> None:
    import re

    tomllib = pytest.importorskip("tomllib", reason="tomllib comes with Python 3.11")
    root = Path(__file__).resolve().parent.parent
    shipped = tomllib.loads((root / "editors" / "helix" / "languages.toml").read_text(encoding="utf-8"))
    assert shipped["language-server"]["kubelint"] == {"command": "kubelint", "args": ["lsp", "--stdio"]}
    blocks = [block for doc in ("README.md", "docs/editors.md") if (root / doc).exists()
              for block in re.findall(r"```toml\n(.*?)```", (root / doc).read_text(encoding="utf-8"), re.S)
              if "[language-server.kubelint]" in block]
    assert blocks, "the Editors section shows the Helix setup"
    assert all(tomllib.loads(block) == shipped for block in blocks)


def test_an_unsafe_fix_is_labelled_and_not_preferred() -> None:
    from kubelint.fix.model import Edit, Fix
    from kubelint.server.actions import fix_action

    text = "spec:\n  template: {}\n"
    fix = Fix("missing-selector", "add spec.selector from the pod template's labels", (
        Edit(1, 6, 1, 6, "\n  selector: {}"),), safe=False)
    action = fix_action("file:///f.yaml", 3, LineIndex(text), fix, None)
    assert action.title == "kubelint: add spec.selector from the pod template's labels (unsafe)"
    assert action.is_preferred is False
    assert action.edit.document_changes[0].text_document.version == 3


@pytest.mark.parametrize("inside", [True, False])
def test_a_kustomize_patch_is_a_partial_object_in_the_editor_too(tmp_path: Path, inside: bool) -> None:
    source = Path(__file__).parent / "fixtures" / "kustomize"
    shutil.copytree(source, tmp_path / "k")
    patch = tmp_path / "k" / "overlays" / "prod" / "replicas.yaml"
    # the workspace is the repository, or some other folder (the patch then found on its own)
    context = Context([str(tmp_path / "k")] if inside else [str(tmp_path / "elsewhere")])
    text = patch.read_text(encoding="utf-8")
    context.findings(str(patch), text, {})
    settle(context)
    rules = [f.rule for f in context.findings(str(patch), text, {})]
    assert "missing-selector" not in rules and "schema-invalid" not in rules, rules
    # the same object outside a kustomization is not a patch
    alone = tmp_path / "alone" / "deploy.yaml"
    assert "missing-selector" in [f.rule for f in context.findings(str(alone), text, {})]

"""Docs from one source: the rule catalog (JSON and docs/rules.md), the JSON contract's table in
the README, and the README's editor integrations applied to kubelint's real output."""

from __future__ import annotations

import json
import re

from kubelint.engine.rules import builtin_rules
from kubelint.report import catalog, contract
from tests.conftest import FIXTURES, REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")
MANIFESTS = FIXTURES / "report" / "manifests"
ONLY = "image-tag,removed-api,missing-selector,schema-invalid,unknown-field,misplaced-field"


def test_rules_json_for_tools() -> None:
    code, out, _ = run_cli(["rules", "--format", "json"])
    data = json.loads(out)
    assert code == 0 and {r["id"] for r in data} == set(builtin_rules())
    for entry in data:
        assert set(entry) >= {"id", "category", "severity", "enabled", "summary", "peers", "profile"}
        assert entry["profile"] in (None, "baseline", "restricted")


def test_docs_rules_md_is_up_to_date() -> None:
    """docs/rules.md is generated from the rule files; a rule added or changed makes it stale."""
    committed = REPO / "docs" / "rules.md"
    fresh = catalog.to_markdown(builtin_rules())
    assert committed.is_file() and committed.read_text(encoding="utf-8") == fresh, (
        f"docs/rules.md is stale (a rule file changed): regenerate it with `{catalog.REGENERATE}` "
        "from the repository root and commit the result")


def test_rules_markdown_writes_the_file(tmp_path) -> None:
    target = tmp_path / "rules.md"
    code, _, _ = run_cli(["rules", "--format", "markdown", "--output", str(target)])
    text = target.read_text(encoding="utf-8")
    assert code == 0 and text == catalog.to_markdown(builtin_rules())
    for rule in builtin_rules().values():
        assert f"\n## {rule.id}\n" in text
        if rule.docs.get("what"):
            assert "**What it finds.**" in text


def test_migration_table_comes_from_peers() -> None:
    rules = builtin_rules()
    rows = catalog.migration_rows(rules.values())
    expected = {(tool, peer) for r in rules.values() for tool, ids in r.peers.items() for peer in ids}
    assert {(tool, peer) for tool, peer, _ in rows} == expected
    text = catalog.to_markdown(rules)
    for tool, peer, ours in rows:
        assert f"| {catalog.TOOLS.get(tool, tool)} | `{peer}` | " + ", ".join(f"[{r}](#{r})" for r in ours) in text


def test_migration_rows_on_made_up_peers() -> None:
    from kubelint.engine.rules import Rule
    from kubelint.model import Severity

    def rule(rule_id: str, peers: dict[str, tuple[str, ...]]) -> Rule:
        return Rule(rule_id, "security", Severity.ERROR, True, "s", "container", {"default": "m"}, peers=peers)

    rows = catalog.migration_rows([rule("a", {"checkov": ("CKV_K8S_16",)}),
                                   rule("b", {"checkov": ("CKV_K8S_16",), "polaris": ("hostPIDSet",)})])
    assert rows == [("checkov", "CKV_K8S_16", ["a", "b"]), ("polaris", "hostPIDSet", ["b"])]


def test_readme_documents_every_field_of_the_json_contract() -> None:
    for row in contract.table().splitlines():
        assert row in README, f"README's JSON field table lacks: {row}"


# ----------------------------------------------------------------- editor integrations

def _readme_block(language: str, marker: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", README, re.S)
    found = [b for b in blocks if marker in b]
    assert found, f"no ```{language} block with {marker!r} in README"
    return found[0]


def _quiet_lines() -> list[str]:
    _, out, _ = run_cli(["check", "--only", ONLY, "--quiet", "--no-color", str(MANIFESTS)])
    return out.splitlines()


def test_vscode_problem_matcher_reads_the_output() -> None:
    task = json.loads(_readme_block("json", "problemMatcher"))["tasks"][0]
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])  # simple enough to mean the same in JS and Python
    lines = _quiet_lines()
    assert len(lines) == 9
    for line in lines:
        match = regexp.match(line)
        assert match, line
        file, row, col = match[pattern["file"]], match[pattern["line"]], match[pattern["column"]]
        assert file.startswith(str(MANIFESTS)) and int(row) >= 1 and int(col) >= 1
        assert match[pattern["severity"]] in ("error", "warning", "info")
        assert match[pattern["code"]] in ONLY.split(",") + ["yaml-syntax"]
    names = {regexp.match(line)[pattern["file"]] for line in lines}
    assert str(MANIFESTS / "odd dir" / "legacy #1.yaml") in names


def lua_pattern_to_regex(pattern: str) -> str:
    """The few Lua pattern items the README's nvim-lint example uses, as a Python regex."""
    items = {"%d": r"\d", "%a": "[A-Za-z]", "%S": r"\S", "%s": r"\s", ".-": ".*?"}
    out, i = [], 0
    while i < len(pattern):
        two = pattern[i:i + 2]
        if two in items:
            out.append(items[two])
            i += 2
            continue
        assert pattern[i] != "%", f"unsupported Lua pattern item {two!r}"
        out.append(pattern[i])
        i += 1
    return "".join(out)


def test_nvim_lint_pattern_reads_the_output_of_a_buffer() -> None:
    block = _readme_block("lua", "from_pattern")
    lua = re.search(r'from_pattern\(\s*"(.*?)",\s*\{(.*?)\}', block, re.S)
    assert lua
    regexp = re.compile(lua_pattern_to_regex(lua[1]))
    groups = re.findall(r'"(\w+)"', lua[2])
    assert groups == ["lnum", "col", "severity", "code", "message"]
    text = (MANIFESTS / "odd dir" / "legacy #1.yaml").read_text()
    _, out, _ = run_cli(["check", "-", "--quiet", "--no-color", "--only", ONLY,
                         "--stdin-filename", "/home/me/k8s/legacy, v1: #1.yaml"], stdin=text)
    parsed = [dict(zip(groups, regexp.match(line).groups(), strict=True)) for line in out.splitlines()]
    assert [(p["lnum"], p["col"], p["severity"], p["code"]) for p in parsed] == [
        ("1", "13", "error", "removed-api"), ("11", "1", "error", "misplaced-field"),
        ("18", "14", "warning", "image-tag")]
    assert all(p["severity"] in re.findall(r"(\w+) = vim\.diagnostic", block) for p in parsed)

"""Every report format against a golden file of one multi-file, multi-finding run, and against
the published schema of the format where there is one.

The run uses a fixed set of rules (`ONLY`), so rules added later do not change the goldens.
When a format changes on purpose, regenerate them and review the diff:
    KUBELINT_UPDATE_GOLDEN=1 python -m pytest tests/test_report_formats.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths
from kubelint.model import RunResult
from kubelint.options import Options
from kubelint.report import FORMATS, ReportContext, render_to_string
from kubelint.source import read_lines
from tests.conftest import FIXTURES

HERE = FIXTURES / "report"
GOLDEN = HERE / "golden"
SCHEMAS = FIXTURES / "schemas"
ONLY = ["image-tag", "removed-api", "deprecated-api", "missing-selector", "schema-invalid",
        "unknown-field", "misplaced-field"]
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "log",
          "gitlab": "gitlab.json"}
ROOT_URI = "file:///ROOT/"


def run_fixture(monkeypatch: pytest.MonkeyPatch, jobs: int = 1) -> RunResult:
    """The fixture tree linted from its own directory, so paths are relative and portable."""
    monkeypatch.chdir(HERE)
    return lint_paths(["manifests"], Options(only=list(ONLY), jobs=jobs))


def context(**kwargs: object) -> ReportContext:
    ctx = ReportContext("1.37", lines_for=lambda f: read_lines(f, 1 << 20), color=False,
                        seconds=0.0, root=str(HERE))
    for key, value in kwargs.items():
        setattr(ctx, key, value)
    return ctx


def portable(text: str) -> str:
    """The SARIF root URI names the checkout's directory: the golden says ROOT."""
    return text.replace(Path(HERE).as_uri() + "/", ROOT_URI)


@pytest.fixture
def result(monkeypatch: pytest.MonkeyPatch) -> RunResult:
    return run_fixture(monkeypatch)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(result: RunResult, fmt: str) -> None:
    out = portable(render_to_string(fmt, result, context()))
    golden = GOLDEN / f"report.{SUFFIX[fmt]}"
    if os.environ.get("KUBELINT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert golden.is_file(), f"no golden {golden}; run with KUBELINT_UPDATE_GOLDEN=1 to write it"
    assert out == golden.read_text(encoding="utf-8"), (
        f"--format {fmt} differs from {golden.relative_to(HERE.parent.parent.parent)}; if the change "
        "is meant, regenerate: KUBELINT_UPDATE_GOLDEN=1 python -m pytest tests/test_report_formats.py")


def test_the_run_has_findings_in_several_files_and_objects(result: RunResult) -> None:
    assert len({f.file for f in result.findings}) == 3
    assert len({(f.file, f.document) for f in result.findings}) >= 4
    assert {f.severity for f in result.findings} >= {"error", "warning"} or len(result.findings) >= 8


def test_json_matches_its_contract(result: RunResult) -> None:
    import jsonschema

    schema = json.loads((HERE.parent.parent.parent / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(json.loads(render_to_string("json", result, context())), schema)


def test_sarif_is_valid_sarif_2_1_0(result: RunResult) -> None:
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(render_to_string("sarif", result, context()))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(HERE).as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "manifests/odd%20dir/legacy%20%231.yaml" in uris  # space and # percent-encoded
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
               for r in run["results"])
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["helpUri"].endswith(f"docs/rules.md#{rule['id']}")
        assert rule["properties"]["tags"]


def test_sarif_paths_outside_the_root_are_absolute_file_uris(result: RunResult, tmp_path: Path) -> None:
    log = json.loads(render_to_string("sarif", result, context(root=str(tmp_path))))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    # the paths are relative to HERE, which is not under tmp_path: they stay relative to %SRCROOT%
    assert location["uriBaseId"] == "%SRCROOT%"
    absolute = lint_paths([str(HERE / "manifests" / "broken.yaml")], Options(only=list(ONLY)))
    log = json.loads(render_to_string("sarif", absolute, context(root=str(tmp_path))))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (HERE / "manifests" / "broken.yaml").as_uri()}


def test_junit_is_valid_against_the_jenkins_schema(result: RunResult) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    xml = render_to_string("junit", result, context())
    schema.validate(xml)
    # a testsuite per file with findings, a failure per finding
    assert xml.count("<testsuite ") == 3
    assert xml.count("<failure ") == len(result.findings)
    assert 'name="(file)"' in xml  # the YAML syntax error: the file's own testcase


def test_junit_carries_what_xml_cannot(tmp_path: Path) -> None:
    import xmlschema

    from kubelint.model import Finding, Severity

    odd = Finding("image-tag", Severity.WARNING, 'bell \x07 & <tag> "q"\nline', "a&b.yaml", 1, 1, 1, 2,
                  kind="Pod", name="x", document=0)
    xml = render_to_string("junit", RunResult(findings=[odd], files=1, documents=1), context())
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(xml)
    assert "\ufffd" in xml and "&#10;" in xml


def test_junit_of_a_clean_run_says_it_passed() -> None:
    import xmlschema

    xml = render_to_string("junit", RunResult(findings=[], files=2, documents=3), context())
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(xml)
    assert 'tests="1" failures="0"' in xml


def test_gitlab_code_quality_fields(result: RunResult) -> None:
    issues = json.loads(render_to_string("gitlab", result, context()))
    assert len(issues) == len(result.findings)
    for issue in issues:
        assert issue["description"] and issue["check_name"] and issue["fingerprint"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"].startswith("manifests/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def _prints(fmt: str, text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "deploy.yaml"
    path.write_text(text)
    run = lint_paths([str(path)], Options(only=list(ONLY)))
    out = json.loads(render_to_string(fmt, run, context(root=str(tmp_path))))
    if fmt == "gitlab":
        return [issue["fingerprint"] for issue in out]
    return [r["partialFingerprints"]["kubelint/v1"] for r in out["runs"][0]["results"]]


@pytest.mark.parametrize("fmt", ["gitlab", "sarif"])
def test_fingerprints_survive_runs_and_line_moves(fmt: str, tmp_path: Path) -> None:
    manifest = (HERE / "manifests" / "apps" / "web.yaml").read_text()
    first = _prints(fmt, manifest, tmp_path)
    assert len(first) >= 4 and len(set(first)) == len(first)
    assert _prints(fmt, manifest, tmp_path) == first
    moved = "# a comment\n\n# and another, moving every line down\n" + manifest
    assert _prints(fmt, moved, tmp_path) == first


def test_the_json_report_is_what_json_dumps_writes_with_an_indent_of_two() -> None:
    """report/json_report.py formats by hand for speed: byte for byte json.dumps(indent=2)."""
    from kubelint.report import json_report
    from kubelint.report.json_report import _indented

    odd = {"a": [1, 2.5, None, True, False, {"x": []}, {}], "é\u2028\"\\": "\ud800 tab\t", "n": -3,
           "t": (1, 2), "big": 10**30, "nested": {"deeper": [{"k": "v"}, [[], [1]]]}}
    assert "".join(_indented(odd, "\n")) == json.dumps(odd, indent=2, ensure_ascii=False)
    fixtures = Path(__file__).resolve().parent / "fixtures" / "foundation"
    result = lint_paths([str(fixtures)])
    assert len(result.findings) > 10
    report = json_report.to_text(result, "1.37", show_suppressed=True)
    assert report == json.dumps(json.loads(report), indent=2, ensure_ascii=False) + "\n"


def test_a_finding_written_by_its_own_format_is_what_the_general_writer_writes() -> None:
    """json_report._finding_text writes a finding with one format, for speed; every field
    kind (None, non-ASCII, quotes, a fix, a value of another type) must come out as
    finding_dict through _indented, which the test above holds to json.dumps."""
    from kubelint.model import Finding, Severity
    from kubelint.report.json_report import _finding_text, _indented, finding_dict

    fixtures = Path(__file__).resolve().parent / "fixtures" / "foundation"
    findings = lint_paths([str(fixtures)]).findings
    assert len(findings) > 10
    odd = Finding("r", Severity.ERROR, "é \"q\" \\ \u2028\ttab", "dir/ä.yaml", 1, 2, 3, 4, "a.b[0]", None,
                  None, "Kind", None, "ñame")
    weird = Finding("r", Severity.INFO, "m", "f", 10**20, -1, 0, 0, "", 7, "v1", None, "ns", None)

    class _Fix:
        def as_dict(self) -> dict[str, object]:
            return {"description": "ü", "edits": [{"line": 1, "text": None}], "safe": True}

    with_fix = Finding("r", Severity.WARNING, "m", "f", 1, 1, 1, 1, fix=_Fix())
    for finding in [*findings, odd, weird, with_fix]:
        for indent in ("\n", "\n    "):
            assert _finding_text(finding, indent) == "".join(_indented(finding_dict(finding), indent))


# --------------------------------------------------------------- one long list, streamed

def _items(count: int) -> list[dict[str, object]]:
    return [{"ruleId": f"r{i}", "message": {"text": "ünïcode \"quoted\" \\ back\tslash"}, "line": i,
             "flags": [True, False, None], "empty": {}, "none": [], "path": ["a", 1]} for i in range(count)]


@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("shape", ["top", "nested", "last"])
def test_a_streamed_list_is_what_json_dumps_writes(count: int, shape: str) -> None:
    from kubelint.report.json_report import ITEMS, stream_json

    def document(items: object) -> object:
        if shape == "top":
            return items
        if shape == "nested":
            return {"version": "2.1.0", "runs": [{"tool": {"name": "k"}, "results": items, "after": [1, "x"]}]}
        return {"a": None, "b": [{"c": {"results": items}}]}

    expected = json.dumps(document(_items(count)), indent=2, ensure_ascii=False) + "\n"
    assert "".join(stream_json(document(ITEMS), {ITEMS: iter(_items(count))})) == expected


def test_sarif_and_gitlab_reports_of_no_findings_are_what_json_dumps_writes() -> None:
    context = ReportContext(kubernetes_version="1.37", root=".")
    for fmt in ("sarif", "gitlab"):
        text = render_to_string(fmt, RunResult(findings=[]), context)
        report = json.loads(text)
        assert text == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        assert (report["runs"][0]["results"] if fmt == "sarif" else report) == []


class _Writes:
    """A stream that keeps only the size of each write."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return len(text)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "github", "text"])
def test_a_report_of_many_findings_is_written_a_piece_at_a_time(result: RunResult, fmt: str) -> None:
    """A rendered stream has a hundred thousand findings: no report holds them all as text."""
    from dataclasses import replace

    from kubelint.report import renderer

    many = replace(result, findings=[replace(f, line=f.line + 1000 * n) for n in range(200) for f in result.findings])
    assert len(many.findings) >= 1500
    stream = _Writes()
    renderer(fmt)(many, ReportContext(kubernetes_version="1.37", root="."), stream)
    assert sum(stream.sizes) > 100_000 and max(stream.sizes) < sum(stream.sizes) / 50

"""The fix path on wrong-typed input (issue 21, robustness): a rename is offered only when the
value fits the new field, a fix that cannot apply is withheld (never an error, never exit 2),
and `--fix` on manifests whose values were swapped between keys never crashes and never writes
a file that fails to parse.

The fuzz part is short and derandomized by default; `KUBELINT_FUZZ_LONG=1` runs it longer.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kubelint.engine.run import lint_paths
from kubelint.fix.run import fix_paths
from kubelint.fix.session import parses
from kubelint.options import Options
from tests.conftest import FIXTURES, run_cli

LONG = os.environ.get("KUBELINT_FUZZ_LONG") == "1"

CASES = {
    # the did-you-mean rename would put a string where an object or a list must be
    "ingress-serviceName": ("""\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    serviceName: web
""", "unknown-field"),
    "crd-version": ("""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.example.com
spec:
  group: example.com
  version: v1alpha1
  names: {kind: Backup, plural: backups}
  scope: Namespaced
""", "unknown-field"),
    "service-port": ("""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  port: 80
""", "unknown-field"),
    # an empty misplaced mapping: the move would break the file, so it is not offered
    "service-empty-annotations": ("""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  annotations:
  selector: {app: web}
  ports:
    - port: 80
""", "misplaced-field"),
    "empty-annotations-at-the-top": ("""\
apiVersion: v1
kind: Service
metadata:
  name: web
annotations:
spec:
  selector: {app: web}
  ports:
    - port: 80
""", "misplaced-field"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_fix_that_changes_a_values_type_or_cannot_apply(case: str, tmp_path: Path) -> None:
    text, rule = CASES[case]
    target = tmp_path / "manifest.yaml"
    target.write_text(text)
    _, out, _ = run_cli(["check", "--format", "json", str(target)])
    [finding] = [f for f in json.loads(out)["findings"] if f["rule"] == rule]
    assert "fix" not in finding
    code, out, err = run_cli(["check", "--no-color", "--fix", "--unsafe-fixes", str(target)])
    assert code == 1, out + err  # the finding stands; not an internal error (2)
    assert "internal-error" not in out and "fixed 0 findings" in err
    assert target.read_text() == text


def test_a_rename_that_fits_is_still_offered(tmp_path: Path) -> None:
    target = tmp_path / "svc.yaml"
    target.write_text(CASES["service-port"][0].replace("  port: 80", "  prots:\n    - port: 80"))
    _, out, _ = run_cli(["check", "--format", "json", str(target)])
    [finding] = [f for f in json.loads(out)["findings"] if f["rule"] == "unknown-field"]
    assert finding["fix"]["description"] == "rename `prots` to `ports`" and finding["fix"]["safe"] is False
    code, _, err = run_cli(["check", "--no-color", "--fix", "--unsafe-fixes", str(target)])
    assert "fixed 1 finding" in err and "  ports:\n    - port: 80\n" in target.read_text()


# ------------------------------------------------------------------------------ fuzz: swapped values

def _seeds() -> list[Any]:
    docs: list[Any] = []
    for path in sorted((FIXTURES / "fix").glob("*/before.yaml")):
        try:
            docs.extend(d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict))
        except yaml.YAMLError:
            continue
    docs.extend(yaml.safe_load_all(CASES["ingress-serviceName"][0] + "---\n" + CASES["crd-version"][0]))
    return docs


SEEDS = _seeds()
ODD = [80, 1.5, True, None, "web", "", [], {}, ["a"], {"a": 1}, "7", [{"name": "x"}]]


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in items:
        out.append(prefix + (key,))
        out.extend(_paths(value, prefix + (key,)))
    return out


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj[part]
    obj[path[-1]] = value


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


@st.composite
def swapped(draw: st.DrawFn) -> str:
    """A seed manifest with values swapped between keys, replaced by a value of another shape
    (a string where a list is, a number where a map is), or keys misspelt (so a did-you-mean
    rename meets a value of the wrong shape), dumped in block or flow style."""
    doc = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        a = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["swap", "retype", "rename"]))
        if op == "rename" and isinstance(a[-1], str):
            # a near-miss of the key, so that did-you-mean proposes the real one for this value
            parent = _get(doc, a[:-1])
            key = a[-1]
            new = draw(st.sampled_from([key + "s", key[:-1], key + "Name", key.lower()]))
            if new and new not in parent:
                parent[new] = parent.pop(key)
        elif op == "swap":
            b = draw(st.sampled_from(paths))
            if a[:len(b)] == b or b[:len(a)] == a:
                continue  # one inside the other
            first, second = copy.deepcopy(_get(doc, a)), copy.deepcopy(_get(doc, b))
            _set(doc, a, second)
            _set(doc, b, first)
        else:
            _set(doc, a, copy.deepcopy(draw(st.sampled_from(ODD))))
    text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=draw(st.sampled_from([False, None])))
    # `key:` with nothing after it is null as well, and is what people write
    return text.replace(": null\n", ":\n") if draw(st.booleans()) else text


@settings(max_examples=2000 if LONG else 40, derandomize=not LONG, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=swapped(), unsafe=st.booleans())
# found by this test before the fix path withheld fixes that cannot apply
@example(text="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {}\nannotations:\n"
              "  owner: team-shop\nlabels:\n  app: shop\n  tier: config\ndata:\n  LOG_LEVEL: info\n", unsafe=False)
@example(text=CASES["service-empty-annotations"][0], unsafe=True)
@example(text=CASES["service-port"][0], unsafe=True)
def test_fix_on_swapped_values_never_crashes_nor_writes_a_broken_file(text: str, unsafe: bool) -> None:
    options = Options(jobs=1)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "manifest.yaml"
        target.write_text(text, encoding="utf-8")
        report = fix_paths(lint_paths([str(target)], options).findings, [str(target)], options, unsafe=unsafe)
        after = target.read_text(encoding="utf-8")
        assert not report.internal_errors, [e.message for e in report.internal_errors]
        assert after == text or parses(after, str(target)), after
        assert all(parses(f.after, f.path) for f in report.files)


# ------------------------------------------------------------------ one document at a time

STREAM = "".join(
    f"# ingress {i}\n---\napiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web-{i}\n"
    f"spec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n"
    f"              serviceName: web-{i}\n              servicePort: 80\n" for i in range(3))


def test_each_documents_own_text_is_its_slice_of_the_file() -> None:
    from kubelint.fix.session import _document_bounds
    from kubelint.fix.text import SourceText
    from kubelint.source import load_text

    source = load_text(STREAM, "s.yaml")
    bounds = _document_bounds(source, SourceText(STREAM))
    assert sorted(bounds) == [0, 1, 2]
    assert bounds[2][1] == len(STREAM) and bounds[0][1] == bounds[1][0] and bounds[1][1] == bounds[2][0]
    for doc in source.documents:  # each slice parses alone to its document's object
        begin, end = bounds[doc.index]
        assert STREAM[begin:end].startswith("---\n")
        assert [d.obj for d in load_text(STREAM[begin:end], "s.yaml").documents] == [doc.obj]


def test_fixes_are_checked_on_their_document_as_on_the_whole_file() -> None:
    """A fix that keeps its document parseable is good; one that breaks it (or breaks the
    document after it, by spanning the two) is bad: as a check of the whole file says."""
    from kubelint.fix.model import Edit, Fix
    from kubelint.fix.session import verified

    line = STREAM.splitlines().index("  name: web-1") + 1
    good = Fix("removed-api", "rename", (Edit(line, 9, line, 14, "front"),))
    broken = Fix("removed-api", "break", (Edit(line, 9, line, 14, "[front"),))
    spanning = Fix("removed-api", "span", (Edit(line, 9, line, 14, "front"),
                                           Edit(line + 12, 1, line + 12, 1, "  bad: [\n")))
    good_ones, bad_ones = verified(STREAM, "s.yaml", [good, broken, spanning])
    assert good_ones == [good] and bad_ones == [broken, spanning]
    for fix in (good, broken, spanning):  # the same verdict as parsing the whole edited file
        from kubelint.fix.apply import apply_edits

        assert parses(apply_edits(STREAM, fix.edits), "s.yaml") == (fix in good_ones)


def test_a_streams_report_offers_each_fix_without_parsing_the_file_per_fix(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    """The JSON report's fixes of a stream (400 Ingresses took 39 s: two parses of the whole
    file per fix): each fix is checked on its own document."""
    from kubelint import source
    from kubelint.fix.run import fixes_for_report, reader

    target = tmp_path / "stream.yaml"
    target.write_text("".join(STREAM.replace("web-", f"web{n}-") for n in range(20)))  # 60 Ingresses
    options = Options(cache=False)
    findings = lint_paths([str(target)], options).findings
    sizes: list[int] = []
    real = source.parse  # what load_text parses with
    monkeypatch.setattr(source, "parse", lambda text, *a, **k: sizes.append(len(text)) or real(text, *a, **k))
    fixed = [f for f in fixes_for_report(findings, options, reader(options, None, "-")) if f.fix is not None]
    assert len(fixed) == 60 and {f.rule for f in fixed} == {"removed-api"}
    whole = target.stat().st_size
    assert sum(1 for size in sizes if size >= whole) <= 3  # the file read once or twice, not per fix

"""Same input, byte-identical output: across runs, worker counts and argument order."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES, run_cli


def _tree(tmp_path):
    """A tree of enough files and bytes that the default picks several workers, with CRDs
    (the same kinds defined in every copy: the first file's definition must win whatever
    the worker count) and custom resources in other files and beside their CRDs."""
    root = tmp_path / "tree"
    root.mkdir()
    sets = [FIXTURES / "foundation", FIXTURES / "schema" / "crds-and-crs"]
    for copy in range(12):
        for base in sets:
            for source in sorted(p for p in base.rglob("*") if p.is_file()):
                target = root / f"c{copy:02d}" / base.name / source.relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
        mixed = root / f"c{copy:02d}" / "mixed.yaml"
        mixed.write_text((sets[1] / "crds.yaml").read_text() + "\n---\n" + (sets[1] / "cr.yaml").read_text())
    return root


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit", "github", "gitlab"])
def test_jobs_do_not_change_the_output(tmp_path, fmt: str) -> None:
    root = _tree(tmp_path)
    outputs = set()
    for jobs in ("1", "2", "3"):
        code, out, err = run_cli(["check", "--no-color", "--format", fmt, "-j", jobs, str(root)])
        assert code == 1
        assert "\x1b" not in out + err  # no progress bar or colour in a report
        if fmt == "text":  # the summary line carries the elapsed time
            out = out.rsplit("\n", 2)[0]
        outputs.add(out)
    assert len(outputs) == 1


def test_several_outputs_of_one_run_match_their_single_runs(tmp_path) -> None:
    """`-f sarif -o F -f junit -o G -f gitlab`: each report as its own run writes it, across -j."""
    root = _tree(tmp_path)
    for jobs in ("1", "2"):
        written = {fmt: tmp_path / f"{fmt}-{jobs}.out" for fmt in ("sarif", "junit")}
        _, combined, _ = run_cli(["check", "-j", jobs, "-f", "sarif", "-o", str(written["sarif"]),
                                  "-f", "junit", "-o", str(written["junit"]), "-f", "gitlab", str(root)])
        _, alone, _ = run_cli(["check", "-j", jobs, "-f", "gitlab", str(root)])
        assert combined == alone
        for fmt, path in written.items():
            _, single, _ = run_cli(["check", "-j", jobs, "-f", fmt, str(root)])
            assert path.read_text(encoding="utf-8") == single


def test_argument_order_does_not_change_the_output(tmp_path) -> None:
    root = _tree(tmp_path)
    dirs = sorted(str(p) for p in root.iterdir())
    _, forward, _ = run_cli(["check", "--format", "json", *dirs])
    _, backward, _ = run_cli(["check", "--format", "json", *reversed(dirs)])
    _, twice, _ = run_cli(["check", "--format", "json", *dirs, *dirs])
    assert forward == backward == twice


def test_corpus_output_is_identical_across_worker_counts_and_the_cache(corpus, tmp_path, monkeypatch) -> None:
    """The one whole-corpus comparison: -j 1 without the result cache, -j 2 filling a cold one,
    -j 1 reading it warm (issue 23: a wrong hit would be a wrong report)."""
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path / "cache"))
    check = ["check", str(corpus), "--format", "json", "--fail-on", "never"]
    _, fresh, _ = run_cli([*check, "--no-cache", "-j", "1"])
    _, cold, _ = run_cli([*check, "-j", "2"])
    assert any((tmp_path / "cache" / "results").rglob("*")), "the cold run filled the cache"
    _, warm, _ = run_cli([*check, "-j", "1"])
    assert fresh == cold == warm

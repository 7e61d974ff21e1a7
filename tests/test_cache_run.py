"""The result cache in the run (issue 23): a wrong hit is a wrong report, so every input of the
key is changed here and the warm report must equal a --no-cache one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kubelint.cli import app
from tests.crds import backup_crd

CRD = backup_crd("              retentionDays: {type: %s}\n")
BACKUP = "apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: nightly}\nspec:\n  retentionDays: \"7\"\n"
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers:
      - name: web
        image: nginx:1.27
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    return folder


def _report(*args: str) -> str:
    result = CliRunner().invoke(app, ["check", "--format", "json", "--fail-on", "never", *args])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    report.pop("summary", None)  # it holds the run's seconds
    return json.dumps(report, sort_keys=True)


def _entries(folder: Path) -> int:
    """Result entries (the schema cache shares the folder), as `kubelint cache info` counts them."""
    from kubelint import resultcache

    return int(resultcache.info(folder / "results")["entries"])


def _same_warm_and_fresh(*args: str) -> dict[str, Any]:
    warm = _report(*args)
    fresh = _report("--no-cache", *args)
    assert warm == fresh
    return json.loads(warm)


def test_a_warm_run_reads_the_cache_and_reports_the_same(tmp_path: Path, cache_dir: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "crd.yaml").write_text(CRD % "integer")
    (project / "backup.yaml").write_text(BACKUP)
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    cold = _report(str(project))
    assert _entries(cache_dir) >= 3
    assert _report(str(project)) == cold == _report("--no-cache", str(project))
    rules = {f["rule"] for f in json.loads(cold)["findings"]}
    assert {"schema-invalid", "host-network"} <= rules


def test_workers_filling_a_cold_cache_report_what_one_process_does_without_it(
        tmp_path: Path, cache_dir: Path) -> None:
    """With -j 2 and a cold cache, a worker sends each outcome it stored as the cache entry's
    bytes (engine/passes.py _Stored) and the parent reads the outcome back from them: the
    report must be the one a single process makes with no cache at all, and the stored entries
    must serve the warm run that follows."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "crd.yaml").write_text(CRD % "integer")
    for number in range(6):
        (project / f"backup-{number}.yaml").write_text(BACKUP.replace("nightly", f"nightly-{number}"))
        (project / f"deploy-{number}.yaml").write_text(DEPLOYMENT.replace("web", f"web-{number}"))
    fresh = _report("--no-cache", "-j", "1", str(project))
    cold = _report("-j", "2", str(project))
    assert _entries(cache_dir) >= 13
    assert cold == fresh
    assert _report("-j", "2", str(project)) == fresh
    assert {"schema-invalid", "host-network"} <= {f["rule"] for f in json.loads(fresh)["findings"]}


def test_a_worker_sends_a_stored_outcome_as_the_cache_entry_s_bytes(tmp_path: Path, cache_dir: Path) -> None:
    """The first pass in a worker, called directly: the outcome it stored crosses as the very
    bytes object of the cache entry (pickled once in the message), and reads back equal."""
    from kubelint import resultcache
    from kubelint.engine.linter import Linter
    from kubelint.engine.passes import _first_pass_remote, _Stored

    path = tmp_path / "deploy.yaml"
    path.write_text(DEPLOYMENT)
    linter = Linter()
    linter.cache = resultcache.ResultCache(str(cache_dir / "results"), "run")
    _, alone = _first_pass_remote(Linter(), str(path))  # no cache: the outcome itself
    _, done = _first_pass_remote(linter, str(path))
    assert isinstance(done.outcome, _Stored)
    assert done.outcome.payload is linter.cache.drain()[done.stored][2]
    assert done.outcome.outcome() == alone.outcome


def test_a_warm_run_parses_no_file_and_a_changed_one_meets_the_stored_crds(
        tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run reads every outcome, CRD files' too: their CRDs come from the cache, so a
    custom resource edited since is checked against them without the CRD file being parsed."""
    from kubelint import source
    from kubelint.engine.run import lint_paths
    from kubelint.options import Options

    project = tmp_path / "p"
    project.mkdir()
    (project / "crd.yaml").write_text(CRD % "integer")
    (project / "backup.yaml").write_text(BACKUP)
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    for n in range(10):  # enough files for a pool at -j 2
        (project / f"cm{n}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{n}}}\n")
    parsed: list[str] = []
    real_parse = source.parse

    def counting(text: str, filename: str, **kwargs: Any) -> Any:
        parsed.append(Path(filename).name)
        return real_parse(text, filename, **kwargs)

    monkeypatch.setattr(source, "parse", counting)
    for jobs in (1, 2):
        fresh = lint_paths([str(project)], Options(jobs=jobs, cache=False)).findings
        parsed.clear()
        cold = lint_paths([str(project)], Options(jobs=jobs)).findings
        assert cold == fresh
        parsed.clear()
        assert lint_paths([str(project)], Options(jobs=jobs)).findings == fresh
        assert parsed == []  # in this process; at -j 2 the pool is not even needed for parsing
        (project / "backup.yaml").write_text(BACKUP.replace('"7"', f'"{7 + jobs}"'))  # new to the cache
        changed = lint_paths([str(project)], Options(jobs=1)).findings
        assert parsed == ["backup.yaml"]
        assert [(Path(f.file).name, f.rule, f.line) for f in changed if Path(f.file).name == "backup.yaml"] == [
            ("backup.yaml", "schema-invalid", 5)]
        assert changed == lint_paths([str(project)], Options(jobs=1, cache=False)).findings
        parsed.clear()
        (project / "backup.yaml").write_text(BACKUP)
        # One file edited among many: the cache answers for the others in this process, and
        # the one left is linted here too (no pool for a single file), whatever --jobs says.
        (project / "deploy.yaml").write_text(DEPLOYMENT.replace("nginx:1.27", f"nginx:1.2{jobs}"))
        edited = lint_paths([str(project)], Options(jobs=jobs)).findings
        assert parsed == ["deploy.yaml"]
        assert edited == lint_paths([str(project)], Options(jobs=jobs, cache=False)).findings
        parsed.clear()
        (project / "deploy.yaml").write_text(DEPLOYMENT)


def test_every_part_of_the_key_changes_the_report(tmp_path: Path, cache_dir: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "crd.yaml").write_text(CRD % "integer")
    (project / "backup.yaml").write_text(BACKUP)
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    path = str(project)

    def rules(report: dict[str, Any]) -> set[tuple[str, str]]:
        return {(Path(f["file"]).name, f["rule"]) for f in report["findings"]}

    first = _same_warm_and_fresh(path)
    assert ("backup.yaml", "schema-invalid") in rules(first)
    # the file's content
    (project / "deploy.yaml").write_text(DEPLOYMENT.replace("      hostNetwork: true\n", ""))
    assert ("deploy.yaml", "host-network") not in rules(_same_warm_and_fresh(path))
    # the CRD its custom resource is checked against
    (project / "crd.yaml").write_text(CRD % "string")
    assert ("backup.yaml", "schema-invalid") not in rules(_same_warm_and_fresh(path))
    (project / "crd.yaml").write_text(CRD % "integer")
    # the target Kubernetes version
    (project / "old.yaml").write_text("apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: PriorityLevelConfiguration\n"
                                      "metadata: {name: p}\nspec: {type: Exempt}\n")
    assert ("old.yaml", "removed-api") not in rules(_same_warm_and_fresh("-k", "1.29", path))
    assert ("old.yaml", "removed-api") in rules(_same_warm_and_fresh(path))
    # the config: a rule turned off, a rule's parameters
    (project / ".kubelint.yaml").write_text("rules:\n  host-network: off\n")
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    assert ("deploy.yaml", "host-network") not in rules(_same_warm_and_fresh(path))
    (project / ".kubelint.yaml").write_text("rules:\n  image-registry: {enabled: true, params: {allowed: [quay.io]}}\n")
    assert ("deploy.yaml", "image-registry") in rules(_same_warm_and_fresh(path))
    (project / ".kubelint.yaml").write_text("rules:\n  image-registry: {enabled: true, params: {allowed: [docker.io]}}\n")
    _same_warm_and_fresh(path)
    (project / ".kubelint.yaml").unlink()
    # strictness
    (project / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndta: {a: b}\n")
    assert ("cm.yaml", "unknown-field") not in rules(_same_warm_and_fresh("--no-strict", path))
    assert ("cm.yaml", "unknown-field") in rules(_same_warm_and_fresh(path))
    # a file becomes a patch when a kustomization names it
    (project / "kustomization.yaml").write_text("resources: [deploy.yaml]\npatches: [{path: cm.yaml}]\n")
    _same_warm_and_fresh("--no-render", path)
    (project / "kustomization.yaml").unlink()
    # a Namespace that enforces a Pod Security level (facts of other files change)
    (project / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
                                     "    pod-security.kubernetes.io/enforce: baseline\n")
    assert ("deploy.yaml", "pod-security-violation") in rules(_same_warm_and_fresh(path))


def test_a_rules_dir_rules_change_changes_the_report(tmp_path: Path, cache_dir: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    policies = tmp_path / "policies"
    policies.mkdir()
    rule = ("id: house-replicas\ncategory: house\nseverity: error\nsummary: s\ntarget: object\nkinds: [Deployment]\n"
            "schema:\n  properties:\n    spec:\n      properties:\n        replicas: {minimum: %d}\n"
            "message: \"too few replicas\"\ndocs: {what: replicas, why: availability, fix: more}\nexamples: {bad: [], good: []}\n")
    (policies / "house-replicas.yaml").write_text(rule % 1)
    report = _same_warm_and_fresh("--rules-dir", str(policies), str(project))
    assert "house-replicas" not in {f["rule"] for f in report["findings"]}
    (policies / "house-replicas.yaml").write_text(rule % 2)
    report = _same_warm_and_fresh("--rules-dir", str(policies), str(project))
    assert "house-replicas" in {f["rule"] for f in report["findings"]}


def test_the_cache_can_be_turned_off_and_cleared(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    _report("--no-cache", str(tmp_path))
    assert not cache_dir.exists() or _entries(cache_dir) == 0
    (tmp_path / ".kubelint.yaml").write_text("cache: false\n")
    _report(str(tmp_path))
    assert not cache_dir.exists() or _entries(cache_dir) == 0
    (tmp_path / ".kubelint.yaml").unlink()
    _report(str(tmp_path))
    assert _entries(cache_dir) >= 1
    info = CliRunner().invoke(app, ["cache", "info"])
    assert info.exit_code == 0 and str(cache_dir) in info.output and "entries" in info.output
    cleared = CliRunner().invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0 and cleared.output.startswith("removed ")
    assert _entries(cache_dir) == 0


# The whole corpus cold, warm and without the cache, at -j 1 and -j 2: tests/test_determinism.py.


def test_a_huge_outcome_is_not_stored_and_reports_the_same(tmp_path: Path, cache_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling a huge stream's outcome costs more memory than the run itself (see Linter._store)."""
    from kubelint import resultcache
    from kubelint.engine import linter

    project = tmp_path / "p"
    project.mkdir()
    (project / "deploy.yaml").write_text(DEPLOYMENT)
    (project / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    _report(str(project))
    assert _entries(cache_dir) == 2
    resultcache.clear(cache_dir / "results")
    monkeypatch.setattr(linter, "MAX_STORED_RECORDS", 2)  # the Deployment has more findings, the ConfigMap fewer
    assert _report(str(project)) == _report("--no-cache", str(project))
    assert _entries(cache_dir) == 1


def test_each_file_is_hashed_once_a_run(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key of a custom resource holds a digest of the files that define its CRDs: the
    digest its first pass made, not the file read and hashed again. A CRD changed since (a
    different digest) is the key-change test's; here the count of hashes, cold and warm."""
    from kubelint import resultcache

    project = tmp_path / "p"
    project.mkdir()
    (project / "crd.yaml").write_text(CRD % "integer")
    (project / "backup.yaml").write_text(BACKUP)
    hashed: list[int] = []
    real = resultcache.content_digest

    def counted(data: bytes) -> bytes:
        hashed.append(len(data))
        return real(data)

    monkeypatch.setattr(resultcache, "content_digest", counted)
    crd_size = len((CRD % "integer").encode())
    cold = _report(str(project))
    assert hashed.count(crd_size) == 1
    hashed.clear()
    assert _report(str(project)) == cold  # warm
    assert hashed.count(crd_size) == 1


def _linted_sources(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sources linted afresh (a cache hit lints none), as the run goes."""
    from kubelint.engine.linter import Linter

    seen: list[str] = []
    original = Linter.lint_source

    def recording(self: Linter, source: Any) -> Any:
        seen.append(source.path)
        return original(self, source)

    monkeypatch.setattr(Linter, "lint_source", recording)
    return seen


def _kustomize_root(tmp_path: Path, files: dict[str, str]) -> Path:
    """A Kustomize root of `files` (name → text); the test skips where no kustomize can build it."""
    from kubelint.project.kustomize import find_kustomize

    if find_kustomize() is None:
        pytest.skip("neither kustomize nor kubectl is on PATH")
    root = tmp_path / "app"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_a_built_kustomize_root_is_linted_again_only_when_its_output_changes(
        tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _kustomize_root(tmp_path, {"kustomization.yaml": "resources: [deploy.yaml]\ncommonLabels: {team: shop}\n",
                                      "deploy.yaml": DEPLOYMENT})
    seen = _linted_sources(monkeypatch)
    cold = _report(str(root))
    assert any(name.endswith("(built)") for name in seen)
    seen.clear()
    assert _report(str(root)) == cold  # nothing changed: the build's outcome comes from the cache
    assert not any(name.endswith("(built)") for name in seen)
    (root / "deploy.yaml").write_text(DEPLOYMENT.replace("nginx:1.27", "nginx:latest"))
    seen.clear()
    changed = _report(str(root))
    assert any(name.endswith("(built)") for name in seen)  # a new output: linted afresh
    assert changed == _report("--no-cache", str(root))
    assert "image-tag" in {f["rule"] for f in json.loads(changed)["findings"]}


def test_a_built_root_with_custom_resources_is_always_linted_afresh(
        tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its findings depend on the CRDs of the run, which the rendered source's key does not hold."""
    root = _kustomize_root(tmp_path, {"kustomization.yaml": "resources: [crd.yaml, backup.yaml]\n",
                                      "crd.yaml": CRD % "integer", "backup.yaml": BACKUP})
    seen = _linted_sources(monkeypatch)
    cold = _same_warm_and_fresh(str(root))
    assert "schema-invalid" in {f["rule"] for f in cold["findings"]}
    seen.clear()
    assert _report(str(root)) == json.dumps(cold, sort_keys=True)
    assert any(name.endswith("(built)") for name in seen)

"""Kustomize patches are partial objects: their fields are checked, never what they leave out."""

from __future__ import annotations

from pathlib import Path

from kubelint.engine.run import lint_paths
from kubelint.kube.kustomize import partial_files, patch_paths

FIXTURES = Path(__file__).parent / "fixtures" / "kustomize"
PROD = FIXTURES / "overlays" / "prod"


def test_patches_named_by_a_kustomization_are_found_from_the_file_alone() -> None:
    files = [str(PROD / "replicas.yaml"), str(PROD / "resources.yaml"), str(FIXTURES / "base" / "deployment.yaml")]
    assert partial_files(files) == frozenset(files[:2])


def test_inline_patches_name_no_file() -> None:
    found = patch_paths({"patches": [{"patch": "- op: add\n  path: /x"}, "a.yaml", {"path": "b.yaml"}],
                         "patchesJson6902": [{"path": "c.yaml", "target": {}}]}, "/k")
    assert found == {"/k/a.yaml", "/k/b.yaml", "/k/c.yaml"}


def test_a_patch_gets_no_missing_field_findings_but_its_own_fields_are_checked() -> None:
    """Without rendering (built, the overlay's objects are checked: tests/test_render.py)."""
    from kubelint.options import Options

    result = lint_paths([str(PROD)], Options(render="off"))
    got = [(Path(f.file).name, f.rule, f.line, f.column) for f in result.findings]
    assert got == [("kustomization.yaml", "render-skipped", 1, 1),
                   ("resources.yaml", "schema-invalid", 6, 13)]  # replicas: "five"


def test_the_same_file_outside_a_kustomization_is_a_whole_object(tmp_path: Path) -> None:
    copy = tmp_path / "replicas.yaml"
    copy.write_text((PROD / "replicas.yaml").read_text())
    rules = {f.rule for f in lint_paths([str(copy)]).findings}
    assert "missing-selector" in rules


def test_a_file_named_as_a_patch_is_partial_without_a_kustomization(tmp_path: Path) -> None:
    """prometheus-operator's alertmanager-crd-conversion/patch.json is applied with
    `kubectl patch --patch-file`: it sets a CRD's conversion, nothing else."""
    (tmp_path / "patch.json").write_text('{"apiVersion": "apiextensions.k8s.io/v1", '
                                         '"kind": "CustomResourceDefinition", "metadata": {"name": "x.example.com"}, '
                                         '"spec": {"conversion": {"strategy": "None"}}}')
    (tmp_path / "deploy.yaml").write_text((PROD / "replicas.yaml").read_text())
    found = {(Path(f.file).name, f.rule) for f in lint_paths([str(tmp_path)]).findings}
    assert not {rule for name, rule in found if name == "patch.json"}
    assert ("deploy.yaml", "missing-selector") in found

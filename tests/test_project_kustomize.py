"""Kustomize trees: kustomize's own files, patches, roots and selector labels without rendering;
builds through a wrapper kustomization; built fields mapped back to the lines people wrote."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from kubelint.kube.kustomize import has_patch_directive, is_patch_directive, partial_files
from kubelint.model import Document
from kubelint.parser import parse
from kubelint.project import kustomize_build
from kubelint.project.kustomize import build, find_kustomize, kustomize_files, locate
from kubelint.schema.unknown import is_patch_directive_hit
from kubelint.schema.validator import SchemaValidator

FIXTURES = Path(__file__).parent / "fixtures" / "projects" / "kustomize"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "projects-corpus" / "overlays"
TOOL = find_kustomize()
needs_tool = pytest.mark.skipif(TOOL is None, reason="neither kustomize nor kubectl is on PATH")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/projects-corpus is absent")


@pytest.fixture()
def tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fixture tree, with the working directory at the repository root (relative paths)
    and a cache of its own."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path / "cache"))
    return Path(os.path.relpath(FIXTURES))


def _files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------ no rendering

def test_kustomize_own_files_are_named_with_the_reason(tree: Path) -> None:
    info = kustomize_files(_files(tree))
    assert info.own == {
        str(tree / "base" / "kustomization.yaml"): "a kustomization",
        str(tree / "base" / "settings.properties"):
            f"configMapGenerator files of {tree / 'base' / 'kustomization.yaml'}",
        str(tree / "components" / "debug" / "kustomization.yaml"): "a kustomization",
        str(tree / "overlays" / "dev" / "kustomization.yaml"): "a kustomization",
        str(tree / "overlays" / "prod" / "kustomization.yaml"): "a kustomization",
        str(tree / "overlays" / "prod" / "annotations.yaml"):
            f"transformers of {tree / 'overlays' / 'prod' / 'kustomization.yaml'}",
    }


def test_patches_of_overlays_and_components(tree: Path) -> None:
    info = kustomize_files(_files(tree))
    assert info.patches == {str(tree / "overlays" / "prod" / "remove-sidecar.yaml"),
                            str(tree / "components" / "debug" / "debug-env.yaml")}


def test_roots_are_the_kustomizations_nothing_else_uses(tree: Path) -> None:
    assert kustomize_files(_files(tree)).roots == (str(tree / "overlays" / "dev"), str(tree / "overlays" / "prod"))
    # the base alone is a root of its own input
    assert kustomize_files([str(tree / "base" / "deployment.yaml")]).roots == (str(tree / "base"),)


def test_roots_are_absolute_when_the_paths_are() -> None:
    files = [str(p) for p in FIXTURES.resolve().rglob("*.yaml")]
    assert kustomize_files(files).roots == (str(FIXTURES.resolve() / "overlays" / "dev"),
                                            str(FIXTURES.resolve() / "overlays" / "prod"))


def test_selector_labels_of_commonlabels_and_labels_with_include_selectors(tree: Path) -> None:
    labels = kustomize_files(_files(tree)).selector_labels
    assert labels[str(tree / "base" / "deployment.yaml")] == {"app": "web", "tier": "frontend"}
    assert str(tree / "overlays" / "prod" / "remove-sidecar.yaml") not in labels


def test_a_base_linted_alone_still_knows_its_own_common_labels(tree: Path) -> None:
    labels = kustomize_files([str(tree / "base" / "deployment.yaml")]).selector_labels
    assert labels == {str(tree / "base" / "deployment.yaml"): {"app": "web"}}


def test_generator_envs_configurations_openapi_replacements_and_values_files(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n  - name: a\n    envs: [a.env]\n    files: [key=b.txt]\n"
        "secretGenerator:\n  - name: s\n    env: s.env\n"
        "configurations: [conf.yaml]\nopenapi:\n  path: schema.json\n"
        "replacements:\n  - path: repl.yaml\n"
        "helmCharts:\n  - name: x\n    valuesFile: values.yaml\n"
        "generators: [gen.yaml]\nvalidators: [check.yaml]\n"
        "resources:\n  - https://github.com/example/repo//base?ref=v1\n")
    names = ["a.env", "b.txt", "s.env", "conf.yaml", "schema.json", "repl.yaml", "values.yaml", "gen.yaml",
             "check.yaml", "deploy.yaml"]
    for name in names:
        (tmp_path / name).write_text("a: 1\n")
    info = kustomize_files([str(tmp_path / n) for n in names])
    assert sorted(os.path.basename(p) for p in info.own) == sorted(set(names) - {"deploy.yaml"})
    assert list(info.remote.values()) == [("https://github.com/example/repo//base?ref=v1",)]


def test_partial_files_still_serves_its_callers(tree: Path) -> None:
    files = _files(tree)
    assert partial_files(files) == frozenset({str(tree / "overlays" / "prod" / "remove-sidecar.yaml"),
                                              str(tree / "components" / "debug" / "debug-env.yaml")})


# ------------------------------------------------------------------------------ directives

@pytest.mark.parametrize(("key", "expected"), [
    ("$patch", True), ("$retainKeys", True), ("$setElementOrder/containers", True),
    ("$deleteFromPrimitiveList/args", True), ("$setElementOrder/", False), ("$patches", False),
    ("patch", False), ("$ref", False), (3, False),
])
def test_patch_directive_keys(key: object, expected: bool) -> None:
    assert is_patch_directive(key) is expected


def test_a_document_holding_a_directive_anywhere_is_a_patch() -> None:
    assert has_patch_directive({"spec": {"template": {"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}}})
    assert has_patch_directive({"kind": "ConfigMap", "$patch": "delete"})
    assert not has_patch_directive({"spec": {"containers": [{"name": "a", "image": "$patch"}]}})
    assert not has_patch_directive("$patch")


def _validate(text: str) -> list[tuple[str, str]]:
    validator = SchemaValidator((1, 31), strict=True)
    return [(rule, hit.values["detail"]) for doc in parse(text, "x.yaml").documents
            for rule, hit in validator.validate(doc) if hit.values.get("category") != "required"]


def test_strategic_merge_directives_are_not_unknown_fields_but_misspellings_still_are() -> None:
    found = _validate("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      $setElementOrder/containers: [{name: web}]
      containers:
        - name: sidecar
          $patch: delete
        - name: web
          $retainKeys: [image]
          $deleteFromPrimitiveList/args: ["-v"]
          imagePullPolicyy: Always
""")
    assert found == [("unknown-field", "spec.template.spec.containers[1].imagePullPolicyy: unknown field; "
                                        "did you mean imagePullPolicy?")]


def test_a_whole_object_deleted_by_patch_validates() -> None:
    assert _validate("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n$patch: delete\n") == []


def test_a_directive_that_is_not_one_is_still_unknown() -> None:
    found = _validate("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n$patchh: delete\n")
    assert [rule for rule, _ in found] == ["unknown-field"]


def test_unknown_field_hits_on_directives_are_known_for_crd_schemas() -> None:
    from kubelint.model import Hit

    assert is_patch_directive_hit("unknown-field", Hit(("spec", "items", 0, "$patch"), {}))
    assert not is_patch_directive_hit("unknown-field", Hit(("spec", "patch"), {}))
    assert not is_patch_directive_hit("schema-invalid", Hit(("spec", "$patch"), {}))


def test_a_builtin_transformer_config_is_not_a_kubernetes_error(tree: Path) -> None:
    found = _validate((tree / "overlays" / "prod" / "annotations.yaml").read_text())
    assert found == [("unknown-kind", "apiVersion builtin: a kustomize AnnotationsTransformer config, read by "
                                      "kustomize and never sent to the API server: validation skipped")]


# ------------------------------------------------------------------------------ building

def _digest(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@needs_tool
def test_a_build_strips_the_build_annotations_and_keeps_the_users(tree: Path) -> None:
    before = _digest(tree)
    result = build(str(tree / "overlays" / "prod"), cache=False)
    assert result.error is None
    assert [(o.kind, o.name) for o in result.objects] == [
        ("ConfigMap", "prod-web-config-c4k67mcmbf"), ("Service", "prod-web"), ("Deployment", "prod-web")]
    assert "config.kubernetes.io/origin" not in result.text
    assert "alpha.config.kubernetes.io/transformations" not in result.text
    docs = result.documents()
    assert [d.obj for d in docs] == [o.obj for o in result.objects]
    assert docs[2].obj["metadata"]["annotations"] == {"team": "payments"}
    assert _digest(tree) == before  # nothing of the user's was written
    assert not list(tree.rglob("*kubelint*"))


@needs_tool
def test_origins_name_the_file_or_the_generator(tree: Path) -> None:
    result = build(str(tree / "overlays" / "prod"), cache=False)
    config, service, deployment = result.objects
    assert config.origin.file is None
    assert (config.origin.kustomization, config.origin.generator) == (
        str(tree / "base" / "kustomization.yaml"), "ConfigMapGenerator")
    assert service.origin.file == str(tree / "base" / "service.yaml")
    assert deployment.origin.file == str(tree / "base" / "deployment.yaml")
    kinds = {t.kind for t in deployment.origin.transformations}
    assert {"ImageTagTransformer", "ReplicaCountTransformer", "PrefixTransformer", "PatchTransformer"} <= kinds
    assert deployment.origin.root == str(tree / "overlays" / "prod")


@needs_tool
def test_a_build_error_names_the_kustomization_and_kustomizes_words(tree: Path) -> None:
    result = build(str(tree / "overlays" / "dev"), cache=False)
    assert result.objects == [] and result.text == ""
    assert result.error is not None
    assert result.error.kustomization == str(tree / "overlays" / "dev" / "kustomization.yaml")
    assert "missing.yaml" in result.error.message and "no such file or directory" in result.error.message
    assert "kubelint-kustomize" not in result.error.message  # the wrapper is not the user's
    assert "Traceback" not in result.error.message


def test_no_tool_is_an_error_not_a_crash(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kustomize_build, "find_kustomize", lambda: None)
    result = build(str(tree / "overlays" / "prod"), cache=False)
    assert result.error is not None and result.error.message == "neither kustomize nor kubectl is on PATH"


def test_a_remote_resource_is_never_fetched(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - github.com/example/repo//base?ref=v1\n")
    result = build(str(tmp_path), tool=("false",), cache=False)
    assert result.error is not None
    assert result.error.message == ("not built: the tree names the remote resource "
                                    "github.com/example/repo//base?ref=v1, and kubelint never goes online")


@needs_tool
def test_an_unchanged_tree_is_not_built_again(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    first = build(str(copy / "overlays" / "prod"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(kustomize_build.subprocess, "run", refuse)
    again = build(str(copy / "overlays" / "prod"))
    assert again.text == first.text and again.objects == first.objects
    (copy / "overlays" / "prod" / "remove-sidecar.yaml").write_text(
        (copy / "overlays" / "prod" / "remove-sidecar.yaml").read_text().replace("256Mi", "512Mi"))
    with pytest.raises(AssertionError, match="built again"):
        build(str(copy / "overlays" / "prod"))


# ------------------------------------------------------------------------------ source map

@pytest.fixture()
def prod(tree: Path) -> kustomize_build.BuildResult:
    if TOOL is None:
        pytest.skip("neither kustomize nor kubectl is on PATH")
    result = build(str(tree / "overlays" / "prod"), cache=False)
    assert result.error is None
    return result


CONTAINER = ("spec", "template", "spec", "containers", 0)


@pytest.mark.parametrize(("index", "path", "where", "how"), [
    # newTag: latest in the overlay → that images: entry's newTag
    (2, (*CONTAINER, "image"), ("overlays/prod/kustomization.yaml", 13, 13), "images"),
    (2, ("spec", "replicas"), ("overlays/prod/kustomization.yaml", 10, 12), "replicas"),
    (2, ("metadata", "name"), ("overlays/prod/kustomization.yaml", 3, 13), "namePrefix"),
    (2, ("metadata", "labels", "tier"), ("overlays/prod/kustomization.yaml", 16, 13), "labels"),
    (2, ("spec", "selector", "matchLabels", "app"), ("base/kustomization.yaml", 7, 8), "commonLabels"),
    # the container is the second of the base (the patch deleted the first): found by name
    (2, (*CONTAINER, "ports", 0, "containerPort"), ("base/deployment.yaml", 15, 30), "origin"),
    (2, (*CONTAINER, "resources", "limits", "memory"), ("overlays/prod/remove-sidecar.yaml", 14, 23), "patch"),
    (2, (*CONTAINER, "env", 0, "value"), ("components/debug/debug-env.yaml", 12, 22), "patch"),
    (2, ("metadata", "annotations", "team"), ("overlays/prod/annotations.yaml", 6, 9), "transformer"),
    # a field the build lacks: where it would be added in the origin
    (2, (*CONTAINER, "securityContext"), ("base/deployment.yaml", 12, 11), "origin"),
    # the inline JSON 6902 patch of the Service: its line inside the kustomization
    (1, ("spec", "ports", 0, "port"), ("overlays/prod/kustomization.yaml", 26, 10), "patch"),
    (0, ("data", "settings.properties"), ("base/kustomization.yaml", 9, 11), "generator"),
])
def test_a_built_field_maps_to_the_line_that_wrote_it(prod: kustomize_build.BuildResult, tree: Path, index: int,
                                                     path: tuple[object, ...], where: tuple[str, int, int],
                                                     how: str) -> None:
    found = locate(prod.objects[index], path)
    assert found is not None
    assert (found.position, found.how) == ((str(tree / where[0]), where[1], where[2]), how)
    assert found.root == str(tree / "overlays" / "prod")


def test_the_image_entry_says_so_after_building(prod: kustomize_build.BuildResult, tree: Path) -> None:
    found = locate(prod.objects[2], (*CONTAINER, "image"))
    assert found is not None and found.exact
    assert found.note() == (f"set by images: entry nginx of {tree / 'overlays/prod/kustomization.yaml'}, "
                            f"after building {tree / 'overlays/prod'}")


def test_a_value_written_nowhere_falls_back_to_the_origin_object(prod: kustomize_build.BuildResult,
                                                                 tree: Path) -> None:
    found = locate(prod.objects[2], ("spec", "template", "spec", "containers", 0, "name"), "other")
    assert found is not None
    assert (found.position, found.how, found.exact) == ((str(tree / "base/deployment.yaml"), 12, 17), "object",
                                                        False)


def test_a_value_the_base_writes_maps_to_the_base(tree: Path, prod: kustomize_build.BuildResult) -> None:
    found = locate(prod.objects[1], ("spec", "ports", 0, "targetPort"))
    assert found is not None and (found.position, found.how) == ((str(tree / "base/service.yaml"), 8, 19), "origin")


# ------------------------------------------------------------------------------ real trees

CORPUS_ROOTS = ["argo-cd/cluster-install", "kubeflow-notebook-controller/overlays/kubeflow",
                "kubeflow-notebook-controller/overlays/standalone", "kustomize-ldap/overlays/production",
                "kustomize-ldap/overlays/staging", "kustomize-multibases"]


@needs_corpus
def test_the_corpus_roots_are_found() -> None:
    files = [str(p) for p in CORPUS.rglob("*") if p.is_file()]
    roots = {os.path.relpath(r, CORPUS) for r in kustomize_files(files).roots}
    # argo-cd's copy keeps two bases that upstream uses from files outside it
    assert roots == {"argo-cd/base/application-controller-deployment", "argo-cd/base/commit-server",
                     "argo-cd/cluster-install", "kubeflow-notebook-controller/overlays/kubeflow",
                     "kubeflow-notebook-controller/overlays/standalone", "kustomize-ldap/overlays/production",
                     "kustomize-ldap/overlays/staging", "kustomize-multibases"}


@needs_corpus
@needs_tool
@pytest.mark.parametrize("root", CORPUS_ROOTS)
def test_every_corpus_tree_builds_and_every_object_has_an_origin(root: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    result = build(str(CORPUS / root))
    assert result.error is None
    assert result.objects
    assert all(o.origin.file or o.origin.kustomization for o in result.objects)
    assert all(os.path.isfile(o.origin.file) for o in result.objects if o.origin.file)
    assert "config.kubernetes.io/origin" not in result.text
    # every field of every object maps to some line of the tree
    for obj in result.objects:
        for path in _leaf_paths(obj.obj):
            found = locate(obj, path)
            assert found is not None and os.path.isfile(found.file), (obj.kind, obj.name, path)


@needs_corpus
@needs_tool
def test_an_overlay_image_tag_maps_to_its_images_entry_in_a_real_tree(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    root = CORPUS / "kubeflow-notebook-controller" / "overlays" / "kubeflow"
    result = build(str(root))
    deployment = next(o for o in result.objects if o.kind == "Deployment")
    found = locate(deployment, ("spec", "template", "spec", "containers", 0, "image"))
    k = CORPUS / "kubeflow-notebook-controller" / "base" / "kustomization.yaml"
    line = next(n for n, text in enumerate(k.read_text().splitlines(), 1) if "newTag:" in text)
    assert found is not None and found.how == "images" and (found.file, found.line) == (str(k), line)


def _leaf_paths(obj: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in _leaf_paths(v, (*path, k))] or [path]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _leaf_paths(v, (*path, i))] or [path]
    return [path]


def test_documents_of_a_result_parse_with_positions() -> None:
    result = kustomize_build.BuildResult("r", "r/kustomization.yaml", text="apiVersion: v1\nkind: ConfigMap\n")
    docs = result.documents()
    assert isinstance(docs[0], Document) and docs[0].file == "r/kustomization.yaml (built)"


SHARED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_real_corpus_kustomize_files() -> None:
    files = [str(p) for p in SHARED_CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    info = kustomize_files(files)
    assert info.patches == partial_files(files)  # one reading, the same answer
    prometheus = SHARED_CORPUS / "ingress-nginx" / "deploy" / "prometheus"
    assert info.own[str(prometheus / "prometheus.yaml")] == \
        f"configMapGenerator files of {os.path.relpath(prometheus / 'kustomization.yaml')}"
    assert {os.path.relpath(r, SHARED_CORPUS) for r in info.roots} == {
        "ingress-nginx/deploy/grafana", "ingress-nginx/deploy/prometheus",
        "microservices-demo/kubernetes-manifests", "microservices-demo/kustomize/base"}


def test_a_kustomization_of_wrong_types_is_read_without_a_crash(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        'resources: "x"\nbases: [1, null, "a\\0b"]\ncomponents: {a: 1}\npatches: [{path: 3}, {patch: 4}, "p\\0"]\n'
        'configMapGenerator: "s"\nsecretGenerator: [{files: "x", envs: [1]}, {env: "a\\0"}]\nlabels: {a: 1}\n'
        'commonLabels: [1]\nreplacements: [{path: "\\0"}]\nopenapi: {path: 1}\nhelmCharts: [{valuesFile: 3}]\n'
        'transformers: [{a: 1}, "t\\0"]\n')
    info = kustomize_files([str(tmp_path / "kustomization.yaml")])
    assert info.own == {str(tmp_path / "kustomization.yaml"): "a kustomization"}
    assert info.roots == (str(tmp_path),) and info.patches == frozenset() and info.selector_labels == {}


@needs_tool
def test_two_kustomization_files_are_kustomizes_error_in_its_words(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")
    (tmp_path / "Kustomization").write_text("resources: []\n")
    result = build(str(tmp_path), cache=False)
    assert result.error is not None
    assert result.error.message == f"couldn't make target for path '{tmp_path}': Found multiple kustomization " \
                                   f"files under: {tmp_path}"


def test_a_file_holding_a_directive_is_a_patch_without_a_kustomization_naming_it(tmp_path: Path) -> None:
    """The directive decides on its own, in any file: it was only looked for in files whose
    text was kept (those naming kubelint), so a patch alone was linted as a whole Deployment."""
    from kubelint.engine.run import lint_paths, lint_text
    from kubelint.kube.kustomize import PATCH_DIRECTIVES
    from kubelint.source import _PATCH_MARKERS

    assert _PATCH_MARKERS == PATCH_DIRECTIVES
    patch = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
             "      containers:\n      - name: sidecar\n        $patch: delete\n")
    whole = patch.replace("$patch: delete", "image: nginx:1.27")
    assert lint_text(patch, "patch.yaml") == []
    assert "missing-selector" in {f.rule for f in lint_text(whole, "whole.yaml")}
    (tmp_path / "patch.yaml").write_text(patch)
    assert lint_paths([str(tmp_path / "patch.yaml")]).findings == []


@needs_tool
def test_roots_built_side_by_side_give_what_one_at_a_time_gives(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run builds its Kustomize roots a few at once: each rendering must be its own root's,
    in the order asked, a failing build's error included (every build real: no render cache)."""
    from kubelint.engine.linter import Linter
    from kubelint.engine.rendered import build_root
    from kubelint.engine.run import _side_by_side
    from kubelint.options import Options

    monkeypatch.setenv("KUBELINT_NO_CACHE", "1")
    # dev names a file that is not there: kustomize refuses it
    roots = [str(tree / "overlays" / "prod"), str(tree / "overlays" / "dev"), str(tree / "base")]
    linter = Linter(Options(cache=False))
    asked = [(root, linter.options, linter.rules, TOOL) for root in roots]

    def seen(rendering: object) -> tuple[object, ...]:
        return (sorted(rendering.consumed),  # type: ignore[attr-defined]
                [(s.path, [d.obj for d in s.documents]) for s in rendering.sources],  # type: ignore[attr-defined]
                [(f.rule, f.file, f.message) for f in rendering.findings])  # type: ignore[attr-defined]

    meanwhile: list[str] = []  # the charts, rendered in this thread while the builds run
    together = [seen(r) for r in _side_by_side(asked, meanwhile=lambda: meanwhile.append("charts"))]
    assert meanwhile == ["charts"]
    assert _side_by_side([], meanwhile=lambda: meanwhile.append("alone")) == [] and meanwhile[-1] == "alone"
    alone = [seen(build_root(*args)) for args in asked]
    assert together == alone
    assert together[0][1][0][0].startswith(roots[0]) and together[2][1][0][0].startswith(roots[2])
    assert together[0][1][0][1] != together[2][1][0][1]  # two roots, two builds
    assert together[1][2] and together[1][2][0][0] == "render-failed"
    assert not together[0][2] and not together[2][2]


@needs_tool
def test_a_finding_at_a_key_of_the_build_lands_on_the_key_in_the_base(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding about a key (an unknown field) points at the key in the built text, so it
    points at the key in the base too, not at its value."""
    from kubelint.engine.run import lint_paths
    from kubelint.options import Options

    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path / "cache"))
    base, overlay = tmp_path / "base", tmp_path / "overlay"
    base.mkdir()
    overlay.mkdir()
    (base / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")
    (base / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.1\n"
        "          imagePullPolcy: Always\n")
    (overlay / "kustomization.yaml").write_text("resources: [../base]\nnamePrefix: prod-\n")
    found = [f for f in lint_paths([str(tmp_path)], Options(cache=False)).findings if f.rule == "unknown-field"]
    assert [(f.file, f.line, f.column) for f in found] == [(str(base / "deployment.yaml"), 13, 11)]


def test_builds_side_by_side_hand_on_an_error_and_stop_when_the_charts_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception in a build reaches the caller (an internal error, not a silent gap), and
    when the charts rendered meanwhile fail, the builds not yet begun are not begun."""
    import threading

    import kubelint.engine.rendered as rendered
    from kubelint.engine import run

    begun: list[str] = []
    release = threading.Event()

    def build(root: str, *_: object) -> str:
        begun.append(root)
        if root == "broken":
            raise RuntimeError("kustomize vanished")
        release.wait(5)
        return f"built {root}"

    monkeypatch.setattr(rendered, "build_root", build)
    monkeypatch.setattr(run, "_BUILDS_AT_ONCE", 2)
    release.set()
    assert run._side_by_side([("a",), ("b",), ("c",)]) == ["built a", "built b", "built c"]
    with pytest.raises(RuntimeError, match="kustomize vanished"):
        run._side_by_side([("a",), ("broken",), ("c",)])

    begun.clear()
    release.clear()

    def charts() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run._side_by_side([("x",), ("y",), ("z",), ("w",)], meanwhile=charts)
    release.set()
    assert "z" not in begun and "w" not in begun  # two at once: the others were never begun

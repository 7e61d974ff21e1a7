"""kubelint.kube.objects: which documents are meant as objects, and what their apiVersion/kind lack."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.kube.objects import incomplete, is_tool_file

META = {"name": "web"}


def _found(obj: Any, path: str = "m.yaml", **kw: Any) -> list[tuple[str, tuple[str, ...], dict[str, str]]]:
    return [(i.variant, i.path, i.values) for i in incomplete(obj, path, **kw)]


def test_a_complete_object_has_nothing_missing() -> None:
    assert _found({"apiVersion": "v1", "kind": "Pod", "metadata": META}) == []


@pytest.mark.parametrize("obj", [
    None, "text", [1, 2], {},
    {"replicaCount": 1, "image": {"repository": "nginx"}},  # values
    {"kind": "DaemonSet", "replicaCount": 1, "image": {}},  # a values file with a top-level kind
    {"apiVersion": "v2", "name": "web", "version": "1.0.0"},  # Chart.yaml
    {"kind": "Kustomization", "metadata": META, "resources": []},
    {"kind": "Component", "metadata": META},
    {"kind": "Config", "clusters": [], "users": [], "metadata": META},  # kubeconfig
    {"apiversion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "metadata": META},
    {"metadata": {"owner": "team"}, "spec": {"x": 1}},  # metadata of something else
    {"metadata": META},  # metadata alone: not-a-manifest's business
    {"kind": "some words", "metadata": META, "x": 1},
    {"apiVersion": "not a version", "metadata": META},
    {"name": "ci", "on": ["push"], "jobs": {}},
])
def test_what_is_not_meant_as_an_object(obj: Any) -> None:
    assert _found(obj) == []


def test_missing_api_version_suggests_it_for_builtin_kinds() -> None:
    assert _found({"kind": "Deployment", "metadata": META}) == [
        ("missing-api-version", (), {"kind": "Deployment", "suggestion": "apps/v1"})]
    assert _found({"kind": "Widget", "spec": {}}) == [("default", (), {"field": "apiVersion"})]


def test_missing_kind_and_both() -> None:
    assert _found({"apiVersion": "apps/v1", "metadata": META}) == [("default", (), {"field": "kind"})]
    assert _found({"metadata": META, "spec": {}}) == [("missing-both", (), {})]


@pytest.mark.parametrize("key,field", [
    ("Kind", "kind"), ("KIND", "kind"), ("kindd", "kind"),
    ("apiversion", "apiVersion"), ("APIVersion", "apiVersion"), ("api_version", "apiVersion"),
    ("api-version", "apiVersion"), ("apiVerison", "apiVersion"),
])
def test_misspelt_keys_point_at_the_key(key: str, field: str) -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": META}
    obj[key] = obj.pop(field)
    assert _found(obj) == [("misspelt", (key,), {"field": field, "key": key})]


def test_version_is_not_taken_for_a_misspelt_api_version() -> None:
    assert _found({"version": "1.0", "kind": "Pod", "metadata": META})[0][0] == "missing-api-version"


@pytest.mark.parametrize("value", [None, "", "  "])
def test_empty_values(value: Any) -> None:
    assert _found({"apiVersion": "v1", "kind": value, "metadata": META}) == [
        ("empty", ("kind",), {"field": "kind", "key": "kind"})]
    assert _found({"apiVersion": value, "kind": "Service", "metadata": META}) == [
        ("empty-api-version", ("apiVersion",),
         {"field": "apiVersion", "key": "apiVersion", "kind": "Service", "suggestion": "v1"})]


def test_a_value_that_is_not_a_string() -> None:
    assert _found({"apiVersion": 1, "kind": "Pod", "metadata": META}) == [
        ("not-a-string", ("apiVersion",), {"field": "apiVersion", "key": "apiVersion", "type": "a number"})]


def test_both_problems_at_once() -> None:
    assert [v for v, _, _ in _found({"apiversion": "v1", "kind": None, "metadata": META})] == [
        "misspelt", "empty"]


@pytest.mark.parametrize("path,expected", [
    ("kustomization.yaml", True), ("a/Kustomization", True), ("chart/Chart.yaml", True),
    ("values.yaml", True), ("values-prod.yaml", True), ("prod-values.yml", True),
    ("docker-compose.yml", True), ("compose.yaml", True), ("skaffold.yaml", True),
    ("deploy.yaml", False), ("value.yaml", False), ("my-values-check.yaml", False),
])
def test_tool_files(path: str, expected: bool) -> None:
    assert is_tool_file(path) is expected


def test_tool_files_are_never_objects() -> None:
    assert _found({"kind": "Pod", "metadata": META, "spec": {}}, "values.yaml") == []

"""The API server's name grammars, and which one each kind's name follows."""

from __future__ import annotations

import pytest

from kubelint.kube import names


@pytest.mark.parametrize("value", ["a", "web", "web-1", "1web", "a" * 63])
def test_valid_dns1123_labels(value: str) -> None:
    assert names.dns1123_label_problem(value) is None


@pytest.mark.parametrize("value", ["", "Web", "web_1", "-web", "web-", "a.b", "a" * 64])
def test_invalid_dns1123_labels(value: str) -> None:
    assert names.dns1123_label_problem(value)


def test_dns1035_needs_a_leading_letter() -> None:
    assert names.dns1035_label_problem("web-1") is None
    assert names.dns1035_label_problem("1-web")


def test_subdomain_limits() -> None:
    name = ".".join(["a" * 63] * 3 + ["b" * 61])
    assert len(name) == 253 and names.dns1123_subdomain_problem(name) is None
    assert "253" in names.dns1123_subdomain_problem(name + "b")
    assert names.dns1123_subdomain_problem("a..b")
    assert names.dns1123_subdomain_problem("a.-b")
    assert names.dns1123_subdomain_problem("my.app.v2") is None


@pytest.mark.parametrize("key", ["app", "app.kubernetes.io/name", "Example_Key.1", "a/b", "x" * 63,
                                 "example.com/" + "x" * 63])
def test_valid_qualified_names(key: str) -> None:
    assert names.qualified_name_problem(key) is None


@pytest.mark.parametrize("key", ["", "/a", "a/", "a/b/c", "Example.com/a", "a b", "-a", "a-",
                                 "x" * 64, "a" * 254 + "/b"])
def test_invalid_qualified_names(key: str) -> None:
    assert names.qualified_name_problem(key)


@pytest.mark.parametrize("value", ["", "v1", "1.2.3", "Prod_EU", "a" * 63])
def test_valid_label_values(value: str) -> None:
    assert names.label_value_problem(value) is None


@pytest.mark.parametrize("value", ["a b", "a/b", "front.", "_x", "a" * 64, "a:b"])
def test_invalid_label_values(value: str) -> None:
    assert names.label_value_problem(value)


@pytest.mark.parametrize("value", ["http", "grpc-web", "metrics2", "a" * 15, "h2c"])
def test_valid_iana_service_names(value: str) -> None:
    assert names.iana_svc_name_problem(value) is None


@pytest.mark.parametrize("value,why", [("8080", "letter"), ("HTTP", "lowercase"), ("a" * 16, "15"),
                                       ("-http", "hyphen"), ("http-", "hyphen"), ("a--b", "consecutive"),
                                       ("http_x", "lowercase")])
def test_invalid_iana_service_names(value: str, why: str) -> None:
    assert why in (names.iana_svc_name_problem(value) or "")


@pytest.mark.parametrize("kind,api_version,rule", [
    ("Deployment", "apps/v1", "subdomain"),
    ("ConfigMap", "v1", "subdomain"),
    ("Secret", "v1", "subdomain"),
    ("Service", "v1", "dns1035"),
    ("Namespace", "v1", "label"),
    ("ClusterRole", "rbac.authorization.k8s.io/v1", "path-segment"),
    ("RoleBinding", "rbac.authorization.k8s.io/v1", "path-segment"),
    ("Widget", "example.com/v1", "subdomain"),
    ("Service", "serving.knative.dev/v1", "subdomain"),
    ("CustomResourceDefinition", "apiextensions.k8s.io/v1", None),
])
def test_name_rule_per_kind(kind: str, api_version: str, rule: str | None) -> None:
    assert names.name_rule(kind, api_version) == rule


def test_name_problem() -> None:
    assert names.name_problem("ClusterRole", "rbac.authorization.k8s.io/v1", "system:Foo") is None
    assert names.name_problem("ClusterRole", "rbac.authorization.k8s.io/v1", "a/b")
    assert names.name_problem("Service", "v1", "1web")
    assert names.name_problem("CronJob", "batch/v1", "a" * 52) is None
    assert names.name_problem("CronJob", "batch/v1", "a" * 53)

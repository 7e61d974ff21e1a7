"""The one set of apiVersion/kind shapes that the object detector and the schema stores share."""

from __future__ import annotations

import pytest

from kubelint.kube.groups import (
    GROUP_PATTERN,
    KIND_PATTERN,
    VERSION_PATTERN,
    is_tool_config,
    looks_like_api_version,
    looks_like_kind,
)


@pytest.mark.parametrize("text,expected", [
    ("v1", True), ("apps/v1", True), ("networking.k8s.io/v1beta1", True), ("example.com/v2alpha3", True),
    ("my-group.io/v1", True), ("v", False), ("vfoo", False), ("apps/vbeta", False), ("/v1", False),
    ("a/b/v1", False), ("Apps/v1", False), ("apps/V1", False), ("apps/v1 ", False), ("apps/v1\n", False),
    ("-apps/v1", False), ("apps./v1", False), ("", False), ("1", False),
])
def test_what_looks_like_an_api_version(text: str, expected: bool) -> None:
    assert looks_like_api_version(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("Deployment", True), ("CronJob", True), ("V1Thing", True), ("deployment", False), ("Cron Job", False),
    ("Pod\n", False), ("", False), ("1Pod", False), ("Ünicode", False),
])
def test_what_looks_like_a_kind(text: str, expected: bool) -> None:
    assert looks_like_kind(text) is expected


def test_the_schema_stores_accept_only_what_can_name_a_file_safely() -> None:
    assert KIND_PATTERN.fullmatch("deployment") and not KIND_PATTERN.fullmatch("../x")
    assert VERSION_PATTERN.fullmatch("v1beta1") and VERSION_PATTERN.fullmatch("vfoo")  # CRD versions
    assert not VERSION_PATTERN.fullmatch("v1/..") and not VERSION_PATTERN.fullmatch("v1\n")
    assert GROUP_PATTERN.fullmatch("monitoring.coreos.com") and not GROUP_PATTERN.fullmatch("")
    assert not GROUP_PATTERN.fullmatch("../etc")


@pytest.mark.parametrize("api_version,kind,expected", [
    ("apiserver.k8s.io/v1beta1", "EgressSelectorConfiguration", True),  # --egress-selector-config-file
    ("apiserver.k8s.io/v1alpha1", "AdmissionConfiguration", True),
    ("apiserver.config.k8s.io/v1", "AdmissionConfiguration", True),
    ("eventratelimit.admission.k8s.io/v1alpha1", "Configuration", True),
    ("kubescheduler.config.k8s.io/v1", "KubeSchedulerConfiguration", True),
    ("kind.x-k8s.io/v1alpha4", "Cluster", True),
    # API groups whose names merely contain those words are served objects
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", False),
    ("internal.apiserver.k8s.io/v1alpha1", "StorageVersion", False),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", False),
    ("v1", "ConfigMap", False),
])
def test_which_files_are_tool_configs(api_version: str, kind: str, expected: bool) -> None:
    assert is_tool_config(api_version, kind) is expected

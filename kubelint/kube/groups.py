"""Which API groups belong to Kubernetes itself, and which apiVersion/kinds are tool configs.

Tool configuration files (kustomization.yaml, kubeconfig, kubeadm and kubelet configs) carry
an apiVersion and kind but are never sent to the API server: linting them as objects would
only produce noise, so they are skipped like any other non-manifest YAML file.
"""

from __future__ import annotations

import re

from kubelint.lazypattern import LazyPattern

# The shapes of an apiVersion's group and version and of a kind: one set for every stage. The
# schema stores build file names from parts that match them (so no `/` or `..` reaches a path).
GROUP_PATTERN = LazyPattern(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")  # DNS subdomain characters
VERSION_PATTERN = re.compile(r"v[0-9a-z]+")
KIND_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9]*")

BUILTIN_GROUPS = frozenset({
    "", "apps", "batch", "autoscaling", "policy", "extensions",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io",
    "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
    "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io",
    "lifecycle.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
    "storage.k8s.io", "storagemigration.k8s.io",
})  # fmt: skip

# Groups whose objects are configuration files read by tools, not API objects.
# `<plugin>.admission.k8s.io`: the per-plugin files an AdmissionConfiguration points at
# (EventRateLimit, PodTolerationRestriction, ResourceQuota).
_CONFIG_GROUP_SUFFIXES = (".config.k8s.io", "kubeadm.k8s.io", "kind.x-k8s.io", ".admission.k8s.io")
_CONFIG_GROUPS = frozenset({"skaffold", "kustomize.config.k8s.io",
                            "audit.k8s.io",  # audit policy files for --audit-policy-file
                            # kube-apiserver's files before apiserver.config.k8s.io: the
                            # EgressSelectorConfiguration of --egress-selector-config-file,
                            # the v1alpha1 AdmissionConfiguration; no API object lives here
                            "apiserver.k8s.io"})
# kubeconfig files, and the legacy kube-scheduler --policy-config-file
_CONFIG_KINDS = frozenset({("v1", "Config"), ("v1", "Policy")})


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def is_builtin_group(api_version: str) -> bool:
    return group_of(api_version) in BUILTIN_GROUPS


def is_tool_config(api_version: str, kind: str) -> bool:
    if (api_version, kind) in _CONFIG_KINDS:
        return True
    group = group_of(api_version)
    return group in _CONFIG_GROUPS or group.endswith(_CONFIG_GROUP_SUFFIXES)


def looks_like_kind(text: str) -> bool:
    """A kind as people write them: UpperCamelCase (`Deployment`, not `deployment`)."""
    return KIND_PATTERN.fullmatch(text) is not None and text[0].isupper()


def looks_like_api_version(text: str) -> bool:
    """`v1` or `group/version`, the version a `v` and a number first (`v1`, `v2beta1`)."""
    group, slash, version = text.rpartition("/")
    return (not slash or GROUP_PATTERN.fullmatch(group) is not None) \
        and VERSION_PATTERN.fullmatch(version) is not None and version[1:2].isdigit()

"""The name grammars of the Kubernetes API server, and which one each kind's name must follow.

Each `*_problem` function returns None for a valid value, else a short phrase saying what is
wrong, worded so that a message can append it: "must be no more than 63 characters".
The grammars are those of apimachinery's util/validation; the per-kind table follows the name
functions that each kind's validation passes to ValidateObjectMeta.
"""

from __future__ import annotations

import re

from kubelint.kube.groups import BUILTIN_GROUPS, group_of
from kubelint.lazypattern import LazyPattern

LABEL_MAX = 63
SUBDOMAIN_MAX = 253
IANA_SVC_NAME_MAX = 15
ANNOTATIONS_MAX_BYTES = 256 * 1024
CRONJOB_NAME_MAX = 52  # the controller appends "-" and an 8+ digit timestamp to make Job names

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1035 = LazyPattern(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_IANA = LazyPattern(r"[-a-z0-9]+")
_ENV_STRICT = LazyPattern(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
# RelaxedEnvironmentVariableValidation: beta, on by default, in 1.32; before it the strict form.
RELAXED_ENV_SINCE = (1, 32)

LABEL_RULE = "lowercase letters, digits and '-', starting and ending with a letter or digit"
DNS1035_RULE = "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
SUBDOMAIN_RULE = ("lowercase letters, digits, '-' and '.', each dot-separated part starting and "
                  "ending with a letter or digit")
QUALIFIED_RULE = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit"


def _too_long(value: str, limit: int) -> str | None:
    return f"must be no more than {limit} characters" if len(value) > limit else None


def dns1123_label_problem(value: str) -> str | None:
    """RFC 1123 label: most names inside objects (containers, volumes, ports) and Namespaces."""
    if not value:
        return "must not be empty"
    return _too_long(value, LABEL_MAX) or (
        None if _LABEL.fullmatch(value) else f"must consist of {LABEL_RULE}")


def dns1035_label_problem(value: str) -> str | None:
    """RFC 1035 label: a label that starts with a letter (Service names, so they work as DNS)."""
    if not value:
        return "must not be empty"
    return _too_long(value, LABEL_MAX) or (
        None if _DNS1035.fullmatch(value) else f"must consist of {DNS1035_RULE}")


def dns1123_subdomain_problem(value: str) -> str | None:
    """RFC 1123 subdomain: the name of most kinds, and the prefix of label and annotation keys."""
    if not value:
        return "must not be empty"
    return _too_long(value, SUBDOMAIN_MAX) or (
        None if _SUBDOMAIN.fullmatch(value) else f"must consist of {SUBDOMAIN_RULE}")


def path_segment_problem(value: str) -> str | None:
    """RBAC names only need to be usable as one segment of a URL path."""
    if not value:
        return "must not be empty"
    if value in (".", ".."):
        return f"may not be '{value}'"
    for bad in ("/", "%"):
        if bad in value:
            return f"may not contain '{bad}'"
    return None


def qualified_name_problem(key: str) -> str | None:
    """A label or annotation key: an optional DNS subdomain prefix and '/', then a name ≤ 63."""
    if not key:
        return "must not be empty"
    prefix, slash, name = key.rpartition("/")
    if slash:
        if not prefix:
            return "has an empty prefix before '/'"
        if "/" in prefix:
            return "may contain at most one '/'"
        problem = dns1123_subdomain_problem(prefix)
        if problem:
            return f"prefix `{prefix}` {problem}"
    if not name:
        return "has an empty name after '/'" if slash else "must not be empty"
    if len(name) > LABEL_MAX:
        return f"name part must be no more than {LABEL_MAX} characters"
    if not _QUALIFIED.fullmatch(name):
        return f"name part must consist of {QUALIFIED_RULE}"
    return None


def label_value_problem(value: str) -> str | None:
    """A label value: empty, or up to 63 of the name characters with alphanumeric ends."""
    if len(value) > LABEL_MAX:
        return f"must be no more than {LABEL_MAX} characters"
    if not _LABEL_VALUE.fullmatch(value):
        return f"must be empty or consist of {QUALIFIED_RULE}"
    return None


def iana_svc_name_problem(value: str) -> str | None:
    """An IANA service name (RFC 6335), which named container ports and target ports must be."""
    if not value:
        return "must not be empty"
    if len(value) > IANA_SVC_NAME_MAX:
        return f"must be no more than {IANA_SVC_NAME_MAX} characters"
    if not _IANA.fullmatch(value):
        return "must contain only lowercase letters, digits and '-'"
    if not any(c.isalpha() for c in value):
        return "must contain at least one letter"
    if "--" in value:
        return "must not contain consecutive hyphens"
    if value.startswith("-") or value.endswith("-"):
        return "must not begin or end with a hyphen"
    return None


def env_var_name_problem(value: str, relaxed: bool = True) -> str | None:
    """An environment variable name (also an envFrom prefix) as the server of that age checks it.

    Relaxed (1.32 on): any printable ASCII but '='. Strict (before): letters, digits, '_', '-'
    and '.', not starting with a digit, and not `.`, `..` or anything starting with `..`.
    """
    if not value:
        return "must not be empty"
    if relaxed:
        if any(not (" " <= c <= "~") or c == "=" for c in value):
            return "must consist only of printable ASCII characters other than '='"
        return None
    if not _ENV_STRICT.fullmatch(value):
        return ("must consist of letters, digits, '_', '-' and '.', and must not start with a digit "
                "(before Kubernetes 1.32)")
    if value in (".", "..") or value.startswith(".."):
        return "must not be '.' or '..' nor start with '..'"
    return None


# The name function each kind's validation uses, where it is not a DNS-1123 subdomain (the
# rule of most built-in kinds and of every custom resource). None: a form of its own that is
# not checked here (a CRD is `<plural>.<group>`, an APIService `<version>.<group>`).
_RBAC_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
_SPECIAL: dict[str, str | None] = {
    "Service": "dns1035",
    "Namespace": "label",
    "CustomResourceDefinition": None,
    "APIService": None,
    "Event": None,
    "ComponentStatus": None,
    "CertificateSigningRequest": None,  # the server does not care what a request is called
    "IPAddress": None,  # the address itself, in canonical form (IPv6 colons included)
    "ClusterTrustBundle": None,  # `<signer>:<suffix>` for signer-linked bundles
}

NAME_RULES = {
    "subdomain": (dns1123_subdomain_problem, "a DNS-1123 subdomain"),
    "label": (dns1123_label_problem, "a DNS-1123 label"),
    "dns1035": (dns1035_label_problem, "a DNS-1035 label"),
    "path-segment": (path_segment_problem, "a path segment"),
}


def name_rule(kind: str | None, api_version: str | None = None) -> str | None:
    """Which grammar `metadata.name` of `kind` follows: a key of NAME_RULES, or None (unchecked)."""
    if not kind:
        return None
    group = group_of(api_version or "")
    if kind in _RBAC_KINDS and group == "rbac.authorization.k8s.io":
        return "path-segment"
    if kind in _SPECIAL and group in BUILTIN_GROUPS:
        return _SPECIAL[kind]
    return "subdomain"


def name_problem(kind: str | None, api_version: str | None, name: str) -> tuple[str, str] | None:
    """(what the name must be, what is wrong) for an invalid `metadata.name`, else None."""
    rule = name_rule(kind, api_version)
    if rule is None:
        return None
    check, described = NAME_RULES[rule]
    problem = check(name)
    if problem:
        return described, problem
    if kind == "CronJob" and len(name) > CRONJOB_NAME_MAX:
        return "a DNS-1123 subdomain", f"must be no more than {CRONJOB_NAME_MAX} characters for a CronJob"
    return None

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


# --------------------------------------------------------------------------------------------
# Upstream cases, copied as data from kubernetes/kubernetes
# staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go (and its twin
# staging/src/k8s.io/apimachinery/pkg/api/validate/content/{dns,kube,identifier}_test.go).

_UP_LABEL_GOOD = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a",
                  "1--a--b--2", "a" * 63]
_UP_LABEL_BAD = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1",
                 "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2",
                 " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a" * 64]
_UP_SUBDOMAIN_GOOD = _UP_LABEL_GOOD[:-1] + [
    "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1",
    "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1",
    "1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55",
    "a" * 253]
_UP_SUBDOMAIN_BAD = [
    "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b",
    "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1",
    "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A",
    "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b",
    "a;b", "a:b", "a%b", "a?b", "a$b", "a" * 254]
_UP_DNS1035_GOOD = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a" * 63]
_UP_DNS1035_BAD = ["0", "01", "012", "1a", "1-a", "1--a--b--2"] + _UP_LABEL_BAD
_UP_PORT_NAME_GOOD = ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"]
_UP_PORT_NAME_BAD = ["longerthan15characters", "", "a" * 16, "12345", "1-2-3-4", "-begin", "end-",
                     "two--hyphens", "whois++"]
_UP_QUALIFIED_GOOD = [
    "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
    "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
    "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
    "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a" * 63, "a" * 253 + "/" + "b" * 63]
_UP_QUALIFIED_BAD = [
    "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
    "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a" * 64, "a" * 254 + "/abc",
    # TestIsDomainPrefixedKey: the name part is a qualified name too
    "example/foo/bar", "/example/foo", "", "example.com/_e", "example.com/e_", "example.com/e?",
    "example.com/e_$"]
_UP_LABEL_VALUE_GOOD = ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234",
                        "a" * 63, ""]
_UP_LABEL_VALUE_BAD = ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                       "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.",
                       "a" * 64]
# TestIsRelaxedEnvVarName (what the server checks since RelaxedEnvironmentVariableValidation)
_UP_RELAXED_ENV_GOOD = ["-", ":", "_", "+a", ">a", "<a", "a.", "a..", "*a", "%a", "?a", "a:a", "a_a",
                        "aAz", "~a", "|a", "a0a", "a9", "/a", "a ", "#a", "0a", "0 a", "'a", "(a", "@a"]
_UP_RELAXED_ENV_BAD = ["", "=", "a=", "1=a", "a=b", "#%=&&", chr(1) + "abc", chr(130) + "abc",
                       "Ç ç", "Ä ä", "Ñ ñ", "Ø ø"]
# IsEnvVarName (before it): the C-identifier-like form of content/identifier_test.go's good
# values, plus '-' and '.', and hasChDirPrefix
_UP_STRICT_ENV_GOOD = ["a", "ab", "abc", "a1", "_a", "a_", "a_b", "a_1", "a__1__2__b", "__abc_123",
                       "A", "AB", "AbC", "A1", "_A", "A_", "A_B", "A_1", "A__1__2__B", "__123_ABC",
                       "my.env-name", "MY_ENV.NAME", "MyEnvName1", "-a", "a-", ".a", "a.b"]
_UP_STRICT_ENV_BAD = ["", "1", "123", "1a", "1-", "1_", "1.", "a b", " a", "#a#", ".", "..", "..a",
                      "a=b"]


@pytest.mark.parametrize("value", _UP_LABEL_GOOD)
def test_upstream_dns1123_label_good(value: str) -> None:
    assert names.dns1123_label_problem(value) is None


@pytest.mark.parametrize("value", _UP_LABEL_BAD)
def test_upstream_dns1123_label_bad(value: str) -> None:
    assert names.dns1123_label_problem(value)


@pytest.mark.parametrize("value", _UP_SUBDOMAIN_GOOD)
def test_upstream_dns1123_subdomain_good(value: str) -> None:
    assert names.dns1123_subdomain_problem(value) is None


@pytest.mark.parametrize("value", _UP_SUBDOMAIN_BAD)
def test_upstream_dns1123_subdomain_bad(value: str) -> None:
    assert names.dns1123_subdomain_problem(value)


@pytest.mark.parametrize("value", _UP_DNS1035_GOOD)
def test_upstream_dns1035_good(value: str) -> None:
    assert names.dns1035_label_problem(value) is None


@pytest.mark.parametrize("value", _UP_DNS1035_BAD)
def test_upstream_dns1035_bad(value: str) -> None:
    assert names.dns1035_label_problem(value)


@pytest.mark.parametrize("value", _UP_PORT_NAME_GOOD)
def test_upstream_port_name_good(value: str) -> None:
    assert names.iana_svc_name_problem(value) is None


@pytest.mark.parametrize("value", _UP_PORT_NAME_BAD)
def test_upstream_port_name_bad(value: str) -> None:
    assert names.iana_svc_name_problem(value)


@pytest.mark.parametrize("key", _UP_QUALIFIED_GOOD)
def test_upstream_qualified_name_good(key: str) -> None:
    assert names.qualified_name_problem(key) is None


@pytest.mark.parametrize("key", _UP_QUALIFIED_BAD)
def test_upstream_qualified_name_bad(key: str) -> None:
    assert names.qualified_name_problem(key)


@pytest.mark.parametrize("value", _UP_LABEL_VALUE_GOOD)
def test_upstream_label_value_good(value: str) -> None:
    assert names.label_value_problem(value) is None


@pytest.mark.parametrize("value", _UP_LABEL_VALUE_BAD)
def test_upstream_label_value_bad(value: str) -> None:
    assert names.label_value_problem(value)


@pytest.mark.parametrize("value", _UP_RELAXED_ENV_GOOD)
def test_upstream_relaxed_env_name_good(value: str) -> None:
    assert names.env_var_name_problem(value, relaxed=True) is None


@pytest.mark.parametrize("value", _UP_RELAXED_ENV_BAD)
def test_upstream_relaxed_env_name_bad(value: str) -> None:
    assert names.env_var_name_problem(value, relaxed=True)


@pytest.mark.parametrize("value", _UP_STRICT_ENV_GOOD)
def test_upstream_strict_env_name_good(value: str) -> None:
    assert names.env_var_name_problem(value, relaxed=False) is None


@pytest.mark.parametrize("value", _UP_STRICT_ENV_BAD)
def test_upstream_strict_env_name_bad(value: str) -> None:
    assert names.env_var_name_problem(value, relaxed=False)


@pytest.mark.parametrize("kind,api_version", [
    ("CertificateSigningRequest", "certificates.k8s.io/v1"),  # "we don't care what you call" them
    ("IPAddress", "networking.k8s.io/v1"),  # named by the address itself, IPv6 colons included
    ("ClusterTrustBundle", "certificates.k8s.io/v1beta1"),  # signer-linked names hold ':'
])
def test_kinds_with_names_of_their_own(kind: str, api_version: str) -> None:
    assert names.name_problem(kind, api_version, "2001:db8::1") is None

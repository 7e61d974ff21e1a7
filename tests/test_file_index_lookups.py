"""Issue 23: the per-object checks that look up another document of the file use its index.

A pod's ServiceAccount (automount-service-account-token), a binding's Role or ClusterRole
(cluster-admin-binding) and a CRD that defines a custom resource's kind (deprecated-api) were
found by scanning every document for every object: quadratic on one rendered stream. No timing
here (that is benchmarks/): the tests count the documents visited, and check that the answers
are the ones the scans gave.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kubelint.checks.apis import _crd_decides
from kubelint.checks.base import CheckContext
from kubelint.checks.run import file_index
from kubelint.checks.security import _account_disables_automount, _bound_role
from kubelint.engine.run import lint_text
from kubelint.model import Document, Finding
from kubelint.options import Options
from kubelint.source import load_text

RULES = ["automount-service-account-token", "cluster-admin-binding", "deprecated-api"]
VERSION = (1, 30)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    file_index.release()
    yield
    file_index.release()


def _lint(text: str, rule: str) -> list[Finding]:
    return [f for f in lint_text(text, "stream.yaml", Options(only=[rule])) if f.rule == rule]


# ------------------------------------------------------------------ the answers are unchanged

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: web
  containers: [{name: web, image: nginx:1.27}]
"""


def _account(namespace: str, automount: str = "false", name: str = "web") -> str:
    return (f"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}, namespace: {namespace}}}\n"
            f"automountServiceAccountToken: {automount}\n")


def test_a_service_account_of_the_file_that_disables_automount_silences_the_pod() -> None:
    assert _lint(POD + "---\n" + _account("shop"), "automount-service-account-token") == []
    assert _lint(_account("shop") + "---\n" + POD, "automount-service-account-token") == []  # before the pod


@pytest.mark.parametrize("other", [
    _account("elsewhere"),           # another namespace
    _account("shop", "true"),        # it mounts the token
    _account("shop", name="other"),  # another account
    "",                              # no ServiceAccount in the file
])
def test_only_the_pods_own_account_in_its_namespace_silences_it(other: str) -> None:
    findings = _lint(POD + ("---\n" + other if other else ""), "automount-service-account-token")
    assert [(f.line, f.column, f.path) for f in findings] == [(4, 1, "spec.automountServiceAccountToken")]
    assert findings[0].message.startswith("the pod gets service account `web`'s API token mounted")


def test_a_pod_without_a_namespace_takes_an_account_without_one() -> None:
    pod = POD.replace(", namespace: shop", "")
    account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\n"
    assert _lint(pod + "---\n" + account, "automount-service-account-token") == []
    assert len(_lint(pod + "---\n" + _account("shop"), "automount-service-account-token")) == 1


def _role(kind: str, namespace: str | None, everything: bool, name: str = "all") -> str:
    where = f", namespace: {namespace}" if namespace else ""
    verbs = '["*"]' if everything else "[get]"
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: {name}{where}}}\n"
            f'rules: [{{apiGroups: ["*"], resources: ["*"], verbs: {verbs}}}]\n')


def _binding(kind: str, role_kind: str, namespace: str | None = "shop") -> str:
    where = f", namespace: {namespace}" if namespace else ""
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: ops{where}}}\n"
            f"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: all}}\n"
            "subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]\n")


def test_a_role_binding_finds_its_role_in_its_own_namespace_only() -> None:
    binding = _binding("RoleBinding", "Role")
    findings = _lint(_role("Role", "shop", True) + "---\n" + binding, "cluster-admin-binding")
    assert [(f.line, f.column, f.path) for f in findings] == [(9, 66, "roleRef.name")]
    assert findings[0].message.startswith(
        "this RoleBinding gives User jane Role `all`, which grants every verb on every resource of every API "
        "group: cluster-admin in namespace shop in all but name")
    assert _lint(_role("Role", "other", True) + "---\n" + binding, "cluster-admin-binding") == []
    assert _lint(_role("Role", None, True) + "---\n" + binding, "cluster-admin-binding") == []


def test_the_first_role_of_that_name_in_the_file_decides() -> None:
    binding = _binding("RoleBinding", "Role")
    first_narrow = _role("Role", "shop", False) + "---\n" + _role("Role", "shop", True) + "---\n" + binding
    first_wide = _role("Role", "shop", True) + "---\n" + _role("Role", "shop", False) + "---\n" + binding
    assert _lint(first_narrow, "cluster-admin-binding") == []
    assert len(_lint(first_wide, "cluster-admin-binding")) == 1


def test_a_cluster_role_is_found_whatever_namespace_it_is_written_with() -> None:
    for namespace in (None, "anything"):
        text = _role("ClusterRole", namespace, True) + "---\n" + _binding("ClusterRoleBinding", "ClusterRole", None)
        findings = _lint(text, "cluster-admin-binding")
        assert [f.message.split(",")[0] for f in findings] == [
            "this ClusterRoleBinding gives User jane ClusterRole `all`"], namespace
    # a Role of the same name is not a ClusterRole
    text = _role("Role", None, True) + "---\n" + _binding("ClusterRoleBinding", "ClusterRole", None)
    assert _lint(text, "cluster-admin-binding") == []


ISSUER = "apiVersion: cert-manager.io/v1alpha2\nkind: Issuer\nmetadata: {name: letsencrypt, namespace: shop}\n"


def _crd(group: str, kind: str) -> str:
    return (f"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            f"metadata: {{name: {kind.lower()}s.{group}}}\n"
            f"spec: {{group: {group}, scope: Namespaced, names: {{kind: {kind}, plural: {kind.lower()}s}},"
            " versions: [{name: v1alpha2, served: true, storage: true}]}\n")


def test_a_crd_of_the_file_decides_whether_a_custom_version_is_served() -> None:
    findings = _lint(ISSUER, "deprecated-api")
    assert [(f.line, f.column, f.path) for f in findings] == [(1, 13, "apiVersion")]
    assert findings[0].message.startswith(
        "cert-manager.io/v1alpha2 Issuer is no longer served by cert-manager 1.6 and later: use cert-manager.io/v1")
    assert _lint(ISSUER + "---\n" + _crd("cert-manager.io", "Issuer"), "deprecated-api") == []
    assert _lint(_crd("cert-manager.io", "Issuer") + "---\n" + ISSUER, "deprecated-api") == []
    # another kind of the group, or the kind in another group, decides nothing
    assert len(_lint(ISSUER + "---\n" + _crd("cert-manager.io", "Certificate"), "deprecated-api")) == 1
    assert len(_lint(ISSUER + "---\n" + _crd("acme.cert-manager.io", "Issuer"), "deprecated-api")) == 1


def test_lookups_with_values_that_name_no_document_find_nothing() -> None:
    text = _account("shop") + "---\n" + _role("Role", "shop", True) + "---\n" + _crd("cert-manager.io", "Issuer")
    documents = load_text(text, "stream.yaml").documents
    ctx = CheckContext(document=documents[0], kubernetes_version=VERSION, documents=documents)
    assert _account_disables_automount(ctx, "web") is True
    for odd in (["web"], {"name": "web"}, 7, None):
        assert _account_disables_automount(ctx, odd) is False
        assert _bound_role(ctx, {"kind": "Role", "name": odd}) is None
    assert _bound_role(ctx, {"kind": ["Role"], "name": "all"}) is None
    assert _bound_role(ctx, {"kind": "Role", "name": "all"}) is documents[1].obj
    assert _crd_decides(ctx, "cert-manager.io/v1alpha2", "Issuer") is True
    assert _crd_decides(ctx, "cert-manager.io/v1", "Certificate") is False


# ------------------------------------------------------------------ the work is linear

class _Counting(list[Document]):
    """The documents of a file, counting every document handed out (by iteration or index)."""

    visited = 0

    def __iter__(self) -> Iterator[Document]:
        for doc in super().__iter__():
            self.visited += 1
            yield doc

    def __getitem__(self, item: Any) -> Any:
        self.visited += 1
        return super().__getitem__(item)


def _app(number: int) -> str:
    """Eight documents: one of each kind the three lookups look for, and their users."""
    ns = f"ns-{number}"
    return "---\n".join([
        _account(ns, name=f"sa-{number}"),
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: web, namespace: {ns}}}\n"
        f"spec: {{serviceAccountName: sa-{number}, containers: [{{name: web, image: nginx:1.27}}]}}\n",
        _role("Role", ns, True, name=f"role-{number}"),
        _binding("RoleBinding", "Role", ns).replace("name: all", f"name: role-{number}"),
        _role("ClusterRole", None, number % 2 == 0, name=f"cluster-{number}"),
        _binding("ClusterRoleBinding", "ClusterRole", None).replace("name: all", f"name: cluster-{number}"),
        # an even copy's CRD serves its custom resource; an odd copy's is of another group
        _crd("cert-manager.io" if number % 2 == 0 else f"g{number}.example.com", f"Thing{number}"),
        f"apiVersion: cert-manager.io/v1alpha2\nkind: Thing{number}\nmetadata: {{name: t, namespace: {ns}}}\n",
    ])


def _stream(copies: int) -> str:
    return "---\n".join(_app(number) for number in range(copies))


def test_the_three_lookups_visit_each_document_a_constant_number_of_times() -> None:
    documents = _Counting(load_text(_stream(250), "stream.yaml").documents)
    assert len(documents) == 2000
    calls = 0
    for doc in list.__iter__(documents):
        ctx = CheckContext(document=doc, kubernetes_version=VERSION, documents=documents)
        number = int(doc.namespace[3:]) if doc.namespace else None
        if doc.kind == "Pod":
            assert _account_disables_automount(ctx, f"sa-{number}") is True
            assert _account_disables_automount(ctx, f"sa-{number + 1}") is False  # another namespace's
        elif doc.kind == "RoleBinding":
            assert _bound_role(ctx, doc.obj["roleRef"]) is not None
            assert _bound_role(ctx, {"kind": "Role", "name": "role-0"}) is (
                None if number else list.__getitem__(documents, 2).obj)
        elif doc.kind == "ClusterRoleBinding":
            assert _bound_role(ctx, doc.obj["roleRef"]) is not None
        elif doc.kind and doc.kind.startswith("Thing"):
            assert _crd_decides(ctx, doc.api_version or "", doc.kind) is (number % 2 == 0)
            assert _crd_decides(ctx, f"g{number}.example.com/v1", doc.kind) is (number % 2 == 1)
        else:
            continue
        calls += 2
    assert calls == 2000
    # Scanning the file for every call visits 2000 x 2000 documents; the index reads it once
    # per table (by kind, by name, by namespace and name) and each call looks at its first and
    # last document to know the file.
    visited = documents.visited
    assert visited <= 3 * 2000 + 2 * calls, visited


def test_a_stream_lints_with_one_index_and_linear_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    built = [0]
    original = file_index.FileIndex.__init__

    def counted_build(self: Any, documents: Any) -> None:
        built[0] += 1
        original(self, documents)

    kinds = [0]
    kind = Document.kind

    def counted_kind(self: Document) -> str | None:
        kinds[0] += 1
        return kind.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(file_index.FileIndex, "__init__", counted_build)
    monkeypatch.setattr(Document, "kind", property(counted_kind))
    counts = []
    for copies in (125, 250):
        built[0] = kinds[0] = 0
        findings = lint_text(_stream(copies), "stream.yaml", Options(only=RULES))
        assert built[0] == 1
        counts.append(kinds[0])
        # no Pod is flagged (its account disables the token), every Role grants everything
        # (one binding each), the even copies' ClusterRoles do, the odd copies' Things lack their CRD
        by_rule: dict[str, int] = {}
        for finding in findings:
            by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
        assert by_rule == {"cluster-admin-binding": copies + (copies + 1) // 2, "deprecated-api": copies // 2}
    assert counts[1] <= 2.2 * counts[0], counts  # a scan per object would be 4x

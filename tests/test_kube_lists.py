"""One notion of a list object, as kubectl reads one, for the runner, the schema and CRD catalogs."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.engine.documents import expand_lists
from kubelint.engine.run import lint_text
from kubelint.kube.lists import is_list, list_items
from kubelint.options import Options
from kubelint.source import load_text

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}


@pytest.mark.parametrize("obj,expected", [
    ({"apiVersion": "v1", "kind": "List", "items": []}, True),
    ({"apiVersion": "v1", "kind": "List", "items": [POD]}, True),
    ({"apiVersion": "apps/v1", "kind": "DeploymentList", "items": []}, True),  # typed lists too
    ({"apiVersion": "example.com/v1", "kind": "List", "items": []}, True),
    ({"apiVersion": "v1", "kind": "List"}, False),  # no items
    ({"apiVersion": "v1", "kind": "List", "items": {"a": 1}}, False),
    ({"apiVersion": "v1", "kind": "ConfigMap", "items": []}, False),
    ({"apiVersion": "v1", "kind": 5, "items": []}, False),
    ([POD], False), (None, False), ("List", False),
])
def test_what_is_a_list(obj: Any, expected: bool) -> None:
    assert is_list(obj) is expected
    assert (list_items(obj) is not None) is expected


def test_items_of_a_typed_list_take_its_api_version_and_kind() -> None:
    unnamed = {"metadata": {"name": "web"}, "spec": {}}
    own = {"apiVersion": "apps/v1beta2", "kind": "Deployment", "metadata": {"name": "old"}}
    partly = {"kind": "", "apiVersion": None, "metadata": {"name": "x"}}
    listed = {"apiVersion": "apps/v1", "kind": "DeploymentList", "items": [unnamed, own, partly, 3]}
    items = list_items(listed)
    assert items is not None
    assert items[0] == {**unnamed, "apiVersion": "apps/v1", "kind": "Deployment"}
    assert items[1] is own and items[3] == 3
    assert (items[2]["apiVersion"], items[2]["kind"]) == ("apps/v1", "Deployment")
    assert "apiVersion" not in unnamed  # the document's own objects are not changed
    # `kind: List` names no kind for its items: they stay as written
    assert list_items({"apiVersion": "v1", "kind": "List", "items": [unnamed]}) == [unnamed]


CORE_TYPED = """\
apiVersion: v1
kind: PodList
items:
  - metadata: {name: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""


def test_core_lists_stand_for_their_items_which_take_the_list_kind() -> None:
    docs = expand_lists(load_text(CORE_TYPED, "l.yaml").documents)
    assert [(d.kind, d.api_version, d.base) for d in docs] == [("Pod", "v1", ("items", 0))]
    findings = lint_text(CORE_TYPED, "l.yaml", Options(only=["image-tag", "incomplete-object"]))
    assert [(f.rule, f.line, f.column, f.path, f.kind) for f in findings] == [
        ("image-tag", 8, 18, "items[0].spec.containers[0].image", "Pod")]


def test_a_typed_list_of_an_api_group_is_linted_as_the_type_it_is() -> None:
    """kubectl maps the list's own apiVersion before it flattens it: a removed one is refused."""
    text = "apiVersion: extensions/v1beta1\nkind: IngressList\nitems: []\n"
    assert [(f.rule, f.line, f.column) for f in lint_text(text, "l.yaml", Options(only=["removed-api"]))] == [
        ("removed-api", 1, 13)]
    deployments = "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - metadata: {name: web}\n"
    assert [d.base for d in expand_lists(load_text(deployments, "l.yaml").documents)] == [()]
    found = lint_text(deployments, "l.yaml", Options())
    assert not [f for f in found if f.rule == "incomplete-object"]


def test_a_list_in_any_api_version_needs_no_name() -> None:
    text = "apiVersion: apps/v1\nkind: DeploymentList\nitems: []\n"
    assert not [f for f in lint_text(text, "l.yaml", Options()) if "metadata.name" in f.message]


def test_which_lists_stand_for_their_items_alone() -> None:
    from kubelint.kube.lists import expanded_items

    assert expanded_items({"apiVersion": "v1", "kind": "List", "items": [POD]}) == [POD]
    assert expanded_items({"apiVersion": "v1", "kind": "ConfigMapList", "items": []}) == []
    assert expanded_items({"apiVersion": "apps/v1", "kind": "DeploymentList", "items": []}) is None
    assert expanded_items([POD]) is None and expanded_items({"apiVersion": "v1", "kind": "Pod"}) is None

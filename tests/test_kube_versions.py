"""One reading of release numbers (tables and the command line) and of API versions' order."""

from __future__ import annotations

import pytest

from kubelint.kube.deprecations import version
from kubelint.kube.versions import parse_version, release, supported_versions, version_priority
from kubelint.schema.enums import patches


@pytest.mark.parametrize("text,expected", [
    ("1.22", (1, 22)), ("v1.25", (1, 25)), ("1.29.3", (1, 29)), (" 1.30 ", (1, 30)), (None, None), ("", None),
])
def test_release_reads_what_the_tables_write(text: object, expected: object) -> None:
    assert release(text) == expected
    assert version(text) == expected  # the lifecycle table's reader is the same one


@pytest.mark.parametrize("text", ["1", "x.y", "1.029", "1.2x"])
def test_release_refuses_what_is_no_version(text: str) -> None:
    with pytest.raises(ValueError):
        release(text)


def test_parse_version_reads_as_release_and_explains_the_rest() -> None:
    newest = supported_versions()[-1]
    shown = f"{newest[0]}.{newest[1]}"
    assert parse_version(f"v{shown}.3+k3s1") == newest == parse_version(shown)
    with pytest.raises(ValueError, match="write it as 1.29"):
        parse_version("1.029")


def test_api_versions_order_as_kubernetes_prefers_them() -> None:
    order = sorted(["apps/v1beta2", "v1alpha1", "apps/v2", "v1", "v1beta1", "vfoo"], key=version_priority)
    assert order == ["apps/v2", "v1", "apps/v1beta2", "v1beta1", "v1alpha1", "vfoo"]


def test_enum_values_since_a_release() -> None:
    assert patches(None) and patches(supported_versions()[0]) is not None

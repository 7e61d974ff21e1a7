"""Image references read as the container runtime reads them, and the registry allow-list."""

from __future__ import annotations

import pytest

from kubelint.checks.images import image_registry, image_tag
from kubelint.kube.images import ImageRef, allowed_by, is_substituted, normalize_prefix, parse_image

DIGEST = "sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7"


@pytest.mark.parametrize("image,expected", [
    ("nginx", ImageRef("docker.io", "library/nginx", None, None)),
    ("nginx:1.27", ImageRef("docker.io", "library/nginx", "1.27", None)),
    ("myorg/app:2", ImageRef("docker.io", "myorg/app", "2", None)),
    ("docker.io/nginx", ImageRef("docker.io", "library/nginx", None, None)),
    ("index.docker.io/myorg/app", ImageRef("docker.io", "myorg/app", None, None)),
    ("registry.example.com:5000/team/app", ImageRef("registry.example.com:5000", "team/app", None, None)),
    ("registry.example.com:5000/team/app:1.0", ImageRef("registry.example.com:5000", "team/app", "1.0", None)),
    ("localhost/app:dev", ImageRef("localhost", "app", "dev", None)),
    ("localhost:5000/app", ImageRef("localhost:5000", "app", None, None)),
    (f"nginx@{DIGEST}", ImageRef("docker.io", "library/nginx", None, DIGEST)),
    (f"ghcr.io/o/app:1.2@{DIGEST}", ImageRef("ghcr.io", "o/app", "1.2", DIGEST)),
    ("  quay.io/o/app:3 ", ImageRef("quay.io", "o/app", "3", None)),
])
def test_parse_image(image: str, expected: ImageRef) -> None:
    assert parse_image(image) == expected


@pytest.mark.parametrize("odd", ["", ":", "@", "/", "a//b:", "::@@", "x" * 300])
def test_parse_image_never_raises(odd: str) -> None:
    assert isinstance(parse_image(odd), ImageRef)


def test_substituted_images() -> None:
    assert is_substituted("$(IMAGE)") and is_substituted("${REGISTRY}/app") and is_substituted("{{ .image }}")
    assert is_substituted("ko://knative.dev/serving/cmd/webhook")
    assert not is_substituted("nginx:1.27")


@pytest.mark.parametrize("prefix,normalized", [
    ("registry.example.com", "registry.example.com"),
    ("registry.example.com/", "registry.example.com"),
    ("ghcr.io/my-org", "ghcr.io/my-org"),
    ("localhost:5000", "localhost:5000"),
    ("bitnami", "docker.io/bitnami"),
    ("index.docker.io/library", "docker.io/library"),
    ("docker.io", "docker.io"),
    ("*.pkg.dev", "*.pkg.dev"),
])
def test_normalize_prefix(prefix: str, normalized: str) -> None:
    assert normalize_prefix(prefix) == normalized


@pytest.mark.parametrize("image,prefixes,admitted", [
    ("registry.example.com/app:1", ["registry.example.com"], True),
    ("registry.example.com.evil.io/app:1", ["registry.example.com"], False),
    ("nginx:1.27", ["docker.io/library"], True),
    ("nginx:1.27", ["docker.io"], True),
    ("myorg/app:1", ["docker.io/library"], False),
    ("docker.io/teammate/app", ["docker.io/team"], False),
    ("docker.io/team/app", ["docker.io/team"], True),
    ("europe-docker.pkg.dev/p/r/app:1", ["*.pkg.dev"], True),
    ("pkg.dev/app:1", ["*.pkg.dev"], False),
    ("localhost:5000/app", ["localhost:5000"], True),
    ("quay.io/o/app", [], False),
])
def test_allowed_by(image: str, prefixes: list[str], admitted: bool) -> None:
    normalized = [normalize_prefix(p) for p in prefixes]
    assert (allowed_by(parse_image(image), normalized) is not None) is admitted


def test_image_registry_check_with_a_configured_list() -> None:
    allowed = [normalize_prefix(p) for p in ["registry.example.com", "ghcr.io/my-org"]]
    path = ("spec", "containers", 0)
    assert list(image_registry(None, {"name": "a", "image": "ghcr.io/my-org/app:1"}, path, allowed)) == []  # type: ignore[arg-type]
    hits = list(image_registry(None, {"name": "a", "image": "ghcr.io/other/app:1"}, path, allowed))  # type: ignore[arg-type]
    assert [(h.path, h.variant, h.values["repository"]) for h in hits] == [
        (path + ("image",), "default", "ghcr.io/other/app")]
    hits = list(image_registry(None, {"name": "a", "image": "nginx"}, path, []))  # type: ignore[arg-type]
    assert [h.variant for h in hits] == ["none-allowed"]


@pytest.mark.parametrize("image,variant,name", [
    ("nginx", "no-tag", "nginx"),
    ("registry.example.com:5000/team/app", "no-tag", "registry.example.com:5000/team/app"),
    ("ghcr.io/o/app:latest", "floating", "ghcr.io/o/app"),
    (" quay.io/o/app:latest ", "floating", "quay.io/o/app"),
    ("registry.example.com:5000/team/app:1.4", None, None),
    (f"nginx@{DIGEST}", None, None),
    (f"nginx:latest@{DIGEST}", None, None),
    ("$(IMAGE)", None, None),
    ("{{ .Values.image }}", None, None),
    ("", None, None),
])
def test_image_tag_check(image: str, variant: str | None, name: str | None) -> None:
    """A registry port is not a tag, a digest pins whatever the tag says, a variable is not judged."""
    path = ("spec", "containers", 0)
    hits = list(image_tag(None, {"name": "a", "image": image}, path, {"floating": ["latest"]}))  # type: ignore[arg-type]
    assert [(h.variant, h.values["name"]) for h in hits] == ([(variant, name)] if variant else [])

"""Container image references, read the way the container runtime reads them.

The rules of docker's `distribution/reference` decide which registry an image comes from:
the first path component is a registry host only when it contains a `.` or a `:`, or is
`localhost`; otherwise the image is on Docker Hub, and a one-component name is an official
image under `library/`. A linter that reads `myorg/app` as host `myorg`, or a registry port
as a tag, gets registry and tag rules wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

DOCKER_HUB = "docker.io"
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


class ImageRef(NamedTuple):
    registry: str  # "docker.io" when the reference names none
    path: str  # the repository inside the registry: "library/nginx", "team/app"
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        """The full name without tag or digest: `docker.io/library/nginx`."""
        return f"{self.registry}/{self.path}"


def _is_host(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost" or component != component.lower()


def parse_image(image: str) -> ImageRef:
    """`registry:5000/team/app:1.2@sha256:…` → its registry, path, tag and digest.

    Never raises: a malformed reference still parses into something, and the schema rules
    are the ones to report it.
    """
    image = image.strip()
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    tag = None
    colon = image.rfind(":")
    if colon > image.rfind("/"):
        image, tag = image[:colon], image[colon + 1:]
    first, slash, rest = image.partition("/")
    if slash and _is_host(first):
        registry, path = first, rest
    else:
        registry, path = DOCKER_HUB, image
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in path:
            path = f"library/{path}"
    return ImageRef(registry, path, tag, digest)


def is_substituted(image: str) -> bool:
    """An image the manifest does not fix: `$(VAR)` (kubelet), `${VAR}` (envsubst), `{VAR}`, `{{ }}`,
    or a build tool's import path such as ko's `ko://example.com/cmd/app`, which `ko resolve`
    replaces with a built image and digest: none is a reference a runtime could pull.
    """
    return "$" in image or "{" in image or "://" in image


def normalize_prefix(prefix: str) -> str:
    """An allowed-registry entry in the form `parse_image` gives: `myorg/` → `docker.io/myorg`.

    An entry whose first component is not a host is a Docker Hub path, as in an image name;
    `*.example.com` stays as written (any subdomain of example.com).
    """
    prefix = prefix.strip().rstrip("/")
    if prefix.startswith("*."):
        return prefix
    first, slash, rest = prefix.partition("/")
    if first in _HUB_ALIASES:
        return DOCKER_HUB + (f"/{rest}" if slash else "")
    if _is_host(first):
        return prefix
    return f"{DOCKER_HUB}/{prefix}"


def allowed_by(ref: ImageRef, prefixes: Iterable[str]) -> str | None:
    """The first normalized prefix that admits the image, or None.

    A prefix matches whole path components only: `registry.example.com` admits
    `registry.example.com/app`, not `registry.example.com.evil.io/app`, and `docker.io/team`
    does not admit `docker.io/teammate/app`.
    """
    name = ref.repository
    for prefix in prefixes:
        if prefix.startswith("*."):
            host = ref.registry.split(":", 1)[0]
            if host.endswith(prefix[1:]):
                return prefix
        elif name == prefix or name.startswith(prefix + "/"):
            return prefix
    return None

"""Checks on container images."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckContext, CheckDef, Hit, define
from kubelint.kube.images import allowed_by, is_substituted, normalize_prefix, parse_image
from kubelint.model import FieldPath


def image_tag(ctx: CheckContext, container: Any, path: FieldPath,
              params: dict[str, Any]) -> Iterator[Hit]:
    """An image without a tag or with a floating one; a digest pins it whatever the tag says."""
    image = _fixed_image(container)
    if image is None:
        return  # missing or non-string images are schema findings; `$(VAR)` is substituted later
    ref = parse_image(image)
    if ref.digest:
        return
    name = image.strip()
    name = name[: -len(ref.tag) - 1] if ref.tag is not None else name
    values = {"image": image, "name": name, "short": ref.path.rsplit("/", 1)[-1]}
    if ref.tag is None:
        yield Hit(path + ("image",), values, "no-tag")
    elif ref.tag in params.get("floating", ["latest"]):
        yield Hit(path + ("image",), {**values, "tag": ref.tag}, "floating")


def _fixed_image(container: Any) -> str | None:
    """The container's image when the manifest fixes it (a non-empty string, no variables)."""
    image = container.get("image") if isinstance(container, dict) else None
    if not isinstance(image, str) or not image.strip() or is_substituted(image):
        return None
    return image


def image_digest(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    image = _fixed_image(container)
    if image is None:
        return
    ref = parse_image(image)
    if ref.digest is None:
        yield Hit(path + ("image",), {"image": image, "container": container.get("name", "")})


def image_pull_policy(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """Only an explicit policy can be wrong: left out, the API server defaults it to Always
    for an untagged or `:latest` image (and a digest pins the image whatever the policy)."""
    image = _fixed_image(container)
    policy = container.get("imagePullPolicy") if image else None
    if not isinstance(policy, str) or policy == "Always":
        return
    ref = parse_image(image or "")
    if ref.digest is None and (ref.tag is None or ref.tag == "latest"):
        yield Hit(path + ("imagePullPolicy",), {
            "image": image, "policy": policy, "container": container.get("name", "")})


def _prepare_registries(params: dict[str, Any]) -> list[str]:
    return [normalize_prefix(p) for p in params.get("allowed", []) if p.strip()]


def image_registry(ctx: CheckContext, container: Any, path: FieldPath, allowed: list[str]) -> Iterator[Hit]:
    image = _fixed_image(container)
    if image is None:
        return
    ref = parse_image(image)
    if allowed_by(ref, allowed):
        return
    values = {"image": image, "registry": ref.registry, "repository": ref.repository,
              "container": container.get("name", ""), "allowed": ", ".join(allowed)}
    yield Hit(path + ("image",), values, "default" if allowed else "none-allowed")


_IMAGE = ("image", "registry", "repository", "container", "allowed")

CHECKS: dict[str, CheckDef] = {
    "image-digest": define(image_digest, params=NO_PARAMS, placeholders=("image", "container")),
    "image-pull-policy": define(image_pull_policy, params=NO_PARAMS, placeholders=("image", "policy", "container")),
    "image-registry": define(image_registry, ("default", "none-allowed"), {
        "type": "object", "additionalProperties": False, "required": ["allowed"],
        "properties": {"allowed": {"type": "array", "items": {"type": "string", "minLength": 1},
                                   "description": "Registry or repository prefixes images may come from "
                                                  "(`registry.example.com/`, `docker.io/library/`)."}}},
        prepare=_prepare_registries, placeholders=_IMAGE),
    "image-tag": define(image_tag, ("no-tag", "floating"), {
        "type": "object", "additionalProperties": False,
        "properties": {"floating": {"type": "array", "items": {"type": "string"}, "default": ["latest"],
                                    "description": "Tags that move: an image with one of them is reported."}}},
        placeholders={"no-tag": ("image", "name", "short"), "floating": ("image", "name", "short", "tag")}),
}

"""Checks on container images."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckContext, CheckDef, Hit, define
from kubelint.model import FieldPath


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """`registry:5000/team/app:1.2@sha256:…` → (name, tag, digest).

    The tag is what follows the last `:` after the last `/`, so a registry port is not a tag.
    """
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1 :], digest
    return image, None, digest


def image_tag(ctx: CheckContext, container: Any, path: FieldPath,
              params: dict[str, Any]) -> Iterator[Hit]:
    image = container.get("image")
    if not isinstance(image, str) or not image.strip() or "$" in image:
        return  # missing or non-string images are schema findings; `$(VAR)` is substituted later
    name, tag, digest = split_image(image.strip())
    if digest:
        return
    short = name.rsplit("/", 1)[-1]
    if tag is None:
        yield Hit(path + ("image",), {"image": image, "name": name, "short": short}, "no-tag")
    elif tag in params.get("floating", ["latest"]):
        yield Hit(path + ("image",), {"image": image, "name": name, "short": short, "tag": tag},
                  "floating")


CHECKS: dict[str, CheckDef] = {
    "image-tag": define(image_tag, ("no-tag", "floating"), {
        "type": "object", "additionalProperties": False,
        "properties": {"floating": {"type": "array", "items": {"type": "string"}}}}),
}

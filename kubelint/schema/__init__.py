"""Kubernetes schema validation: embedded schemas per version, CRDs, user schema dirs.

The runner talks to this package only through `SchemaValidator`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kubelint.checks.base import Hit
from kubelint.model import Document


class SchemaValidator:
    """Validates documents against the schema of their apiVersion/kind.

    `validate` yields (rule id, Hit) pairs; rule ids are schema-invalid, unknown-field and
    unknown-kind, and each Hit carries the finished message in values["detail"].
    """

    def __init__(self, kubernetes_version: tuple[int, int], strict: bool = True,
                 schema_dirs: Iterable[str] = ()) -> None:
        self.kubernetes_version = kubernetes_version
        self.strict = strict
        self.schema_dirs = list(schema_dirs)

    def add_crds(self, documents: Iterable[Document]) -> None:
        """Register the CustomResourceDefinitions among `documents` for custom resources."""

    def validate(self, doc: Document) -> Iterator[tuple[str, Hit]]:
        return iter(())

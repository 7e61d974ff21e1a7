"""What a check receives and what it yields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from kubelint.model import Document, FieldPath


class Hit(NamedTuple):
    """One problem a check found: where (a field path relative to the object) and the words.

    `values` fill the rule's message template; `variant` picks one of the rule's messages;
    `at` says whether the finding points at the field's key or its value.
    """

    path: FieldPath
    values: dict[str, Any]
    variant: str = "default"
    at: str = "value"


@dataclass(slots=True)
class CheckContext:
    document: Document
    kubernetes_version: tuple[int, int]
    documents: Sequence[Document] = ()


Check = Callable[[CheckContext, Any, FieldPath, dict[str, Any]], Iterable[Hit]]

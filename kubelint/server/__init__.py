"""The language server (`kubelint lsp`): being built, see issue 20."""

from __future__ import annotations


def serve_stdio() -> int:
    raise ImportError("the language server is not built yet")

"""The language server (`kubelint lsp`): diagnostics, quick fixes and hover over stdio.

pygls and lsprotocol are the `lsp` extra (`pip install 'kubelint[lsp]'`): CI and pre-commit
installs never load them. `serve_stdio` imports them, so a missing extra is an ImportError
that the CLI turns into a message.
"""

from __future__ import annotations


def serve_stdio() -> int:
    """Serve the Language Server Protocol on standard input and output; the exit status."""
    from kubelint.server.app import serve_stdio as serve

    return serve()

"""The language server (`kubelint lsp`): diagnostics, quick fixes and hover over stdio.

pygls and lsprotocol are the `lsp` extra (`pip install 'kubelint[lsp]'`): CI and pre-commit
installs never load them. They are imported here, with the package, so that a missing extra
is an ImportError at `from kubelint.server import serve_stdio`, which the CLI turns into a
message and exit status 2.
"""

from __future__ import annotations

import lsprotocol  # noqa: F401 - the lsp extra, checked on import
import pygls  # noqa: F401


def serve_stdio() -> int:
    """Serve the Language Server Protocol on standard input and output; the exit status."""
    from kubelint.server.app import serve_stdio as serve

    return serve()

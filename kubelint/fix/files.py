"""Reading a file for fixing and writing it back as it was, but for the edits: same encoding,
byte-order mark, line endings and mode, replaced atomically (a temporary file and a rename),
so that an interrupted run never leaves half a manifest."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass

from kubelint.source import decode, read_bytes

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class FileText:
    text: str  # without the byte-order mark, as the linter reads it
    bom: bytes = b""
    encoding: str = "utf-8"

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding, "surrogatepass")


def read_text(path: str, max_bytes: int) -> FileText:
    data = read_bytes(path, max_bytes)
    text = decode(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return FileText(text, bom, encoding)
    return FileText(text)


def write_atomically(path: str, data: bytes) -> None:
    """Replace `path` with `data`, keeping its mode; the old content stays until the rename."""
    info = os.stat(path)
    real = os.path.realpath(path)  # a symlink keeps pointing at the fixed file
    directory = os.path.dirname(real) or "."
    fd, temp = tempfile.mkstemp(prefix=".kubelint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

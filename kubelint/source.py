"""Finding the files to lint and turning their bytes into Documents.

Every way a file can be bad (unreadable, binary, wrong encoding, too large, a Helm template,
broken YAML) ends as a problem with a place, never as an exception: pre-commit and CI hand us
whatever is in the repository.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from kubelint.model import Document, Span
from kubelint.parser import ParseProblem, parse

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"


class UsageError(Exception):
    """A mistake in how kubelint was called: exit code 2 with this message."""


@dataclass(slots=True)
class SourceResult:
    """What reading and parsing one file gave."""

    path: str
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    document_count: int = 0
    skipped: bool = False  # no Kubernetes object at all (kustomization.yaml, values.yaml, …)


# ---------------------------------------------------------------------------------- discovery


def _excluded(path: str, patterns: Iterable[str]) -> bool:
    posix = PurePosixPath(path.replace(os.sep, "/"))
    text = str(posix)
    for pattern in patterns:
        if fnmatch.fnmatchcase(text, pattern) or fnmatch.fnmatchcase(posix.name, pattern):
            return True
        # `dir/**` and `dir` both exclude everything below dir, at any depth of the input path.
        stripped = pattern.rstrip("/").removesuffix("/**")
        for parent in posix.parents:
            if str(parent) != "." and (fnmatch.fnmatchcase(str(parent), stripped)
                                       or fnmatch.fnmatchcase(parent.name, stripped)):
                return True
    return False


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Files to lint, sorted and without repeats.

    Directories are walked for *.yaml, *.yml and *.json, skipping hidden directories; a file
    named explicitly is linted whatever its suffix. Symlink loops are walked once.
    """
    patterns = list(exclude)
    found: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            found.add(STDIN)
            continue
        if not os.path.lexists(raw):
            raise UsageError(f"no such file or directory: {raw}")
        if os.path.isdir(raw):
            found.update(_walk(raw, patterns))
        elif not _excluded(raw, patterns):
            found.add(os.path.normpath(raw))
    return sorted(found, key=lambda p: (p != STDIN, p))


def _walk(top: str, patterns: list[str]) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True, onerror=None):
        try:
            info = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        ident = (info.st_dev, info.st_ino)
        if ident in seen:  # a symlink loop or a second link to the same directory
            dirnames[:] = []
            continue
        seen.add(ident)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and not _excluded(os.path.join(dirpath, d), patterns)
        )
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(MANIFEST_SUFFIXES):
                continue
            path = os.path.normpath(os.path.join(dirpath, name))
            if not _excluded(path, patterns):
                yield path


# -------------------------------------------------------------------------------------- reading


def read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file, refusing what is not a regular file or is over the size limit."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("not a regular file (a FIFO, device or socket); kubelint reads files only")
    if info.st_size > max_bytes:
        raise _Unreadable(
            f"the file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit; "
            "raise max-file-size in .kubelint.yaml to lint it")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _Unreadable(f"the file is over the {max_bytes:,}-byte limit")
    return data


class _Unreadable(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def decode(data: bytes) -> str:
    """Bytes → text as Kubernetes accepts it: UTF-8 (with or without BOM), or UTF-16/32 with BOM."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode_or_fail(data, "utf-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_or_fail(data, "utf-16")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        raise _Unreadable("binary file (it contains NUL bytes): not a manifest", line,
                          offset - (data.rfind(b"\n", 0, offset) + 1) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise _Unreadable(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line, column) from None


def _decode_or_fail(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise _Unreadable(f"starts with a {encoding.upper()} byte-order mark but is not valid "
                          f"{encoding.upper()}") from None
    return text.removeprefix("\ufeff")


# ------------------------------------------------------------------------------------- templates

_TEMPLATE = re.compile(r"\{\{|\{%")


def _template_marker(text: str, scalar_ranges: list[tuple[int, int]], stop: int | None) -> int | None:
    """Offset of the first `{{` that YAML did not read as part of a string, if any.

    `{{` inside a quoted, block or plain string value (alert templates, dashboards) is data;
    `{{` where YAML saw structure, or anywhere after the point the parser gave up, is template.
    """
    ranges = sorted(scalar_ranges)
    starts = [start for start, _ in ranges]

    for match in _TEMPLATE.finditer(text):
        offset = match.start()
        line_start = text.rfind("\n", 0, offset) + 1
        before = text[line_start:offset]
        i = bisect.bisect_right(starts, offset) - 1
        inside = i >= 0 and ranges[i][0] <= offset < ranges[i][1]
        if inside and (stop is None or offset < stop):
            continue
        if _in_comment(before):
            continue
        return offset
    return None


def _in_comment(line_before: str) -> bool:
    stripped = line_before.lstrip()
    if stripped.startswith("#"):
        return True
    return " #" in line_before or "\t#" in line_before


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


# --------------------------------------------------------------------------------------- loading


def load_text(text: str, path: str) -> SourceResult:
    """Parse text into Documents and input problems, going on past syntax errors."""
    result = SourceResult(path)
    lines = text.splitlines()
    result.lines = lines
    is_json = path.lower().endswith(".json")
    if is_json and "\t" in text:
        text = text.replace("\t", " ")  # JSON strings cannot hold raw tabs; columns stay put
    has_template = _TEMPLATE.search(text) is not None

    offset_line = 0
    chunk = text
    first_index = 0
    while True:
        parsed = parse(chunk, path, collect_scalars=has_template, line_offset=offset_line,
                       first_index=first_index)
        if has_template:
            marker = _template_marker(chunk, parsed.scalar_ranges, parsed.error_index)
            if marker is not None:
                line, column = _position(chunk, marker)
                line += offset_line
                result.problems.append(ParseProblem(
                    "unrendered-template",
                    "unrendered template: `{{` outside a string value; render it first "
                    "(helm template, kustomize) and lint the output",
                    Span(line, column, line, column + 2)))
                result.documents = []
                result.document_count = max(result.document_count, 1)
                return result
        result.documents.extend(parsed.documents)
        result.problems.extend(parsed.problems)
        if parsed.error_index is None:
            result.document_count = max(first_index + len(parsed.documents),
                                        (result.documents[-1].index + 1) if result.documents else 0)
            break
        # Resume at the next document separator after the error, so one broken document
        # does not hide the findings of the ones after it.
        error_line = chunk.count("\n", 0, parsed.error_index)
        next_start = _next_separator(chunk, error_line)
        last_index = result.documents[-1].index if result.documents else first_index - 1
        if next_start is None:
            result.document_count = last_index + 2
            break
        offset_line += chunk.count("\n", 0, next_start)
        chunk = chunk[next_start:]
        first_index = last_index + 2
    result.document_count = max(result.document_count, len(result.documents))
    return result


_SEPARATOR = re.compile(r"^---(?=\s|$)", re.MULTILINE)


def _next_separator(text: str, after_line: int) -> int | None:
    line_start = 0
    for _ in range(after_line + 1):
        nxt = text.find("\n", line_start)
        if nxt < 0:
            return None
        line_start = nxt + 1
    match = _SEPARATOR.search(text, line_start)
    return match.start() if match else None


def load_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES, stdin_text: str | None = None,
              display: str | None = None) -> SourceResult:
    """Read and parse one file (or stdin), turning every failure into a problem with a place."""
    shown = display or path
    try:
        if path == STDIN:
            text = stdin_text or ""
        else:
            text = decode(read_bytes(path, max_bytes))
    except _Unreadable as exc:
        result = SourceResult(shown)
        result.problems.append(ParseProblem(
            "file-unreadable", f"cannot read {shown}: {exc}",
            Span(exc.line, exc.column, exc.line, exc.column)))
        return result
    except OSError as exc:
        result = SourceResult(shown)
        reason = exc.strerror or str(exc)
        result.problems.append(ParseProblem("file-unreadable", f"cannot read {shown}: {reason}",
                                            Span(1, 1, 1, 1)))
        return result
    return load_text(text, shown)

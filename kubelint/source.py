"""Finding the files to lint and turning their bytes into Documents.

Every way a file can be bad (unreadable, binary, wrong encoding, too large, a Helm template,
broken YAML) ends as a problem with a place, never as an exception: pre-commit and CI hand us
whatever is in the repository.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from kubelint.errors import KubelintError
from kubelint.lazypattern import LazyPattern
from kubelint.model import Document, Record, Span
from kubelint.parser import (
    DEFER_POSITIONS_AFTER,
    LINE_BREAK,
    LINE_BREAK_CHARS,
    ParseProblem,
    ParseResult,
    parse,
    position,
)
from kubelint.resources import walk_once

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"


class UsageError(KubelintError):
    """A mistake in how kubelint was called: exit code 2 with this message."""


class SourceResult(Record):
    """What reading and parsing one file gave.

    A plain class with slots (model.Record), not a dataclass, which every start-up made."""

    __slots__ = ("path", "documents", "problems", "text", "document_count", "patch_marker")

    def __init__(self, path: str, documents: list[Document] | None = None, problems: list[ParseProblem] | None = None,
                 text: str = "", document_count: int = 0, patch_marker: bool = False) -> None:
        self.path = path
        self.documents: list[Document] = [] if documents is None else documents
        self.problems: list[ParseProblem] = [] if problems is None else problems
        # Only files that name kubelint keep their text: the engine reads suppressions from it;
        # and files parsed light (see load_text), for in_full().
        self.text = text
        self.document_count = document_count
        # Whether the text holds a strategic-merge directive's name ($patch, …): only then are the
        # documents searched for one (a patch is partial by design; see Linter._lint_source).
        self.patch_marker = patch_marker

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def light(self) -> bool:
        """Whether some document has a subtree without positions (parser.parse's `light`)."""
        return any(doc.light for doc in self.documents)

    def in_full(self) -> SourceResult:
        """The file parsed again with every position: after a light parse, when a finding
        lands inside a subtree that has none."""
        return load_text(self.text, self.path)


# ---------------------------------------------------------------------------------- discovery


@functools.lru_cache(maxsize=8192)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


def real_path(path: str) -> str:
    """os.path.realpath, each directory resolved once: realpath stats every component of a
    path, and a run asks it of every file (projects, kustomize, renders) several times, ~6,000
    stats for the corpus. Only the last component is looked at afresh (a link or not);
    `forget_real_paths()` starts over (each run does: links may change between runs)."""
    absolute = os.path.abspath(path)
    head, tail = os.path.split(absolute)
    if not tail or os.path.islink(absolute):
        return os.path.realpath(absolute)
    return os.path.join(_real_directory(head), tail)


def forget_real_paths() -> None:
    _real_directory.cache_clear()


def excluded(path: str, patterns: list[str]) -> bool:
    return bool(patterns) and exclusion(path, patterns) is not None


_excluded = excluded


def exclusion(path: str, patterns: list[str]) -> str | None:
    """The first pattern that excludes `path`, or None.

    A pattern matches the path as kubelint shows it (as given, or found under a directory
    given) or the file name, with fnmatch (`*` also crosses `/`); a leading `**/` also
    matches no directory at all, as in .gitignore; `dir/**` and `dir` exclude everything
    below a matching directory, at any depth of the path.
    """
    posix = PurePosixPath(path.replace(os.sep, "/"))
    text = str(posix)
    for pattern in patterns:
        for form in {pattern, pattern.removeprefix("**/")}:
            if fnmatch.fnmatchcase(text, form) or fnmatch.fnmatchcase(posix.name, form):
                return pattern
            # `dir/**` and `dir` both exclude everything below dir, at any depth of the input path.
            stripped = form.rstrip("/").removesuffix("/**")
            for parent in posix.parents:
                if str(parent) != "." and (fnmatch.fnmatchcase(str(parent), stripped)
                                           or fnmatch.fnmatchcase(parent.name, stripped)):
                    return pattern
    return None


def not_linted(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What discover() leaves out of `paths`, each with the reason: for `-v` and for saying
    why nothing was linted. Walks again, so it is only called when asked."""
    patterns = list(exclude)
    out: list[tuple[str, str]] = []
    for raw in paths:
        if raw == STDIN or not os.path.lexists(raw):
            continue
        if not os.path.isdir(raw):
            pattern = exclusion(raw, patterns) if patterns else None
            if pattern is not None:
                out.append((raw, f"excluded by the pattern `{pattern}`"))
            continue
        below: list[tuple[str, str]] = []
        found = False
        for dirpath, dirnames, filenames in walk_once(raw):  # a symlink loop: walked once, as discover does
            kept = []
            for name in sorted(dirnames):
                path = os.path.normpath(os.path.join(dirpath, name))
                pattern = exclusion(path, patterns) if patterns else None
                if name.startswith("."):
                    below.append((path + "/", "hidden directory, not searched"))
                elif pattern is not None:
                    below.append((path + "/", f"excluded by the pattern `{pattern}`"))
                else:
                    kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                path = os.path.normpath(os.path.join(dirpath, name))
                pattern = exclusion(path, patterns) if patterns else None
                if name.startswith("."):
                    below.append((path, "hidden file"))
                elif not name.lower().endswith(MANIFEST_SUFFIXES):
                    below.append((path, "not a *.yaml, *.yml or *.json file"))
                elif pattern is not None:
                    below.append((path, f"excluded by the pattern `{pattern}`"))
                else:
                    found = True
        if not found:
            out.append((raw, "no *.yaml, *.yml or *.json file to lint in this directory"))
        out.extend(below)
    return out


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
    """Manifest files under `top`, and any directory that cannot be listed.

    A directory we may not list is yielded itself, so that reading it reports why (a
    file-unreadable finding at that path) instead of its files silently going unlinted.
    """
    unlistable: list[str] = []

    def failed(error: OSError) -> None:
        if error.filename is not None:
            unlistable.append(os.path.normpath(error.filename))

    # A symlink loop or a second link to the same directory is walked once.
    for dirpath, dirnames, filenames in walk_once(top, onerror=failed):
        yield from unlistable
        unlistable.clear()
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
    yield from unlistable


# -------------------------------------------------------------------------------------- reading


def read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file, refusing what is not a regular file or is over the size limit.

    The checks come before `open`: opening a FIFO blocks until a writer appears, and reading a
    device or a huge file would never end or exhaust memory.
    """
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        os.scandir(path).close()  # a directory we may not list raises its real reason here
        raise ReadError("a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError("not a regular file (a FIFO, device or socket); kubelint reads files only")
    if info.st_size > max_bytes:
        raise ReadError(
            f"the file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit; "
            "raise max-file-size in .kubelint.yaml to lint it")
    with open(path, "rb") as handle:
        return read_stream(handle, max_bytes, "the file", info.st_size)


def read_stream(stream: BinaryIO, max_bytes: int, what: str = "standard input",
                expected: int | None = None) -> bytes:
    """A stream's bytes, refusing more than `max_bytes`: every read of input goes through here.

    `expected` is the size a stat gave: reading that much first spares allocating the whole
    limit for every small file, and the stream is still read on if it grew since (or if stat
    does not know, as on procfs).
    """
    if expected is None:
        data = stream.read(max_bytes + 1)
    else:
        data = stream.read(expected + 1)
        if len(data) > expected:
            data += stream.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise ReadError(f"{what} is over the {max_bytes:,}-byte limit; "
                        "raise max-file-size in .kubelint.yaml to lint it")
    return data


class ReadError(Exception):
    """A file that cannot be read as manifest text, with the place of the problem."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


_Unreadable = ReadError  # the name cli.py imports


def read_lines(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[str]:
    """The lines of a file as findings count them, or [] if it cannot be read as text.

    For code frames in reports: it goes through the same checks as linting (no FIFOs, the size
    limit), so showing a finding can never block or read a huge file.
    """
    try:
        return decode(read_bytes(path, max_bytes)).splitlines()
    except (OSError, ReadError):
        return []


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
        line, column = _byte_position(data, offset, "utf-8")
        if _looks_like_utf16(data[:64]):
            reason = "it looks like UTF-16 without a byte-order mark; save it as UTF-8"
        else:
            reason = "binary file (it contains NUL bytes): not a manifest"
        raise ReadError(reason, line, column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start, "utf-8")
        raise ReadError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line, column) from None


def _looks_like_utf16(sample: bytes) -> bool:
    """ASCII text in UTF-16: every other byte NUL, the others printable (or tab, CR, LF)."""
    sample = sample[: len(sample) // 2 * 2]
    for chars, zeros in ((sample[0::2], sample[1::2]), (sample[1::2], sample[0::2])):
        if len(zeros) >= 2 and not any(zeros) and all(32 <= b < 127 or b in (9, 10, 13) for b in chars):
            return True
    return False


def _decode_or_fail(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start, encoding)
        raise ReadError(f"starts with a {encoding.upper()} byte-order mark but is not valid "
                        f"{encoding.upper()} here; save the file as UTF-8", line, column) from None
    return text.removeprefix("\ufeff")


def _byte_position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """(line, column) in characters of byte `offset`, counting lines as findings do."""
    prefix = data[:offset].decode(encoding, "replace").removeprefix("\ufeff")
    return position(prefix, len(prefix))


# ------------------------------------------------------------------------------------- offsets


@functools.lru_cache(maxsize=8)
def line_starts(text: str) -> tuple[int, ...]:
    """The offset of each line's first character, lines counted as findings count them.

    Cached per text: a fixer asks for many offsets in the one file it rewrites, and the few
    last texts are enough (a cache hit on the same str object is an identity test).
    """
    return (0, *(match.end() for match in LINE_BREAK.finditer(text)))


def offset_of(text: str, line: int, column: int) -> int:
    """The character offset in `text` of a 1-based (line, column), as a Span gives them.

    For fixes, which edit the text by offsets. `text` is what the parser read: load_text's
    input without its byte-order mark. Columns count characters (code points, so an astral
    character is one), and a line break of two characters (CRLF) ends one line. A column may
    be one past the line's last character (where a span ends); anything further raises
    ValueError rather than give an offset on another line.
    """
    starts = line_starts(text)
    if not 1 <= line <= len(starts) or column < 1:
        raise ValueError(f"no line {line}, column {column} in a text of {len(starts)} lines")
    start = starts[line - 1]
    end = len(text)  # where the line's characters end: at its line break
    if line < len(starts):
        end = starts[line] - (2 if text.startswith("\r\n", starts[line] - 2) else 1)
    offset = start + column - 1
    if offset > end:
        raise ValueError(f"line {line} has no column {column}")
    return offset


# ------------------------------------------------------------------------------------- templates

_TEMPLATE = re.compile(r"\{\{|\{%")
# A whole template action inside a string: `{{ .Values.replicas }}`, `{{- include "x" . -}}`.
_TEMPLATE_ACTION = LazyPattern(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def template_in_value(value: object) -> str | None:
    """The first template action in a string value, if it holds one.

    A quoted `"{{ .Values.replicas }}"` is a valid YAML string, so the file-level detector
    leaves it alone; where the schema wants another type, it is an unrendered template and
    not a wrong type (a `{{` alone, as in an alert text, is not an action).
    """
    if not isinstance(value, str) or "{" not in value:
        return None
    match = _TEMPLATE_ACTION.search(value)
    return match.group() if match else None


def _template_marker(text: str, scalar_ranges: list[tuple[int, int]], lo: int, hi: int) -> int | None:
    """Offset of the first `{{` in text[lo:hi] that YAML did not read as part of a string.

    `{{` inside a quoted, block or plain string value (alert templates, dashboards) is data;
    `{{` in a comment is a comment; `{{` where YAML saw structure, or anywhere after the point
    the parser gave up, is template. `scalar_ranges` are those of the parse that covered
    text[lo:hi], in document order; `lo` is a line start. One pass over the text however many
    `{{` it holds: a hostile file of long commented lines must not make this quadratic.
    """
    starts = [start for start, _ in scalar_ranges]
    line_start = scanned = lo  # text[lo:scanned] has been looked at for breaks and comments
    commented = False  # the line holding `scanned` has a comment that starts before it
    for match in _TEMPLATE.finditer(text, lo, hi):
        offset = match.start()
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < scalar_ranges[i][1]:
            continue
        for line_break in LINE_BREAK.finditer(text, scanned, offset):
            line_start = line_break.end()
            commented = False
        if not commented:
            commented = ((line_start >= scanned and text.startswith("#", line_start))
                         or _COMMENT.search(text, max(scanned, line_start), offset) is not None)
        scanned = offset
        if not commented:
            return offset
    return None


_COMMENT = LazyPattern(r"[ \t]#")  # a `#` after whitespace starts a comment (or at a line start)


# --------------------------------------------------------------------------------------- loading

# A document marker: `---` at the start of a line, then a space, a line break or the end.
_SEPARATOR = LazyPattern("(?<![^" + LINE_BREAK_CHARS + "])---(?![^\\s])")


def load_text(text: str, path: str, light: bool = False) -> SourceResult:
    """Parse text into Documents and input problems, going on past syntax errors.

    `light`: CRD schemas without positions inside (parser.parse); the text is kept then, for
    the caller to parse again in full (`SourceResult.in_full`)."""
    text = text.removeprefix("\ufeff")  # libyaml skips it without counting it
    result = _load(text, path, light and "kubelint" not in text)  # comments find nodes by position
    if any(p.rule == "file-unreadable" for p in result.problems):
        # Lone surrogates: only a str from the library API has them (decode() refuses them).
        # Report the first and read them all as U+FFFD, which keeps every offset, so that the
        # documents around them are still linted.
        bad = _SURROGATE.search(text)
        if bad is not None:
            line, column = position(text, bad.start())
            result = _load(_SURROGATE.sub("\ufffd", text), path)  # in full: never light
            result.problems.append(ParseProblem(
                "file-unreadable", f"not valid Unicode: the lone surrogate U+{ord(bad.group()):04X} "
                "is not a character (the text was decoded wrongly); it was read as U+FFFD",
                Span(line, column, line, column)))
    return result


_SURROGATE = LazyPattern("[\ud800-\udfff]")
_PATCH_MARKERS = ("$patch", "$retainKeys", "$setElementOrder/", "$deleteFromPrimitiveList/")  # kube.kustomize's


def _has_patch_marker(text: str) -> bool:
    """Whether a kustomize patch directive may be in `text`: from one `$` to the next, where
    searching the text for each directive read a big CRD four times over."""
    at = text.find("$")
    while at >= 0:
        if text.startswith(_PATCH_MARKERS, at):
            return True
        at = text.find("$", at + 1)
    return False


def _load(text: str, path: str, light: bool = False) -> SourceResult:
    """Parse text into Documents and input problems, going on past syntax errors.

    After an error, parsing resumes at the first `---` line after the start of the broken
    document. libyaml ends a document at every `---` at the start of a line (in any scalar or
    collection), so the documents after a broken one read exactly as in a file of their own
    and their findings are not hidden. Each broken document keeps its index and is counted.
    """
    result = SourceResult(path)
    if "kubelint" in text:
        result.text = text
    result.patch_marker = _has_patch_marker(text)
    if path.lower().endswith(".json") and "\t" in text:
        text = text.replace("\t", " ")  # JSON allows tabs between tokens, YAML not; columns stay
    has_template = _TEMPLATE.search(text) is not None
    # A long stream's later documents read their positions again when linted (model.
    # DeferredLayout); not where comments are directives, which find nodes by position.
    defer_after = None if result.text else DEFER_POSITIONS_AFTER
    start = lines_before = first_index = alias_nodes = 0
    while True:
        parsed = parse(text, path, collect_scalars=has_template, line_offset=lines_before,
                       first_index=first_index, start=start, alias_nodes=alias_nodes, light=light,
                       defer_after=defer_after)
        if light and not result.text and any(doc.light for doc in parsed.documents):
            result.text = text
        alias_nodes = parsed.alias_nodes
        resume = None if parsed.error_index is None else _resume_point(text, start, parsed)
        if has_template:
            end = len(text) if resume is None else resume
            marker = _template_marker(text, parsed.scalar_ranges, start, end)
            if marker is not None:
                line, column = position(text, marker, start, lines_before)
                result.problems.append(ParseProblem(
                    "unrendered-template",
                    "unrendered template: `{{` outside a string value; render it first "
                    "(helm template, kustomize) and lint the output",
                    Span(line, column, line, column + 2)))
                result.documents = []
                result.document_count = max(parsed.next_index, 1)
                return result
        result.documents.extend(parsed.documents)
        result.problems.extend(parsed.problems)
        if parsed.error_index is None:
            result.document_count = parsed.next_index
            return result
        first_index = parsed.next_index + parsed.error_in_document  # a broken document counts
        if resume is None:
            result.document_count = first_index
            return result
        lines_before = position(text, resume, start, lines_before)[0] - 1
        start = resume


def _resume_point(text: str, start: int, parsed: ParseResult) -> int | None:
    """Where the document after the broken one begins, if one does; always after `start`."""
    match = _SEPARATOR.search(text, max(start + 1, parsed.resume_floor))
    return match.start() if match else None


def load_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES, stdin_text: str | None = None,
              display: str | None = None, light: bool = False) -> SourceResult:
    """Read and parse one file (or stdin), turning every failure into a problem with a place."""
    shown = display or path
    if path == STDIN:
        return load_text(stdin_text or "", shown, light)
    try:
        data = read_bytes(path, max_bytes)
    except ReadError as exc:
        return _unreadable(shown, str(exc), exc.line, exc.column)
    except OSError as exc:
        return _unreadable(shown, exc.strerror or str(exc))
    return load_bytes(data, shown, light)


def load_bytes(data: bytes, path: str, light: bool = False) -> SourceResult:
    """Decode and parse a file's bytes: what load_path does once it has read them."""
    try:
        text = decode(data)
    except ReadError as exc:
        return _unreadable(path, str(exc), exc.line, exc.column)
    return load_text(text, path, light)


def _unreadable(path: str, reason: str, line: int = 1, column: int = 1) -> SourceResult:
    result = SourceResult(path)
    result.problems.append(ParseProblem("file-unreadable", f"cannot read {path}: {reason}",
                                        Span(line, column, line, column)))
    return result

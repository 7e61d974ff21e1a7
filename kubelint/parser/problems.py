"""Everything that can be wrong with the YAML, in words a manifest author can act on.

Every way the YAML can be bad ends as a ParseProblem with a place, never an exception: the source
stage resumes after it at the next document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from kubelint.model import FieldPath, RawPosition, Span
from kubelint.parser.cyaml import pyyaml
from kubelint.parser.text import position

if TYPE_CHECKING:  # imported where a problem is made: the C builder reads most texts without it
    import yaml

# The deepest object in the real-world corpus nests 39 levels (CRD schemas). Past a few
# hundred levels the schema validator gives up silently and recursive walkers risk the stack, so
# anything deeper is reported here instead. libyaml itself stops at 1000.
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 1_000_000  # nodes that aliases may add to a file, in total


class ParseProblem(NamedTuple):
    """Something wrong with the YAML itself; the source stage turns it into a finding."""

    rule: str
    message: str
    span: Span
    # For problems inside a document that was read (a duplicate key): which one, and where.
    document: int | None = None
    path: FieldPath = ()


class _BuildError(Exception):
    """A YAML construct Kubernetes would refuse (unknown tag, alias bomb, too deep)."""

    def __init__(self, message: str, rule: str = "yaml-syntax", mark: Any = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.mark = mark  # where: the start of the event that raised it


def _reader_index(text: str, start: int, position: int) -> int:
    """libyaml reports a bad character at a byte offset of the UTF-8 it read; make it characters."""
    if not pyyaml().using_libyaml:  # pragma: no cover - the pure-Python reader counts characters
        return start + position
    prefix = text[start:start + position].encode("utf-8", "surrogatepass")[:position]
    return start + len(prefix.decode("utf-8", "ignore"))


def _duplicate(key: str, key_pos: RawPosition, line_offset: int, document: int,
               parent: FieldPath) -> ParseProblem:
    line, column, end_line, end_column = key_pos[:4]
    return ParseProblem(
        "yaml-duplicate-key",
        f"duplicate key `{key}`: Kubernetes keeps only the last value and "
        "`kubectl --validate=strict` rejects it; remove one of them",
        Span(line + 1 + line_offset, column + 1, end_line + 1 + line_offset, end_column + 1),
        document, parent + (key,),
    )


def _unsupported_tag(tag: str) -> str:
    """Why a tag is refused; nothing is ever constructed from it, so `!!python/...` is inert."""
    shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
    return (f"unsupported tag `{shown}`: Kubernetes manifests use plain YAML types only; "
            "remove the tag")


# libyaml's context for a bracket or quote still open when it gave up, and what closes it.
_CLOSERS = {"while parsing a flow sequence": "]", "while parsing a flow mapping": "}",
            "while scanning a quoted scalar": ""}


def _unclosed(exc: yaml.MarkedYAMLError, text: str, start: int, line_offset: int,
              stopped: Span) -> ParseProblem | None:
    """A bracket or quote that is never closed, as a problem at the place where it opened.

    libyaml stops where it notices (often the end of the file, where no code frame can show
    anything); the fix is at the opening, so the finding goes there and names both places.
    A complaint on the opening's own line (`["a" "b"]`) stays where libyaml made it.
    """
    mark, context = exc.context_mark, (exc.context or "").strip()
    if mark is None or context not in _CLOSERS or exc.problem_mark is None:
        return None
    opener = text[start + mark.index:start + mark.index + 1]
    if opener not in ("[", "{", '"', "'"):
        return None
    closer = _CLOSERS[context] or opener
    problem = (exc.problem or "").strip()
    at_end = start + exc.problem_mark.index >= len(text) or "end of stream" in problem
    marker = "document indicator" in problem
    line, column = mark.line + 1 + line_offset, mark.column + 1
    if not (at_end or marker) and (not closer or stopped.line == line):
        return None
    where = f"not valid YAML: this `{opener}` opened at {line}:{column}"
    if at_end:
        message = (f"{where} is never closed: the end of the file ({stopped.line}:{stopped.column}) "
                   f"comes first; close it with `{closer}`")
    elif marker:
        message = (f"{where} is never closed: the document marker `---` at {stopped.line}:"
                   f"{stopped.column} comes first; close it with `{closer}`")
    else:
        message = (f"{where} is not closed: at {stopped.line}:{stopped.column} a `,` or `{closer}` "
                   f"was expected; close it with `{closer}`")
    return ParseProblem("yaml-syntax", message, Span(line, column, line, column + 1))


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, index: int) -> tuple[str, str]:
    """The rule and message for libyaml's complaint, in words a manifest author can act on."""
    problem = (exc.problem or "syntax error").strip()
    if "maximum nesting depth" in problem:
        return "yaml-complexity", (f"the document nests deeper than {MAX_DEPTH} levels; no "
                                   "Kubernetes object is that deep")
    context = (exc.context or "").strip()
    text_message = f"not valid YAML: {problem}"
    if context:
        text_message += f" ({context})"
    if "tab" in problem or text[index:index + 1] == "\t":
        text_message += "; YAML does not allow tabs for indentation, use spaces"
    return "yaml-syntax", text_message


def _stopping_problem(exc: Exception, text: str, start: int, line_offset: int,
                      piece_start: int) -> tuple[ParseProblem, int]:
    """The problem that stopped a parse of `text[start:]`, placed in the whole text, and the
    index where parsing stopped. `piece_start` is where the piece of text libyaml read last
    began: a lone surrogate is found only when that piece is encoded."""
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        index = start + mark.index if mark is not None else len(text)
        rule, message = _syntax_problem(exc, text, index)
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark is not None else (0, 0)
        problem, index = _placed(rule, message, text, index, line, column, start, line_offset)
        opened = _unclosed(exc, text, start, line_offset, problem.span)
        if opened is not None:  # reported where the bracket or quote opened
            problem = opened
        return problem, index
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        index = _reader_index(text, start, exc.position)
        line, column = position(text, index, start, line_offset)
        code = exc.character if isinstance(exc.character, int) else ord(text[index:index + 1] or "\0")
        message = f"not valid YAML: the character U+{code:04X} is not allowed in YAML ({exc.reason}); remove it"
        return _placed("yaml-syntax", message, text, index, line, column, start, line_offset)
    if isinstance(exc, UnicodeEncodeError):  # a lone surrogate in a str from the library API
        index = piece_start + exc.start
        line, column = position(text, index, start, line_offset)
        message = f"not valid Unicode: the lone surrogate U+{ord(text[index]):04X} is not a character"
        return _placed("file-unreadable", message, text, index, line, column, start, line_offset)
    assert isinstance(exc, _BuildError)
    mark = exc.mark
    return _placed(exc.rule, str(exc), text, start + mark.index, mark.line + 1 + line_offset,
                   mark.column + 1, start, line_offset)


def _placed(rule: str, message: str, text: str, index: int, line: int, column: int, start: int,
            line_offset: int) -> tuple[ParseProblem, int]:
    """The problem at `index` (and that index), kept inside the text."""
    if index >= len(text):
        # libyaml ends a text that has no final line break with a line break of its own: a
        # mark at the end can be on a line that is not there. Use the real end instead.
        index = len(text)
        line, column = position(text, index, start, line_offset)
    return ParseProblem(rule, message, Span(line, column, line, column)), index

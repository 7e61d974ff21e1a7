"""Rendered lines → template lines: a line diff that reads `{{ … }}` as a wildcard.

Each template line that has text of its own becomes a pattern (the text literally, each
action as "anything"); a rendered line can come from the template lines whose pattern it
matches. The longest chain of such pairs in order (Hunt–Szymanski: the longest common
subsequence over the matching pairs) maps most lines one to one, which is what most
templates render. Then the lines a `range` rendered again (a second port, a second
container) map to the body line they match, between the chain's neighbours. What is left
came through an action (`include`, `toYaml`, `tpl`): `producers` names that action's line.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

_ACTION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_COMMENT = re.compile(r"^\{\{-?\s*/\*.*\*/\s*-?\}\}$", re.DOTALL)
_RANGE = re.compile(r"\{\{-?\s*range\b")
_PRODUCER = re.compile(r"\b(include|template|toYaml|tpl|toJson|toPrettyJson|range)\b")


class _Line:
    __slots__ = ("action", "first", "literal", "pattern", "text")

    def __init__(self, text: str, literal: bool, action: bool, pattern: re.Pattern[str] | None,
                 first: str) -> None:
        self.text = text
        self.literal = literal  # the line writes text of its own
        self.action = action  # the line holds an action (or part of one)
        self.pattern = pattern
        self.first = first  # its first literal chunk: a cheap test before the pattern


@functools.lru_cache(maxsize=256)
def _lines(template: str) -> list[_Line]:
    """Each template line as literal chunks and actions (a helper is aligned once per include:
    parsed once)."""
    spans = [(m.start(), m.end()) for m in _ACTION.finditer(template) if not _COMMENT.match(m.group())]
    comments = [(m.start(), m.end()) for m in _ACTION.finditer(template) if _COMMENT.match(m.group())]
    out: list[_Line] = []
    start = 0
    actions = iter(spans + [(len(template) + 1, len(template) + 1)])
    current = next(actions)
    skipped = iter(comments + [(len(template) + 1, len(template) + 1)])
    comment = next(skipped)
    for text in template.split("\n"):
        end = start + len(text)
        parts: list[tuple[bool, str]] = []  # (is action, text)
        at = start
        while at < end:
            while current[1] <= at:
                current = next(actions)
            while comment[1] <= at:
                comment = next(skipped)
            if comment[0] <= at < comment[1]:
                at = min(end, comment[1])
                continue
            if current[0] <= at < current[1]:
                stop = min(end, current[1])
                parts.append((True, template[at:stop]))
            else:
                stop = min(end, current[0], comment[0])
                parts.append((False, template[at:stop]))
            at = stop
        literal_text = "".join(t for is_action, t in parts if not is_action)
        has_action = any(is_action for is_action, _ in parts)
        literal = bool(literal_text.strip())
        pattern = None
        first = ""
        if literal:
            pieces: list[str] = []
            for is_action, chunk in parts:
                if is_action:
                    if not pieces or pieces[-1] != ".*":
                        pieces.append(".*")
                else:
                    pieces.append(re.escape(chunk))
            regex = "".join(pieces).strip()
            # indentation is the rendering's (nindent, trimming): compare without it
            regex = re.sub(r"^(\\ )+", "", regex)
            regex = re.sub(r"(\\ )+$", "", regex)
            regex = re.sub(r"(\\ )+(?=\.\*)", r"\\s*", regex)  # an action may write nothing
            if regex.startswith(r"\-\-\-"):  # `---# text`: Helm's split leaves the text alone
                regex = r"(?:\-\-\-)?\s*" + regex[6:]
            try:
                pattern = re.compile(r"\s*" + regex + r"\s*", re.DOTALL)
            except re.error:
                pattern = None
            first = next((chunk.strip().lstrip("-").strip() for is_action, chunk in parts
                          if not is_action and chunk.strip()), "")
        out.append(_Line(text, literal, has_action, pattern, first))
        start = end + 1
    return out


_KEYWORD = re.compile(r"\{\{-?\s*(if|range|with|define|block|end)\b")


def blocks(template: str) -> list[tuple[str, str, int, int]]:
    """The template's blocks: (keyword, its action's text, first line, line of its `end`)."""
    stack: list[tuple[str, str, int]] = []
    out: list[tuple[str, str, int, int]] = []
    line, counted = 1, 0
    for match in _ACTION.finditer(template):
        keyword = _KEYWORD.match(match.group())
        if not keyword:
            continue
        line += template.count("\n", counted, match.start())
        counted = match.start()
        if keyword.group(1) == "end":
            if stack:
                kind, text, start = stack.pop()
                out.append((kind, text, start, line))
        else:
            stack.append((keyword.group(1), match.group(), line))
    return out


def align(template: str, rendered: Sequence[str]) -> list[int]:
    """For each rendered line, the template line (1-based) that wrote it, or 0."""
    if "{{" not in template:
        return _align_static(template, rendered)
    lines = _lines(template)
    # Lines without an action match by their text alone: a dict, not a regex per line (a
    # chart's CRD templates are thousands of such lines).
    by_text: dict[str, list[int]] = {}
    wanted: list[tuple[int, _Line]] = []
    for j, line in enumerate(lines, 1):
        if line.pattern is None:
            continue
        if line.action or line.text.lstrip().startswith("---"):  # `---# text` splits: the regex knows
            wanted.append((j, line))
        else:
            by_text.setdefault(line.text.strip(), []).append(j)
    candidates: list[list[int]] = []
    for text in rendered:
        stripped = text.strip()
        if not stripped:
            candidates.append([])
            continue
        found = [j for j, line in wanted if line.first in stripped
                 and line.pattern.fullmatch(stripped) is not None]  # type: ignore[union-attr]
        literal = by_text.get(stripped)
        candidates.append(sorted(found + literal) if literal and found else (literal or found))
    mapping = _longest_chain(candidates)
    loops = [(start, end) for kind, _, start, end in blocks(template) if kind == "range"]
    if loops:
        _fill_repeats(mapping, candidates, loops)
    return mapping


def _align_static(template: str, rendered: Sequence[str]) -> list[int]:
    """A template with no action renders as written: walk both in step (linear)."""
    lines = [line.strip() for line in template.split("\n")]
    mapping = [0] * len(rendered)
    j = 0
    for i, text in enumerate(rendered):
        stripped = text.strip()
        if not stripped:
            continue
        k = j
        while k < len(lines) and lines[k] != stripped and lines[k].removeprefix("---").strip() != stripped:
            k += 1
        if k < len(lines):
            mapping[i] = k + 1
            j = k + 1
    return mapping


def _longest_chain(candidates: list[list[int]]) -> list[int]:
    """The longest chain of (rendered i, template j) pairs, both increasing."""
    tails: list[int] = []  # tails[k]: the smallest j ending a chain of length k+1
    ends: list[int] = []  # the node of that chain's end
    nodes: list[tuple[int, int, int]] = []  # (i, j, previous node)
    for i, js in enumerate(candidates):
        for j in sorted(js, reverse=True):
            k = bisect.bisect_left(tails, j)
            node = len(nodes)
            nodes.append((i, j, ends[k - 1] if k > 0 else -1))
            if k == len(tails):
                tails.append(j)
                ends.append(node)
            else:
                tails[k] = j
                ends[k] = node
    mapping = [0] * len(candidates)
    node = ends[-1] if ends else -1
    while node >= 0:
        i, j, node = nodes[node]
        mapping[i] = j
    return mapping


def _fill_repeats(mapping: list[int], candidates: list[list[int]], loops: list[tuple[int, int]]) -> None:
    """Lines a `range` wrote again (a second port, a second container): the body line they
    match, in order, when the mapped line before them is in the same loop."""
    following = _next_mapped(mapping)
    previous = 0
    for i, j in enumerate(mapping):
        if j:
            previous = j
            continue
        if not candidates[i] or not previous:
            continue
        after = following[i]
        # a loop the previous mapped line is in or before, and the next one is in or after
        fits = sorted(c for c in candidates[i] for s, e in loops
                      if s <= c <= e and previous <= e and (c < after or s <= after <= e))
        if fits:
            later = [c for c in fits if c > previous]
            mapping[i] = previous = (later or fits)[0]


def _next_mapped(mapping: Sequence[int]) -> list[int]:
    """For each line, the template line of the next mapped line after it (or a large number)."""
    out = [0] * len(mapping)
    upcoming = 1 << 30
    for i in range(len(mapping) - 1, -1, -1):
        out[i] = upcoming
        if mapping[i]:
            upcoming = mapping[i]
    return out


def producers(template: str, mapping: Sequence[int]) -> list[int]:
    """For each unmapped rendered line, the template line of the action that wrote it (the
    first `include`/`toYaml`/… line from the mapped line before it to the one after), or 0."""
    lines = _lines(template)
    out = [0] * len(mapping)
    previous = 0
    next_mapped = _next_mapped(mapping)
    for i, j in enumerate(mapping):
        if j:
            previous = j
            continue
        following = min(next_mapped[i], len(lines) + 1)
        low = max(previous, 1)
        found = 0
        for k in range(low, min(following, len(lines) + 1)):
            line = lines[k - 1]
            if line.action and _PRODUCER.search(line.text):
                found = k
                break
        if not found:
            found = next((k for k in range(previous + 1, min(following, len(lines) + 1))
                          if lines[k - 1].action), 0)
        out[i] = found
    return out

"""Helm charts rendered as Helm renders them, each rendered line mapped to its template line.

A chart's templates are not YAML until rendered: linted raw they give only
`unrendered-template` findings. `render()` runs `helm template` when the helm binary is on
PATH, else Helm's own Go SDK in-process through helm-python-sdk (`kubelint[helm]`), and splits
each template's output into documents with Helm's own rule: a `---` at the start of a line is
a separator even when text is glued to it (cert-manager's `---# Permission to …`, where a
`{{- if -}}` trimmed the newline), which a YAML parser would read as one document.

Each document keeps a line map to its template (align.py): a line diff that reads `{{ … }}`
as a wildcard. Most rendered lines map one to one; lines that `include` or `toYaml` produced
map to no template line, and `position()` then finds the field in the helper that wrote it
(and says which helper), or the action line that included it.

Renderings are cached by content (the chart's files, the values, the options) in kubelint's
cache directory; KUBELINT_NO_CACHE=1 turns that off.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kubelint.project.align import align, blocks, producers

CHART_FILE = "Chart.yaml"
DEFAULT_RELEASE = "release-name"  # what `helm template` calls a release it is not told the name of
DEFAULT_NAMESPACE = "default"
# Helm's releaseutil.SplitManifests: `---` at the start of the text or of a line, with the
# whitespace around it, separates documents, whatever follows it on its line.
_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")
_ERROR_AT = re.compile(r"([^\s():]+?\.(?:yaml|yml|tpl|txt|json)):(\d+)(?::(\d+))?")
_TIMEOUT = 120


@dataclass(frozen=True)
class RenderError:
    """A render Helm refused: the template file and line it names (when it names one)."""

    chart: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class RenderedDocument:
    """One document of a template's output.

    `text` is what is linted; `lines[i]` is the template line (1-based) that wrote line i+1 of
    `text`, or 0 where none did (an `include`, a `toYaml`); `via[i]` then names the template
    line of the action that wrote it, and `helpers[i]`, when the line of a helper's `define`
    wrote it, is (helper name, file, line). `source` is Helm's name of the template
    ("mychart/templates/deployment.yaml"); `template` the file, named like the chart."""

    chart: str
    template: str
    source: str
    index: int
    text: str
    lines: tuple[int, ...]
    via: tuple[int, ...] = ()
    helpers: tuple[tuple[str, str, int] | None, ...] = ()


@dataclass
class RenderResult:
    chart: str  # the chart directory, as given
    name: str = ""  # the chart's name (Chart.yaml)
    tool: str = ""  # "helm" or "helm-python-sdk"
    documents: list[RenderedDocument] = field(default_factory=list)
    error: RenderError | None = None
    notes: str = ""  # NOTES.txt as rendered (never linted)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class TemplatePosition:
    """Where a rendered line or field was written: `exact` when the line is the template's own
    line; otherwise the line of the helper (`helper` names it) or of the action that wrote it."""

    file: str
    line: int
    exact: bool = True
    helper: str | None = None
    # the value the line writes, when the template takes it from values: (".Values.a.b",
    # the values file that sets it, its line there)
    value: tuple[str, str, int] | None = None


# ------------------------------------------------------------------------------ charts

def is_chart(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, CHART_FILE))


def find_charts(paths: Sequence[str]) -> list[str]:
    """The chart directories among `paths` and below them (a chart's own `charts/` are its
    subcharts, rendered with it, not charts of their own), sorted."""
    found: set[str] = set()
    for path in paths:
        if os.path.isfile(path):
            chart = chart_of(path)
            if chart:
                found.add(chart)
            continue
        for directory, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if CHART_FILE in files:
                found.add(os.path.normpath(directory))
                dirs[:] = []  # its subcharts render with it
    return sorted(found)


def chart_of(path: str) -> str | None:
    """The chart a file belongs to: the outermost directory with a Chart.yaml above it (a
    subchart's file belongs to the chart that renders it)."""
    directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
    found = None
    while True:
        if is_chart(directory):
            found = directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if found is None:
        return None
    if os.path.isabs(path):
        return found
    return os.path.relpath(found)


def find_helm() -> str | None:
    return shutil.which("helm")


def sdk_available() -> bool:
    """Whether helm-python-sdk is installed. Found, not imported: loading Helm's Go library
    took 50 ms of every run with a chart, though an unchanged chart is read from the render
    cache; an install that cannot load says so when a chart is rendered (_with_sdk)."""
    import importlib.util

    try:
        return importlib.util.find_spec("helm_python") is not None
    except (ImportError, ValueError):
        return False


# ------------------------------------------------------------------------------ rendering

def render(chart_dir: str, values_files: Sequence[str] = (), set_values: Sequence[str] = (),
           release_name: str = DEFAULT_RELEASE, namespace: str = DEFAULT_NAMESPACE,
           tool: str | None = None, cache: bool = True) -> RenderResult:
    """Render a chart as `helm template` does, with `--values` files and `--set k=v` in order.

    `tool` is "helm" or "sdk" (default: the helm binary when on PATH, else helm-python-sdk).
    Never raises for a bad chart: the error comes back in `RenderResult.error`.

        result = render("charts/web", values_files=["prod.yaml"], set_values=["replicas=3"])
        for doc in result.documents:
            doc.template, doc.text, template_position(doc, 5)
    """
    result = RenderResult(chart_dir)
    if tool is None:
        tool = "helm" if find_helm() else "sdk" if sdk_available() else None
    if tool is None:
        result.error = RenderError(chart_dir, "no helm binary on PATH and helm-python-sdk is not installed "
                                              "(pip install 'kubelint[helm]')")
        return result
    options = {"values_files": list(values_files), "set": list(set_values), "release": release_name,
               "namespace": namespace, "tool": tool, "helm": find_helm() if tool == "helm" else None}
    if not cache:
        return _render(chart_dir, options)[0]
    from kubelint.project.rendercache import cached, content_key

    key = content_key([*chart_files(chart_dir), *values_files], {**options, "chart": chart_dir, "cwd": os.getcwd()})

    def run() -> tuple[Any, bool]:
        rendered, keep = _render(chart_dir, options)
        return _to_json(rendered), keep

    return _from_json(cached("helm", key, run))


def chart_files(chart_dir: str) -> list[str]:
    """Every file of a chart and its subcharts: what a rendering depends on."""
    out: list[str] = []
    for directory, dirs, files in os.walk(chart_dir):
        dirs[:] = sorted(d for d in dirs if d not in (".git", "node_modules"))
        out.extend(os.path.join(directory, f) for f in sorted(files))
    return out


def _render(chart_dir: str, options: dict[str, Any]) -> tuple[RenderResult, bool]:
    result = RenderResult(chart_dir, tool="helm" if options["tool"] == "helm" else "helm-python-sdk")
    try:
        if options["tool"] == "helm":
            templates, name, keep = _with_binary(chart_dir, options, result)
        else:
            templates, name, keep = _with_sdk(chart_dir, options, result)
    except Exception as exc:  # a library failure must not end the run
        result.error = RenderError(chart_dir, f"{result.tool} failed: {type(exc).__name__}: {exc}")
        return result, False
    result.name = name
    if result.error is not None:
        return result, keep
    known = defines(chart_dir)
    for source in sorted(templates):
        text = templates[source]
        base = source.rsplit("/", 1)[-1]
        if base == "NOTES.txt":
            result.notes = text
            continue
        if base.startswith("_") or not text.strip():
            continue  # partials render nothing of their own
        file = _file_of(chart_dir, source)
        result.documents.extend(_documents(chart_dir, file, source, text, known))
    return result, True


def _with_sdk(chart_dir: str, options: dict[str, Any], result: RenderResult) -> tuple[dict[str, str], str, bool]:
    try:
        import helm_python
    except (ImportError, OSError) as exc:  # installed, yet its library does not load here
        result.error = RenderError(chart_dir, f"helm-python-sdk is installed but cannot load: {_words(exc)}")
        return {}, "", False

    values: dict[str, Any] = {}
    try:
        for path in options["values_files"]:
            with open(path, encoding="utf-8") as handle:
                _merge(values, helm_python.values_from_yaml(handle.read()))
        for expression in options["set"]:
            _merge(values, helm_python.parse_set_string(expression))
    except (OSError, UnicodeDecodeError, helm_python.HelmError) as exc:
        result.error = RenderError(chart_dir, f"cannot read the values: {_words(exc)}")
        return {}, "", True
    try:
        with helm_python.Chart.load(chart_dir) as chart:
            name = chart.name
            try:
                return chart.render(values, name=options["release"], namespace=options["namespace"]), name, True
            except helm_python.HelmError as exc:
                result.error = _error(chart_dir, _words(exc), name)
                return {}, name, True
    except helm_python.HelmError as exc:
        result.error = _error(chart_dir, _words(exc), "")
        return {}, "", True


def _with_binary(chart_dir: str, options: dict[str, Any], result: RenderResult) -> tuple[dict[str, str], str, bool]:
    command = [options["helm"] or "helm", "template", options["release"], chart_dir,
               "--namespace", options["namespace"]]
    for path in options["values_files"]:
        command += ["--values", path]
    for expression in options["set"]:
        command += ["--set", expression]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, check=False,
                              env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()})
    except (OSError, subprocess.SubprocessError) as exc:
        result.error = RenderError(chart_dir, f"helm could not run: {exc}")
        return {}, "", False
    name = _chart_name(chart_dir)
    if done.returncode != 0:
        result.error = _error(chart_dir, done.stderr.strip().removeprefix("Error: "), name)
        return {}, name, True
    return _by_source(done.stdout), name, True


def _by_source(output: str) -> dict[str, str]:
    """`helm template` output → template name → its text (each part starts `# Source: x`)."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for part in re.split(r"(?m)^---\s*\n(?=# Source: )", output):
        match = re.match(r"# Source: (\S+)\n", part)
        if match:
            current = match.group(1)
            out.setdefault(current, []).append(part[match.end():])
        elif current is not None:
            out[current].append(part)
    return {k: "\n---\n".join(v) for k, v in out.items()}


def _chart_name(chart_dir: str) -> str:
    from kubelint.project.files import first_object

    meta = first_object(os.path.join(chart_dir, CHART_FILE))
    name = meta.get("name") if isinstance(meta, dict) else None
    return name if isinstance(name, str) else os.path.basename(os.path.normpath(chart_dir))


def _merge(into: dict[str, Any], values: Any) -> None:
    """Helm's coalescing of user values: maps merge key by key, anything else replaces."""
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _words(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "detail", None) or exc).split())


def _file_of(chart_dir: str, source: str) -> str:
    """Helm's template name ("nginx/charts/common/templates/_x.tpl") → the file, named like
    the chart directory."""
    inside = source.split("/", 1)[1] if "/" in source else source
    return os.path.normpath(os.path.join(chart_dir, inside))


def _error(chart_dir: str, message: str, name: str) -> RenderError:
    """The render error at the first template position its message names."""
    for match in _ERROR_AT.finditer(message):
        source = match.group(1)
        if "/" not in source:
            continue
        file = _file_of(chart_dir, source)
        if os.path.isfile(file):
            column = int(match.group(3)) if match.group(3) else None
            return RenderError(chart_dir, message, file, int(match.group(2)), column)
    return RenderError(chart_dir, message)


# ------------------------------------------------------------------------------ documents

def split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Helm's split of one template's output: (offset in `text`, document text), each trimmed
    of surrounding whitespace, empty ones dropped."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    position = 0
    for match in [*_SEPARATOR.finditer(stripped), None]:
        end = match.start() if match is not None else len(stripped)
        piece = stripped[position:end]
        if piece.strip() and piece.strip() != "---":  # a bare `---` after another: no document
            start = position + (len(piece) - len(piece.lstrip()))
            yield lead + start, piece.strip()
        if match is not None:
            position = match.end()


def _documents(chart_dir: str, file: str, source: str, text: str, known: Defines) -> list[RenderedDocument]:
    try:
        with open(file, encoding="utf-8-sig") as handle:
            template = handle.read()
    except (OSError, UnicodeDecodeError):
        template = ""
    pieces = list(split_documents(text))
    rendered = [line for _, piece in pieces for line in piece.split("\n")]
    mapping = align(template, rendered)
    via = producers(template, mapping)
    helpers = _through_helpers(known, rendered, mapping, via, template)
    out: list[RenderedDocument] = []
    at = 0
    for index, (_, piece) in enumerate(pieces):
        count = piece.count("\n") + 1
        out.append(RenderedDocument(chart_dir, file, source, index, piece, tuple(mapping[at:at + count]),
                                    tuple(via[at:at + count]), tuple(helpers[at:at + count])))
        at += count
    return out


Defines = dict[str, tuple[str, int, str]]
_DEFINE = re.compile(r"define\s+\"([^\"]+)\"")


def defines(chart_dir: str) -> Defines:
    """Every `{{ define "name" }}` of a chart and its subcharts: name → (file, the line its
    body starts on, the body's text)."""
    return _defines(tuple(chart_files(chart_dir)))


@functools.lru_cache(maxsize=16)
def _defines(files: tuple[str, ...]) -> Defines:
    out: Defines = {}
    for file in files:
        if "/templates/" not in file.replace(os.sep, "/"):
            continue
        try:
            with open(file, encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        if "define" not in text:
            continue
        lines = text.split("\n")
        for kind, action, start, end in blocks(text):
            name = _DEFINE.search(action) if kind == "define" else None
            if name and name.group(1) not in out:
                out[name.group(1)] = (file, start + 1, "\n".join(lines[start:end - 1]))
    return out


def _through_helpers(known: Defines, rendered: Sequence[str], mapping: Sequence[int], via: Sequence[int],
                     template: str, depth: int = 0) -> list[tuple[str, str, int] | None]:
    """The lines an `include` wrote, aligned to the helper's own lines (helpers that include
    helpers too, a few levels deep)."""
    out: list[tuple[str, str, int] | None] = [None] * len(rendered)
    if depth > 3 or not known:
        return out
    lines = template.split("\n")
    i = 0
    while i < len(rendered):
        if mapping[i] or not via[i]:
            i += 1
            continue
        k = i
        while k < len(rendered) and not mapping[k] and via[k] == via[i]:
            k += 1
        action = lines[via[i] - 1] if via[i] <= len(lines) else ""
        name = _included(action)
        # `include | fromYaml | … | toYaml` re-sorts the keys: its lines follow no line order
        define = known.get(name) if name and not _REORDERS.search(action) else None
        if define is not None:
            file, first, body = define
            run = rendered[i:k]
            inner = align(body, run)
            for t, line in enumerate(inner):
                if line:
                    out[i + t] = (name, file, first + line - 1)  # type: ignore[assignment]
            deeper = _through_helpers(known, run, inner, producers(body, inner), body, depth + 1)
            for t, found in enumerate(deeper):
                if found is not None and out[i + t] is None:
                    out[i + t] = found
        i = k
    return out


# ------------------------------------------------------------------------------ positions

def template_position(doc: RenderedDocument, line: int) -> tuple[str, int] | None:
    """The template file and line that wrote line `line` (1-based) of a rendered document,
    or None where no template line did (it came through `include` or `toYaml`)."""
    if 1 <= line <= len(doc.lines) and doc.lines[line - 1]:
        return doc.template, doc.lines[line - 1]
    if 1 <= line <= len(doc.helpers) and doc.helpers[line - 1]:
        _, file, number = doc.helpers[line - 1]  # type: ignore[misc]
        return file, number
    return None


def position(doc: RenderedDocument, line: int, path: Sequence[Any] = (),
             values_files: Sequence[str] = ()) -> TemplatePosition | None:
    """Where to report a finding on line `line` of a rendered document, about field `path`.

    The template's own line when the line maps (or the helper's line an `include` wrote it
    from); else, for an `include` of a helper whose lines do not follow (`fromYaml | toYaml`
    re-sorts them), the line of the helper's `define` that writes the field's key, with the
    helper's name; else the line of the action that wrote it. When that line takes its value
    from `.Values`, `value` says which and where `values_files` (later files win; by default
    the chart's values.yaml) set it."""
    found = template_position(doc, line)
    if found is not None:
        through = doc.helpers[line - 1] if 1 <= line <= len(doc.helpers) else None
        at = TemplatePosition(*found, helper=through[0] if through else None)
    elif 1 <= line <= len(doc.via) and doc.via[line - 1]:
        action_line = doc.via[line - 1]
        action = _template_line(doc.template, action_line)
        helper = _included(action)
        key = next((p for p in reversed(list(path)) if isinstance(p, str)), None)
        in_helper = helper_line(doc.chart, helper, key) if helper else None
        if in_helper is not None:
            at = TemplatePosition(in_helper[0], in_helper[1], False, helper)
        else:
            at = TemplatePosition(doc.template, action_line, False, helper)
            value = _values_reference(action, doc, values_files, key, _line_of(doc, line))
            return TemplatePosition(at.file, at.line, False, helper, value) if value else at
    else:
        return None
    value = _values_reference(_template_line(at.file, at.line), doc, values_files, None, _line_of(doc, line))
    return TemplatePosition(at.file, at.line, at.exact, at.helper, value) if value else at


def _line_of(doc: RenderedDocument, line: int) -> str:
    lines = doc.text.split("\n")
    return lines[line - 1] if 1 <= line <= len(lines) else ""


_VALUES_REF = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def _values_reference(text: str, doc: RenderedDocument, values_files: Sequence[str],
                      key: str | None, rendered: str = "") -> tuple[str, str, int] | None:
    """The `.Values.a.b` a template line reads and where a values file sets it (with a key
    below it, for a `toYaml` of a whole block: the line of that key inside the block). Of
    several (`{{ .repository }}:{{ .tag }}`), the last whose value the rendered line shows."""
    from kubelint.project.files import documents

    files = list(values_files) or [os.path.join(doc.chart, "values.yaml")]
    found: list[tuple[str, str, int, bool]] = []
    for match in _VALUES_REF.finditer(text):
        dotted = tuple(match.group(1).lstrip(".").split("."))
        for file in reversed(files):
            parsed = documents(file)
            values = parsed[0] if parsed else None
            if values is None or values.node(dotted) is None:
                continue
            below = _key_below(values, dotted, key) if key else None
            span = values.node(below or dotted)
            if span is not None:
                value = _get(values.obj, dotted)
                shown = isinstance(value, (str, int, float)) and str(value) in rendered
                found.append((".Values." + ".".join(dotted), file, (span.key or span.value).line, shown))
            break
    if not found:
        return None
    best = [f for f in found if f[3]] or found[:1]
    return best[-1][:3]


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def _key_below(values: Any, path: tuple[Any, ...], key: str) -> tuple[Any, ...] | None:
    for candidate in values.paths():
        if len(candidate) > len(path) and candidate[:len(path)] == path and candidate[-1] == key:
            return candidate
    return None


_REORDERS = re.compile(r"\bfromYaml\b")
_INCLUDE = re.compile(r"\b(?:include|template)\s+\"([^\"]+)\"")


def _included(action: str) -> str | None:
    match = _INCLUDE.search(action)
    return match.group(1) if match else None


def _template_line(file: str, line: int) -> str:
    try:
        with open(file, encoding="utf-8-sig") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text
    except (OSError, UnicodeDecodeError):
        pass
    return ""


def helper_line(chart_dir: str, helper: str, key: str | None = None) -> tuple[str, int] | None:
    """The file and line of `{{ define "helper" }}` in a chart (its subcharts included), or of
    the line in that definition that writes `key:`."""
    pattern = re.compile(r"\{\{-?\s*define\s+\"" + re.escape(helper) + r"\"")
    for file in chart_files(chart_dir):
        if "/templates/" not in file.replace(os.sep, "/"):
            continue
        try:
            with open(file, encoding="utf-8-sig") as handle:
                lines = handle.read().split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        for number, text in enumerate(lines, 1):
            if not pattern.search(text):
                continue
            if key:
                written = re.compile(r"^\s*(?:-\s+)?[\"']?" + re.escape(key) + r"[\"']?\s*:")
                for offset, body in enumerate(lines[number:], number + 1):
                    if re.search(r"\{\{-?\s*end\s*-?\}\}\s*$", body) and not body.startswith(" "):
                        break  # the definition's own end, at the left margin
                    if written.match(body):
                        return file, offset
            return file, number
    return None


# ------------------------------------------------------------------------------ cache form

def _to_json(result: RenderResult) -> dict[str, Any]:
    import dataclasses

    return {"chart": result.chart, "name": result.name, "tool": result.tool, "notes": result.notes,
            "error": None if result.error is None else dataclasses.asdict(result.error),
            "documents": [{**dataclasses.asdict(d), "lines": list(d.lines), "via": list(d.via),
                           "helpers": [list(h) if h else None for h in d.helpers]} for d in result.documents]}


def _from_json(data: dict[str, Any]) -> RenderResult:
    documents = [RenderedDocument(d["chart"], d["template"], d["source"], d["index"], d["text"],
                                  tuple(d["lines"]), tuple(d["via"]),
                                  tuple(tuple(h) if h else None for h in d["helpers"]))  # type: ignore[misc]
                 for d in data["documents"]]
    error = RenderError(**data["error"]) if data["error"] else None
    return RenderResult(data["chart"], data["name"], data["tool"], documents, error, data["notes"])

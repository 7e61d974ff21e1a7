"""Helm charts and Kustomize roots linted as what they deploy, each finding at its source line.

Why: a chart's templates are not YAML until rendered, and an overlay's objects exist only once
kustomize has built them (its `images:` tag, name prefix and patches are nowhere else). The
rules see the rendered objects, cross-object rules included, and each finding is moved back
to the line a person wrote: the template line (engine of kubelint/project/helm.py), or the
origin file, kustomization entry or patch (kubelint/project/kustomize_map.py). Nothing here
edits a user's file; a render that fails is a finding at its template or kustomization.
"""

from __future__ import annotations

import functools
import glob
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kubelint.kube.workloads import get_path
from kubelint.model import Document, FieldPath, Finding, Rule
from kubelint.source import SourceResult, load_text, read_lines, real_path

_PATH_PART = re.compile(r'\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def parse_path(text: str) -> FieldPath:
    """`spec.containers[0].image` → ("spec", "containers", 0, "image"): format_path reversed."""
    out: list[Any] = []
    at = 0
    while at < len(text):
        match = _PATH_PART.match(text, at)
        if match is None:
            break
        if match.group(1) is not None:
            out.append(match.group(1))
        elif match.group(2) is not None:
            out.append(int(match.group(2)))
        else:
            out.append(re.sub(r"\\(.)", r"\1", match.group(3)))
        at = match.end()
    return tuple(out)


@dataclass
class Rendering:
    """What rendering a project gave: virtual sources to lint, how to move their findings back,
    the input files the rendering stands for (not linted raw), and findings of its own."""

    sources: list[SourceResult] = field(default_factory=list)
    remaps: dict[str, Callable[[Finding], Finding]] = field(default_factory=dict)
    consumed: set[str] = field(default_factory=set)  # real paths
    findings: list[Finding] = field(default_factory=list)
    # virtual file → the root it was built from, for "(in overlays/a, overlays/b)"
    roots: dict[str, str] = field(default_factory=dict)
    # virtual file → the text rendered, which keys its outcome in the result cache
    texts: dict[str, str] = field(default_factory=dict)


def _finding(rule: Rule | None, message: str, file: str, line: int = 1, column: int = 1) -> list[Finding]:
    if rule is None or not rule.enabled:
        return []
    return [Finding(rule=rule.id, severity=rule.severity, message=rule.message(detail=message), file=file, line=line, column=column,
                    end_line=line, end_column=column)]


def _column(text: str, key: str | None) -> tuple[int, int]:
    """The column of `key:` on a template line (else its first non-blank) and the end column."""
    if key:
        at = text.find(f"{key}:")
        if at >= 0:
            return at + 1, at + 1 + len(key)
    stripped = len(text) - len(text.lstrip())
    return stripped + 1, len(text.rstrip()) + 1


def _read_line(path: str, line: int) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return ""
    lines = _template_lines(path, info.st_mtime_ns, info.st_size)
    return lines[line - 1] if 0 < line <= len(lines) else ""


@functools.lru_cache(maxsize=64)
def _template_lines(path: str, mtime: int, size: int) -> list[str]:
    """A template's lines, read once for all the findings moved into it (while it is unchanged)."""
    return read_lines(path)


# ----------------------------------------------------------------------------------- Helm


def render_chart(chart: str, options: Any, rules: dict[str, Rule]) -> Rendering:
    from kubelint.project import helm

    out = Rendering()
    templates = [p for p in _files_below(chart) if _is_template(chart, p)]
    out.consumed = {real_path(p) for p in templates}
    if getattr(options, "render", "auto") == "off" or not (helm.find_helm() or helm.sdk_available()):
        why = "rendering is off (render: off or --no-render)" if getattr(options, "render", "auto") == "off" \
            else "neither the `helm` binary nor the helm extra (pip install 'kubelint[helm]') is at hand"
        out.findings += _finding(rules.get("render-skipped"), f"Helm chart `{chart}` was not rendered: {why}; its "
                                 f"{len(templates)} template{'s' if len(templates) != 1 else ''} were not linted",
                                 os.path.join(chart, helm.CHART_FILE))
        return out
    missing = _missing_dependencies(chart)
    if missing:
        out.findings += _finding(rules.get("render-skipped"), f"Helm chart `{chart}` was not rendered: its "
                                 f"dependenc{'ies' if len(missing) > 1 else 'y'} {', '.join(missing)} "
                                 f"{'are' if len(missing) > 1 else 'is'} not in charts/ (run `helm dependency build`; "
                                 "kubelint never downloads them); its templates were not linted",
                                 os.path.join(chart, helm.CHART_FILE))
        return out
    values_files = list(getattr(options, "helm_values", []))
    result = _render(helm, chart, options, values_files)
    if result.error is not None and not values_files and not getattr(options, "helm_set", []):
        # A chart that needs values (`required`) often ships them for chart-testing: ci/*-values.yaml
        for candidate in sorted(glob.glob(os.path.join(chart, "ci", "*values*.yaml"))):
            retried = _render(helm, chart, options, [candidate])
            if retried.error is None:
                result, values_files = retried, [candidate]
                break
    if result.error is not None:
        error = result.error
        out.findings += _finding(rules.get("render-failed"), f"Helm could not render chart `{chart}`: {error.message}",
                                 error.file or os.path.join(chart, helm.CHART_FILE), error.line or 1,
                                 error.column or 1)
        return out
    for doc in result.documents:
        name = f"{doc.template} (rendered #{doc.index + 1})"
        out.sources.append(load_text(doc.text, name))
        out.texts[name] = doc.text
        out.remaps[name] = _helm_remap(doc, values_files, chart)
    return out


def _render(helm: Any, chart: str, options: Any, values_files: list[str]) -> Any:
    return helm.render(chart, values_files=values_files, set_values=list(getattr(options, "helm_set", [])),
                       release_name=getattr(options, "release_name", "release-name"), namespace=options.namespace)


def _missing_dependencies(chart: str) -> list[str]:
    """The dependencies Chart.yaml names that charts/ lacks (as a directory or a .tgz)."""
    from kubelint.project.files import first_object

    meta = first_object(os.path.join(chart, "Chart.yaml"))
    dependencies = meta.get("dependencies") if isinstance(meta, dict) else None
    if not isinstance(dependencies, list):
        return []
    present = set()
    folder = os.path.join(chart, "charts")
    for entry in os.listdir(folder) if os.path.isdir(folder) else ():
        present.add(entry)
        present.add(re.sub(r"-\d[^/]*\.tgz$", "", entry))  # common-2.31.3.tgz
    missing = []
    for dependency in dependencies:
        if not isinstance(dependency, dict) or not isinstance(dependency.get("name"), str):
            continue
        if dependency.get("condition") and _disabled(chart, str(dependency["condition"])):
            continue
        if dependency["name"] not in present and str(dependency.get("alias") or "") not in present:
            missing.append(f"`{dependency['name']}`")
    return missing


def _disabled(chart: str, condition: str) -> bool:
    """Whether the chart's values.yaml turns a dependency's condition (`redis.enabled`) off."""
    from kubelint.project.files import first_object

    values = first_object(os.path.join(chart, "values.yaml"))
    for path in condition.split(","):
        node: Any = values
        for part in path.strip().split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is False:
            return True
    return False


def _archive_of(chart: str, template: str) -> str:
    """The .tgz in charts/ a packaged subchart's template came from (else Chart.yaml)."""
    parts = os.path.relpath(template, chart).split(os.sep)
    name = parts[1] if len(parts) > 2 and parts[0] == "charts" else ""
    for archive in sorted(glob.glob(os.path.join(chart, "charts", f"{name}*.tgz"))) if name else ():
        return archive
    return os.path.join(chart, "Chart.yaml")


def _files_below(directory: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files)]
    return found


def _is_template(chart: str, path: str) -> bool:
    """A file Helm renders: under templates/ of the chart or of a subchart below charts/."""
    parts = os.path.relpath(path, chart).split(os.sep)
    return "templates" in parts[:-1]


def _helm_remap(doc: Any, values_files: Sequence[str], chart: str = "") -> Callable[[Finding], Finding]:
    from kubelint.project import helm

    def remap(finding: Finding) -> Finding:
        path = parse_path(finding.path)
        if not os.path.exists(doc.template):  # a subchart packaged as a .tgz: point at the archive
            archive = _archive_of(chart, doc.template)
            return replace(finding, file=archive, line=1, column=1, end_line=1, end_column=1,
                           message=f"{finding.message} (in {doc.source}, packaged in {os.path.basename(archive)})")
        at = helm.position(doc, finding.line, path, values_files)
        if at is None:
            mapped = next((n for n in doc.lines if n), 1)
            at = helm.TemplatePosition(doc.template, mapped, False)
        key = next((p for p in reversed(path) if isinstance(p, str)), None)
        column, end = _column(_read_line(at.file, at.line), key)
        notes = []
        if at.helper and not at.exact:
            notes.append(f"written by helper `{at.helper}`")
        if at.value:
            expression, values_file, values_line = at.value
            notes.append(f"the value comes from {expression} ({values_file}:{values_line})")
        message = finding.message + (f" ({'; '.join(notes)})" if notes else "")
        return replace(finding, file=at.file, line=at.line, column=column, end_line=at.line, end_column=end,
                       message=message)

    return remap


# ------------------------------------------------------------------------------ Kustomize


def build_root(root: str, options: Any, rules: dict[str, Rule], tool: tuple[str, ...] | None) -> Rendering:
    from kubelint.project.kustomize import tree_files
    from kubelint.project.kustomize_build import build

    out = Rendering()
    if tool is None or getattr(options, "render", "auto") == "off":
        return out
    result = build(root, tool)
    if result.error is not None:
        # Not built: its files are linted one by one, as without kustomize, and the reason is
        # said at the kustomization (an error when kustomize refuses the tree; info when the
        # tree names a remote resource, which kubelint never fetches).
        error = result.error
        if error.message.startswith("not built: the tree names the remote resource"):
            out.findings += _finding(rules.get("render-skipped"), f"Kustomize root `{root}` was not built: "
                                     f"{error.message.removeprefix('not built: ')}; its files were linted one by one",
                                     error.kustomization)
        else:
            where = error.file if error.file and os.path.isfile(error.file) and _within(error.file, root) else \
                error.kustomization
            out.findings += _finding(rules.get("render-failed"), f"kustomize could not build `{root}`: {error.message}; "
                                     "its files were linted one by one", where)
        return out
    out.consumed = {real_path(p) for p in tree_files(root)}
    name = f"{result.kustomization} (built)"
    source = load_text(result.text, name)
    out.sources.append(source)
    out.texts[name] = result.text
    out.remaps[name] = _kustomize_remap(result, source.documents)
    out.roots[name] = root
    return out


def _within(path: str, directory: str) -> bool:
    path, directory = real_path(path), real_path(directory)
    return path.startswith(directory.rstrip(os.sep) + os.sep)


def _kustomize_remap(result: Any, documents: Sequence[Document]) -> Callable[[Finding], Finding]:
    """`documents`: the built text as linted (its findings' places); parsing it again for the
    remap took a fifth of a re-run of a tree of overlays."""
    from kubelint.project.kustomize_map import locate

    by_index = {doc.index: doc for doc in documents}

    def at_key(index: int, path: FieldPath, finding: Finding) -> bool:
        """Whether the finding points at the field's key in the built text (a finding about
        what a mapping lacks), so that it points at the key in the source too."""
        doc = by_index.get(index)
        node = doc.node(path) if doc is not None and doc.obj is not None else None
        return node is not None and node.key is not None and (node.key.line, node.key.column) == (
            finding.line, finding.column)

    def remap(finding: Finding) -> Finding:
        index = finding.document if finding.document is not None else 0
        if not 0 <= index < len(result.objects):
            return replace(finding, file=result.kustomization, line=1, column=1, end_line=1, end_column=1,
                           message=f"{finding.message} (after building {result.root})")
        built = result.objects[index]
        path = parse_path(finding.path)
        located = None
        try:
            value = get_path(built.obj, path)
            where = "key" if path and at_key(index, path, finding) else "value"
            located = locate(built, path, value, at=where) if value is not None else locate(built, path, at=where)
        except Exception:  # a field the build has and the sources do not say: the object
            located = None
        if located is None:
            try:
                located = locate(built, ())
            except Exception:
                located = None
        if located is None:
            return replace(finding, file=result.kustomization, line=1, column=1, end_line=1, end_column=1,
                           message=f"{finding.message} (after building {result.root})")
        note = "" if located.how == "origin" else f" ({located.note()})"
        # `document` counted the built stream's documents: not the source file's
        return replace(finding, file=located.file, line=located.line, column=located.column,
                       end_line=located.line, end_column=located.column, message=finding.message + note,
                       document=None)

    return remap


def kustomize_skipped(root: str, kustomization: str, rules: dict[str, Rule], off: bool) -> list[Finding]:
    why = "rendering is off (render: off or --no-render)" if off else \
        "neither `kustomize` nor `kubectl` is on PATH"
    return _finding(rules.get("render-skipped"), f"Kustomize root `{root}` was not built: {why}; its files were "
                    "linted one by one, without the overlay's images, names and patches", kustomization)


def merge_builds(findings: list[Finding], origins: dict[int, str]) -> list[Finding]:
    """A base built by several overlays: each finding once, naming the overlays that build it.

    `origins` maps id(finding) to the root it was built from, for findings of builds."""
    out: list[Finding] = []
    seen: dict[tuple[Any, ...], tuple[int, list[str]]] = {}
    for finding in findings:
        root = origins.get(id(finding))
        if root is None:
            out.append(finding)
            continue
        key = (finding.rule, finding.file, finding.line, finding.column, finding.message)
        if key in seen:
            seen[key][1].append(root)
            continue
        seen[key] = (len(out), [root])
        out.append(finding)
    for index, roots in seen.values():
        unique = sorted(set(roots))
        if len(unique) > 1:
            out[index] = replace(out[index], message=f"{out[index].message} (in {', '.join(unique)})")
    return out

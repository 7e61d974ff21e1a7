"""Building a Kustomize root with the real tool, without touching the user's files.

The root is built through a wrapper kustomization in a temporary directory: `resources:` names
the root by its relative path (kustomize loads a directory outside the kustomization's own,
and each kustomization of the tree keeps its own load restrictions, so the build is the one
the user gets) and `buildMetadata: [originAnnotations, transformerAnnotations]` makes
kustomize say where each object came from and which transformers changed it. Those two
annotations are the wrapper's, not the user's: they are read and then cut out of the text
(by the parser's positions, nothing re-dumped) before anything is linted.

Nothing is fetched: a tree naming a remote resource is not built. A failed build is a
`BuildError` at the root's kustomization, with kustomize's words.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any

from kubelint.model import Document
from kubelint.project.files import parse_text
from kubelint.source import real_path

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
TRANSFORMATIONS_ANNOTATION = "alpha.config.kubernetes.io/transformations"
BUILD_ANNOTATIONS = (ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION)
_TIMEOUT = 120  # seconds: a build of hundreds of objects takes about one


@dataclass(frozen=True)
class Transformation:
    """One transformer that changed an object: its kind (`ImageTagTransformer`,
    `PatchTransformer`, …) and the kustomization that configured it."""

    kind: str
    kustomization: str | None  # the kustomization file, named like the root
    api_version: str = "builtin"
    name: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where a built object came from. `file` is the resource file it was read from; a
    generated object (configMapGenerator, …) has none, and names its `kustomization` and
    `generator` instead. `root` is the kustomization root that was built."""

    root: str
    file: str | None = None
    kustomization: str | None = None
    generator: str | None = None
    transformations: tuple[Transformation, ...] = ()
    remote: str | None = None  # a `repo:` origin: outside the tree


@dataclass(frozen=True)
class BuiltObject:
    index: int  # the document's index in BuildResult.text
    obj: Any  # without the build annotations
    origin: Origin

    @property
    def kind(self) -> str | None:
        kind = self.obj.get("kind") if isinstance(self.obj, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def name(self) -> str | None:
        meta = self.obj.get("metadata") if isinstance(self.obj, dict) else None
        name = meta.get("name") if isinstance(meta, dict) else None
        return name if isinstance(name, str) else None


@dataclass(frozen=True)
class BuildError:
    """A build kustomize refused (or could not run): where to report it and kustomize's words."""

    kustomization: str  # the root's kustomization file, named like the root
    message: str
    file: str | None = None  # the file the message names, when it names one in the tree


@dataclass
class BuildResult:
    """A built root: its text as kustomize wrote it, less the build annotations; each
    document's object and origin (`objects[i]` is document i of `text`); or the error."""

    root: str
    kustomization: str
    tool: str = ""
    text: str = ""
    objects: list[BuiltObject] = field(default_factory=list)
    error: BuildError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def documents(self, name: str | None = None) -> list[Document]:
        """The built documents parsed by kubelint's parser, under a display `name` (by default
        "<root>/kustomization.yaml (built)")."""
        return parse_text(self.text, name or f"{self.kustomization} (built)")


def find_kustomize() -> tuple[str, ...] | None:
    """The command that builds a root: `kustomize build`, else `kubectl kustomize` (kustomize
    built into kubectl), or None when neither is on PATH."""
    kustomize = shutil.which("kustomize")
    if kustomize:
        return (kustomize, "build")
    kubectl = shutil.which("kubectl")
    if kubectl:
        return (kubectl, "kustomize")
    return None


def build(root: str, tool: tuple[str, ...] | None = None, timeout: float = _TIMEOUT,
          cache: bool = True) -> BuildResult:
    """Build the Kustomize root `root` (a directory) with `tool` (default `find_kustomize()`).

    Paths in the result are named the way `root` was given (relative stays relative). An
    unchanged tree is read back from the render cache (rendercache.py) unless `cache` is off.

        result = build("overlays/prod")
        if result.error: report(result.error.kustomization, result.error.message)
        for obj in result.objects: obj.origin.file, obj.origin.transformations
    """
    from kubelint.project.kustomize import find_kustomization, kustomize_files, tree_files

    found = find_kustomization(root)
    result = BuildResult(root, os.path.normpath(found or os.path.join(root, "kustomization.yaml")))
    if found is None:
        result.error = BuildError(result.kustomization, "no kustomization.yaml in this directory")
        return result
    tool = tool or find_kustomize()
    if tool is None:
        result.error = BuildError(result.kustomization, "neither kustomize nor kubectl is on PATH")
        return result
    result.tool = " ".join(os.path.basename(p) if i == 0 else p for i, p in enumerate(tool))
    remote = kustomize_files([real_path(found)]).remote.get(real_path(root))
    if remote:
        result.error = BuildError(result.kustomization, f"not built: the tree names the remote resource "
                                                        f"{remote[0]}, and kubelint never goes online")
        return result
    if not cache:
        return _build(root, tool, timeout, result)[0]
    from kubelint.project.rendercache import cached, content_key

    key = content_key(tree_files(root), {"root": root, "cwd": os.getcwd(), "tool": _tool_stamp(tool)})

    def render() -> tuple[Any, bool]:
        built, keep = _build(root, tool, timeout, result)
        return _to_json(built), keep

    return _from_json(cached("kustomize", key, render))


def _tool_stamp(tool: tuple[str, ...]) -> list[str]:
    try:
        info = os.stat(tool[0])
        return [*tool, str(info.st_size), str(info.st_mtime_ns)]
    except OSError:
        return list(tool)


def _build(root: str, tool: tuple[str, ...], timeout: float, result: BuildResult) -> tuple[BuildResult, bool]:
    """The build and whether it answers for the input (a timeout or a failed start does not)."""
    real_root = real_path(root)
    with tempfile.TemporaryDirectory(prefix="kubelint-kustomize-") as temp:
        wrapper = real_path(temp)
        try:
            relative = os.path.relpath(real_root, wrapper)
        except ValueError:  # another drive: kustomize takes an absolute path too
            relative = real_root
        import yaml  # here: a tree read back from the render cache needs no PyYAML (14 ms to import)

        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump({"resources": [relative],
                            "buildMetadata": ["originAnnotations", "transformerAnnotations"]}, handle)
        try:
            done = subprocess.run([*tool, wrapper], capture_output=True, text=True, timeout=timeout,
                                  cwd=wrapper, env=_offline_env(), check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            result.error = BuildError(result.kustomization, f"{result.tool} could not run: {exc}")
            return result, False
        if done.returncode != 0:
            result.error = _error(done.stderr or done.stdout, result.kustomization, wrapper, real_root, root)
            return result, True
        return _read_output(done.stdout, result, wrapper, real_root, root), True


def _to_json(result: BuildResult) -> dict[str, Any]:
    return {"root": result.root, "kustomization": result.kustomization, "tool": result.tool, "text": result.text,
            "error": None if result.error is None else dataclasses.asdict(result.error),
            "objects": [{"index": o.index, "obj": o.obj, "origin": dataclasses.asdict(o.origin)}
                        for o in result.objects]}


def _from_json(data: dict[str, Any]) -> BuildResult:
    def origin(d: dict[str, Any]) -> Origin:
        steps = tuple(Transformation(**t) for t in d.pop("transformations"))
        return Origin(**d, transformations=steps)

    error = data["error"]
    return BuildResult(data["root"], data["kustomization"], data["tool"], data["text"],
                       [BuiltObject(o["index"], o["obj"], origin(dict(o["origin"]))) for o in data["objects"]],
                       BuildError(**error) if error else None)


def _offline_env() -> dict[str, str]:
    """The environment without proxies kustomize might use (it fetches nothing: the tree was
    checked for remote resources) and with git prompts off."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _shown(path: str, wrapper: str, real_root: str, root: str) -> str:
    """A path of kustomize's output (relative to the wrapper) named the way the root was given."""
    real = os.path.normpath(os.path.join(wrapper, path))
    return os.path.normpath(os.path.join(root, os.path.relpath(real, real_root)))


_KUBECTL_ERROR = re.compile(r'"command failed" err=(?:"(.*)"|<\s*(.*?)\s*>)\s*$')
_ERROR_PATH = re.compile(r"(?<![\w/.])((?:\.\./|/)[^\s'\":]+)")


def _error(text: str, kustomization: str, wrapper: str, real_root: str, root: str) -> BuildError:
    """kustomize's message, its wrapper paths named like the root, one line."""
    lines = [line.strip() for line in text.strip().splitlines()
             if line.strip() and not line.lstrip().startswith("# Warning")]
    message = " ".join(lines)
    quoted = _KUBECTL_ERROR.search(message)  # kubectl logs it: E1207 … "command failed" err="…"
    if quoted:
        message = (quoted.group(1) or quoted.group(2) or "").replace('\\"', '"')
    message = message.removeprefix("Error: ").strip() or "the build failed"
    # the wrapper's own step ("accumulating resources from '<root>': … recursed accumulation
    # of path '<root>': ") says nothing about the user's tree
    wrapped = re.search(r"recursed accumulation of path '[^']*': ", message)
    if wrapped:
        message = message[wrapped.end():]
    else:
        message = re.sub(r"^accumulating resources: accumulation err='accumulating resources from '[^']*': "
                         r"'[^']*' must resolve to a file': ", "", message).removesuffix("'")
    file = None

    def rename(match: re.Match[str]) -> str:
        nonlocal file
        path = match.group(1)
        real = os.path.normpath(path if os.path.isabs(path) else os.path.join(wrapper, path))
        if real == wrapper or real.startswith(wrapper + os.sep):
            return "the root" if real == wrapper else os.path.relpath(real, wrapper)
        shown = _shown(real, wrapper, real_root, root)
        if os.path.isfile(real) and file is None:
            file = shown
        return shown

    message = _ERROR_PATH.sub(rename, message)
    message = message.replace(wrapper, "the root")
    return BuildError(kustomization, message, file)


def _read_output(text: str, result: BuildResult, wrapper: str, real_root: str, root: str) -> BuildResult:
    documents = parse_text(text, result.kustomization)
    lines = text.splitlines(keepends=True)
    cuts: list[tuple[int, int]] = []  # 0-based line ranges [start, end) to remove
    objects: list[BuiltObject] = []
    for index, doc in enumerate(documents):
        annotations = doc.obj.get("metadata", {}).get("annotations") if isinstance(doc.obj, dict) else None
        origin = Origin(root=root)
        if isinstance(annotations, dict):
            origin = _origin(annotations, wrapper, real_root, root)
            ours = [key for key in BUILD_ANNOTATIONS if key in annotations]
            if ours and len(ours) == len(annotations):
                cuts.append(_lines(doc, ("metadata", "annotations"), lines))
            else:
                cuts.extend(_lines(doc, ("metadata", "annotations", key), lines) for key in ours)
        objects.append(BuiltObject(index, _without_annotations(doc.obj), origin))
    drop: set[int] = set()
    for start, end in cuts:
        drop.update(range(start, end))
    result.text = "".join(line for n, line in enumerate(lines) if n not in drop)
    result.objects = objects
    return result


def _lines(doc: Document, path: tuple[str, ...], lines: list[str]) -> tuple[int, int]:
    """The 0-based lines a mapping entry takes, its key's line to the last of its value."""
    node = doc.node(path)
    if node is None:
        return (0, 0)
    first = (node.key or node.value).line - 1
    end = node.value
    last = end.end_line - 1
    # a block value ends where the next key starts: that line is not its own
    if last < len(lines) and not lines[last][: end.end_column - 1].strip():
        last -= 1
    return (first, max(first, last) + 1)


def _without_annotations(obj: Any) -> Any:
    if not isinstance(obj, dict) or not isinstance(obj.get("metadata"), dict):
        return obj
    meta = dict(obj["metadata"])
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        kept = {k: v for k, v in annotations.items() if k not in BUILD_ANNOTATIONS}
        if kept:
            meta["annotations"] = kept
        else:
            del meta["annotations"]
    return {**obj, "metadata": meta}


def _origin(annotations: dict[str, Any], wrapper: str, real_root: str, root: str) -> Origin:
    def shown(path: Any) -> str | None:
        return _shown(path, wrapper, real_root, root) if isinstance(path, str) and path else None

    origin = _load(annotations.get(ORIGIN_ANNOTATION))
    file = kustomization = generator = remote = None
    if isinstance(origin, dict):
        if isinstance(origin.get("repo"), str):
            remote = origin["repo"]
        else:
            file = shown(origin.get("path"))
        kustomization = shown(origin.get("configuredIn"))
        by = origin.get("configuredBy")
        if isinstance(by, dict) and isinstance(by.get("kind"), str):
            generator = by["kind"]
    transformations: list[Transformation] = []
    steps = _load(annotations.get(TRANSFORMATIONS_ANNOTATION))
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            continue
        by = step.get("configuredBy") if isinstance(step.get("configuredBy"), dict) else {}
        transformations.append(Transformation(str(by.get("kind") or ""), shown(step.get("configuredIn")),
                                              str(by.get("apiVersion") or "builtin"),
                                              by.get("name") if isinstance(by.get("name"), str) else None))
    return Origin(root, file, kustomization, generator, tuple(transformations), remote)


def _load(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None

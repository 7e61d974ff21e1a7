"""The input split into projects: the unit that run-wide rules, CRDs and a config belong to.

Why: a repository linted as one bag of files paired unrelated samples in cross-object rules,
judged one project's custom resources by another's CRDs and refused monorepos with a config
per team. A project is, found upward from each file and never above the path given:
- a Helm chart (a directory with Chart.yaml; its subcharts render with it);
- a Kustomize root (a directory whose kustomization no other kustomization of the input
  uses as a resource or component);
- a directory with its own `.kubelint.yaml`;
- otherwise the path given (a directory argument), or, for a file given alone, the
  repository holding it (the directory with `.git`) or else the file itself.

A file given alone (pre-commit, an editor) is linted in its project's context: the
project's other files are read for their CRDs and objects, and never reported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from kubelint.model import Record
from kubelint.settings import config_in, nearest_config
from kubelint.source import discover, real_path

CHART_FILE = "Chart.yaml"
KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# A file alone in a big repository: its context is at most this many files (beyond, only the
# files that define CRDs), so that a pre-commit run stays quick however big the repository.
MAX_CONTEXT_FILES = 2000


class Project(Record):
    """A set of files linted with one configuration. A plain class with slots (model.Record),
    not a dataclass, which every start-up made."""

    __slots__ = ("root", "kind", "files", "context", "config", "alone")

    def __init__(self, root: str, kind: str, files: list[str] | None = None, context: list[str] | None = None,
                 config: str | None = None, alone: bool = False) -> None:
        self.root = root  # the directory (or the file) that bounds it, as the user would read it
        self.kind = kind  # chart | kustomize | config | repository | path | files | stdin
        self.files: list[str] = [] if files is None else files  # linted and reported
        self.context: list[str] = [] if context is None else context  # read for CRDs and objects, never reported
        self.config = config  # the .kubelint.yaml that applies to its files
        # Made of files given alone (pre-commit, an editor): only findings in them are reported.
        self.alone = alone

    @property
    def how(self) -> str:
        return {"chart": "a Helm chart (Chart.yaml)", "kustomize": "a Kustomize root",
                "config": "a directory with its own .kubelint.yaml",
                "repository": "the repository (.git) holding the files given",
                "path": "the path given", "files": "the files given, in no repository or project",
                "stdin": "standard input"}[self.kind]


def _is_chart(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, CHART_FILE))


def _has_kustomization(directory: str) -> bool:
    return any(os.path.isfile(os.path.join(directory, name)) for name in KUSTOMIZATIONS)


class _Boundaries:
    """Which directories bound a project, worked out once per directory."""

    def __init__(self, used_kustomizations: set[str]) -> None:
        # real paths of directories whose kustomization another one uses (bases, components)
        self.used = used_kustomizations
        self.memo: dict[str, str | None] = {}
        # (directory, stop) → the bounding directory and its kind: a tree's files share folders
        self.roots: dict[tuple[str, str | None], tuple[str, str] | None] = {}

    def kind(self, directory: str) -> str | None:
        known = self.memo.get(directory, "?")
        if known != "?":
            return known
        found: str | None = None
        if _is_chart(directory):
            found = "chart"
        elif _has_kustomization(directory) and real_path(directory) not in self.used:
            found = "kustomize"
        elif config_in(directory):
            found = "config"
        self.memo[directory] = found
        return found

    def outermost_chart(self, start: str, stop: str) -> str | None:
        """A subchart's files belong to the chart that renders them: the outermost chart."""
        found = None
        directory = start
        while True:
            if _is_chart(directory):
                found = directory
            if directory == stop:
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return found

    def root(self, path: str, stop: str | None) -> tuple[str, str] | None:
        """The nearest bounding directory of `path` at or below `stop` (None: up to the top),
        named as `path` is (relative or absolute)."""
        directory = os.path.dirname(os.path.abspath(path))
        key = (directory, stop)
        if key not in self.roots:
            self.roots[key] = self._root_of(directory, os.path.abspath(stop) if stop is not None else None)
        found = self.roots[key]
        return None if found is None else (_shown(found[0], path), found[1])

    def _root_of(self, directory: str, stop_abs: str | None) -> tuple[str, str] | None:
        """The bounding directory (absolute) and its kind, from `directory` up."""
        while True:
            kind = self.kind(directory)
            if kind == "chart":
                return self.outermost_chart(directory, stop_abs or "/") or directory, "chart"
            if kind is not None:
                return directory, kind
            if stop_abs is not None and directory == stop_abs:
                return None
            parent = os.path.dirname(directory)
            if parent == directory or (stop_abs is None and os.path.isdir(os.path.join(directory, ".git"))):
                return None
            directory = parent


def _repository_of(path: str) -> str | None:
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _shown(path: str, like: str) -> str:
    """`path` relative when the user's path was relative, absolute when it was absolute."""
    if os.path.isabs(like):
        return os.path.abspath(path)
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def split(paths: Sequence[str], files: Sequence[str], exclude: Sequence[str] = (),
          stdin_filename: str | None = None, used_kustomizations: set[str] | None = None,
          context: bool = True) -> list[Project]:
    """The projects of a run, sorted by root; every file of `files` in exactly one of them.

    `context` False: a file given alone is a project of its own, as a library caller linting
    one file expects; the CLI (pre-commit, an editor's buffer) lints it in its project."""
    bounds = _Boundaries(used_kustomizations or set())
    given_dirs = [p for p in paths if p != "-" and os.path.isdir(p)]
    projects: dict[tuple[str, str], Project] = {}
    alone: list[str] = []
    for path in files:
        if path == "-":
            continue
        # The directory argument the file was found under (the deepest, when they nest).
        under = max((d for d in given_dirs if _within(path, d)), key=len, default=None)
        if under is None:
            alone.append(path)
            continue
        found = bounds.root(path, under)
        root, kind = found if found else (under, "path")
        projects.setdefault((os.path.normpath(root), kind), Project(os.path.normpath(root), kind)).files.append(path)
    reported = set(files)
    needs_context: list[Project] = []
    for path in alone:
        # Files named together with nothing marking them apart are linted together, as given.
        if not context:
            projects.setdefault(("", "files"), Project("", "files")).files.append(path)
            continue
        found = bounds.root(path, None)
        if found is not None:
            root, kind = found
        else:
            repository = _repository_of(path)
            root, kind = (_shown(repository, path), "repository") if repository else ("", "files")
        key = (os.path.normpath(root) if root else "", kind)
        project = projects.get(key)
        if project is None:
            project = projects[key] = Project(key[0], kind, alone=True)
            needs_context.append(project)
        project.files.append(path)
    for project in needs_context:
        if project.kind == "files":
            continue
        if project.kind == "repository" and not _uses_custom_groups(project.files):
            continue  # a repository is context only for its CRDs: none needed
        # A repository is no boundary between samples: only its CRDs are context.
        project.context = _context(project.root, reported, exclude, crds_only=project.kind == "repository")
    if "-" in files:
        # Standard input joins the project its name (--stdin-filename) is in, or the only one
        # of the files given beside it; else it is a project of its own, in its name's context.
        named = os.path.abspath(stdin_filename) if stdin_filename else None
        holding = [p for p in projects.values() if named and os.path.isdir(p.root) and _within(named, p.root)]
        if holding:
            max(holding, key=lambda p: len(os.path.abspath(p.root))).files.append("-")
        elif len(projects) == 1:  # the one project of the files given beside it
            next(iter(projects.values())).files.append("-")
        else:
            root_kind: tuple[str, str] | None = None
            if named and context:
                found = bounds.root(named, None)
                repository = _repository_of(named)
                root_kind = found or ((repository, "repository") if repository else None)
            project = Project(root_kind[0] if root_kind else "-", "stdin", alone=True)
            if root_kind:
                project.context = _context(root_kind[0], reported | {named or ""}, exclude,
                                           crds_only=root_kind[1] == "repository")
            project.files.append("-")
            projects[("-", "stdin")] = project
    out = sorted(projects.values(), key=lambda p: (p.root == "-", p.root, p.kind))
    for project in out:
        project.files.sort()
        if project.root == "-":
            project.config = nearest_config(os.path.abspath(stdin_filename)) if stdin_filename else None
        elif project.kind == "files":  # one config when they agree, else the run's
            found = {nearest_config(os.path.abspath(f)) for f in project.files if f != "-"}
            project.config = found.pop() if len(found) == 1 else None
        else:
            project.config = nearest_config(project.root if os.path.isdir(project.root)
                                            else os.path.abspath(project.root))
    return out


def _within(path: str, directory: str) -> bool:
    path_abs, dir_abs = os.path.abspath(path), os.path.abspath(directory)
    return path_abs == dir_abs or path_abs.startswith(dir_abs.rstrip(os.sep) + os.sep)


def _uses_custom_groups(files: Sequence[str]) -> bool:
    """Whether any of `files` names an API group that only a CRD defines (the byte scan)."""
    from kubelint.engine.passes import custom_groups_named

    return any(custom_groups_named(path) for path in files)


def _context(root: str, reported: set[str], exclude: Sequence[str], crds_only: bool = False) -> list[str]:
    """The project's other manifest files: read for CRDs and objects, never reported."""
    if not os.path.isdir(root):
        return []
    reported_abs = {os.path.abspath(p) for p in reported}
    others = [p for p in discover([root], exclude) if os.path.abspath(p) not in reported_abs]
    if len(others) <= MAX_CONTEXT_FILES and not crds_only:
        return others
    from kubelint.engine.passes import may_define_crds

    return [p for p in others if may_define_crds(p)]

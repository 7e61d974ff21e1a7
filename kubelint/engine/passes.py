"""Two passes over the files of a run, so that custom resources see every CRD of the run.

Custom resources are checked against the CRDs of every file, whatever the order of the files.
The first pass (worker processes, when there are many files) lints each file that needs no CRD
and gathers the CRDs; the files with custom resources are linted in the second pass, once the
CRDs are known. A byte scan plans it all before anything is parsed:

- files with custom resources and no CRD go straight to the second pass (never parsed twice);
- CRD files go first, so their CRDs are all in while the workers still lint small files, and
  this process lints the second pass meanwhile instead of waiting for the first to end;
- only the CRDs of API groups that some file names come back from the workers: sending every
  CRD of a big tree between processes costs more than linting the files that use them.

The scan can see too much (an apiVersion in a description), which costs a little time and
changes no result: the parsed documents decide. What it cannot see at all (an apiVersion or a
kind written as an alias) shows after the first pass, and then the second pass is done again
the slow way, with every CRD of the run read again.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kubelint.kube.groups import BUILTIN_GROUPS
from kubelint.model import Document
from kubelint.source import SourceResult, load_path

if TYPE_CHECKING:
    from kubelint.engine.runner import FileOutcome, Linter

_CRD_MARKER = re.compile(rb"kind[\"']?\s*:\s*[\"']?CustomResourceDefinition\b")
# The API group of every apiVersion written in a file: JSON and YAML, quoted or not.
_API_GROUP = re.compile(rb"apiVersion[\"']?\s*:\s*[\"']?([A-Za-z0-9][A-Za-z0-9.-]*)/")


def lint_in_two_passes(linter: Linter, files: Sequence[str], jobs: int,
                       stdin_source: SourceResult | None) -> list[FileOutcome]:
    """The outcome of every file (and of standard input, last), in no particular order."""
    from kubelint.engine.parallel import by_size, first_pass
    from kubelint.engine.runner import crds_of, custom_groups

    schema = linter.schema
    assert schema is not None
    max_bytes = linter.options.max_file_size
    plan = {path: _scan(path, max_bytes) for path in files}
    wanted = frozenset(g for _, groups in plan.values() for g in groups if g not in BUILTIN_GROUPS)
    stdin_crds: list[Document] = []
    if stdin_source is not None:
        wanted |= custom_groups(stdin_source.documents)
        stdin_crds = crds_of(stdin_source.documents)
    linter.wanted_groups = wanted
    crd_files = {p for p, (has_crd, _) in plan.items() if has_crd}
    second = [p for p, (has_crd, groups) in plan.items() if not has_crd and not groups <= BUILTIN_GROUPS]
    waiting = set(second)
    rest = [p for p in files if p not in waiting and p not in crd_files]

    outcomes: list[FileOutcome] = []
    later: dict[str, FileOutcome] = {}  # second-pass outcomes
    gathered: dict[str, list[Document]] = {}
    unseen = set(crd_files)
    unplanned = False  # a custom resource of a group the scan did not see

    def lint_second(paths: list[str]) -> None:
        nonlocal unplanned
        for path in sorted(paths):
            source = load_path(path, max_bytes)
            unplanned = unplanned or not custom_groups(source.documents) <= wanted
            later[path] = linter.lint_source(source)

    started = False
    for path, done in first_pass(linter, by_size(list(crd_files)) + by_size(rest), jobs):
        gathered[path] = done.crds
        unseen.discard(path)
        if done.outcome is None:
            second.append(path)
        else:
            outcomes.append(done.outcome)
        if not started and not unseen:  # every CRD is in: the workers go on, and so does this
            started = True
            schema.add_crds(stdin_crds + _in_file_order(gathered))
            lint_second(second)
    if not started:  # nothing in the first pass
        schema.add_crds(stdin_crds)
    lint_second([p for p in second if p not in later])
    if unplanned or any(crds for path, crds in gathered.items() if path not in crd_files):
        every = [doc for path in sorted(files) for doc in crds_of(load_path(path, max_bytes).documents)]
        schema.replace_crds(stdin_crds + every)
        lint_second(list(later))
    outcomes.extend(later.values())
    if stdin_source is not None:
        outcomes.append(linter.lint_source(stdin_source))
    return outcomes


def _in_file_order(gathered: dict[str, list[Document]]) -> list[Document]:
    """The first definition of a kind wins, so the order of files decides, as it does for
    everything else in a run; never the order in which workers finished."""
    return [doc for path in sorted(gathered) for doc in gathered[path]]


def _scan(path: str, max_bytes: int) -> tuple[bool, frozenset[str]]:
    """Whether a file may hold CRDs, and the API groups its apiVersions name."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return False, frozenset()  # FIFOs and devices are never opened here; oversize files are findings
        with open(path, "rb") as handle:
            data = handle.read(info.st_size)  # read(max_bytes) would allocate the whole limit
    except OSError:
        return False, frozenset()
    # Finding each apiVersion with bytes.find and matching there is twice as fast as letting
    # the regex search 30 MB of CRD descriptions for its first letter.
    groups = set()
    at = data.find(b"apiVersion")
    while at >= 0:
        match = _API_GROUP.match(data, at)
        if match:
            groups.add(match.group(1).decode("ascii"))
        at = data.find(b"apiVersion", at + 10)
    return _CRD_MARKER.search(data) is not None, frozenset(groups)

"""The result cache's storage (kubelint/resultcache.py): keys, entries, safety, size, clear/info.

A wrong hit is a wrong report: every part of the run key and of the file key is changed here
and must give a miss. The engine's use of it (reports equal cold, warm and --no-cache) is
tested with the runner."""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from kubelint import __version__, resultcache
from kubelint.resultcache import ResultCache, file_key, run_fingerprint


def _parts() -> dict[str, Any]:
    """What a runner would give: plain data for everything that changes a file's result."""
    return {
        "kubelint": "0.1.0",
        "code": "0" * 32,
        "rules": {"no-latest-tag": {"severity": "warning", "params": {"allow": ["stable"]}},
                  "resources-required": {"severity": "error", "params": {}}},
        "rules_dirs": "1" * 32,
        "kubernetes_version": (1, 31),
        "strict": True,
        "schema_only": False,
        "schema_dirs": "2" * 32,
        "namespace": "default",
        "max_file_size": 10_000_000,
        "config": {"ignore": [], "profile": None},
    }


def _set(path: tuple[Any, ...], value: Any):
    def change(parts: dict[str, Any]) -> None:
        target = parts
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


RUN_KEY_CHANGES = {
    "kubelint version": _set(("kubelint",), "0.2.0"),
    "kubelint code": _set(("code",), "9" * 32),
    "a rule's severity": _set(("rules", "no-latest-tag", "severity"), "error"),
    "a rule's params": _set(("rules", "no-latest-tag", "params", "allow"), ["stable", "lts"]),
    "a rule enabled": _set(("rules", "probe-required"), {"severity": "info", "params": {}}),
    "a rule disabled": lambda parts: parts["rules"].pop("resources-required"),
    "rules dir contents": _set(("rules_dirs",), "3" * 32),
    "target version": _set(("kubernetes_version",), (1, 30)),
    "strict": _set(("strict",), False),
    "schema only": _set(("schema_only",), True),
    "schema dirs contents": _set(("schema_dirs",), "4" * 32),
    "namespace": _set(("namespace",), "shop"),
    "max file size": _set(("max_file_size",), 1_000),
    "config": _set(("config", "profile"), "restricted"),
    "a new part": _set(("render",), {"helm": "3.16"}),
}


@pytest.fixture
def store(tmp_path: Path) -> ResultCache:
    return ResultCache(tmp_path / "results" / "0.1.0", run_fingerprint(_parts()))


VALUE = {"findings": [("no-latest-tag", 12, 9, "spec.template.spec.containers[0].image")],
         "suppressions": [], "facts": {"objects": 3}, "counts": (1, 0, 2)}


# ------------------------------------------------------------------------------- hit and miss


def test_a_stored_value_is_a_hit_and_anything_else_a_miss(store: ResultCache) -> None:
    key = file_key(b"kind: Pod\n")
    assert store.get(key) is None
    assert store.put(key, VALUE) is True
    assert store.get(key) == VALUE
    assert store.get(file_key(b"kind: Service\n")) is None
    assert (store.hits, store.misses) == (1, 2)
    # Another run reads it once it is flushed (the end of a run), not before.
    assert ResultCache(store.directory, store.run_key).get(key) is None
    assert store.flush() is True
    assert ResultCache(store.directory, store.run_key).get(key) == VALUE
    assert store.flush() is False  # nothing new: nothing written


def test_a_workers_entries_reach_the_pack_through_its_parent(store: ResultCache) -> None:
    """Workers never write: their entries travel with their results (engine/parallel.py)."""
    worker = ResultCache(store.directory, store.run_key)
    key = file_key(b"kind: Pod\n")
    worker.put(key, VALUE)
    store.receive(worker.drain())
    assert worker.drain() == {}
    store.flush()
    assert not list(Path(store.directory).glob("*.tmp"))
    assert ResultCache(store.directory, store.run_key).get(key) == VALUE


@pytest.mark.parametrize("change", sorted(RUN_KEY_CHANGES))
def test_each_part_of_the_run_key_gives_a_miss(store: ResultCache, change: str) -> None:
    key = file_key(b"kind: Pod\n")
    store.put(key, VALUE)
    store.flush()
    parts = _parts()
    RUN_KEY_CHANGES[change](parts)
    other = run_fingerprint(parts)
    assert other != store.run_key
    assert ResultCache(store.directory, other).get(key) is None
    assert store.get(key) == VALUE  # the old run's entry stays (switching branches)


def test_the_run_key_is_stable_and_ignores_mapping_order() -> None:
    parts = _parts()
    reordered = dict(reversed(list(parts.items())))
    reordered["rules"] = dict(reversed(list(parts["rules"].items())))
    assert run_fingerprint(parts) == run_fingerprint(reordered) == run_fingerprint(_parts())
    assert re.fullmatch(r"[0-9a-f]{32}", run_fingerprint(parts))
    mixed = {"b": 1, 2: "x", "a": (1,), None: 3}  # keys of several types order another way
    assert run_fingerprint({"m": mixed}) == run_fingerprint({"m": dict(reversed(list(mixed.items())))})
    assert run_fingerprint({"m": mixed}) != run_fingerprint({"m": {**mixed, 2: "y"}})


@pytest.mark.parametrize(("one", "other"), [
    (1, "1"), (1, True), (0, False), (None, "None"), (1, 1.0), ((1, 2), "(1, 2)"),
    ([1, 2], [2, 1]), ({"a": 1}, [["a", 1]]), (b"ab", "ab"), ({1}, [1]),
])
def test_values_that_print_alike_give_different_run_keys(one: Any, other: Any) -> None:
    assert run_fingerprint({"x": one}) != run_fingerprint({"x": other})


def test_sets_and_dataclasses_are_plain_data_and_objects_are_refused() -> None:
    from kubelint.options import Options

    assert run_fingerprint({"x": {"b", "a", "c"}}) == run_fingerprint({"x": {"c", "b", "a"}})
    assert run_fingerprint({"o": Options()}) == run_fingerprint({"o": Options()})
    assert run_fingerprint({"o": Options()}) != run_fingerprint({"o": Options(strict=False)})
    with pytest.raises(TypeError, match="not plain data"):
        run_fingerprint({"x": object()})


@pytest.mark.parametrize(("one", "other"), [
    ((b"a: 1\n",), (b"a: 2\n",)),  # the content
    ((b"a: 1\n", "partial"), (b"a: 1\n", "whole")),  # a kustomize patch or not
    ((b"a: 1\n", "partial", "values-a"), (b"a: 1\n", "partial", "values-b")),  # render inputs
    ((b"a: 1\n", "", "crds:1111"), (b"a: 1\n", "", "crds:2222")),  # the CRDs it met
    ((b"a: 1\n", "ab", ""), (b"a: 1\n", "a", "b")),  # where one extra ends and the next begins
    ((b"a: 1\n", "x"), (b"a: 1\n", b"x")),
    ((b"a: 1\n",), (b"a: 1\n", "")),
    ((b"a",), (b"", "a")),
])
def test_each_part_of_the_file_key_gives_a_miss(store: ResultCache, one: tuple, other: tuple) -> None:
    store.put(file_key(*one), VALUE)
    assert file_key(*one) != file_key(*other)
    assert store.get(file_key(*other)) is None
    assert store.get(file_key(*one)) == VALUE


def test_digest_path_follows_contents_not_times(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text('{"type": "object"}')
    (folder / "sub" / "b.json").write_text("{}")
    first = resultcache.digest_path(folder)
    os.utime(folder / "a.json", (1, 1))
    assert resultcache.digest_path(folder) == first  # a fresh checkout or a restored cache
    (folder / "a.json").write_text('{"type": "string"}')
    changed = resultcache.digest_path(folder)
    assert changed != first
    (folder / "sub" / "b.json").rename(folder / "sub" / "c.json")
    assert resultcache.digest_path(folder) not in (first, changed)
    single = resultcache.digest_path(folder / "a.json")
    assert single != resultcache.digest_path(tmp_path / "missing") == resultcache.digest_path(tmp_path / "missing")
    assert resultcache.digest_paths([folder, tmp_path / "missing"]) != resultcache.digest_paths([folder])


def test_the_code_fingerprint_is_a_stable_digest() -> None:
    first = resultcache.code_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert resultcache.code_fingerprint() == first


# ------------------------------------------------------------------------ damage and failures


def test_a_damaged_pack_is_a_miss_and_is_replaced(store: ResultCache) -> None:
    key = file_key(b"kind: Pod\n")
    store.put(key, VALUE)
    store.flush()
    path = Path(store.path)
    whole = path.read_bytes()
    payload = pickle.dumps(VALUE, protocol=pickle.HIGHEST_PROTOCOL)
    flipped = whole.replace(payload, payload[:-2] + bytes([payload[-2] ^ 1]) + payload[-1:])
    assert flipped != whole
    for damaged in (b"garbage", whole[: len(whole) // 2], flipped, b""):
        path.write_bytes(damaged)  # what a bad disk or another program could leave
        fresh = ResultCache(store.directory, store.run_key)
        assert fresh.get(key) is None
        assert fresh.put(key, VALUE) is True and fresh.flush() is True
        assert ResultCache(store.directory, store.run_key).get(key) == VALUE


def test_a_killed_writers_temporary_file_is_never_read(store: ResultCache) -> None:
    key = file_key(b"kind: Pod\n")
    store.put(key, VALUE)
    os.makedirs(store.directory)
    Path(store.path + ".999.abcd.tmp").write_bytes(b"half a pac")
    assert ResultCache(store.directory, store.run_key).get(key) is None
    assert resultcache.info(Path(store.directory).parent)["entries"] == 0


class _Unloadable:
    def __reduce__(self):
        return (_explode, ())


def _explode() -> None:
    raise RuntimeError("cannot rebuild")


def test_unpicklable_values_and_unloadable_entries_are_misses(store: ResultCache) -> None:
    assert store.put(file_key(b"a"), lambda: None) is False
    assert store.get(file_key(b"a")) is None
    assert store.put(file_key(b"b"), _Unloadable()) is True
    assert store.get(file_key(b"b")) is None


def test_a_pack_under_another_run_key_is_a_miss(store: ResultCache) -> None:
    store.put(file_key(b"a"), VALUE)
    store.flush()
    other = ResultCache(store.directory, "another-run")
    os.replace(store.path, other.path)
    assert other.get(file_key(b"a")) is None


def test_writing_goes_on_after_another_process_cleared_the_cache(store: ResultCache) -> None:
    assert store.put(file_key(b"a"), VALUE) is True
    store.flush()
    assert resultcache.clear(Path(store.directory).parent)[0] == 1
    assert not Path(store.directory).exists()
    assert store.put(file_key(b"b"), VALUE) is True
    assert store.flush() is True
    fresh = ResultCache(store.directory, store.run_key)
    assert fresh.get(file_key(b"b")) == VALUE and fresh.get(file_key(b"a")) is None


def test_a_cache_folder_that_cannot_be_made_gives_misses(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = ResultCache(blocker / "results", "run")
    assert store.put(file_key(b"a"), VALUE) is True  # kept in memory for the run
    assert store.flush() is False
    assert ResultCache(blocker / "results", "run").get(file_key(b"a")) is None
    assert store.prune() == (0, 0)
    assert resultcache.clear(blocker) == (0, 0)
    assert resultcache.info(blocker)["entries"] == 0


def test_a_read_only_disk_gives_misses_and_leaves_no_temporary_file(
        store: ResultCache, monkeypatch: pytest.MonkeyPatch) -> None:
    os.makedirs(store.directory)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(resultcache.os, "replace", refuse)
    store.put(file_key(b"a"), VALUE)
    assert store.flush() is False
    assert ResultCache(store.directory, store.run_key).get(file_key(b"a")) is None
    assert os.listdir(store.directory) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gives_misses(store: ResultCache) -> None:
    key = file_key(b"a")
    store.put(key, VALUE)
    store.flush()
    os.chmod(store.directory, 0o500)
    try:
        again = ResultCache(store.directory, store.run_key)
        again.put(file_key(b"b"), VALUE)
        assert again.flush() is False
        later = ResultCache(store.directory, store.run_key)
        assert later.get(file_key(b"b")) is None
        assert later.get(key) == VALUE
    finally:
        os.chmod(store.directory, 0o700)


# ----------------------------------------------------------------------------- two runs at once


def _write_many(directory: str, run_key: str, key: str, marker: int, times: int, out: Any) -> None:
    value = {"writer": marker, "payload": [marker] * 20_000}
    ok = True
    for n in range(times):  # a run each: its own entry and the shared one
        store = ResultCache(directory, run_key)
        ok = store.put(key, value) and store.put(file_key(b"%d-%d" % (marker, n)), n) and ok
        ok = store.flush() and ok
    out.put(ok)


def _read_many(directory: str, run_key: str, key: str, times: int, out: Any) -> None:
    import time

    seen = set()
    found = 0
    deadline = time.monotonic() + 60  # a count of tries ran out before a slow writer's first flush
    while found < times and time.monotonic() < deadline:  # until it has read the entry `times` times
        value = ResultCache(directory, run_key).get(key)  # a run each
        found += value is not None
        if value is None:
            seen.add(None)
        elif value["payload"] == [value["writer"]] * 20_000:
            seen.add(value["writer"])
        else:
            seen.add("torn")
    out.put(seen)


def test_two_processes_writing_the_same_entry_both_succeed(store: ResultCache) -> None:
    key = file_key(b"kind: Pod\n")
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [context.Process(target=_write_many, args=(store.directory, store.run_key, key, n, 60, out))
               for n in (1, 2)]
    workers.append(context.Process(target=_read_many, args=(store.directory, store.run_key, key, 100, out)))
    for worker in workers:
        worker.start()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert results.count(True) == 2
    seen = next(r for r in results if isinstance(r, set))
    assert "torn" not in seen
    assert seen & {1, 2}  # the reader did read whole entries while both wrote
    assert ResultCache(store.directory, store.run_key).get(key)["writer"] in (1, 2)
    assert [name for name in os.listdir(store.directory) if name.endswith(".tmp")] == []


# ------------------------------------------------------------------------------ size and prune


def test_a_pack_over_its_bound_drops_the_least_recently_used_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "results" / "0.1.0"
    keys = [file_key(str(n).encode()) for n in range(40)]
    clock = [1_000_000.0]
    monkeypatch.setattr(resultcache.time, "time", lambda: clock[0])
    store = ResultCache(directory, "run-a", max_bytes=10**9)
    for age, key in enumerate(keys):
        clock[0] = 1_000_000.0 + age  # older first
        store.put(key, {"n": age, "payload": "x" * 1000})
    store.flush()
    clock[0] += 10
    bounded = ResultCache(directory, "run-a", max_bytes=20_000)
    assert bounded.get(keys[0])["n"] == 0  # used again: now the most recent
    bounded.put(file_key(b"new"), "y")
    bounded.flush()
    assert os.path.getsize(bounded.path) <= 20_000 + 4_000  # the entries fit; the pack adds its keys
    left = ResultCache(directory, "run-a")
    assert left.get(keys[0])["n"] == 0 and left.get(file_key(b"new")) == "y"
    assert left.get(keys[1]) is None  # the oldest unused went
    assert left.get(keys[-1])["n"] == 39  # the newest stayed


def test_entries_unused_for_a_week_go_at_the_next_flush(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(resultcache.time, "time", lambda: clock[0])
    store = ResultCache(tmp_path / "v", "run")
    store.put(file_key(b"edited away"), 1)
    store.put(file_key(b"still here"), 2)
    store.flush()
    clock[0] += 6 * 24 * 3600
    again = ResultCache(tmp_path / "v", "run")
    assert again.get(file_key(b"still here")) == 2
    again.put(file_key(b"new"), 3)
    again.flush()
    clock[0] += 2 * 24 * 3600  # 8 days after the first run, 2 after the second
    last = ResultCache(tmp_path / "v", "run")
    last.put(file_key(b"newest"), 4)
    last.flush()
    left = ResultCache(tmp_path / "v", "run")
    assert left.get(file_key(b"edited away")) is None
    assert [left.get(file_key(k)) for k in (b"still here", b"new", b"newest")] == [2, 3, 4]


def test_other_run_keys_packs_go_first_when_the_folder_is_over_its_bound(tmp_path: Path) -> None:
    directory = tmp_path / "v"
    for n, name in enumerate(("old", "newer")):
        other = ResultCache(directory, name)
        other.put(file_key(b"a"), "x" * 5_000)
        other.flush()
        os.utime(other.path, (1_000_000 + n, 1_000_000 + n))
    Path(directory, "stale.pack.1.ab.tmp").write_bytes(b"half")
    os.utime(Path(directory, "stale.pack.1.ab.tmp"), (1_000_000, 1_000_000))
    store = ResultCache(directory, "run", max_bytes=12_000)
    store.put(file_key(b"b"), "z" * 5_000)
    store.flush()
    assert sorted(os.listdir(directory)) == sorted([Path(store.path).name, "newer.pack"])
    assert ResultCache(directory, "run").get(file_key(b"b")) == "z" * 5_000


# --------------------------------------------------------------------------- clear, info, on/off


def test_info_and_clear_count_every_version(tmp_path: Path) -> None:
    base = tmp_path / "results"
    for folder, run, content in (("0.1.0", "a", b"1"), ("0.1.0", "b", b"2"), ("0.2.0", "a", b"3")):
        store = ResultCache(base / folder, run)
        store.put(file_key(content), VALUE)
        store.flush()
    before = resultcache.info(base)
    assert before["where"] == str(base)
    assert before["entries"] == 3 and before["bytes"] > 0
    assert before["versions"] == ["0.1.0", "0.2.0"]
    assert resultcache.clear(base) == (3, before["bytes"])
    assert resultcache.info(base)["entries"] == resultcache.info(base)["bytes"] == 0
    assert resultcache.clear(base) == (0, 0)
    assert resultcache.clear(tmp_path / "never") == (0, 0)


def test_the_default_place_is_beside_the_schema_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    assert resultcache.default_directory() == str(tmp_path / "results" / __version__)
    store = ResultCache.open("run")
    assert store is not None and store.directory == str(tmp_path / "results" / __version__)
    store.put(file_key(b"a"), VALUE)
    store.flush()
    assert resultcache.info()["entries"] == 1
    monkeypatch.delenv("KUBELINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resultcache.default_directory("1.2.3") == str(tmp_path / "xdg" / "kubelint" / "results" / "1.2.3")
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("KUBELINT_NO_CACHE", "1")
    assert resultcache.default_directory() is None and ResultCache.open("run") is None
    assert resultcache.info()["entries"] == 1  # `kubelint cache info|clear` still find it
    assert resultcache.clear()[0] == 1


@pytest.mark.parametrize(("flag", "config", "env", "expected"), [
    (False, None, "", True), (False, True, "", True), (False, None, "0", True),
    (True, None, "", False), (False, False, "", False), (False, True, "1", False), (True, True, "", False),
])
def test_enabled(monkeypatch: pytest.MonkeyPatch, flag: bool, config: bool | None, env: str,
                 expected: bool) -> None:
    monkeypatch.setenv("KUBELINT_NO_CACHE", env)
    assert resultcache.enabled(flag, config) is expected
    assert (ResultCache.open("run", flag_no_cache=flag, config_cache=config) is not None) is expected


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_files_outcome_comes_back_equal(store: ResultCache) -> None:
    """What the runner stores: the per-file outcome (findings, facts, suppressions, counts)."""
    from kubelint.engine.linter import Linter

    linter = Linter()
    paths = sorted(str(p) for p in (FIXTURES / "foundation").glob("*.yaml"))
    paths += sorted(str(p) for p in (FIXTURES / "crossobject").rglob("*.yaml"))[:20]
    outcomes = [linter.lint_file(path) for path in paths]
    assert any(o.findings for o in outcomes) and any(o.facts for o in outcomes)
    for path, outcome in zip(paths, outcomes, strict=True):
        assert store.put(file_key(Path(path).read_bytes(), path), outcome) is True
    store.flush()
    warm = ResultCache(store.directory, store.run_key)
    assert [warm.get(file_key(Path(p).read_bytes(), p)) for p in paths] == outcomes


def test_a_pack_is_a_pickle_of_checksummed_entries(store: ResultCache) -> None:
    """The format the docstring describes, so that a change of it is a deliberate one."""
    key = file_key(b"a")
    store.put(key, VALUE)
    store.flush()
    assert Path(store.path).name == store.run_key + ".pack"
    with open(store.path, "rb") as handle:
        assert handle.read(6) == b"KLRC5\n"
        run_key, entries = pickle.load(handle), pickle.load(handle)
        assert handle.read() == b""
    assert run_key == store.run_key and list(entries) == [key]
    used, checksum, payload = entries[key]
    assert pickle.loads(payload) == VALUE and len(checksum) == 16 and used > 0


def test_a_files_keys_come_from_its_bytes_hashed_once() -> None:
    """The engine hashes a file once and makes each of its keys (first pass, CRDs) from that."""
    content = b"kind: Pod\n" * 1000
    assert resultcache.key_for(resultcache.content_digest(content), "a.yaml", "crds") == file_key(
        content, "a.yaml", "crds")
    assert file_key(content, "a.yaml", "crds") != file_key(content, "a.yaml", "first-pass")
    assert file_key(content + b" ", "a.yaml", "crds") != file_key(content, "a.yaml", "crds")
    # Big contents are hashed by another algorithm (sha256, for speed): still one byte apart,
    # two keys, and the same bytes give the same key again.
    big = b"kind: CustomResourceDefinition\n" * 20_000
    assert len(big) > 256 << 10
    assert file_key(big, "c.yaml") == file_key(bytes(big), "c.yaml") != file_key(big[:-1] + b"!", "c.yaml")


def test_a_damaged_big_entry_is_a_miss(store: ResultCache) -> None:
    """An entry over the size where checksums switch algorithm is checked as well."""
    key = file_key(b"big")
    value = ["x" * (300 << 10)]
    store.put(key, value)
    store.flush()
    assert ResultCache(store.directory, store.run_key).get(key) == value
    data = bytearray(Path(store.path).read_bytes())
    at = data.rindex(b"x" * 64)  # near the end: the whole payload is checked
    data[at:at + 1] = b"y"
    Path(store.path).write_bytes(bytes(data))
    assert ResultCache(store.directory, store.run_key).get(key) is None


def test_received_entries_wait_on_disk_and_reach_the_pack(store: ResultCache) -> None:
    """A parent's workers' entries are spilled to a temporary file until the flush."""
    worker = ResultCache(store.directory, store.run_key)
    keys = [file_key(b"%d" % n) for n in range(3)]
    for n, key in enumerate(keys):
        worker.put(key, {"n": n})
        store.receive(worker.drain())
    assert store._pending == {} and store._spilled == set(keys)
    assert store.get(keys[1]) == {"n": 1}  # read back when asked for
    store.put(file_key(b"own"), "mine")
    store.receive({})
    assert store.flush() is True
    assert os.listdir(store.directory) == [Path(store.path).name]  # nothing else left behind
    again = ResultCache(store.directory, store.run_key)
    assert [again.get(k) for k in keys] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert again.get(file_key(b"own")) == "mine"


def test_a_first_runs_spill_becomes_the_pack(store: ResultCache) -> None:
    """With no pack yet, the flush renames the received entries' file into place (a pack of
    several chunks) instead of reading them back; every entry, its own ones too, reads back."""
    worker = ResultCache(store.directory, store.run_key)
    keys = [file_key(b"w%d" % n) for n in range(4)]
    for n, key in enumerate(keys):
        worker.put(key, {"n": n})
        store.receive(worker.drain())  # one chunk each
    store.put(file_key(b"own"), "mine")
    spill = store._spill_path
    assert os.path.exists(spill) and not os.path.exists(store.path)
    assert store.flush() is True
    assert not os.path.exists(spill) and os.listdir(store.directory) == [Path(store.path).name]
    with open(store.path, "rb") as handle:
        handle.read(6)
        chunks = []
        with contextlib.suppress(EOFError):
            while True:
                chunks.append(pickle.load(handle))
    assert chunks[0] == store.run_key and len(chunks) == 1 + len(keys) + 1  # the key, each batch, its own
    again = ResultCache(store.directory, store.run_key)
    assert [again.get(k) for k in keys] == [{"n": n} for n in range(4)] and again.get(file_key(b"own")) == "mine"
    assert store.get(keys[2]) == {"n": 2}  # the flushing cache reads the pack it wrote
    assert resultcache.info(Path(store.directory).parent)["entries"] == len(keys) + 1


def test_a_spill_is_merged_into_a_pack_already_there(store: ResultCache) -> None:
    """A pack another run wrote meanwhile, or this run read, is kept: its entries and the
    received ones are written together, and no temporary file stays."""
    first = ResultCache(store.directory, store.run_key)
    first.put(file_key(b"old"), "old")
    assert first.flush() is True
    worker = ResultCache(store.directory, store.run_key)
    worker.put(file_key(b"new"), "new")
    store.receive(worker.drain())
    assert store.flush() is True
    assert os.listdir(store.directory) == [Path(store.path).name]
    again = ResultCache(store.directory, store.run_key)
    assert again.get(file_key(b"old")) == "old" and again.get(file_key(b"new")) == "new"


def test_a_spill_over_the_bound_is_pruned_not_renamed(tmp_path: Path) -> None:
    """Received entries over max_bytes go through the flush that drops the oldest."""
    small = ResultCache(tmp_path / "v", "k" * 32, max_bytes=3000)
    worker = ResultCache(tmp_path / "v", "k" * 32)
    for n in range(6):
        worker.put(file_key(b"%d" % n), "x" * 1000)
        small.receive(worker.drain())
    assert small.flush() is True
    kept = ResultCache(tmp_path / "v", "k" * 32)
    assert kept.stored() < 6 and sum(len(e[2]) for e in kept._stored.values()) <= 3000  # type: ignore[union-attr]

"""The disk cache of bundled schemas: same findings with or without it, and never a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths
from kubelint.schema import store
from tests.conftest import FIXTURES

FILE = str(FIXTURES / "schema" / "deployment-errors.yaml")


def _findings() -> list[tuple[str, int, int, str]]:
    store.clear_caches()  # start cold, as a new process does
    from kubelint.options import Options

    # the result cache (tests/test_cache_run.py) would answer before any schema is read
    return [(f.rule, f.line, f.column, f.message) for f in lint_paths([FILE], Options(cache=False)).findings]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    return tmp_path / "bundles"


def test_a_second_run_reads_the_bundle_and_finds_the_same(cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = _findings()
    assert any(rule == "schema-invalid" for rule, *_ in first)
    assert len(list(cache_dir.glob("*.marshal"))) == 1  # one kind: apps/v1 Deployment

    def unreachable(root: object, directory: str) -> dict[str, object]:
        raise AssertionError("bundle built from _definitions.json although it is cached")

    def unread(path: str) -> object:
        raise AssertionError(f"{path} read although its bundle is cached")

    monkeypatch.setattr(store, "_bundle_of", unreachable)
    monkeypatch.setattr(store, "read_json", unread)  # the kind file's tags are in the entry too
    assert _findings() == first


def test_a_damaged_bundle_is_rebuilt(cache_dir: Path) -> None:
    first = _findings()
    (bundle,) = cache_dir.glob("*.marshal")
    whole = bundle.read_bytes()
    bundle.write_bytes(whole[: len(whole) // 2])  # cut short, as a full disk leaves it
    assert _findings() == first
    assert bundle.read_bytes() == whole


def test_an_unwritable_cache_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _findings()
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(blocker))
    assert _findings() == expected


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBELINT_NO_CACHE", "1")
    _findings()
    assert not cache_dir.exists()


def test_rule_files_and_tables_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.engine.rules import builtin_rules
    from kubelint.kube.deprecations import lifecycle_table

    def fresh() -> tuple[dict[str, object], dict[object, object]]:
        builtin_rules.cache_clear()
        lifecycle_table.cache_clear()
        return builtin_rules(), lifecycle_table()

    monkeypatch.setenv("KUBELINT_NO_CACHE", "1")
    parsed = fresh()
    monkeypatch.delenv("KUBELINT_NO_CACHE")
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    assert fresh() == parsed  # written
    assert len(list((tmp_path / "data").glob("*.marshal"))) == len(parsed[0]) + 1
    assert len(list((tmp_path / "rules").glob("*.pickle"))) == 1  # the rules, ready to use
    assert fresh() == parsed  # read back
    builtin_rules.cache_clear()
    lifecycle_table.cache_clear()


def test_a_pickled_entry_reads_back_its_objects_and_a_damaged_one_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint import cache
    from kubelint.engine.rules import builtin_rules

    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    stamped = tmp_path / "input.txt"
    stamped.write_text("one")
    built: list[int] = []

    def build() -> dict[str, object]:
        built.append(1)
        return {"rule": builtin_rules()["image-tag"], "pair": (1, "a"), "set": frozenset({2})}

    first = cache.cached("objects", [str(stamped)], build, objects=True)
    again = cache.cached("objects", [str(stamped)], build, objects=True)
    assert again == first and len(built) == 1  # read back, tuples and frozensets kept
    assert isinstance(again["pair"], tuple) and again["rule"] is not first["rule"]
    (entry,) = (tmp_path / "objects").glob("*.pickle")
    entry.write_bytes(b"\x80\x05garbage")
    assert cache.cached("objects", [str(stamped)], build, objects=True) == first and len(built) == 2
    stamped.write_text("two, a new stamp")
    assert cache.cached("objects", [str(stamped)], build, objects=True) == first and len(built) == 3


def test_the_served_kinds_read_back_without_the_definitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which kinds each apiVersion serves comes from the 1.4 MB _definitions.json once, then from
    the cache, the same: an unknown kind's finding or an API migration's fix reads no more."""
    from kubelint.kube import versions

    directory = versions.version_dir(versions.default_version(), False)
    assert directory is not None
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    versions.served_kinds.cache_clear()
    built = versions.served_kinds(directory)
    assert "Deployment" in built["apps/v1"] and all(isinstance(k, tuple) for k in built.values())
    assert len(list((tmp_path / "served").glob("*.marshal"))) == 1

    def unreachable(path: str) -> dict[str, object]:
        raise AssertionError("_definitions.json parsed although its served kinds are cached")

    monkeypatch.setattr(versions, "definitions", unreachable)
    versions.served_kinds.cache_clear()
    assert versions.served_kinds(directory) == built
    versions.served_kinds.cache_clear()


def test_a_kind_files_entry_answers_every_kind_that_leads_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`deployment` (wrong case) leads to the Deployment's file too: whichever is asked first,
    the entry holds the file's tags, and each question gets its own answer, cached or not."""
    from kubelint.kube import versions

    directory = versions.version_dir(versions.default_version(), True)
    assert directory is not None
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path))
    for order in (["deployment", "Deployment"], ["Deployment", "deployment"]):
        for kind in order:
            store.clear_caches()
            found = store.kind_schema(directory, "apps/v1", kind)
            assert (found is not None) is (kind == "Deployment"), (order, kind)
    assert len(list((tmp_path / "bundles").glob("*.marshal"))) == 1
    store.clear_caches()


def test_kubelints_own_files_are_listed_as_their_loaders_walk_them(tmp_path: Path) -> None:
    """The catalog's cache entry is keyed by resources.shipped_files(): a rule file in a linked
    or hidden folder must be in it (else editing it leaves the old rule in use), each folder
    once even through a link loop."""
    from kubelint.engine.rules import builtin_rules
    from kubelint.resources import data_dir, files_under, shipped_files

    (tmp_path / "real" / ".hidden").mkdir(parents=True)
    (tmp_path / "real" / ".hidden" / "a.yaml").write_text("a")
    (tmp_path / "real" / "__pycache__").mkdir()
    (tmp_path / "real" / "__pycache__" / "x.pyc").write_text("x")
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "b.yaml").write_text("b")
    (tmp_path / "top" / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "top")
    listed = [str(Path(p).relative_to(tmp_path / "top")) for p in files_under(str(tmp_path / "top"))]
    assert listed == ["b.yaml", "linked/.hidden/a.yaml"]
    rules = os.path.join(str(data_dir("rules")), "")
    assert {r.source for r in builtin_rules().values()} == {
        p for p in shipped_files() if p.startswith(rules) and p.endswith(".yaml")}

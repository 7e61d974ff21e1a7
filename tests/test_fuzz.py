"""Issue #4, fuzzing: whatever the input, the engine returns findings at real places, never raises.

Mutated real-world manifests (keys deleted, duplicated, renamed and retyped, scalars and
mappings swapped, lines moved, random bytes, other line endings and encodings), generated
manifests of every workload shape, and arbitrary YAML-ish text and bytes. Each case asserts:
no exception, no internal-error finding, and every finding names the file and starts and ends
inside the text (line ≥ 1, column ≥ 1, within the line), with a document index that exists.

The default run is short and derandomized, so CI is fast and repeatable. `KUBELINT_FUZZ_LONG=1`
runs at least 100,000 random cases in all; show the counts with `--hypothesis-show-statistics`.
"""

from __future__ import annotations

import codecs
import copy
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.engine.linter import Linter
from kubelint.model import Finding
from kubelint.options import Options
from kubelint.parser import parse
from kubelint.source import ReadError, SourceResult, decode, load_bytes, load_text
from tests.conftest import FIXTURES
from tests.test_robustness import assert_inside

LONG = os.environ.get("KUBELINT_FUZZ_LONG") == "1"


def fuzz(short: int, long: int) -> Callable[[Any], Any]:
    """Hypothesis settings: `short` examples by default (derandomized), `long` with the env var."""
    return settings(
        max_examples=long if LONG else short,
        derandomize=not LONG,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                               HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


@functools.cache
def linter() -> Linter:
    return Linter(Options(jobs=1))


def check_source(source: SourceResult, text: str) -> list[Finding]:
    outcome = linter().lint_source(source)
    findings, count = outcome.findings, outcome.documents
    assert_inside(findings, text, source.path)
    for f in findings:
        assert f.rule != "internal-error", f.message
        assert f.document is None or 0 <= f.document < max(count, 1), (f, count)
    return findings


def check_text(text: str, name: str = "fuzz.yaml") -> list[Finding]:
    return check_source(load_text(text, name), text)


def check_bytes(data: bytes, name: str = "fuzz.yaml") -> list[Finding]:
    return check_source(load_bytes(data, name), _shown_text(data))


def _shown_text(data: bytes) -> str:
    """The text a person sees in the file, even where kubelint refuses to decode it."""
    try:
        return decode(data)
    except ReadError:
        for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
                              (codecs.BOM_UTF8, "utf-8-sig")):
            if data.startswith(bom):
                return data.decode(encoding, "replace").removeprefix("\ufeff")
        return data.decode("utf-8", "replace")


# ------------------------------------------------------------------------------------ seeds


def _seed_texts(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        try:
            texts.append(decode(path.read_bytes()))
        except (OSError, ReadError):
            continue
    return texts


@functools.cache
def corpus_seeds(root: str) -> list[str]:
    """A spread of the corpus's small files (every folder, templates too): fast to lint."""
    small = sorted(p for p in Path(root).rglob("*") if p.suffix in (".yaml", ".yml", ".json")
                   and p.is_file() and p.stat().st_size <= 3000)
    step = max(1, len(small) // 80)
    return _seed_texts(small[::step])


@functools.cache
def builtin_seeds() -> list[str]:
    """The rules' own examples and the test fixtures: seeds that need no corpus."""
    from kubelint.engine.rules import builtin_rules

    seeds = [e["manifest"] for r in builtin_rules().values()
             for kind in ("bad", "good") for e in r.examples.get(kind, []) if "manifest" in e]
    return seeds + _seed_texts(sorted((FIXTURES / "foundation").rglob("*.yaml")))


# ------------------------------------------------------------------------------ mutations

ODD_VALUES = [None, True, False, 0, -1, 2**70, 1.5, float("inf"), "", "x", "yes", "=", "1:20",
              "{{ .Values.x }}", "*alias", "&anchor", "!!python/object:os.system", "---", "|",
              "\t", "é😀", "a" * 300, [], {}, [1, "a"], {"a": 1}, {"image": "nginx"},
              [{"name": "c", "image": "nginx:latest"}]]
ODD_LINES = ["---", "...", "- ", "? ", ": ", "{", "}", "[", "]", "&a", "*a", "*missing", "!!binary x",
             "!!python/name:os.system", "<<: *a", "%YAML 1.1", "%TAG ! tag:x,2000:", "\t- x",
             "key: {{ .Values.x }}", "# {{ comment }}", "'unterminated", '"bad \\q escape"', "|-",
             "  - name: c\n    image: nginx", "kind: List\nitems: [1, {a: b}]", "apiVersion: v1\nkind: Pod"]
# Drawn values are copies: a mutation must never change this list (or make a value hold itself).
odd_values = st.sampled_from(ODD_VALUES).map(copy.deepcopy)
ODD_KEYS = ["apiVersion", "kind", "metadata", "spec", "name", "labels", "items", "containers",
            "image", "template", "selector", "<<", "", "1", "true", "null", "a.b", "é"]


def _paths(value: Any) -> list[tuple[Any, ...]]:
    """Every node's path in a parsed document (aliases make shared nodes: the first 5,000)."""
    out: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack and len(out) < 5000:
        path, node = stack.pop()
        out.append(path)
        if isinstance(node, dict):
            stack.extend((path + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node))
    return out


def _get(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


def _mutate_object(data: st.DataObject, obj: Any) -> Any:
    """One structural change: delete, rename or retype a key, swap a scalar and a mapping."""
    paths = _paths(obj)
    path = data.draw(st.sampled_from(paths), label="path")
    op = data.draw(st.sampled_from(["delete", "rename", "retype", "wrap", "unwrap", "add"]), label="op")
    if not path:
        return {"wrapped": obj} if op == "wrap" else data.draw(odd_values)
    parent, last = _get(obj, path[:-1]), path[-1]
    if op == "delete":
        del parent[last]
    elif op == "rename" and isinstance(parent, dict):
        parent[data.draw(st.sampled_from(ODD_KEYS) | st.text(max_size=6), label="key")] = parent.pop(last)
    elif op == "wrap":  # a scalar (or anything) becomes a mapping or a list holding it
        parent[last] = data.draw(st.sampled_from([{"value": parent[last]}, [parent[last]]]))
    elif op == "unwrap" and isinstance(parent[last], (dict, list)) and parent[last]:
        inner = parent[last]
        parent[last] = next(iter(inner.values())) if isinstance(inner, dict) else inner[0]
    elif op == "add" and isinstance(parent[last], dict):
        parent[last][data.draw(st.sampled_from(ODD_KEYS), label="key")] = data.draw(odd_values)
    else:  # retype
        parent[last] = data.draw(odd_values, label="value")
    return obj


def _dump(data: st.DataObject, docs: list[Any]) -> str:
    return yaml.safe_dump_all(
        docs, default_flow_style=data.draw(st.sampled_from([False, None, True]), label="flow"),
        allow_unicode=data.draw(st.booleans(), label="unicode"), sort_keys=False,
        width=data.draw(st.sampled_from([20, 80, 10_000]), label="width"),
        explicit_start=data.draw(st.booleans(), label="start"))


def _mutate_text(data: st.DataObject, text: str) -> str:
    """One textual change: lines deleted, duplicated (duplicate keys), moved, re-indented, odd lines."""
    lines = text.split("\n")
    op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert",
                                    "truncate", "tab"]), label="text op")
    i = data.draw(st.integers(0, max(0, len(lines) - 1)), label="line")
    if op == "delete" and lines:
        del lines[i]
    elif op == "duplicate" and lines:
        lines.insert(i, lines[i])
    elif op == "swap" and lines:
        j = data.draw(st.integers(0, len(lines) - 1), label="other line")
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent" and lines:
        lines[i] = " " * data.draw(st.integers(1, 4)) + lines[i]
    elif op == "dedent" and lines:
        lines[i] = lines[i][data.draw(st.integers(1, 4)):]
    elif op == "insert":
        lines.insert(i, data.draw(st.sampled_from(ODD_LINES), label="odd line"))
    elif op == "truncate":
        return text[: data.draw(st.integers(0, len(text)), label="cut")]
    elif op == "tab" and lines:
        lines[i] = "\t" + lines[i].lstrip(" ")
    return "\n".join(lines)


def _to_bytes(data: st.DataObject, text: str) -> bytes:
    """Other line endings and encodings, and random bytes inserted."""
    ending = data.draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "\x85", "\u2028"]), label="eol")
    text = text.replace("\n", ending)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                          "utf-32", "latin-1"]), label="encoding")
    raw = text.encode(encoding, "replace")
    for _ in range(data.draw(st.integers(0, 3), label="random bytes")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=4), label="bytes") + raw[at:]
    return raw


def _mutated(data: st.DataObject, seeds: list[str]) -> bytes:
    text = data.draw(st.sampled_from(seeds), label="seed")
    if data.draw(st.booleans(), label="structural"):
        docs = [d.obj for d in parse(text, "seed.yaml").documents]
        if docs:
            for _ in range(data.draw(st.integers(1, 3), label="changes")):
                k = data.draw(st.integers(0, len(docs) - 1), label="document")
                docs[k] = _mutate_object(data, docs[k])
            text = _dump(data, docs)
    for _ in range(data.draw(st.integers(0, 3), label="text changes")):
        text = _mutate_text(data, text)
    return _to_bytes(data, text)


@fuzz(short=120, long=40_000)
@given(data=st.data())
def test_mutated_corpus_documents(corpus: Path, data: st.DataObject) -> None:
    check_bytes(_mutated(data, corpus_seeds(str(corpus))))


@fuzz(short=60, long=15_000)
@given(data=st.data())
def test_mutated_rule_examples(data: st.DataObject) -> None:
    check_bytes(_mutated(data, builtin_seeds()))


# ----------------------------------------------------------------------- generated manifests

KINDS = [("v1", "Pod"), ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"),
         ("apps/v1", "ReplicaSet"), ("v1", "ReplicationController"), ("batch/v1", "Job"),
         ("batch/v1", "CronJob"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "List"),
         ("v1", "PodList"), ("extensions/v1beta1", "Ingress"), ("networking.k8s.io/v1", "Ingress"),
         ("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ("example.com/v1", "Widget"),
         ("v1", "NoSuchKind"), ("apps/v1beta1", "Deployment")]
FIELDS = ["metadata", "name", "namespace", "labels", "annotations", "spec", "template", "containers",
          "initContainers", "ephemeralContainers", "image", "ports", "containerPort", "selector",
          "matchLabels", "replicas", "env", "value", "resources", "limits", "requests", "items",
          "jobTemplate", "schedule", "rules", "http", "paths", "backend", "data", "type", "versions",
          "schema", "openAPIV3Schema", "names", "kind", "plural", "group", "scope", "served",
          "storage", "properties", "apiVersion"]

scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.sampled_from(["nginx", "nginx:latest", "nginx@sha256:" + "a" * 64, "a:b:c", "", "{{ x }}"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), inner, max_size=4),
                      max_leaves=16)
containers = st.lists(st.fixed_dictionaries({}, optional={"name": values, "image": values, "ports": values,
                                                           "env": values, "resources": values}),
                      max_size=3) | values
pod_specs = st.fixed_dictionaries({}, optional={"containers": containers, "initContainers": containers,
                                                "ephemeralContainers": containers, "volumes": values})


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    api_version, kind = draw(st.sampled_from(KINDS))
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    obj["metadata"] = draw(st.fixed_dictionaries({}, optional={"name": values, "namespace": values,
                                                               "labels": values}) | values)
    shape = draw(st.sampled_from(["pod", "template", "cron", "list", "any"]))
    if shape == "pod":
        obj["spec"] = draw(pod_specs)
    elif shape == "template":
        obj["spec"] = {"selector": draw(values), "template": {"metadata": draw(values), "spec": draw(pod_specs)}}
    elif shape == "cron":
        obj["spec"] = {"jobTemplate": {"spec": {"template": {"spec": draw(pod_specs)}}}}
    elif shape == "list":
        obj["items"] = draw(st.lists(manifests() | values, max_size=3))
    else:
        obj.update(draw(st.dictionaries(st.sampled_from(FIELDS), values, max_size=3)))
    return obj


@fuzz(short=100, long=30_000)
@given(data=st.data(), docs=st.lists(manifests() | values, min_size=1, max_size=3))
def test_generated_manifests(data: st.DataObject, docs: list[Any]) -> None:
    text = _dump(data, docs)
    if data.draw(st.booleans(), label="mutate"):
        text = _mutate_text(data, text)
    check_text(text)


# -------------------------------------------------------------------- arbitrary text and bytes

YAMLISH = st.lists(st.sampled_from(
    list("abk:- \n\t\r#&*!|>'\"{}[],?%@`~=.0123456789") + ["---", "...", "{{", "}}", "<<", "\x85", "\u2028",
                                                          "\ufeff", "\x00", "\x0c", "é", "😀", "\ud800"]),
    max_size=120).map("".join)


@fuzz(short=60, long=25_000)
@given(text=YAMLISH)
def test_arbitrary_yaml_text(text: str) -> None:
    check_text(text)
    check_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n" + text)


@fuzz(short=40, long=10_000)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    check_bytes(data)
    check_bytes(codecs.BOM_UTF16_LE + data, "bom.yaml")


@pytest.mark.parametrize("text", ["", "\n", "---", "- - -", "{", "*a", "&a", "!!", "<<: 1", "? a",
                                  "a: b: c", "\t", "\r", "\ufeff", "---\r\n---\r", "{{", "a:\n  - b\n c"])
def test_tiny_inputs(text: str) -> None:
    check_text(text)
    check_bytes(text.encode("utf-8", "surrogatepass"))

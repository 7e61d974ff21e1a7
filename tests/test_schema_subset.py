"""The Python subset check (kubelint/schema/subset.py) against jsonschema-rs.

A verdict of True makes a run skip jsonschema-rs for that document, so a True where
jsonschema-rs finds the value invalid would hide a finding: every verdict that is not None
must be jsonschema-rs's answer. Checked on hand-written cases for each keyword, on every
shipped schema the corpus reaches, and on generated schemas and values
(`KUBELINT_FUZZ_LONG=1` generates more).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.kube.groups import is_builtin_group
from kubelint.kube.versions import default_version, version_dir
from kubelint.parser import parse
from kubelint.schema import subset
from kubelint.schema.compiler import SchemaUnusable, compile_schema
from kubelint.schema.store import clear_caches, kind_schema
from kubelint.schema.subset import portable, verdict
from tests.conftest import REPO

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def rs_valid(schema: Any, value: Any) -> bool:
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=False, offline=True).is_valid(value)


@pytest.mark.parametrize(("schema", "value", "expected"), [
    ({"type": "integer"}, 1.0, True),  # JSON Schema: an integral number is an integer
    ({"type": "integer"}, 1.5, False),
    ({"type": "integer"}, True, False),  # a boolean is not a number
    ({"type": ["string", "null"]}, None, True),
    ({"type": "number"}, 3, True),
    ({"type": "object"}, [], False),
    ({"enum": [1]}, 1.0, True),
    ({"enum": [1]}, True, False),
    ({"const": False}, 0, False),
    ({"enum": [[1, 2]]}, [1.0, 2], True),
    ({"enum": [{"a": 1}]}, {"a": 1, "b": 2}, False),
    ({"required": ["a"]}, {"a": None}, True),
    ({"required": ["a"]}, "not an object", True),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}, False),
    ({"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": False}, {"x-a": 1}, True),
    ({"patternProperties": {"^x-": {"type": "integer"}}}, {"x-a": "one"}, False),
    ({"items": {"type": "integer"}}, [1, 2, "3"], False),
    ({"not": {"const": True}}, False, True),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 2, True),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 2, False),  # both pass: not exactly one
    ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}, {"a": 1}, False),
    ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}, {"c": 1}, True),
    ({"then": {"required": ["b"]}}, {}, True),  # without `if`, `then` does nothing
    ({"not": {"type": "integer", "minimum": 1}}, True, True),  # a bound ignores non-numbers
    ({"minimum": 1}, 0, False),
    ({"exclusiveMaximum": 2}, 2, False),
    ({"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}}, 1, False),
    ({"description": "words", "x-kubernetes-preserve-unknown-fields": True, "format": "int32"}, "x", True),
    ({"minLength": 2}, "a", False),
    ({"maxLength": 2}, "\u00e9\u00e9", True),  # characters, not bytes
    ({"minLength": 3}, 12345, True),  # a length bound ignores non-strings
    ({"maxItems": 1}, [1, 2], False),
    ({"minProperties": 1}, {}, False),
    ({"uniqueItems": True}, [1, 1.0], False),
    ({"uniqueItems": True}, [1, True], True),
    ({"multipleOf": 5}, 15, True),
    ({"multipleOf": 5}, 16, False),
    ({"pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}, "web-1", True),
    ({"pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}, "Web", False),
    ({"pattern": "^https?://"}, "ftp://x", False),
    ({"pattern": "^\\d{1,3}$"}, "1234", False),
    ({"pattern": "^\\d$"}, "\u0663", False),  # an Arabic-Indic digit: \\d is ASCII in jsonschema-rs
    ({"pattern": "^a"}, 7, True),  # a pattern ignores non-strings
    ({"prefixItems": [{"type": "string"}, {"type": "integer"}]}, ["a", 1, None], True),
    ({"prefixItems": [{"type": "string"}, {"type": "integer"}]}, ["a", "b"], False),
])
def test_each_keyword_answers_as_jsonschema_rs_does(schema: dict[str, Any], value: Any, expected: bool) -> None:
    assert verdict(schema, value) is expected
    assert rs_valid(schema, value) is expected


@pytest.mark.parametrize(("schema", "value"), [
    ({"contains": {"type": "string"}}, ["a"]),  # not modelled
    ({"pattern": "\\w+"}, "b"),  # \w: Unicode classes that differ between Python and Rust
    ({"pattern": "[[:alpha:]]"}, "b"),  # a POSIX class: Rust's only
    ({"pattern": "(a+)+$"}, "aaaa"),  # exponential in a backtracking engine
    ({"pattern": "^a.*b.*c.*d"}, "abcd"),  # three unbounded repeats: cubic
    ({"pattern": "^a"}, "a" * 300),  # too long to match in Python
    ({"pattern": "^a$"}, "a\n"),  # `$` differs before a newline
    ({"pattern": "a.b"}, "a\rb"),  # `.` differs at a carriage return
    ({"patternProperties": {"^\\s+$": {}}}, {"a": 1}),
    ({"multipleOf": 0.1}, 0.3),  # floating point: jsonschema-rs rounds its own way
    ({"items": {"type": "integer"}, "prefixItems": [{"type": "string"}]}, ["a", 1]),
    ({"patternProperties": {"^a$": {"type": "integer"}}}, {"a\n": "x"}),  # `$` differs before a newline
    ({"$ref": "https://example.com/schema"}, 1),
    ({"$ref": "#/$defs/missing"}, 1),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "type": "string"}, "x"),
    ({"items": [{"type": "string"}]}, ["x"]),  # the draft-7 array form
    ({"type": "number"}, float("nan")),
    ({"type": "object"}, {1: "integer key"}),
    ({"enum": ["a"]}, b"bytes"),
    ({"not": {"contains": {}}}, ["x"]),  # None stays None under `not`
])
def test_what_it_does_not_model_it_leaves_to_jsonschema_rs(schema: dict[str, Any], value: Any) -> None:
    assert verdict(schema, value) is None


def test_a_deep_value_is_left_to_jsonschema_rs() -> None:
    schema = {"$ref": "#/$defs/node", "$defs": {"node": {"items": {"$ref": "#/$defs/node"}}}}
    value: Any = []
    for _ in range(5000):
        value = [value]
    assert verdict(schema, value) is None


@functools.cache
def _corpus_documents(corpus: Path) -> list[tuple[str, Any]]:
    out = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        try:
            result = parse(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError):
            continue
        out.extend((str(path), doc.obj) for doc in result.documents)
    return out


def test_every_shipped_schema_the_corpus_reaches_gets_jsonschema_rs_answers(corpus: Path) -> None:
    """Each built-in document of the corpus, and each of them with every field's value swapped
    for another field's (so that wrong types reach every part of the schema)."""
    directory = version_dir(default_version(), True)
    assert directory is not None
    schemas: dict[tuple[str, str], Any] = {}
    said: dict[tuple[str, str], list[tuple[str, Any, Any]]] = {}
    for path, obj in _corpus_documents(corpus):
        api_version, kind = (obj.get("apiVersion"), obj.get("kind")) if isinstance(obj, dict) else (None, None)
        if not isinstance(api_version, str) or not isinstance(kind, str) or not is_builtin_group(api_version):
            continue
        key = (api_version, kind)
        if key not in schemas:
            schemas[key] = kind_schema(directory, api_version, kind)
        if schemas[key] is None:
            continue
        source = schemas[key].schema()
        said.setdefault(key, []).extend((path, value, verdict(source, value)) for value in (obj, *_swapped(obj)))
    assert _answered_as_jsonschema_rs_does(said, schemas) > 2000


def _answered_as_jsonschema_rs_does(said: dict[tuple[str, str], list[tuple[str, Any, Any]]],
                                    schemas: dict[tuple[str, str], Any]) -> int:
    """Asserts that every verdict given (path, value, verdict) per kind is its compiled
    validator's answer; how many were given."""
    answered = 0
    problems: list[str] = []
    for key, found in said.items():
        validator = schemas[key].validator()
        assert validator is not None, f"{key}: its schema must compile"
        for path, value, verdict_said in found:
            if verdict_said is None:
                continue
            answered += 1
            if verdict_said != validator.is_valid(value):
                problems.append(f"{path}: {key} {verdict_said}")
    assert not problems, problems[:10]
    return answered


def test_every_converted_crd_schema_the_corpus_reaches_gets_jsonschema_rs_answers(corpus: Path) -> None:
    """The same for custom resources, against their CRDs' schemas as crd.py converts them
    (null fields pruned first, as the API server does)."""
    from kubelint.schema.crd import custom_kinds_of
    from kubelint.schema.validator import prune_nulls

    documents = _corpus_documents(corpus)
    crds = [parse_one(obj) for _, obj in documents
            if isinstance(obj, dict) and obj.get("kind") == "CustomResourceDefinition"]
    kinds = {}
    for custom in custom_kinds_of(crds, True):
        kinds.setdefault((custom.api_version, custom.kind), custom.schema)
    said: dict[tuple[str, str], list[tuple[str, Any, Any]]] = {}
    for path, obj in documents:  # first every verdict, on the schemas converted lazily
        key = (obj.get("apiVersion"), obj.get("kind")) if isinstance(obj, dict) else (None, None)
        schema = kinds.get(key)  # type: ignore[arg-type]
        if schema is None:
            continue
        for value in (obj, *_swapped(obj)):
            value = prune_nulls(value)
            said.setdefault(key, []).append((path, value, verdict(schema.schema(), value)))  # type: ignore[arg-type]
    # then the compiled validators (which convert all of it)
    assert _answered_as_jsonschema_rs_does(said, kinds) > 500  # type: ignore[arg-type]


def parse_one(obj: Any) -> Any:
    """A Document around an object, for custom_kinds_of."""
    from kubelint.model import Document, Span

    return Document("crd.yaml", 0, obj, {}, Span(1, 1, 1, 1))


def _swapped(obj: Any) -> list[Any]:
    """Copies of `obj` with one leaf or subtree replaced by another one of a different type."""
    leaves: list[tuple[tuple[Any, ...], Any]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        leaves.append((path, value))
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(obj, ())
    out = []
    replacements = [None, 7, 2.5, "text", True, [], {}, {"unknown": 1}]
    step = max(1, len(leaves) // 4)  # four places, spread over the whole document
    for index, (path, value) in enumerate(leaves[1::step]):
        replacement = replacements[index % len(replacements)]
        if type(replacement) is type(value):
            continue
        out.append(_replaced(obj, path, replacement))
    return out


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replaced(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replaced(v, rest, new) if i == head else v) for i, v in enumerate(value)]


# ------------------------------------------------------------- generated schemas and values

PATTERNS = ["^a", "b$", "^[a-b]+$", "^(a|b)?x", "^\\d{1,2}$", "^x-", "a.b", "^$", "^[^a]*$", "(ab)+", "^a*?b"]
_json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 1.5, -2.0]),
                         st.sampled_from(["", "a", "b", "x-a", "$patch", "ab"]))
_values = st.recursive(_json_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["a", "b", "c", "x-a", "$patch"]), inner, max_size=3)), max_leaves=8)
_type_names = st.sampled_from(["null", "boolean", "integer", "number", "string", "array", "object"])


def _schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.fixed_dictionaries({"type": st.one_of(_type_names, st.lists(_type_names, min_size=1, max_size=3,
                                                                        unique=True))}),
        st.fixed_dictionaries({"enum": st.lists(_values, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"const": _values}),
        st.fixed_dictionaries({"properties": st.dictionaries(keys, inner, max_size=2)},
                              optional={"additionalProperties": inner,
                                        "patternProperties": st.dictionaries(st.sampled_from(["^x-", "^\\$patch$"]),
                                                                             inner, max_size=1),
                                        "required": st.lists(keys, max_size=2, unique=True)}),
        st.fixed_dictionaries({"items": inner}),
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"if": inner}, optional={"then": inner, "else": inner}),
        st.builds(lambda keyword, bound: {keyword: bound},
                  st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
                  st.sampled_from([0, 1, 1.5, -1])),
        st.fixed_dictionaries({"$ref": st.just("#/$defs/d")}),
        st.builds(lambda keyword, bound: {keyword: bound},
                  st.sampled_from(["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]),
                  st.integers(0, 3)),
        st.fixed_dictionaries({"uniqueItems": st.booleans()}),
        st.fixed_dictionaries({"multipleOf": st.sampled_from([1, 2, 3])}),
        st.fixed_dictionaries({"pattern": st.sampled_from(PATTERNS)}),
        st.fixed_dictionaries({"prefixItems": st.lists(inner, min_size=1, max_size=2)}),
    )


_schema_trees = st.recursive(st.one_of(st.booleans(), st.just({})), _schemas, max_leaves=6)


LONG = os.environ.get("KUBELINT_FUZZ_LONG") == "1"  # as in test_fuzz.py: longer and random


@settings(max_examples=8000 if LONG else 400, derandomize=not LONG, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(schema=_schema_trees, definition=_schema_trees, value=_values)
def test_generated_schemas_and_values_get_jsonschema_rs_answers(schema: Any, definition: Any, value: Any) -> None:
    root = {"$schema": DRAFT, "$defs": {"d": definition}, "allOf": [schema]}
    said = verdict(root, value)
    try:
        validator, used = compile_schema(root)
    except SchemaUnusable:
        # The subset check answers only for schemas that compile (compiler.KindSchema says
        # which): only compiling tells an unusable one.
        return
    if said is not None:
        assert said == validator.is_valid(value), (root, value)


_OPENAPI_WORDS = ["type", "properties", "items", "additionalProperties", "required", "enum", "nullable", "pattern",
                  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
                  "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "allOf",
                  "anyOf", "oneOf", "not", "format", "default", "x-kubernetes-int-or-string",
                  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]
_garbage = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                     st.sampled_from(["string", "object", "array", "integer", "number", "boolean", "^a", "[", "(?P<x>a)"]))
_open_api = st.recursive(_garbage, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(_OPENAPI_WORDS + ["a", "b"]), inner, max_size=5)), max_leaves=20)


@settings(max_examples=1500 if LONG else 200, derandomize=not LONG, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(open_api=_open_api, strict=st.booleans())
def test_a_schema_converted_from_any_crd_compiles(open_api: Any, strict: bool) -> None:
    """What lets the subset check answer for converted schemas (KindSchema.converted): crd.py
    writes them well-formed whatever the CRD holds, so none is unusable; and converted lazily
    (what the subset check sees) or all at once (what is compiled), they are one schema."""
    from kubelint.schema.crd import resource_schema
    from kubelint.schema.subset import materialize

    lazy = resource_schema(open_api, strict)
    answers = [verdict(lazy, value) for value in (None, {}, {"a": 1}, {"spec": {"a": [1]}})]
    whole = materialize(resource_schema(open_api, strict))
    compile_schema(whole)
    assert answers == [verdict(whole, value) for value in (None, {}, {"a": 1}, {"spec": {"a": [1]}})]


_pattern_text = st.text(st.sampled_from("ab01x-.\u00e9\u0663 \r\u2028\u0085"), max_size=8)
_patterns = st.text(st.sampled_from(list("ab01x-.^$|()[]?*+{},:\\d")), max_size=10)


@settings(max_examples=4000 if LONG else 500, derandomize=not LONG, deadline=None)
@given(pattern=_patterns, text=_pattern_text)
def test_a_portable_pattern_matches_as_in_jsonschema_rs(pattern: str, text: str) -> None:
    """Random patterns of the characters that matter and random strings (with a non-ASCII
    letter and an Arabic-Indic digit): where this module reads a pattern, Python's match is
    jsonschema-rs's."""
    schema = {"pattern": pattern}
    said = verdict(schema, text)
    if said is None:
        return
    try:
        expected = rs_valid(schema, text)
    except ValueError:
        return  # jsonschema-rs refuses the pattern: the schema is compiled without patterns
    assert said == expected, (pattern, text)


@pytest.mark.parametrize(("pattern", "expected"), [
    ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", True),
    ("^\\$(patch|retainKeys)$|^\\$(setElementOrder|deleteFromPrimitiveList)/.", True),
    ("^https?://", True),
    ("(ab)+", True),
    ("(a+)+", False),
    ("(a|b)*", False),
    (".*.*.*", False),
    ("(?=a)", False),
    ("(?P<name>a)", False),
    ("a{,3}", False),
    ("a++", False),
    ("[a-z&&b]", False),
    ("\\w", False),
    ("caf\u00e9", False),
    ("(a", False),
])
def test_which_patterns_are_portable(pattern: str, expected: bool) -> None:
    assert portable(pattern) is expected


# ----------------------------------------------------------------------------- in a run

VALID = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{n}
data:
  mode: fast
"""


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.2
          ports: [{containerPort: 8080}]
          securityContext: {allowPrivilegeEscalation: false}
"""


def test_a_run_over_valid_documents_does_not_load_jsonschema_rs(tmp_path: Path) -> None:
    """What the subset check is for: a pre-commit run on a valid file does without it (once
    the schema cache holds the bundled schemas and checked rule files, as after a first run)."""
    manifest = tmp_path / "deployment.yaml"
    manifest.write_text(DEPLOYMENT, encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from kubelint.cli import app
        try:
            app(["check", {str(manifest)!r}, "--no-cache"])
        except SystemExit:
            pass
        print("loaded" if "jsonschema_rs" in sys.modules else "not loaded", file=sys.stderr)
    """)
    env = {**os.environ, "KUBELINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KUBELINT_NO_CACHE", None)
    said = []
    for _ in range(2):  # the first run fills the schema cache
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, env=env,
                              timeout=60)
        said.append(done.stderr.strip().splitlines()[-1])
        assert "capabilities-not-dropped" in done.stdout
    assert said[1] == "not loaded"


def test_an_invalid_document_gets_its_findings_whichever_validator_saw_it_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid document among the first ones (the subset check says no, and the schema is
    compiled there and then) and one after the subset check's budget is spent get the same
    findings."""
    from kubelint.engine.run import lint_paths
    from kubelint.options import Options

    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  mode: [not, a, string]\n"
    allowance = 16
    many = "---\n".join(VALID.format(n=n) for n in range(allowance + 4))
    for first, later in (("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")):
        monkeypatch.setattr(subset.DOCUMENTS, "left", allowance)  # as if jsonschema-rs were not loaded yet
        clear_caches()  # the ConfigMap schema not compiled yet
        folder = tmp_path / first
        folder.mkdir()
        (folder / first).write_text(bad, encoding="utf-8")
        (folder / later).write_text(many + "---\n" + bad, encoding="utf-8")
        result = lint_paths([str(folder)], Options(jobs=1, cache=False))
        found = [(Path(f.file).name, f.rule, f.line, f.column, f.message) for f in result.findings
                 if f.rule in ("schema-invalid", "unknown-field")]
        alone = [f[1:] for f in found if f[0] == first]
        after = [f[1:] for f in found if f[0] == later]
        assert alone and len(alone) == len(after)
        offset = (allowance + 4) * 7  # six lines a document and its `---`
        assert [(rule, line + offset, column, message) for rule, line, column, message in alone] == after

"""Garbage in, findings out: no input makes the schema validator raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.model import Document, Span
from kubelint.schema import SchemaValidator

SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats() | st.text(max_size=8)
KEYS = st.sampled_from(["type", "properties", "items", "required", "enum", "pattern", "minimum",
                        "nullable", "oneOf", "anyOf", "allOf", "not", "additionalProperties",
                        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                        "x-kubernetes-embedded-resource", "spec", "replicas", "a", "$ref"]) | st.text(max_size=5)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                      max_leaves=30)
VALIDATOR = SchemaValidator((1, 37))


def _doc(obj: object) -> Document:
    return Document("fuzz.yaml", 0, obj, {}, Span(1, 1, 1, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=VALUES, metadata=VALUES)
def test_any_built_in_object_validates_without_raising(spec: object, metadata: object) -> None:
    for kind in ("Deployment", "Service"):
        api_version = "apps/v1" if kind == "Deployment" else "v1"
        doc = _doc({"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec})
        for rule, hit in VALIDATOR.validate(doc):
            assert rule in ("schema-invalid", "unknown-field") and hit.values["detail"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=VALUES, spec=VALUES)
def test_any_crd_schema_and_resource_validate_without_raising(schema: object, spec: object) -> None:
    crd = _doc({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "things.example.com"},
        "spec": {"group": "example.com", "names": {"kind": "Thing", "plural": "things"},
                 "versions": [{"name": "v1", "served": True, "schema": {"openAPIV3Schema": schema}}]},
    })
    validator = SchemaValidator((1, 37))
    validator.add_crds([crd])
    list(validator.validate(crd))
    for rule, hit in validator.validate(_doc({"apiVersion": "example.com/v1", "kind": "Thing", "spec": spec})):
        assert rule in ("schema-invalid", "unknown-field", "unknown-kind") and hit.values["detail"]

"""Kubernetes schema validation: embedded schemas per version, CRDs, user schema dirs.

The runner talks to this package only through `SchemaValidator`. The modules, one job each:
store (embedded schemas, bundled per kind), patches (fixes to them), crd (CRDs → schemas),
catalog (schema directories), compiler (jsonschema-rs, offline), errors (errors → findings),
unknown (kinds without a schema), suggest (did-you-mean).
"""

from __future__ import annotations

from kubelint.schema.validator import SchemaValidator

__all__ = ["SchemaValidator"]

"""A CRD text the tests share: a namespaced Backup kind of example.com/v1, whose spec's
properties each test writes."""

from __future__ import annotations

_HEAD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: backups.example.com}
spec:
  group: example.com
  names: {kind: Backup, plural: backups}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
"""


def backup_crd(spec_properties: str) -> str:
    """The CRD with `spec_properties` (YAML lines indented by 14 spaces) under spec.properties,
    from line 19 on."""
    return _HEAD + spec_properties

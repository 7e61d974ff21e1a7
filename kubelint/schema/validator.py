"""SchemaValidator: the one thing the runner uses from this package.

For each document it finds the schema of its apiVersion/kind - embedded (built-in groups), a
CRD from the linted input, or a user schema directory - validates, and yields findings as
(rule id, Hit) pairs. Everything costly happens on first need and is cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kubelint.kube.groups import group_of, is_builtin_group, is_tool_config
from kubelint.kube.lists import is_list
from kubelint.model import Document, Hit
from kubelint.schema.compiler import KindSchema
from kubelint.schema.store import kind_schema, served_kinds, version_dir

if TYPE_CHECKING:
    from kubelint.schema.catalog import SchemaDirs
    from kubelint.schema.crd import CustomKind

# What only CRDs, schema directories, unknown kinds or invalid documents need is imported
# on first need: a pre-commit run on one valid file does not pay for it.


class SchemaValidator:
    """Validates documents against the schema of their apiVersion/kind.

    `validate` yields (rule id, Hit) pairs; rule ids are schema-invalid, unknown-field and
    unknown-kind, and each Hit carries the finished message in values["detail"].
    """

    def __init__(self, kubernetes_version: tuple[int, int], strict: bool = True,
                 schema_dirs: Iterable[str] = ()) -> None:
        self.kubernetes_version = kubernetes_version
        self.strict = strict
        self.schema_dirs = list(schema_dirs)
        self._embedded = version_dir(kubernetes_version, strict)
        self._catalog: SchemaDirs | None = None
        self._input_kinds: dict[tuple[str, str], CustomKind] = {}

    def add_crds(self, documents: Iterable[Document]) -> None:
        """Register the CustomResourceDefinitions among `documents` for custom resources.

        The first definition of an apiVersion/kind wins, so the order of files decides, as it
        does for everything else in a run."""
        documents = list(documents)
        if not documents:
            return
        from kubelint.schema.crd import custom_kinds_of

        for custom in custom_kinds_of(documents, self.strict):
            self._input_kinds.setdefault((custom.api_version, custom.kind), custom)

    def replace_crds(self, documents: Iterable[Document]) -> None:
        """Forget the CRDs added so far and take these instead."""
        self._input_kinds = {}
        self.add_crds(documents)

    def validate(self, doc: Document) -> Iterator[tuple[str, Hit]]:
        api_version, kind = doc.api_version, doc.kind
        if not api_version or not kind or self._embedded is None or is_tool_config(api_version, kind):
            return iter(())
        found = self._validate(doc, api_version, kind)
        if kind not in NAMELESS_KINDS and group_of(api_version) not in _READ_BY_TOOLS and not _named(doc.obj):
            missing = Hit(("metadata", "name"), {"detail": "metadata.name: Required value: set `name` "
                                                           "(or `generateName`)"}, at="key")
            found = [f for f in found if f[1].path[:2] != ("metadata", "name")]
            found.insert(0, ("schema-invalid", missing))
        return iter(found)

    # --------------------------------------------------------------------------------------

    def _validate(self, doc: Document, api_version: str, kind: str) -> list[tuple[str, Hit]]:
        schema = self._schema_for(api_version, kind)
        instance = prune_nulls(doc.obj) if schema is not None and schema.custom else doc.obj
        if schema is not None and schema.conforms(instance):
            return []
        validator = schema.validator() if schema is not None else None
        if validator is None:
            from kubelint.schema import unknown
        if schema is None:
            if is_builtin_group(api_version):
                assert self._embedded is not None
                return [unknown.builtin(api_version, kind, served_kinds(self._embedded),
                                        self.kubernetes_version)]
            return [unknown.custom(api_version, kind, self._known_custom_kinds())]
        if validator is None:
            return [unknown.unusable(api_version, kind, schema.origin, schema.problem or "")]
        try:
            if validator.is_valid(instance):
                return []
            errors = list(validator.iter_errors(instance))
        except ValueError:
            # jsonschema-rs refuses values nested a few hundred levels deep; no Kubernetes
            # object is (yaml-complexity reports absurd nesting), so there is nothing to say.
            return []
        from kubelint.schema.errors import hits

        return hits(errors, schema, self.strict, instance)

    def _schema_for(self, api_version: str, kind: str) -> KindSchema | None:
        if is_builtin_group(api_version):
            assert self._embedded is not None
            return kind_schema(self._embedded, api_version, kind)
        custom = self._input_kinds.get((api_version, kind))
        if custom is not None:
            return custom.schema
        if not self.schema_dirs:
            return None
        catalog = self.catalog()
        found = catalog.json_schema(api_version, kind)
        if found is not None:
            return found
        for custom in catalog.custom_kinds():
            if custom.api_version == api_version and custom.kind == kind:
                return custom.schema
        return None

    def _known_custom_kinds(self) -> list[CustomKind]:
        known = list(self._input_kinds.values())
        if self.schema_dirs:
            known.extend(self.catalog().custom_kinds())
        return known

    def catalog(self) -> SchemaDirs:
        if self._catalog is None:
            from kubelint.schema.catalog import SchemaDirs

            self._catalog = SchemaDirs(self.schema_dirs, self.strict)
        return self._catalog


# Kinds that are only ever created to get an answer back: the API server needs no name for them.
NAMELESS_KINDS = frozenset({
    "TokenReview", "SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
    "LocalSubjectAccessReview", "SelfSubjectReview", "TokenRequest",
})


# Objects read by an installer rather than sent as they are (istioctl's IstioOperator).
_READ_BY_TOOLS = frozenset({"install.istio.io"})


def _named(obj: Any) -> bool:
    """Whether the object has what the API server needs to name it (a list has no name)."""
    if not isinstance(obj, dict) or is_list(obj):
        return True
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return meta is not None  # a metadata of the wrong type is the schema's finding
    return meta.get("name") not in (None, "") or meta.get("generateName") not in (None, "")


def prune_nulls(value: Any) -> Any:
    """The document as the API server validates a custom resource: null fields pruned first."""
    try:
        return _pruned(value)
    except RecursionError:
        return value


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value

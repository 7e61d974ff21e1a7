"""Fixes applied to the embedded Kubernetes schemas as they are loaded.

The schemas that kubernetes-validate ships are generated from the OpenAPI documents of each
Kubernetes release and are right almost everywhere. Where they reject what the API server
accepts, they are patched here, each patch with its reason:

1. IntOrString (targetPort, maxSurge, maxUnavailable, ...) is written as
   `oneOf: [{type: [string, null]}, {type: [integer, null]}]`. `null` matches both branches,
   so `maxSurge: null` fails the oneOf although the API server treats it as unset. Patched to
   one type list, `[integer, string, null]`, which also gives a one-line message.
2. Quantity (cpu, memory, storage) has the same oneOf over string and number, so `cpu: null`
   fails. Patched to `[number, string, null]`; `cpu: 2` and `cpu: 0.5` stay valid. Whether the
   string parses as a quantity is the invalid-quantity rule's business.
3. References are made local: kind files refer to "/api/_definitions.json#/$defs/X", which
   would be fetched as a URL; every `$ref` becomes "#/$defs/X" inside one bundled schema.
4. Enumerated string fields get their `enum` (enums.py, from kubelint/kube/enums.yaml): the
   schemas carry none, and the API server refuses a value outside the list.
5. `description` and the `x-kubernetes-*` annotations are dropped: they do not validate
   anything, and without them a schema compiles about five times faster.
6. Strategic-merge directives (`$patch`, `$retainKeys`, `$setElementOrder/<list>`,
   `$deleteFromPrimitiveList/<list>`) are accepted as keys of every object: they are
   instructions to the merge in a patch (`- name: sidecar` + `$patch: delete`), never unknown
   fields. A document holding one is a patch wherever it lives (kube/kustomize.py), and no
   field of any Kubernetes object starts with `$`, so nothing else is let through.

Traps that need no patch: `metadata.creationTimestamp: null` (Time allows null), unquoted
dates (kubelint's parser keeps them strings), and `format` (never checked, see compiler.py).
Status blocks are handled where errors are read (errors.py), not here.
"""

from __future__ import annotations

from typing import Any

from kubelint.kube.kustomize import PATCH_DIRECTIVE_PATTERN

REF_PREFIXES = ("/api/_definitions.json#/$defs/", "_definitions.json#/$defs/", "#/$defs/")

REPLACED_DEFINITIONS: dict[str, dict[str, Any]] = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": ["integer", "string", "null"]},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": ["number", "string", "null"]},
}

_DROPPED_KEYS = frozenset({"description", "$id"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def definition_name(ref: str) -> str | None:
    """The definition a `$ref` of the embedded schemas names, or None for any other reference."""
    for prefix in REF_PREFIXES:
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return None


def localise(schema: Any, referenced: set[str], names: bool = False) -> Any:
    """A copy of `schema` with local references, without annotations; collects the references.

    `names` marks a mapping of field names (`properties`), whose keys are kept as they are."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if names:
                out[key] = localise(value, referenced)
            elif key in _DROPPED_KEYS or key.startswith("x-kubernetes-"):
                continue
            elif key == "$ref" and isinstance(value, str):
                name = definition_name(value)
                if name is None:
                    continue  # never followed: nothing may leave this machine
                referenced.add(name)
                out[key] = "#/$defs/" + name
            else:
                out[key] = localise(value, referenced, key in _NAME_MAPS)
        if out.get("additionalProperties") is False and not names:  # strict: unknown fields refused
            out["patternProperties"] = {**(out.get("patternProperties") or {}), PATCH_DIRECTIVE_PATTERN: {}}
        return out
    if isinstance(schema, list):
        return [localise(item, referenced) for item in schema]
    return schema


def patched_definition(name: str, definition: Any, referenced: set[str],
                       enums: dict[str, Any] | None = None) -> Any:
    replacement = REPLACED_DEFINITIONS.get(name)
    if replacement is not None:
        return dict(replacement)
    local = localise(definition, referenced)
    fields = enums.get(name) if enums else None
    if fields:
        from kubelint.schema.enums import apply

        local = apply(local, fields)
    return local


Localised = tuple[Any, frozenset[str]]


def bundle(root: dict[str, Any], definitions: dict[str, Any],
           done: dict[str, Localised] | None = None, enums: dict[str, Any] | None = None) -> dict[str, Any]:
    """One self-contained schema: `root` plus only the definitions it reaches, patched.

    `done` keeps definitions already localised for other kinds (ObjectMeta, PodSpec, ...): they
    are shared between bundles, never copied twice; nothing mutates them afterwards. `enums`
    (definition → field → allowed values) must be the same for every call sharing `done`."""
    done = {} if done is None else done
    referenced: set[str] = set()
    bundled = localise(root, referenced)
    included: dict[str, Any] = {}
    pending = sorted(referenced)
    while pending:
        name = pending.pop()
        if name in included:
            continue
        if name not in done:
            found: set[str] = set()
            definition = definitions.get(name)
            local = patched_definition(name, definition, found, enums) if definition is not None else {}
            done[name] = (local, frozenset(found))
        included[name], found_here = done[name]
        pending.extend(sorted(found_here - included.keys()))
    bundled["$defs"] = dict(sorted(included.items()))
    bundled["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return bundled

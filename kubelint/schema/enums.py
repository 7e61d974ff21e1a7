"""The enumerated fields of built-in kinds (kubelint/kube/enums.yaml) as schema patches.

The shipped schemas carry no `enum`; the table is injected into the definitions as each kind's
bundle is built, so the validator refuses `type: LoadBalancr` the way the API server does, at
the value, in every kind that embeds the definition. The empty string and null stay valid:
the API server reads them as unset and applies the default.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from kubelint.kube.versions import release

TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kube", "enums.yaml")
Patches = dict[str, dict[str, tuple[tuple[Any, ...], bool]]]  # definition → field → (values, items)


@functools.cache
def _entries() -> tuple[dict[str, Any], ...]:
    from kubelint.resources import load_yaml_data

    try:
        data = load_yaml_data(TABLE)
    except (OSError, ValueError):
        return ()
    fields = data.get("fields") if isinstance(data, dict) else None
    return tuple(e for e in fields or () if isinstance(e, dict))


@functools.cache
def patches(version: tuple[int, int] | None) -> Patches:
    """The allowed values of each enumerated field at `version` (None: every value)."""
    out: Patches = {}
    for entry in _entries():
        values: list[Any] = []
        for value in entry.get("values") or ():
            if isinstance(value, dict):
                since = value.get("since")
                if version is not None and since is not None and (release(since) or (0, 0)) > version:
                    continue
                value = value.get("value")
            values.append(value)
        out.setdefault(entry["definition"], {})[entry["field"]] = (tuple(values), bool(entry.get("items")))
    return out


def apply(definition: Any, fields: dict[str, tuple[tuple[Any, ...], bool]]) -> Any:
    """A copy of a localised definition with `enum` on its enumerated fields."""
    props = definition.get("properties") if isinstance(definition, dict) else None
    if not isinstance(props, dict):
        return definition
    new_props = dict(props)
    for name, (values, items) in fields.items():
        field = props.get(name)
        if not isinstance(field, dict):
            continue
        allowed = [*values, "", None]
        if items:
            inner = field.get("items")
            if isinstance(inner, dict):
                new_props[name] = {**field, "items": {**inner, "enum": allowed}}
        else:
            new_props[name] = {**field, "enum": allowed}
    return {**definition, "properties": new_props}

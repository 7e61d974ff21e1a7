"""A built object's field → the line a person wrote.

kustomize re-sorts keys and renumbers nothing it need not, so the text of the build says
little about the source; the field path does. For a field of a built object, in order:

1. the origin file, when the field is written there with the value the build has (the list
   items found by their merge key, `name` or `mountPath`, not by index: a patch may add
   containers before them);
2. else the kustomization entry that set it: the `images:` entry of an ImageTagTransformer,
   `replicas:`, `namePrefix:`/`nameSuffix:`, `namespace:`, `commonLabels:`/`labels:`,
   `commonAnnotations:`, a patch (its file's line, or the inline patch's line in the
   kustomization), a generator's entry; the transformers each object names
   (transformerAnnotations) say which kustomizations to read, latest first;
3. else the origin object itself: the deepest part of the path written there
   (`how == "object"`, to be said "after building <root>").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kubelint.model import Document, FieldPath
from kubelint.project.files import documents, parse_text
from kubelint.project.kustomize_build import BuiltObject, Transformation

_UNSET: Any = object()
# The keys by which a strategic merge finds list items, most specific first.
_MERGE_KEYS = ("name", "mountPath", "devicePath", "containerPort", "port", "ip", "topologyKey")


@dataclass(frozen=True)
class Location:
    """Where a built field was written. `how` says what wrote it: "origin" (the object's own
    file), "images", "replicas", "namePrefix", "nameSuffix", "namespace", "commonLabels",
    "labels", "commonAnnotations", "patch", "transformer" (a `transformers:` config file),
    "generator", or "object" (not found: the origin
    object's nearest line). `root` is the kustomization root built, for "after building …";
    `entry` describes the kustomization entry in words when one set the field."""

    file: str
    line: int
    column: int
    how: str
    root: str
    entry: str = ""

    @property
    def position(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.column)

    @property
    def exact(self) -> bool:
        """Whether the line writes the field (not only the object that has it)."""
        return self.how != "object"

    def note(self) -> str:
        """Words for a finding's message: where the value comes from and the build."""
        if self.entry:
            return f"set by {self.entry}, after building {self.root}"
        return f"after building {self.root}"


def locate(built: BuiltObject, path: FieldPath, value: Any = _UNSET, at: str = "value") -> Location | None:
    """Where the field at `path` of a built object (with `value`, by default the built one)
    was written; None when the object names no local file or kustomization to point at.

    `at="key"`: in the origin file, the field's key (a finding about what a mapping lacks
    points at the mapping's key, as in a file linted alone)."""
    path = tuple(path)
    if value is _UNSET:
        value = _get(built.obj, path, _UNSET)
    origin = built.origin
    doc = _origin_document(origin.file, built) if origin.file else None
    if doc is not None:
        translated, complete = _translate(built.obj, path, doc.obj)
        if complete and _same(_get(doc.obj, translated, _UNSET), value):
            return _at(doc, translated, "origin", origin.root, at=at)
        if value is _UNSET:  # a missing field: where it would be added
            return _at(doc, translated, "origin", origin.root, at=at)
    if value is not _UNSET:
        for step in reversed(origin.transformations):
            found = _by_transformer(step, built, path, value, doc)
            if found is not None:
                return found
    if origin.generator and origin.kustomization:
        found = _generator(origin.kustomization, origin.generator, built, origin.root)
        if found is not None:
            return found
    if doc is not None:
        translated, _ = _translate(built.obj, path, doc.obj)
        return _at(doc, translated, "object", origin.root)
    return None


# ------------------------------------------------------------------------------ the origin

def _origin_document(file: str, built: BuiltObject) -> Document | None:
    """The document of `file` the object came from: same kind, its name inside the built
    name (a prefix or suffix was added), the longest such name."""
    same_kind = [d for d in documents(file) if isinstance(d.obj, dict) and d.obj.get("kind") == built.kind]
    if len(same_kind) <= 1:
        return same_kind[0] if same_kind else None
    name = built.name or ""
    named = [d for d in same_kind if isinstance(d.name, str) and d.name and d.name in name]
    if not named:
        return same_kind[0]
    return max(named, key=lambda d: len(d.name or ""))


def _translate(built: Any, path: FieldPath, target: Any) -> tuple[FieldPath, bool]:
    """`path` of the built object as a path of `target` (a source object or a patch): list
    items by merge key or equal value, not by index. Returns the part that exists there and
    whether it is the whole path."""
    out: list[Any] = []
    for part in path:
        if isinstance(part, int):
            if not isinstance(built, list) or not isinstance(target, list) or not 0 <= part < len(built):
                return tuple(out), False
            item = built[part]
            index = _matching_item(item, target, part)
            if index is None:
                return tuple(out), False
            built, target = item, target[index]
            out.append(index)
        else:
            if not isinstance(built, dict) or not isinstance(target, dict) or part not in target:
                return tuple(out), False
            built, target = built.get(part), target[part]
            out.append(part)
    return tuple(out), True


def _matching_item(item: Any, items: list[Any], index: int) -> int | None:
    """The item of `items` that `item` (at `index` of the built list) was made from: the one
    with its merge key (a named item that is not there is not there); else, when a patch
    changed the key (`port: 80` → `8081`), the one at the same place."""
    if isinstance(item, dict):
        for key in _MERGE_KEYS:
            if key in item:
                found = [i for i, other in enumerate(items) if isinstance(other, dict) and other.get(key) == item[key]]
                if found:
                    return found[0]
                if key == "name":  # a prefix or suffix added to a name reference (subjects)
                    named = [i for i, other in enumerate(items) if isinstance(other, dict)
                             and isinstance(other.get("name"), str) and isinstance(item["name"], str)
                             and other["name"] and other["name"] in item["name"]]
                    if named:
                        return named[0]
                    return index if len(items) == 1 and index == 0 and isinstance(items[0], dict) else None
                break
        return index if index < len(items) and isinstance(items[index], dict) else None
    found = [i for i, other in enumerate(items) if _same(other, item)]
    return found[0] if found else None


def _same(a: Any, b: Any) -> bool:
    if a is _UNSET or b is _UNSET:
        return False
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return isinstance(a, type(b)) or isinstance(b, type(a))  # the key is written there
    return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                             and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def _get(obj: Any, path: FieldPath, default: Any) -> Any:
    for part in path:
        in_list = isinstance(part, int) and isinstance(obj, list) and 0 <= part < len(obj)
        if not (in_list or (isinstance(part, str) and isinstance(obj, dict) and part in obj)):
            return default
        obj = obj[part]
    return obj


def _at(doc: Document, path: FieldPath, how: str, root: str, entry: str = "", at: str = "value") -> Location:
    span, _ = doc.locate(path, at)
    return Location(doc.file, span.line, span.column, how, root, entry)


# ------------------------------------------------------------------------------ transformers

def _kustomization(path: str | None) -> Document | None:
    if not path:
        return None
    found = documents(path)
    return found[0] if found and isinstance(found[0].obj, dict) else None


def _by_transformer(step: Transformation, built: BuiltObject, path: FieldPath, value: Any,
                    origin_doc: Document | None) -> Location | None:
    k = _kustomization(step.kustomization)
    if k is None:
        return None
    root = built.origin.root
    kind = step.kind
    spec = k.obj
    if kind == "ImageTagTransformer" and path and path[-1] == "image" and isinstance(value, str):
        return _image(k, value, root)
    if kind == "ReplicaCountTransformer" and path[-1:] == ("replicas",):
        for i, entry in enumerate(spec.get("replicas") or ()):
            if isinstance(entry, dict) and _names_match(entry.get("name"), built, origin_doc) \
                    and _same(entry.get("count"), value):
                return _at(k, ("replicas", i, "count"), "replicas", root, f"replicas: entry {entry.get('name')} of {k.file}")
    if kind in ("PrefixTransformer", "SuffixTransformer", "PrefixSuffixTransformer") and isinstance(value, str) \
            and isinstance(path[-1] if path else None, str) and str(path[-1]).lower().endswith("name"):
        prefix, suffix = spec.get("namePrefix"), spec.get("nameSuffix")
        if isinstance(prefix, str) and prefix and value.startswith(prefix):
            return _at(k, ("namePrefix",), "namePrefix", root, f"namePrefix: of {k.file}")
        if isinstance(suffix, str) and suffix and suffix in value:
            return _at(k, ("nameSuffix",), "nameSuffix", root, f"nameSuffix: of {k.file}")
    if kind == "NamespaceTransformer" and path[-1:] == ("namespace",) and _same(spec.get("namespace"), value):
        return _at(k, ("namespace",), "namespace", root, f"namespace: of {k.file}")
    if kind == "LabelTransformer" and path and isinstance(path[-1], str):
        labels = spec.get("commonLabels")
        if isinstance(labels, dict) and _same(labels.get(path[-1]), value):
            return _at(k, ("commonLabels", path[-1]), "commonLabels", root, f"commonLabels: of {k.file}")
        for i, entry in enumerate(spec.get("labels") or ()):
            pairs = entry.get("pairs") if isinstance(entry, dict) else None
            if isinstance(pairs, dict) and _same(pairs.get(path[-1]), value):
                return _at(k, ("labels", i, "pairs", path[-1]), "labels", root, f"labels: of {k.file}")
    if kind == "AnnotationsTransformer" and path and isinstance(path[-1], str):
        annotations = spec.get("commonAnnotations")
        if isinstance(annotations, dict) and _same(annotations.get(path[-1]), value):
            return _at(k, ("commonAnnotations", path[-1]), "commonAnnotations", root,
                       f"commonAnnotations: of {k.file}")
    if kind in ("PatchTransformer", "PatchStrategicMergeTransformer", "PatchJson6902Transformer"):
        return _patch(k, kind, built, path, value, origin_doc)
    return _transformer_config(k, step, path, value, root)


def _transformer_config(k: Document, step: Transformation, path: FieldPath, value: Any,
                        root: str) -> Location | None:
    """A transformer configured by a file of `transformers:` (`apiVersion: builtin`): the
    label or annotation entry of that file that gives the value."""
    import os

    if not path or not isinstance(path[-1], str):
        return None
    directory = os.path.dirname(k.file)
    files = [k.file] if k.obj.get("kind") == step.kind else [  # configuredIn: the config itself
        os.path.normpath(os.path.join(directory, entry)) for entry in k.obj.get("transformers") or ()
        if isinstance(entry, str) and "\n" not in entry]
    for file in files:
        for doc in documents(file):
            if not isinstance(doc.obj, dict) or doc.obj.get("kind") != step.kind:
                continue
            if step.name and doc.name and doc.name != step.name:
                continue
            for field in ("annotations", "labels"):
                values = doc.obj.get(field)
                if isinstance(values, dict) and _same(values.get(path[-1]), value):
                    return _at(doc, (field, path[-1]), "transformer", root, f"the transformer config {file}")
    return None


def _image(k: Document, value: str, root: str) -> Location | None:
    name = _image_name(value)
    for i, entry in enumerate(k.obj.get("images") or ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        if name not in (entry["name"], entry.get("newName")):
            continue
        where = f"images: entry {entry['name']} of {k.file}"
        for key, mark in (("digest", "@"), ("newTag", ":")):
            if entry.get(key) is not None and value.endswith(mark + str(entry[key])):
                return _at(k, ("images", i, key), "images", root, where)
        field = ("images", i, "newName") if "newName" in entry else ("images", i)
        return _at(k, field, "images", root, where)
    return None


def _image_name(image: str) -> str:
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _names_match(pattern: Any, built: BuiltObject, origin_doc: Document | None, regex: bool = False) -> bool:
    if not isinstance(pattern, str) or not pattern:
        return False
    names = {n for n in (built.name, origin_doc.name if origin_doc else None) if n}
    if pattern in names:
        return True
    if regex:
        try:
            if any(re.fullmatch(pattern, n) for n in names):
                return True
        except re.error:
            pass
    return built.name is not None and pattern in built.name


# ------------------------------------------------------------------------------ patches

def _patch(k: Document, kind: str, built: BuiltObject, path: FieldPath, value: Any,
           origin_doc: Document | None) -> Location | None:
    fields = {"PatchTransformer": "patches", "PatchStrategicMergeTransformer": "patchesStrategicMerge",
              "PatchJson6902Transformer": "patchesJson6902"}
    key = fields[kind]
    entries = k.obj.get(key)
    if not isinstance(entries, list):
        return None
    import os

    directory = os.path.dirname(k.file)
    for i in range(len(entries) - 1, -1, -1):  # a later patch wins
        entry = entries[i]
        target = entry.get("target") if isinstance(entry, dict) else None
        if isinstance(target, dict) and not _target_matches(target, built, origin_doc):
            continue
        text = entry if isinstance(entry, str) else entry.get("patch") if isinstance(entry, dict) else None
        file = entry.get("path") if isinstance(entry, dict) else None
        if isinstance(text, str) and ("\n" in text or text.lstrip().startswith(("{", "["))):
            docs = _inline_documents(k, (key, i) if isinstance(entry, str) else (key, i, "patch"), text)
            shown = f"the inline patch {key}[{i}] of {k.file}"
        else:
            name = file if isinstance(file, str) else text
            if not isinstance(name, str):
                continue
            patch_file = os.path.normpath(os.path.join(directory, name))
            docs = documents(patch_file)
            shown = f"the patch {patch_file}"
        for doc in docs:
            found = _in_patch(doc, built, path, value, origin_doc, target is not None)
            if found is not None:
                return _at(doc, found, "patch", built.origin.root, shown)
    return None


def _inline_documents(k: Document, where: FieldPath, text: str) -> list[Document]:
    """An inline patch parsed with lines of the kustomization (a block scalar's content starts
    on the line after its key); columns are the dedented text's."""
    span = k.node(where)
    if span is None:
        return []
    first = span.value.line  # `patch: |` line; the content follows
    return [d for d in parse_text(text, k.file, line_offset=first) if d.obj is not None]


def _in_patch(doc: Document, built: BuiltObject, path: FieldPath, value: Any, origin_doc: Document | None,
              targeted: bool) -> FieldPath | None:
    obj = doc.obj
    if isinstance(obj, list):  # a JSON 6902 patch: operations with JSON pointers
        pointer = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
        for j in range(len(obj) - 1, -1, -1):
            op = obj[j]
            if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "copy", "move") \
                    or not isinstance(op.get("path"), str):
                continue
            at = op["path"]
            if at == pointer or (at.endswith("/-") and pointer.startswith(at[:-1])):
                return (j, "value") if "value" in op else (j,)
            if pointer.startswith(at + "/") and "value" in op:
                rest = _relative(path, at)
                translated, complete = _translate(_get(built.obj, path[: len(path) - len(rest)], None),
                                                  rest, op["value"])
                if complete and _same(_get(op["value"], translated, _UNSET), value):
                    return (j, "value", *translated)
        return None
    if not isinstance(obj, dict):
        return None
    if not targeted:
        if obj.get("kind") != built.kind:
            return None
        meta = obj.get("metadata")
        if not _names_match(meta.get("name") if isinstance(meta, dict) else None, built, origin_doc):
            return None
    translated, complete = _translate(built.obj, path, obj)
    if complete and _same(_get(obj, translated, _UNSET), value):
        return translated
    return None


def _relative(path: FieldPath, pointer: str) -> FieldPath:
    depth = len([p for p in pointer.split("/") if p != ""])
    return tuple(path[depth:])


def _target_matches(target: dict[str, Any], built: BuiltObject, origin_doc: Document | None) -> bool:
    kind = target.get("kind")
    if isinstance(kind, str) and kind and kind != built.kind:
        return False
    name = target.get("name")
    return not (isinstance(name, str) and name and not _names_match(name, built, origin_doc, regex=True))


# ------------------------------------------------------------------------------ generators

def _generator(kustomization: str, generator: str, built: BuiltObject, root: str) -> Location | None:
    k = _kustomization(kustomization)
    if k is None:
        return None
    key = "secretGenerator" if "Secret" in generator else "configMapGenerator"
    for i, entry in enumerate(k.obj.get(key) or ()):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and built.name \
                and entry["name"] in built.name:
            return _at(k, (key, i, "name"), "generator", root, f"{key}: entry {entry['name']} of {k.file}")
    return None

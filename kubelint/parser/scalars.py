"""go-yaml's scalar rules: what Kubernetes reads an untagged or tagged scalar as.

Kubernetes reads YAML with go-yaml (YAML 1.1 flavour, via sigs.k8s.io/yaml), which differs from
PyYAML's resolvers: unquoted dates stay strings, `=` is a string, `1:20` is a string (PyYAML reads
a base-60 integer), `1e3` is a float, `y`/`n`/`on`/`off` are booleans. Also here: how non-string
keys become strings, and the one double-quoted escape go-yaml accepts and libyaml refuses.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kubelint.parser.problems import _BuildError

_BOOL = {
    "y": True, "Y": True, "yes": True, "Yes": True, "YES": True,
    "true": True, "True": True, "TRUE": True, "on": True, "On": True, "ON": True,
    "n": False, "N": False, "no": False, "No": False, "NO": False,
    "false": False, "False": False, "FALSE": False, "off": False, "Off": False, "OFF": False,
}  # fmt: skip
_NULL = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOAT = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip
# strconv.ParseInt(s, 0, 64) after go-yaml removed underscores.
_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NUMERIC_START = frozenset("+-.0123456789")
_WORDS: dict[str, Any] = {**_BOOL, **dict.fromkeys(_NULL)}  # the plain scalars that are no string
# First characters of plain scalars that can only be strings: nothing that go-yaml resolves to
# a number, bool, null or merge key starts with one of them. Checked inline, for speed.
_PLAIN_TEXT_START = frozenset(
    chr(c) for c in range(0x21, 0x7F) if chr(c) not in "+-.0123456789~yYnNtTfFoO<"
)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge", "!",
}  # fmt: skip


def resolve_plain(text: str) -> Any:
    """The value go-yaml gives an untagged plain scalar."""
    if not text:
        return None
    first = text[0]
    if first in _NUMERIC_START:
        plain = text.replace("_", "") if "_" in text else text
        # More than 21 characters cannot be a decimal int64/uint64 (and int() refuses
        # thousands of digits); hex, octal and binary parse in linear time at any length.
        if _INT.match(plain) and (len(plain) <= 21 or plain.lstrip("+-")[:1] == "0"):
            sign = -1 if plain[0] == "-" else 1
            body = plain.lstrip("+-")
            if body[:2] in ("0x", "0X"):
                value = int(body[2:], 16)
            elif body[:2] in ("0o", "0O"):
                value = int(body[2:], 8)
            elif body[:2] in ("0b", "0B"):
                value = int(body[2:], 2)
            elif len(body) > 1 and body[0] == "0":
                value = int(body[1:], 8)
            else:
                value = int(body)
            value *= sign
            if -(2**63) <= value < 2**64:
                return value
        if _FLOAT.match(plain):
            number = float(plain)
            if number not in (math.inf, -math.inf):
                return number
            return text  # strconv.ParseFloat reports a range error: go-yaml keeps the string
        special = _SPECIAL_FLOAT.get(text)
        if special is not None:
            return special
        return text
    if text in _NULL:
        return None
    boolean = _BOOL.get(text)
    if boolean is not None:
        return boolean
    return text


def _tagged(value: str, tag: str) -> Any:
    """A scalar with an explicit standard tag."""
    short = tag.rsplit(":", 1)[-1]
    if short in ("str", "binary", "timestamp", "!"):
        return value
    resolved = resolve_plain(value)
    if short == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if short == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    if short == "bool" and isinstance(resolved, bool):
        return resolved
    if short == "null" and resolved is None:
        return None
    raise _BuildError(f"cannot read {value!r} as !!{short}")


def _key_text(value: Any) -> str:
    """Kubernetes turns non-string keys into strings when it converts YAML to JSON."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# go-yaml, the API server's and kubectl's YAML reader, reads the escape \' in a double-quoted
# scalar as '; libyaml refuses it. (Both accept \/ and \<TAB>, so \' is the only escape where
# they part.) Such a file is parsed again with the escape rewritten to \L, of the same length,
# so every position stays right, and the line separator it yields is turned back into '.
_GO_YAML_QUOTE = "\\'"
_STAND_IN = "\\L"
_MAX_REWRITES = 1000


def _restore_quotes(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\u2028", "'")
    if isinstance(value, dict):
        return {k: _restore_quotes(v) for k, v in value.items()}  # keys keep their positions
    if isinstance(value, list):
        return [_restore_quotes(v) for v in value]
    return value

"""Resource quantities as the API server reads them (apimachinery's resource.Quantity).

A quantity is a signed decimal number followed by at most one suffix: a binary SI suffix
(Ki Mi Gi Ti Pi Ei, powers of 1024), a decimal SI suffix (n u m "" k M G T P E) or a decimal
exponent (`e3`, `E-2`, `e+6`). Anything else (`512mb`, `1.5.0`, `1000ms`, `1K`) is refused
with "quantities must match the regular expression …". Values are exact Fractions, so that
`0.5` and `500m` compare equal and nothing is lost to floating point.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
_QUANTITY = re.compile(rf"({_NUMBER})([A-Za-z]*)([+-]?[0-9]*)")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
# Exponents beyond this are clamped when computing a value: enough to order any real
# quantity, and it keeps `1e999999999` from building a billion-digit integer.
_EXPONENT_CLAMP = 400


def parse_quantity(value: Any) -> Fraction | None:
    """The exact value of a quantity (a string, or a YAML int/float), or None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()  # the JSON decoder trims spaces before parsing
    match = _QUANTITY.fullmatch(text)
    if not match:
        return None
    number, letters, exponent = match.groups()
    mantissa = Fraction(number.rstrip(".") or "0") if number not in ("+.", "-.", ".") else None
    if mantissa is None:
        return None
    if letters in ("e", "E") and exponent.lstrip("+-"):
        power = max(-_EXPONENT_CLAMP, min(_EXPONENT_CLAMP, int(exponent)))
        return mantissa * Fraction(10) ** power
    if exponent:
        return None  # digits after a suffix that is not an exponent: `1Ki2`, `1e`
    if letters in _BINARY:
        return mantissa * 1024 ** _BINARY[letters]
    if letters in _DECIMAL:
        return mantissa * Fraction(10) ** _DECIMAL[letters]
    return None


def is_quantity(value: Any) -> bool:
    return parse_quantity(value) is not None


# Unit spellings people write (lowercased) → the suffixes Kubernetes means by them.
_SUGGEST: dict[str, tuple[str, ...]] = {}
for _units, _suffixes in (
    (("k", "kb", "kib", "ki", "kbyte", "kbytes", "kilobytes"), ("Ki", "k")),
    (("mb", "mib", "mi", "mbyte", "mbytes", "megabytes"), ("Mi", "M")),
    (("g", "gb", "gib", "gi", "gbyte", "gbytes", "gigabytes"), ("Gi", "G")),
    (("t", "tb", "tib", "ti", "terabytes"), ("Ti", "T")),
    (("p", "pb", "pib", "pi"), ("Pi", "P")),
    (("eb", "eib", "ei"), ("Ei", "E")),
    (("ms", "millicores", "millicore", "millicpu", "mcpu", "mc", "millis"), ("m",)),
    (("cpu", "cpus", "core", "cores", "vcpu", "vcpus", "b", "byte", "bytes"), ("",)),
):
    for _unit in _units:
        _SUGGEST[_unit] = _suffixes


def suggest_quantity(value: str) -> list[str]:
    """Valid quantities that an invalid one most likely meant, best first (may be empty)."""
    text = value.strip()
    match = re.fullmatch(rf"({_NUMBER})\s*([A-Za-z]+)", text)
    if not match:
        return []
    number, unit = match.groups()
    if is_quantity(number + unit):  # only the space was wrong: `100 m`
        return [number + unit]
    suffixes = _SUGGEST.get(unit.lower(), ())
    return [number + suffix for suffix in suffixes if is_quantity(number + suffix)]


def format_quantity(value: Fraction) -> str:
    """A short readable rendering of an exact value, for messages."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"

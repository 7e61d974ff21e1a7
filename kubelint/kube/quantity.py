"""Resource quantities as the API server reads them (apimachinery's resource.Quantity).

A quantity is a signed decimal number followed by at most one suffix: a binary SI suffix
(Ki Mi Gi Ti Pi Ei, powers of 1024), a decimal SI suffix (n u m "" k M G T P E) or a decimal
exponent (`e3`, `E-2`, `e+6`). Anything else (`512mb`, `1.5.0`, `1000ms`, `1K`) is refused
with "quantities must match the regular expression …". Values are exact whole numbers of
nano-units (the value × 10⁹, NANO): the server rounds every quantity up to a multiple of 1n, so
integers hold every value exactly, `0.5` and `500m` compare equal, and nothing is lost to
floating point (nor `fractions` and `decimal` imported, 2 ms of a one-file run).
"""

from __future__ import annotations

import math
import re
from typing import Any

_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"  # what a suggestion may start from
_SUFFIX_LETTERS = frozenset("eEinumkKMGTP")
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}  # powers of two
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_INT32_MAX = 2 ** 31 - 1
_INT64_MAX = 2 ** 63 - 1
NANO = 10 ** 9  # nano-units in one unit: what parse_quantity counts in
# Exponents beyond this are clamped when computing a value: enough to order any real
# quantity, and it keeps `1e999999999` from building a billion-digit integer.
_EXPONENT_CLAMP = 400


def _scan(text: str) -> tuple[bool, str, str, str, str] | None:
    """Split a quantity as apimachinery's parseQuantityString does: (negative, integer digits,
    fraction digits, the number as written, suffix), or None when the shape is wrong.

    Its quirks are the server's: leading zeros are dropped, and a number may have no digit at
    all (".", "-", "Ki" are zero), which the caller sorts out.
    """
    end, pos = len(text), 0
    negative = bool(text) and text[0] == "-"
    if text and text[0] in "+-":
        pos = 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return negative, "0", "", "0", ""
    start = pos
    while pos < end and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    num = text[start:pos] or "0"
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos].isdigit() and text[pos].isascii():
            pos += 1
        denom = text[start:pos]
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_LETTERS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    if pos < end:
        return None
    return negative, num, denom, value, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str] | None:
    """(base, exponent, format) of a suffix, as the server's suffixer reads it."""
    if suffix in _DECIMAL:
        return 10, _DECIMAL[suffix], "decimal"
    if suffix in _BINARY:
        return 2, _BINARY[suffix], "binary"
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if not body.isdigit() or not body.isascii():
            return None
        exponent = int(digits)
        if abs(exponent) > _INT32_MAX:
            return None  # outside the int32 scale: refused, not wrapped around
        return 10, exponent, "exponent"
    return None


def _needs_a_digit(num: str, denom: str, base: int, exponent: int) -> bool:
    """Whether ParseQuantity leaves its int64 fast path for the decimal parser, which (unlike
    the fast path) refuses a number with no digit at all."""
    if base == 10:
        precision = 18 - (len(num) + len(denom))
        scale = exponent
    elif exponent >= 0 and not denom:
        precision = 15 - len(num) - exponent * 3 // 10 - 1
        scale = 0
    else:
        return True
    return precision < 0 or scale - len(denom) < -9


def parse_quantity(value: Any) -> int | None:
    """The exact value of a quantity (a string, or a YAML int/float) in nano-units (NANO to
    the unit), or None if invalid.

    Strings are read as the server reads them (Quantity.UnmarshalJSON, which trims spaces, then
    ParseQuantity); the value is rounded away from zero to a multiple of 1n and binary values
    are capped at 2^63-1, as ParseQuantity does, so comparisons agree with the server's. A
    float is read as it is written (`0.1`, `1e-05`): the JSON number the server parses.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * NANO
    if isinstance(value, float):
        return parse_quantity(repr(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    scanned = _scan(text)
    if scanned is None:
        return None
    negative, num, denom, written, suffix = scanned
    interpreted = _interpret(suffix)
    if interpreted is None:
        return None
    base, exponent, form = interpreted
    if _needs_a_digit(num, denom, base, exponent) and not any(c.isdigit() for c in written):
        return None
    # The value is mantissa × base^exponent / 10^len(denom); in nano-units, rounded up.
    mantissa = int(num + denom)
    if base == 2:
        numerator, denominator = mantissa * 2 ** exponent * NANO, 10 ** len(denom)
    else:
        scale = max(-_EXPONENT_CLAMP, min(_EXPONENT_CLAMP, exponent)) + 9 - len(denom)
        numerator, denominator = (mantissa * 10 ** scale, 1) if scale >= 0 else (mantissa, 10 ** -scale)
    amount = -(-numerator // denominator)
    if form == "binary" and amount > _INT64_MAX * NANO:
        amount = _INT64_MAX * NANO
    return -amount if negative else amount


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


def format_quantity(nanos: int) -> str:
    """A short readable rendering of a parse_quantity value, for messages."""
    if nanos % NANO == 0:
        return str(nanos // NANO)
    return f"{nanos / NANO:g}"

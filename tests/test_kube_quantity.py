"""Quantities as resource.Quantity reads them: exact values, refusals and suggestions."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kubelint.kube.quantity import NANO, format_quantity, parse_quantity, suggest_quantity


@pytest.mark.parametrize("text,value", [
    ("1", 1), ("0.5", Fraction(1, 2)), (".5", Fraction(1, 2)), ("5.", 5), ("+5", 5), ("-1", -1),
    ("100m", Fraction(1, 10)), ("1Ki", 1024), ("1Mi", 1024 ** 2), ("1.5Gi", 3 * 1024 ** 3 // 2),
    ("1k", 1000), ("2M", 2 * 10 ** 6), ("1E", 10 ** 18), ("1Ei", 1024 ** 6),
    ("1e3", 1000), ("1E3", 1000), ("5e-2", Fraction(1, 20)), ("1e+3", 1000),
    ("1n", Fraction(1, 10 ** 9)), ("1u", Fraction(1, 10 ** 6)), (" 100m ", Fraction(1, 10)),
    (2, 2), (0.25, Fraction(1, 4)),
])
def test_valid_quantities(text: object, value: Fraction) -> None:
    assert parse_quantity(text) == value * NANO


# "." and "Ki" are zero to the server (see the decode corpus below), so they are not here.
@pytest.mark.parametrize("text", ["", "512mb", "1.5.0", "1000ms", "1K", "1KB", "1 Gi", "1e",
                                  "1ee3", "1Ki2", "1m3", "1gi", "10%", "--1", "1,5", True, None,
                                  float("inf")])
def test_invalid_quantities(text: object) -> None:
    assert parse_quantity(text) is None


def test_quantities_compare_exactly() -> None:
    assert parse_quantity("1") == parse_quantity("1000m")
    assert parse_quantity("1Gi") > parse_quantity("1G")  # type: ignore[operator]
    assert parse_quantity("0.1") == parse_quantity("100m")


def test_huge_exponents_stay_cheap() -> None:
    assert parse_quantity("1e999999999") > parse_quantity("1E")  # type: ignore[operator]


@pytest.mark.parametrize("text,expected", [
    ("512mb", ["512Mi", "512M"]), ("2GB", ["2Gi", "2G"]), ("1K", ["1Ki", "1k"]),
    ("1000ms", ["1000m"]), ("2cores", ["2"]), ("100 m", ["100m"]), ("1.5.0", []), ("lots", []),
])
def test_suggestions(text: str, expected: list[str]) -> None:
    assert suggest_quantity(text) == expected


def test_format() -> None:
    assert format_quantity(parse_quantity("1Ki")) == "1024"  # type: ignore[arg-type]
    assert format_quantity(parse_quantity("500m")) == "0.5"  # type: ignore[arg-type]


@pytest.mark.parametrize("value,text", [
    (0.1, "0.1"), (0.5, "500m"), (1e-05, "10u"), (1.5e20, "150E"), (100.0, "100"), (-0.25, "-250m"),
    (1e-12, "1n"),
])
def test_a_float_is_read_as_written_not_as_its_binary_value(value: float, text: str) -> None:
    """YAML `cpu: 0.1` reaches the server as the JSON number 0.1, which it reads as exactly
    1/10 (the float's binary value is a little more, and would exceed a limit of `100m`)."""
    assert parse_quantity(value) == parse_quantity(text)


# --------------------------------------------------------------------------------------------
# Upstream cases from kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/api/resource/:
# quantity_test.go (TestQuantityParse: its table, each also with a leading '-' and '+', and its
# `invalid` list) and testdata/quantity_decode_corpus.json (records of ParseQuantity, v1.37.0).

_UP_PARSE_OK = [
    "0", "0n", "0u", "0m", "0Ki", "0k", "0Mi", "0M", "0Gi", "0G", "0Ti", "0T", "1", "1Ki", "8Ki", "7Mi",
    "6Gi", "5Ti", "4Pi", "3Ei", "10Ti", "100Ti", "5n", "4u", "3m", "9", "8k", "50k", "7M", "6G", "5T",
    "40T", "300T", "2P", "1E", "1E-3", "1e3", "1E6", "1e9", "1E12", "1e15", "1E18", "1e14", "1e13",
    "100.035k", "0.001", "0.0005k", "0.005", "0.05", "0.5", "0.00050k", "0.00500", "0.05000", "0.50000",
    "0.5e0", "0.5e-1", "0.5e-2", "10.035M", "1.2e3", "1.3E+6", "1.40e9", "1.53E12", "1.6e15", "1.7E18",
    "9.01", "8.1k", "7.123456M", "6.987654321G", "5.444T", "40.1T", "300.2T", "2.5P", "1.01E", "3.001n",
    "1.1E-9", "0.0000000001", "0.0000000005", "0.00000000050", "0.5e-9", "0.9n", "0.00000012345",
    "0.00000012354", "9Ei", "9223372036854775807Ki", "12E", "100.035Ki", "0.5Mi", "0.05Gi", "0.025Ti",
    "0.000000000001Ki", ".001", ".0001k", "1.", "1.G",
]
_UP_PARSE_OK_SIGNED = [sign + text for text in _UP_PARSE_OK for sign in ("-", "+")]
_UP_PARSE_BAD = ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
                 "1e4294967297"]
# TestParseQuantityString, TestQuantityString (canonical and alternate forms), TestQuantityParseEmit
_UP_OTHER_OK = ["0.025Ti", "1.025Ti", "-1.025Ti", ".", "-.", "1E-3", "1024Mi", "1000M", ".001Ki",
                ".000001Ki", ".000000001Ki", ".000000000001Ki", "1Gi", "300Mi", "307200Ki", "6Ki",
                "1001Gi", "1025024Mi", "1Ti", "5000m", "500m", "1G", "0.001T", "1m", "1000u", "80m",
                "1080m", "1.08", "1080000000n", "300M", "1T", "1e21", "1000E", "5e21", "1e24", "10e69",
                "1e72", "1234567M", "1234567m", "3k", "1025", "1e9", ".001e12", "1e-3", "0.001e0",
                "1e-9", "1000e-12", "80e-3", "300e6", "1e12", "00", "1n", "80n", "1u", "1080u"]
# quantity_decode_corpus.json: a digit-less number is zero, but only where the fast path takes
# it; "Pi", "Ei" and exponents below -9 send it to the decimal parser, which needs a digit.
_UP_CORPUS = {
    "n": True, "m": True, "k": True, "E": True, "Ki": True, "Ti": True, "Pi": False, "Ei": False,
    "E3": True, "e+21": True, "e03": True, "e-10": False, "e-19": False, "e-9": True, "e-1": True,
    "e0": True, "e2147483647": True, "e2147483648": False, "e-2147483648": False,
    ".": True, ".n": True, ".Ki": True, ".Ti": True, ".Pi": False, ".Ei": False, ".e-10": False,
    ".e-9": True, ".e2147483648": False, "0Pi": True, "0Ei": True, "0e-10": True, "0.0Pi": True,
    "0.0e-1000": True, "01": True, "01Ei": True, "01e-1000": True, "1e-10": True, "5Ki": True,
    "-0.0": True, "-0.0Ei": True, "-01e-19": True, "-7Ei": True, "-8Ei": True, "-12Ei": True,
    "-12e-10": True, "-1e2147483647": True,
}


@pytest.mark.parametrize("text", _UP_PARSE_OK + _UP_PARSE_OK_SIGNED + _UP_OTHER_OK)
def test_upstream_parses(text: str) -> None:
    assert parse_quantity(text) is not None


@pytest.mark.parametrize("text", _UP_PARSE_BAD)
def test_upstream_refuses(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text,ok", sorted(_UP_CORPUS.items()))
def test_upstream_decode_corpus(text: str, ok: bool) -> None:
    assert (parse_quantity(text) is not None) is ok


@pytest.mark.parametrize("text,value", [
    ("3.001n", Fraction(4, 10 ** 9)), ("0.0000000001", Fraction(1, 10 ** 9)),
    ("0.00000012345", Fraction(124, 10 ** 9)), ("-0.9n", Fraction(-1, 10 ** 9)),
    ("9Ei", 2 ** 63 - 1), ("12E", 12 * 10 ** 18), ("0.000000000001Ki", Fraction(2, 10 ** 9)),
    ("100.035Ki", Fraction(10243584, 100)), (".", 0), ("Ki", 0),
])
def test_upstream_values_round_up_to_nano_and_cap_binary(text: str, value: Fraction) -> None:
    assert parse_quantity(text) == value * NANO


def test_upstream_whitespace() -> None:
    """ParseQuantity refuses " 1" and "1 ", but a manifest goes through UnmarshalJSON, which trims."""
    assert parse_quantity(" 1") == NANO and parse_quantity("1 ") == NANO

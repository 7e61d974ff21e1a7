"""Quantities as resource.Quantity reads them: exact values, refusals and suggestions."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kubelint.kube.quantity import format_quantity, parse_quantity, suggest_quantity


@pytest.mark.parametrize("text,value", [
    ("1", 1), ("0.5", Fraction(1, 2)), (".5", Fraction(1, 2)), ("5.", 5), ("+5", 5), ("-1", -1),
    ("100m", Fraction(1, 10)), ("1Ki", 1024), ("1Mi", 1024 ** 2), ("1.5Gi", 3 * 1024 ** 3 // 2),
    ("1k", 1000), ("2M", 2 * 10 ** 6), ("1E", 10 ** 18), ("1Ei", 1024 ** 6),
    ("1e3", 1000), ("1E3", 1000), ("5e-2", Fraction(1, 20)), ("1e+3", 1000),
    ("1n", Fraction(1, 10 ** 9)), ("1u", Fraction(1, 10 ** 6)), (" 100m ", Fraction(1, 10)),
    (2, 2), (0.25, Fraction(1, 4)),
])
def test_valid_quantities(text: object, value: Fraction) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", ".", "512mb", "1.5.0", "1000ms", "1K", "1KB", "1 Gi", "1e",
                                  "1ee3", "1Ki2", "1m3", "Ki", "1gi", "10%", "--1", "1,5", True, None,
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
    assert format_quantity(Fraction(1024)) == "1024"
    assert format_quantity(Fraction(1, 2)) == "0.5"

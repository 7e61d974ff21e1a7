"""Checks of the validity rules (see rules/validity/)."""

from __future__ import annotations

from kubelint.checks.base import CheckDef

CHECKS: dict[str, CheckDef] = {}

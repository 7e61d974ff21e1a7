"""Checks of the security rules (see rules/security/)."""

from __future__ import annotations

from kubelint.checks.base import CheckDef

CHECKS: dict[str, CheckDef] = {}

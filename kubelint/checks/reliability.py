"""Checks of the reliability rules (see rules/reliability/)."""

from __future__ import annotations

from kubelint.checks.base import CheckDef

CHECKS: dict[str, CheckDef] = {}

"""Autofix: findings that have one right answer rewritten by small text edits (see model.py).

FIXABLE lists the rules that have a fixer without importing them, so a run whose findings
have none pays nothing for this package; tests/test_fix_text.py holds it equal to FIXERS.
"""

from __future__ import annotations

FIXABLE = frozenset({"removed-api", "deprecated-api", "misplaced-field", "missing-selector",
                     "deprecated-service-account-field", "unknown-field", "schema-invalid"})

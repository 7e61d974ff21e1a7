"""Moved: the facts live beside the checks that read them, in kubelint/checks/run/facts.py.

Kept for the callers that still import them from here (engine/runner.py); import
`facts_of` and `ObjectFacts` from `kubelint.checks.run` instead.
"""

from __future__ import annotations

from kubelint.checks.run.facts import ObjectFacts, facts_of

__all__ = ["ObjectFacts", "facts_of"]

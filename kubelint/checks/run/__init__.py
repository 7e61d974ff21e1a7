"""The run-wide checks (rules with `target: run`), their facts and the run index.

The map step calls `facts_of` on each object (in worker processes) and sends the facts back;
the reduce step (engine/reduce.py) builds one `RunIndex` of them and calls each run-wide check
with it. One module per family of checks: references by name, selectors, duplicates,
autoscaling, Pod Security; operators.py says which namespaces an operator runs.
"""

from __future__ import annotations

from kubelint.checks.base import CheckDef
from kubelint.checks.run import autoscaling, duplicates, podsecurity, references, selectors
from kubelint.checks.run.facts import ObjectFacts, facts_of
from kubelint.checks.run.index import RunHit, RunIndex
from kubelint.checks.run.operators import operator_namespaces

CHECKS: dict[str, CheckDef] = {}
for _module in (duplicates, selectors, references, autoscaling, podsecurity):
    for _name, _check in _module.CHECKS.items():
        if _name in CHECKS:
            raise RuntimeError(f"check {_name!r} is defined twice")
        CHECKS[_name] = _check

__all__ = ["CHECKS", "ObjectFacts", "RunHit", "RunIndex", "facts_of", "operator_namespaces"]

"""Which rules run, at which severity: rule files, config, profile and command-line selection.

Users of kube-linter and ruff expect to try one rule on a repository without writing a config
(`--only`), to switch rules per run (`--enable`/`--disable`, ids or categories), and a profile
that maps to the Pod Security Standards level their namespaces enforce (`--profile`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from kubelint.engine.rules import Rule
from kubelint.errors import KubelintError
from kubelint.model import Severity

if TYPE_CHECKING:
    from kubelint.options import Options

PROFILES = ("baseline", "restricted")
# The levels a profile includes: Restricted is Baseline plus its own controls.
_LEVELS = {"baseline": ("baseline",), "restricted": ("baseline", "restricted")}
ALWAYS_ON_TARGETS = ("input",)


class SelectionError(KubelintError, ValueError):
    """An unknown rule id, category or profile: a usage error (exit 2)."""


def resolve(names: Iterable[str], rules: dict[str, Rule], what: str) -> set[str]:
    """Rule ids named by `names`, each an id or a category; unknown names are refused."""
    from kubelint.suggest import closest

    categories: dict[str, set[str]] = {}
    for rule in rules.values():
        categories.setdefault(rule.category, set()).add(rule.id)
    out: set[str] = set()
    for raw in names:
        for name in (part.strip() for part in raw.split(",")):
            if not name:
                continue
            if name in rules:
                out.add(name)
            elif name in categories:
                out |= categories[name]
            else:
                guess = closest(name, set(rules) | set(categories))
                hint = f"; did you mean {guess}?" if guess else "; `kubelint rules` lists the rules and categories"
                raise SelectionError(f"{what}: unknown rule or category {name!r}{hint}")
    return out


def select(rules: dict[str, Rule], options: Options) -> dict[str, Rule]:
    chosen: dict[str, Rule] = {}
    for rule_id, rule in rules.items():
        override = options.rules.get(rule_id)
        if override:
            changes: dict[str, object] = {}
            if "enabled" in override:
                changes["enabled"] = bool(override["enabled"])
            if override.get("severity"):
                changes["severity"] = Severity.parse(str(override["severity"]))
            if isinstance(override.get("params"), dict):
                changes["params"] = {**rule.params, **override["params"]}
            rule = replace(rule, **changes)  # type: ignore[arg-type]
        chosen[rule_id] = rule
    if options.profile:
        if options.profile not in PROFILES:
            raise SelectionError(f"--profile: unknown profile {options.profile!r}; "
                                 f"choose {' or '.join(PROFILES)}")
        # A profile adds the controls of its levels as errors; a rule of a stricter level
        # keeps the settings it had, so `--profile baseline` never hides a default warning.
        levels = _LEVELS[options.profile]
        for rule_id, rule in chosen.items():
            if rule.pss and rule.pss.get("level") in levels:
                params = {**rule.params, **rule.pss.get("params", {})}
                chosen[rule_id] = replace(rule, enabled=True, params=params, severity=Severity.ERROR)
    for rule_id in resolve(options.enable, rules, "--enable"):
        chosen[rule_id] = replace(chosen[rule_id], enabled=True)
    for rule_id in resolve(options.disable, rules, "--disable"):
        chosen[rule_id] = replace(chosen[rule_id], enabled=False)
    only = resolve(options.only, rules, "--only") if options.only else None
    for rule_id, rule in chosen.items():
        if rule.target in ALWAYS_ON_TARGETS:
            continue
        if only is not None:
            chosen[rule_id] = replace(rule, enabled=rule_id in only)
        elif options.schema_only and rule.target != "schema":
            chosen[rule_id] = replace(rule, enabled=False)
    # The peers' annotations (kube-linter, Polaris) are resolved through the rules' `peers:`.
    from kubelint.engine.suppress import register_peers

    register_peers(chosen.values())
    return chosen

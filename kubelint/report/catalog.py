"""The rule catalog for tools (JSON) and for people (docs/rules.md, `kubelint explain`), from the
rule files and what their checks declare.

Hand-kept rule docs drift from the code (Polaris' did); here the words, examples and peers
come from each rule's own file, the parameters from the check's parameter schema (name, type,
default, description: ruff's options), and a test fails when the committed docs/rules.md is
stale. The parameters reach a Rule as `docs["parameters"]` (engine/rules.py puts them there),
since this package reads only the model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kubelint.model import Rule

REGENERATE = "kubelint rules --format markdown --output docs/rules.md"
TOOLS = {"kube-linter": "kube-linter", "polaris": "Polaris", "kube-score": "kube-score",
         "checkov": "checkov", "pluto": "Pluto"}
_SECTIONS = (("what", "What it finds"), ("why", "Why it matters"), ("fix", "How to fix it"))


def _ordered(rules: Iterable[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (r.category, r.id))


def rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "category": rule.category,
        "severity": str(rule.severity),
        "enabled": rule.enabled,
        "summary": rule.summary,
        "peers": {tool: list(ids) for tool, ids in sorted(rule.peers.items()) if ids},
        "profile": rule.pss.get("level"),
        "pssControl": rule.pss.get("control"),
        "parameters": parameters(rule),
    }


def to_json(rules: Mapping[str, Rule]) -> str:
    return json.dumps([rule_dict(r) for r in _ordered(rules.values())], indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _block(text: str) -> str:
    return str(text).strip()


def parameters(rule: Rule) -> list[dict[str, Any]]:
    """The rule's parameters: name, type (in words), required, description and, when it has
    one, the default this rule uses unless the config says otherwise."""
    return [dict(p) for p in rule.docs.get("parameters") or () if isinstance(p, Mapping)]


def flow(value: Any) -> str:
    """A value as YAML flow: `[ALL, NET_RAW]`, `{a: 1}`, `true`."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1 << 30, allow_unicode=True)
    return str(text).strip().removesuffix("...").strip()


def _default(parameter: Mapping[str, Any]) -> str:
    if "default" in parameter:
        text = flow(parameter["default"])
        return text if len(text) <= 160 else text[:157] + "…"  # the rule file has it whole
    return "required" if parameter.get("required") else "none"


def _parameter_rows(rule: Rule) -> list[str]:
    found = parameters(rule)
    if not found:
        return []
    out = [f"**Parameters** (under `rules: {{{rule.id}: {{params: …}}}}` in `.kubelint.yaml`):", "",
           "| name | type | default | description |", "|---|---|---|---|"]
    for parameter in found:
        out.append(f"| `{parameter['name']}` | {_cell(parameter.get('type', ''))} | "
                   f"`{_cell(_default(parameter))}` | {_cell(parameter.get('description', ''))} |")
    return out + [""]


def _rule_section(rule: Rule) -> list[str]:
    facts = [f"**{rule.category}**", str(rule.severity),
             "on by default" if rule.enabled else "off by default"]
    if rule.pss.get("level"):
        control = f" ({rule.pss['control']})" if rule.pss.get("control") else ""
        facts.append(f"Pod Security Standards {rule.pss['level']}{control}")
    out = [f"## {rule.id}", "", " · ".join(facts), "", _cell(rule.summary), ""]
    for key, title in _SECTIONS:
        if rule.docs.get(key):
            out += [f"**{title}.** {_block(rule.docs[key])}", ""]
    if rule.docs.get("snippet"):
        out += ["```yaml", str(rule.docs["snippet"]).rstrip(), "```", ""]
    out += _parameter_rows(rule)
    for kind, title in (("bad", "Reported"), ("good", "Not reported")):
        for example in rule.examples.get(kind, []):
            if "manifest" not in example:
                continue
            out += [f"{title}: {_cell(example.get('description', ''))}", "", "```yaml",
                    str(example["manifest"]).rstrip(), "```", ""]
    peers = [f"{TOOLS.get(tool, tool)}: {', '.join(f'`{i}`' for i in ids)}"
             for tool, ids in sorted(rule.peers.items()) if ids]
    if peers:
        out += ["Peers: " + "; ".join(peers) + ".", ""]
    links = rule.docs.get("links") or []
    if links:
        out += ["See also: " + ", ".join(f"<{link}>" for link in links), ""]
    return out


def migration_rows(rules: Iterable[Rule]) -> list[tuple[str, str, list[str]]]:
    """(tool, its check id, the kubelint rules that cover it), from every rule's `peers:`."""
    table: dict[tuple[str, str], list[str]] = {}
    for rule in rules:
        for tool, ids in rule.peers.items():
            for peer in ids:
                table.setdefault((tool, peer), []).append(rule.id)
    def natural(item: tuple[tuple[str, str], list[str]]) -> tuple[str, list[Any]]:
        (tool, peer), _ = item  # CKV_K8S_9 before CKV_K8S_10
        return tool, [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", peer)]

    return [(tool, peer, sorted(ours)) for (tool, peer), ours in sorted(table.items(), key=natural)]


def to_markdown(rules: Mapping[str, Rule]) -> str:
    ordered = _ordered(rules.values())
    out = ["# kubelint rules", "",
           f"<!-- Generated from the rule files in rules/ by `{REGENERATE}`; do not edit. -->", "",
           f"{len(ordered)} rules. `kubelint explain <id>` prints the same text in a terminal; "
           "`kubelint rules --format json` gives the catalog to tools.", "",
           "| id | category | severity | default | summary |", "|---|---|---|---|---|"]
    for rule in ordered:
        out.append(f"| [{rule.id}](#{rule.id}) | {rule.category} | {rule.severity} | "
                   f"{'on' if rule.enabled else 'off'} | {_cell(rule.summary)} |")
    out.append("")
    for rule in ordered:
        out += _rule_section(rule)
    out += ["## Migrating from other linters", "",
            "The closest kubelint rule for each check of kube-linter, Polaris, kube-score, checkov "
            "and Pluto, from the rules' `peers:`.", "",
            "| tool | their check | kubelint rule |", "|---|---|---|"]
    for tool, peer, ours in migration_rows(ordered):
        out.append(f"| {TOOLS.get(tool, tool)} | `{_cell(peer)}` | "
                   + ", ".join(f"[{r}](#{r})" for r in ours) + " |")
    return "\n".join(out).rstrip() + "\n"


def explain_text(rule: Rule) -> str:
    """What `kubelint explain <rule>` prints: what it finds, why it matters, how to fix it, its
    parameters, a bad and a good example, its peers and links."""
    out: list[str] = [f"{rule.id} ({rule.severity}, {rule.category}, "
                      f"{'on' if rule.enabled else 'off'} by default)", "", rule.summary, ""]
    for title, key in (("What it finds", "what"), ("Why it matters", "why"), ("How to fix it", "fix")):
        if rule.docs.get(key):
            out += [f"{title}:", f"  {str(rule.docs[key]).strip()}", ""]
        if key == "fix" and rule.docs.get("snippet"):
            out += ["  " + line for line in str(rule.docs["snippet"]).rstrip().splitlines()] + [""]
    if rule.pss:
        out += ["Pod Security Standards:", f"  {str(rule.pss['level']).capitalize()} level, control "
                f"\"{rule.pss['control']}\" (`--profile {rule.pss['level']}` turns it on as an error)", ""]
    found = parameters(rule)
    if found:
        out.append(f"Parameters (in .kubelint.yaml: rules: {{{rule.id}: {{params: {{name: value}}}}}}):")
        for parameter in found:
            out.append(f"  {parameter['name']} ({parameter.get('type', 'any')}, default: {_default(parameter)})")
            if parameter.get("description"):
                out.append(f"    {parameter['description']}")
        out.append("")
    for title, key in (("Bad example", "bad"), ("Good example", "good")):
        examples = [e for e in rule.examples.get(key, []) if "manifest" in e]
        if examples:
            out.append(f"{title}:")
            out += ["  " + line for line in str(examples[0]["manifest"]).rstrip().splitlines()]
            out.append("")
    if rule.peers:
        out += ["The same check elsewhere:"] + [f"  {tool}: {', '.join(ids)}" for tool, ids in rule.peers.items()] + [""]
    links = rule.docs.get("links") or []
    if links:
        out += ["See also:"] + [f"  {link}" for link in links] + [""]
    return "\n".join(out).rstrip() + "\n"

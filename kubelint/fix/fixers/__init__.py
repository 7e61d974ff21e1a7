"""The fixers, one plain function per rule id: FixContext → Fix, NoFix (why not) or None."""

from __future__ import annotations

from collections.abc import Callable

from kubelint.fix.context import FixContext
from kubelint.fix.fixers import apis, schema, security, structure
from kubelint.fix.model import Fix, NoFix

Fixer = Callable[[FixContext], "Fix | NoFix | None"]

FIXERS: dict[str, Fixer] = {
    "removed-api": apis.migrate_api,
    "deprecated-api": apis.migrate_api,
    "misplaced-field": structure.move_misplaced,
    "missing-selector": structure.add_selector,
    "deprecated-service-account-field": security.service_account_name,
    "unknown-field": schema.rename_unknown,
    "schema-invalid": schema.retype_scalar,
}

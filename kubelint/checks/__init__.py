"""The Python checks that rule files name, by name.

Kept as an explicit table so that `grep` finds every check and the catalog test can tell which
ones no rule uses.
"""

from __future__ import annotations

from kubelint.checks.apis import api_lifecycle
from kubelint.checks.base import Check
from kubelint.checks.images import image_tag
from kubelint.checks.structure import misplaced_field, missing_selector

CHECKS: dict[str, Check] = {
    "api-lifecycle": api_lifecycle,
    "image-tag": image_tag,
    "misplaced-field": misplaced_field,
    "missing-selector": missing_selector,
}

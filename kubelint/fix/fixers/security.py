"""deprecated-service-account-field: serviceAccount → serviceAccountName."""

from __future__ import annotations

from kubelint.fix.context import FixContext
from kubelint.fix.model import Fix, NoFix
from kubelint.kube.workloads import get_path


def service_account_name(ctx: FixContext) -> Fix | NoFix | None:
    if not ctx.path or ctx.path[-1] != "serviceAccount":
        return None
    spec = get_path(ctx.tree.doc.obj, ctx.path[:-1])
    if not isinstance(spec, dict) or not isinstance(spec.get("serviceAccount"), str):
        return None
    if "serviceAccountName" not in spec:
        edit = ctx.tree.rename_key(ctx.path, "serviceAccountName")
        return ctx.fix("rename serviceAccount to serviceAccountName", [edit])
    # Unsafe even when both agree: which of the two a reader trusts is the author's call.
    return ctx.fix("remove serviceAccount (serviceAccountName is set)", [ctx.tree.delete_entry(ctx.path)],
                   safe=False)

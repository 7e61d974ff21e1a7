"""Resource names as the API server classes them (pkg/apis/core/helper): native, hugepages,
extended. The class decides what a container's requests and limits may say.

A name without a `/`, or with `kubernetes.io/` in it, is native (cpu, memory,
ephemeral-storage, hugepages-2Mi). Any other domain-prefixed name (nvidia.com/gpu,
amd.com/gpu, example.com/foo) is an extended resource, advertised by a device plugin and
counted in whole units. Neither extended resources nor hugepages can be overcommitted: a
request must equal the limit, and a request needs a limit.
"""

from __future__ import annotations

from kubelint.kube.names import qualified_name_problem
from kubelint.kube.quantity import NANO

HUGEPAGES_PREFIX = "hugepages-"


def is_native(name: str) -> bool:
    """In the kubernetes.io namespace: unprefixed, or `*kubernetes.io/*` (IsNativeResource)."""
    return "/" not in name or "kubernetes.io/" in name


def is_hugepages(name: str) -> bool:
    return name.startswith(HUGEPAGES_PREFIX)


def is_extended(name: str) -> bool:
    """A device plugin's resource (IsExtendedResourceName): not native, not a quota's
    `requests.` name, and a qualified name once `requests.` is put before it."""
    if is_native(name) or name.startswith("requests."):
        return False
    return qualified_name_problem("requests." + name) is None


def overcommit_allowed(name: str) -> bool:
    """Whether a request may be below its limit, or given without one (IsOvercommitAllowed)."""
    return is_native(name) and not is_hugepages(name)


def is_whole(nanos: int) -> bool:
    """What the server accepts where an integer is required (`nanos` a parse_quantity value):
    MilliValue() % 1000 == 0, the milli-value rounded up as Quantity.MilliValue rounds."""
    return -(-nanos // (NANO // 1000)) % 1000 == 0


def kind_of(name: str) -> str:
    """How a message names the class: "an extended resource", "a hugepages resource"."""
    return "a hugepages resource" if is_hugepages(name) else "an extended resource"

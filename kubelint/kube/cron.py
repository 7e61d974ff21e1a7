"""CronJob schedules and time zones as the API server validates them.

The server parses `spec.schedule` with the "standard" parser of robfig/cron v3: exactly five
fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-6 or
sun-sat; note 7 is not Sunday there), each a comma list of `*`, `?`, `N`, `N-M`, with an
optional `/step`; or a descriptor: @yearly @annually @monthly @weekly @daily @midnight @hourly
and `@every <Go duration>`. Since Kubernetes 1.27 a schedule containing "TZ" (a `TZ=` or
`CRON_TZ=` prefix) is refused on create in favour of `spec.timeZone`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MONTHS = {name: i for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DAYS = {name: i for i, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
# (name, minimum, maximum, names)
FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 6, _DAYS),
)
DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
TZ_REFUSED_SINCE = (1, 27)
_GO_DURATION = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+|[+-]?0")
_PROBE = "America/New_York"
_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def _number(text: str, names: dict[str, int]) -> int | str:
    if text.lower() in names:
        return names[text.lower()]
    if re.fullmatch(r"\+?[0-9]+", text):  # Go's strconv.Atoi also takes a leading '+'
        return int(text)
    return f"failed to parse number `{text}`"


def _range_problem(expr: str, field: str, low: int, high: int, names: dict[str, int]) -> str | None:
    parts = expr.split("/")
    if len(parts) > 2:
        return f"too many slashes in `{expr}`"
    bounds = parts[0].split("-")
    if bounds[0] in ("*", "?"):
        start, end = low, high
    else:
        if len(bounds) > 2:
            return f"too many hyphens in `{expr}`"
        first = _number(bounds[0], names)
        if isinstance(first, str):
            return first
        start = end = first
        if len(bounds) == 2:
            second = _number(bounds[1], names)
            if isinstance(second, str):
                return second
            end = second
    if len(parts) == 2:
        step = _number(parts[1], {})
        if isinstance(step, str):
            return step
        if len(bounds) == 1 and bounds[0] not in ("*", "?"):
            end = high  # `N/step` means `N-max/step`
        if step == 0:
            return f"step of `{expr}` must be a positive number"
    if start < low:
        return f"{field} {start} is below the minimum {low}"
    if end > high:
        return f"{field} {end} is above the maximum {high}"
    if start > end:
        return f"range `{expr}` starts after it ends"
    return None


def schedule_problem(schedule: str) -> str | None:
    """Why the server's cron parser refuses `schedule` (the TZ rule aside), or None.

    Follows cron.ParseStandard to the letter: the spec is not trimmed (so " @daily" and
    "@daily " are refused while extra spaces between fields are not), a `TZ=`/`CRON_TZ=` zone
    runs to the first space, and a descriptor must match exactly.
    """
    spec = schedule
    if not spec:
        return "the schedule is empty"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        if space < 0:
            return "a TZ= prefix must be followed by a space and the schedule"
        zone = spec[spec.index("=") + 1:space]
        if zone not in ("", "UTC", "Local") and not zone_exists(zone):
            return f"unknown time zone `{zone}`"
        spec = spec[space:].strip()
    if spec.startswith("@"):
        if spec in DESCRIPTORS:
            return None
        if spec.startswith("@every "):
            duration = spec[len("@every "):]
            return None if _GO_DURATION.fullmatch(duration) else f"`{duration}` is not a duration such as 1h30m"
        return f"unknown macro `{spec}`; use one of {', '.join(sorted(DESCRIPTORS))} or five fields"
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields (minute hour day-of-month month day-of-week), found {len(fields)}"
    for text, (field, low, high, names) in zip(fields, FIELDS, strict=True):
        for expr in (part for part in text.split(",") if part):
            problem = _range_problem(expr, field, low, high, names)
            if problem:
                return problem
    return None


def has_tz(schedule: str) -> bool:
    """The server's own test: any "TZ" in the schedule (a `TZ=` or `CRON_TZ=` prefix)."""
    return "TZ" in schedule


@lru_cache(maxsize=256)
def zone_exists(zone: str) -> bool:
    """Whether the time zone database knows `zone`; True when there is no database to ask."""
    if zone != _PROBE and not zone_exists(_PROBE):
        return True  # no system tz database and no `tzdata` package: do not guess
    import zoneinfo  # here: reading the tz paths at import was 2 ms of every run, CronJobs or none

    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def time_zone_problem(zone: str) -> str | None:
    """Why `spec.timeZone` is refused (Go's time.LoadLocation plus the server's name check)."""
    if not zone:
        return "must not be empty; omit the field to use the controller's time zone"
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part):
            return f"unknown time zone `{zone}`"
    if zone.lower() == "local":
        return "must be an explicit IANA time zone, not Local"
    if not zone_exists(zone):
        return f"unknown time zone `{zone}`"
    return None

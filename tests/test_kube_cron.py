"""CronJob schedules and time zones as the API server's parser (robfig/cron v3) reads them."""

from __future__ import annotations

import pytest

from kubelint.kube.cron import has_tz, schedule_problem, time_zone_problem


@pytest.mark.parametrize("schedule", [
    "* * * * *", "*/15 9-17 * * 1-5", "0 0 1 1 *", "0 0 * * 0", "0 0 * * 6", "5/10 * * * *",
    "0 6 1 jan,apr,jul,oct MON-FRI", "0 0 ? * ?", "0,30 * * * *", "0 0 31 dec sat",
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    "@every 1h30m", "@every 90s", "TZ=UTC 0 * * * *", "CRON_TZ=Europe/Berlin @daily",
    "  0  3  *  *  *  ",
])
def test_valid_schedules(schedule: str) -> None:
    assert schedule_problem(schedule) is None


@pytest.mark.parametrize("schedule,why", [
    ("", "empty"),
    ("0 */5 * * * *", "found 6"),
    ("* * * *", "found 4"),
    ("60 * * * *", "minute 60"),
    ("0 24 * * *", "hour 24"),
    ("0 0 0 * *", "below the minimum 1"),
    ("0 0 * 13 *", "month 13"),
    ("0 4 * * 7", "day of week 7"),
    ("*/0 * * * *", "positive"),
    ("5-1 * * * *", "starts after"),
    ("1-2-3 * * * *", "hyphens"),
    ("*/5/2 * * * *", "slashes"),
    ("0 0 L * *", "`L`"),
    ("0 0 * * mon#2", "mon#2"),
    ("@reboot", "macro"),
    ("@every 5 minutes", "duration"),
    ("TZ=Mars/Olympus 0 * * * *", "Mars/Olympus"),
])
def test_invalid_schedules(schedule: str, why: str) -> None:
    assert why in (schedule_problem(schedule) or "")


def test_tz_detection_is_the_servers() -> None:
    assert has_tz("TZ=UTC 0 * * * *")
    assert has_tz("CRON_TZ=UTC 0 * * * *")
    assert not has_tz("0 * * * *")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Etc/UTC", "UTC", "Etc/GMT+5"])
def test_valid_time_zones(zone: str) -> None:
    assert time_zone_problem(zone) is None


@pytest.mark.parametrize("zone", ["", "Local", "local", "Europe/Berln", "../etc/passwd", "/UTC",
                                  "Europe//Berlin", "America/Argentina/Buenos_Aires_Extra"])
def test_invalid_time_zones(zone: str) -> None:
    assert time_zone_problem(zone)


# --------------------------------------------------------------------------------------------
# Upstream cases. robfig/cron v3 (the parser Kubernetes vendors; parser_test.go: TestRange,
# TestField, TestParseScheduleErrors, TestStandardSpecSchedule, TestParseSchedule), written as
# whole standard schedules, and kubernetes pkg/apis/batch/validation/validation_test.go
# (TestValidateCronJob: its schedules and its time zone variables).

_UP_SCHEDULES_OK = [
    "5 * * * *", "@every 5m", "@midnight", "@hourly", "* * * * ?", "0 * * * *",
    "5 * * * *", "0 * * * *", "5-5 * * * *", "5-6 * * * *", "5-7 * * * *", "5-6/2 * * * *",
    "5-7/2 * * * *", "5-7/1 * * * *", "* */2 * * *", "5,6 * * * *", "5,6,7 * * * *",
    "1,5-7/2,3 * * * *", "TZ=UTC  5 * * * *", "TZ=Asia/Tokyo @midnight", "TZ=UTC  @midnight",
    "CRON_TZ=UTC 5 * * * *", "0 0 * jan-mar sun-sat", "0 0 * JAN mon", "0 0 1 * ?",
    "@every 1.5h", "@every 1h30m", "@every 300ms", "@every -5m", "@every 0", "* * * * */1",
    "*-5 * * * *",  # the range after '*' is never read
    "1,,2 * * * *",  # empty list items are dropped
    "+5 * * * *",  # strconv.Atoi takes a sign
]
_UP_SCHEDULES_BAD = [
    "", "error", "5 j * * *", "* * * *", "0 5 * * * *", "@every Xm", "@unrecognized",
    "5--5 * * * *", "* * * jan-x *", "* * 2-x * *", "*/-12 * * * *", "*//2 * * * *",
    "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 0 *", "* * * 13 *", "* * * * 7",
    "5-3 * * * *", "*/0 * * * *", "TZ=Nowhere/Town 5 * * * *",
    " @daily", "@daily ", "@every 5m ", "@every", "@every ", "@every 5", "@DAILY", "* * * * mon#2",
    "0 0 L * *", "0 0 ? * 1W",
]
_UP_ZONES_OK = ["UTC", "Europe/Rome", "America/New_York", "Asia/Tokyo"]
_UP_ZONES_BAD = ["", "LOCAL", "Local", " Europe/Rome", "Europe/Rome ", "Europe/InvalidRome", " ",
                 "AMERICA/new_york", "America/New York", " Continent/Zone", "Continent/InvalidZone"]


@pytest.mark.parametrize("schedule", _UP_SCHEDULES_OK)
def test_upstream_schedules_ok(schedule: str) -> None:
    assert schedule_problem(schedule) is None


@pytest.mark.parametrize("schedule", _UP_SCHEDULES_BAD)
def test_upstream_schedules_bad(schedule: str) -> None:
    assert schedule_problem(schedule)


@pytest.mark.parametrize("zone", _UP_ZONES_OK)
def test_upstream_zones_ok(zone: str) -> None:
    assert time_zone_problem(zone) is None


@pytest.mark.parametrize("zone", _UP_ZONES_BAD)
def test_upstream_zones_bad(zone: str) -> None:
    assert time_zone_problem(zone)


def test_tz_prefix_zones_are_go_load_location() -> None:
    """`TZ=` takes whatever time.LoadLocation takes: "" is UTC and "Local" is the server's zone."""
    assert schedule_problem("TZ= 0 * * * *") is None
    assert schedule_problem("TZ=Local 0 * * * *") is None

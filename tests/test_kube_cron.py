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

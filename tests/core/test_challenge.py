"""Challenge periods and seeds: same secret and period, same board; unknown before the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core import MAX_SEED, challenge_period, challenge_seed


def test_daily_periods_are_utc_dates() -> None:
    late_in_tokyo = datetime(2026, 11, 26, 8, 0, tzinfo=timezone(timedelta(hours=9)))
    assert challenge_period("daily", late_in_tokyo) == "2026-11-25"


@pytest.mark.parametrize(
    ("day", "week"),
    [(date(2026, 11, 25), "2026-W48"), (date(2027, 1, 1), "2026-W53"), (date(2024, 12, 30), "2025-W01")],
)
def test_weekly_periods_are_iso_year_weeks(day: date, week: str) -> None:
    assert challenge_period("weekly", day) == week


def test_the_seed_is_a_published_hmac_and_fits_javascript_numbers() -> None:
    seed = challenge_seed(b"secret", "daily", "2026-11-25", 5, "ASC")
    assert seed == 2209531837222648
    assert challenge_seed("secret", "daily", "2026-11-25", 5, "ASC") == seed
    assert 0 <= seed < MAX_SEED


def test_each_period_secret_grid_and_order_has_its_own_board() -> None:
    base = ("daily", "2026-11-25", 5, "ASC")
    seeds = {
        challenge_seed(b"secret", *base),
        challenge_seed(b"other", *base),
        challenge_seed(b"secret", "daily", "2026-11-26", 5, "ASC"),
        challenge_seed(b"secret", "daily", "2026-11-25", 6, "ASC"),
        challenge_seed(b"secret", "daily", "2026-11-25", 5, "DESC"),
        challenge_seed(b"secret", "weekly", "2026-W48", 5, "ASC"),
    }
    assert len(seeds) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((b"", "daily", "2026-11-25", 5, "ASC"), "secret must be a non-empty"),
        ((b"k", "ranked", "2026-11-25", 5, "ASC"), "mode must be 'daily' or 'weekly'"),
        ((b"k", "daily", "2026-W48", 5, "ASC"), "period must be a daily period"),
        ((b"k", "weekly", "2026-11-25", 5, "ASC"), "period must be a weekly period"),
        ((b"k", "weekly", "2026-W60", 5, "ASC"), "got '2026-W60'"),
        ((b"k", "daily", "2026-1-5", 5, "ASC"), "got '2026-1-5'"),
        ((b"k", "daily", "2026-11-25", 11, "ASC"), "needs a grid size in (3, 4, 5, 6, 7, 8, 9, 10), got 11"),
        ((b"k", "daily", "2026-11-25", 5, "UP"), "order must be one of"),
    ],
)
def test_bad_challenge_arguments_are_named(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        challenge_seed(*args)  # type: ignore[arg-type]


def test_periods_need_an_aware_time_and_a_challenge_mode() -> None:
    with pytest.raises(ValueError, match="when must be timezone-aware"):
        challenge_period("daily", datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="mode must be 'daily' or 'weekly'"):
        challenge_period("practice", datetime.now(UTC))
    with pytest.raises(TypeError, match="when must be a datetime or date, got str"):
        challenge_period("daily", "2026-01-01")  # type: ignore[arg-type]

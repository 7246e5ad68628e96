"""Date conventions of the legal rules (parcours.rules.dates, rows R-DATES-* of legal-sources)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.dates import (
    Span,
    add_delay,
    add_months,
    extend_by_suspensions,
    is_working_day,
    last_working_day,
    local_date,
    merge_spans,
    non_working_reason,
    period_last_day,
    subdivision_for_zone,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


class TestMonthsClampToMonthEnd:
    def test_31_january_plus_one_month_is_the_last_day_of_february(self):
        assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)

    def test_31_january_plus_one_month_in_a_leap_year_is_29_february(self):
        assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)

    def test_29_february_plus_12_months_is_28_february(self):
        assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)

    def test_31_august_plus_18_months(self):
        assert add_months(date(2025, 8, 31), 18) == date(2027, 2, 28)
        assert add_months(date(2026, 8, 31), 18) == date(2028, 2, 29)

    def test_negative_months(self):
        assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)

    def test_delay_is_months_then_days(self):
        assert add_delay(date(2026, 1, 31), months=1, days=10) == date(2026, 3, 10)

    def test_period_of_12_months_ends_the_day_before_the_same_date(self):
        assert period_last_day(date(2025, 1, 15), 12) == date(2026, 1, 14)
        assert period_last_day(date(2026, 1, 31), 1) == date(2026, 2, 27)

    @given(DAYS, st.integers(-240, 240))
    def test_add_months_keeps_the_day_or_clamps_to_month_end(self, day, months):
        result = add_months(day, months)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
        if result.day != day.day:
            assert result.day < day.day
            assert (result + timedelta(days=1)).day == 1


class TestLastWorkingDay:
    def test_a_sunday_shows_the_friday_before(self):
        assert last_working_day(date(2026, 3, 1)) == date(2026, 2, 27)
        assert non_working_reason(date(2026, 3, 1)) == "un dimanche"

    def test_a_working_day_is_itself(self):
        assert last_working_day(date(2026, 3, 2)) == date(2026, 3, 2)
        assert non_working_reason(date(2026, 3, 2)) is None

    def test_easter_monday_shows_the_thursday_before_the_weekend(self):
        # Monday 6 April 2026 (Easter Monday), Sunday 5, Saturday 4: Friday 3 April.
        assert last_working_day(date(2026, 4, 6)) == date(2026, 4, 3)

    def test_alsace_moselle_good_friday_is_a_holiday(self):
        assert last_working_day(date(2026, 4, 6), "57") == date(2026, 4, 2)
        assert "Vendredi saint" in (non_working_reason(date(2026, 4, 3), "6AE") or "")

    def test_guadeloupe_abolition_day_from_the_zone(self):
        subdivision = subdivision_for_zone("America/Guadeloupe")
        assert subdivision == "971"
        assert not is_working_day(date(2026, 5, 27), subdivision)
        assert is_working_day(date(2026, 5, 27), None)
        assert last_working_day(date(2026, 5, 27), subdivision) == date(2026, 5, 26)

    def test_christmas_and_st_stephen_in_moselle(self):
        assert last_working_day(date(2026, 12, 26), "57") == date(2026, 12, 24)

    @given(DAYS, st.sampled_from([None, "57", "6AE", "971", "972", "973", "974", "976"]))
    def test_last_working_day_is_on_or_before_and_a_working_day(self, due, subdivision):
        day = last_working_day(due, subdivision)
        assert day <= due
        assert is_working_day(day, subdivision)
        assert (due - day).days < 7
        for between in range(1, (due - day).days + 1):
            assert not is_working_day(day + timedelta(days=between), subdivision)


class TestLocalDate:
    def test_the_same_instant_is_a_different_date_in_paris_and_guadeloupe(self):
        instant = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
        assert local_date(instant, "Europe/Paris") == date(2026, 3, 2)
        assert local_date(instant, "America/Guadeloupe") == date(2026, 3, 1)
        assert local_date(instant, "Pacific/Tahiti") == date(2026, 3, 1)

    def test_noumea_is_already_tomorrow(self):
        instant = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
        assert local_date(instant, "Pacific/Noumea") == date(2026, 3, 2)

    def test_a_naive_instant_is_refused(self):
        with pytest.raises(ValueError, match="fuseau"):
            local_date(datetime(2026, 3, 1, 12, 0))


class TestSuspensionArithmetic:
    def test_the_end_is_exclusive(self):
        assert Span(date(2026, 3, 1), date(2026, 3, 11)).days == 10

    def test_an_empty_or_reversed_span_is_refused(self):
        with pytest.raises(ValueError):
            Span(date(2026, 3, 1), date(2026, 3, 1))

    def test_touching_and_overlapping_spans_merge(self):
        spans = [
            Span(date(2026, 3, 10), date(2026, 3, 20)),
            Span(date(2026, 3, 1), date(2026, 3, 10)),
            Span(date(2026, 3, 15), date(2026, 3, 25)),
            Span(date(2026, 5, 1), None),
            Span(date(2026, 6, 1), date(2026, 6, 5)),
        ]
        assert merge_spans(spans) == [
            Span(date(2026, 3, 1), date(2026, 3, 25)),
            Span(date(2026, 5, 1), None),
        ]

    def test_days_before_the_start_do_not_count(self):
        found = extend_by_suspensions(
            date(2026, 1, 1), date(2026, 12, 31), [Span(date(2025, 12, 1), date(2026, 1, 11))]
        )
        assert found.suspended_days == 10
        assert found.end == date(2027, 1, 10)

    def test_a_suspension_after_the_end_does_not_count(self):
        found = extend_by_suspensions(
            date(2026, 1, 1), date(2026, 6, 30), [Span(date(2026, 7, 1), date(2026, 8, 1))]
        )
        assert (found.end, found.suspended_days) == (date(2026, 6, 30), 0)

    def test_a_suspension_that_the_extension_reaches_counts_too(self):
        found = extend_by_suspensions(
            date(2026, 1, 1),
            date(2026, 6, 30),
            [Span(date(2026, 6, 1), date(2026, 6, 11)), Span(date(2026, 7, 5), date(2026, 7, 7))],
        )
        assert (found.end, found.suspended_days) == (date(2026, 7, 12), 12)

    def test_an_ongoing_suspension_leaves_the_end_unknown(self):
        found = extend_by_suspensions(
            date(2026, 1, 1), date(2026, 6, 30), [Span(date(2026, 3, 1), None)]
        )
        assert found.end is None

    @given(
        DAYS,
        st.integers(1, 2000),
        st.lists(st.tuples(st.integers(-100, 3000), st.integers(1, 400)), max_size=6),
    )
    def test_the_end_moves_by_the_suspended_days_counted(self, start, length, raw):
        end = start + timedelta(days=length)
        spans = [Span(start + timedelta(days=o), start + timedelta(days=o + n)) for o, n in raw]
        found = extend_by_suspensions(start, end, spans)
        assert found.end == end + timedelta(days=found.suspended_days)
        assert found.suspended_days == sum((s.end - s.start).days for s in found.counted)
        running = sum(
            1
            for i in range((found.end - start).days + 1)
            if not any(s.contains(start + timedelta(days=i)) for s in spans)
        )
        assert running == length + 1  # as many running days as without suspension

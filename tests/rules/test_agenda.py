"""Agenda rules: the appointment state machine (exhaustive), slots over holidays, time zones and
daylight-saving changes, booking limits, recurrence and attendance indicators."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.agenda import (
    TRANSITIONS,
    Action,
    AppointmentStatus,
    TemplateSpec,
    TransitionRefused,
    attendance,
    booking_problem,
    days_to_first_appointment,
    generate_slots,
    is_closed_day,
    median,
    next_status,
    recurrence_dates,
    subdivision_for,
    templates_overlap,
)

S = AppointmentStatus
PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
BEFORE = START - timedelta(hours=1)
AFTER = START + timedelta(hours=1)

EXPECTED = {
    (S.PLANIFIE, Action.HONORER): S.HONORE,
    (S.PLANIFIE, Action.ABSENT): S.ABSENT,
    (S.PLANIFIE, Action.EXCUSER): S.EXCUSE,
    (S.PLANIFIE, Action.ANNULER): S.ANNULE,
    (S.PLANIFIE, Action.REPORTER): S.REPORTE,
    (S.ABSENT, Action.EXCUSER): S.EXCUSE,
    (S.ABSENT, Action.CORRIGER): S.HONORE,
    (S.HONORE, Action.CORRIGER): S.ABSENT,
    (S.EXCUSE, Action.CORRIGER): S.ABSENT,
}
OUTCOMES = {Action.HONORER, Action.ABSENT, Action.EXCUSER, Action.CORRIGER}


def test_transition_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S, Action)))
def test_every_status_and_action(status: AppointmentStatus, action: Action) -> None:
    """Each of the 36 pairs, at the moment it is allowed (after the start for an outcome, before
    it for a cancellation or rescheduling): allowed pairs give the expected status, the others
    are refused with a French message."""
    now = AFTER if action in OUTCOMES else BEFORE
    if (status, action) in EXPECTED:
        assert next_status(status, action, starts_at=START, now=now) == EXPECTED[status, action]
    else:
        with pytest.raises(TransitionRefused, match="Impossible de passer"):
            next_status(status, action, starts_at=START, now=now)


@pytest.mark.parametrize("action", sorted(OUTCOMES & {Action.HONORER, Action.ABSENT}))
def test_an_outcome_cannot_be_recorded_before_the_appointment(action: Action) -> None:
    with pytest.raises(TransitionRefused, match="pas encore commencé"):
        next_status(S.PLANIFIE, action, starts_at=START, now=BEFORE)


@pytest.mark.parametrize("action", [Action.ANNULER, Action.REPORTER])
def test_a_past_appointment_cannot_be_cancelled_or_rescheduled(action: Action) -> None:
    with pytest.raises(TransitionRefused, match="déjà commencé"):
        next_status(S.PLANIFIE, action, starts_at=START, now=AFTER)


@pytest.mark.parametrize("final", [S.ANNULE, S.REPORTE])
def test_cancelled_and_rescheduled_are_final(final: AppointmentStatus) -> None:
    for action in Action:
        with pytest.raises(TransitionRefused):
            next_status(final, action, starts_at=START, now=AFTER)


def test_booking_limits() -> None:
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert booking_problem(now - timedelta(minutes=1), now) == "La date du rendez-vous est passée."
    assert booking_problem(now + timedelta(days=366), now) is None
    assert "plus d'un an" in (booking_problem(now + timedelta(days=367), now) or "")
    assert booking_problem(now + timedelta(hours=2), now) is None


# Holidays and subdivisions ------------------------------------------------------------------


def test_christmas_is_closed_everywhere() -> None:
    for subdivision in (None, "57", "974"):
        assert is_closed_day(date(2026, 12, 25), subdivision, weekend_allowed=False) == (
            "Jour férié : Noël."
        )


def test_reunion_abolition_of_slavery_day_is_closed_only_in_reunion() -> None:
    day = date(2026, 12, 21)  # a Monday; 20 December 2026 is a Sunday, the holiday is the 20th
    assert is_closed_day(date(2027, 12, 20), "974", weekend_allowed=False) is not None
    assert is_closed_day(date(2027, 12, 20), None, weekend_allowed=False) is None
    assert is_closed_day(day, "974", weekend_allowed=False) is None


def test_alsace_moselle_good_friday() -> None:
    good_friday = date(2027, 3, 26)
    assert "Vendredi saint" in (is_closed_day(good_friday, "57", weekend_allowed=False) or "")
    assert is_closed_day(good_friday, "6AE", weekend_allowed=False) is not None
    assert is_closed_day(good_friday, None, weekend_allowed=False) is None


def test_weekends_closed_unless_the_type_allows_them() -> None:
    saturday = date(2026, 11, 28)
    assert (
        is_closed_day(saturday, None, weekend_allowed=False) == "Le service est fermé le week-end."
    )
    assert is_closed_day(saturday, None, weekend_allowed=True) is None
    # TIG and DDSE types also work on public holidays.
    assert is_closed_day(date(2026, 12, 25), None, weekend_allowed=True) is None


@pytest.mark.parametrize(
    ("postal_code", "zone", "expected"),
    [
        ("57000", "Europe/Paris", "57"),
        ("67000", "Europe/Paris", "6AE"),
        ("68100", "Europe/Paris", "6AE"),
        ("59000", "Europe/Paris", None),
        ("97400", "Indian/Reunion", "974"),
        ("", "Indian/Reunion", "974"),
        ("97300", "America/Cayenne", "973"),
    ],
)
def test_subdivision_of_a_place(postal_code: str, zone: str, expected: str | None) -> None:
    assert subdivision_for(postal_code, zone) == expected


# Slot generation ----------------------------------------------------------------------------


def spec(weekday: int, hour: int = 9, duration: int = 45, **kw: date | None) -> TemplateSpec:
    return TemplateSpec(
        weekday=weekday,
        start=time(hour, 0),
        duration=duration,
        valid_from=kw.get("valid_from") or date(2026, 1, 1),
        valid_until=kw.get("valid_until"),
    )


def test_slots_skip_holidays_and_keep_local_time() -> None:
    # Fridays of December 2026 in Lille: the 25th (Christmas) is skipped.
    slots = list(
        generate_slots(
            spec(4), date(2026, 12, 1), date(2026, 12, 31), PARIS, None, weekend_allowed=False
        )
    )
    days = [s.astimezone(PARIS).date() for s, _ in slots]
    assert days == [date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18)]
    assert all(s.astimezone(PARIS).time() == time(9, 0) for s, _ in slots)
    assert all((e - s) == timedelta(minutes=45) for s, e in slots)


def test_slots_across_the_spring_daylight_saving_change() -> None:
    """09:00 in Paris is 08:00 UTC in winter and 07:00 UTC after 28 March 2027."""
    slots = list(
        generate_slots(
            spec(0), date(2027, 3, 20), date(2027, 4, 6), PARIS, None, weekend_allowed=False
        )
    )
    utc_hours = {s.astimezone(PARIS).date(): s.astimezone(UTC).hour for s, _ in slots}
    # 29 March 2027 is Easter Monday: no slot.
    assert utc_hours == {date(2027, 3, 22): 8, date(2027, 4, 5): 7}


def test_reunion_slots_are_in_reunion_time_without_daylight_saving() -> None:
    slots = list(
        generate_slots(
            spec(0), date(2027, 3, 20), date(2027, 4, 13), REUNION, "974", weekend_allowed=False
        )
    )
    assert {s.astimezone(UTC).hour for s, _ in slots} == {5}  # UTC+4 all year


def test_slots_respect_the_validity_period() -> None:
    slots = list(
        generate_slots(
            spec(1, valid_from=date(2026, 12, 8), valid_until=date(2026, 12, 15)),
            date(2026, 12, 1),
            date(2026, 12, 31),
            PARIS,
            None,
            weekend_allowed=False,
        )
    )
    assert [s.astimezone(PARIS).date() for s, _ in slots] == [date(2026, 12, 8), date(2026, 12, 15)]


def test_overlapping_templates() -> None:
    assert templates_overlap(spec(0, 9, 60), spec(0, 9, 30))
    assert templates_overlap(
        spec(0, 9, 90), TemplateSpec(0, time(10, 15), 30, date(2026, 1, 1), None)
    )
    assert not templates_overlap(spec(0, 9, 60), spec(0, 10, 60))  # back to back
    assert not templates_overlap(spec(0, 9, 60), spec(1, 9, 60))  # other weekday
    assert not templates_overlap(
        spec(0, 9, 60, valid_until=date(2026, 6, 30)), spec(0, 9, 60, valid_from=date(2026, 7, 1))
    )


def test_recurrence_keeps_the_local_time_across_daylight_saving() -> None:
    first = datetime(2027, 3, 15, 14, 0, tzinfo=PARIS)
    dates = recurrence_dates(first, 2, 3, PARIS)
    assert [d.date() for d in dates] == [date(2027, 3, 15), date(2027, 3, 29), date(2027, 4, 12)]
    assert {d.astimezone(PARIS).hour for d in dates} == {14}
    assert [d.astimezone(UTC).hour for d in dates] == [13, 12, 12]


# Indicators ---------------------------------------------------------------------------------


def test_attendance_rates() -> None:
    a = attendance([S.HONORE] * 7 + [S.ABSENT] * 2 + [S.EXCUSE] + [S.PLANIFIE] + [S.ANNULE] * 5)
    assert (a.past, a.honoured, a.absent, a.excused, a.without_outcome) == (11, 7, 2, 1, 1)
    assert a.attendance_rate == pytest.approx(0.7)
    assert a.no_show_rate == pytest.approx(0.2)
    assert a.missing_outcome_rate == pytest.approx(1 / 11)


def test_attendance_with_nothing_to_count() -> None:
    a = attendance([S.ANNULE, S.REPORTE])
    assert a.past == 0
    assert a.attendance_rate is None and a.missing_outcome_rate is None


@given(st.lists(st.sampled_from(list(S)), max_size=60))
def test_attendance_rates_are_proportions(statuses: list[AppointmentStatus]) -> None:
    a = attendance(statuses)
    assert a.honoured + a.absent + a.excused + a.without_outcome == a.past
    for rate in (a.attendance_rate, a.no_show_rate, a.missing_outcome_rate):
        assert rate is None or 0 <= rate <= 1


def test_delai_de_prise_en_charge() -> None:
    assert days_to_first_appointment(date(2026, 10, 1), date(2026, 10, 9)) == 8
    assert days_to_first_appointment(date(2026, 10, 1), None) is None
    assert days_to_first_appointment(date(2026, 10, 1), date(2026, 9, 1)) is None
    assert median([3, 1, 2]) == 2 and median([1, 2, 3, 10]) == 2.5 and median([]) is None

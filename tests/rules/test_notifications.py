"""Notification rules: the state machine (every pair), reminder times across zones and daylight
saving, retries, French dates, templates and SMS length."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.notifications import (
    PLACEHOLDERS,
    TRANSITIONS,
    Channel,
    MessageState,
    TransitionRefused,
    after_temporary_failure,
    can_move,
    check_move,
    french_datetime,
    gsm_length,
    is_stale,
    reminder_at,
    render,
    retry_delay,
    sms_parts,
    template_problems,
    to_gsm,
)

S = MessageState
ALLOWED = {
    (S.PROGRAMME, S.ENVOYE),
    (S.PROGRAMME, S.DELIVRE),
    (S.PROGRAMME, S.ECHOUE),
    (S.PROGRAMME, S.ANNULE),
    (S.ENVOYE, S.DELIVRE),
    (S.ENVOYE, S.ECHOUE),
    (S.ECHOUE, S.PROGRAMME),
    (S.ECHOUE, S.ANNULE),
}


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_every_transition_is_allowed_or_refused(current: S, target: S) -> None:
    if (current, target) in ALLOWED:
        assert can_move(current, target)
        assert check_move(current.value, target.value) is target
    else:
        assert not can_move(current, target)
        with pytest.raises(TransitionRefused, match="ne peut pas passer"):
            check_move(current, target)


def test_the_table_is_exactly_the_documented_one() -> None:
    assert set(TRANSITIONS) == ALLOWED
    for final in (S.DELIVRE, S.ANNULE):
        assert not any(can_move(final, target) for target in S)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


BOOKED = utc(2026, 1, 5, 9)


@pytest.mark.parametrize(
    ("starts_at", "zone", "days", "expected"),
    [
        # Paris in winter (UTC+1): J-2 at 10:00 = 09:00 UTC.
        (utc(2026, 2, 12, 13, 30), "Europe/Paris", 2, utc(2026, 2, 10, 9)),
        # Paris in summer (UTC+2): 10:00 = 08:00 UTC.
        (utc(2026, 6, 16, 12, 30), "Europe/Paris", 2, utc(2026, 6, 14, 8)),
        # Clocks go forward on Sunday 29 March 2026: an appointment on Tuesday 31 March has its
        # reminder on Sunday 29 at 10:00 summer time (08:00 UTC)…
        (utc(2026, 3, 31, 12, 30), "Europe/Paris", 2, utc(2026, 3, 29, 8)),
        # …on Monday 30 March, the reminder is on Saturday 28 at 10:00 winter time (09:00 UTC).
        (utc(2026, 3, 30, 12, 30), "Europe/Paris", 2, utc(2026, 3, 28, 9)),
        # Clocks go back on Sunday 25 October 2026.
        (utc(2026, 10, 27, 13, 30), "Europe/Paris", 2, utc(2026, 10, 25, 9)),
        (utc(2026, 10, 26, 13, 30), "Europe/Paris", 2, utc(2026, 10, 24, 8)),
        (utc(2026, 10, 26, 13, 30), "Europe/Paris", 1, utc(2026, 10, 25, 9)),
        # La Réunion (UTC+4, no daylight saving): 10:00 = 06:00 UTC all year.
        (utc(2026, 3, 31, 10), "Indian/Reunion", 2, utc(2026, 3, 29, 6)),
        (utc(2026, 10, 27, 10), "Indian/Reunion", 2, utc(2026, 10, 25, 6)),
        # Guyane (UTC-3): 10:00 = 13:00 UTC.
        (utc(2026, 6, 16, 17), "America/Cayenne", 1, utc(2026, 6, 15, 13)),
        # The local date counts, not the UTC one: 01:30 UTC on 12 Feb is 21:30 on 11 Feb in
        # Cayenne, so J-2 is 9 February.
        (utc(2026, 2, 12, 1, 30), "America/Cayenne", 2, utc(2026, 2, 9, 13)),
        # 22:00 UTC on 11 Feb is 02:00 on 12 Feb in La Réunion: J-2 is 10 February.
        (utc(2026, 2, 11, 22), "Indian/Reunion", 2, utc(2026, 2, 10, 6)),
    ],
)
def test_reminder_time(starts_at: datetime, zone: str, days: int, expected: datetime) -> None:
    assert reminder_at(starts_at, zone, now=BOOKED, days_before=days) == expected


def test_no_reminder_when_its_moment_has_passed_at_booking() -> None:
    starts_at = utc(2026, 2, 12, 13, 30)
    assert reminder_at(starts_at, "Europe/Paris", now=utc(2026, 2, 10, 9)) is None
    assert reminder_at(starts_at, "Europe/Paris", now=utc(2026, 2, 10, 8, 59)) == utc(
        2026, 2, 10, 9
    )
    assert reminder_at(starts_at, "Europe/Paris", now=utc(2026, 2, 12, 8)) is None


def test_reminder_hour_and_days_are_parameters() -> None:
    starts_at = utc(2026, 2, 12, 13, 30)
    assert reminder_at(starts_at, "Europe/Paris", now=BOOKED, days_before=1, hour=18) == utc(
        2026, 2, 11, 17
    )
    with pytest.raises(ValueError):
        reminder_at(starts_at, "Europe/Paris", now=BOOKED, days_before=0)


def test_stale_convocations_and_reminders() -> None:
    now = utc(2026, 2, 12, 13, 30)
    assert is_stale("rappel", now, now)
    assert is_stale("convocation", now - timedelta(minutes=1), now)
    assert not is_stale("rappel", now + timedelta(minutes=1), now)
    assert not is_stale("absence", now - timedelta(days=1), now)
    assert not is_stale("annulation", None, now)


def test_backoff_doubles_then_is_capped() -> None:
    minutes = [retry_delay(n) / timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert retry_delay(0) == timedelta(minutes=1)
    assert retry_delay(200) == timedelta(minutes=60)


def test_retry_after_is_honoured_when_longer() -> None:
    assert retry_delay(1, retry_after=120) == timedelta(seconds=120)
    assert retry_delay(5, retry_after=30) == timedelta(minutes=16)
    assert retry_delay(1, retry_after=10**9) == timedelta(hours=6)
    assert retry_delay(1, retry_after=-5) == timedelta(minutes=1)


def test_after_temporary_failure() -> None:
    now = utc(2026, 2, 12, 10)
    first = after_temporary_failure(1, now, max_attempts=3)
    assert first.state is S.PROGRAMME
    assert first.next_attempt_at == now + timedelta(minutes=1)
    assert after_temporary_failure(2, now, max_attempts=3).state is S.PROGRAMME
    last = after_temporary_failure(3, now, max_attempts=3)
    assert last.state is S.ECHOUE
    assert last.next_attempt_at is None


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        (utc(2026, 12, 1, 13, 30), "Europe/Paris", "mardi 1 décembre à 14h30"),
        (utc(2026, 12, 1, 13, 30), "Indian/Reunion", "mardi 1 décembre à 17h30"),
        (utc(2026, 12, 1, 2, 5), "America/Cayenne", "lundi 30 novembre à 23h05"),
        (utc(2026, 8, 15, 7), "Europe/Paris", "samedi 15 août à 9h00"),
    ],
)
def test_french_dates_in_the_spip_zone(moment: datetime, zone: str, text: str) -> None:
    assert french_datetime(moment, zone) == text


def test_template_problems() -> None:
    assert template_problems("RDV le {date} à {heure}. STOP : {stop}", Channel.SMS) == []
    unknown = template_problems("RDV le {date} {mesure} {stop}", "sms")
    assert any("Champ inconnu : {mesure}" in p for p in unknown)
    assert any("{stop}" in p for p in template_problems("RDV le {date}", "sms"))
    assert any("type de rendez-vous" in p for p in template_problems("{type} {stop}", "sms"))
    assert template_problems("Votre {type} le {date}", Channel.EMAIL) == []
    assert template_problems("   ", Channel.EMAIL) == ["Le texte du message est vide."]
    assert any("Champ inconnu" in p for p in template_problems("{}", "email"))


def test_render_keeps_unknown_placeholders_visible() -> None:
    values = dict.fromkeys(PLACEHOLDERS, "x")
    assert render("{date} {inconnu} {", values) == "x {inconnu} {"


def test_gsm_alphabet_and_parts() -> None:
    assert to_gsm("Empêchement à l’accueil, reçu « oui » août") == (
        'Empechement à l\'accueil, recu " oui " aout'
    )
    assert gsm_length("été à Noël") is None
    assert gsm_length(to_gsm("été à Noël")) == 10
    assert gsm_length("[€]") == 6
    assert sms_parts("a" * 160) == 1
    assert sms_parts("a" * 161) == 2
    assert sms_parts("a" * 306) == 2
    assert sms_parts("ê" * 70) == 1
    assert sms_parts("ê" * 71) == 2


# --- Properties -------------------------------------------------------------------------------

ZONES = st.sampled_from(
    ["Europe/Paris", "Indian/Reunion", "America/Cayenne", "Pacific/Noumea", "America/Martinique"]
)
MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(
    starts_at=MOMENTS,
    zone=ZONES,
    days=st.integers(1, 3),
    hour=st.integers(7, 20),
    lead=st.integers(0, 24 * 10),
)
def test_reminder_is_at_the_local_hour_before_the_appointment(
    starts_at: datetime, zone: str, days: int, hour: int, lead: int
) -> None:
    now = starts_at - timedelta(hours=lead)
    when = reminder_at(starts_at, zone, now=now, days_before=days, hour=hour)
    if when is None:
        return
    local = when.astimezone(ZoneInfo(zone))
    assert now < when < starts_at
    assert (local.hour, local.minute) == (hour, 0)
    assert local.date() == starts_at.astimezone(ZoneInfo(zone)).date() - timedelta(days=days)


@given(st.text(max_size=400))
def test_template_checks_never_crash(body: str) -> None:
    for channel in Channel:
        problems = template_problems(body, channel)
        assert all(isinstance(p, str) and p for p in problems)
    rendered = render(body, dict.fromkeys(PLACEHOLDERS, "v"))
    assert isinstance(rendered, str)
    assert sms_parts(to_gsm(rendered)) >= 1

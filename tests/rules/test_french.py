"""French calendar words (parcours.rules.french)."""

from datetime import UTC, date, datetime, timedelta

from django.utils import translation
from django.utils.dateformat import format as django_format

from parcours.rules.french import (
    day_and_time,
    long_datetime,
    plural_s,
    short_date,
    short_date_time,
)


def test_short_date_matches_the_dd_mm_yyyy_format_over_years_of_days():
    day = date(1999, 12, 25)
    for _ in range(12 * 366):
        assert short_date(day) == day.strftime("%d/%m/%Y")
        day += timedelta(days=1)


def test_short_date_pads_day_and_month():
    assert short_date(date(2026, 3, 5)) == "05/03/2026"


def test_long_datetime_in_the_spip_zone():
    moment = datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    assert long_datetime(moment, "Europe/Paris") == "mardi 1 décembre 2026 à 14 h 30"
    assert long_datetime(moment, "America/Cayenne") == "mardi 1 décembre 2026 à 10 h 30"


def test_plural_s_follows_french_zero_and_one_are_singular():
    assert [plural_s(n) for n in (0, 1, 1.5, 2, 10, -1, -2)] == ["", "", "", "s", "s", "", "s"]


def test_day_and_time_and_short_date_time_write_what_django_s_date_filter_writes():
    """The person file's appointments panel writes its dates in Python: the same text as the
    template filters it replaced (`date:"l j F Y à H:i"` and `date:"d/m/Y H:i"`), in French."""
    start = datetime(2026, 1, 1, 0, 5)
    with translation.override("fr"):
        for hours in range(0, 24 * 400, 37):  # every weekday, month, day and hour in turn
            moment = start + timedelta(hours=hours)
            assert day_and_time(moment) == django_format(moment, "l j F Y à H:i")
            assert short_date_time(moment) == django_format(moment, "d/m/Y H:i")

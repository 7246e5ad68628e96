"""One expected end per measure: the person file's calendar, the report prefilled from the file
(and so its frozen PDF/DOCX) and the report's page show the end computed from the timeline
(rules.legal_deadlines.measure_planned_end), never a stale `Measure.end_date` typed with another
convention (R-DATES-PERIODS, R-DATES-DELAYS)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.measures.models import Measure, MeasureSuspension
from parcours.measures.selectors import expected_end, expected_ends, measure_reports
from parcours.people.models import IncarcerationPeriod
from parcours.reports.models import Report
from tests.helpers import file_tab, text

from ..conftest import Cast
from ..factories import measure_type

pytestmark = pytest.mark.django_db


# (type, fields, the stored end typed by the greffe, the end computed by the timeline)
CASES = {
    # CP 131-22: 18 months from the day the conviction became exécutoire (R-DATES-DELAYS); the
    # stored date was typed as start + 6 months.
    "tig": (
        "tig",
        {
            "judgment_date": date(2026, 7, 20),
            "executoire_on": date(2026, 7, 28),
            "start_date": date(2026, 7, 28),
            "probation_months": None,
        },
        date(2027, 1, 28),
        date(2028, 1, 28),
    ),
    # CP 132-42: 12 months from 08/08/2026 end on 07/08/2027 (R-DATES-PERIODS); the stored date
    # was typed as start + 12 months.
    "sursis": (
        "sursis_probatoire",
        {
            "judgment_date": date(2026, 7, 20),
            "executoire_on": date(2026, 8, 8),
            "start_date": date(2026, 8, 8),
            "probation_months": 12,
        },
        date(2027, 8, 8),
        date(2027, 8, 7),
    ),
}


def _measure(cast: Cast, case: str) -> tuple[Measure, date, date]:
    code, values, stored, computed = CASES[case]
    measure = cast.person.measures.get()
    measure.measure_type = measure_type(code)
    measure.end_date = stored
    for name, value in values.items():
        setattr(measure, name, value)
    measure.save()
    return measure, stored, computed


def _report(clients: Any, cast: Cast, measure: Measure) -> Report:
    response = clients["cpip"].post(
        reverse("reports:create", args=[cast.person.public_id]),
        {"kind": "situation", "measure": measure.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Report.objects.get(person=cast.person)


@pytest.mark.parametrize("case", sorted(CASES))
def test_calendar_report_prefill_and_report_page_agree_on_the_end(
    cast: Cast, clients: Any, case: str
) -> None:
    measure, stored, computed = _measure(cast, case)
    calendar = text(clients["cpip"].get(file_tab(cast.person, "calendrier")))
    shown = re.search(r"Fin prévue :</strong>\s*(\d\d/\d\d/\d{4})", calendar)
    assert shown is not None and shown.group(1) == f"{computed:%d/%m/%Y}"
    report = _report(clients, cast, measure)
    line = report.content["mesures"]
    assert f"fin prévue le {computed:%d/%m/%Y}" in line
    assert f"{stored:%d/%m/%Y}" not in line
    page = text(clients["cpip"].get(reverse("reports:detail", args=[report.public_id])))
    assert f"fin prévue le {computed:%d/%m/%Y}" in page
    assert f"fin prévue le {stored:%d/%m/%Y}" not in page


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_synthese_card_shows_the_same_end(cast: Cast, clients: Any, case: str) -> None:
    _measure(cast, case)
    card = text(clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id])))
    assert f"{computed_of(case):%d/%m/%Y}" in card
    assert f"{CASES[case][2]:%d/%m/%Y}" not in card


def computed_of(case: str) -> date:
    return CASES[case][3]


def test_the_stored_end_is_kept_when_nothing_can_be_computed(cast: Cast) -> None:
    """A type without a computed end (a contrôle judiciaire…) and a sursis without its
    exécutoire date keep the date entered, said to be so."""
    measure = cast.person.measures.get()
    measure.executoire_on, measure.start_date, measure.execution_provisoire = None, None, False
    measure.end_date = date(2027, 9, 30)
    measure.save()
    end = expected_end(measure)
    assert (end.day, end.computed) == (date(2027, 9, 30), False)
    assert end.words == "fin prévue le 30/09/2027 (date saisie)"


def test_a_running_suspension_leaves_the_end_unknown(cast: Cast) -> None:
    measure, _stored, _computed = _measure(cast, "tig")
    MeasureSuspension.objects.create(
        measure=measure, start=date(2027, 2, 1), reason="motif_grave", created_by=cast.cpip
    )
    end = expected_ends(cast.person.pk)[measure.pk]
    assert (end.day, end.computed) == (None, True)
    assert "fin prévue inconnue" in end.words


def test_an_incarceration_moves_the_expected_end_as_it_moves_the_calendar(cast: Cast) -> None:
    """CP 132-43 al. 2: 40 days in prison push the probation's end by 40 days, on the calendar
    and in the expected end alike."""
    measure, _stored, _computed = _measure(cast, "sursis")
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2026, 10, 1), end=date(2026, 11, 10), created_by=cast.cpip
    )
    calendar = measure_reports(cast.person)[measure.pk].planned_end
    end = expected_ends(cast.person.pk)[measure.pk]
    assert calendar.day == end.day == date(2027, 9, 16)  # 07/08/2027 + 40 days
    assert end.computed and end.explanation == calendar.explanation
    assert end.words == "fin prévue le 16/09/2027"

"""Alerts: recomputation (set-based, idempotent), deadlines per article, the "À traiter" list
(scoped through the people's door, query budget), the person file panel, the nightly task."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.alerts.models import A_VENIR, DEPASSEE, IMMINENTE, Alert, urgency_q, with_urgency
from parcours.alerts.services import recompute_alerts
from parcours.measures.forms import MeasureForm
from parcours.measures.models import Measure, MeasureEvaluation, MeasureStatus
from parcours.people.models import IncarcerationPeriod
from parcours.rules.legal_deadlines import (
    CONVOCATION_SPIP_SPR,
    EXECUTION_STAGE,
    EXECUTION_TIG,
    FIN_MESURE,
    OBLIGATIONS_RENFORCE,
    PREMIERE_CONVOCATION,
    RAPPORT_EVALUATION_SPR,
    RAPPORT_FIN_MESURE,
    REEVALUATION_ANNUELLE,
    RULES,
)
from tests.helpers import IMMEDIATE_TASKS

from ..conftest import Cast
from ..factories import MeasureFactory, PersonFactory, measure_type

pytestmark = pytest.mark.django_db


def measure(person: Any, code: str, **fields: Any) -> Measure:
    values: dict[str, Any] = {
        "judgment_date": date(2025, 3, 1),
        "start_date": date(2025, 3, 15),
        "end_date": None,
        "probation_months": None,
    }
    values.update(fields)
    return MeasureFactory(person=person, measure_type=measure_type(code), **values)


def due_dates(m: Measure) -> dict[str, date]:
    return dict(Alert.objects.filter(measure=m).values_list("kind", "due_date"))


def alert_values() -> list[tuple[Any, ...]]:
    return list(
        Alert.objects.order_by("pk").values_list(
            "pk", "person_id", "measure_id", "kind", "label", "article", "due_date", "computed_at"
        )
    )


# Deadlines per article (rules/legal_deadlines.py, wired through measures.selectors) -------------


def test_cp_131_22_tig_alert_from_the_court_set_delay_with_its_explanation(cast: Cast) -> None:
    tig = measure(
        cast.person, "tig", start_date=None, executoire_on=date(2025, 3, 15), tig_delay_months=12
    )
    recompute_alerts()
    assert due_dates(tig) == {EXECUTION_TIG: date(2026, 3, 15)}
    alert = Alert.objects.get(measure=tig)
    assert alert.person_id == cast.person.pk
    assert alert.article == RULES[EXECUTION_TIG].article == "CP art. 131-22"
    assert alert.source == "R-CP-131-22"
    assert "délai de 12 mois fixé par la juridiction" in alert.explanation
    assert alert.status == "overdue"
    # 15/03/2026 is a Sunday: the last working day before it is Friday 13/03/2026.
    assert alert.last_working_day == date(2026, 3, 13)


def test_cp_131_5_1_stage_alert_6_months_after_the_conviction_is_final(cast: Cast) -> None:
    stage = measure(cast.person, "stage", start_date=None, final_on=date(2026, 12, 31))
    recompute_alerts()
    assert due_dates(stage) == {EXECUTION_STAGE: date(2027, 6, 30)}


def test_cpp_741_2_spr_ordinance_and_yearly_reevaluation_close_when_recorded(cast: Cast) -> None:
    spr = measure(
        cast.person,
        "sursis_probatoire_renforce",
        judgment_date=date(2026, 1, 10),
        executoire_on=date(2026, 1, 10),
        start_date=None,
        probation_months=24,
        convict_present_at_hearing=True,
    )
    recompute_alerts()
    due = due_dates(spr)
    assert due[OBLIGATIONS_RENFORCE] == date(2026, 5, 10)
    assert due[RAPPORT_EVALUATION_SPR] == date(2026, 4, 10)
    assert due[REEVALUATION_ANNUELLE] == date(2027, 1, 10)
    # Recording the actions: no alert stays overdue after its action is recorded.
    Measure.objects.filter(pk=spr.pk).update(jap_ordinance_on=date(2026, 4, 2))
    MeasureEvaluation.objects.create(measure=spr, done_on=date(2027, 1, 5))
    recompute_alerts()
    due = due_dates(spr)
    assert OBLIGATIONS_RENFORCE not in due
    assert due[REEVALUATION_ANNUELLE] == date(2028, 1, 5)
    today = date(2027, 3, 16)
    overdue = Alert.objects.filter(urgency_q(DEPASSEE, today), measure=spr)
    # Still overdue: only the deadlines whose action is not recorded (no meeting, no report).
    assert set(overdue.values_list("kind", flat=True)) == {
        RAPPORT_EVALUATION_SPR,
        CONVOCATION_SPIP_SPR,
    }


def test_cpp_741_2_yearly_reevaluation_only_for_the_spr(cast: Cast) -> None:
    sursis = measure(
        cast.person,
        "sursis_probatoire",
        start_date=None,
        executoire_on=date(2025, 4, 2),
        probation_months=36,
    )
    recompute_alerts()
    assert REEVALUATION_ANNUELLE not in due_dates(sursis)
    assert due_dates(sursis)[FIN_MESURE] == date(2028, 4, 1)


def test_cpp_741_1_peine_mixte_release_8_days_when_ssj_incurred_1_month_otherwise(
    cast: Cast,
) -> None:
    ssj = measure(
        cast.person,
        "sursis_probatoire",
        release_date=date(2027, 4, 2),
        ssj_encouru=True,
        probation_months=24,
    )
    other = measure(
        cast.person, "sursis_probatoire", release_date=date(2027, 4, 2), probation_months=24
    )
    recompute_alerts()
    assert due_dates(ssj)[PREMIERE_CONVOCATION] == date(2027, 4, 10)
    assert due_dates(other)[PREMIERE_CONVOCATION] == date(2027, 5, 2)
    alert = Alert.objects.get(measure=ssj, kind=PREMIERE_CONVOCATION)
    assert "CPP art. 741-1" in alert.article
    assert "(date prévue)" in alert.explanation


def test_cp_132_43_incarceration_moves_the_end_alerts(cast: Cast) -> None:
    m = measure(
        cast.person,
        "sursis_probatoire",
        start_date=None,
        executoire_on=date(2025, 3, 1),
        probation_months=36,
    )
    recompute_alerts()
    assert due_dates(m)[FIN_MESURE] == date(2028, 2, 29)
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2025, 10, 1), end=date(2025, 11, 15)
    )
    recompute_alerts(person_ids=[cast.person.pk])
    assert due_dates(m)[FIN_MESURE] == date(2028, 2, 29) + timedelta(days=45)
    assert "incarcération" in Alert.objects.get(measure=m, kind=FIN_MESURE).explanation


def test_end_of_measure_alert_on_its_end_date(cast: Cast) -> None:
    cj = measure(cast.person, "controle_judiciaire", end_date=date(2027, 6, 30))
    recompute_alerts()
    assert due_dates(cj) == {
        FIN_MESURE: date(2027, 6, 30),
        RAPPORT_FIN_MESURE: date(2027, 5, 30),
    }


def test_r_dates_local_each_spip_computes_on_its_own_local_date(cast: Cast) -> None:
    """21:30 UTC on 16/03/2027: already the 17th in La Réunion, still the 16th in Lille."""
    import time_machine

    lille = measure(cast.person, "controle_judiciaire", end_date=date(2027, 3, 16))
    reunion = measure(cast.other_person, "controle_judiciaire", end_date=date(2027, 3, 16))
    from datetime import UTC, datetime

    with time_machine.travel(datetime(2027, 3, 16, 21, 30, tzinfo=UTC), tick=False):
        recompute_alerts()
    assert Alert.objects.get(measure=lille, kind=FIN_MESURE).status == "due_soon"
    assert Alert.objects.get(measure=reunion, kind=FIN_MESURE).status == "overdue"


# Recomputation -----------------------------------------------------------------------------------


def test_recompute_is_idempotent(cast: Cast) -> None:
    measure(cast.person, "tig", start_date=None, executoire_on=date(2026, 9, 1))
    first = recompute_alerts()
    assert first["created"] == Alert.objects.count() > 0
    before = alert_values()
    second = recompute_alerts()
    assert (second["created"], second["updated"], second["deleted"]) == (0, 0, 0)
    assert second["total"] == first["total"]
    assert alert_values() == before


def test_an_overdue_alert_is_not_rewritten_each_night(cast: Cast) -> None:
    """The stored « Pourquoi cette échéance ? » is the day-independent basis: "Dépassée de N
    jours" comes from today on display (the badge), so the next night writes nothing."""
    tig = measure(
        cast.person, "tig", start_date=None, executoire_on=date(2025, 3, 15), tig_delay_months=12
    )
    recompute_alerts(today=date(2026, 12, 1))
    alert = Alert.objects.get(measure=tig)
    assert (alert.status, alert.due_date) == ("overdue", date(2026, 3, 15))
    assert "délai de 12 mois" in alert.explanation
    assert "Dépassée" not in alert.explanation
    following = recompute_alerts(today=date(2026, 12, 2))
    assert (following["created"], following["updated"], following["deleted"]) == (0, 0, 0)


def test_changed_dates_update_the_alert_in_place(cast: Cast) -> None:
    m = measure(cast.person, "controle_judiciaire", end_date=date(2027, 6, 30))
    recompute_alerts()
    pk = Alert.objects.get(measure=m, kind=FIN_MESURE).pk
    Measure.objects.filter(pk=m.pk).update(end_date=date(2027, 12, 31))
    result = recompute_alerts()
    assert result["updated"] == 2
    assert Alert.objects.get(measure=m, kind=FIN_MESURE).pk == pk
    assert due_dates(m)[FIN_MESURE] == date(2027, 12, 31)


@pytest.mark.parametrize("status", [MeasureStatus.TERMINEE, MeasureStatus.REVOQUEE])
def test_ended_measures_lose_their_alerts(cast: Cast, status: str) -> None:
    tig = measure(cast.person, "tig", start_date=None, executoire_on=date(2026, 9, 1))
    suspended = measure(
        cast.person, "stage", status=MeasureStatus.SUSPENDUE, final_on=date(2026, 9, 1)
    )
    recompute_alerts()
    assert set(due_dates(tig)) == {EXECUTION_TIG}
    Measure.objects.filter(pk=tig.pk).update(status=status)
    result = recompute_alerts()
    assert result["deleted"] == 1
    assert due_dates(tig) == {}
    assert set(due_dates(suspended)) == {EXECUTION_STAGE}


def _people(cast: Cast, count: int) -> None:
    for index in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        measure(
            person, "tig", start_date=None, executoire_on=date(2025, 3, 1) + timedelta(days=index)
        )


def _recompute_queries() -> int:
    Alert.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        result = recompute_alerts()
    assert result["created"] == result["total"] > 0
    return len(ctx.captured_queries)


def test_recompute_is_set_based(cast: Cast) -> None:
    _people(cast, 5)
    few = _recompute_queries()
    _people(cast, 45)
    many = _recompute_queries()
    # Read the people's id range (one chunk here), the cases (measures, incarcerations,
    # suspensions, evaluations, reports, JAP hearings, first SPIP meetings, TIG hours: 8), the
    # alerts, then write (savepoint, drop alerts of created measures left under another person,
    # insert, release). Inserts are batched: COPY on PostgreSQL, one executemany per 5,000 rows
    # on SQLite. The apps' alert sources: the plans' steps to treat and their alerts (2; nothing
    # to write here).
    assert few == many <= 14 + 2


def test_recompute_counts_urgencies(cast: Cast) -> None:
    today = date(2026, 6, 1)
    Measure.objects.all().delete()
    measure(cast.person, "stage", start_date=None, final_on=date(2025, 11, 1))  # 1 May: dépassée
    measure(cast.person, "stage", start_date=None, final_on=date(2025, 12, 5))  # 5 June
    measure(cast.person, "stage", start_date=None, final_on=date(2026, 1, 1))  # 1 July: à venir
    result = recompute_alerts(today)
    assert result[DEPASSEE] == 1
    assert result[IMMINENTE] == 1
    assert result[A_VENIR] == 1


def test_urgency_filter_matches_the_rule(cast: Cast) -> None:
    for days in (-3, 0, 5, 8, 25, 40):
        measure(
            cast.person, "controle_judiciaire", end_date=date(2026, 6, 1) + timedelta(days=days)
        )
        measure(
            cast.person, "stage", start_date=None, final_on=date(2025, 12, 1) + timedelta(days=days)
        )
    today = date(2026, 6, 1)
    recompute_alerts(today)
    by_rule: dict[str, set[int]] = {DEPASSEE: set(), IMMINENTE: set(), A_VENIR: set()}
    for alert in with_urgency(Alert.objects.all(), today):
        by_rule[alert.urgency].add(alert.pk)  # type: ignore[attr-defined]
    # The measures above give alerts of every level (otherwise the comparison proves nothing).
    assert all(by_rule.values()), {level: len(pks) for level, pks in by_rule.items()}
    for level, pks in by_rule.items():
        by_filter = set(Alert.objects.filter(urgency_q(level, today)).values_list("pk", flat=True))
        assert by_filter == pks, level


# Task and command --------------------------------------------------------------------------------


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_nightly_task_enqueues_and_runs(cast: Cast) -> None:
    from django_tasks import TaskResultStatus

    from parcours.alerts.tasks import nightly_recompute_alerts

    tig = measure(cast.person, "tig", start_date=None, executoire_on=date(2026, 9, 1))
    result = nightly_recompute_alerts.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value["created"] >= 1
    assert EXECUTION_TIG in due_dates(tig)


def test_command_prints_counts_and_seconds(cast: Cast, capsys: Any) -> None:
    measure(cast.person, "tig", start_date=None, executoire_on=date(2026, 9, 1))
    call_command("recompute_alerts")
    out = capsys.readouterr().out
    assert "Alertes recalculées" in out and " s." in out
    assert Alert.objects.filter(kind=EXECUTION_TIG).exists()


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_command_can_enqueue_the_task(cast: Cast, capsys: Any) -> None:
    measure(cast.person, "tig", start_date=None, executoire_on=date(2026, 9, 1))
    call_command("recompute_alerts", enqueue=True)
    assert "file d'attente" in capsys.readouterr().out
    assert Alert.objects.filter(kind=EXECUTION_TIG).exists()


# Demo --------------------------------------------------------------------------------------------


def test_demo_shows_every_alert_kind_and_every_urgency(settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=100)
    call_command("recompute_alerts")
    alerts = with_urgency(Alert.objects.all(), timezone.localdate())
    assert {
        EXECUTION_TIG,
        PREMIERE_CONVOCATION,
        OBLIGATIONS_RENFORCE,
        REEVALUATION_ANNUELLE,
        FIN_MESURE,
    } <= {a.kind for a in alerts}
    assert {a.urgency for a in alerts} == {DEPASSEE, IMMINENTE, A_VENIR}  # type: ignore[attr-defined]


# Measure form ------------------------------------------------------------------------------------


def test_cpp_741_1_measure_form_accepts_a_future_release_refuses_a_future_file_date(
    cast: Cast,
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = MeasureForm(
        {
            "measure_type": measure_type("liberation_conditionnelle").pk,
            "judgment_date": "2025-01-10",
            "start_date": "2025-01-20",
            "release_date": tomorrow.isoformat(),
            "file_received_on": tomorrow.isoformat(),
            "milieu": "ouvert",
            "status": "en_cours",
        }
    )
    assert not form.is_valid()
    # The notice of CPP art. 741-1 is handed before the release: a future date is accepted.
    assert "release_date" not in form.errors
    assert "dans le futur" in form.errors["file_received_on"][0]


def test_measure_edit_saves_the_release_date(cast: Cast, clients: Any) -> None:
    m = cast.person.measures.get()
    response = clients["cpip"].post(
        reverse("measures:edit", args=[m.public_id]),
        {
            "measure_type": m.measure_type_id,
            "judgment_date": "2025-03-01",
            "start_date": "2025-03-15",
            "end_date": "2027-03-15",
            "release_date": "2025-03-14",
            "probation_months": "24",
            "milieu": "ouvert",
            "status": "en_cours",
            "version": m.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    m.refresh_from_db()
    assert m.release_date == date(2025, 3, 14)


def test_ending_a_measure_updates_its_alerts_and_compliance_at_once(cast) -> None:  # type: ignore[no-untyped-def]
    """No waiting for the night: a measure ended during the day loses its alerts, and the
    person's compliance no longer counts its obligations."""
    from django.urls import reverse

    from parcours.alerts.models import Alert
    from parcours.alerts.services import recompute_alerts
    from parcours.people.models import Person
    from tests.helpers import client_for
    from tests.obligations.factories import make_obligation

    measure = cast.person.measures.order_by("pk").first()
    make_obligation(cast.person)  # monthly care attestation since January, nothing handed in
    from parcours.obligations.compliance import refresh_compliance

    refresh_compliance([cast.person.pk])
    recompute_alerts()
    assert Alert.objects.filter(measure=measure).exists()
    assert Person.objects.get(pk=cast.person.pk).compliance_status != ""
    client = client_for(cast.cpip)
    url = reverse("measures:edit", args=[measure.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        measure_type=measure.measure_type_id,
        tribunal=measure.tribunal_id or "",
        status="terminee",
        version=measure.version,
    )
    for key in ("judgment_date", "start_date", "end_date", "release_date", "file_received_on"):
        if data.get(key):
            data[key] = data[key].isoformat()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Alert.objects.filter(measure=measure).exists()
    assert Person.objects.get(pk=cast.person.pk).compliance_status == ""

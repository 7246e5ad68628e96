"""TIG ledger: opening it from a TIG measure, recording hours, the pace shown on the file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.ledgers.models import TigLedger, TigSession
from tests.helpers import file_tab

from .factories import add_session, first_tig_ledger, tig_measure

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def ledger_data(**overrides):
    data = {
        "hours_ordered": "120",
        "offence": "delit",
        "enforceable_from": "2026-01-05",
        "host_structure": "Mairie de Montreuil",
    }
    data.update(overrides)
    return data


def section(page) -> str:
    return page.content.decode().split('id="registres"')[1].split("</section>")[0]


@time_machine.travel(TODAY, tick=False)
def test_ledger_is_opened_from_a_tig_measure_and_journaled(cast, clients):
    measure = tig_measure(cast.person)
    url = reverse("ledgers:tig_create", args=[measure.public_id])
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    assert url in section(page)
    response = clients["cpip"].post(url, ledger_data())
    assert response.status_code == 302
    ledger = TigLedger.objects.get(measure=measure)
    assert ledger.person == cast.person and ledger.created_by == cast.cpip
    assert AuditEvent.objects.filter(action=AuditAction.CREATION, object_id=str(ledger.public_id))
    # A second ledger for the same measure is not created.
    again = clients["cpip"].post(url, ledger_data())
    assert again.status_code == 302 and TigLedger.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours_ordered": "401"}, "de 20 à 400 heures (CP art. 131-8)"),
        ({"hours_ordered": "10"}, "de 20 à 400 heures"),
        ({"hours_ordered": "150", "offence": "contravention_5e_classe"}, "de 20 à 120 heures"),
        ({"enforceable_from": "2026-12-25"}, "futur"),
        ({"offence": "crime"}, "choix"),
        ({"hours_ordered": ""}, "obligatoire"),
    ],
)
def test_bad_ledger_input_is_refused_in_french(cast, clients, overrides, message):
    url = reverse("ledgers:tig_create", args=[tig_measure(cast.person).public_id])
    response = clients["cpip"].post(url, ledger_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TigLedger.objects.exists()


def test_a_measure_that_is_not_a_tig_has_no_tig_ledger(cast, clients):
    measure = cast.person.measures.exclude(measure_type__code="tig").order_by("pk").first()
    url = reverse("ledgers:tig_create", args=[measure.public_id])
    assert clients["cpip"].get(url).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_hours_are_recorded_and_journaled(cast, clients):
    ledger = first_tig_ledger(cast.person)
    url = reverse("ledgers:tig_session", args=[ledger.public_id])
    data = {"day": "2026-11-20", "hours": "3,5", "host_structure": "Mairie de Montreuil"}
    response = clients["dpip"].post(url, data)
    assert response.status_code == 302, response.content.decode()
    session = TigSession.objects.get(ledger=ledger)
    assert session.hours == Decimal("3.5") and session.recorded_by == cast.dpip
    assert AuditEvent.objects.filter(action=AuditAction.CREATION, object_id=str(session.public_id))
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    assert "3,5\u00a0h effectuées, reste 116,5\u00a0h" in section(page)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-12-01", "hours": "3"}, "futur"),
        ({"day": "2026-01-04", "hours": "3"}, "ne peut pas précéder"),
        ({"day": "2026-11-20", "hours": "0"}, "strictement positives"),
        ({"day": "2026-11-20", "hours": "-2"}, "strictement positives"),
        ({"day": "2026-11-20", "hours": "2,3"}, "demi-heures"),
        ({"day": "2026-11-20", "hours": "30"}, "Plus de 24 heures"),
        ({"day": "2026-11-20", "hours": "abc"}, "nombre"),
    ],
)
def test_bad_session_input_is_refused_in_french(cast, clients, data, message):
    ledger = first_tig_ledger(cast.person)
    url = reverse("ledgers:tig_session", args=[ledger.public_id])
    response = clients["cpip"].post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TigSession.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_more_than_24_hours_in_a_day_across_sessions_is_refused(cast, clients):
    ledger = first_tig_ledger(cast.person)
    add_session(ledger, date(2026, 11, 20), "20")
    url = reverse("ledgers:tig_session", args=[ledger.public_id])
    response = clients["cpip"].post(url, {"day": "2026-11-20", "hours": "5"})
    assert response.status_code == 400
    assert "Plus de 24 heures déclarées le 20/11/2026" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_late_tig_shows_the_pace_alert_on_the_person_file(cast, clients):
    ledger = first_tig_ledger(cast.person, hours_ordered=200, enforceable_from=date(2026, 1, 5))
    for day in (date(2026, 10, 5), date(2026, 11, 2)):
        add_session(ledger, day, "2")
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    text = section(page)
    assert "Le rythme actuel ne permet pas de finir à temps" in text
    assert "au plus tard le 05/07/2027" in text  # 18 months (CP art. 131-22)
    assert "4\u00a0h effectuées, reste 196\u00a0h" in text


@time_machine.travel(TODAY, tick=False)
def test_regular_tig_shows_no_alert(cast, clients):
    ledger = first_tig_ledger(cast.person, hours_ordered=40, enforceable_from=date(2026, 9, 1))
    for week in range(8):
        add_session(ledger, date(2026, 10, 5) + timedelta(weeks=week), "2")
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    text = section(page)
    assert "16\u00a0h effectuées" in text
    assert "ne permet pas de finir" not in text


def test_other_spip_and_read_only_roles_cannot_write_in_a_ledger(cast, clients):
    ledger = first_tig_ledger(cast.person)
    create = reverse("ledgers:tig_create", args=[tig_measure(cast.person).public_id])
    session = reverse("ledgers:tig_session", args=[ledger.public_id])
    for url in (create, session):
        assert clients["cpip_autre"].get(url).status_code == 404
        assert clients["cpip_autre"].post(url, {}).status_code == 404
        for role in ("secretariat", "jap", "partenaire", "admin"):
            assert clients[role].get(url).status_code == 403
            assert clients[role].post(url, {"day": "2026-11-20", "hours": "3"}).status_code == 403
        # The motif page, then back to the page asked for.
        assert (
            clients["cpip2"].get(url)["Location"].endswith(f"/motif/?suivant={quote(url, safe='')}")
        )
    assert not TigSession.objects.exists()


def test_read_only_visitor_sees_the_ledger_without_write_buttons(cast, clients):
    ledger = first_tig_ledger(cast.person)
    page = clients["secretariat"].get(file_tab(cast.person, "registres"))
    assert page.status_code == 200
    text = section(page)
    assert "120\u00a0h" in text
    assert reverse("ledgers:tig_session", args=[ledger.public_id]) not in text


@time_machine.travel(TODAY, tick=False)
def test_an_inconsistent_ledger_entered_elsewhere_does_not_break_the_person_file(cast, clients):
    ledger = first_tig_ledger(cast.person)
    add_session(ledger, date(2026, 11, 20), "-3")
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    assert page.status_code == 200
    assert "Registre incohérent" in section(page)


# --- Issue 13, finding 2 (R-CP-131-22): one TIG due date, the alerts' -----------------------


def _register_text(cast, clients) -> str:
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    return section(page)


@time_machine.travel(TODAY, tick=False)
def test_cp_131_22_register_uses_the_court_set_delay(cast, clients):
    ledger = first_tig_ledger(cast.person, enforceable_from=date(2026, 1, 5))
    ledger.measure.__class__.objects.filter(pk=ledger.measure_id).update(tig_delay_months=12)
    text = _register_text(cast, clients)
    assert "au plus tard le 05/01/2027" in text  # 12 months from the start, not 18
    assert "délai de 12 mois fixé par la juridiction" in text
    assert "05/07/2027" not in text


@time_machine.travel(TODAY, tick=False)
def test_cp_131_22_incarceration_pushes_the_register_due_date(cast, clients):
    from parcours.people.models import IncarcerationPeriod

    first_tig_ledger(cast.person, enforceable_from=date(2026, 1, 5))
    # 40 days in custody (01/03 to 09/04 inclusive): 05/07/2027 + 40 days = 14/08/2027.
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2026, 3, 1), end=date(2026, 4, 10), source="fiche pénale"
    )
    text = _register_text(cast, clients)
    assert "au plus tard le 14/08/2027" in text
    assert "prolongé de 40 jours" in text and "CP art. 131-22" in text


@time_machine.travel(TODAY, tick=False)
def test_cp_131_22_register_and_alert_rules_give_the_same_date(cast, clients):
    from parcours.ledgers.display import tig_case
    from parcours.rules.legal_deadlines import EXECUTION_TIG, measure_report

    ledger = first_tig_ledger(cast.person, enforceable_from=date(2026, 1, 5))
    ledger.measure.tig_delay_months = 9
    ledger.measure.save(update_fields=["tig_delay_months"])
    report = measure_report(tig_case(ledger, (), ()), TODAY)
    (deadline,) = [d for d in report.deadlines if d.kind == EXECUTION_TIG]
    assert deadline.due == date(2026, 10, 5)
    assert f"au plus tard le {deadline.due:%d/%m/%Y}" in _register_text(cast, clients)


@time_machine.travel(TODAY, tick=False)
def test_cp_131_22_a_delay_over_18_months_is_shown_as_an_error_not_a_500(cast, clients):
    ledger = first_tig_ledger(cast.person)
    ledger.measure.__class__.objects.filter(pk=ledger.measure_id).update(tig_delay_months=24)
    page = clients["cpip"].get(file_tab(cast.person, "registres"))
    assert page.status_code == 200
    assert "compris entre 1 et 18 mois (CP art. 131-22)" in section(page)

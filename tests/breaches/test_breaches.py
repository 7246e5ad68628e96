"""Recording manquements, the proposed next step and its follow-up."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditAction, AuditEvent
from parcours.breaches.models import Breach
from tests.helpers import file_tab

from .factories import first_breach

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def breach_data(cast, **overrides):
    data = {
        "measure": cast.person.measures.order_by("pk").first().pk,
        "kind": "justificatif",
        "occurred_on": "2026-11-20",
        "facts": "Attestation de soins de novembre non remise malgré le rappel.",
    }
    data.update(overrides)
    return data


@time_machine.travel(TODAY, tick=False)
def test_first_breach_is_recorded_with_a_recall_proposed_and_journaled(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    response = clients["cpip"].post(url, breach_data(cast))
    assert response.status_code == 302
    breach = Breach.objects.get(person=cast.person)
    assert breach.proposed_step == breach.chosen_step == "rappel"
    assert breach.recorded_by == cast.cpip
    assert AuditEvent.objects.filter(action=AuditAction.CREATION, object_id=str(breach.public_id))


@time_machine.travel(TODAY, tick=False)
def test_third_breach_in_the_window_proposes_an_incident_report(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    for day in ("2026-03-02", "2026-07-01", "2026-11-20"):
        assert clients["cpip"].post(url, breach_data(cast, occurred_on=day)).status_code == 302
    latest = Breach.objects.filter(person=cast.person).order_by("-occurred_on").first()
    assert latest is not None and latest.proposed_step == "rapport_incident"
    page = clients["cpip"].get(file_tab(cast.person, "manquements"))
    section = page.content.decode().split('id="manquements"')[1].split("</section>")[0]
    assert "3 manquements de la mesure depuis le" in section
    assert "Rapport d&#x27;incident au JAP" in section
    assert "R-BREACHES-LADDER" in section  # the rule applied is shown


@time_machine.travel(TODAY, tick=False)
def test_serious_breach_proposes_an_incident_report_at_once(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, serious="on", kind="interdiction"))
    assert Breach.objects.get(person=cast.person).proposed_step == "rapport_incident"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_on", "2026-12-25", "futur"),
        ("occurred_on", "pas une date", "date"),
        ("facts", "", "obligatoire"),
        ("kind", "inconnu", "choix"),
        ("facts", "x" * 5000, "2000"),
    ],
)
def test_bad_breach_input_is_refused_in_french(cast, clients, field, value, message):
    url = reverse("breaches:create", args=[cast.person.public_id])
    response = clients["cpip"].post(url, breach_data(cast, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Breach.objects.exists()


def test_obligation_of_another_measure_is_refused(cast, clients):
    from tests.factories import MeasureFactory
    from tests.obligations.factories import make_obligation

    other_measure = MeasureFactory(person=cast.person)
    obligation = make_obligation(cast.person, measure=other_measure)
    url = reverse("breaches:create", args=[cast.person.public_id])
    first = cast.person.measures.order_by("pk").first()
    response = clients["cpip"].post(
        url, breach_data(cast, measure=first.pk, obligation=obligation.pk)
    )
    assert response.status_code == 400
    assert "ne relève pas de la mesure" in response.content.decode()


def test_followup_is_tracked_and_a_stale_save_is_refused(cast, clients):
    breach = first_breach(cast.person)
    url = reverse("breaches:followup", args=[breach.public_id])
    done = {
        "version": breach.version,
        "chosen_step": "convocation",
        "followup_status": "fait",
        "followup_done_on": "2026-10-05",
    }
    assert clients["cpip"].post(url, done).status_code == 302
    breach.refresh_from_db()
    assert breach.chosen_step == "convocation" and breach.followup_status == "fait"
    stale = {**done, "followup_status": "a_faire"}
    response = clients["dpip"].post(url, stale)
    assert response.status_code == 409
    breach.refresh_from_db()
    assert breach.followup_status == "fait"


def test_followup_needs_a_date_when_done_and_a_reason_when_set_aside(cast, clients):
    breach = first_breach(cast.person)
    url = reverse("breaches:followup", args=[breach.public_id])
    base = {"version": breach.version, "chosen_step": "rappel"}
    no_date = clients["cpip"].post(url, {**base, "followup_status": "fait"})
    assert no_date.status_code == 400 and "Indiquez la date" in no_date.content.decode()
    no_reason = clients["cpip"].post(url, {**base, "followup_status": "ecarte"})
    assert no_reason.status_code == 400 and "Motivez" in no_reason.content.decode()


def test_other_spip_and_read_only_roles_cannot_reach_breaches(cast, clients):
    breach = first_breach(cast.person)
    followup = reverse("breaches:followup", args=[breach.public_id])
    create = reverse("breaches:create", args=[cast.person.public_id])
    assert clients["cpip_autre"].get(followup).status_code == 404
    assert clients["cpip_autre"].get(create).status_code == 404
    for role in ("secretariat", "jap", "partenaire", "admin"):
        assert clients[role].get(followup).status_code == 403
    # The colleague must give a motif, and a motif opens the file read-only.
    location = clients["cpip2"].get(create)["Location"]
    assert location.endswith(f"/motif/?suivant={quote(create, safe='')}")


def test_breach_on_an_obligation_puts_it_in_manquement(cast, clients, settings, tmp_path):
    from tests.obligations.factories import make_obligation

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(date(2026, 1, 20), tick=False):
        obligation = make_obligation(cast.person, cadence_months=1)
        url = reverse("breaches:create", args=[cast.person.public_id])
        data = breach_data(cast, obligation=obligation.pk, occurred_on="2026-01-19")
        assert clients["cpip"].post(url, data).status_code == 302
    obligation.refresh_from_db()
    cast.person.refresh_from_db()
    assert obligation.compliance_status == "manquement"
    assert cast.person.compliance_status == "manquement"


def test_incident_report_follow_up_links_to_a_prefilled_report(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, serious="on", kind="interdiction"))
    breach = Breach.objects.get(person=cast.person)
    assert breach.chosen_step == "rapport_incident"
    page = clients["cpip"].get(file_tab(cast.person, "manquements"))
    link = (
        f"{reverse('reports:create', args=[cast.person.public_id])}?type=incident"
        f"&amp;mesure={breach.measure.public_id}"
    )
    assert link in page.content.decode()
    form = clients["cpip"].get(link.replace("&amp;", "&"))
    assert form.status_code == 200


def test_a_breach_recorded_more_than_a_year_late_still_gets_a_proposal(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    old = (timezone.localdate() - timedelta(days=400)).isoformat()
    response = clients["cpip"].post(url, breach_data(cast, occurred_on=old))
    assert response.status_code == 302
    breach = Breach.objects.get(person=cast.person)
    assert breach.proposed_step == "rappel"


# --- Issue 13 (R-BREACHES): the graduated response, per breach kind and obligation, per measure


@time_machine.travel(TODAY, tick=False)
def test_cp_132_45_18bis_antiapproach_breach_calls_for_incident_report(cast, clients):
    from tests.obligations.factories import make_obligation

    device = make_obligation(cast.person, code="cp_132_45_18_bis", cadence_months=None)
    url = reverse("breaches:create", args=[cast.person.public_id])
    data = breach_data(cast, kind="interdiction", obligation=device.pk)
    assert clients["cpip"].post(url, data).status_code == 302
    breach = Breach.objects.get(person=cast.person)
    assert breach.proposed_step == "rapport_incident"  # the first breach: not a rappel
    assert "anti-rapprochement" in breach.proposal_explanation
    assert breach.proposal_rule.startswith("Règle appliquée (R-BREACHES-132-45-18-BIS")
    followup = clients["cpip"].get(reverse("breaches:followup", args=[breach.public_id]))
    assert "R-BREACHES-132-45-18-BIS" in followup.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_cp_132_45_13_contact_with_the_victim_calls_for_incident_report(cast, clients):
    from tests.obligations.factories import make_obligation

    no_contact = make_obligation(cast.person, code="cp_132_45_13", cadence_months=None)
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, kind="interdiction", obligation=no_contact.pk))
    assert Breach.objects.get(person=cast.person).proposed_step == "rapport_incident"


@time_machine.travel(TODAY, tick=False)
def test_cp_132_48_a_new_offence_calls_for_incident_report(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, kind="infraction"))
    assert Breach.objects.get(person=cast.person).proposed_step == "rapport_incident"


@time_machine.travel(TODAY, tick=False)
def test_r_breaches_counted_per_measure_not_other_or_closed_measures(cast, clients):
    from parcours.measures.models import MeasureStatus
    from tests.factories import MeasureFactory

    first = cast.person.measures.order_by("pk").first()
    other = MeasureFactory(person=cast.person)
    closed = MeasureFactory(person=cast.person, status=MeasureStatus.TERMINEE)
    for measure, day in ((other, "2026-05-04"), (other, "2026-06-04"), (closed, "2026-07-01")):
        Breach.objects.create(
            person=cast.person,
            measure=measure,
            kind="absence",
            occurred_on=date.fromisoformat(day),
            facts="Absent.",
            proposed_step="rappel",
            chosen_step="rappel",
        )
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, measure=first.pk))
    recorded = Breach.objects.get(measure=first)
    # Three earlier breaches of the person, none of this measure: a first breach, a rappel.
    assert recorded.proposed_step == "rappel"
    page = clients["cpip"].get(file_tab(cast.person, "manquements"))
    section = page.content.decode().split('id="manquements"')[1].split("</section>")[0]
    assert section.count("breach-proposal") == 2  # one per current measure, not the closed one
    assert "2 manquements de la mesure depuis le" in section  # the other measure
    assert "1 manquement de la mesure depuis le" in section  # this one
    assert "3 manquements" not in section and "4 manquements" not in section


def test_the_panel_names_each_breach_s_measure_and_how_long_a_follow_up_has_waited(cast, clients):
    url = reverse("breaches:create", args=[cast.person.public_id])
    clients["cpip"].post(url, breach_data(cast, serious="on", kind="interdiction"))
    breach = Breach.objects.get(person=cast.person)
    page = clients["cpip"].get(file_tab(cast.person, "manquements")).content.decode()
    measure = breach.measure
    assert f"{measure.measure_type.label} <span" in page
    assert f"(jugement du {measure.judgment_date:%d/%m/%Y})" in page
    assert 'warning">depuis' not in page  # decided today: nothing has waited yet
    Breach.objects.filter(pk=breach.pk).update(created_at=timezone.now() - timedelta(days=20))
    page = clients["cpip"].get(file_tab(cast.person, "manquements")).content.decode()
    assert "depuis 20 jours" in page

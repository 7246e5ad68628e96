"""Release pages: the panel on the person file, "Préparer la sortie", ticking an item (409),
the upcoming releases (scope), the indicators, the 741-1 notice, the caseload's countdown."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from parcours.audit.models import AuditEvent
from parcours.release import services
from parcours.release.models import ReleasePlan
from parcours.release.services import ItemChange
from tests.helpers import file_tab

from ..factories import MeasureFactory, PersonFactory
from ..helpers import count_queries, text
from .factories import ecrou, prison, release_plan

pytestmark = pytest.mark.django_db


def test_panel_shows_countdown_progress_and_overdue_items(cast, clients):
    plan = services.prepare_release(cast.cpip, ecrou(cast.person, release_in=23))
    item = plan.items.get(key="banque")
    services.update_item(cast.cpip, item, ItemChange(status="fait"), expected_version=1)
    page = text(clients["cpip"].get(file_tab(cast.person, "sortie")))
    assert "Préparation à la sortie" in page
    assert "J-23 avant la date de libération prévisionnelle" in page
    assert "Démarches faites : <strong>1 sur 9</strong>" in page
    # Identity papers (75 days before), housing (60), health (45), France Travail (30) are late.
    assert "4 démarches en retard" in page


def test_panel_offers_to_prepare_and_is_hidden_without_an_open_ecrou(cast, clients):
    detail = file_tab(cast.person, "sortie")
    assert "Préparation à la sortie" not in text(clients["cpip"].get(detail))
    ecrou(cast.person, release_in=100)
    page = text(clients["cpip"].get(detail))
    assert "J-100 avant la date de libération prévisionnelle" in page
    assert "Préparer la sortie" in page
    assert "Préparer la sortie" not in text(clients["jap"].get(detail))


def _panel_queries(cast, *, preloaded=False):
    """The panel's own queries (whatever the other panels of the page read)."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from parcours.detention.panels import shared_ecrou
    from parcours.people.access import PersonAccess
    from parcours.people.models import Person
    from parcours.release.panels import release_panel

    request = RequestFactory().get("/")
    person = Person.objects.get(pk=cast.person.pk)  # as the door reads it
    access = PersonAccess(person, "referent", "", True, True, True)
    if preloaded:  # the detention panels, above on the page, read the écrou first
        shared_ecrou(request, access)
    with CaptureQueriesContext(connection) as ctx:
        context = release_panel(request, access)
    return len(ctx.captured_queries), context


def test_panel_queries_do_not_grow_with_items(cast, clients):
    assert _panel_queries(cast) == (0, None)  # never held (Person.ever_detained): no query
    row = ecrou(cast.person, release_in=40)
    count, context = _panel_queries(cast)
    assert count == 2 and context["release_checklist"] is None  # + the checklist (none)
    services.prepare_release(cast.cpip, row)
    count, context = _panel_queries(cast)
    assert count == 2 and len(context["release_checklist"].items) == 9  # plan and items: one
    assert _panel_queries(cast, preloaded=True)[0] == 1
    # The page itself: the same count whatever the number of items done.
    detail = reverse("people:detail", args=[cast.person.public_id])
    few, _ = count_queries(clients["cpip"], detail)
    for item in ReleasePlan.objects.get(ecrou=row).items.filter(status="a_faire")[:5]:
        services.update_item(cast.cpip, item, ItemChange(status="fait"), expected_version=1)
    many, sql = count_queries(clients["cpip"], detail)
    assert few == many, "\n".join(q[:120] for q in sql)


def test_prepare_the_release_from_the_page(cast, clients):
    row = ecrou(cast.person, release_in=None)
    url = reverse("release:prepare", args=[cast.person.public_id])
    refused = clients["cpip"].post(url, {})
    assert refused.status_code == 400 and "Aucune date de libération" in text(refused)
    day = timezone.localdate() + timedelta(days=50)
    response = clients["cpip"].post(url, {"expected_on": day.isoformat()})
    assert response.status_code == 302
    plan = ReleasePlan.objects.get(ecrou=row)
    assert (plan.expected_on, plan.date_source, plan.created_by) == (day, "manuelle", cast.cpip)
    page = text(clients["cpip"].get(response["Location"]))
    assert "J-50 avant la date de libération prévisionnelle" in page
    assert "Cocher cette démarche" in page


def test_a_date_long_past_is_refused_in_french(cast, clients):
    ecrou(cast.person, release_in=None)
    url = reverse("release:prepare", args=[cast.person.public_id])
    response = clients["cpip"].post(url, {"expected_on": "2020-01-01"})
    assert response.status_code == 400 and "ne peut pas être passée" in text(response)


def test_ticking_an_item_and_a_stale_form_answers_409(cast, clients):
    item = release_plan(cast.person).items.get(key="hebergement")
    url = reverse("release:item", args=[item.public_id])
    form = {"version": 1, "status": "fait", "owner": "partenaire", "owner_detail": "SIAO 59"}
    assert clients["cpip"].post(url, form).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner_detail, item.version) == ("fait", "SIAO 59", 2)
    stale = clients["dpip"].post(url, {**form, "status": "a_faire"})
    assert stale.status_code == 409 and "modifiée par quelqu'un d'autre" in text(stale)
    item.refresh_from_db()
    assert item.status == "fait"
    missing = clients["cpip"].post(url, {**form, "version": 2, "status": "sans_objet"})
    assert missing.status_code == 400 and "sans objet" in text(missing)


def test_a_colleague_with_a_motif_reads_but_may_not_tick(cast, clients):
    item = release_plan(cast.person).items.first()
    assert clients["cpip2"].get(reverse("release:item", args=[item.public_id])).status_code == 302


def test_upcoming_lists_a_cpips_own_releases_by_date_and_the_service_for_the_dpip(cast, clients):
    mine_late = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name="Zola"
    )
    colleague = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, last_name="Rimbaud"
    )
    ecrou(mine_late, release_in=80)
    release_plan(cast.person)  # 40 days, with its checklist
    ecrou(colleague, release_in=10)
    ecrou(PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip), release_in=91)
    ecrou(cast.other_person, release_in=5)
    url = reverse("release:upcoming")
    mine = text(clients["cpip"].get(url))
    assert "Mes sorties à venir" in mine
    assert mine.index("DURAND") < mine.index("ZOLA")  # by date
    assert "RIMBAUD" not in mine and "HOARAU" not in mine
    assert "J-40" in mine and "0 sur 9" in mine and "Non préparée" in mine
    service = text(clients["dpip"].get(url))
    assert service.index("RIMBAUD") < service.index("DURAND") < service.index("ZOLA")
    assert "HOARAU" not in service and "<strong>3</strong> libérations" in service
    assert "RIMBAUD" not in text(clients["cpip_autre"].get(url))


def test_another_spips_checklist_is_not_found(cast, clients):
    release_plan(cast.other_person)
    url = reverse("release:person", args=[cast.other_person.public_id])
    assert clients["cpip"].get(url).status_code == 404
    assert clients["dpip"].get(url).status_code == 404


def test_indicators_count_the_services_releases_over_the_period(cast, clients):
    today = timezone.localdate()
    released = today - timedelta(days=30)

    def detainee(name):
        return PersonFactory(
            spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name=name
        )

    # A sortie sèche: nothing prepared, no measure after the release (the suivi en détention,
    # milieu fermé, ends with it).
    dry = detainee("Sec")
    MeasureFactory(
        person=dry, milieu="ferme", judgment_date=today - timedelta(days=400), end_date=released
    )
    ecrou(dry, released_on=released, release_kind="fin_de_peine", release_in=None)
    # Prepared: a checklist with most items done (opened before the release).
    prepared = detainee("Prepare")
    row = ecrou(prepared, release_in=10)
    plan = services.prepare_release(cast.cpip, row)
    for item in plan.items.filter(status="a_faire")[:6]:
        services.update_item(cast.cpip, item, ItemChange(status="fait"), expected_version=1)
    type(row).objects.filter(pk=row.pk).update(released_on=released, release_kind="fin_de_peine")
    # Under an adjustment (LSC), and a release followed by a probation measure.
    ecrou(detainee("Lsc"), released_on=released, release_kind="lsc", release_in=None)
    followed = detainee("Suivi")
    MeasureFactory(person=followed, judgment_date=today - timedelta(days=400), end_date=None)
    ecrou(followed, released_on=released, release_kind="fin_de_peine", release_in=None)
    # Outside the period, and another SPIP: not counted.
    ecrou(
        detainee("Ancien"),
        released_on=today - timedelta(days=500),
        release_in=None,
        start=today - timedelta(days=900),
    )
    ecrou(cast.other_person, released_on=released, release_in=None)
    response = clients["dpip"].get(reverse("release:indicators"))
    assert response.status_code == 200
    page = text(response)
    assert (
        "Total du service</th><td>4</td><td>1 (25 %)</td><td>1 (25 %)</td><td>1 (25 %)</td>"
    ) in page
    assert prison(cast.spip).name in page


def test_indicators_refuse_a_reversed_period_in_french(cast, clients):
    response = clients["dpip"].get(
        reverse("release:indicators"), {"start": "2027-03-01", "end": "2027-01-01"}
    )
    assert response.status_code == 400 and "doit suivre son début" in text(response)


def test_notice_741_1_is_a_pdf_naming_the_person_and_the_delay(cast, clients):
    plan = release_plan(cast.person)
    response = clients["cpip"].get(reverse("release:notice", args=[cast.person.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    content = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Lucas DURAND" in content
    assert "un mois" in content and "741-1" in content
    assert plan.expected_on.strftime("%Y") in content
    assert AuditEvent.objects.filter(action="export", details__document="avis_741_1").exists()


def test_notice_without_a_sursis_probatoire_is_not_found(cast, clients):
    cast.person.measures.update(status="terminee")
    release_plan(cast.person)
    response = clients["cpip"].get(reverse("release:notice", args=[cast.person.public_id]))
    assert response.status_code == 404 and "ne s'applique pas" in text(response)


def test_check_agenda_ticks_the_first_appointment(cast, clients):
    from ..agenda.factories import make_appointment

    plan = release_plan(cast.person)
    url = reverse("release:check_agenda", args=[cast.person.public_id])
    clients["cpip"].post(url)
    assert plan.items.get(key="rdv_spip").status == "a_faire"
    make_appointment(cast, starts_at=timezone.now() + timedelta(days=45))
    followed = clients["cpip"].post(url, follow=True)
    assert "coché" in text(followed)
    assert plan.items.get(key="rdv_spip").status == "fait"


def test_caseload_shows_the_countdown_of_near_releases(cast, clients):
    release_plan(cast.person)
    ecrou(
        PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name="Loin"),
        release_in=200,
    )
    html = clients["cpip"].get(reverse("people:caseload")).content.decode()
    assert html.count("release-countdown") == 1
    assert ">J-40</span>" in html


def test_no_first_appointment_to_fix_when_no_measure_follows(cast, clients):
    """The démarche « premier rendez-vous » starts « sans objet » when no measure follows the
    release: the page no longer offers to book it or to look for it in the agenda."""
    cast.person.measures.update(status="terminee")
    services.prepare_release(cast.cpip, ecrou(cast.person, release_in=30))
    page = text(clients["cpip"].get(reverse("release:person", args=[cast.person.public_id])))
    assert "Sans objet : aucune mesure suivie par le SPIP ne suit la libération." in page
    assert "Fixer le premier rendez-vous au SPIP" not in page
    assert "Vérifier l'agenda et cocher le rendez-vous" not in page.replace("&#x27;", "'")


def test_the_first_appointment_is_offered_when_a_measure_follows(cast, clients):
    services.prepare_release(cast.cpip, ecrou(cast.person, release_in=30))
    page = text(clients["cpip"].get(reverse("release:person", args=[cast.person.public_id])))
    assert "Fixer le premier rendez-vous au SPIP" in page
    assert "Sans objet : aucune mesure" not in page

"""Person files: creation with duplicate detection, edits without lost updates, transfers."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.people.access import visible_person
from parcours.people.models import Assignment, PeopleScope, Person, scope_of

from .conftest import Cast
from .factories import MeasureFactory, PersonFactory, measure_type
from .helpers import text

pytestmark = pytest.mark.django_db


def person_data(**overrides):
    data = {
        "last_name": "Lemoine",
        "first_names": "Théo",
        "birth_date": "1995-04-12",
        "sex": "M",
        "housing": "personnel",
        "phone": "06 12 34 56 78",
        "appi_number": "",
    }
    data.update(overrides)
    return data


def test_cpip_creates_a_person_who_joins_their_caseload(cast, clients):
    response = clients["cpip"].post(reverse("people:create"), person_data())
    assert response.status_code == 302
    person = Person.objects.get(last_name="Lemoine")
    assert person.spip == cast.spip and person.referent == cast.cpip
    assert person.antenna == cast.antenna
    assert person.phone == "+33612345678"
    assert Assignment.objects.get(person=person, ended_at__isnull=True).cpip == cast.cpip
    assert AuditEvent.objects.filter(action=AuditAction.CREATION, object_id=str(person.public_id))


def test_overseas_mobile_number_is_accepted(cast, clients):
    response = clients["cpip"].post(reverse("people:create"), person_data(phone="0692 12 34 56"))
    assert response.status_code == 302
    assert Person.objects.get(last_name="Lemoine").phone == "+262692123456"


def test_duplicate_names_and_birth_date_ask_for_a_choice(cast, clients):
    data = person_data(last_name="Durand", first_names="Lucas", birth_date="1990-05-17")
    response = clients["cpip"].post(reverse("people:create"), data)
    assert response.status_code == 409
    assert "existe peut-être déjà" in response.content.decode()
    assert response.context["duplicates"] == [cast.person]
    assert Person.objects.filter(last_name="Durand").count() == 1
    confirmed = clients["cpip"].post(reverse("people:create"), {**data, "confirmer_doublon": "1"})
    assert confirmed.status_code == 302
    assert Person.objects.filter(last_name="Durand").count() == 2


def test_duplicate_detection_ignores_accents_and_case(cast, clients):
    data = person_data(last_name="DURAND", first_names="lucas", birth_date="1990-05-17")
    assert clients["cpip"].post(reverse("people:create"), data).status_code == 409


def test_duplicate_detection_never_reveals_another_spip(cast, clients):
    other = cast.other_person
    data = person_data(
        last_name=other.last_name,
        first_names=other.first_names,
        birth_date=other.birth_date.isoformat(),
    )
    response = clients["cpip"].post(reverse("people:create"), data)
    assert response.status_code == 302


def test_same_appi_number_is_refused_without_revealing_the_file(cast, clients):
    cast.other_person.appi_number = "202300000042"
    cast.other_person.save()
    response = clients["cpip"].post(
        reverse("people:create"), person_data(appi_number="202300000042")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "déjà enregistré" in page
    assert cast.other_person.last_name not in page


def _edit_data(person, **overrides):
    data = person_data(
        last_name=person.last_name,
        first_names=person.first_names,
        birth_date=person.birth_date.isoformat(),
        version=person.version,
    )
    data.update(overrides)
    return data


def test_edit_saves_and_bumps_version(cast, clients):
    url = reverse("people:edit", args=[cast.person.public_id])
    response = clients["cpip"].post(url, _edit_data(cast.person, housing="heberge_tiers"))
    assert response.status_code == 302
    cast.person.refresh_from_db()
    assert cast.person.housing == "heberge_tiers" and cast.person.version == 2


def test_stale_edit_is_refused_and_both_versions_are_shown(cast, clients):
    url = reverse("people:edit", args=[cast.person.public_id])
    stale = _edit_data(cast.person, housing="hotel")
    assert (
        clients["dpip"].post(url, _edit_data(cast.person, housing="personnel")).status_code == 302
    )
    response = clients["cpip"].post(url, stale)
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in response.content.decode()
    cast.person.refresh_from_db()
    assert cast.person.housing == "personnel"


def test_transfer_keeps_the_assignment_history(cast, clients):
    url = reverse("people:transfer", args=[cast.person.public_id])
    response = clients["dpip"].post(
        url,
        {
            "new_referent": cast.cpip2.pk,
            "reason": "Rééquilibrage des charges",
            "version": cast.person.version,
        },
    )
    assert response.status_code == 302
    cast.person.refresh_from_db()
    assert cast.person.referent == cast.cpip2
    history = list(Assignment.objects.filter(person=cast.person).order_by("started_at"))
    assert [a.cpip for a in history] == [cast.cpip, cast.cpip2]
    assert history[0].ended_at is not None and history[1].ended_at is None
    event = AuditEvent.objects.get(action=AuditAction.TRANSFERT)
    assert event.motif_detail == "Rééquilibrage des charges"


def test_transfer_needs_a_reason_and_a_cpip_of_the_same_spip(cast, clients):
    url = reverse("people:transfer", args=[cast.person.public_id])
    assert clients["dpip"].post(url, {"new_referent": cast.cpip2.pk}).status_code == 400
    response = clients["dpip"].post(url, {"new_referent": cast.cpip_autre.pk, "reason": "test"})
    assert response.status_code == 400
    cast.person.refresh_from_db()
    assert cast.person.referent == cast.cpip


def test_new_address_closes_the_previous_one(cast, clients):
    url = reverse("people:address_add", args=[cast.person.public_id])
    first = {
        "line": "1 rue de Paris",
        "postal_code": "59000",
        "city": "Lille",
        "since": "2024-01-01",
    }
    second = {
        "line": "2 rue Solférino",
        "postal_code": "59000",
        "city": "Lille",
        "since": "2025-06-01",
    }
    assert clients["cpip"].post(url, first).status_code == 302
    assert clients["cpip"].post(url, second).status_code == 302
    addresses = list(cast.person.addresses.order_by("since"))
    assert addresses[0].until == date(2025, 6, 1)
    assert addresses[1].until is None


def test_measure_added_with_catalogue_articles_shown(cast, clients):
    url = reverse("measures:create", args=[cast.person.public_id])
    data = {
        "measure_type": measure_type("tig").pk,
        "judgment_date": "2025-09-01",
        "start_date": "2025-09-15",
        "end_date": "2027-03-15",
        "milieu": "ouvert",
        "status": "en_cours",
    }
    assert clients["cpip"].post(url, data).status_code == 302
    page = clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id]))
    assert "Travail d&#x27;intérêt général" in page.content.decode()
    assert "CP art. 131-8" in page.content.decode()


def test_stale_measure_edit_is_refused(cast, clients):
    measure = cast.person.measures.get()
    url = reverse("measures:edit", args=[measure.public_id])
    data = {
        "measure_type": measure.measure_type_id,
        "judgment_date": "2025-03-01",
        "start_date": "2025-03-15",
        "end_date": "2027-03-15",
        "probation_months": 24,
        "milieu": "ouvert",
        "version": measure.version,
    }
    assert clients["dpip"].post(url, {**data, "status": "suspendue"}).status_code == 302
    assert clients["cpip"].post(url, {**data, "status": "terminee"}).status_code == 409
    measure.refresh_from_db()
    assert measure.status == "suspendue"


def test_team_view_counts_and_weights_caseloads(cast, clients):
    renforce = measure_type("sursis_probatoire_renforce")
    heavy = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2)
    MeasureFactory(person=heavy, measure_type=renforce)
    MeasureFactory(person=heavy, measure_type=measure_type("stage"))
    PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2)  # no measure
    rows = {r.cpip.username: r for r in clients["dpip"].get(reverse("people:team")).context["rows"]}
    assert rows["cpip"].count == 1 and str(rows["cpip"].weighted) == "1.0"
    assert rows["cpip2"].count == 2 and str(rows["cpip2"].weighted) == "2.5"
    assert "cpip_autre" not in rows


def test_caseload_search_by_name_and_appi(cast, clients):
    cast.person.appi_number = "202400012345"
    cast.person.save()
    url = reverse("people:caseload")
    assert clients["cpip"].get(url, {"q": "durand"}).context["page"].paginator.count == 1
    assert clients["cpip"].get(url, {"q": "2024 0001"}).context["page"].paginator.count == 1
    assert clients["cpip"].get(url, {"q": "martin"}).context["page"].paginator.count == 0
    # First name then last name, or the other way round: every word typed must match.
    assert clients["cpip"].get(url, {"q": "Lucas Durand"}).context["page"].paginator.count == 1
    assert clients["cpip"].get(url, {"q": "durand  lucas"}).context["page"].paginator.count == 1
    assert clients["cpip"].get(url, {"q": "Lucas Martin"}).context["page"].paginator.count == 0


def test_caseload_filters_by_measure_type_and_status(cast, clients):
    url = reverse("people:caseload")
    assert (
        clients["cpip"].get(url, {"type": "sursis_probatoire"}).context["page"].paginator.count == 1
    )
    assert clients["cpip"].get(url, {"type": "tig"}).context["page"].paginator.count == 0
    assert clients["cpip"].get(url, {"statut": "terminee"}).context["page"].paginator.count == 0


def test_the_status_filter_says_what_it_keeps(cast, clients):
    """ "Tous les statuts" (the default) lists everyone; "Mesures actives" only people with a
    measure to come, running or suspended (the label used to say so of the default)."""
    url = reverse("people:caseload")
    ended = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=ended, tribunal=cast.tribunal, status="terminee")
    everyone = clients["cpip"].get(url)
    assert everyone.context["page"].paginator.count == 2
    assert "Tous les statuts" in text(everyone)
    active = clients["cpip"].get(url, {"statut": "actives"}).context["page"]
    assert [p["id"] for p in active.object_list] == [cast.person.pk]
    typed = clients["cpip"].get(url, {"type": "sursis_probatoire", "statut": "terminee"})
    assert [p["id"] for p in typed.context["page"].object_list] == [ended.pk]


def test_colleagues_people_are_found_by_name_not_browsed(cast, clients):
    url = reverse("people:caseload")
    browse = clients["cpip2"].get(url, {"perimetre": "service"})
    assert browse.context["page"].paginator.count == 0
    search = clients["cpip2"].get(url, {"perimetre": "service", "q": "Durand"})
    assert search.context["page"].paginator.count == 1
    assert AuditEvent.objects.filter(action=AuditAction.RECHERCHE, actor=cast.cpip2).count() == 1


def test_htmx_search_returns_only_the_results_block(cast, clients):
    response = clients["cpip"].get(
        reverse("people:caseload"), {"q": "durand"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="resultats"')
    assert "DURAND Lucas" in body
    assert "<html" not in body


def test_edit_does_not_bring_back_stale_derived_or_ownership_fields(cast):
    from parcours.people.services import update_person

    person = Person.objects.get(pk=cast.person.pk)  # loaded by the edit request
    # Meanwhile the nightly recomputation changes the status (it does not bump the version).
    Person.objects.filter(pk=person.pk).update(compliance_status="en_retard")
    person.housing = "hotel"
    update_person(
        acting_user=cast.cpip,
        person=person,
        changed=["housing"],
        expected_version=person.version,
    )
    cast.person.refresh_from_db()
    assert cast.person.housing == "hotel"
    assert cast.person.compliance_status == "en_retard"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_name", "expected"),
    [
        ("cpip", "spip"),
        ("dpip", "spip"),
        ("secretariat", "spip"),
        ("cpip_autre", "other_spip"),
        ("jap", "tribunal"),
        ("partenaire", None),
        ("admin", None),
    ],
)
def test_the_scope_of_each_role_and_the_people_it_holds(
    cast: Cast, role_name: str, expected: str | None
) -> None:
    """`scope_of` is what both the lists (`visible_to`) and the person door's prepared read
    apply: the SPIP of its staff, the tribunal of the court, nobody else."""
    user = cast.user(role_name)
    scope = scope_of(user)
    if expected == "tribunal":
        assert scope == PeopleScope(tribunal_id=cast.tribunal.pk)
    elif expected is not None:
        assert scope == PeopleScope(spip_id=getattr(cast, expected).pk)
    else:
        assert scope == PeopleScope()
    people = set(Person.objects.visible_to(user))
    assert people == set(Person.objects.in_scope(scope))
    assert bool(people) == (expected is not None)
    for person in Person.objects.all():
        try:
            found = visible_person(user, person.public_id)
        except Http404:
            found = None
        assert (found == person) == (person in people)


@pytest.mark.django_db
def test_a_staff_member_without_a_spip_and_an_anonymous_user_see_nobody(cast: Cast) -> None:
    cast.dpip.organisation.spip_id = None  # in memory: an organisation attached to no SPIP
    assert scope_of(cast.dpip) == PeopleScope()
    assert scope_of(AnonymousUser()) == PeopleScope()  # type: ignore[arg-type]
    assert not Person.objects.visible_to(cast.dpip).exists()


def test_only_a_cpip_is_offered_their_own_caseload_as_a_scope(cast, clients):
    """ "Mes personnes suivies" means the people one follows as referent: a CPIP's; for the
    secretariat or the encadrement it always listed nobody."""
    url = reverse("people:caseload")
    assert 'name="perimetre"' in text(clients["cpip"].get(url))
    for role in ("secretariat", "dpip"):
        page = text(clients[role].get(url))
        assert 'name="perimetre"' not in page, role

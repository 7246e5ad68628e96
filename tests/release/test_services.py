"""Release services: opening the checklist, the expected date, ticking items (409, journal),
the first appointment ticked from the agenda, the nightly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.detention.models import SentenceSituation
from parcours.measures.models import MeasureStatus
from parcours.release import services
from parcours.release.models import ReleaseItem, ReleasePlan
from parcours.release.services import ItemChange
from parcours.rules.release import CHECKLIST, FIRST_APPOINTMENT, ItemStatus

from ..agenda.factories import make_appointment
from ..factories import MeasureFactory, PersonFactory
from .factories import ecrou

pytestmark = pytest.mark.django_db


def test_prepare_opens_every_item_at_its_due_date_and_journals(cast):
    row = ecrou(cast.person, release_in=40)
    plan = services.prepare_release(cast.cpip, row)
    expected = timezone.localdate() + timedelta(days=40)
    assert plan.expected_on == expected and plan.date_source == "situation"
    assert plan.probation_follows  # cast.person has a sursis probatoire en cours
    items = {item.key: item for item in plan.items.all()}
    assert set(items) == {spec.key for spec in CHECKLIST}
    assert items["hebergement"].due_on == expected - timedelta(days=60)
    assert all(item.status == ItemStatus.A_FAIRE for item in items.values())
    event = AuditEvent.objects.filter(action="creation", object_type="releaseplan").get()
    assert event.person_public_id == cast.person.public_id and event.actor_id == cast.cpip.pk


def test_prepare_without_probation_sets_probation_items_aside(cast):
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    plan = services.prepare_release(cast.cpip, ecrou(person))
    assert not plan.probation_follows
    assert plan.items.get(key=FIRST_APPOINTMENT).status == ItemStatus.SANS_OBJET


def test_prepare_twice_or_without_a_date_or_after_release_is_refused(cast):
    row = ecrou(cast.person)
    services.prepare_release(cast.cpip, row)
    with pytest.raises(Refused, match="déjà ouverte"):
        services.prepare_release(cast.cpip, row)
    undated = ecrou(cast.person, release_in=None)
    with pytest.raises(Refused, match="Aucune date"):
        services.prepare_release(cast.cpip, undated)
    manual = services.prepare_release(
        cast.cpip, undated, expected_on=timezone.localdate() + timedelta(days=10)
    )
    assert manual.date_source == "manuelle"
    released = ecrou(cast.person, released_on=timezone.localdate(), release_in=None)
    with pytest.raises(Refused, match="déjà libérée"):
        services.prepare_release(cast.cpip, released)


def test_expected_date_moves_the_items_still_to_do_and_refuses_a_stale_version(cast):
    plan = services.prepare_release(cast.cpip, ecrou(cast.person, release_in=40))
    done = plan.items.get(key="identite")
    services.update_item(cast.cpip, done, ItemChange(status="fait"), expected_version=1)
    new = plan.expected_on + timedelta(days=10)
    services.set_expected_date(cast.cpip, plan, expected_on=new, expected_version=1)
    plan.refresh_from_db()
    assert (plan.expected_on, plan.date_source, plan.version) == (new, "manuelle", 2)
    assert plan.items.get(key="hebergement").due_on == new - timedelta(days=60)
    done.refresh_from_db()
    assert done.due_on == new - timedelta(days=10) - timedelta(days=75)  # done: left alone
    with pytest.raises(ConflictError):
        services.set_expected_date(cast.cpip, plan, expected_on=new, expected_version=1)


def test_update_item_ticks_with_a_date_journals_and_refuses_a_stale_version(cast):
    plan = services.prepare_release(cast.cpip, ecrou(cast.person))
    item = plan.items.get(key="banque")
    services.update_item(
        cast.cpip,
        item,
        ItemChange(status="fait", owner_detail=" Banque postale "),
        expected_version=1,
    )
    item.refresh_from_db()
    assert (item.status, item.done_on, item.version) == ("fait", timezone.localdate(), 2)
    assert item.owner_detail == "Banque postale" and item.updated_by == cast.cpip
    event = AuditEvent.objects.filter(action="modification", object_type="releaseitem").get()
    assert event.details == {"demarche": "banque", "etat": "fait"}
    with pytest.raises(ConflictError):
        services.update_item(cast.cpip2, item, ItemChange(status="a_faire"), expected_version=1)
    item.refresh_from_db()
    assert item.status == "fait"


def test_sans_objet_needs_a_reason(cast):
    plan = services.prepare_release(cast.cpip, ecrou(cast.person))
    item = plan.items.get(key="rsa_caf")
    with pytest.raises(Refused, match="sans objet"):
        services.update_item(cast.cpip, item, ItemChange(status="sans_objet"), expected_version=1)
    services.update_item(
        cast.cpip,
        item,
        ItemChange(status="sans_objet", reason="Salarié à la sortie"),
        expected_version=1,
    )
    item.refresh_from_db()
    assert (item.status, item.reason, item.done_on) == ("sans_objet", "Salarié à la sortie", None)


def test_first_appointment_is_ticked_only_when_booked_after_the_release(cast):
    plan = services.prepare_release(cast.cpip, ecrou(cast.person, release_in=3))
    make_appointment(cast, starts_at=timezone.now() + timedelta(days=1))  # before the release
    assert services.tick_first_appointments(plan_ids=[plan.pk]) == 0
    make_appointment(cast, starts_at=timezone.now() + timedelta(days=5), status="annule")
    assert services.tick_first_appointments(plan_ids=[plan.pk]) == 0
    make_appointment(cast, starts_at=timezone.now() + timedelta(days=6))
    assert services.tick_first_appointments(plan_ids=[plan.pk]) == 1
    item = plan.items.get(key=FIRST_APPOINTMENT)
    assert (item.status, item.version) == ("fait", 2)
    assert services.tick_first_appointments() == 0  # done once


def test_nightly_opens_checklists_within_the_horizon_only_and_is_idempotent(cast):
    near = ecrou(cast.person, release_in=90)
    far = ecrou(
        PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip), release_in=91
    )
    other = ecrou(cast.other_person, release_in=20)
    result = services.nightly(spip_ids=[cast.spip.pk])
    assert result.created == 1
    assert ReleasePlan.objects.filter(ecrou=near).exists()
    assert not ReleasePlan.objects.filter(ecrou__in=[far, other]).exists()
    event = AuditEvent.objects.get(object_type="releaseplan")
    assert event.actor_id is None and event.details["automatique"] is True
    assert services.nightly().created == 1  # the other SPIP's, once
    assert services.nightly().created == 0


def test_nightly_follows_a_recomputed_release_date_unless_the_cpip_set_it(cast):
    row = ecrou(cast.person, release_in=30)
    plan = services.prepare_release(None, row)
    SentenceSituation.objects.filter(ecrou=row).update(
        release_date=plan.expected_on - timedelta(days=5)
    )
    assert services.nightly().moved == 1
    plan.refresh_from_db()
    assert plan.expected_on == timezone.localdate() + timedelta(days=25)
    assert plan.items.get(key="transport").due_on == plan.expected_on - timedelta(days=7)
    services.set_expected_date(
        cast.cpip,
        plan,
        expected_on=plan.expected_on + timedelta(days=1),
        expected_version=plan.version,
    )
    assert services.nightly().moved == 0


def test_measure_following_is_read_from_current_milieu_ouvert_measures(cast):
    cast.person.measures.update(status=MeasureStatus.TERMINEE)
    MeasureFactory(person=cast.person, milieu="ferme")  # the suivi en détention
    plan = services.prepare_release(cast.cpip, ecrou(cast.person))
    assert not plan.probation_follows
    assert ReleaseItem.objects.filter(plan=plan, status="sans_objet").count() == 2

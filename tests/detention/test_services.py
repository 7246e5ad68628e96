"""The detention services: the écrou keeps the person's incarceration period in step, the
refusals are French, a stale version is a conflict, every write is journaled and recomputes the
écrou's situation after commit."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.audit.models import AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.detention import services
from parcours.detention.models import Ecrou, SentenceLine, SentenceSituation, sync_ever_detained
from parcours.detention.situations import case_for
from parcours.people.models import IncarcerationPeriod, Person
from tests.helpers import file_tab

from ..factories import PersonFactory
from .factories import prison

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]

START = date(2026, 9, 1)


@pytest.fixture
def ecrou(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_ecrou(
            cast.cpip, cast.person, establishment=prison(cast.spip), number="A-1", start=START
        )


def test_create_ecrou_opens_the_incarceration_period_and_journals(cast, ecrou):
    period = IncarcerationPeriod.objects.get(person=cast.person)
    assert ecrou.incarceration_id == period.pk
    assert (period.start, period.end) == (START, None)
    assert period.establishment == "Centre pénitentiaire de Lille-Sequedin"
    assert period.source == "Écrou n° A-1"
    event = AuditEvent.objects.filter(object_type="ecrou").latest("pk")
    assert event.action == "creation"
    assert event.person_public_id == cast.person.public_id
    # No sentence yet: the situation says why there is no date.
    situation = SentenceSituation.objects.get(ecrou=ecrou)
    assert situation.release_date is None
    assert "Aucune peine" in situation.error


def test_create_ecrou_adopts_an_unlinked_period_of_the_same_day(cast):
    manual = IncarcerationPeriod.objects.create(person=cast.person, start=START)
    ecrou = services.create_ecrou(
        cast.cpip, cast.person, establishment=prison(cast.spip), number="A-2", start=START
    )
    assert ecrou.incarceration_id == manual.pk
    assert IncarcerationPeriod.objects.filter(person=cast.person).count() == 1


def test_sentence_recomputes_the_situation_after_commit(
    cast, ecrou, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_sentence(cast.cpip, ecrou, years=1, definitive_on=date(2026, 10, 1))
    situation = SentenceSituation.objects.get(ecrou=ecrou)
    assert situation.error == ""
    assert situation.release_date == date(2027, 8, 31)
    assert situation.result["explanation"][0]["article"] == "CPP art. 716-1"
    assert situation.as_of == date(2027, 3, 16)


def test_refusals_of_the_ecrou(cast, ecrou):
    other_spip_prison = Organisation.objects.create(
        kind=OrganisationKind.ETABLISSEMENT, name="CP de Saint-Denis", spip=cast.other_spip
    )
    with pytest.raises(Refused, match="SPIP de la personne"):
        services.create_ecrou(
            cast.cpip, cast.person, establishment=other_spip_prison, number="B", start=START
        )
    with pytest.raises(Refused, match="chevaucherait l'écrou n° A-1"):
        services.create_ecrou(
            cast.cpip,
            cast.person,
            establishment=prison(cast.spip),
            number="B",
            start=date(2027, 1, 1),
        )
    with pytest.raises(Refused, match="existe déjà"):
        services.create_ecrou(
            cast.cpip,
            PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip),
            establishment=prison(cast.spip),
            number="A-1",
            start=START,
        )
    with pytest.raises(Refused, match="futur"):
        services.create_ecrou(
            cast.cpip,
            cast.person,
            establishment=prison(cast.spip),
            number="C",
            start=date(2027, 4, 1),
        )


def test_update_ecrou_refuses_a_stale_version_and_moves_the_period(cast, ecrou):
    with pytest.raises(ConflictError):
        services.update_ecrou(cast.cpip, ecrou, expected_version=ecrou.version + 1, number="X")
    services.update_ecrou(
        cast.cpip, ecrou, expected_version=ecrou.version, start=date(2026, 8, 30), hebergement=True
    )
    ecrou.refresh_from_db()
    assert ecrou.version == 2 and ecrou.hebergement
    assert IncarcerationPeriod.objects.get(pk=ecrou.incarceration_id).start == date(2026, 8, 30)


def test_release_ends_the_period_and_is_refused_before_the_ecrou_or_twice(cast, ecrou):
    with pytest.raises(Refused, match="postérieure à la date d'écrou"):
        services.record_release(cast.cpip, ecrou, released_on=START, kind="fin_de_peine")
    with pytest.raises(Refused, match="futur"):
        services.record_release(cast.cpip, ecrou, released_on=date(2027, 5, 1), kind="lc")
    services.record_release(cast.cpip, ecrou, released_on=date(2027, 3, 1), kind="lc")
    period = IncarcerationPeriod.objects.get(pk=ecrou.incarceration_id)
    assert period.end == date(2027, 3, 1)
    with pytest.raises(Refused, match="déjà levé"):
        services.record_release(cast.cpip, ecrou, released_on=date(2027, 3, 2), kind="lc")


def test_sentences_rank_refusals_conflicts_and_delete(cast, ecrou):
    first = services.add_sentence(cast.cpip, ecrou, months=6)
    second = services.add_sentence(cast.cpip, ecrou, years=1, nature="crime", flags=["terrorisme"])
    assert (first.rank, second.rank) == (1, 2)
    with pytest.raises(Refused, match="définitive ne peut pas être dans le futur"):
        services.add_sentence(cast.cpip, ecrou, months=1, definitive_on=date(2027, 3, 17))
    with pytest.raises(Refused, match="déjà au rang 1"):
        services.add_sentence(cast.cpip, ecrou, months=1, rank=1)
    with pytest.raises(Refused, match="au moins un jour"):
        services.add_sentence(cast.cpip, ecrou)
    with pytest.raises(Refused, match="Fait retenu inconnu"):
        services.add_sentence(cast.cpip, ecrou, months=1, flags=["inconnu"])
    with pytest.raises(ConflictError):
        services.update_sentence(cast.cpip, first, expected_version=7, months=7)
    services.update_sentence(cast.cpip, first, expected_version=1, months=7)
    assert SentenceLine.objects.get(pk=first.pk).months == 7
    with pytest.raises(ConflictError):
        services.delete_sentence(cast.cpip, second, expected_version=2)
    services.delete_sentence(cast.cpip, second, expected_version=1)
    assert list(ecrou.sentences.values_list("rank", flat=True)) == [1]
    assert AuditEvent.objects.filter(details__peine_supprimee__startswith="rang 2").exists()


def test_prior_custody_refuses_overlaps_and_counts_in_the_case(cast, ecrou):
    with pytest.raises(Refused, match="chevauche l'écrou"):
        services.add_prior_custody(
            cast.cpip,
            ecrou,
            kind="detention_provisoire",
            start=date(2026, 8, 1),
            end=date(2026, 9, 2),
        )
    services.add_prior_custody(
        cast.cpip, ecrou, kind="detention_provisoire", start=date(2026, 1, 1), end=date(2026, 1, 11)
    )
    with pytest.raises(Refused, match="autre détention à imputer"):
        services.add_prior_custody(
            cast.cpip, ecrou, kind="arse", start=date(2026, 1, 10), end=date(2026, 2, 1)
        )
    services.add_prior_custody(
        cast.cpip, ecrou, kind="arse", start=date(2026, 2, 1), end=date(2026, 2, 6)
    )
    assert case_for(Ecrou.objects.get(pk=ecrou.pk), as_of=date(2027, 3, 16)).pre_trial_days == 15


def test_reductions_and_sanctions_are_dated_within_the_ecrou(cast, ecrou):
    with pytest.raises(Refused, match="antérieure à l'écrou"):
        services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2026, 8, 1), days=10)
    with pytest.raises(Refused, match="futur"):
        services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2027, 4, 1), days=10)
    with pytest.raises(Refused, match="au moins un jour"):
        services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 1))
    services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 1), months=1)
    services.record_sanction(cast.cpip, ecrou, on=date(2027, 2, 1), violence=True)
    case = case_for(Ecrou.objects.get(pk=ecrou.pk), as_of=date(2027, 3, 16))
    assert [(r.months, r.kind) for r in case.reductions] == [(1, "rp")]
    assert case.sanction_disciplinaire_violence
    # As of a day before the sanction, it does not count yet.
    assert not case_for(
        Ecrou.objects.get(pk=ecrou.pk), as_of=date(2027, 1, 31)
    ).sanction_disciplinaire_violence


def test_transfer_moves_the_ecrou_and_the_period(cast, ecrou):
    other = prison(cast.spip, "Maison d'arrêt d'Arras")
    with pytest.raises(Refused, match="déjà dans cet établissement"):
        services.record_transfer(
            cast.cpip, ecrou, on=date(2026, 12, 1), to_establishment=prison(cast.spip)
        )
    services.record_transfer(cast.cpip, ecrou, on=date(2026, 12, 1), to_establishment=other)
    ecrou.refresh_from_db()
    assert ecrou.establishment_id == other.pk
    assert IncarcerationPeriod.objects.get(pk=ecrou.incarceration_id).establishment == other.name
    with pytest.raises(Refused, match="plus récent"):
        services.record_transfer(
            cast.cpip, ecrou, on=date(2026, 11, 1), to_establishment=prison(cast.spip)
        )


def test_an_ecrou_recomputes_the_person_alerts_and_compliance_at_once(cast):
    """The incarceration suspends the probation: the receivers of measure changes hear it."""
    from parcours.alerts.models import Alert
    from parcours.detention.signals import ecrou_changed

    heard = []

    def listen(sender, *, person_ids, **kwargs):
        heard.append(list(person_ids))

    ecrou_changed.connect(listen)
    try:
        ecrou = services.create_ecrou(
            cast.cpip, cast.person, establishment=prison(cast.spip), number="S-1", start=START
        )
        services.record_release(cast.cpip, ecrou, released_on=date(2027, 1, 5), kind="lc")
    finally:
        ecrou_changed.disconnect(listen)
    assert heard == [[cast.person.pk], [cast.person.pk]]
    uids = {entry[0][0] for entry in ecrou_changed.receivers}
    assert "ecrou:parcours.alerts.services.on_measure_changed" in uids
    assert "ecrou:parcours.obligations.compliance.on_measure_changed" in uids
    assert Alert.objects.filter(person=cast.person).exists()


def test_the_period_an_ecrou_holds_is_edited_in_the_detention_record_only(cast, ecrou):
    """The calendar's "Modifier" / "Enregistrer la libération" would take the period out of step
    with its écrou: the measures pages send the user to the détention panel, and the measures
    service refuses the write."""
    from django.urls import reverse

    from parcours.measures import services as measure_services

    from ..helpers import client_for

    period = IncarcerationPeriod.objects.get(person=cast.person)
    client = client_for(cast.cpip)
    for name in ("measures:incarceration_edit", "measures:incarceration_end"):
        url = reverse(name, args=[period.public_id])
        response = client.post(url, {"start": "2026-08-01", "end": "2026-10-01", "version": 1})
        assert response.status_code == 302, name
    period.refresh_from_db()
    assert (period.start, period.end) == (START, None)
    page = client.get(file_tab(cast.person, "calendrier")).content.decode()
    assert "suit l'écrou" in page
    assert reverse("measures:incarceration_edit", args=[period.public_id]) not in page
    period.end = date(2026, 10, 1)
    with pytest.raises(Refused, match="dossier de détention"):
        measure_services.update_incarceration(
            acting_user=cast.cpip, period=period, changed=["end"], expected_version=1
        )
    # A period without an écrou stays editable from the calendar.
    free = IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2025, 1, 1), end=date(2025, 2, 1)
    )
    edit = client.get(reverse("measures:incarceration_edit", args=[free.public_id]))
    assert edit.status_code == 200


def test_every_writer_of_ecrous_flags_the_person_ever_detained(cast):
    """Person.ever_detained lets the file skip the écrou query: Ecrou.save sets it, a bulk writer
    calls mark_detained, and the nightly sync catches a writer that forgot."""
    saved, bulk = (PersonFactory(spip=cast.spip) for _ in range(2))
    assert not saved.ever_detained
    Ecrou.objects.create(
        person=saved, establishment=prison(cast.spip), number="1", start=date(2026, 1, 2)
    )
    Ecrou.objects.bulk_create(
        [Ecrou(person=bulk, establishment=prison(cast.spip), number="2", start=date(2026, 1, 2))]
    )
    flags = dict(
        Person.objects.filter(pk__in=[saved.pk, bulk.pk]).values_list("pk", "ever_detained")
    )
    assert flags == {saved.pk: True, bulk.pk: False}  # bulk_create skips save()
    assert sync_ever_detained() == 1
    assert Person.objects.get(pk=bulk.pk).ever_detained
    assert sync_ever_detained() == 0
    assert not Person.objects.get(pk=cast.other_person.pk).ever_detained

"""Adding and editing obligations of a measure: access, validation, optimistic locking, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditAction, AuditEvent
from parcours.obligations.models import ImposedBy, Obligation

from .factories import make_obligation

pytestmark = pytest.mark.django_db


def measure_of(person):
    return person.measures.order_by("pk").first()


def create_url(cast):
    return reverse("obligations:create", args=[measure_of(cast.person).public_id])


def test_type_picker_then_parameter_fields(cast, clients) -> None:
    client = clients["cpip"]
    page = client.get(create_url(cast))
    assert page.status_code == 200
    body = page.content.decode()
    assert "CP art. 132-45 3° — Se soumettre" in body
    assert 'method="get"' in body
    form = client.get(create_url(cast), {"type": "cp_132_45_9"})
    body = form.content.decode()
    assert form.status_code == 200
    assert "Lieu ou zone interdits" in body and "Périmètre (mètres)" in body
    unknown = client.get(create_url(cast), {"type": "cp_999"})
    assert unknown.status_code == 400
    assert "Sélectionnez un choix valide" in unknown.content.decode()


def test_referent_adds_an_obligation_with_defaults_and_audit(cast, clients) -> None:
    client = clients["cpip"]
    page = client.get(create_url(cast), {"type": "cp_132_45_3"})
    assert page.context["form"]["proof_type"].value() == "attestation de soins"
    assert page.context["form"]["cadence_months"].value() == 1
    response = client.post(
        create_url(cast),
        {
            "obligation_type": "cp_132_45_3",
            "param_nature": "Addictologie",
            "param_structure": "CSAPA de Lille",
            "start_date": "2026-02-01",
            "imposed_by": ImposedBy.JURIDICTION,
            "imposed_on": "2026-01-15",
            "proof_type": "attestation de soins",
            "cadence_months": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    obligation = Obligation.objects.get(measure__person=cast.person)
    assert response["Location"].endswith(f"#obligation-{obligation.public_id}")
    assert obligation.parameters == {"nature": "Addictologie", "structure": "CSAPA de Lille"}
    assert obligation.created_by == cast.cpip
    assert obligation.version == 1
    event = AuditEvent.objects.get(action=AuditAction.CREATION, object_id=obligation.public_id)
    assert event.person_public_id == cast.person.public_id
    assert event.spip_id == cast.spip.pk
    detail = client.get(reverse("people:detail", args=[cast.person.public_id])).content.decode()
    assert "Se soumettre à des mesures d" in detail
    assert "Nature des soins : Addictologie" in detail
    assert "tous les mois" in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"param_zone": ""}, "Ce champ est obligatoire"),
        ({"param_distance": "-5"}, "supérieure ou égale à 1"),
        ({"param_distance": "beaucoup"}, "Saisissez un nombre entier"),
        ({"end_date": "2026-01-01"}, "La date de fin ne peut pas précéder la date de début"),
        ({"imposed_on": "2099-01-01"}, "La date de la décision ne peut pas être dans le futur"),
        ({"imposed_by": "ministre"}, "Sélectionnez un choix valide"),
        ({"cadence_months": "99"}, "La périodicité ne peut pas dépasser 24 mois"),
        ({"start_date": "31/02/2026"}, "Saisissez une date valide"),
        ({"obligation_type": "cp_999"}, "Sélectionnez un choix valide"),
    ],
)
def test_invalid_obligation_is_refused_in_french(cast, clients, changes, message) -> None:
    data = {
        "obligation_type": "cp_132_45_9",
        "param_zone": "Quartier de la gare",
        "param_distance": "200",
        "start_date": "2026-02-01",
        "imposed_by": ImposedBy.JAP,
        "imposed_on": "2026-01-15",
        "proof_type": "",
        "cadence_months": "",
        **changes,
    }
    response = clients["cpip"].post(create_url(cast), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Obligation.objects.exists()


def test_amount_and_date_parameters_are_stored_as_json(cast, clients) -> None:
    response = clients["dpip"].post(
        create_url(cast),
        {
            "obligation_type": "cp_132_45_15",
            "param_stage": "Stage de citoyenneté",
            "param_echeance": "2026-06-30",
            "start_date": "2026-02-01",
            "imposed_by": ImposedBy.JURIDICTION,
            "imposed_on": "2026-01-15",
        },
    )
    assert response.status_code == 302
    obligation = Obligation.objects.get()
    assert obligation.parameters == {"stage": "Stage de citoyenneté", "echeance": "2026-06-30"}
    assert "À accomplir avant le : 30/06/2026" in obligation.parameters_summary
    assert obligation.cadence_months is None


def edit_data(obligation, **changes):
    return {
        "version": obligation.version,
        "param_nature": "Alcoologie",
        "param_structure": "",
        "start_date": obligation.start_date.isoformat(),
        "end_date": "",
        "imposed_by": obligation.imposed_by,
        "imposed_on": obligation.imposed_on.isoformat(),
        "proof_type": "attestation de soins",
        "cadence_months": "2",
        **changes,
    }


def test_edit_bumps_the_version_and_is_journaled(cast, clients) -> None:
    obligation = make_obligation(cast.person)
    url = reverse("obligations:edit", args=[obligation.public_id])
    page = clients["cpip"].get(url)
    assert page.status_code == 200
    assert 'value="addictologie"' in page.content.decode()
    response = clients["cpip"].post(url, edit_data(obligation))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.version == 2
    assert obligation.parameters == {"nature": "Alcoologie"}
    assert obligation.cadence_months == 2
    event = AuditEvent.objects.get(action=AuditAction.MODIFICATION, object_id=obligation.public_id)
    assert "cadence_months" in event.details["champs"]
    assert event.person_public_id == cast.person.public_id


def test_stale_edit_is_a_409_conflict(cast, clients) -> None:
    obligation = make_obligation(cast.person)
    url = reverse("obligations:edit", args=[obligation.public_id])
    first = clients["cpip"].post(url, edit_data(obligation, cadence_months="3"))
    assert first.status_code == 302
    second = clients["dpip"].post(url, edit_data(obligation, cadence_months="6"))
    assert second.status_code == 409
    body = second.content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in body or "modifiée par quelqu'un" in body
    obligation.refresh_from_db()
    assert obligation.cadence_months == 3 and obligation.version == 2
    missing = clients["cpip"].post(url, edit_data(obligation, version=""))
    assert missing.status_code == 409


def test_readers_and_other_spip_cannot_write(cast, clients) -> None:
    obligation = make_obligation(cast.person)
    edit = reverse("obligations:edit", args=[obligation.public_id])
    for role in ("secretariat", "jap", "partenaire", "admin"):
        assert clients[role].post(edit, edit_data(obligation)).status_code == 403, role
    assert clients["cpip_autre"].get(edit).status_code == 404
    assert clients["cpip_autre"].post(edit, edit_data(obligation)).status_code == 404
    assert clients["cpip2"].get(edit).status_code == 302
    obligation.refresh_from_db()
    assert obligation.version == 1
    # The page for another SPIP's measure is not found either.
    other = reverse("obligations:create", args=[measure_of(cast.other_person).public_id])
    assert clients["cpip"].get(other).status_code == 404


def test_readers_see_obligations_without_buttons(cast, clients) -> None:
    make_obligation(cast.person)
    for role in ("secretariat", "jap"):
        body = clients[role].get(reverse("people:detail", args=[cast.person.public_id]))
        text = body.content.decode()
        assert "Se soumettre à des mesures d" in text, role
        assert "Ajouter une obligation" not in text, role
        assert "Ajouter un justificatif" not in text, role
    writer = clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id]))
    assert "Ajouter une obligation" in writer.content.decode()
    assert "Ajouter un justificatif" in writer.content.decode()


def test_future_end_date_is_allowed_but_start_before_1950_is_not(cast, clients) -> None:
    # Within the measure (R-OBLIGATION-DATES): a 48-month probation from 15/03/2025.
    cast.person.measures.update(probation_months=48, end_date=date(2029, 3, 14))
    later = (timezone.localdate() + timedelta(days=400)).isoformat()
    data = {
        "obligation_type": "cp_132_45_14",
        "start_date": "2026-02-01",
        "end_date": later,
        "imposed_by": ImposedBy.JURIDICTION,
        "imposed_on": "2026-01-15",
    }
    assert clients["cpip"].post(create_url(cast), data).status_code == 302
    old = clients["cpip"].post(create_url(cast), {**data, "start_date": "1900-01-01"})
    assert old.status_code == 400
    assert Obligation.objects.get().end_date == date.fromisoformat(later)


# --- R-OBLIGATION-DATES (issue 13, finding 8): an obligation lies within its measure --------


def obligation_data(**overrides: str) -> dict[str, str]:
    return {
        "obligation_type": "cp_132_45_14",
        "start_date": "2026-02-01",
        "imposed_by": ImposedBy.JURIDICTION,
        "imposed_on": "2026-01-15",
        **overrides,
    }


def test_cp_132_43_obligation_cannot_start_before_or_end_after_its_measure(cast, clients):
    # The cast's measure: 24 months of probation from 15/03/2025, so until 14/03/2027.
    before = clients["cpip"].post(create_url(cast), obligation_data(start_date="2025-01-10"))
    assert before.status_code == 400
    assert "ne peut pas commencer avant le début de la mesure (15/03/2025)" in (
        before.content.decode()
    )
    after = clients["cpip"].post(create_url(cast), obligation_data(end_date="2027-06-30"))
    assert after.status_code == 400
    assert "ne peut pas se terminer après la fin prévue de la mesure (14/03/2027)" in (
        after.content.decode()
    )
    assert not Obligation.objects.exists()
    ok = clients["cpip"].post(create_url(cast), obligation_data(end_date="2027-03-14"))
    assert ok.status_code == 302


def test_cp_132_43_incarceration_moves_the_measure_end_the_obligation_may_reach(cast, clients):
    from parcours.people.models import IncarcerationPeriod

    # 61 days in custody push the planned end from 14/03/2027 to 14/05/2027.
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2026, 1, 1), end=date(2026, 3, 3)
    )
    response = clients["cpip"].post(create_url(cast), obligation_data(end_date="2027-05-14"))
    assert response.status_code == 302
    late = clients["cpip"].post(create_url(cast), obligation_data(end_date="2027-05-15"))
    assert late.status_code == 400 and "14/05/2027" in late.content.decode()


def test_r_obligation_dates_the_service_refuses_too(cast) -> None:
    from parcours.core.errors import Refused
    from parcours.obligations import services

    from .factories import obligation_type

    measure = cast.person.measures.get()
    with pytest.raises(Refused, match="avant le début de la mesure"):
        services.add_obligation(
            acting_user=cast.cpip,
            measure=measure,
            obligation=Obligation(
                obligation_type=obligation_type("cp_132_45_14"),
                start_date=date(2024, 1, 1),
                imposed_on=date(2024, 1, 1),
            ),
        )
    assert not Obligation.objects.exists()

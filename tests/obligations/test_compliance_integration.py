"""Compliance status computed by the pure rules, stored on obligations and people, and shown:
services refresh the person at once, the nightly run ages the statuses, the caseload filters by
them, the recompute is set-based."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.measures.models import MeasureStatus
from parcours.obligations import services
from parcours.obligations.compliance import refresh_compliance
from parcours.obligations.models import Obligation, Proof, ProofKind, ProofStatus
from parcours.people.models import IncarcerationPeriod, Person
from tests.helpers import IMMEDIATE_TASKS

from ..conftest import Cast
from ..factories import MeasureFactory, PersonFactory
from ..helpers import client_for
from .factories import make_obligation

pytestmark = pytest.mark.django_db

START = date(2026, 3, 1)  # monthly periods: March (due 31/03), April (due 30/04), May…


def at(day: date) -> Any:
    """Freezes the clock at noon UTC on `day` (the same day in Paris)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def status_of(obligation: Obligation) -> str:
    obligation.refresh_from_db()
    return obligation.compliance_status


def person_status(person: Person) -> str:
    person.refresh_from_db()
    return person.compliance_status


def paper_proof(
    cast: Cast, obligation: Obligation, received: date, start: date, end: date
) -> Proof:
    return services.add_proof(
        acting_user=cast.cpip,
        obligation=obligation,
        proof=Proof(kind=ProofKind.PAPIER, received_on=received, covers_from=start, covers_to=end),
        checked=None,
    )


def monthly(person: Person, **fields: Any) -> Obligation:
    values = {"start_date": START, "cadence_months": 1, **fields}
    return make_obligation(person, **values)


def test_accepted_proof_then_time_passing_and_the_nightly_run(cast: Cast) -> None:
    obligation = monthly(cast.person)
    with at(date(2026, 3, 27)):
        refresh_compliance([cast.person.pk])
        assert status_of(obligation) == "justificatif_attendu"  # due 31/03, reminder window
        proof = paper_proof(cast, obligation, date(2026, 3, 27), START, date(2026, 3, 31))
        assert status_of(obligation) == "justificatif_attendu"  # pending: not yet à jour
        services.decide_proof(
            acting_user=cast.cpip, proof=proof, status=ProofStatus.ACCEPTE, reason=""
        )
        assert status_of(obligation) == "a_jour"
        assert obligation.compliance_next_due == date(2026, 4, 30)
        assert "Prochaine échéance le 30/04/2026" in obligation.compliance_explanation
        assert person_status(cast.person) == "a_jour"
    steps = [
        (date(2026, 4, 20), "a_jour"),
        (date(2026, 4, 25), "justificatif_attendu"),  # 5 days before the April due date
        (date(2026, 5, 10), "justificatif_attendu"),  # 10 days late, within the grace period
        (date(2026, 5, 20), "en_retard"),  # 20 days late
        (date(2026, 6, 5), "sans_justificatif"),  # 36 days late: not a manquement
    ]
    for day, expected in steps:
        with at(day):
            call_command("recompute_compliance")
        assert status_of(obligation) == expected, day
        assert person_status(cast.person) == expected, day
    assert "dépassée de 36 jours" in obligation.compliance_explanation


def test_refused_proof_does_not_make_the_status_a_jour(cast: Cast) -> None:
    obligation = monthly(cast.person)
    with at(date(2026, 4, 20)):  # March is 20 days late
        refresh_compliance([cast.person.pk])
        assert status_of(obligation) == "en_retard"
        proof = paper_proof(cast, obligation, date(2026, 4, 20), START, date(2026, 3, 31))
        # A pending proof, handed in before the breach threshold, holds the period.
        assert status_of(obligation) == "justificatif_attendu"
        services.decide_proof(
            acting_user=cast.cpip,
            proof=proof,
            status=ProofStatus.REFUSE,
            reason="Attestation illisible",
        )
        assert status_of(obligation) == "en_retard"
        assert person_status(cast.person) == "en_retard"


def test_obligation_create_and_update_refresh_the_person(cast: Cast) -> None:
    measure = cast.person.measures.get()
    with at(date(2026, 4, 20)):
        obligation = services.add_obligation(
            acting_user=cast.cpip,
            measure=measure,
            obligation=Obligation(
                obligation_type=make_obligation(cast.person).obligation_type,
                parameters={"nature": "addictologie"},
                start_date=START,
                imposed_on=START,
                cadence_months=1,
            ),
        )
        assert status_of(obligation) == "en_retard"
        obligation.cadence_months = None
        services.update_obligation(
            acting_user=cast.cpip,
            obligation=obligation,
            changed=["cadence_months"],
            expected_version=obligation.version,
        )
        assert status_of(obligation) == ""  # no periodic proof: nothing to check
        assert obligation.compliance_explanation == ""
    # The other obligation (the factory's, monthly since 05/01 without any proof, never
    # refreshed before) has been computed with the person.
    assert set(Obligation.objects.values_list("compliance_status", flat=True)) == {
        "",
        "sans_justificatif",
    }
    assert person_status(cast.person) == "sans_justificatif"


def test_person_takes_the_worst_obligation_of_their_current_measures(cast: Cast) -> None:
    first = monthly(cast.person)
    second_measure = MeasureFactory(person=cast.person)
    late = monthly(cast.person, measure=second_measure)
    ended = MeasureFactory(person=cast.person, status=MeasureStatus.TERMINEE)
    ignored = monthly(cast.person, measure=ended)
    Proof.objects.create(
        obligation=first,
        kind=ProofKind.PAPIER,
        received_on=date(2026, 4, 3),
        covers_from=date(2026, 4, 1),
        covers_to=date(2026, 4, 30),
        status=ProofStatus.ACCEPTE,
    )
    Proof.objects.create(
        obligation=first,
        kind=ProofKind.PAPIER,
        received_on=date(2026, 3, 3),
        covers_from=START,
        covers_to=date(2026, 3, 31),
        status=ProofStatus.ACCEPTE,
    )
    counts = refresh_compliance([cast.person.pk], today=date(2026, 4, 20))
    assert status_of(first) == "a_jour"
    assert status_of(late) == "en_retard"
    assert status_of(ignored) == ""  # measure no longer current
    assert person_status(cast.person) == "en_retard"
    assert counts["en_retard"] == 1 and counts["people"] == 1
    # Shown on the person file: header, measure roll-ups and each obligation with its reason.
    response = client_get(cast, reverse("people:detail", args=[cast.person.public_id]))
    html = response.content.decode()
    assert "Suivi des obligations : " in html
    assert html.count('fr-badge--warning">En retard') >= 3  # person, measure, obligation
    assert 'fr-badge--success">À jour' in html
    assert "aucun justificatif accepté pour la période du 01/03/2026 au 31/03/2026" in html


def client_get(cast: Cast, url: str, params: dict[str, str] | None = None) -> Any:
    return client_for(cast.cpip).get(url, params or {})


def test_caseload_column_and_filter(cast: Cast) -> None:
    names = {"a_jour": "Alpha", "en_retard": "Bravo", "manquement": "Charlie", "": "Delta"}
    people = {}
    for status, name in names.items():
        person = PersonFactory(
            spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name=name
        )
        MeasureFactory(person=person)
        people[status] = person
    Person.objects.filter(pk=people["a_jour"].pk).update(compliance_status="a_jour")
    Person.objects.filter(pk=people["en_retard"].pk).update(compliance_status="en_retard")
    Person.objects.filter(pk=people["manquement"].pk).update(compliance_status="manquement")
    url = reverse("people:caseload")
    html = client_get(cast, url).content.decode()
    assert "Suivi des obligations" in html and "Conformité" in html
    assert 'fr-badge--error">Manquement' in html
    html = client_get(cast, url, {"conformite": "en_retard"}).content.decode()
    assert "BRAVO" in html
    assert not any(n.upper() in html for n in ("Alpha", "Charlie", "Delta", "Durand"))
    # The live search (HTMX) keeps the filter and returns the results block only.
    response = client_for_htmx(cast).get(url, {"conformite": "manquement", "q": "char"})
    html = response.content.decode()
    assert "CHARLIE" in html and "BRAVO" not in html and "<form" not in html
    assert client_get(cast, url, {"conformite": "soins"}).status_code == 400


def test_caseload_filters_the_automatic_justificatif_manquant(cast: Cast) -> None:
    """The automatic status (issue 13, finding 7) is a filter of its own, labelled as what is
    known ("Justificatif manquant"), distinct from a recorded manquement."""
    missing = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name="Echo"
    )
    recorded = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, last_name="Foxtrot"
    )
    for person in (missing, recorded):
        MeasureFactory(person=person)
    Person.objects.filter(pk=missing.pk).update(compliance_status="sans_justificatif")
    Person.objects.filter(pk=recorded.pk).update(compliance_status="manquement")
    url = reverse("people:caseload")
    html = client_get(cast, url).content.decode()
    assert '<option value="sans_justificatif">Justificatif manquant</option>' in html
    html = client_get(cast, url, {"conformite": "sans_justificatif"}).content.decode()
    assert "ECHO" in html and "FOXTROT" not in html


def client_for_htmx(cast: Cast) -> Any:
    client = client_for(cast.cpip)
    client.defaults["HTTP_HX_REQUEST"] = "true"
    return client


def _people_with_obligations(cast: Cast, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        MeasureFactory(person=person)
        MeasureFactory(person=person)
        obligation = monthly(person)
        monthly(person, code="cp_132_45_1")
        IncarcerationPeriod.objects.create(
            person=person, start=date(2025, 6, 1), end=date(2025, 9, 1)
        )
        Proof.objects.create(
            obligation=obligation,
            kind=ProofKind.PAPIER,
            received_on=date(2026, 3, 3),
            status=ProofStatus.ACCEPTE,
        )
        ids.append(person.pk)
    return ids


def test_refresh_is_set_based(cast: Cast) -> None:
    few = _people_with_obligations(cast, 3)
    many = _people_with_obligations(cast, 30)
    with CaptureQueriesContext(connection) as small:
        refresh_compliance(few, today=date(2026, 4, 20))
    with CaptureQueriesContext(connection) as large:
        counts = refresh_compliance(many, today=date(2026, 4, 20))
    assert len(small.captured_queries) == len(large.captured_queries)
    assert counts["people_updated"] == 30 and counts["obligations_updated"] == 60
    # Idempotent: a second run writes nothing.
    again = refresh_compliance(many, today=date(2026, 4, 20))
    assert again["people_updated"] == 0 and again["obligations_updated"] == 0


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_nightly_task_and_command(cast: Cast, capsys: Any) -> None:
    from django_tasks import TaskResultStatus

    from parcours.obligations.tasks import nightly_recompute_compliance

    obligation = monthly(cast.person)
    with at(date(2026, 4, 20)):
        result = nightly_recompute_compliance.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None and result.return_value["en_retard"] == 1
    assert status_of(obligation) == "en_retard"
    with at(date(2026, 6, 1)):
        call_command("recompute_compliance", enqueue=True)
    assert "file d'attente" in capsys.readouterr().out
    assert status_of(obligation) == "sans_justificatif"
    call_command("recompute_compliance")
    assert "Suivi des obligations recalculé" in capsys.readouterr().out


def test_recompute_command_takes_a_date_and_refuses_a_bad_one(cast):
    from django.core.management import CommandError, call_command

    call_command("recompute_compliance", "--date", "2026-12-31")
    with pytest.raises(CommandError):
        call_command("recompute_compliance", "--date", "31/12/2026")


# --- Issue 13 (R-COMPLIANCE): an automatic status is "justificatif manquant", never manquement


def test_r_compliance_a_proof_36_days_late_shows_justificatif_manquant_not_manquement(
    cast: Cast,
) -> None:
    obligation = monthly(cast.person)
    refresh_compliance([cast.person.pk], today=date(2026, 5, 6))  # March 36 days late
    assert status_of(obligation) == "sans_justificatif"
    assert obligation.compliance_explanation.startswith("Justificatif manquant")
    assert "n'est pas un manquement constaté" in obligation.compliance_explanation
    html = client_get(cast, reverse("people:detail", args=[cast.person.public_id])).content
    assert 'fr-badge--new">Justificatif manquant' in html.decode()
    assert 'fr-badge--error">Manquement' not in html.decode()


def test_r_compliance_migration_moves_automatic_manquements_only(cast: Cast) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("parcours.obligations.migrations.0004_compliance_state")
    automatic = monthly(cast.person)
    recorded = monthly(cast.person, code="cp_132_45_1")
    Obligation.objects.filter(pk=automatic.pk).update(
        compliance_status="manquement",
        compliance_explanation=(
            "Manquement : aucun justificatif accepté pour la période du 01/03/2026 au "
            "31/03/2026 ; échéance du 31/03/2026 dépassée de 36 jours (seuil de manquement : "
            "30 jours)."
        ),
    )
    Obligation.objects.filter(pk=recorded.pk).update(
        compliance_status="manquement",
        compliance_explanation="Manquement constaté le 02/05/2026 : aucun justificatif…",
    )
    alone = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=alone)
    only_automatic = monthly(alone)
    Obligation.objects.filter(pk=only_automatic.pk).update(
        compliance_status="manquement",
        compliance_explanation="Manquement : aucun justificatif accepté pour la période …",
    )
    Person.objects.filter(pk__in=[cast.person.pk, alone.pk]).update(compliance_status="manquement")
    migration.forwards(apps, None)
    assert status_of(automatic) == "sans_justificatif"
    assert automatic.compliance_explanation.startswith("Justificatif manquant : aucun")
    assert "(au-delà de 30 jours). Ce n'est pas un manquement constaté" in (
        automatic.compliance_explanation
    )
    assert status_of(recorded) == "manquement"
    assert person_status(cast.person) == "manquement"  # a recorded breach still holds
    assert person_status(alone) == "sans_justificatif"


# --- CP art. 132-43 al. 2: incarceration suspends the obligations, except the bans --------


def test_cp_132_43_nightly_run_suspends_care_but_not_the_no_contact_ban(cast: Cast) -> None:
    care = monthly(cast.person)  # 132-45 3°, monthly from 01/03/2026, no proof
    no_contact = monthly(cast.person, code="cp_132_45_13")
    IncarcerationPeriod.objects.create(person=cast.person, start=date(2026, 3, 20))  # ongoing
    refresh_compliance([cast.person.pk], today=date(2026, 6, 15))
    # Care: March due in custody, nothing owed while it lasts.
    assert status_of(care) == "a_jour"
    assert care.compliance_next_due is None
    assert "132-43" in care.compliance_explanation
    # The ban on contact keeps applying (CP 132-43 al. 2): its missing proofs still count.
    assert status_of(no_contact) == "sans_justificatif"
    assert person_status(cast.person) == "sans_justificatif"


def test_cp_132_43_release_resumes_the_follow_up(cast: Cast) -> None:
    care = monthly(cast.person)
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2026, 3, 20), end=date(2026, 6, 1)
    )
    refresh_compliance([cast.person.pk], today=date(2026, 6, 25))
    # March, April, May due in custody; June (due 30/06) is in the reminder window.
    assert status_of(care) == "justificatif_attendu"
    assert care.compliance_next_due == date(2026, 6, 30)
    refresh_compliance([cast.person.pk], today=date(2026, 7, 20))
    assert status_of(care) == "en_retard"  # 20 days late: the person is free again


def test_cp_132_43_an_incarceration_recorded_refreshes_compliance_at_once(cast: Cast) -> None:
    """Recording the incarceration (the form of the measure's calendar) recomputes the person's
    compliance at once, not at the next night: the care proofs due in custody are no longer
    missing, the CPIP sees it when the page comes back."""
    care = monthly(cast.person)  # 132-45 3°, monthly from 01/03/2026, no proof
    refresh_compliance([cast.person.pk])
    assert status_of(care) == "sans_justificatif"
    url = reverse("measures:incarceration_create", args=[cast.person.public_id])
    response = client_for(cast.cpip).post(url, {"start": "2026-02-20", "establishment": "CP"})
    assert response.status_code == 302
    assert status_of(care) == "a_jour"
    assert person_status(cast.person) == "a_jour"
    assert "132-43" in care.compliance_explanation

"""Remote check-ins and the digital-skills self-assessment in the person's space (issue 18,
items 2 and 4): FALC forms, the checkins and assessments services behind them, French 400s,
another person's check-in a 404, the journal, the uploads' checks, the suggestions stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from parcours.assessments.models import DigitalSelfAssessment
from parcours.audit.models import AuditEvent
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.checkins.services import generate_checkins, review_checkin
from parcours.obligations import storage
from tests.checkins.factories import make_plan
from tests.helpers import client_for, text
from tests.obligations.factories import tiny_image

from .conftest import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

PERSON = "la personne (espace personnel)"
WEAK = {
    "q-numerique.acces": "oui",
    "q-numerique.telephone": "seul",
    "q-numerique.courriel": "aide",
    "q-numerique.demarches": "non",
    "q-numerique.emploi": "seul",
    "q-numerique.souhait": "oui",
}


@pytest.fixture
def space(member: Any, http_sms: Any) -> Client:
    client = signed_in_client(http_sms)
    client.raise_request_exception = False
    return client


@pytest.fixture
def due(member: Any) -> list[Checkin]:
    """A weekly plan started 14 days ago: three rows (two overdue, today's), oldest first."""
    plan = make_plan(member)
    generate_checkins(plan, today=timezone.localdate())
    return list(Checkin.objects.filter(person=member).order_by("due_date"))


def answer_url(checkin: Checkin) -> str:
    return f"/espace/controles/{checkin.public_id}/envoi/"


def test_home_counts_the_check_ins_to_answer(due: list[Checkin], space: Client) -> None:
    page = text(space.get("/espace/accueil/"))
    assert "Mes contrôles à distance" in page and "3 à faire" in page
    assert "Mon autoévaluation numérique" in page


def test_without_a_plan_the_check_in_card_is_hidden(space: Client) -> None:
    page = text(space.get("/espace/accueil/"))
    assert "Mes contrôles à distance" not in page
    assert "Mon autoévaluation numérique" in page


def test_answer_a_due_check_in_with_a_photo(due: list[Checkin], space: Client) -> None:
    today_row = due[-1]
    photo = SimpleUploadedFile("fiche.jpg", tiny_image("JPEG"), content_type="image/jpeg")
    response = space.post(
        answer_url(today_row),
        {
            "situation_changed": "oui",
            "address": "3 rue Nationale, 59000 Lille",
            "work": "Cariste",
            "message": "J'ai déménagé et trouvé un travail.",
            "file": photo,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?fait=controle")
    today_row.refresh_from_db()
    assert today_row.answered_at is not None and today_row.situation_changed
    assert today_row.address == "3 rue Nationale, 59000 Lille" and today_row.work == "Cariste"
    assert today_row.proof_name == "fiche.jpg" and storage.resolve(today_row.proof_path).is_file()
    assert AuditEvent.objects.filter(
        object_type="checkin", actor_username=PERSON, object_id=str(today_row.public_id)
    ).exists()
    page = text(space.get("/espace/controles/?fait=controle"))
    assert "Votre contrôle est envoyé" in page and "reçu" in page
    assert "2 à faire" in text(space.get("/espace/accueil/"))


def test_an_overdue_check_in_can_still_be_answered(due: list[Checkin], space: Client) -> None:
    oldest = due[0]
    assert oldest.due_date == timezone.localdate() - timedelta(days=14)
    assert "En retard" in text(space.get("/espace/controles/"))
    response = space.post(answer_url(oldest), {"situation_changed": "non"})
    assert response.status_code == 302
    oldest.refresh_from_db()
    assert oldest.answered_at is not None and not oldest.situation_changed


def test_the_review_is_said_in_simple_words(cast: Any, due: list[Checkin], space: Client) -> None:
    space.post(answer_url(due[0]), {"situation_changed": "non"})
    review_checkin(acting_user=cast.cpip, checkin=due[0], review="suite", comment="Appeler.")
    page = text(space.get("/espace/controles/"))
    assert "vu par votre conseiller" in page
    assert "Appeler." not in page  # never the CPIP's comment


def test_a_check_in_is_answered_once(due: list[Checkin], space: Client) -> None:
    assert space.post(answer_url(due[0]), {"situation_changed": "non"}).status_code == 302
    again = space.post(answer_url(due[0]), {"situation_changed": "oui", "message": "Encore"})
    assert again.status_code == 400 and "déjà été envoyé" in text(again)
    due[0].refresh_from_db()
    assert not due[0].situation_changed


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Répondez oui ou non."),
        ({"situation_changed": "peut-etre"}, "Sélectionnez un choix valide"),
        ({"situation_changed": "oui"}, "Dites ce qui a changé."),
        ({"situation_changed": "non", "address": "x" * 301}, "300 caractères"),
        ({"situation_changed": "non", "message": "x" * 2001}, "2000 caractères"),
    ],
)
def test_bad_check_in_answers_are_a_french_400(
    due: list[Checkin], space: Client, data: dict, message: str
) -> None:
    response = space.post(answer_url(due[-1]), data)
    assert response.status_code == 400 and message in text(response)
    assert not Checkin.objects.filter(answered_at__isnull=False).exists()


def test_a_disguised_proof_is_refused_and_journaled(due: list[Checkin], space: Client) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    response = space.post(answer_url(due[-1]), {"situation_changed": "non", "file": fake})
    assert response.status_code == 400 and "n'est pas accepté" in text(response)
    assert not Checkin.objects.filter(answered_at__isnull=False).exists()
    assert AuditEvent.objects.filter(
        object_label="Espace personnel : justificatif refusé à l'envoi"
    ).exists()


def test_a_future_check_in_is_refused(member: Any, space: Client) -> None:
    plan = make_plan(member)
    later = Checkin.objects.create(
        plan=plan, person=member, due_date=timezone.localdate() + timedelta(days=3)
    )
    response = space.post(answer_url(later), {"situation_changed": "non"})
    assert response.status_code == 400 and "pas encore ouvert" in text(response)


def test_another_person_s_check_in_is_not_found(cast: Any, space: Client) -> None:
    plan = make_plan(cast.other_person)
    generate_checkins(plan, today=timezone.localdate())
    other = Checkin.objects.filter(person=cast.other_person).first()
    assert other is not None
    response = space.post(answer_url(other), {"situation_changed": "non"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.answered_at is None
    assert "Contrôle du" not in text(space.get("/espace/controles/"))


def test_the_pages_are_journaled(due: list[Checkin], space: Client) -> None:
    space.get("/espace/controles/")
    space.get("/espace/numerique/")
    labels = set(
        AuditEvent.objects.filter(actor_username=PERSON, action="consultation").values_list(
            "object_label", flat=True
        )
    )
    assert "Espace personnel : mes contrôles à distance" in labels
    assert "Espace personnel : mon autoévaluation numérique" in labels


def test_the_digital_questionnaire_then_the_suggestions(
    cast: Any, member: Any, space: Client
) -> None:
    page = text(space.get("/espace/numerique/"))
    assert "J'envoie et je lis des courriels" in page and "Oui, avec de l'aide" in page
    response = space.post("/espace/numerique/", WEAK)
    assert response.status_code == 302 and response["Location"].endswith("?fait=merci")
    entry = DigitalSelfAssessment.objects.get(person=member)
    assert entry.channel == "espace_personnel" and entry.recorded_by is None
    assert entry.answers["numerique.demarches"] == "non"
    keys = {s["key"] for s in entry.suggestions}
    assert {"atelier_inclusion_numerique", "accompagnement_demarches"} <= keys
    thanks = text(space.get("/espace/numerique/?fait=merci"))
    assert "Merci d'avoir répondu" in thanks
    assert "un atelier pour apprendre à utiliser internet" in thanks
    assert "Envoyer mes réponses" not in thanks
    assert AuditEvent.objects.filter(
        person_public_id=member.public_id, action="creation", actor__isnull=True
    ).exists()
    # The CPIP sees it where digital self-assessments show.
    staff = text(client_for(cast.cpip).get(f"/evaluations/personne/{member.public_id}/"))
    assert "Espace personnel" in staff


def test_the_questionnaire_once_per_30_days(member: Any, space: Client) -> None:
    assert space.post("/espace/numerique/", WEAK).status_code == 302
    again = space.post("/espace/numerique/", WEAK)
    assert again.status_code == 409 and "déjà répondu" in text(again)
    assert DigitalSelfAssessment.objects.filter(person=member).count() == 1
    DigitalSelfAssessment.objects.filter(person=member).update(
        filled_on=timezone.localdate() - timedelta(days=30)
    )
    assert "Envoyer mes réponses" in text(space.get("/espace/numerique/"))


@pytest.mark.parametrize(
    "change",
    [
        {"q-numerique.courriel": ""},
        {"q-numerique.courriel": "jamais"},
        {"q-numerique.acces": "oui\x00"},
    ],
)
def test_bad_questionnaire_answers_are_a_french_400(
    member: Any, space: Client, change: dict
) -> None:
    response = space.post("/espace/numerique/", {**WEAK, **change})
    assert response.status_code == 400
    page = text(response)
    assert "Choisissez une réponse." in page or "Choisissez une des réponses proposées." in page
    assert not DigitalSelfAssessment.objects.exists()


def test_the_pages_do_not_grow_with_the_rows(
    cast: Any, due: list[Checkin], space: Client, django_assert_max_num_queries: Any
) -> None:
    """The same number of queries with one or several check-ins answered and to answer."""
    for row in due[:2]:
        space.post(answer_url(row), {"situation_changed": "non"})
    with django_assert_max_num_queries(16):
        assert space.get("/espace/controles/").status_code == 200
    with django_assert_max_num_queries(16):
        assert space.get("/espace/accueil/").status_code == 200
    with django_assert_max_num_queries(16):
        assert space.get("/espace/numerique/").status_code == 200


def test_a_check_in_of_a_stopped_plan_is_refused(due: list[Checkin], space: Client) -> None:
    CheckinPlan.objects.filter(pk=due[0].plan_id).update(active=False)
    response = space.post(answer_url(due[-1]), {"situation_changed": "non"})
    assert response.status_code == 400 and "plus demandé" in text(response)
    assert not Checkin.objects.filter(answered_at__isnull=False).exists()

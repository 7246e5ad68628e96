"""What the person sees and does: appointments (answer), proofs (upload, status, reason),
notices; never another person's data, a note or a staff name other than the referent's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parcours.agenda.models import AppointmentReply
from parcours.audit.models import AuditEvent
from parcours.obligations.models import Proof
from parcours.obligations.services import decide_proof
from parcours.space.services import send_notice
from tests.agenda.factories import make_appointment
from tests.helpers import client_for, text
from tests.obligations.factories import make_obligation, tiny_image

from .conftest import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def space(member: Any, http_sms: Any) -> Client:
    return signed_in_client(http_sms)


def test_next_appointments_with_place_time_and_map(cast: Any, member: Any, space: Client) -> None:
    appointment = make_appointment(cast, person=member)
    page = text(space.get("/espace/rendez-vous/"))
    local = appointment.local_start
    assert f"{local:%H}h{local:%M}" in page
    assert "12 rue de la Justice, 59000 Lille" in page
    assert "https://www.openstreetmap.org/search?query=12+rue+de+la+Justice" in page
    assert "Pièce d'identité" in page  # what to bring (the place's list)
    assert "Je viendrai" in page and "Je ne peux pas venir" in page


def test_confirm_then_decline_with_a_reason(cast: Any, member: Any, space: Client) -> None:
    appointment = make_appointment(cast, person=member)
    url = f"/espace/rendez-vous/{appointment.public_id}/reponse/"
    response = space.post(url, {"answer": "confirme"})
    assert response.status_code == 302 and response["Location"].endswith("?fait=confirme")
    assert AppointmentReply.objects.get().channel == "espace"
    assert "Votre réponse : je viendrai" in text(space.get("/espace/rendez-vous/"))
    no_reason = space.post(url, {"answer": "empeche", "reason": " "})
    assert no_reason.status_code == 400 and "Dites pourquoi" in text(no_reason)
    space.post(url, {"answer": "empeche", "reason": "Hospitalisé ce jour-là"})
    latest = appointment.replies.first()
    assert latest.answer == "empeche" and latest.reason == "Hospitalisé ce jour-là"
    # The CPIP sees it on the appointment page.
    staff = text(client_for(cast.cpip).get(f"/agenda/rendez-vous/{appointment.public_id}/"))
    assert "Hospitalisé ce jour-là" in staff


def test_another_person_s_appointment_is_not_found(cast: Any, member: Any, space: Client) -> None:
    other = make_appointment(cast, person=cast.other_person)
    response = space.post(f"/espace/rendez-vous/{other.public_id}/reponse/", {"answer": "confirme"})
    assert response.status_code == 404
    assert not AppointmentReply.objects.exists()
    assert "HOARAU" not in text(space.get("/espace/rendez-vous/")).upper()


def test_upload_a_photo_then_the_cpip_accepts_it(cast: Any, member: Any, space: Client) -> None:
    obligation = make_obligation(member)
    page = text(space.get("/espace/justificatifs/"))
    assert obligation.obligation_type.label in page
    assert 'capture="environment"' in page and 'accept="image/*,application/pdf"' in page
    photo = SimpleUploadedFile("photo.jpg", tiny_image("JPEG"), content_type="image/jpeg")
    response = space.post(f"/espace/justificatifs/{obligation.public_id}/envoi/", {"file": photo})
    assert response.status_code == 302
    proof = Proof.objects.get()
    assert proof.via_space and proof.uploaded_by is None and proof.content_type == "image/jpeg"
    assert "en attente" in text(space.get("/espace/justificatifs/"))
    assert AuditEvent.objects.filter(
        object_type="proof", actor_username="la personne (espace personnel)"
    ).exists()
    decide_proof(acting_user=cast.cpip, proof=proof, status="accepte", reason="")
    assert "accepté" in text(space.get("/espace/justificatifs/"))


def test_a_refusal_shows_the_cpip_s_reason(cast: Any, member: Any, space: Client) -> None:
    obligation = make_obligation(member)
    photo = SimpleUploadedFile("photo.png", tiny_image("PNG"), content_type="image/png")
    space.post(f"/espace/justificatifs/{obligation.public_id}/envoi/", {"file": photo})
    decide_proof(
        acting_user=cast.cpip, proof=Proof.objects.get(), status="refuse", reason="Photo floue"
    )
    page = text(space.get("/espace/justificatifs/"))
    assert "refusé" in page and "Photo floue" in page


def test_bad_content_and_size_are_refused(
    cast: Any, member: Any, space: Client, settings: Any
) -> None:
    obligation = make_obligation(member)
    url = f"/espace/justificatifs/{obligation.public_id}/envoi/"
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    response = space.post(url, {"file": fake})
    assert response.status_code == 400 and "type de fichier n'est pas accepté" in text(response)
    settings.PARCOURS_UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("photo.jpg", tiny_image("JPEG") + b"\0" * 200, "image/jpeg")
    response = space.post(url, {"file": big})
    assert response.status_code == 400 and "taille maximale" in text(response)
    empty = space.post(url, {})
    assert empty.status_code == 400 and "Ce champ est obligatoire" in text(empty)
    assert not Proof.objects.exists()
    assert (
        AuditEvent.objects.filter(
            object_label="Espace personnel : justificatif refusé à l'envoi"
        ).count()
        == 2
    )


def test_notices_are_shown_and_marked_read(cast: Any, member: Any, space: Client) -> None:
    notice = send_notice(acting_user=cast.cpip, person=member, text="Pensez à votre attestation.")
    page = text(space.get("/espace/messages/"))
    assert "Pensez à votre attestation." in page and "Nouveau" in page
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Nouveau" not in text(space.get("/espace/messages/"))


def test_no_staff_name_but_the_referent_s(cast: Any, member: Any, space: Client) -> None:
    # Surnames no Faker person or account can share with them (the member, the referent).
    for other, surname in ((cast.cpip2, "Quixbrandt"), (cast.dpip, "Vornholtz")):
        other.last_name = surname
        other.save(update_fields=["last_name"])
    appointment = make_appointment(cast, person=member)
    appointment.agent = cast.cpip2
    appointment.save()
    send_notice(acting_user=cast.dpip, person=member, text="Message de la direction")
    pages = "".join(
        text(space.get(p))
        for p in ("/espace/accueil/", "/espace/rendez-vous/", "/espace/messages/")
    )
    assert cast.cpip.get_full_name() in pages
    for other in (cast.cpip2, cast.dpip):
        assert other.last_name not in pages

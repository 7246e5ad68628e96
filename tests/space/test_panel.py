"""The CPIP's side: the person-file panel, enabling/disabling with confirmation, notices."""

from __future__ import annotations

from typing import Any

import pytest

from parcours.audit.models import AuditEvent
from parcours.space.models import SpaceAccount, SpaceNotice
from tests.helpers import client_for, file_tab, text

pytestmark = pytest.mark.django_db


def _switch(person: Any) -> str:
    return f"/espace-personnel/{person.public_id}/activation/"


def test_the_panel_shows_the_state_and_the_actions(cast: Any, member: Any) -> None:
    page = text(client_for(cast.cpip).get(file_tab(member, "espace-personnel")))
    assert "Espace personnel" in page and "Activé" in page and "Dernière connexion : jamais" in page
    assert _switch(member) in page
    # The secretariat and the court do not see it.
    for user in (cast.secretariat, cast.jap):
        assert _switch(member) not in text(
            client_for(user).get(file_tab(member, "espace-personnel"))
        )


def test_enable_after_confirmation_then_disable(cast: Any) -> None:
    person = cast.person
    person.phone = "+33612345678"
    person.save()
    client = client_for(cast.cpip)
    confirm = client.get(_switch(person))
    assert confirm.status_code == 200 and "Confirmer" in text(confirm)
    assert not SpaceAccount.objects.exists()  # the GET changes nothing
    response = client.post(_switch(person), {"action": "activer"})
    assert response.status_code == 302
    assert SpaceAccount.objects.get(person=person).enabled
    client.post(_switch(person), {"action": "desactiver"})
    account = SpaceAccount.objects.get(person=person)
    assert not account.enabled and account.changed_by == cast.cpip
    changes = AuditEvent.objects.filter(
        person_public_id=person.public_id, object_type="espace", action="modification"
    )
    assert [e.details["espace personnel"] for e in changes.order_by("pk")] == [
        "activé",
        "désactivé",
    ]


def test_a_person_who_refuses_sms_cannot_get_a_space(cast: Any) -> None:
    person = cast.person
    person.phone = "+33612345678"
    person.refuses_sms = True
    person.save()
    response = client_for(cast.cpip).post(_switch(person), {"action": "activer"})
    assert response.status_code == 400 and "refuse les SMS" in text(response)
    assert not SpaceAccount.objects.exists()


def test_no_phone_and_no_e_mail_no_space(cast: Any) -> None:
    person = cast.person
    person.phone, person.email, person.no_phone = "", "", True
    person.save()
    response = client_for(cast.cpip).post(_switch(person), {"action": "activer"})
    assert response.status_code == 400 and "Ni portable ni adresse" in text(response)


def test_bad_input_rows(cast: Any) -> None:
    client = client_for(cast.cpip)
    for data in ({}, {"action": "supprimer"}):
        response = client.post(_switch(cast.person), data)
        assert response.status_code == 400
    notice_url = f"/espace-personnel/{cast.person.public_id}/message/"
    assert client.post(notice_url, {"text": "   "}).status_code == 400
    assert client.post(notice_url, {"text": "x" * 2001}).status_code == 400
    assert not SpaceNotice.objects.exists()


def test_the_cpip_writes_a_notice_shown_on_the_panel(cast: Any, member: Any) -> None:
    client = client_for(cast.cpip)
    url = f"/espace-personnel/{member.public_id}/message/"
    response = client.post(url, {"text": "Votre rendez-vous de jeudi est maintenu."})
    assert response.status_code == 302
    notice = SpaceNotice.objects.get()
    assert notice.author == cast.cpip and notice.read_at is None
    page = text(client.get(file_tab(member, "espace-personnel")))
    assert "Votre rendez-vous de jeudi est maintenu." in page and "pas encore" in page
    assert AuditEvent.objects.filter(
        object_label="Message dans l'espace personnel", actor=cast.cpip
    ).exists()

"""The note's length is the server's rule too (the browser's maxlength is only a help), counted
as the browser counts it (a line break is one character); « modifiée le » only on a note that
was saved again after its creation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.core.errors import Refused
from parcours.notes.models import Note, NoteKind
from parcours.notes.sanitize import BODY_MAX, BODY_TOO_LONG
from parcours.notes.services import create_note, update_note

from ..conftest import Cast
from ..helpers import client_for, quiet
from .factories import make_note

pytestmark = pytest.mark.django_db

TOO_LONG = BODY_TOO_LONG.format(limit="20\u202f000")


def _post(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": NoteKind.ENTRETIEN,
        "event_date": "2027-03-10",
        "body": "Entretien.",
        "measure": "",
        **overrides,
    }


def test_the_limit_is_twenty_thousand_characters() -> None:
    assert BODY_MAX == 20_000
    assert TOO_LONG == "Le texte de la note dépasse 20\u202f000 caractères : raccourcissez-le."


def test_the_service_refuses_a_body_one_character_too_long(cast: Cast) -> None:
    with pytest.raises(Refused) as refused:
        create_note(
            acting_user=cast.cpip,
            person=cast.person,
            kind=NoteKind.ENTRETIEN,
            event_date=date(2027, 3, 10),
            body="x" * (BODY_MAX + 1),
        )
    assert str(refused.value) == TOO_LONG
    assert not Note.objects.filter(person=cast.person).exists()
    note = make_note(cast.person)
    with pytest.raises(Refused):
        update_note(
            acting_user=cast.cpip,
            note=note,
            expected_version=note.version,
            kind=note.kind,
            event_date=note.event_date,
            body="x" * (BODY_MAX + 1),
            sensitive=False,
        )
    note.refresh_from_db()
    assert note.version == 1 and "x" * 100 not in note.body_text


def test_a_body_one_character_too_long_is_a_french_400(cast: Cast) -> None:
    client = quiet(cast.cpip)
    url = reverse("notes:create", args=[cast.person.public_id])
    response = client.post(url, _post(body="x" * (BODY_MAX + 1)))
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()
    assert not Note.objects.filter(person=cast.person).exists()
    assert client.post(url, _post(body="x" * BODY_MAX)).status_code == 302


def test_line_breaks_count_as_the_browser_counts_them(cast: Cast) -> None:
    """The browser sends each line break as CR LF but counts it as one character: 20,000
    characters typed are accepted, whatever the number of lines."""
    typed = ("x" * 9 + "\r\n") * (BODY_MAX // 10)  # 20,000 typed, 22,000 sent
    response = client_for(cast.cpip).post(
        reverse("notes:create", args=[cast.person.public_id]), _post(body=typed)
    )
    assert response.status_code == 302
    assert Note.objects.filter(person=cast.person).count() == 1


def test_a_new_note_is_not_said_modified(cast: Cast) -> None:
    note = make_note(cast.person)
    client = client_for(cast.cpip)
    url = reverse("notes:detail", args=[note.public_id])
    page = client.get(url).content.decode()
    assert "modifiée le" not in page
    assert "Rédigée par Camille Martin le" in page
    update_note(
        acting_user=cast.cpip,
        note=note,
        expected_version=1,
        kind=note.kind,
        event_date=note.event_date,
        body="Texte corrigé.",
        sensitive=False,
    )
    assert "modifiée le" in client.get(url).content.decode()

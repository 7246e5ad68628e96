"""STOP link, outbox screens, staff actions, template editor, person panel."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.notifications.models import MessageTemplate, NotificationSettings
from parcours.notifications.services import stop_token
from tests.helpers import file_tab

from ..helpers import client_for, quiet, text
from .factories import make_message, make_place

pytestmark = pytest.mark.django_db


# --- STOP -------------------------------------------------------------------------------------


def test_stop_link_records_the_refusal(cast: Any, reachable: Any) -> None:
    pending_sms = make_message(reachable, state="programme")
    pending_email = make_message(
        reachable, state="programme", channel="email", recipient="a@example.org"
    )
    sent = make_message(reachable, state="envoye")
    url = reverse("notifications:stop", args=[stop_token(reachable)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "Je ne veux plus recevoir de SMS" in text(page)
    reachable.refresh_from_db()
    assert not reachable.refuses_sms
    version = reachable.version

    done = client.post(url)
    assert done.status_code == 200
    assert "vous ne recevrez plus de SMS" in text(done)
    reachable.refresh_from_db()
    assert reachable.refuses_sms
    assert reachable.version == version + 1
    pending_sms.refresh_from_db()
    pending_email.refresh_from_db()
    sent.refresh_from_db()
    assert (pending_sms.state, pending_email.state, sent.state) == ("annule", "programme", "envoye")
    event = AuditEvent.objects.get(
        action=AuditAction.MODIFICATION, person_public_id=reachable.public_id
    )
    assert event.actor is None
    assert event.details["refuse_sms"] is True

    # Already stopped: the page says so; a second POST records nothing more.
    again = client.get(url)
    assert "déjà plus de SMS" in text(again)
    client.post(url)
    assert AuditEvent.objects.filter(action=AuditAction.MODIFICATION).count() == 1


@pytest.mark.parametrize(
    "token",
    ["x", "abc:def", "AAAAAAAAAAAAAAAAAAAAAA:" + "A" * 43, "%00", "é" * 30],
)
def test_tampered_stop_link_is_a_french_404(cast: Any, token: str) -> None:
    client = Client(raise_request_exception=False)
    for response in (
        client.get(reverse("notifications:stop", args=[token])),
        client.post(reverse("notifications:stop", args=[token])),
    ):
        assert response.status_code == 404
        assert "Page introuvable" in text(response)
    assert not AuditEvent.objects.filter(action=AuditAction.MODIFICATION).exists()


def test_stop_link_with_a_changed_signature(cast: Any) -> None:
    token = stop_token(cast.person)
    _value, signature = token.split(":")
    other = stop_token(cast.other_person).split(":")[0]
    client = Client(raise_request_exception=False)
    assert (
        client.post(reverse("notifications:stop", args=[f"{other}:{signature}"])).status_code == 404
    )
    cast.other_person.refresh_from_db()
    assert not cast.other_person.refuses_sms


# --- Outbox -----------------------------------------------------------------------------------


def test_outbox_scope(cast: Any) -> None:
    mine = make_message(cast.person, state="programme")
    other = make_message(cast.other_person, state="programme")
    for role in ("dpip", "secretariat", "cpip"):
        body = text(client_for(cast.user(role)).get(reverse("notifications:outbox")))
        assert str(mine.public_id) in body, role
        assert str(other.public_id) not in body, role
    # cpip2 is not the referent of cast.person.
    body = text(client_for(cast.cpip2).get(reverse("notifications:outbox")))
    assert str(mine.public_id) not in body
    body = text(client_for(cast.cpip_autre).get(reverse("notifications:outbox")))
    assert str(other.public_id) in body


def test_outbox_filters(cast: Any) -> None:
    failed = make_message(cast.person)
    pending = make_message(cast.person, state="programme", role="rappel")
    client = client_for(cast.dpip)
    body = text(client.get(reverse("notifications:outbox"), {"etat": "echoue"}))
    assert str(failed.public_id) in body and str(pending.public_id) not in body
    body = text(client.get(reverse("notifications:outbox"), {"objet": "rappel", "canal": "sms"}))
    assert str(pending.public_id) in body and str(failed.public_id) not in body


BAD_CHOICE = "Sélectionnez un choix valide."
BAD_DATE = "Saisissez une date valide."
END_BEFORE_START = "La date de fin précède la date de début."
FIELD_ERROR = re.compile(r'id="id_(\w+)-erreurs"><p class="fr-message fr-message--error">([^<]*)<')


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"etat": "zzz"}, "etat", BAD_CHOICE),
        ({"objet": "'; --"}, "objet", BAD_CHOICE),
        ({"canal": "pigeon"}, "canal", BAD_CHOICE),
        ({"du": "2026-13-45"}, "du", BAD_DATE),
        ({"au": "x" * 5000}, "au", BAD_DATE),
        (
            {"du": "2026-02-10", "au": "2026-02-01"},
            "au",
            "La date de fin précède la date de début.",
        ),
    ],
)
def test_outbox_bad_filters_are_400(
    cast: Any, params: dict[str, str], field: str, message: str
) -> None:
    """A 400, the French error under the faulty field, and the list without the bad filter."""
    message_row = make_message(cast.person)
    answer = quiet(cast.dpip).get(reverse("notifications:outbox"), params)
    assert answer.status_code == 400
    body = text(answer)
    errors = re.findall(
        r'id="id_(\w+)-erreurs"><p class="fr-message fr-message--error">([^<]*)<', body
    )
    assert len(errors) == 1 and errors[0][0] == field and errors[0][1].startswith(message), errors
    assert str(message_row.public_id) in body


@pytest.mark.parametrize("page", ["-1", "abc", "0", "99999999999999999999"])
def test_outbox_pages_out_of_range_show_the_nearest_page(cast: Any, page: str) -> None:
    message = make_message(cast.person)
    response = client_for(cast.dpip).get(reverse("notifications:outbox"), {"page": page})
    assert response.status_code == 200
    assert str(message.public_id) in text(response)


def test_retry_and_cancel(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    message = make_message(cast.person)
    client = client_for(cast.dpip)
    url = reverse("notifications:retry", args=[message.public_id])
    assert "Confirmer : relancer" in text(client.get(url))
    seen = AuditEvent.objects.get(action=AuditAction.CONSULTATION, object_id=str(message.public_id))
    assert seen.actor == cast.dpip and seen.person_public_id == cast.person.public_id
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the send is queued after commit
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == ("programme", 0, "")
    assert message.next_attempt_at is not None
    # Relancer again: refused (not failed any more), told in French.
    response = client.post(url, follow=True)
    assert "ne peut pas passer" in text(response)
    cancel = reverse("notifications:cancel", args=[message.public_id])
    assert client.post(cancel).status_code == 302
    message.refresh_from_db()
    assert message.state == "annule"
    assert "ne peut pas être annulé" in text(client.get(cancel))
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.MODIFICATION, object_id=str(message.public_id)
        ).count()
        == 2
    )


def test_another_spips_message_is_not_found(cast: Any) -> None:
    other = make_message(cast.other_person)
    client = quiet(cast.dpip)
    for name in ("notifications:retry", "notifications:cancel"):
        url = reverse(name, args=[other.public_id])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.state == "echoue"


# --- Templates --------------------------------------------------------------------------------


def edit_url(role: str = "convocation", channel: str = "sms") -> str:
    return reverse("notifications:template_edit", args=[role, channel])


def test_template_editor_saves_and_previews(cast: Any) -> None:
    client = client_for(cast.dpip)
    page = client.get(edit_url())
    assert page.status_code == 200
    assert "/n/stop/" in text(page)  # the preview of the national text
    preview = client.post(
        edit_url(),
        {"body": "Rendez-vous le {date} à {heure}. STOP {stop}", "action": "apercu"},
        HTTP_HX_REQUEST="true",
    )
    assert preview.status_code == 200
    assert "<html" not in text(preview)
    assert "Rendez-vous le " in text(preview) and "à 14h30" in text(preview)
    assert not MessageTemplate.objects.exists()
    saved = client.post(edit_url(), {"body": "RDV le {date} à {heure}. STOP {stop}"})
    assert saved.status_code == 302
    template = MessageTemplate.objects.get()
    assert (template.spip, template.role, template.channel) == (cast.spip, "convocation", "sms")
    assert AuditEvent.objects.filter(object_type="messagetemplate").count() == 1
    listing = text(client.get(reverse("notifications:templates")))
    assert "Texte du service" in listing
    reverted = client.post(edit_url(), {"body": "x", "action": "revenir"})
    assert reverted.status_code == 302
    assert not MessageTemplate.objects.exists()


def test_the_preview_uses_the_spips_first_place_else_an_example(cast: Any) -> None:
    client = client_for(cast.dpip)
    email = edit_url("convocation", "email")
    assert "1 rue de la République, 59000 Lille" in text(client.get(email))
    make_place(cast.other_spip, name="Lieu d'un autre SPIP", address="9 rue Ailleurs")
    make_place(cast.spip, name="Antenne de Roubaix", address="3 place de la Liberté")
    page = text(client.get(email))
    assert "3 place de la Liberté, 59000 Lille" in page
    assert "9 rue Ailleurs" not in page


def test_two_editors_of_one_template_never_overwrite_each_other(cast: Any) -> None:
    first, second = client_for(cast.dpip), client_for(cast.dpip)
    based_on = first.get(edit_url()).context["based_on"]
    assert second.get(edit_url()).context["based_on"] == based_on == ""
    body_a = "Texte A le {date} à {heure}. STOP {stop}"
    assert first.post(edit_url(), {"body": body_a, "based_on": based_on}).status_code == 302
    stale = second.post(edit_url(), {"body": "Texte B {date} {stop}", "based_on": based_on})
    assert stale.status_code == 409
    assert "modifié par quelqu'un d'autre" in text(stale) and "Texte A le" in text(stale)
    assert MessageTemplate.objects.get().body == body_a
    fresh = second.get(edit_url()).context["based_on"]
    assert fresh and second.post(edit_url(), {"body": "Texte B {date} {stop}", "based_on": fresh})
    assert MessageTemplate.objects.get().body == "Texte B {date} {stop}"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("RDV {date} {infraction} {stop}", "Champ inconnu : {infraction}"),
        ("RDV {date}", "doit contenir le lien {stop}"),
        ("RDV {type} {stop}", "peut révéler la mesure"),
        ("RDV {date} {stop} " + "x" * 400, "caractères"),
        ("", "Ce champ est obligatoire"),
    ],
)
def test_template_editor_refuses_bad_texts(cast: Any, body: str, fragment: str) -> None:
    response = client_for(cast.dpip).post(edit_url(), {"body": body})
    assert response.status_code == 400
    assert fragment in text(response)
    assert not MessageTemplate.objects.exists()


def test_email_template_needs_a_subject(cast: Any) -> None:
    client = client_for(cast.dpip)
    response = client.post(edit_url("rappel", "email"), {"subject": "", "body": "Le {date}"})
    assert response.status_code == 400
    response = client.post(
        edit_url("rappel", "email"), {"subject": "RDV {inconnu}", "body": "Le {date}"}
    )
    assert response.status_code == 400
    assert "Champ inconnu" in text(response)
    ok = client.post(edit_url("rappel", "email"), {"subject": "RDV le {date}", "body": "{type}"})
    assert ok.status_code == 302


def test_unknown_template_is_404(cast: Any) -> None:
    client = quiet(cast.dpip)
    assert client.get(edit_url("rappel", "pigeon")).status_code == 404
    assert client.get(edit_url("nope", "sms")).status_code == 404


def test_reminder_settings(cast: Any) -> None:
    client = client_for(cast.dpip)
    url = reverse("notifications:templates")
    assert client.post(url, {"reminder_days_before": "1", "reminder_hour": "25"}).status_code == 400
    assert client.post(url, {"reminder_days_before": "3", "reminder_hour": "10"}).status_code == 400
    assert client.post(url, {"reminder_days_before": "1", "reminder_hour": "18"}).status_code == 302
    row = NotificationSettings.objects.get(spip=cast.spip)
    assert (row.reminder_days_before, row.reminder_hour) == (1, 18)


# --- Person panel and menu --------------------------------------------------------------------


def test_person_panel_lists_the_last_messages(cast: Any) -> None:
    make_message(cast.person)
    body = text(client_for(cast.cpip).get(file_tab(cast.person, "messages")))
    assert 'id="messages"' in body
    assert "Échoué" in body
    assert "Pas de SMS : Numéro de portable absent" in body
    assert reverse("notifications:outbox") in body  # menu entry and link
    jap = text(client_for(cast.jap).get(file_tab(cast.person, "messages")))
    assert 'id="messages"' not in jap
    assert ">Messages<" not in jap


def test_outbox_queries_do_not_grow_with_rows(cast: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.dpip)
    url = reverse("notifications:outbox")
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            make_message(cast.person)
            make_message(cast.person, state="programme")
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts

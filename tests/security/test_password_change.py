"""A signed-in user changes their own password (ASVS V6.2.2-3; "Changer mon mot de passe"): the
current one first, the project's validators, this session kept and the others ended, journaled
and told by e-mail; repeated wrong current passwords end the session."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from parcours.accounts import services
from parcours.audit.models import AuditAction, AuditEvent
from tests.conftest import Cast
from tests.helpers import IMMEDIATE_TASKS, text
from tests.security.test_sessions import signed_in, still_signed_in

pytestmark = pytest.mark.django_db

PAGE = "/mot-de-passe/changer/"
NEW = "une longue phrase que je retiens bien"


def change(client: Client, old: str, new: str = NEW, again: str | None = None) -> Any:
    return client.post(
        PAGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_the_password_changes_this_session_stays_and_the_others_end(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.cpip.email = "cpip@parcours.invalid"
    cast.cpip.save(update_fields=["email"])
    here = signed_in("cpip", "203.0.113.5")
    there = signed_in("cpip", "198.51.100.7")
    assert reverse("accounts:password_change") == PAGE
    assert "Mot de passe actuel" in text(here.get(PAGE))
    with django_capture_on_commit_callbacks(execute=True):
        done = change(here, settings.DEMO_PASSWORD)
    assert done.status_code == 302 and done["Location"] == reverse("mfa:settings")
    assert "Votre mot de passe est changé" in text(here.get(done["Location"]))
    assert still_signed_in(here) and not still_signed_in(there)
    cast.cpip.refresh_from_db()
    assert cast.cpip.check_password(NEW)
    event = AuditEvent.objects.filter(
        action=AuditAction.REINITIALISATION, details__etape="mot_de_passe_change"
    ).get()
    assert event.details["sessions_terminees"] == 1
    # This session, under its new key, is still the user's recorded session.
    assert "Cette session" in text(here.get("/mes-sessions/"))
    [told] = [m for m in mail.outbox if m.to == ["cpip@parcours.invalid"]]
    assert "a été changé" in told.body and NEW not in told.body


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("courte phrase", None, "au moins 15 caractères"),
        (NEW, NEW + " !", "Les deux mots de passe ne sont pas identiques."),
        ("justice justice justice", None, "ne doit pas contenir"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused_in_french(
    cast: Cast, new: str, again: str | None, message: str
) -> None:
    client = signed_in("cpip", "203.0.113.5")
    refused = change(client, settings.DEMO_PASSWORD, new, again)
    assert refused.status_code == 400 and message in text(refused)
    cast.cpip.refresh_from_db()
    assert cast.cpip.check_password(settings.DEMO_PASSWORD)


def test_wrong_current_passwords_end_the_session_at_the_fifth(cast: Cast) -> None:
    client = signed_in("cpip", "203.0.113.5")
    # A form sent without the current password is not a wrong guess.
    assert change(client, "").status_code == 400
    assert not AuditEvent.objects.filter(details__etape="mot_de_passe_actuel_errone").exists()
    for _ in range(services.PASSWORD_CHANGE_TRIES - 1):
        refused = change(client, "pas le bon mot de passe du tout")
        assert refused.status_code == 400
        assert "Le mot de passe actuel est incorrect." in text(refused)
    last = change(client, "pas le bon mot de passe du tout")
    assert last.status_code == 302 and last["Location"] == f"{reverse('accounts:login')}?fermee=1"
    assert "votre session a été fermée" in text(client.get(last["Location"]))
    assert not still_signed_in(client)
    cast.cpip.refresh_from_db()
    assert cast.cpip.check_password(settings.DEMO_PASSWORD)
    tries = AuditEvent.objects.filter(details__etape="mot_de_passe_actuel_errone")
    assert tries.count() == services.PASSWORD_CHANGE_TRIES
    assert tries.latest("pk").details["session_fermee"] is True


def test_the_new_password_differs_from_the_current_one(cast: Cast) -> None:
    client = signed_in("cpip", "203.0.113.5")
    response = change(client, settings.DEMO_PASSWORD, new=settings.DEMO_PASSWORD)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["new_password1"] == ["Le nouveau mot de passe doit être différent de l'actuel."]
    assert cast.cpip.__class__.objects.get(pk=cast.cpip.pk).check_password(settings.DEMO_PASSWORD)


def test_a_policy_error_stands_next_to_the_new_password(cast: Cast) -> None:
    client = signed_in("cpip", "203.0.113.5")
    response = change(client, settings.DEMO_PASSWORD, new="spip spip spip spip")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "new_password1" in errors and "new_password2" not in errors

"""Issue 14, finding 1: an administrator could give itself a case role, set anyone's password
and sign in as them, and a reset was not journaled. Each test replays one step of the attack."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from parcours.accounts import services
from parcours.accounts.models import NO_ROLE, GrantDecision, Role, RoleGrant, User
from parcours.audit.models import AuditAction, AuditEvent
from parcours.core.errors import Refused

from ..conftest import Cast
from ..factories import UserFactory
from ..helpers import client_for, quiet, text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-longue-phrase-de-rivage-tranquille"


def user_form_data(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": "nouveau.dpip",
        "first_name": "Léa",
        "last_name": "Garnier",
        "email": "lea.garnier@justice.example",
        "organisation": cast.antenna.pk,
        "role": Role.DPIP,
    }
    data.update(overrides)
    return data


def events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def create_dpip_through_admin(cast: Cast) -> User:
    response = client_for(cast.admin).post(reverse("accounts:user_create"), user_form_data(cast))
    assert response.status_code == 302, text(response)
    return User.objects.get(username="nouveau.dpip")


def person_detail(cast: Cast) -> str:
    return reverse("people:detail", args=[cast.person.public_id])


def set_password_from_mail(client: Client, message: Any) -> Any:
    link = re.search(r"https?://[^/\s]+(/mot-de-passe/\S+)", message.body)
    assert link, message.body
    first = client.get(link.group(1))
    assert first.status_code == 302  # Django hides the token behind a session redirect
    form_url = first["Location"]
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


# --- 1. Nobody changes their own role or organisation -------------------------------------------


def test_admin_cannot_set_its_own_role_in_the_form(cast: Cast) -> None:
    url = reverse("accounts:user_edit", args=[cast.admin.public_id])
    data = user_form_data(
        cast, username="admin", first_name="A", last_name="B", email="admin@example.org"
    )
    response = quiet(cast.admin).post(url, data)
    assert response.status_code == 400
    assert "Vous ne pouvez pas modifier votre propre rôle ni votre organisation" in text(response)
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.ADMIN
    assert cast.admin.organisation == cast.admin_org
    assert not RoleGrant.objects.exists()
    # …and the person file stays closed to it.
    assert quiet(cast.admin).get(person_detail(cast)).status_code == 403


def test_admin_cannot_set_its_own_organisation_in_the_form(cast: Cast) -> None:
    url = reverse("accounts:user_edit", args=[cast.admin.public_id])
    data = user_form_data(cast, username="admin", role=Role.ADMIN, organisation=cast.spip.pk)
    response = quiet(cast.admin).post(url, data)
    assert response.status_code == 400
    cast.admin.refresh_from_db()
    assert cast.admin.organisation == cast.admin_org


def test_the_service_refuses_a_self_change_too(cast: Cast) -> None:
    admin = User.objects.get(pk=cast.admin.pk)
    admin.role = Role.DPIP
    admin.organisation = cast.antenna
    with pytest.raises(Refused, match="propre rôle"):
        services.save_user(acting_user=admin, user=admin, created=False, changed=["role"])
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.ADMIN


# --- 2. A case role takes two people ------------------------------------------------------------


def test_a_granted_case_role_waits_for_a_dpip_of_that_spip(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    assert new.role == NO_ROLE
    grant = RoleGrant.objects.get(user=new)
    assert (grant.role, grant.organisation, grant.decision) == (
        Role.DPIP,
        cast.antenna,
        GrantDecision.EN_ATTENTE,
    )
    [request_event] = events(AuditAction.DEMANDE_ROLE)
    assert request_event.actor_id == cast.admin.pk
    assert request_event.object_id == str(new.public_id)
    assert request_event.details["nouveau"]["role"] == Role.DPIP
    assert request_event.details["ancien"]["role"] == ""

    # The new account signs in, accepts the charter, and still cannot open the file.
    new_client = quiet(new)
    assert new_client.post(reverse("accounts:charter"), {"accept": "on"}).status_code == 302
    assert new_client.get(person_detail(cast)).status_code == 403
    assert new_client.get(reverse("people:caseload")).status_code == 403

    # A DPIP of the SPIP du Nord sees the request and approves it.
    dpip = client_for(cast.dpip)
    listing = dpip.get(reverse("accounts:role_requests"))
    assert "nouveau.dpip" in text(listing)
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert dpip.get(decide).status_code == 200
    response = dpip.post(decide, {"decision": "valider", "reason": ""})
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.role, new.organisation) == (Role.DPIP, cast.antenna)
    [approval] = events(AuditAction.VALIDATION_ROLE)
    assert approval.actor_id == cast.dpip.pk
    assert approval.object_id == str(new.public_id)
    assert approval.details["ancien"]["role"] == ""
    assert approval.details["nouveau"]["role"] == Role.DPIP
    assert approval.details["demande_par"] == "admin"

    assert new_client.get(person_detail(cast)).status_code == 200


def test_the_requester_cannot_approve_its_own_request(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    grant = RoleGrant.objects.get(user=new)
    admin = quiet(cast.admin)
    assert "nouveau.dpip" not in text(admin.get(reverse("accounts:role_requests")))
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert admin.post(decide, {"decision": "valider"}).status_code == 404
    with pytest.raises(Refused):
        services.decide_role_grant(acting_user=cast.admin, grant=grant, approve=True, reason="")
    new.refresh_from_db()
    assert new.role == NO_ROLE
    assert not events(AuditAction.VALIDATION_ROLE)


def test_the_account_concerned_cannot_approve_its_own_request(cast: Cast) -> None:
    # An existing DPIP moved by the admin to another antenna cannot approve its own move.
    url = reverse("accounts:user_edit", args=[cast.dpip.public_id])
    data = user_form_data(
        cast, username="dpip", first_name="Sophie", last_name="Lefebvre", organisation=cast.spip.pk
    )
    data["email"] = "sophie@example.org"
    assert client_for(cast.admin).post(url, data).status_code == 302
    grant = RoleGrant.objects.get(user=cast.dpip)
    cast.dpip.refresh_from_db()
    assert cast.dpip.organisation == cast.antenna  # unchanged until approved
    response = quiet(cast.dpip).post(
        reverse("accounts:role_request_decide", args=[grant.public_id]), {"decision": "valider"}
    )
    assert response.status_code == 404
    with pytest.raises(Refused):
        services.decide_role_grant(acting_user=cast.dpip, grant=grant, approve=True, reason="")


def test_a_dpip_of_another_spip_cannot_see_or_approve(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    grant = RoleGrant.objects.get(user=new)
    other_dpip = UserFactory(
        username="dpip.reunion", role=Role.DPIP, organisation=cast.other_antenna
    )
    client = quiet(other_dpip)
    listing = client.get(reverse("accounts:role_requests"))
    assert listing.status_code == 200
    assert "nouveau.dpip" not in text(listing)
    assert "Aucune demande en attente" in text(listing)
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert client.get(decide).status_code == 404
    assert client.post(decide, {"decision": "valider"}).status_code == 404
    new.refresh_from_db()
    assert new.role == NO_ROLE


def test_a_second_admin_may_approve_and_a_cpip_may_not(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    grant = RoleGrant.objects.get(user=new)
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert quiet(cast.cpip).post(decide, {"decision": "valider"}).status_code == 403
    second = UserFactory(username="admin2", role=Role.ADMIN, organisation=cast.admin_org)
    assert client_for(second).post(decide, {"decision": "valider"}).status_code == 302
    new.refresh_from_db()
    assert new.role == Role.DPIP


def test_a_rejection_needs_a_reason_and_is_journaled(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    grant = RoleGrant.objects.get(user=new)
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    dpip = quiet(cast.dpip)
    refused = dpip.post(decide, {"decision": "rejeter", "reason": "  "})
    assert refused.status_code == 400
    assert "Indiquez le motif du rejet" in text(refused)
    assert (
        dpip.post(decide, {"decision": "rejeter", "reason": "Inconnue du service"}).status_code
        == 302
    )
    grant.refresh_from_db()
    assert grant.decision == GrantDecision.REJETEE
    assert grant.decided_by == cast.dpip
    [rejection] = events(AuditAction.REJET_ROLE)
    assert rejection.motif_detail == "Inconnue du service"
    new.refresh_from_db()
    assert new.role == NO_ROLE
    # A decided request cannot be decided again.
    assert dpip.post(decide, {"decision": "valider"}).status_code == 404


def test_a_withdrawal_takes_effect_at_once_and_is_journaled(cast: Cast) -> None:
    url = reverse("accounts:user_edit", args=[cast.cpip.public_id])
    data = user_form_data(
        cast, username="cpip", first_name="Camille", last_name="Martin", role=NO_ROLE
    )
    assert client_for(cast.admin).post(url, data).status_code == 302
    cast.cpip.refresh_from_db()
    assert cast.cpip.role == NO_ROLE
    [withdrawal] = events(AuditAction.RETRAIT_ROLE)
    assert withdrawal.actor_id == cast.admin.pk
    assert withdrawal.details["ancien"]["role"] == Role.CPIP
    assert not RoleGrant.objects.exists()
    assert quiet(cast.cpip).get(person_detail(cast)).status_code == 403


def test_admin_role_grants_also_take_two_people(cast: Cast) -> None:
    data = user_form_data(
        cast, username="admin.bis", role=Role.ADMIN, organisation=cast.admin_org.pk
    )
    assert client_for(cast.admin).post(reverse("accounts:user_create"), data).status_code == 302
    created = User.objects.get(username="admin.bis")
    assert created.role == NO_ROLE
    grant = RoleGrant.objects.get(user=created)
    # A DPIP does not decide an administrator's role.
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert quiet(cast.dpip).post(decide, {"decision": "valider"}).status_code == 404


# --- 3. An administrator never sets a password --------------------------------------------------


def test_the_admin_form_has_no_password_field_and_ignores_one(cast: Cast) -> None:
    admin = client_for(cast.admin)
    page = admin.get(reverse("accounts:user_edit", args=[cast.cpip.public_id]))
    assert 'type="password"' not in page.content.decode()
    assert "Envoyer un lien de réinitialisation" in text(page)
    before = User.objects.get(pk=cast.cpip.pk).password
    data = user_form_data(
        cast,
        username="cpip",
        first_name="Camille",
        last_name="Martin",
        role=Role.CPIP,
        password="mot-de-passe-choisi-par-admin-2026",
    )
    assert (
        admin.post(reverse("accounts:user_edit", args=[cast.cpip.public_id]), data).status_code
        == 302
    )
    cast.cpip.refresh_from_db()
    assert cast.cpip.password == before
    assert not cast.cpip.check_password("mot-de-passe-choisi-par-admin-2026")
    login = Client().post(
        reverse("accounts:login"),
        {"username": "cpip", "password": "mot-de-passe-choisi-par-admin-2026"},
        REMOTE_ADDR="10.0.0.8",
    )
    assert login.status_code == 200  # refused: the admin's password does not open the account


def test_a_new_account_gets_a_link_and_no_password(cast: Cast) -> None:
    new = create_dpip_through_admin(cast)
    assert not new.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["lea.garnier@justice.example"]
    assert "Définir votre mot de passe".lower() in message.subject.lower()
    [sent] = events(AuditAction.REINITIALISATION)
    assert sent.actor_id == cast.admin.pk
    assert sent.object_id == str(new.public_id)

    client = Client()
    done = set_password_from_mail(client, message)
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    new.refresh_from_db()
    assert new.check_password(NEW_PASSWORD)
    completed = events(AuditAction.REINITIALISATION)[-1]
    assert completed.actor_id == new.pk
    assert completed.details["etape"] == "mot_de_passe_defini"
    # The link served once.
    assert "plus valable" in text(
        client.get(re.search(r"/mot-de-passe/\S+", message.body).group(0), follow=True)
    )


def test_reset_link_button_sends_a_mail_and_is_journaled(cast: Cast) -> None:
    cast.cpip.email = "camille@example.org"
    cast.cpip.save(update_fields=["email"])
    response = client_for(cast.admin).post(
        reverse("accounts:user_reset_link", args=[cast.cpip.public_id])
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    [event] = events(AuditAction.REINITIALISATION)
    assert event.actor_id == cast.admin.pk
    assert event.object_id == str(cast.cpip.public_id)
    # GET does nothing.
    assert (
        quiet(cast.admin)
        .get(reverse("accounts:user_reset_link", args=[cast.cpip.public_id]))
        .status_code
        == 405
    )


def test_reset_password_validators_apply(cast: Cast) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.cpip.pk))
    token = default_token_generator.make_token(cast.cpip)
    client = Client()
    first = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    response = client.post(first["Location"], {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200
    assert "au moins 15 caractères" in text(response)
    assert not events(AuditAction.REINITIALISATION)


def test_a_forged_reset_link_is_refused_in_french(cast: Cast) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.cpip.pk))
    response = Client().get(reverse("accounts:password_reset_confirm", args=[uid, "faux-jeton"]))
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in text(response)


# --- 4. Lockout ---------------------------------------------------------------------------------


def test_lockout_is_journaled_without_the_password(cast: Cast, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": "cpip", "password": "mauvais-mot-de-passe-secret"},
            REMOTE_ADDR="10.0.0.9",
        )
    locked = events(AuditAction.VERROUILLAGE)
    assert locked, "no lockout journaled"
    assert locked[0].actor_username == "cpip"
    assert locked[0].object_id == str(cast.cpip.public_id)
    assert "mauvais-mot-de-passe-secret" not in str(locked[0].details)


def test_admin_may_still_edit_its_own_name(cast: Cast) -> None:
    url = reverse("accounts:user_edit", args=[cast.admin.public_id])
    data = user_form_data(
        cast,
        username="admin",
        first_name="Alex",
        last_name="Nouveau-Nom",
        email="admin@example.org",
        role=Role.ADMIN,
        organisation=cast.admin_org.pk,
    )
    assert client_for(cast.admin).post(url, data).status_code == 302
    cast.admin.refresh_from_db()
    assert (cast.admin.last_name, cast.admin.role) == ("Nouveau-Nom", Role.ADMIN)
    assert not RoleGrant.objects.exists()


def test_a_move_keeps_the_approved_role_until_the_new_one_is_approved(cast: Cast) -> None:
    # cpip of the antenna → DPIP: stays CPIP (approved earlier) until a second person decides.
    url = reverse("accounts:user_edit", args=[cast.cpip.public_id])
    data = user_form_data(
        cast, username="cpip", first_name="Camille", last_name="Martin", role=Role.DPIP
    )
    assert client_for(cast.admin).post(url, data).status_code == 302
    cast.cpip.refresh_from_db()
    assert cast.cpip.role == Role.CPIP
    grant = RoleGrant.objects.get(user=cast.cpip)
    assert (grant.previous_role, grant.role) == (Role.CPIP, Role.DPIP)
    # A second change replaces the pending request.
    data["role"] = Role.SECRETARIAT
    assert client_for(cast.admin).post(url, data).status_code == 302
    grant.refresh_from_db()
    assert grant.decision == GrantDecision.ANNULEE
    pending = RoleGrant.objects.get(user=cast.cpip, decision=GrantDecision.EN_ATTENTE)
    assert pending.role == Role.SECRETARIAT


def test_a_dpip_does_not_approve_a_dfspip_but_a_dfspip_does(cast: Cast) -> None:
    data = user_form_data(
        cast, username="nouveau.dfspip", role=Role.DFSPIP, organisation=cast.spip.pk
    )
    assert client_for(cast.admin).post(reverse("accounts:user_create"), data).status_code == 302
    grant = RoleGrant.objects.get(user__username="nouveau.dfspip")
    decide = reverse("accounts:role_request_decide", args=[grant.public_id])
    assert quiet(cast.dpip).post(decide, {"decision": "valider"}).status_code == 404
    dfspip = UserFactory(username="dfspip", role=Role.DFSPIP, organisation=cast.spip)
    assert client_for(dfspip).post(decide, {"decision": "valider"}).status_code == 302
    assert User.objects.get(username="nouveau.dfspip").role == Role.DFSPIP


def test_an_account_waiting_for_its_role_sees_the_request_and_its_own_account_pages(
    cast: Cast,
) -> None:
    account = UserFactory(role=NO_ROLE, organisation=cast.antenna)
    RoleGrant.objects.create(
        user=account, role=Role.CPIP, organisation=cast.antenna, requested_by=cast.admin
    )
    client = client_for(account)
    home = text(client.get("/"))
    assert "Le rôle « CPIP" in home and "Antenne de Lille" in home
    assert "seconde personne" in home
    # The header's "Double authentification" and the account pages open (own account only).
    for name in ("mfa:settings", "accounts:sessions", "accounts:password_change"):
        assert client.get(reverse(name)).status_code == 200, name
    # Still no case data.
    assert quiet(account).get(person_detail(cast)).status_code == 403


def test_a_staff_name_with_markup_is_refused_in_french(cast: Cast) -> None:
    data = user_form_data(
        cast, username="nouvel.agent", first_name="<img src=x onerror=alert(1)>", last_name="Roy"
    )
    response = client_for(cast.admin).post(reverse("accounts:user_create"), data)
    assert response.status_code == 400
    assert "Un nom ne contient que des lettres" in text(response)
    assert not User.objects.filter(username="nouvel.agent").exists()

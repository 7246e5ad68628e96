"""The access matrix: every named URL × method × demo role, with the answer each one must get.

Rules (security spec, people/access.py):
- anonymous: 302 to /connexion/, except /connexion/ and /health/ which are public;
- a person of another SPIP is a 404, never a hint that the file exists;
- a role that has nothing to do on a page: 403 (before any object lookup, so the answer is the
  same whatever the identifier);
- a colleague CPIP (cpip2) is sent to the motif page ("break the glass") before any person page;
- JAP: the person file read-only (200), 403 on every edit page;
- partenaire, admin: never any person data (403);
- a POST with an empty body to a form view: 400 with French validation errors;
- a wrong method: 405 (the role check may come first: 403 for a role without access).

`MATRIX` is the table; `test_every_url_is_in_the_matrix` fails when a URL is added to the project
without its row here.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.notifications.services import stop_token
from parcours.people.models import Person

from .agenda.factories import first_appointment
from .breaches.factories import first_breach
from .checkins.factories import first_checkin
from .conftest import ROLE_NAMES, Cast
from .detention.factories import detention_url_kwargs
from .helpers import quiet
from .ledgers.factories import first_compensation_ledger, first_tig_ledger, tig_measure
from .measures.factories import first_suspension, ongoing_incarceration
from .notes.factories import first_note
from .notifications.factories import failed_message, first_inbound
from .obligations.factories import first_obligation, first_proof
from .release.factories import first_item, release_plan
from .reports.factories import first_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

ROLES = ["anonymous", *ROLE_NAMES]
WRONG = "DELETE"


def R(
    anonymous: int,
    cpip: int,
    cpip2: int,
    cpip_autre: int,
    dpip: int,
    secretariat: int,
    jap: int,
    partenaire: int,
    admin: int,
) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "cpip": cpip,
        "cpip2": cpip2,
        "cpip_autre": cpip_autre,
        "dpip": dpip,
        "secretariat": secretariat,
        "jap": jap,
        "partenaire": partenaire,
        "admin": admin,
    }


# Case notes: working notes of the SPIP; the JAP, greffe, secrétariat, partners and admins never
# see them (403 before any lookup). The note of the matrix is cpip's, not sensitive.
NOTE_URL_NAMES = (
    "notes:person_list",
    "notes:create",
    "notes:detail",
    "notes:edit",
    "notes:history",
)

OBLIGATION_URL_NAMES = (
    "obligations:create",
    "obligations:edit",
    "obligations:proof_create",
    "obligations:proof_download",
    "obligations:proof_decide",
)


LEDGER_EDIT_URL_NAMES = (
    "ledgers:tig_edit",
    "ledgers:compensation_create",
    "ledgers:compensation_edit",
    "ledgers:compensation_payment",
)
AGENDA_PERSON_URL_NAMES = (
    "agenda:book",
    "agenda:free_slots",
    "agenda:preview",
    "agenda:detail",
    "agenda:outcome",
    "agenda:reschedule",
    "agenda:arrived",
    "agenda:reply_seen",
    "agenda:letter",
)
ICAL_TOKEN = "jeton-de-test-du-flux-agenda-0123456789"


def agenda_url_kwargs(name: str, cast: Cast, person: Any) -> dict[str, Any]:
    """An appointment of the person (and the Lille place and agenda), cpip's live feed token."""
    import hashlib

    from parcours.agenda.models import CalendarFeed

    appointment = first_appointment(cast, person)
    if name in ("agenda:book", "agenda:free_slots", "agenda:preview"):
        return {"person_id": person.public_id}
    if name == "agenda:letter":
        return {"public_id": appointment.public_id, "fmt": "pdf"}
    if name in AGENDA_PERSON_URL_NAMES:
        return {"public_id": appointment.public_id}
    if name == "agenda:template_create":
        return {"public_id": appointment.agenda.public_id}
    if name == "agenda:slot_book":
        from django.utils import timezone

        from parcours.agenda.models import Slot

        from .agenda.factories import with_slots

        with_slots(appointment.agenda)
        slot = Slot.objects.filter(agenda=appointment.agenda, starts_at__gt=timezone.now())
        return {"public_id": slot.order_by("starts_at")[0].public_id}
    if name == "agenda:ical":
        token_hash = hashlib.sha256(ICAL_TOKEN.encode()).hexdigest()
        CalendarFeed.objects.get_or_create(user=cast.cpip, token_hash=token_hash)
        return {"token": ICAL_TOKEN}
    return {}


# (url name, method) → {role: expected status}. Person URLs point at cast.person (referent cpip,
# SPIP du Nord, a measure from the TJ de Lille); user URLs at cast.cpip's account.
# fmt: off
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    #                                       anon cpip cpip2 autre dpip secr  jap  part admin
    ("core:home", "GET"):                  R(302, 302, 302, 302, 302, 302, 302, 200, 302),
    ("core:home", "POST"):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("core:home", WRONG):                  R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("core:health", "GET"):                R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("core:health", "POST"):               R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("core:health", WRONG):                R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A signed-in user is sent home from the login page, whatever the method. A failed login
    # answers 200 with the French errors (Django's LoginView; tests/test_authentication.py).
    ("accounts:login", "GET"):             R(200, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts:login", "POST"):            R(200, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts:login", WRONG):             R(405, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts:logout", "GET"):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:logout", "POST"):           R(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts:logout", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:charter", "GET"):           R(302, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:charter", "POST"):          R(302, 400, 400, 400, 400, 400, 400, 400, 400),
    ("accounts:charter", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:sessions", "GET"):          R(302, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:sessions", "POST"):         R(302, 400, 400, 400, 400, 400, 400, 400, 400),
    ("accounts:sessions", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:password_change", "GET"):   R(302, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_change", "POST"):  R(302, 400, 400, 400, 400, 400, 400, 400, 400),
    ("accounts:password_change", WRONG):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:user_list", "GET"):         R(302, 403, 403, 403, 403, 403, 403, 403, 200),
    ("accounts:user_list", "POST"):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:user_list", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Two-factor sign-in (the cast has no device; tests/security/test_two_factor.py covers the
    # rest): nothing to verify → back to the home page; nothing to regenerate or remove → the
    # user's page "Double authentification".
    ("mfa:settings", "GET"):               R(302, 200, 200, 200, 200, 200, 200, 200, 200),
    ("mfa:settings", "POST"):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:settings", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:verify", "GET"):                 R(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa:verify", "POST"):                R(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa:verify", WRONG):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:enrol", "GET"):                  R(302, 200, 200, 200, 200, 200, 200, 200, 200),
    ("mfa:enrol", "POST"):                 R(302, 400, 400, 400, 400, 400, 400, 400, 400),
    ("mfa:enrol", WRONG):                  R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:recovery_codes", "GET"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:recovery_codes", "POST"):        R(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa:recovery_codes", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:remove", "GET"):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:remove", "POST"):                R(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa:remove", WRONG):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("mfa:admin_reset", "GET"):            R(302, 403, 403, 403, 403, 403, 403, 403, 200),
    ("mfa:admin_reset", "POST"):           R(302, 403, 403, 403, 403, 403, 403, 403, 302),
    ("mfa:admin_reset", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:user_create", "GET"):       R(302, 403, 403, 403, 403, 403, 403, 403, 200),
    ("accounts:user_create", "POST"):      R(302, 403, 403, 403, 403, 403, 403, 403, 400),
    ("accounts:user_create", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:user_edit", "GET"):         R(302, 403, 403, 403, 403, 403, 403, 403, 200),
    ("accounts:user_edit", "POST"):        R(302, 403, 403, 403, 403, 403, 403, 403, 400),
    ("accounts:user_edit", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The confirmation page, then the button (no field): the POST toggles the account.
    ("accounts:user_deactivate", "GET"):   R(302, 403, 403, 403, 403, 403, 403, 403, 200),
    ("accounts:user_deactivate", "POST"):  R(302, 403, 403, 403, 403, 403, 403, 403, 302),
    ("accounts:user_deactivate", WRONG):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # An administrator sends a reset link (POST only); it never sets a password.
    ("accounts:user_reset_link", "GET"):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:user_reset_link", "POST"):  R(302, 403, 403, 403, 403, 403, 403, 403, 302),
    ("accounts:user_reset_link", WRONG):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Pending role requests: a DPIP/DFSPIP of the SPIP concerned or a second administrator.
    ("accounts:role_requests", "GET"):     R(302, 403, 403, 403, 200, 403, 403, 403, 200),
    ("accounts:role_requests", "POST"):    R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:role_requests", WRONG):     R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:role_request_decide", "GET"):  R(302, 403, 403, 403, 200, 403, 403, 403, 200),
    ("accounts:role_request_decide", "POST"): R(302, 403, 403, 403, 400, 403, 403, 403, 400),
    ("accounts:role_request_decide", WRONG):  R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The user's own password from the e-mailed link: no login; a wrong token shows the French
    # "lien plus valable" page whatever the method (Django's PasswordResetConfirmView).
    ("accounts:password_reset_confirm", "GET"):  R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_confirm", "POST"): R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_confirm", WRONG):  R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_complete", "GET"):  R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_complete", "POST"): R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("accounts:password_reset_complete", WRONG):  R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:caseload", "GET"):            R(302, 200, 200, 200, 200, 200, 200, 403, 403),
    ("people:caseload", "POST"):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:caseload", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:team", "GET"):                R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("people:team", "POST"):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:team", WRONG):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:create", "GET"):              R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("people:create", "POST"):             R(302, 400, 400, 400, 400, 400, 403, 403, 403),
    ("people:create", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:detail", "GET"):              R(302, 200, 302, 404, 200, 200, 200, 403, 403),
    ("people:detail", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:detail", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # A tab of the file (here "Notes et rapports"): the same door as the file.
    ("people:tab", "GET"):                 R(302, 200, 302, 404, 200, 200, 200, 403, 403),
    ("people:tab", "POST"):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:tab", WRONG):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The referent is sent straight to the file; the colleague is asked the motif.
    ("people:motif", "GET"):               R(302, 302, 200, 404, 403, 403, 403, 403, 403),
    ("people:motif", "POST"):              R(302, 302, 400, 404, 403, 403, 403, 403, 403),
    ("people:motif", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:edit", "GET"):                R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("people:edit", "POST"):               R(302, 400, 302, 404, 400, 400, 403, 403, 403),
    ("people:edit", WRONG):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:transfer", "GET"):            R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("people:transfer", "POST"):           R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("people:transfer", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Right of access (issue 14): the service's management answers, nobody else.
    ("lifecycle:access_export", "GET"):    R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("lifecycle:access_export", "POST"):   R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("lifecycle:access_export", WRONG):    R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("people:address_add", "GET"):         R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("people:address_add", "POST"):        R(302, 400, 302, 404, 400, 400, 403, 403, 403),
    ("people:address_add", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Measure views check the method before the role: 405 for everyone signed in.
    ("measures:create", "GET"):            R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:create", "POST"):           R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:create", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:edit", "GET"):              R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:edit", "POST"):             R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:edit", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:incarceration_create", "GET"):R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:incarceration_create", "POST"):R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:incarceration_create", WRONG):R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:incarceration_edit", "GET"):R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:incarceration_edit", "POST"):R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:incarceration_edit", WRONG):R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:incarceration_end", "GET"):R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:incarceration_end", "POST"):R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:incarceration_end", WRONG):R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:suspension_create", "GET"):R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:suspension_create", "POST"):R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:suspension_create", WRONG):R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("measures:suspension_edit", "GET"):R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("measures:suspension_edit", "POST"):R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("measures:suspension_edit", WRONG):R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Obligations and justificatifs: like measures (method first, then role, then the door).
    ("obligations:create", "GET"):         R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("obligations:create", "POST"):        R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("obligations:create", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("obligations:edit", "GET"):           R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("obligations:edit", "POST"):          R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("obligations:edit", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("obligations:proof_create", "GET"):   R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("obligations:proof_create", "POST"):  R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("obligations:proof_create", WRONG):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The file of a justificatif: readers of the file (not the secretariat: health data).
    # The first proof is a care attestation (132-45 3°): health data, not for the court.
    ("obligations:proof_download", "GET"): R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("obligations:proof_download", "POST"): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("obligations:proof_download", WRONG): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Accept / refuse: POST only, referent CPIP or encadrement.
    ("obligations:proof_decide", "GET"):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("obligations:proof_decide", "POST"):  R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("obligations:proof_decide", WRONG):   R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Manquements: like measures (method first, then role, then the door).
    ("breaches:create", "GET"):            R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("breaches:create", "POST"):           R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("breaches:create", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("breaches:followup", "GET"):          R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("breaches:followup", "POST"):         R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("breaches:followup", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:tig_create", "GET"):         R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:tig_create", "POST"):        R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:tig_create", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:tig_session", "GET"):        R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:tig_session", "POST"):       R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:tig_session", WRONG):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:tig_edit", "GET"):           R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:tig_edit", "POST"):          R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:tig_edit", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:compensation_create", "GET"): R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:compensation_create", "POST"): R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:compensation_create", WRONG): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:compensation_edit", "GET"):  R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:compensation_edit", "POST"): R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:compensation_edit", WRONG):  R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("ledgers:compensation_payment", "GET"): R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("ledgers:compensation_payment", "POST"): R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("ledgers:compensation_payment", WRONG): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The chronological view: read-only, like the person file (the method checked first).
    ("timeline:person", "GET"):            R(302, 200, 302, 404, 200, 200, 200, 403, 403),
    ("timeline:person", "POST"):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("timeline:person", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Notes (method first, then role, then the door); search: each CPIP in their own caseload. A
    # colleague CPIP never reads a file's working notes, not even with a motif (security.md): 403.
    ("notes:person_list", "GET"):          R(302, 200, 403, 404, 200, 403, 403, 403, 403),
    ("notes:person_list", "POST"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:person_list", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:create", "GET"):               R(302, 200, 403, 404, 200, 403, 403, 403, 403),
    ("notes:create", "POST"):              R(302, 400, 403, 404, 400, 403, 403, 403, 403),
    ("notes:create", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:detail", "GET"):               R(302, 200, 403, 404, 200, 403, 403, 403, 403),
    ("notes:detail", "POST"):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:detail", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:edit", "GET"):                 R(302, 200, 403, 404, 200, 403, 403, 403, 403),
    ("notes:edit", "POST"):                R(302, 400, 403, 404, 400, 403, 403, 403, 403),
    ("notes:edit", WRONG):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:history", "GET"):              R(302, 200, 403, 404, 200, 403, 403, 403, 403),
    ("notes:history", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:history", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:search", "GET"):               R(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ("notes:search", "POST"):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notes:search", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Notifications. The STOP link of an SMS is public (signed token, no login). The outbox: the
    # SPIP's staff (a CPIP: their own people); a message outside the scope is a 404. Relancer /
    # Annuler point at a failed message of cast.person: a confirmation page, then the POST
    # (a second POST is refused with a French message, still a redirect). Templates: DPIP/DFSPIP.
    # The doors check the method first: a wrong method is a 405 whatever the role.
    ("notifications:stop", "GET"):         R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("notifications:stop", "POST"):        R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("notifications:stop", WRONG):         R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:outbox", "GET"):       R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("notifications:outbox", "POST"):      R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:outbox", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:retry", "GET"):        R(302, 200, 404, 404, 200, 200, 403, 403, 403),
    ("notifications:retry", "POST"):       R(302, 302, 404, 404, 302, 302, 403, 403, 403),
    ("notifications:retry", WRONG):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:cancel", "GET"):       R(302, 200, 404, 404, 200, 200, 403, 403, 403),
    ("notifications:cancel", "POST"):      R(302, 302, 404, 404, 302, 302, 403, 403, 403),
    ("notifications:cancel", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:templates", "GET"):    R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("notifications:templates", "POST"):   R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("notifications:templates", WRONG):    R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("notifications:template_edit", "GET"): R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("notifications:template_edit", "POST"): R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("notifications:template_edit", WRONG): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Agenda: doors and role checks, the method first (405 for everyone signed in). Appointment
    # URLs point at a planned appointment of cast.person (a colleague is asked the motif; another
    # SPIP: 404). The booking partials too send a colleague without motif to the motif page (an
    # HTMX request gets an HX-Redirect, so the whole page goes there, not the fragment).
    ("agenda:day", "GET"):                 R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("agenda:day", "POST"):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:day", WRONG):                 R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:book", "GET"):                R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:book", "POST"):               R(302, 400, 302, 404, 400, 400, 403, 403, 403),
    ("agenda:book", WRONG):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:free_slots", "GET"):          R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:free_slots", "POST"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:free_slots", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:preview", "GET"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:preview", "POST"):            R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:preview", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:detail", "GET"):              R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:detail", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:detail", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:outcome", "GET"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:outcome", "POST"):            R(302, 400, 302, 404, 400, 400, 403, 403, 403),
    ("agenda:outcome", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reschedule", "GET"):          R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:reschedule", "POST"):         R(302, 400, 302, 404, 400, 400, 403, 403, 403),
    ("agenda:reschedule", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:arrived", "GET"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:arrived", "POST"):            R(302, 302, 302, 404, 302, 302, 403, 403, 403),
    ("agenda:arrived", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reply_seen", "GET"):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reply_seen", "POST"):         R(302, 302, 302, 404, 302, 302, 403, 403, 403),
    ("agenda:reply_seen", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:letter", "GET"):              R(302, 200, 302, 404, 200, 200, 403, 403, 403),
    ("agenda:letter", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:letter", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Booking from the agenda: a free slot of the SPIP, then the person (search journaled).
    ("agenda:slot_book", "GET"):           R(302, 200, 200, 404, 200, 200, 403, 403, 403),
    ("agenda:slot_book", "POST"):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:slot_book", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reception", "GET"):           R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("agenda:reception", "POST"):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reception", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The day's PDF of the first place of the service (none yet in the other SPIP: 404).
    ("agenda:reception_pdf", "GET"):       R(302, 200, 200, 404, 200, 200, 403, 403, 403),
    ("agenda:reception_pdf", "POST"):      R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:reception_pdf", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:indicators", "GET"):          R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("agenda:indicators", "POST"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:indicators", WRONG):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:places", "GET"):              R(302, 403, 403, 403, 200, 200, 403, 403, 403),
    ("agenda:places", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:places", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:place_create", "GET"):        R(302, 403, 403, 403, 200, 200, 403, 403, 403),
    ("agenda:place_create", "POST"):       R(302, 403, 403, 403, 400, 400, 403, 403, 403),
    ("agenda:place_create", WRONG):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:template_create", "GET"):     R(302, 403, 403, 403, 200, 200, 403, 403, 403),
    ("agenda:template_create", "POST"):    R(302, 403, 403, 403, 400, 400, 403, 403, 403),
    ("agenda:template_create", WRONG):     R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:feeds", "GET"):               R(302, 200, 200, 200, 200, 200, 403, 403, 403),
    ("agenda:feeds", "POST"):              R(302, 400, 400, 400, 400, 400, 403, 403, 403),
    ("agenda:feeds", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # The iCalendar feed: public, the secret token is the credential (cast.cpip's live token).
    ("agenda:ical", "GET"):                R(200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("agenda:ical", "POST"):               R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("agenda:ical", WRONG):                R(405, 405, 405, 405, 405, 405, 405, 405, 405),
    ("audit:journal", "GET"):              R(302, 200, 200, 200, 200, 403, 403, 403, 200),
    ("audit:journal", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("audit:journal", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # À traiter: a CPIP's own people, the encadrement's SPIP (cpip_autre: their own, empty here).
    ("alerts:todo", "GET"):                R(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ("alerts:todo", "POST"):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("alerts:todo", WRONG):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Reports (method first, then role, then the door). Lists: each role its own. Edit, autosave
    # and actions point at a draft (the court never sees it: 404 when its role may act at all);
    # the page and files at a transmitted report. A colleague (cpip2) sees no report (404).
    # Release preparation (parcours/release): the cast person is a detainee with a checklist.
    ("release:upcoming", "GET"):           R(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ("release:upcoming", "POST"):          R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:upcoming", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:indicators", "GET"):         R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("release:indicators", "POST"):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:indicators", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:person", "GET"):             R(302, 200, 302, 404, 200, 200, 200, 403, 403),
    ("release:person", "POST"):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:person", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:prepare", "GET"):            R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("release:prepare", "POST"):           R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("release:prepare", WRONG):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:expected_date", "GET"):      R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("release:expected_date", "POST"):     R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("release:expected_date", WRONG):      R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:check_agenda", "GET"):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:check_agenda", "POST"):      R(302, 302, 302, 404, 302, 403, 403, 403, 403),
    ("release:check_agenda", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:notice", "GET"):             R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("release:notice", "POST"):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:notice", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("release:item", "GET"):               R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("release:item", "POST"):              R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("release:item", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:mine", "GET"):               R(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ("reports:mine", "POST"):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:mine", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:to_validate", "GET"):        R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("reports:to_validate", "POST"):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:to_validate", WRONG):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:court", "GET"):              R(302, 403, 403, 403, 403, 403, 200, 403, 403),
    ("reports:court", "POST"):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:court", WRONG):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:create", "GET"):             R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("reports:create", "POST"):            R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("reports:create", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:detail", "GET"):             R(302, 200, 404, 404, 200, 403, 200, 403, 403),
    ("reports:detail", "POST"):            R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:detail", WRONG):             R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:edit", "GET"):               R(302, 200, 404, 404, 200, 403, 403, 403, 403),
    ("reports:edit", "POST"):              R(302, 400, 404, 404, 400, 403, 403, 403, 403),
    ("reports:edit", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:autosave", "GET"):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:autosave", "POST"):          R(302, 400, 404, 404, 400, 403, 403, 403, 403),
    ("reports:autosave", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:transition", "GET"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:transition", "POST"):        R(302, 400, 404, 404, 400, 403, 404, 403, 403),
    ("reports:transition", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:pdf", "GET"):                R(302, 200, 404, 404, 200, 403, 200, 403, 403),
    ("reports:pdf", "POST"):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:pdf", WRONG):                R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:docx", "GET"):               R(302, 200, 404, 404, 200, 403, 200, 403, 403),
    ("reports:docx", "POST"):              R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("reports:docx", WRONG):               R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Milieu fermé (issue 15): opportunities and marks (CPIP, DPIP), the CAP (encadrement).
    ("adjustments:opportunities", "GET"):  R(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ("adjustments:opportunities", "POST"): R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:opportunities", WRONG):  R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:person", "GET"):         R(302, 200, 302, 404, 200, 403, 403, 403, 403),
    ("adjustments:person", "POST"):        R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ("adjustments:person", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:reviews", "GET"):        R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("adjustments:reviews", "POST"):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:reviews", WRONG):        R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:review", "GET"):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:review", "POST"):        R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("adjustments:review", WRONG):         R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:commissions", "GET"):    R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("adjustments:commissions", "POST"):   R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("adjustments:commissions", WRONG):    R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:commission", "GET"):     R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("adjustments:commission", "POST"):    R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("adjustments:commission", WRONG):     R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:item", "GET"):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:item", "POST"):          R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("adjustments:item", WRONG):           R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    ("adjustments:decision", "GET"):       R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("adjustments:decision", "POST"):      R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("adjustments:decision", WRONG):       R(302, 405, 405, 405, 405, 405, 405, 405, 405),
    # Import of detention extracts: the encadrement of a SPIP (an administrator attached to no
    # SPIP has nowhere to import: 403); the empty POST is a 400 with the French error.
    ("detention_import:import", "GET"):    R(302, 403, 403, 403, 200, 403, 403, 403, 403),
    ("detention_import:import", "POST"):   R(302, 403, 403, 403, 400, 403, 403, 403, 403),
    ("detention_import:import", WRONG):    R(302, 405, 405, 405, 405, 405, 405, 405, 405),
}
# The detention record (issue 15): written by the referent and the encadrement, through the
# person's door (a colleague: the motif page, then read-only); the court reads it on the person
# file only. The simulator holds no person data: CPIP, DPIP, DFSPIP and the court.
DETENTION_URL_NAMES = (
    "detention:ecrou_create",
    "detention:ecrou_edit",
    "detention:ecrou_release",
    "detention:sentence_create",
    "detention:sentence_edit",
    "detention:sentence_delete",
    "detention:entry_create",
    "detention:entry_edit",
    "detention:entry_delete",
)
for _name in DETENTION_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 400, 302, 404, 400, 403, 403, 403, 403)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("detention:simulator", "GET")] =   R(302, 200, 200, 200, 200, 403, 200, 403, 403)
MATRIX[("detention:simulator", "POST")] =  R(302, 400, 400, 400, 400, 403, 400, 403, 403)
MATRIX[("detention:simulator", WRONG)] =   R(302, 405, 405, 405, 405, 405, 405, 405, 405)
# The measure catalogue (issue 16): reference data, no person; the roles that read files.
MATRIX[("catalog:measure_types", "GET")] = R(302, 200, 200, 200, 200, 200, 200, 403, 403)
MATRIX[("catalog:measure_types", "POST")] = R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("catalog:measure_types", WRONG)] = R(302, 405, 405, 405, 405, 405, 405, 405, 405)
# Partners (issue 17): the directory (SPIP staff and the administrator; a partner its own entry;
# edits by the encadrement and the administrator), referrals from the person file (like the
# measures: the referent and the encadrement write, a colleague is asked the motif), the partner
# space (role PARTENAIRE only; the cast's referral is addressed to the cast's partner), and the
# CPIP's validation of TIG hours a host structure recorded (POST only).
_PARTNER_ROWS = {
    "partners:directory": (R(302, 200, 200, 200, 200, 200, 403, 200, 200), R(302, *[405] * 8)),
    "partners:profile": (R(302, 200, 200, 404, 200, 200, 403, 200, 200), R(302, *[405] * 8)),
    "partners:profile_edit": (
        R(302, 403, 403, 403, 200, 403, 403, 403, 200),
        R(302, 403, 403, 403, 400, 403, 403, 403, 400),
    ),
    "partners:agreement_add": (
        R(302, 403, 403, 403, 200, 403, 403, 403, 200),
        R(302, 403, 403, 403, 400, 403, 403, 403, 400),
    ),
    "partners:referral_create": (
        R(302, 200, 302, 404, 200, 403, 403, 403, 403),
        R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ),
    "partners:referral": (R(302, 200, 302, 404, 200, 403, 403, 403, 403), R(302, *[405] * 8)),
    "partners:referral_action": (
        R(302, *[405] * 8),
        R(302, 400, 302, 404, 400, 403, 403, 403, 403),
    ),
    "partners:inbox": (R(302, 403, 403, 403, 403, 403, 403, 200, 403), R(302, *[405] * 8)),
    "partners:inbox_csv": (R(302, 403, 403, 403, 403, 403, 403, 200, 403), R(302, *[405] * 8)),
    "partners:inbox_detail": (R(302, 403, 403, 403, 403, 403, 403, 200, 403), R(302, *[405] * 8)),
    "partners:inbox_action": (
        R(302, *[405] * 8),
        R(302, 403, 403, 403, 403, 403, 403, 400, 403),
    ),
    "partners:inbox_session": (
        R(302, 403, 403, 403, 403, 403, 403, 200, 403),
        R(302, 403, 403, 403, 403, 403, 403, 400, 403),
    ),
    "partners:inbox_attestation": (
        R(302, 403, 403, 403, 403, 403, 403, 200, 403),
        R(302, 403, 403, 403, 403, 403, 403, 400, 403),
    ),
    # A session of a running referral, recorded by the partner: corrected (an empty form: 400),
    # deleted after the confirmation page (the POST deletes and goes back to the referral).
    "partners:inbox_session_edit": (
        R(302, 403, 403, 403, 403, 403, 403, 200, 403),
        R(302, 403, 403, 403, 403, 403, 403, 400, 403),
    ),
    "partners:inbox_session_delete": (
        R(302, 403, 403, 403, 403, 403, 403, 200, 403),
        R(302, 403, 403, 403, 403, 403, 403, 302, 403),
    ),
    "ledgers:tig_validate": (
        R(302, *[405] * 8),
        R(302, 302, 302, 404, 302, 403, 403, 403, 403),
    ),
}
for _name, (_get, _post) in _PARTNER_ROWS.items():
    MATRIX[(_name, "GET")] = _get
    MATRIX[(_name, "POST")] = _post
    MATRIX[(_name, WRONG)] = R(302, *[405] * 8)

# Inbound SMS (issue 18): the provider's webhook is public but signed (an unsigned POST: 403 for
# everyone); "Messages reçus" as the outbox; one message: its referent and the service.
MATRIX[("notifications:inbound_webhook", "GET")] =  R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("notifications:inbound_webhook", "POST")] = R(403, 403, 403, 403, 403, 403, 403, 403, 403)
MATRIX[("notifications:inbound_webhook", WRONG)] =  R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("notifications:inbound_list", "GET")] =     R(302, 200, 200, 200, 200, 200, 403, 403, 403)
MATRIX[("notifications:inbound_list", "POST")] =    R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("notifications:inbound_list", WRONG)] =     R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("notifications:inbound_detail", "GET")] =   R(302, 200, 404, 404, 200, 200, 403, 403, 403)
MATRIX[("notifications:inbound_detail", "POST")] =  R(302, 400, 404, 404, 400, 400, 403, 403, 403)
MATRIX[("notifications:inbound_detail", WRONG)] =   R(302, 405, 405, 405, 405, 405, 405, 405, 405)
# Remote check-in (issue 18): the CPIP and the management; the person page through the person's
# door (colleague: motif), one check-in: the referent and the management.
MATRIX[("checkins:list", "GET")] =                  R(302, 200, 200, 200, 200, 403, 403, 403, 403)
MATRIX[("checkins:list", "POST")] =                 R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("checkins:list", WRONG)] =                  R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("checkins:person", "GET")] =                R(302, 200, 302, 404, 200, 403, 403, 403, 403)
MATRIX[("checkins:person", "POST")] =               R(302, 400, 302, 404, 400, 403, 403, 403, 403)
MATRIX[("checkins:person", WRONG)] =                R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("checkins:review", "GET")] =                R(302, 200, 404, 404, 200, 403, 403, 403, 403)
MATRIX[("checkins:review", "POST")] =               R(302, 400, 404, 404, 400, 403, 403, 403, 403)
MATRIX[("checkins:review", WRONG)] =                R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("checkins:proof", "GET")] =                 R(302, 200, 404, 404, 200, 403, 403, 403, 403)
MATRIX[("checkins:proof", "POST")] =                R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("checkins:proof", WRONG)] =                 R(302, 405, 405, 405, 405, 405, 405, 405, 405)

# Plans d'accompagnement (issue 17, parcours/plans): the SPIP's staff who follow the person
# (CPIP, DPIP, DFSPIP) read and write through the person's door; the court, the secretariat, the
# partner and the admin never (403 before any lookup). The cast person has a plan in force and a
# draft of version 2 (tests/plans/factories.py): "Nouvelle version" answers its French 400; the
# countersignature pages, opened on the draft, send the DPIP back to the plan (302).
PLANS_FILE_URL_NAMES = (
    "plans:start",
    "plans:agreement",
    "plans:goal_create",
    "plans:goal_edit",
    "plans:goal_delete",
    "plans:step_create",
    "plans:step_edit",
    "plans:step_delete",
    "plans:step_status",
)
PLANS_READ_URL_NAMES = ("plans:person", "plans:detail", "plans:print", "plans:pdf")
PLANS_MANAGER_URL_NAMES = ("plans:countersign", "plans:return")
for _name in PLANS_READ_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 405, 405, 405, 405, 405, 405, 405, 405)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in PLANS_FILE_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 400, 302, 404, 400, 403, 403, 403, 403)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in PLANS_MANAGER_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 403, 403, 403, 302, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 403, 403, 403, 400, 403, 403, 403, 403)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("plans:to_countersign", "GET")] =  R(302, 403, 403, 403, 200, 403, 403, 403, 403)
MATRIX[("plans:to_countersign", "POST")] = R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("plans:to_countersign", WRONG)] =  R(302, 405, 405, 405, 405, 405, 405, 405, 405)
# The SPIP's setting: a checkbox, so an empty POST is a valid "not required" (302).
MATRIX[("plans:settings", "GET")] =        R(302, 403, 403, 403, 200, 403, 403, 403, 403)
MATRIX[("plans:settings", "POST")] =       R(302, 403, 403, 403, 302, 403, 403, 403, 403)
MATRIX[("plans:settings", WRONG)] =        R(302, 405, 405, 405, 405, 405, 405, 405, 405)

# Assessments (issue 17): the SPIP's CPIP and encadrement only; through the person's door (a
# colleague: the motif page, then read-only); the secretariat, the court, partners and
# administrators: 403 before any lookup. "À faire": each CPIP their own people, the encadrement
# the service; the indicator: DPIP / DFSPIP.
ASSESSMENT_READ_URL_NAMES = (
    "assessments:person",
    "assessments:detail",
    "assessments:compare",
    "assessments:digital_detail",
)
ASSESSMENT_WRITE_URL_NAMES = (
    "assessments:create",
    "assessments:digital_create",
    "assessments:fill",
    "assessments:finish",
)
for _name in ASSESSMENT_READ_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 405, 405, 405, 405, 405, 405, 405, 405)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in ASSESSMENT_WRITE_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 400, 302, 404, 400, 403, 403, 403, 403)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:autosave", "GET")] =  R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:autosave", "POST")] = R(302, 400, 302, 404, 400, 403, 403, 403, 403)
MATRIX[("assessments:autosave", WRONG)] =  R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:to_do", "GET")] =     R(302, 200, 200, 200, 200, 403, 403, 403, 403)
MATRIX[("assessments:to_do", "POST")] =    R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:to_do", WRONG)] =     R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:indicators", "GET")] = R(302, 403, 403, 403, 200, 403, 403, 403, 403)
MATRIX[("assessments:indicators", "POST")] = R(302, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("assessments:indicators", WRONG)] = R(302, 405, 405, 405, 405, 405, 405, 405, 405)

# The person's own space (issue 18). /espace/: the person's pages behind `space_door` (their own
# cookie, never a staff session): a staff user or an anonymous visitor is sent to the space's
# sign-in page (302 to /espace/, not /connexion/: see _check_body), whatever their role;
# tests/space/ covers the signed-in person. /espace-personnel/: the CPIP's actions on the
# person file (enable/disable, a notice), like measures (method, role, the person's door).
SPACE_PAGE_URL_NAMES = ("space:home", "space:appointments", "space:proofs", "space:notices")
SPACE_POST_URL_NAMES = ("space:reply", "space:upload")
SPACE_STAFF_URL_NAMES = ("space_staff:switch", "space_staff:notice")
MATRIX[("space:sign_in", "GET")] =         R(200, 200, 200, 200, 200, 200, 200, 200, 200)
MATRIX[("space:sign_in", "POST")] =        R(400, 400, 400, 400, 400, 400, 400, 400, 400)
MATRIX[("space:sign_in", WRONG)] =         R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:code", "GET")] =            R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:code", "POST")] =           R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:code", WRONG)] =            R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:sign_out", "GET")] =        R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:sign_out", "POST")] =       R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:sign_out", WRONG)] =        R(405, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in SPACE_PAGE_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 302, 302, 302, 302, 302, 302, 302, 302)
    MATRIX[(_name, "POST")] =              R(405, 405, 405, 405, 405, 405, 405, 405, 405)
    MATRIX[(_name, WRONG)] =               R(405, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in SPACE_POST_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(405, 405, 405, 405, 405, 405, 405, 405, 405)
    MATRIX[(_name, "POST")] =              R(302, 302, 302, 302, 302, 302, 302, 302, 302)
    MATRIX[(_name, WRONG)] =               R(405, 405, 405, 405, 405, 405, 405, 405, 405)
for _name in SPACE_STAFF_URL_NAMES:
    MATRIX[(_name, "GET")] =               R(302, 200, 302, 404, 200, 403, 403, 403, 403)
    MATRIX[(_name, "POST")] =              R(302, 400, 302, 404, 400, 403, 403, 403, 403)
    MATRIX[(_name, WRONG)] =               R(302, 405, 405, 405, 405, 405, 405, 405, 405)
# fmt: on

# The space's remote check-ins and digital self-assessment (issue 18, items 2 and 4): the same
# door, so without a space session everyone is sent to /espace/ (tests/space/ covers the person).
SPACE_POST_URL_NAMES += ("space:checkin_answer",)
# fmt: off
MATRIX[("space:checkins", "GET")] =         R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:checkins", "POST")] =        R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:checkins", WRONG)] =         R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:checkin_answer", "GET")] =   R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:checkin_answer", "POST")] =  R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:checkin_answer", WRONG)] =   R(405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX[("space:digital", "GET")] =          R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:digital", "POST")] =         R(302, 302, 302, 302, 302, 302, 302, 302, 302)
MATRIX[("space:digital", WRONG)] =          R(405, 405, 405, 405, 405, 405, 405, 405, 405)
# fmt: on

# Dessaisissement (ADR 0032): the cast's handover comes from La Réunion (asked by cpip_autre)
# to the Nord, whose dpip decides. Asking: through the person's door, like "Transférer". One
# handover: its sender and the receiving management see it (anyone else: 404); only the
# receiving management decides (the sender: 403), only the sender withdraws (dpip: 403).
# fmt: off
MATRIX[("handovers:list", "GET")] =        R(302, 200, 200, 200, 200, 403, 403, 403, 403)
MATRIX[("handovers:request", "GET")] =     R(302, 200, 302, 404, 200, 403, 403, 403, 403)
MATRIX[("handovers:request", "POST")] =    R(302, 400, 302, 404, 400, 403, 403, 403, 403)
MATRIX[("handovers:detail", "GET")] =      R(302, 404, 404, 200, 200, 403, 403, 403, 403)
MATRIX[("handovers:detail", "POST")] =     R(302, 404, 404, 403, 400, 403, 403, 403, 403)
MATRIX[("handovers:withdraw", "GET")] =    R(302, 404, 404, 200, 403, 403, 403, 403, 403)
MATRIX[("handovers:withdraw", "POST")] =   R(302, 404, 404, 400, 403, 403, 403, 403, 403)
# fmt: on
MATRIX[("handovers:list", "POST")] = R(302, *[405] * 8)
for _name in ("handovers:list", "handovers:request", "handovers:detail", "handovers:withdraw"):
    MATRIX[(_name, WRONG)] = R(302, *[405] * 8)

# The measure's timeline: incarceration periods (on the person) and suspensions (on a measure).
TIMELINE_URL_NAMES = (
    "measures:incarceration_create",
    "measures:incarceration_edit",
    "measures:incarceration_end",
    "measures:suspension_create",
    "measures:suspension_edit",
)

# Where a 302 must lead, when it is not the anonymous redirect to the login page.
REDIRECTS: dict[tuple[str, str], dict[str, str]] = {
    ("core:home", "GET"): {
        **dict.fromkeys(["cpip", "cpip2", "cpip_autre", "secretariat", "jap"], "people:caseload"),
        "dpip": "people:team",
        "admin": "accounts:user_list",
    },
    **{
        (name, method): dict.fromkeys(ROLE_NAMES, "core:home")
        for name in ("accounts:login",)
        for method in ("GET", "POST", WRONG)
    },
    ("accounts:logout", "POST"): dict.fromkeys(ROLE_NAMES, "accounts:login"),
    ("accounts:user_deactivate", "POST"): {"admin": "accounts:user_edit"},
    ("accounts:user_reset_link", "POST"): {"admin": "accounts:user_edit"},
    ("people:motif", "GET"): {"cpip": "people:detail"},
    ("people:motif", "POST"): {"cpip": "people:detail"},
    **{
        (name, method): {"cpip2": "people:motif"}
        for name in (
            "people:detail",
            "people:tab",
            "people:edit",
            "people:transfer",
            "people:address_add",
            "measures:create",
            "measures:edit",
            *TIMELINE_URL_NAMES,
            *OBLIGATION_URL_NAMES,
            "breaches:create",
            "breaches:followup",
            "ledgers:tig_create",
            "ledgers:tig_session",
            *LEDGER_EDIT_URL_NAMES,
            "timeline:person",
            *NOTE_URL_NAMES,
            *AGENDA_PERSON_URL_NAMES,
        )
        for method in ("GET", "POST")
        if MATRIX[(name, method)]["cpip2"] == 302
    },
}

REDIRECTS.update(
    {(n, m): {"cpip2": "people:motif"} for n in DETENTION_URL_NAMES for m in ("GET", "POST")}
)
# Reports: a colleague is asked the motif before the person's "Nouveau rapport" page.
REDIRECTS.update({("reports:create", m): {"cpip2": "people:motif"} for m in ("GET", "POST")})
REDIRECTS.update({("adjustments:person", m): {"cpip2": "people:motif"} for m in ("GET", "POST")})
REDIRECTS.update({("checkins:person", m): {"cpip2": "people:motif"} for m in ("GET", "POST")})

REDIRECTS.update(
    {
        (n, m): {"cpip2": "people:motif"}
        for n in (*PLANS_READ_URL_NAMES, *PLANS_FILE_URL_NAMES)
        for m in ("GET", "POST")
        if MATRIX[(n, m)]["cpip2"] == 302
    }
)

# Pages that show a form: an empty POST must list French validation errors.
FRENCH_FORM_ERRORS = ("Ce champ est obligatoire", "Vous devez accepter la charte")
# The cast has accepted the charter: the page shows the acceptance instead of the form.
FRENCH_400_TEXT = {("accounts:charter", "POST"): ("Vous avez accepté cette charte",)}
FRENCH_400_TEXT[("accounts:role_request_decide", "POST")] = ("Choisissez de valider",)
FRENCH_400_TEXT[("agenda:feeds", "POST")] = ("Action inconnue",)
FRENCH_400_TEXT[("accounts:sessions", "POST")] = ("Choisissez la session à fermer",)
FRENCH_400_TEXT[("reports:autosave", "POST")] = ("Contenu de la sauvegarde illisible",)
# "Préparer la sortie" has no required field: the checklist of the cast person is already open.
FRENCH_400_TEXT[("release:prepare", "POST")] = ("déjà ouverte",)

# Release preparation: the pages of one detainee's checklist (tests/release/factories.py).
RELEASE_PERSON_URL_NAMES = (
    "release:person",
    "release:prepare",
    "release:expected_date",
    "release:check_agenda",
    "release:notice",
)
FRENCH_400_TEXT[("adjustments:commission", "POST")] = ("Choisissez une personne",)
FRENCH_400_TEXT[("adjustments:item", "POST")] = ("Action inconnue",)
FRENCH_400_TEXT[("plans:start", "POST")] = ("déjà en préparation",)
FRENCH_400_TEXT[("handovers:detail", "POST")] = ("accepter ou de refuser",)

# The URLs about one person (cast.person, or cast.other_person of the other SPIP).
PERSON_URL_NAMES = [
    *AGENDA_PERSON_URL_NAMES,
    "lifecycle:access_export",
    "reports:create",
    "people:detail",
    "people:tab",
    "people:motif",
    "people:edit",
    "people:transfer",
    "people:address_add",
    "measures:create",
    "measures:edit",
    *TIMELINE_URL_NAMES,
    *OBLIGATION_URL_NAMES,
    "breaches:create",
    "breaches:followup",
    "ledgers:tig_create",
    "ledgers:tig_session",
    *LEDGER_EDIT_URL_NAMES,
    "timeline:person",
    *NOTE_URL_NAMES,
    *RELEASE_PERSON_URL_NAMES,
    "release:item",
]
PERSON_URL_NAMES.extend(DETENTION_URL_NAMES)
# Partners (issue 17): the SPIP's referral pages and the validation of TIG hours open the file.
PARTNER_PERSON_URL_NAMES = (
    "partners:referral_create",
    "partners:referral",
    "partners:referral_action",
    "ledgers:tig_validate",
)
PERSON_URL_NAMES.extend(PARTNER_PERSON_URL_NAMES)
REDIRECTS.update(
    {
        (n, m): {"cpip2": "people:motif"}
        for n in PARTNER_PERSON_URL_NAMES
        for m in ("GET", "POST")
        if MATRIX[(n, m)]["cpip2"] == 302
    }
)
REDIRECTS[("ledgers:tig_validate", "POST")]["cpip"] = "people:tab:suivi"

PERSON_URL_NAMES.extend([*PLANS_READ_URL_NAMES, *PLANS_FILE_URL_NAMES, *PLANS_MANAGER_URL_NAMES])

PERSON_URL_NAMES.extend(SPACE_STAFF_URL_NAMES)
PERSON_URL_NAMES.append("handovers:request")
REDIRECTS.update({("handovers:request", m): {"cpip2": "people:motif"} for m in ("GET", "POST")})
REDIRECTS.update(
    {(n, m): {"cpip2": "people:motif"} for n in SPACE_STAFF_URL_NAMES for m in ("GET", "POST")}
)
# Pages that only read the file (a break-the-glass motif opens them read-only).
READ_ONLY_URL_NAMES = (
    "agenda:detail",
    "agenda:letter",
    "people:detail",
    "people:tab",
    "people:motif",
    "obligations:proof_download",
    "timeline:person",
    "notes:person_list",
    "notes:detail",
    "notes:history",
    "release:person",
)
# Partners: the SPIP's page of a referral only reads (a motif opens it, its actions stay hidden).
READ_ONLY_URL_NAMES = (*READ_ONLY_URL_NAMES, "partners:referral")

READ_ONLY_URL_NAMES += PLANS_READ_URL_NAMES


STATIC_SERVING_MODULES = ("django.views.static", "django.contrib.staticfiles.views")


def collect_url_names(patterns: list[Any] | None = None, namespace: str = "") -> set[str]:
    """Every named URL of the project as "namespace:name", walking includes recursively.
    Django's static file serving (`static()` in DEBUG) is left out."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= collect_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.callback.__module__ in STATIC_SERVING_MODULES:
                continue
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def pending_role_grant(cast: Cast) -> Any:
    """A CPIP role for a new account of the antenna, asked by a second administrator (so the
    cast's admin and dpip may both decide it)."""
    from parcours.accounts.models import RoleGrant

    from .factories import UserFactory

    requester = UserFactory(role="admin", organisation=cast.admin_org)
    account = UserFactory(role="", organisation=cast.antenna)
    return RoleGrant.objects.create(
        user=account, role="cpip", organisation=cast.antenna, requested_by=requester
    )


def url_kwargs(name: str, cast: Cast, *, person: Any = None) -> dict[str, Any]:
    """The identifiers a URL needs: the cast person, their measure, or cpip's account."""
    person = person or cast.person
    app = name.split(":")[0]
    if app == "partners":
        from .partners.factories import matrix_kwargs as partners_kwargs

        return partners_kwargs(name, cast, person)
    if name == "ledgers:tig_validate":
        from .partners.factories import pending_tig_session

        return {"public_id": pending_tig_session(person).public_id}
    if app == "adjustments":
        from .adjustments.factories import matrix_kwargs

        return matrix_kwargs(name, cast, person)
    if name == "people:tab":
        return {"public_id": person.public_id, "onglet": "ecrits"}

    if app == "handovers":
        from .handovers.factories import matrix_kwargs as handover_kwargs

        return handover_kwargs(name, cast, person)
    if app == "plans":
        from .plans.factories import matrix_kwargs as plans_kwargs

        return plans_kwargs(name, cast, person)

    if app == "assessments":
        from .assessments.factories import matrix_kwargs as assessment_kwargs

        return assessment_kwargs(name, person)
    if name == "measures:edit":
        return {"public_id": person.measures.order_by("pk").first().public_id}
    if name == "measures:create":
        return {"person_id": person.public_id}
    if name in ("measures:incarceration_create",):
        return {"person_id": person.public_id}
    if name in ("measures:incarceration_edit", "measures:incarceration_end"):
        return {"public_id": ongoing_incarceration(person).public_id}
    if name == "measures:suspension_create":
        return {"measure_id": person.measures.order_by("pk").first().public_id}
    if name == "measures:suspension_edit":
        return {"public_id": first_suspension(person).public_id}
    if name == "obligations:create":
        return {"measure_id": person.measures.order_by("pk").first().public_id}
    if name == "obligations:edit":
        return {"public_id": first_obligation(person).public_id}
    if name == "obligations:proof_create":
        return {"obligation_id": first_obligation(person).public_id}
    if name in ("obligations:proof_download", "obligations:proof_decide"):
        return {"public_id": first_proof(person).public_id}
    if name in ("notes:person_list", "notes:create"):
        return {"person_id": person.public_id}
    if name in ("notes:detail", "notes:edit", "notes:history"):
        return {"public_id": first_note(person).public_id}
    if name in ("breaches:create", "timeline:person"):
        return {"person_id": person.public_id}
    if name == "breaches:followup":
        return {"public_id": first_breach(person).public_id}
    if name == "ledgers:tig_create":
        return {"measure_id": tig_measure(person).public_id}
    if name in ("ledgers:tig_session", "ledgers:tig_edit"):
        return {"public_id": first_tig_ledger(person).public_id}
    if name == "ledgers:compensation_create":
        return {"measure_id": person.measures.order_by("pk").first().public_id}
    if name in ("ledgers:compensation_edit", "ledgers:compensation_payment"):
        return {"public_id": first_compensation_ledger(person).public_id}
    if app == "detention":
        return detention_url_kwargs(name, person)
    if app == "agenda":
        return agenda_url_kwargs(name, cast, person)
    if name == "reports:create":
        return {"person_id": person.public_id}
    if name in ("reports:edit", "reports:autosave", "reports:transition"):
        return {"public_id": first_report(person, "brouillon").public_id}
    if name in ("reports:detail", "reports:pdf", "reports:docx"):
        return {"public_id": first_report(person, "transmis").public_id}
    if name in ("notifications:retry", "notifications:cancel"):
        return {"public_id": failed_message(person).public_id}
    if name == "notifications:stop":
        return {"token": stop_token(person)}
    if name == "notifications:inbound_detail":
        return {"public_id": first_inbound(person).public_id}
    if name == "checkins:person":
        return {"person_id": person.public_id}
    if name == "checkins:proof":
        return {"public_id": first_checkin(person, proof=True).public_id}
    if name == "checkins:review":
        return {"public_id": first_checkin(person).public_id}
    if name == "notifications:template_edit":
        return {"role": "rappel", "channel": "sms"}
    if name in RELEASE_PERSON_URL_NAMES:
        release_plan(person)
        return {"person_id": person.public_id}
    if name == "release:item":
        return {"public_id": first_item(person).public_id}
    if name == "lifecycle:access_export":
        return {"public_id": person.public_id}
    if app == "space_staff":
        return {"person_id": person.public_id}
    if name in SPACE_POST_URL_NAMES:
        # The space's door looks at its own cookie before any object: any identifier will do.
        return {"public_id": uuid.UUID(int=18)}
    if app == "people" and name not in ("people:caseload", "people:team", "people:create"):
        return {"public_id": person.public_id}
    if name in (
        "accounts:user_edit",
        "accounts:user_deactivate",
        "accounts:user_reset_link",
        "mfa:admin_reset",
    ):
        return {"public_id": cast.cpip.public_id}
    if name == "accounts:role_request_decide":
        return {"public_id": pending_role_grant(cast).public_id}
    if name == "accounts:password_reset_confirm":
        return {"uidb64": "MQ", "token": "jeton-invalide"}
    return {}


def is_door(url: str) -> bool:
    return bool(getattr(resolve(url).func, "parcours_door", None))


def send(client: Client, method: str, url: str) -> Any:
    """GET, an empty POST, or any other method."""
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url)
    return client.generic(method, url)


def _check_body(response: Any, status: int, role: str, key: tuple[str, str]) -> str | None:
    if getattr(response, "streaming", False):
        # A file download (justificatif): consume the stream so the file is closed.
        b"".join(response.streaming_content)
        return None
    body = response.content.decode("utf-8", errors="replace")
    if status == 404 and role != "anonymous" and "Page introuvable" not in body:
        return "404 without the French 'Page introuvable' page"
    if status == 403 and "Accès refusé" not in body:
        return "403 without the French 'Accès refusé' page"
    if status == 405 and "Méthode non autorisée" not in body:
        return "405 without a French explanation"
    shows_form_errors = status == 400 or (status == 200 and key == ("accounts:login", "POST"))
    texts = FRENCH_400_TEXT.get(key, FRENCH_FORM_ERRORS)
    if shows_form_errors and key[1] == "POST" and not any(text in body for text in texts):
        return f"{status} without French validation errors"
    if status == 302:
        location = response["Location"]
        # The person's space sends everyone without a space session to its own sign-in page.
        login = "/espace/" if key[0].startswith("space:") else "/connexion/"
        if role == "anonymous":
            if not location.startswith(login):
                return f"anonymous redirected to {location}, not /connexion/"
        elif not location.startswith("/"):
            return f"redirect off site: {location}"
    return None


@pytest.mark.parametrize(
    ("name", "method"), sorted(MATRIX), ids=[f"{n}-{m}" for n, m in sorted(MATRIX)]
)
def test_access_matrix(cast: Cast, name: str, method: str) -> None:
    expected = MATRIX[(name, method)]
    assert set(expected) == set(ROLES)
    kwargs = url_kwargs(name, cast)
    url = reverse(name, kwargs=kwargs)
    targets = REDIRECTS.get((name, method), {})
    problems = []
    # Admin last: its POST on user_deactivate deactivates cpip's account.
    for role in ROLES:
        client = quiet(None if role == "anonymous" else cast.user(role))
        response = send(client, method, url)
        status = response.status_code
        if status != expected[role]:
            problems.append(f"{role}: {method} {url} → {status}, expected {expected[role]}")
            continue
        problem = _check_body(response, status, role, (name, method))
        if problem:
            problems.append(f"{role}: {method} {url} → {problem}")
        if status == 302 and role in targets:
            target_name = targets[role]
            if target_name.startswith("people:tab:"):  # a tab of the person file
                target_name, tab = target_name.rsplit(":", 1)
                target_kwargs = {"public_id": cast.person.public_id, "onglet": tab}
            else:
                target_kwargs = url_kwargs(target_name, cast)
            target = reverse(target_name, kwargs=target_kwargs)
            location = urlparse(response["Location"])
            if location.path != target:
                problems.append(
                    f"{role}: {method} {url} → 302 to {response['Location']}, expected {target}"
                )
            elif (
                target_name == "people:motif"
                and method == "GET"
                and is_door(url)
                and parse_qs(location.query).get("suivant") != [url]
            ):
                # A door's motif page brings the user back to the page asked for.
                problems.append(f"{role}: {method} {url} → motif page without the way back")
    assert not problems, "\n".join(problems)


def test_every_url_is_in_the_matrix() -> None:
    resolved = collect_url_names()
    assert len(resolved) >= 20, resolved
    in_matrix = {name for name, _ in MATRIX}
    missing = sorted(resolved - in_matrix)
    assert not missing, f"URLs missing from the access matrix: {missing}"
    stale = sorted(in_matrix - resolved)
    assert not stale, f"Rows of the matrix for URLs that no longer exist: {stale}"
    incomplete = sorted(
        f"{name} {method}"
        for name in resolved
        for method in ("GET", "POST", WRONG)
        if (name, method) not in MATRIX
    )
    assert not incomplete, f"Methods missing from the access matrix: {incomplete}"


def test_no_role_but_the_spip_and_court_ever_gets_person_data() -> None:
    """Partenaire, admin, other SPIP: 403/404 (405) on every person URL, never 200 or 302."""
    for (name, _method), row in MATRIX.items():
        if name in PERSON_URL_NAMES:
            for role in ("partenaire", "admin", "cpip_autre"):
                assert row[role] in (403, 404, 405), (name, role, row[role])
            assert row["jap"] in (200, 403, 405), (name, row["jap"])


# 403s decided on the object, after its lookup (not by the role alone): the court and a care
# attestation (R-HEALTH-PROOFS).
OBJECT_LEVEL_403 = {("obligations:proof_download", "GET", "jap")}


@pytest.mark.parametrize("role", ["cpip", "dpip", "secretariat", "jap"])
def test_person_of_another_spip_is_not_found(cast: Cast, role: str) -> None:
    client = quiet(cast.user(role))
    problems = []
    for name in PERSON_URL_NAMES:
        for method in ("GET", "POST"):
            url = reverse(name, kwargs=url_kwargs(name, cast, person=cast.other_person))
            response = send(client, method, url)
            # A role with no business on the page, or a wrong method, is refused before any
            # lookup (same answer for any identifier); every other answer is a 404.
            own = MATRIX[(name, method)][role]
            expected = own if own in (403, 405) else 404
            if (name, method, role) in OBJECT_LEVEL_403:
                expected = 404  # the object is looked up first: another SPIP's does not exist
            if response.status_code != expected:
                problems.append(f"{method} {name}: {response.status_code}, expected {expected}")
            elif expected == 404 and "Page introuvable" not in response.content.decode():
                problems.append(f"{method} {name}: 404 without the French page")
            unknown = reverse(name, kwargs={k: uuid.uuid4() for k in url_kwargs(name, cast)})
            if send(client, method, unknown).status_code != response.status_code:
                problems.append(f"{method} {name}: differs from an unknown identifier")
    assert not problems, "\n".join(problems)


def _events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_referent_consultation_is_journaled_once(cast: Cast) -> None:
    client = quiet(cast.cpip)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse("people:detail", args=[cast.person.public_id]))
    assert response.status_code == 200
    new = _events(id__gt=before)
    assert len(new) == 1, [(e.action, e.motif) for e in new]
    event = new[0]
    assert event.action == AuditAction.CONSULTATION
    assert event.motif == "referent"
    assert event.actor_id == cast.cpip.pk
    assert event.person_public_id == cast.person.public_id


def test_colleague_breaks_the_glass_with_a_motif(cast: Cast) -> None:
    client = quiet(cast.cpip2)
    detail = reverse("people:detail", args=[cast.person.public_id])
    motif_url = reverse("people:motif", args=[cast.person.public_id])
    first = client.get(detail)
    assert first.status_code == 302
    assert first["Location"] == f"{motif_url}?suivant={quote(detail, safe='')}"
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(motif_url, {"motif": "permanence", "detail": ""})
    assert response.status_code == 302
    assert response["Location"] == detail
    granted = _events(id__gt=before, action=AuditAction.ACCES_EXCEPTIONNEL)
    assert len(granted) == 1
    assert granted[0].actor_id == cast.cpip2.pk
    assert granted[0].motif == "permanence"
    assert granted[0].person_public_id == cast.person.public_id

    after_grant = granted[0].id
    response = client.get(detail)
    assert response.status_code == 200
    consulted = _events(id__gt=after_grant, action=AuditAction.CONSULTATION)
    assert len(consulted) == 1
    assert consulted[0].motif == "permanence"
    assert consulted[0].actor_id == cast.cpip2.pk
    assert consulted[0].person_public_id == cast.person.public_id


def test_motif_autre_needs_a_detail(cast: Cast) -> None:
    client = quiet(cast.cpip2)
    motif_url = reverse("people:motif", args=[cast.person.public_id])
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(motif_url, {"motif": "autre", "detail": "  "})
    assert response.status_code == 400
    assert "Précisez le motif de la consultation" in response.content.decode()
    assert not _events(id__gt=before, action=AuditAction.ACCES_EXCEPTIONNEL)
    # Still no access to the file.
    detail = client.get(reverse("people:detail", args=[cast.person.public_id]))
    assert detail.status_code == 302


def test_motif_rejects_an_unknown_motif(cast: Cast) -> None:
    client = quiet(cast.cpip2)
    motif_url = reverse("people:motif", args=[cast.person.public_id])
    for motif in ("referent", "encadrement", "juridiction", "n'importe quoi", ""):
        response = client.post(motif_url, {"motif": motif, "detail": "une raison valable"})
        assert response.status_code == 400, motif
    assert client.get(reverse("people:detail", args=[cast.person.public_id])).status_code == 302


def test_break_the_glass_is_read_only(cast: Cast) -> None:
    client = quiet(cast.cpip2)
    response = client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "remplacement", "detail": ""},
    )
    assert response.status_code == 302
    assert client.get(reverse("people:detail", args=[cast.person.public_id])).status_code == 200
    problems = []
    for name in PERSON_URL_NAMES:
        if name in READ_ONLY_URL_NAMES:
            continue
        url = reverse(name, kwargs=url_kwargs(name, cast))
        for method in ("GET", "POST"):
            if MATRIX[(name, method)]["cpip"] == 405:
                continue  # a method the page never accepts: 405 for everyone
            response = send(client, method, url)
            if response.status_code != 403:
                problems.append(f"{method} {name}: {response.status_code}")
            elif "Accès refusé" not in response.content.decode():
                problems.append(f"{method} {name}: 403 without the French page")
    assert not problems, "\n".join(problems)
    # The motif page now leads straight to the file.
    again = client.get(reverse("people:motif", args=[cast.person.public_id]))
    assert again.status_code == 302


# --- The matrix re-run from outside: a second SPIP, a partner, an administrator ---------------

# Every URL that names one case object of cast.person (person, measure, note, report, message…).
CASE_URL_NAMES = [
    *PERSON_URL_NAMES,
    "reports:edit",
    "reports:autosave",
    "reports:transition",
    "reports:detail",
    "reports:pdf",
    "reports:docx",
    "notifications:retry",
    "notifications:cancel",
    "notifications:inbound_detail",
    "checkins:person",
    "checkins:review",
    "checkins:proof",
    "adjustments:person",
    "adjustments:review",
    "adjustments:commission",
    "adjustments:item",
    "adjustments:decision",
]
# Staff of the second SPIP (La Réunion) with the roles that read a whole SPIP in their own.
OTHER_SPIP_STAFF = {"dpip_autre": "dpip", "secretariat_autre": "secretariat"}
OUTSIDERS = ["cpip_autre", *OTHER_SPIP_STAFF, "partenaire", "admin"]


def outsider(cast: Cast, name: str) -> Any:
    from parcours.accounts.models import Role

    from .factories import UserFactory

    if name not in OTHER_SPIP_STAFF:
        return cast.user(name)
    role = Role.DPIP if name == "dpip_autre" else Role.SECRETARIAT
    return UserFactory(username=name, role=role, organisation=cast.other_antenna)


def outsider_expected(name: str, method: str, role: str) -> int:
    """What the matrix says for an outsider: its own column (cpip_autre, partenaire, admin), or
    for the second SPIP's staff the column of the same role, a 404 wherever that role would be
    let in (the object is not in its SPIP)."""
    row = MATRIX[(name, method)]
    if role in OTHER_SPIP_STAFF:
        own = row[OTHER_SPIP_STAFF[role]]
        return own if own in (403, 405) else 404
    return row[role]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_case_urls_refuse_a_second_spip_a_partner_and_an_administrator(
    cast: Cast, role: str
) -> None:
    """Every case URL, GET and POST, by someone who never reaches this file: 404 for the second
    SPIP (the object does not exist for it), 403 for a role with no case data (partner,
    administrator), never a page, a redirect or the person's name; each refusal of a door is
    journaled (REFUS) with the identifier asked."""
    user = outsider(cast, role)
    client = quiet(user)
    # A name no page could show by chance (the generated one may be the outsider's own name, shown
    # in the header, or a word of the menu: a CI run failed that way).
    Person.objects.filter(pk=cast.person.pk).update(last_name="Quenouillard-Zébédée")
    name_in_pages = "QUENOUILLARD"
    problems = []
    for name in CASE_URL_NAMES:
        kwargs = url_kwargs(name, cast)
        url = reverse(name, kwargs=kwargs)
        for method in ("GET", "POST"):
            expected = outsider_expected(name, method, role)
            assert expected in (403, 404, 405), (name, method, role, expected)
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = send(client, method, url)
            status = response.status_code
            body = b"" if getattr(response, "streaming", False) else response.content
            if status != expected:
                problems.append(f"{method} {name}: {status}, expected {expected}")
                continue
            if name_in_pages.encode() in body.upper():
                problems.append(f"{method} {name}: the answer names the person")
            if status == 404 or (status == 403 and is_door(url)):
                refusals = AuditEvent.objects.filter(
                    id__gt=before, action=AuditAction.REFUS, actor=user
                )
                identifiers = {str(v) for v in kwargs.values()}
                if not any(e.object_id in identifiers for e in refusals):
                    problems.append(f"{method} {name}: {status} not journaled as a refusal")
                if any(e.object_label or e.person_public_id for e in refusals):
                    problems.append(f"{method} {name}: the refusal row describes the object")
    assert not problems, "\n".join(problems)


def test_administrators_and_partners_never_reach_case_data_in_the_matrix() -> None:
    """The table itself: on every case URL, the administrator and the partner get 403/404/405
    only (docs/access-matrix.md: "administrators never reach case data")."""
    for (name, method), row in MATRIX.items():
        if name in CASE_URL_NAMES:
            for role in ("partenaire", "admin", "cpip_autre"):
                assert row[role] in (403, 404, 405), (name, method, role, row[role])


# Assessments (issue 17): the rows are with the MATRIX above.
ASSESSMENT_CASE_URL_NAMES = (
    *ASSESSMENT_READ_URL_NAMES,
    *ASSESSMENT_WRITE_URL_NAMES,
    "assessments:autosave",
)
REDIRECTS.update(
    {
        (n, m): {"cpip2": "people:motif"}
        for n in ASSESSMENT_CASE_URL_NAMES
        for m in ("GET", "POST")
        if MATRIX[(n, m)]["cpip2"] == 302
    }
)
FRENCH_400_TEXT[("assessments:autosave", "POST")] = ("Contenu de la sauvegarde illisible",)
PERSON_URL_NAMES.extend(ASSESSMENT_CASE_URL_NAMES)
CASE_URL_NAMES.extend(ASSESSMENT_CASE_URL_NAMES)
READ_ONLY_URL_NAMES += ASSESSMENT_READ_URL_NAMES

"""An action that takes a reason (refusal, end of the accompaniment, cancellation) and is
refused for its reason shows the referral's page again (400), with the form, the typed text
kept and one accurate French message."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parcours.partners.models import Referral
from parcours.rules.vocabulary import ReferralStatus

from ..conftest import Cast
from ..helpers import quiet, text
from .factories import make_referral

pytestmark = [pytest.mark.django_db]

LONG = ("Hors de notre zone d'intervention. " * 72).strip()  # 2,519 characters
SPACES = "     "


def _post(client, referral: Referral, action: str, reason: str, *, partner: bool = True):
    name = "partners:inbox_action" if partner else "partners:referral_action"
    return client.post(
        reverse(name, args=[referral.public_id]),
        {"action": action, "version": referral.version, "reason": reason},
    )


def _textarea(page: str, action: str) -> str:
    found = re.search(rf'<textarea[^>]*id="motif-{action}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no text area for {action}"
    return found.group(1)


@pytest.mark.parametrize(
    ("status", "action", "partner", "what"),
    [
        (ReferralStatus.ENVOYEE, "refuser", True, "Le motif"),
        (ReferralStatus.EN_COURS, "terminer", True, "Le bilan de fin d'accompagnement"),
        (ReferralStatus.ENVOYEE, "annuler", False, "Le motif"),
    ],
)
def test_a_reason_too_long_keeps_the_page_and_the_text(
    cast: Cast, status: str, action: str, partner: bool, what: str
) -> None:
    referral = make_referral(cast, status=status)
    client = quiet(cast.partenaire if partner else cast.cpip)
    response = _post(client, referral, action, LONG, partner=partner)
    assert response.status_code == 400
    page = text(response)
    assert f"{what} est trop long : 2000 caractères au plus (vous en avez saisi 2519)." in page
    assert "Indiquez" not in page  # not also "say why": the reason was given
    assert "Assurez-vous" not in page
    assert "Action refusée" not in page
    assert _textarea(page, action) == LONG
    # Still the referral's page, its actions there.
    assert referral.kind_label in page
    referral.refresh_from_db()
    assert referral.status == status


@pytest.mark.parametrize(
    ("status", "action", "partner", "message"),
    [
        (ReferralStatus.ENVOYEE, "refuser", True, "Indiquez le motif : il est obligatoire."),
        (
            ReferralStatus.EN_COURS,
            "terminer",
            True,
            "Indiquez le bilan de fin d'accompagnement : il est obligatoire.",
        ),
        (ReferralStatus.ENVOYEE, "annuler", False, "Indiquez le motif : il est obligatoire."),
    ],
)
def test_a_reason_of_spaces_says_it_is_missing_on_the_page(
    cast: Cast, status: str, action: str, partner: bool, message: str
) -> None:
    referral = make_referral(cast, status=status)
    client = quiet(cast.partenaire if partner else cast.cpip)
    response = _post(client, referral, action, SPACES, partner=partner)
    assert response.status_code == 400
    page = text(response)
    assert page.count(message) == 1
    assert "Action refusée" not in page
    assert f'id="motif-{action}"' in page and 'aria-invalid="true"' in page
    referral.refresh_from_db()
    assert referral.status == status


def test_after_the_error_the_action_goes_through(cast: Cast) -> None:
    referral = make_referral(cast)
    client = quiet(cast.partenaire)
    assert _post(client, referral, "refuser", LONG).status_code == 400
    referral.refresh_from_db()
    response = _post(client, referral, "refuser", "Hors de notre zone.")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        ReferralStatus.REFUSEE,
        "Hors de notre zone.",
    )

"""Sessions a partner records (TIG hours above all): no session twice, none before the referral
was sent or before the TIG measure is enforceable; a session whose hours the CPIP has not yet
validated can be corrected or deleted (after a confirmation), journaled; the first session
tells the partner that the accompaniment is now running; French decimal comma in the hours'
messages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.ledgers.models import TigSession
from parcours.partners.models import Referral, ReferralSession
from parcours.rules.vocabulary import OrganisationKind, ReferralStatus

from ..conftest import Cast
from ..factories import OrganisationFactory, UserFactory
from ..helpers import quiet, text
from ..ledgers.factories import first_tig_ledger, tig_measure
from .factories import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

PARIS = ZoneInfo("Europe/Paris")
SENT = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


@pytest.fixture
def host(cast: Cast) -> Any:
    org = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name="Mairie de Lomme")
    return UserFactory(username="tig.lomme", role="partenaire", organisation=org)


def _tig_referral(cast: Cast, host: Any, status: str = ReferralStatus.EN_COURS) -> Referral:
    first_tig_ledger(cast.person, enforceable_from=date(2026, 11, 2))
    return make_referral(
        cast,
        kind="tig",
        partner=host.organisation,
        status=status,
        measure=tig_measure(cast.person),
        sent_at=SENT,
    )


def _record(client: Client, referral: Referral, **data: str) -> Any:
    values = {"day": "2026-12-05", "attended": "oui", "hours": "6", **data}
    return client.post(reverse("partners:inbox_session", args=[referral.public_id]), values)


def _only_session(referral: Referral) -> ReferralSession:
    return referral.sessions.select_related("tig_session").get()


# --- Recording ---------------------------------------------------------------------------------


def test_the_same_session_twice_is_refused(cast: Cast, host: Any) -> None:
    """Enregistrer, browser Back (the form keeps its values), Enregistrer again."""
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    again = _record(client, referral)
    assert again.status_code == 400
    assert "Cette séance est déjà enregistrée" in text(again)
    assert referral.sessions.count() == 1
    assert TigSession.objects.filter(ledger__measure=referral.measure).count() == 1
    # Another session the same day (an afternoon) is a different session.
    assert _record(client, referral, hours="2").status_code == 302
    assert referral.sessions.count() == 2


def test_a_session_before_the_referral_was_sent_is_refused(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    response = _record(quiet(host), referral, day="2026-11-20")
    assert response.status_code == 400
    assert "avant l'envoi de l'orientation, le 01/12/2026" in text(response)
    assert not referral.sessions.exists()
    assert not TigSession.objects.exists()


def test_tig_hours_before_the_measure_is_enforceable_are_refused(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    ledger = first_tig_ledger(cast.person)
    ledger.enforceable_from = date(2026, 12, 10)
    ledger.save()
    response = _record(quiet(host), referral, day="2026-12-05")
    assert response.status_code == 400
    assert "exécutoire qu'à compter du 10/12/2026" in text(response)
    assert not referral.sessions.exists()


def test_the_first_session_says_the_accompaniment_is_running(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host, status=ReferralStatus.ACCEPTEE)
    response = quiet(host).post(
        reverse("partners:inbox_session", args=[referral.public_id]),
        {"day": "2026-12-05", "attended": "oui", "hours": "6"},
        follow=True,
    )
    page = text(response)
    assert "Séance enregistrée." in page
    assert "L'accompagnement est maintenant en cours." in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EN_COURS
    # The next session says nothing of the kind.
    following = _record(quiet(host), referral, day="2026-12-06")
    assert following.status_code == 302
    assert "maintenant en cours" not in text(quiet(host).get(following["Location"]))


@pytest.mark.parametrize("hours", ["-4", "0.2", "0,2"])
def test_too_few_hours_say_so_with_a_decimal_comma(cast: Cast, host: Any, hours: str) -> None:
    referral = _tig_referral(cast, host)
    response = _record(quiet(host), referral, hours=hours)
    assert response.status_code == 400
    page = text(response)
    assert "0,5" in page
    assert "0.5" not in page
    assert not referral.sessions.exists()


def test_hours_with_a_decimal_comma_are_read(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    assert _record(quiet(host), referral, hours="3,5").status_code == 302
    assert _only_session(referral).hours == Decimal("3.5")


# --- Correcting and deleting -------------------------------------------------------------------


def _edit_url(referral: Referral, session: ReferralSession, what: str = "modifier") -> str:
    name = "partners:inbox_session_edit" if what == "modifier" else "partners:inbox_session_delete"
    return reverse(name, args=[referral.public_id, session.public_id])


def test_the_partner_corrects_hours_not_yet_validated(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    session = _only_session(referral)
    detail = text(client.get(reverse("partners:inbox_detail", args=[referral.public_id])))
    assert _edit_url(referral, session) in detail and "à valider" in detail
    form = client.get(_edit_url(referral, session))
    assert form.status_code == 200 and 'value="6' in text(form)
    response = client.post(
        _edit_url(referral, session), {"day": "2026-12-04", "attended": "oui", "hours": "5"}
    )
    assert response.status_code == 302, text(response)
    session = _only_session(referral)
    assert (session.day, session.hours) == (date(2026, 12, 4), Decimal("5"))
    tig = TigSession.objects.get()
    assert (tig.day, tig.hours, tig.pending) == (date(2026, 12, 4), Decimal("5"), True)
    assert session.tig_session == tig
    event = AuditEvent.objects.filter(action=AuditAction.MODIFICATION, actor=host).last()
    assert event is not None and event.person_public_id == cast.person.public_id
    assert event.details["avant"] == "05/12/2026, présent, 6 h"
    assert event.details["apres"] == "04/12/2026, présent, 5 h"


def test_a_correction_is_checked_like_a_new_session(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    assert _record(client, referral, day="2026-12-06").status_code == 302
    later = referral.sessions.get(day=date(2026, 12, 6))
    # Made identical to the other one: refused; before the sending date: refused.
    same = client.post(
        _edit_url(referral, later), {"day": "2026-12-05", "attended": "oui", "hours": "6"}
    )
    assert same.status_code == 400 and "déjà enregistrée" in text(same)
    early = client.post(
        _edit_url(referral, later), {"day": "2026-11-05", "attended": "oui", "hours": "6"}
    )
    assert early.status_code == 400 and "le 01/12/2026" in text(early)
    later.refresh_from_db()
    assert later.day == date(2026, 12, 6)
    assert TigSession.objects.filter(day=date(2026, 12, 6), hours=6).exists()


def test_the_partner_deletes_a_session_after_confirming(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    session = _only_session(referral)
    confirm = client.get(_edit_url(referral, session, "supprimer"))
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Supprimer la séance du 05/12/2026 ?" in page and "6 h" in page
    assert referral.sessions.exists()  # nothing deleted by the question
    response = client.post(_edit_url(referral, session, "supprimer"), follow=True)
    assert "Séance supprimée." in text(response)
    assert not referral.sessions.exists()
    assert not TigSession.objects.exists()
    event = AuditEvent.objects.filter(action=AuditAction.MODIFICATION, actor=host).last()
    assert event is not None
    assert event.details["seance_supprimee"] == "05/12/2026, présent, 6 h"


def test_validated_hours_can_no_longer_be_changed(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    session = _only_session(referral)
    cpip = quiet(cast.cpip)
    tig = session.tig_session
    assert tig is not None
    assert cpip.post(reverse("ledgers:tig_validate", args=[tig.public_id])).status_code == 302
    detail = text(client.get(reverse("partners:inbox_detail", args=[referral.public_id])))
    assert _edit_url(referral, session) not in detail and "validées" in detail
    for what in ("modifier", "supprimer"):
        response = client.post(
            _edit_url(referral, session, what),
            {"day": "2026-12-05", "attended": "oui", "hours": "2"},
        )
        assert response.status_code == 400, what
        assert "validées par le SPIP" in text(response)
    session.refresh_from_db()
    tig.refresh_from_db()
    assert session.hours == Decimal("6") and tig.hours == Decimal("6") and not tig.pending


def test_another_referrals_session_is_not_found(cast: Cast, host: Any) -> None:
    referral = _tig_referral(cast, host)
    client = quiet(host)
    assert _record(client, referral).status_code == 302
    session = _only_session(referral)
    other = make_referral(cast, kind="tig", partner=host.organisation, status="en_cours")
    for what in ("modifier", "supprimer"):
        url = _edit_url(other, session, what)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert referral.sessions.exists()

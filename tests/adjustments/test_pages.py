"""Opportunités and marks: who sees which detainees, marking, 409, the DPIP's review."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.adjustments.models import AdjustmentMark
from parcours.audit.models import AuditEvent
from parcours.rules.adjustments import MarkStatus, Review

from ..conftest import Cast
from ..factories import UserFactory
from ..helpers import client_for
from .factories import THREE_YEARS, detainee, imprison

pytestmark = pytest.mark.django_db

URL = reverse("adjustments:opportunities")


def test_cpip_sees_only_their_detainees_and_the_dpip_the_spips(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    detainee(cast, referent=cast.cpip2, last_name="COLLEGUEDETENU")
    mine = client_for(cast.cpip).get(URL)
    assert mine.status_code == 200
    body = mine.content.decode()
    assert "DURAND" in body and "COLLEGUEDETENU" not in body
    assert "Libération conditionnelle" in body and "Éligible sous 90 jours" in body
    spip = client_for(cast.dpip).get(URL).content.decode()
    assert "DURAND" in spip and "COLLEGUEDETENU" in spip
    filtered = client_for(cast.dpip).get(URL, {"cpip": cast.cpip2.pk}).content.decode()
    assert "COLLEGUEDETENU" in filtered and "DURAND" not in filtered


def test_a_person_without_an_open_ecrou_is_not_listed(cast: Cast) -> None:
    body = client_for(cast.cpip).get(URL).content.decode()
    assert "Aucune opportunité" in body and "DURAND" not in body


def test_filter_by_class_and_adjustment_and_bad_filter(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    client = client_for(cast.cpip)
    lc_now = client.get(URL, {"amenagement": "lc", "classe": "maintenant"}).content.decode()
    assert "DURAND" not in lc_now  # LC in 16 days
    # Semi-liberté as a probation step, a year before the LC date (CPP 723-1 al. 2).
    now = client.get(URL, {"classe": "maintenant"}).content.decode()
    assert "Semi-liberté</a>" in now and "Libération conditionnelle</a>" not in now
    lc = client.get(URL, {"amenagement": "lc", "classe": "sous_90_jours"}).content.decode()
    assert "DURAND" in lc
    assert client.get(URL, {"classe": "bientot"}).status_code == 400


def test_sorted_by_date_both_ways(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    detainee(cast, last_name="AVANTDURAND", situation={**THREE_YEARS, "lc_from": date(2027, 3, 20)})
    body = client_for(cast.cpip).get(URL, {"amenagement": "lc"}).content.decode()
    assert body.index("AVANTDURAND") < body.index("DURAND")
    desc = client_for(cast.cpip).get(URL, {"amenagement": "lc", "tri": "-date"}).content.decode()
    assert desc.index("DURAND") < desc.index("AVANTDURAND")


def test_roles_without_opportunities_are_refused(cast: Cast) -> None:
    for role in ("partenaire", "secretariat", "jap", "admin"):
        assert client_for(cast.user(role)).get(URL).status_code == 403, role


def test_person_page_other_spip_is_404_and_partner_403(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    url = reverse("adjustments:person", args=[cast.person.public_id])
    page = client_for(cast.cpip).get(url)
    assert page.status_code == 200
    assert "Pourquoi ?" in page.content.decode() and "CPP art. 729 al. 3" in page.content.decode()
    assert client_for(cast.cpip_autre).get(url).status_code == 404
    assert client_for(cast.partenaire).get(url).status_code == 403


def test_cpip_proposes_to_the_cap_then_a_stale_form_is_409(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    url = reverse("adjustments:person", args=[cast.person.public_id])
    client = client_for(cast.cpip)
    saved = client.post(url, {"adjustment": "lc", "status": "propose", "version": "0"})
    assert saved.status_code == 302
    mark = AdjustmentMark.objects.get(person=cast.person, adjustment="lc")
    assert mark.status == MarkStatus.PROPOSE and mark.marked_by == cast.cpip
    assert AuditEvent.objects.filter(object_type="marque_amenagement").count() == 1
    # A second form opened before the first save still says "new" (version 0).
    stale = client.post(url, {"adjustment": "lc", "status": "preparation", "version": "0"})
    assert stale.status_code == 409
    mark.refresh_from_db()
    assert mark.status == MarkStatus.PROPOSE
    again = client.post(url, {"adjustment": "lc", "status": "preparation", "version": "1"})
    assert again.status_code == 302


def test_ecarte_needs_a_reason_and_goes_to_the_dpip_review(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    url = reverse("adjustments:person", args=[cast.person.public_id])
    client = client_for(cast.cpip)
    refused = client.post(url, {"adjustment": "lsc", "status": "ecarte", "version": "0"})
    assert refused.status_code == 400
    assert "Indiquez pourquoi" in refused.content.decode()
    ok = client.post(
        url,
        {
            "adjustment": "lsc",
            "status": "ecarte",
            "reason": "Refus",
            "refusal": "on",
            "version": "0",
        },
    )
    assert ok.status_code == 302
    mark = AdjustmentMark.objects.get(person=cast.person, adjustment="lsc")
    assert mark.review == Review.A_REVOIR and mark.refusal
    # The refusal takes the LSC out of the opportunities (CPP 720 I 1°).
    page = client.get(url).content.decode()
    assert "CPP art. 720 I 1°" in page
    reviews = client_for(cast.dpip).get(reverse("adjustments:reviews")).content.decode()
    assert "DURAND" in reviews and "Refus de la personne" in reviews
    assert client.get(reverse("adjustments:reviews")).status_code == 403


def test_dpip_confirms_or_reopens_with_a_note(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    cpip = client_for(cast.cpip)
    person_url = reverse("adjustments:person", args=[cast.person.public_id])
    cpip.post(
        person_url,
        {"adjustment": "ddse", "status": "ecarte", "reason": "Pas de logement", "version": "0"},
    )
    mark = AdjustmentMark.objects.get(adjustment="ddse")
    url = reverse("adjustments:review", args=[mark.public_id])
    dpip = client_for(cast.dpip)
    assert dpip.post(url, {"decision": "rouvrir", "version": mark.version}).status_code == 400
    assert cpip.post(url, {"decision": "confirmer", "version": mark.version}).status_code == 403
    reopened = dpip.post(
        url, {"decision": "rouvrir", "note": "Voir le SIAO", "version": mark.version}
    )
    assert reopened.status_code == 302
    mark.refresh_from_db()
    assert mark.status == MarkStatus.ROUVERT and mark.reviewed_by == cast.dpip
    # Reviewed already: a second review (stale page) is refused.
    assert dpip.post(url, {"decision": "confirmer", "version": 1}).status_code in (400, 409)


def test_dpip_of_another_spip_gets_404_on_a_mark(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    client_for(cast.cpip).post(
        reverse("adjustments:person", args=[cast.person.public_id]),
        {"adjustment": "lc", "status": "ecarte", "reason": "x", "version": "0"},
    )
    mark = AdjustmentMark.objects.get()
    other = UserFactory(role="dpip", organisation=cast.other_antenna)
    url = reverse("adjustments:review", args=[mark.public_id])
    assert client_for(other).post(url, {"decision": "confirmer", "version": 1}).status_code == 404

"""Opportunities and CAP decisions on the real record: D1's services write the écrou, the engine
computes the situation, the opportunities read it; a reduction granted at the CAP goes through
detention.services.record_reduction and moves the dates once committed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.adjustments import services
from parcours.adjustments.selectors import person_opportunities
from parcours.detention import services as detention
from parcours.detention.models import ReductionDecision, SentenceSituation
from parcours.detention.situations import refresh
from parcours.rules.adjustments import Adjustment, Eligibility
from parcours.rules.dates import add_months

from ..conftest import Cast
from ..helpers import client_for
from .factories import establishment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _recorded(cast: Cast, *, hebergement: bool = False) -> Any:
    ecrou = detention.create_ecrou(
        cast.cpip,
        cast.person,
        establishment=establishment(cast.spip),
        number="E-1",
        start=date(2026, 1, 1),
        hebergement=hebergement,
    )
    detention.add_sentence(cast.cpip, ecrou, years=3, definitive_on=date(2026, 1, 1))
    assert refresh([ecrou.pk]) == 1
    return ecrou


def test_opportunities_read_the_engines_situation(cast: Cast) -> None:
    ecrou = _recorded(cast)
    row = SentenceSituation.objects.get(ecrou=ecrou)
    assert row.error == "" and row.lc_from is not None
    found = {
        a.adjustment: a for a in person_opportunities(cast.person, date(2027, 3, 16)).assessments
    }
    lc = found[Adjustment.LC]
    assert lc.on == row.lc_from
    # CPP 723-1 al. 2: semi-liberté as a probation step from a year before the LC date.
    assert found[Adjustment.SEMI_LIBERTE].on == add_months(row.lc_from, -12)
    assert found[Adjustment.SEMI_LIBERTE].eligibility == Eligibility.MAINTENANT
    # 3 years in total: examined under 720 (≤ 5 years), no LSC de plein droit (> 2 years).
    assert found[Adjustment.LSC].on == row.examination_on
    assert found[Adjustment.LSC_PLEIN_DROIT].eligibility == Eligibility.NON_APPLICABLE
    page = client_for(cast.cpip).get(reverse("adjustments:opportunities")).content.decode()
    assert "Semi-liberté</a>" in page


def test_a_reduction_granted_at_the_cap_moves_the_release_date(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    ecrou = _recorded(cast)
    before = SentenceSituation.objects.get(ecrou=ecrou).release_date
    commission = services.create_commission(
        cast.dpip, establishment=establishment(cast.spip), held_on=date(2027, 3, 10)
    )
    item = services.add_to_commission(cast.dpip, commission, person=cast.person, kind="reduction")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(
            cast.dpip, item, decision="accorde", months=3, expected_version=item.version
        )
    reduction = ReductionDecision.objects.get(ecrou=ecrou)
    assert (reduction.kind, reduction.months, reduction.granted_on) == ("rp", 3, date(2027, 3, 10))
    after = SentenceSituation.objects.get(ecrou=ecrou).release_date
    assert after is not None and before is not None and after < before
    assert (before - after).days >= 89

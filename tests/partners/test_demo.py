"""The partners demo: the Lille partners in the directory, referrals in every status,
partenaire.demo sees France Travail's referrals (and only them), a TIG host its hours."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import User
from parcours.partners.models import PartnerProfile, Referral
from parcours.rules.vocabulary import PartnerKind, ReferralStatus

from ..helpers import quiet, text

pytestmark = pytest.mark.django_db


def test_the_demo_partners_and_their_referrals(settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=60)
    kinds = list(PartnerProfile.objects.values_list("partner_kind", flat=True))
    assert sorted(set(kinds)) == sorted(k for k in PartnerKind.values if k != "autre")
    assert kinds.count(PartnerKind.ASSOCIATION) == 2 and kinds.count(PartnerKind.TIG) == 2
    partner = User.objects.get(username="partenaire.demo")
    mine = Referral.objects.filter(partner=partner.organisation)
    assert set(mine.values_list("status", flat=True)) == set(ReferralStatus.values)
    User.objects.filter(pk=partner.pk).update(charter_accepted_at=timezone.now())
    response = quiet(partner).get(reverse("partners:inbox"))
    assert response.status_code == 200
    visible = mine.exclude(status__in=[ReferralStatus.BROUILLON, ReferralStatus.ANNULEE])
    for referral in visible:
        assert reverse("partners:inbox_detail", args=[referral.public_id]) in text(response)
    assert len(visible) == len(ReferralStatus.values) - 2
    counts = (Referral.objects.count(), PartnerProfile.objects.count(), User.objects.count())
    call_command("seed_demo", people=60)
    assert (
        Referral.objects.count(),
        PartnerProfile.objects.count(),
        User.objects.count(),
    ) == counts

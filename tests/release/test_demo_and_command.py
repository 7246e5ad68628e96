"""The release demo (idempotent, stages) and the nightly command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from parcours.release import demo
from parcours.release.models import ReleaseItem, ReleasePlan

from ..factories import PersonFactory
from .factories import ecrou

pytestmark = pytest.mark.django_db


def test_demo_opens_checklists_at_various_stages_once(cast):
    for days in (10, 20, 30, 40, 50):
        ecrou(
            PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip), release_in=days
        )
    ecrou(PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip), release_in=200)
    counts = demo.seed()
    assert counts["release_plans"] == 5
    done = sorted(
        ReleaseItem.objects.filter(plan=plan, status="fait").count()
        for plan in ReleasePlan.objects.all()
    )
    assert done[0] == 0 and done[-1] > done[1] > 0  # untouched, started… complete
    assert demo.seed() == {"release_plans": 0, "release_items_done": 0}


def test_command_reports_in_french(cast):
    ecrou(cast.person, release_in=30)
    out = StringIO()
    call_command("prepare_releases", stdout=out)
    assert "1 liste(s) ouverte(s)" in out.getvalue()
    assert ReleasePlan.objects.count() == 1
    out = StringIO()
    call_command("prepare_releases", "--zone", "Europe/Paris", stdout=out)
    assert "0 liste(s) ouverte(s)" in out.getvalue()

"""The national generator's milieu fermé (parcours.demo.national.detention) at a tiny scale:
detainees in proportion to the scale, each with an open écrou in a prison of their SPIP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from parcours.accounts.models import Organisation, OrganisationKind, SiteType, User
from parcours.demo.national.detention import FULL_DETAINEES, MF_CASELOAD, detainees_for
from parcours.detention.models import Ecrou, ReductionDecision, SentenceLine
from parcours.measures.models import Measure
from parcours.people.models import IncarcerationPeriod, Person

SCALE = 0.0005  # 150 people in milieu ouvert, 42 detainees


def test_detainees_scale_with_the_dataset() -> None:
    assert detainees_for(1.0) == FULL_DETAINEES == 85_000
    assert detainees_for(0.01) == 850
    assert detainees_for(0.00001) == 1


@pytest.mark.django_db
def test_small_scale_creates_proportional_detainees(settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("bench_data", "--scale", str(SCALE), "--no-audit", verbosity=0)
    expected = detainees_for(SCALE)
    detainees = Person.objects.filter(ecrous__isnull=False)
    assert detainees.count() == expected == 42
    # Written by COPY, flagged all the same; nobody else is (Person.ever_detained).
    assert set(Person.objects.filter(ever_detained=True)) == set(detainees)
    ecrous = Ecrou.objects.select_related("establishment", "person")
    assert ecrous.count() == expected and not ecrous.filter(released_on__isnull=False).exists()
    for ecrou in ecrous:
        prison = ecrou.establishment
        assert prison.kind == OrganisationKind.ETABLISSEMENT
        assert prison.spip_id == ecrou.person.spip_id
        assert prison.parent is not None and prison.parent.site_type == SiteType.MILIEU_FERME
    # Every SPIP has its prison; the detainees follow the size of their SPIP.
    spips = Organisation.objects.filter(kind=OrganisationKind.SPIP).count()
    assert Organisation.objects.filter(kind=OrganisationKind.ETABLISSEMENT).count() == spips
    # Referents: the milieu fermé CPIP of the detainee's antenna, 100 detainees at most each.
    loads = detainees.values("referent").annotate(n=Count("id"))
    assert all(row["n"] <= MF_CASELOAD for row in loads)
    for person in detainees.select_related("referent"):
        assert person.referent is not None
        assert person.referent.username.startswith("cpip.mf.n")
        assert person.antenna_id == person.referent.organisation_id
    assert User.objects.filter(username__startswith="cpip.mf.n").count() == len(loads)
    # Sentences, the incarceration period, the measure of each.
    assert SentenceLine.objects.values("ecrou").distinct().count() == expected
    assert SentenceLine.objects.count() >= expected
    assert IncarcerationPeriod.objects.filter(ecrou__isnull=False, end__isnull=True).count() == (
        expected
    )
    assert (
        Measure.objects.filter(
            person__in=detainees, measure_type__code="suivi_milieu_ferme"
        ).count()
        == expected
    )
    assert Ecrou.objects.filter(start__lt=date(2023, 1, 1)).exists()
    assert ReductionDecision.objects.exists()
    # The milieu ouvert is untouched: same people count as without detainees.
    assert Person.objects.filter(ecrous__isnull=True).count() == 150

"""The milieu fermé of the demo (parcours.detention.demo through demo.seed): the fictional
prison, cpip.mf.demo, ~120 detainees covering every case, idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from parcours.accounts import demo as accounts
from parcours.accounts.models import OrganisationKind, SiteType, User
from parcours.demo.seed import seed_milieu_ferme
from parcours.detention import demo
from parcours.detention.models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
)
from parcours.measures.models import Measure
from parcours.people.models import Housing, IncarcerationPeriod, Person
from parcours.rules.detention import ReleaseKind, SentenceFlag

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings: Any) -> dict[str, Any]:
    orgs = accounts.ensure_organisations()
    users = accounts.ensure_accounts(orgs, settings.DEMO_PASSWORD)
    counts = seed_milieu_ferme(orgs, users)
    return {"orgs": orgs, "users": users, "counts": counts}


def _days(line: SentenceLine) -> int:
    return line.years * 365 + line.months * 30 + line.days


def test_the_prison_and_its_cpip(seeded: dict[str, Any], settings: Any) -> None:
    prison = seeded["orgs"]["prison"]
    antenna = seeded["orgs"]["sequedin"]
    assert prison.kind == OrganisationKind.ETABLISSEMENT and "fictif" in prison.name
    assert (prison.parent, prison.spip) == (antenna, seeded["orgs"]["spip59"])
    assert antenna.site_type == SiteType.MILIEU_FERME
    cpip = User.objects.get(username="cpip.mf.demo")
    assert (cpip.role, cpip.organisation) == ("cpip", antenna)
    assert cpip.check_password(settings.DEMO_PASSWORD)
    assert "cpip.mf.demo" in accounts.demo_accounts_text(settings.DEMO_PASSWORD)
    referents = list(Person.objects.filter(ecrous__isnull=False).values_list("referent", flat=True))
    assert len(referents) == demo.TOTAL == seeded["counts"]["detenus"] >= 110
    mine = referents.count(cpip.pk)
    assert mine > 0.8 * len(referents)
    others = {r for r in referents if r != cpip.pk}
    assert others and User.objects.get(pk=others.pop()).organisation == antenna


def test_the_demo_is_idempotent(seeded: dict[str, Any]) -> None:
    models = (Person, Ecrou, SentenceLine, ReductionDecision, PriorCustody, Measure, User)
    before = [m.objects.count() for m in models]
    again = seed_milieu_ferme(seeded["orgs"], seeded["users"])
    assert again == {"detenus": 0}
    assert [m.objects.count() for m in models] == before


def test_the_detainees_cover_every_case(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    ecrous = list(Ecrou.objects.select_related("person").prefetch_related("sentences"))
    totals = [sum(_days(line) for line in e.sentences.all()) for e in ecrous]
    assert sum(t < 183 for t in totals) >= 8  # under 6 months
    assert sum(183 <= t <= 365 for t in totals) >= 10  # 6 months to 1 year
    assert sum(t == 2 * 365 for t in totals) >= 12
    assert sum(t == 5 * 365 for t in totals) >= 10
    assert sum(t >= 10 * 365 for t in totals) >= 8
    assert sum(e.start < date(2023, 1, 1) for e in ecrous) >= 10  # former credit regime
    lines = list(SentenceLine.objects.all())
    for flag in SentenceFlag.values:  # each 720 III exclusion (and the SSJ incurred)
        assert any(flag in line.flags for line in lines), flag
    assert DisciplinarySanction.objects.filter(violence=True).count() >= 2
    seventy = date(today.year - 70, today.month, min(today.day, 28))
    assert sum(e.person.birth_date < seventy for e in ecrous) >= 4
    assert sum(e.parent_enfant_moins_10 for e in ecrous) >= 6
    assert sum(line.surete_years > 0 for line in lines) >= 12
    assert sum(line.recidive for line in lines) >= 6
    assert sum(e.sentences.count() > 1 for e in ecrous) >= 10  # successive sentences
    assert PriorCustody.objects.count() >= 8
    assert ReductionDecision.objects.filter(withdrawn=False, kind="rp").exists()
    assert ReductionDecision.objects.filter(withdrawn=True).exists()
    assert ReductionDecision.objects.filter(kind="retrait_crp").exists()
    # Written by bulk_create, flagged all the same (Person.ever_detained).
    assert all(e.person.ever_detained for e in ecrous)


def test_recent_releases_and_sorties_seches(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    released = list(Ecrou.objects.filter(released_on__isnull=False).select_related("person"))
    kinds = [e.release_kind for e in released]
    assert kinds.count(ReleaseKind.LC) == 3 and kinds.count(ReleaseKind.LSC) == 3
    assert kinds.count(ReleaseKind.FIN_DE_PEINE) == 8
    assert all(today - timedelta(days=45) <= e.released_on <= today for e in released)  # type: ignore[operator]
    followed = [
        e
        for e in released
        if Measure.objects.filter(person=e.person, start_date__gte=e.released_on).exists()
    ]
    seches = [e for e in released if e not in followed]
    assert len(seches) == 4
    assert all(e.release_kind == ReleaseKind.FIN_DE_PEINE and not e.hebergement for e in seches)
    # Those in custody: an open incarceration period, housing "en détention", a measure.
    held = Ecrou.objects.filter(released_on__isnull=True)
    assert IncarcerationPeriod.objects.filter(end__isnull=True, ecrou__in=held).count() == len(held)
    assert not Person.objects.filter(ecrous__in=held).exclude(housing=Housing.DETENTION).exists()
    assert Measure.objects.filter(
        person__ecrous__in=held, measure_type__code="suivi_milieu_ferme", status="en_cours"
    ).count() == len(held)


def test_readme_documents_the_milieu_ferme_account_and_the_import(settings: Any) -> None:
    from pathlib import Path

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert f"`{accounts.MF_CPIP.username}`" in readme
    assert "import_detention" in readme and "Sequedin-les-Aulnes" in readme

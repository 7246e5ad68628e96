"""Demo of the adjustments app, run after the detention demo: a few marks on the SPIP of
dpip.demo's detainees, one CAP two weeks ahead with its list and one validated avis. Works on
whatever detainees exist (none: nothing); idempotent (nothing when dpip.demo has a CAP)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from parcours.accounts.models import Organisation, User
from parcours.detention.models import Ecrou
from parcours.people.models import Person
from parcours.reports import services as report_services
from parcours.rules import reports as report_rules
from parcours.rules.adjustments import Adjustment, ItemKind, MarkStatus

from . import services
from .models import Commission
from .selectors import open_ecrou_of, person_opportunities

NOTHING = {"adjustment_marks": 0, "commissions": 0}


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    dpip = users.get("dpip.demo")
    if dpip is None or dpip.spip_id is None:
        return dict(NOTHING)
    if Commission.objects.filter(created_by=dpip).exists():
        return dict(NOTHING)
    open_ecrou = Ecrou.objects.filter(person_id=OuterRef("pk"), released_on__isnull=True)
    detainees = list(
        Person.objects.filter(spip_id=dpip.spip_id, referent__isnull=False)
        .filter(Exists(open_ecrou))
        .select_related("referent", "spip")
        .order_by("pk")[:40]
    )
    today = timezone.localdate()
    marks = 0
    proposed: list[tuple[Person, str]] = []
    refused = False
    for person in detainees:
        referent = person.referent
        assert referent is not None
        listed = [a for a in person_opportunities(person, today).assessments if a.listed]
        if not listed:
            continue
        first = listed[0].adjustment
        if len(proposed) < 2:
            services.set_mark(referent, person, adjustment=first, status=MarkStatus.PROPOSE)
            proposed.append((person, first))
        elif not refused and any(a.adjustment == Adjustment.LSC for a in listed):
            services.set_mark(
                referent,
                person,
                adjustment=Adjustment.LSC,
                status=MarkStatus.ECARTE,
                reason="La personne a fait savoir qu'elle refuse la libération sous contrainte.",
                refusal=True,
            )
            refused = True
        else:
            services.set_mark(referent, person, adjustment=first, status=MarkStatus.PREPARATION)
        marks += 1
        if marks >= 6:
            break
    if not proposed:
        return {"adjustment_marks": marks, "commissions": 0}
    person = proposed[0][0]
    ecrou = open_ecrou_of(person)
    assert ecrou is not None
    commission = services.create_commission(
        dpip,
        establishment=ecrou.establishment,
        held_on=today + timedelta(days=14),
        members="Juge de l'application des peines, procureur de la République, chef "
        "d'établissement, représentant du SPIP",
    )
    for other, other_adjustment in proposed:
        services.add_to_commission(
            dpip, commission, person=other, kind=ItemKind.AMENAGEMENT, adjustment=other_adjustment
        )
    item = commission.items.order_by("rank").first()
    assert item is not None and person.referent is not None
    report = services.prepare_avis(person.referent, item)
    report.person = person
    report = report_services.apply_action(
        acting_user=person.referent, report=report, action=report_rules.SOUMETTRE
    )
    report.person = person
    report_services.apply_action(acting_user=dpip, report=report, action=report_rules.VALIDER)
    return {"adjustment_marks": marks, "commissions": 1}

"""Builders of detainees for the adjustments tests (synthetic data only): an establishment of
the cast's SPIP, an open écrou with its sentences and a stored SentenceSituation (written here
directly, whatever the engine's state on this branch)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.detention.models import Ecrou, SentenceLine, SentenceSituation
from parcours.people.models import Person

from ..factories import OrganisationFactory, PersonFactory


def establishment(spip: Organisation, name: str = "Centre pénitentiaire de test") -> Organisation:
    found = Organisation.objects.filter(kind=OrganisationKind.ETABLISSEMENT, spip=spip).first()
    return found or OrganisationFactory(
        kind=OrganisationKind.ETABLISSEMENT, name=name, parent=spip, spip=spip
    )


def imprison(
    person: Person,
    *,
    start: date = date(2026, 1, 1),
    years: int = 3,
    months: int = 0,
    nature: str = "delit",
    flags: list[str] | None = None,
    hebergement: bool = False,
    parent: bool = False,
    situation: dict[str, Any] | None = None,
    number: str | None = None,
) -> Ecrou:
    """An open écrou of `person` with one sentence and its situation. `situation`: the columns
    (lc_from, examination_on, lsc_on…) and `end_exclusive`/`basis` for the result."""
    ecrou = Ecrou.objects.create(
        person=person,
        establishment=establishment(person.spip),
        number=number or f"{person.pk:06d}",
        start=start,
        hebergement=hebergement,
        parent_enfant_moins_10=parent,
    )
    SentenceLine.objects.create(
        ecrou=ecrou,
        rank=1,
        years=years,
        months=months,
        nature=nature,
        flags=flags or [],
        definitive_on=start,
    )
    values = dict(situation or {})
    end = values.pop("end_exclusive", None)
    basis = values.pop("basis", "720")
    result: dict[str, Any] = {"end_exclusive": end.isoformat() if end else None}
    if values.get("examination_on"):
        result["examination"] = {"basis": basis, "date": values["examination_on"].isoformat()}
    result["explanation"] = [
        {"text": "Durée de la peine : trois ans.", "article": "CPP art. 716-4"}
    ]
    SentenceSituation.objects.create(
        ecrou=ecrou,
        person=person,
        as_of=timezone.localdate(),
        computed_at=timezone.now(),
        fingerprint="test",
        regime="2023",
        result=result,
        **values,
    )
    return ecrou


# A three-year sentence from 01/01/2026: LC from 01/04/2027 (within 90 days of 16/03/2027),
# examination (720) on 01/01/2028, end 01/01/2029.
THREE_YEARS = {
    "lc_from": date(2027, 4, 1),
    "examination_on": date(2028, 1, 1),
    "release_date": date(2028, 12, 29),
    "end_exclusive": date(2029, 1, 1),
}


def detainee(cast: Any, referent: Any = None, **fields: Any) -> Person:
    person = PersonFactory(
        spip=cast.spip,
        antenna=cast.antenna,
        referent=referent or cast.cpip,
        last_name=fields.pop("last_name", "Lemaire"),
        first_names="Paul",
    )
    imprison(person, **{"situation": THREE_YEARS, **fields})
    return person


def matrix_kwargs(name: str, cast: Any, person: Person) -> dict[str, Any]:
    """The identifiers of the adjustments URLs for the access matrix: the cast person detained,
    an "écarté" mark of theirs, a CAP of the SPIP held today with them on its list."""
    from parcours.adjustments import services
    from parcours.adjustments.models import AdjustmentMark, Commission, CommissionItem

    if name == "adjustments:person":
        return {"person_id": person.public_id}
    if name not in ("adjustments:review", "adjustments:commission") and name not in (
        "adjustments:item",
        "adjustments:decision",
    ):
        return {}
    if not Ecrou.objects.filter(person=cast.person).exists():
        imprison(cast.person, situation=THREE_YEARS)
    if name == "adjustments:review":
        mark = AdjustmentMark.objects.filter(person=cast.person, adjustment="lsc").first()
        mark = mark or services.set_mark(
            cast.cpip, cast.person, adjustment="lsc", status="ecarte", reason="Refus", refusal=True
        )
        return {"public_id": mark.public_id}
    commission = Commission.objects.filter(spip=cast.spip).first()
    commission = commission or services.create_commission(
        cast.dpip, establishment=establishment(cast.spip), held_on=timezone.localdate()
    )
    if name == "adjustments:commission":
        return {"public_id": commission.public_id}
    item = CommissionItem.objects.filter(commission=commission).first()
    item = item or services.add_to_commission(
        cast.dpip, commission, person=cast.person, kind="requete"
    )
    return {"public_id": item.public_id}

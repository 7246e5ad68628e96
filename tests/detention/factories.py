"""Builders of detention records for tests (synthetic data only), and a stand-in for the
sentence-date engine (rules.sentences.compute) while it is being written: `fake_compute` answers
a plausible SentenceDates from the case, with explanation steps, so that the adapter, the
panels and the nightly are tested on their own behaviour."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.detention.models import Ecrou, ReductionDecision, SentenceLine
from parcours.rules.dates import add_delay
from parcours.rules.sentences import (
    Examination,
    InputError,
    PleinDroit,
    SentenceCase,
    SentenceDates,
    Step,
    Thresholds,
)

LILLE = "Centre pénitentiaire de Lille-Sequedin"


def prison(spip: Organisation, name: str = "") -> Organisation:
    """An establishment of `spip` (attached to the SPIP itself: enough for the tests); the
    Nord's is Lille-Sequedin."""
    name = name or (LILLE if spip.name == "SPIP du Nord" else f"Établissement — {spip.name}")
    found = Organisation.objects.filter(
        kind=OrganisationKind.ETABLISSEMENT, name=name, spip=spip
    ).first()
    return found or Organisation.objects.create(
        kind=OrganisationKind.ETABLISSEMENT, name=name, parent=spip, spip=spip
    )


def first_ecrou(person: Any) -> Ecrou:
    """The person's open écrou with one sentence (created on first use)."""
    found = Ecrou.objects.filter(person=person).order_by("pk").first()
    if found is not None:
        return found
    ecrou = Ecrou.objects.create(
        person=person, establishment=prison(person.spip), number="12345", start=date(2026, 9, 1)
    )
    SentenceLine.objects.create(ecrou=ecrou, rank=1, years=2, definitive_on=date(2026, 10, 1))
    return ecrou


def detention_url_kwargs(name: str, person: Any) -> dict[str, Any]:
    """The identifiers of the detention URLs (tests/test_access_matrix.py)."""
    if name == "detention:ecrou_create":
        return {"person_id": person.public_id}
    if name in ("detention:ecrou_edit", "detention:ecrou_release"):
        return {"public_id": first_ecrou(person).public_id}
    if name == "detention:sentence_create":
        return {"ecrou_id": first_ecrou(person).public_id}
    if name == "detention:entry_create":
        return {"ecrou_id": first_ecrou(person).public_id, "kind": "reduction"}
    if name in ("detention:sentence_edit", "detention:sentence_delete"):
        return {"public_id": first_sentence(person).public_id}
    if name in ("detention:entry_edit", "detention:entry_delete"):
        return {"kind": "reduction", "public_id": first_reduction(person).public_id}
    return {}


def first_reduction(person: Any) -> ReductionDecision:
    """A reduction decision of the person's écrou (created on first use: 20 days granted a
    month after the écrou)."""
    ecrou = first_ecrou(person)
    found = ecrou.reductions.order_by("pk").first()
    return found or ReductionDecision.objects.create(
        ecrou=ecrou, granted_on=ecrou.start + timedelta(days=30), days=20
    )


def first_sentence(person: Any) -> SentenceLine:
    """The first sentence of the person's écrou (created when another app's fixture made the
    écrou without one)."""
    ecrou = first_ecrou(person)
    found = ecrou.sentences.order_by("rank").first()
    if found is not None:
        return found
    return SentenceLine.objects.create(
        ecrou=ecrou, rank=1, years=2, definitive_on=ecrou.start + timedelta(days=30)
    )


def fake_compute(case: SentenceCase) -> SentenceDates:
    """A stand-in engine: the lengths added from the écrou, minus custody and reductions."""
    if not case.sentences:
        raise InputError("sentences", "au moins une peine est requise")
    end = case.ecrou_date
    for sentence in case.sentences:
        length = sentence.length
        end = add_delay(end, months=length.years * 12 + length.months, days=length.days)
    cut = case.pre_trial_days
    for r in case.reductions:
        if case.as_of is None or r.granted_on <= case.as_of:
            sign = -1 if r.withdrawn else 1
            cut += sign * (r.days + 30 * r.months)
    end -= timedelta(days=cut)
    half = case.ecrou_date + (end - case.ecrou_date) / 2
    excluded = (
        ("Sanction pour violences (CPP art. 720 III)",)
        if (case.sanction_disciplinaire_violence)
        else ()
    )
    return SentenceDates(
        regime="2023",
        end_exclusive=end,
        end_inclusive=end - timedelta(days=1),
        release_date=end - timedelta(days=1),
        lc_from=half,
        lc_parental_from=half if case.parent_enfant_moins_10 else None,
        examination=Examination("720", end - timedelta(days=90)),
        lsc_de_plein_droit=PleinDroit(
            applies=not excluded, date=end - timedelta(days=90), excluded_by=excluded
        ),
        thresholds=Thresholds(end - timedelta(days=365), end - timedelta(days=182)),
        explanation=(
            Step("Durée totale des peines ajoutée à la date d'écrou.", "CPP art. 716-1"),
            Step(f"Détention à imputer : {case.pre_trial_days} jour(s).", "CPP art. 716-4"),
        ),
    )

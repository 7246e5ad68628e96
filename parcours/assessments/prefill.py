"""What the file already knows, offered as suggestions on a new assessment.

Each question of a questionnaire may name a `prefill` key; `suggestions(person, today)` reads
the file once (the person, the current obligations, the manquements, 12 months of appointments,
the last digital self-assessment) and returns, per key, a `Suggestion`: the value proposed (or
None) and the French words that say where it comes from. The new assessment stores the values as
answers marked "à confirmer" until the CPIP confirms or changes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from parcours.agenda.models import Appointment
from parcours.breaches.models import Breach
from parcours.measures.models import MeasureStatus
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.rules.agenda import attendance
from parcours.rules.assessments import ALONE, HELPED, NOT_AT_ALL
from parcours.rules.vocabulary import AppointmentStatus, Housing

from .models import DigitalSelfAssessment

CURRENT = (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)
# Obligation types (CP 132-45) that say something about a domain.
WORK = "cp_132_45_1"
CARE = ("cp_132_45_3", "cp_132_45_22")
COMPENSATION = ("cp_132_45_5", "cp_132_45_6")


@dataclass(frozen=True)
class Suggestion:
    value: Any
    source: str


def suggestions(person: Person, today: date) -> dict[str, Suggestion]:
    found: dict[str, Suggestion] = {}
    if person.housing not in ("", Housing.INCONNU):
        found["housing"] = Suggestion(
            person.housing, f"fiche de la personne : {person.get_housing_display()}"
        )
    codes = {
        code: label
        for code, label in Obligation.objects.filter(
            measure__person=person, measure__status__in=CURRENT
        ).values_list("obligation_type__code", "obligation_type__label")
    }
    if WORK in codes:
        found["employment_obligation"] = Suggestion(
            None,
            "obligation en cours : exercer une activité ou suivre une formation (CP 132-45 1°)",
        )
    care = [c for c in CARE if c in codes]
    found["care_obligation"] = Suggestion(
        "oui" if care else "non",
        "obligation de soins en cours" if care else "aucune obligation de soins en cours",
    )
    paying = [c for c in COMPENSATION if c in codes]
    if paying:
        found["compensation_obligation"] = Suggestion("oui", "obligation d'indemniser en cours")
    breaches = Breach.objects.filter(person=person).count()
    found["breaches"] = Suggestion(breaches, f"{breaches} manquement(s) enregistré(s)")
    since = today - timedelta(days=365)
    statuses = Appointment.objects.filter(
        person=person, starts_at__date__gte=since, starts_at__date__lt=today
    ).values_list("status", flat=True)
    counts = attendance(AppointmentStatus(s) for s in statuses)
    if counts.past:
        text = (
            f"{counts.honoured} honoré(s), {counts.absent} absence(s) non excusée(s), "
            f"{counts.excused} excusé(s) sur 12 mois"
        )
        found["attendance"] = Suggestion(text, "agenda des 12 derniers mois")
    digital = (
        DigitalSelfAssessment.objects.filter(person=person)
        .order_by("-filled_on", "-pk")
        .values_list("answers", "filled_on")
        .first()
    )
    if digital is not None:
        answers, filled_on = digital
        given = set(answers.values())
        level = NOT_AT_ALL if NOT_AT_ALL in given else HELPED if HELPED in given else ALONE
        found["digital_self_assessment"] = Suggestion(
            level, f"autoévaluation numérique du {filled_on:%d/%m/%Y}"
        )
    return found

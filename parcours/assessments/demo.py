"""Demo assessments (synthetic): for about a third of the Lille antenna's caseload, an initial
assessment — most finished within the delay, some late, some still in draft past their due date —
a review to compare with for a few, and a few digital self-assessments transcribed from paper.
The other people of the caseload have none: those whose measure started more than 90 days ago
show as overdue in "Évaluations à faire" and in the indicator."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import Organisation, User
from parcours.measures.models import Measure, MeasureStatus
from parcours.people.models import Person
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import AssessmentKind, DigitalChannel, NeedLevel

from . import services
from .definitions import EVALUATION, version_in_force
from .models import Assessment

SEED = 2026
SHARE = 3  # one person in three
DIGITAL = 6
CURRENT = (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)
VIEWS = [
    "Je pense que ça va aller, j'ai des projets.",
    "C'est compliqué en ce moment, j'ai besoin d'aide.",
    "Je ne vois pas de problème de ce côté-là.",
    "Ma famille me soutient, ça m'aide beaucoup.",
    "Je veux m'en sortir mais je ne sais pas par où commencer.",
]
REASONS = {
    "logement": "Hébergement provisoire chez un tiers, sans solution au-delà de deux mois.",
    "emploi": "Sans activité depuis plus d'un an, pas d'inscription à France Travail.",
    "ressources": "Dettes locatives et absence de ressources stables.",
    "sante": "Consommation d'alcool quotidienne rapportée, pas de suivi en cours.",
    "famille": "Rupture récente, contacts difficiles avec les enfants.",
    "reseau": "Fréquentations liées aux faits, isolement par ailleurs.",
    "attitudes": "Minimise les faits, deux absences non excusées.",
    "numerique": "Ne sait pas faire ses démarches en ligne.",
}
STRENGTHS = [
    "Motivation exprimée pour une formation.",
    "Soutien d'une sœur, présente aux rendez-vous.",
    "Expérience professionnelle dans le bâtiment.",
    "Respect des rendez-vous depuis le début de la mesure.",
]


def _judgements(rng: random.Random, worse: dict[str, str] | None = None) -> dict[str, Any]:
    judged: dict[str, Any] = {}
    for code in REASONS:
        need = rng.choice(
            [NeedLevel.AUCUN, NeedLevel.MODERE, NeedLevel.MODERE, NeedLevel.IMPORTANT]
        )
        if worse and code in worse:
            need = NeedLevel(worse[code])
        judged[code] = {
            "need": need,
            "person_view": rng.choice(VIEWS),
            "strengths": rng.choice(STRENGTHS) if rng.random() < 0.4 else "",
            "reasons": REASONS[code] if need == NeedLevel.IMPORTANT else "",
        }
    judged["forces"] = {"strengths": rng.choice(STRENGTHS), "person_view": rng.choice(VIEWS)}
    return judged


def _improved(judged: dict[str, Any]) -> dict[str, Any]:
    """A review a few months later: most important needs have eased, one has worsened."""
    after = {code: dict(values) for code, values in judged.items()}
    for values in after.values():
        if values.get("need") == NeedLevel.IMPORTANT:
            values["need"], values["reasons"] = NeedLevel.MODERE, ""
    after["sante"] = {
        **after["sante"],
        "need": NeedLevel.IMPORTANT,
        "reasons": "Reprise des consommations signalée par la personne.",
    }
    return after


def _fill_and_finish(
    assessment: Assessment, judged: dict[str, Any], author: User, on: date | None
) -> Assessment:
    saved = services.save_assessment(
        acting_user=author,
        assessment=assessment,
        answers={**assessment.answers, "emploi.diplome": "CAP"},
        judgements=judged,
        confirmed=assessment.unconfirmed,
        expected_version=assessment.version,
    )
    if on is None:
        return saved
    return services.finish_assessment(
        acting_user=author, assessment=saved, expected_version=saved.version, today=on
    )


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Idempotent: nothing is created when the Lille antenna's people already have assessments."""
    antenna = orgs.get("lille")
    if antenna is None or Assessment.objects.filter(person__antenna=antenna).exists():
        return {"assessments": 0, "digital_self_assessments": 0}
    rng = random.Random(SEED)
    today = timezone.localdate()
    effective = version_in_force(EVALUATION, today).effective_from
    measures = list(
        Measure.objects.filter(
            person__antenna=antenna, person__referent__isnull=False, status__in=CURRENT
        )
        .exclude(measure_type__code__in=rules.WITHOUT_INITIAL_ASSESSMENT)
        .select_related("person__referent", "measure_type")
        .order_by("person_id", "pk")
    )
    first_of: dict[int, Measure] = {}
    for measure in measures:
        first_of.setdefault(measure.person_id, measure)
    chosen = list(first_of.values())[::SHARE]
    created = 0
    with transaction.atomic():
        for index, measure in enumerate(chosen):
            person: Person = measure.person
            author = person.referent
            assert author is not None
            start = measure.start_date or measure.judgment_date
            due = rules.initial_due_on(start)
            kind_of_case = index % 6
            assessment = services.start_assessment(
                acting_user=author, person=person, kind=AssessmentKind.INITIALE, measure=measure
            )
            created += 1
            judged = _judgements(rng)
            if kind_of_case == 5 or due > today:
                _fill_and_finish(assessment, judged, author, None)  # a draft in progress
                continue
            late = kind_of_case == 4
            done_on = (
                due + timedelta(days=rng.randint(5, 40))
                if late
                else due - timedelta(days=rng.randint(3, 60))
            )
            done_on = min(max(done_on, start, effective), today)
            _fill_and_finish(assessment, judged, author, done_on)
            if kind_of_case in (0, 2) and done_on + timedelta(days=120) <= today:
                review = services.start_assessment(
                    acting_user=author,
                    person=person,
                    kind=AssessmentKind.REEXAMEN,
                    measure=measure,
                )
                created += 1
                _fill_and_finish(review, _improved(judged), author, done_on + timedelta(days=120))
        digital = 0
        for measure in chosen[:DIGITAL]:
            answers = {
                "numerique.acces": rng.choice(["oui", "oui", "non"]),
                "numerique.telephone": rng.choice(["seul", "aide"]),
                "numerique.courriel": rng.choice(["seul", "aide", "non"]),
                "numerique.demarches": rng.choice(["aide", "non"]),
                "numerique.emploi": rng.choice(["seul", "aide", "non"]),
                "numerique.souhait": rng.choice(["oui", "non"]),
            }
            services.record_digital_self_assessment(
                measure.person,
                answers,
                DigitalChannel.PAPIER,
                measure.person.referent,
                filled_on=today - timedelta(days=rng.randint(1, 60)),
            )
            digital += 1
    return {"assessments": created, "digital_self_assessments": digital}

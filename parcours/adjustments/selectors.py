"""Reads of the adjustments app: the detainees in the user's scope with their opportunities
(rules.adjustments over the stored SentenceSituation), the marks to review, the commissions.

Every list starts from `access.detainees_for(user)` (the user's scope) or
`access.visible_commissions(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from parcours.detention.models import Ecrou, ReductionDecision, SentenceSituation
from parcours.people.models import Person
from parcours.rules import adjustments as rules
from parcours.rules.adjustments import Assessment, MarkStatus, Review
from parcours.rules.dates import add_months

from .access import detainees_for, visible_commissions
from .models import AdjustmentMark, Commission, CommissionItem

if TYPE_CHECKING:
    from parcours.accounts.models import User


def _date(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def open_ecrou_of(person: Person) -> Ecrou | None:
    """The person's open écrou, from the prefetched `open_ecrous` when there."""
    cached = getattr(person, "open_ecrous", None)
    if cached is not None:
        return cached[0] if cached else None
    return (
        Ecrou.objects.filter(person=person, released_on__isnull=True)
        .select_related("establishment")
        .order_by("-start", "-pk")
        .first()
    )


def facts_for(
    person: Person, ecrou: Ecrou, marks: list[AdjustmentMark], today: date
) -> rules.Facts:
    """The assessment's facts from the record (sentences, sanctions, situation, marks); reads
    the prefetched relations of `open_ecrous` (see `with_detention`)."""
    situation: SentenceSituation | None = getattr(ecrou, "situation", None)
    result = (
        situation.result if situation is not None and isinstance(situation.result, dict) else {}
    )
    sentences = list(ecrou.sentences.all())
    years = sum(s.years for s in sentences)
    months = sum(s.months for s in sentences)
    days = sum(s.days for s in sentences)
    flags: set[str] = set()
    for s in sentences:
        flags.update(str(f) for f in (s.flags or []))
    # The engine's end of the sûreté (716-4 al. 3 deduction applied); without an answer of the
    # engine, a conservative one: from the écrou's start, no custody deducted (ADR 0016).
    surete_until = _date(result.get("surete_until"))
    for s in sentences if "surete_until" not in result else ():
        if s.surete_years or s.surete_months or s.surete_days:
            end = add_months(ecrou.start, 12 * s.surete_years + s.surete_months)
            end = date.fromordinal(end.toordinal() + s.surete_days)
            surete_until = max(surete_until, end) if surete_until else end
    examination = _dict(result.get("examination"))
    thresholds = _dict(result.get("thresholds"))
    has_situation = situation is not None and not situation.error
    return rules.Facts(
        today=today,
        birth_date=person.birth_date,
        ecrou_start=ecrou.start,
        end_exclusive=_date(result.get("end_exclusive")) if has_situation else None,
        lc_from=situation.lc_from if has_situation and situation else None,
        lc_parental_from=situation.lc_parental_from if has_situation and situation else None,
        examination_basis=str(examination.get("basis")) if examination else None,
        examination_on=situation.examination_on if has_situation and situation else None,
        lsc_on=situation.lsc_on if has_situation and situation else None,
        two_years_on=_date(thresholds.get("two_years")) if has_situation else None,
        total_at_most_two_years=bool(sentences) and rules.at_most(years, months, days, 2),
        total_at_most_four_years=bool(sentences) and rules.at_most(years, months, days, 4),
        natures=frozenset(s.nature for s in sentences),
        flags=frozenset(flags),
        sanction_violence=any(s.violence for s in ecrou.sanctions.all()),
        hebergement=ecrou.hebergement,
        parent_enfant_moins_10=ecrou.parent_enfant_moins_10,
        surete_until=surete_until,
        refused=frozenset(m.adjustment for m in marks if m.refusal),
    )


def with_detention(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with their open écrou (`open_ecrous`: its situation, sentences, sanctions,
    establishment) and their marks (`marks`), in a constant number of queries."""
    ecrous = (
        Ecrou.objects.filter(released_on__isnull=True)
        .select_related("establishment", "situation")
        .prefetch_related("sentences", "sanctions")
        .order_by("-start", "-pk")
    )
    return people.prefetch_related(
        Prefetch("ecrous", queryset=ecrous, to_attr="open_ecrous"),
        Prefetch(
            "adjustment_marks",
            queryset=AdjustmentMark.objects.select_related("marked_by"),
            to_attr="marks",
        ),
    ).select_related("referent")


@dataclass(frozen=True)
class Opportunity:
    person: Person
    ecrou: Ecrou
    assessment: Assessment
    mark: AdjustmentMark | None

    @property
    def on(self) -> date | None:
        return self.assessment.on


@dataclass(frozen=True)
class Filters:
    adjustment: str = ""
    eligibility: str = ""
    referent: int | None = None
    establishment: int | None = None
    hide_dismissed: bool = True
    descending: bool = False


def opportunities(user: User, filters: Filters, today: date) -> list[Opportunity]:
    """The listed opportunities (rules.adjustments.LISTED) of the user's detainees, sorted by
    date (then name)."""
    people = detainees_for(user)
    if filters.referent:
        people = people.filter(referent_id=filters.referent)
    if filters.establishment:
        people = people.filter(
            ecrous__released_on__isnull=True, ecrous__establishment_id=filters.establishment
        )
    rows: list[Opportunity] = []
    for person in with_detention(people.distinct()):
        ecrou = open_ecrou_of(person)
        if ecrou is None:
            continue
        marks: list[AdjustmentMark] = getattr(person, "marks", [])
        by_adjustment = {m.adjustment: m for m in marks}
        for assessment in rules.assess(facts_for(person, ecrou, marks, today)):
            if not assessment.listed:
                continue
            if filters.adjustment and assessment.adjustment != filters.adjustment:
                continue
            if filters.eligibility and assessment.eligibility != filters.eligibility:
                continue
            mark = by_adjustment.get(assessment.adjustment)
            if filters.hide_dismissed and mark is not None and mark.status == MarkStatus.ECARTE:
                continue
            rows.append(Opportunity(person, ecrou, assessment, mark))
    rows.sort(
        key=lambda o: (o.on or date.max, o.person.last_name, o.person.first_names, o.person.pk),
        reverse=filters.descending,
    )
    return rows


@dataclass(frozen=True)
class PersonOpportunities:
    ecrou: Ecrou | None
    assessments: list[Assessment]
    marks: dict[str, AdjustmentMark]


def person_opportunities(person: Person, today: date) -> PersonOpportunities:
    """Every adjustment's assessment for one opened file (the person's page)."""
    loaded = with_detention(Person.objects.filter(pk=person.pk)).get()
    ecrou = open_ecrou_of(loaded)
    marks: list[AdjustmentMark] = getattr(loaded, "marks", [])
    if ecrou is None:
        return PersonOpportunities(None, [], {m.adjustment: m for m in marks})
    assessments = rules.assess(facts_for(loaded, ecrou, marks, today))
    return PersonOpportunities(ecrou, assessments, {m.adjustment: m for m in marks})


def detainee(user: User, public_id: UUID | str) -> Person | None:
    """One of the user's detainees by public id, None otherwise."""
    return detainees_for(user).filter(public_id=public_id).first()


def marks_to_review(user: User) -> QuerySet[AdjustmentMark]:
    """The "écarté" marks of the user's detainees awaiting the encadrement's review."""
    return (
        AdjustmentMark.objects.filter(
            person__in=detainees_for(user), status=MarkStatus.ECARTE, review=Review.A_REVOIR
        )
        .select_related("person", "marked_by")
        .order_by("updated_at", "pk")
    )


def commissions(user: User) -> QuerySet[Commission]:
    return visible_commissions(user).select_related("establishment", "created_by")


def commission_items(commission: Commission) -> list[CommissionItem]:
    return list(
        commission.items.select_related("person", "avis", "decided_by").order_by("rank", "pk")
    )


@dataclass(frozen=True)
class Candidate:
    person: Person
    kind: str
    adjustment: str
    why: str

    @property
    def kind_label(self) -> str:
        return rules.ItemKind(self.kind).label

    @property
    def adjustment_label(self) -> str:
        return rules.Adjustment(self.adjustment).label if self.adjustment else ""


def candidates(user: User, commission: Commission) -> list[Candidate]:
    """Who may be put on the commission's list and is not yet: the persons "proposé à la CAP"
    in its establishment, the 720 examinations due by its date, the reductions to examine
    (rules.reduction_due)."""
    people = detainees_for(user).filter(
        ecrous__released_on__isnull=True, ecrous__establishment_id=commission.establishment_id
    )
    listed = {
        (i.person_id, i.kind, i.adjustment)
        for i in commission.items.only("person_id", "kind", "adjustment")
    }
    # Already on another CAP of the SPIP, pending or decided (an "ajourné" comes back); a
    # reduction examined in the twelve months before this CAP does not come back either.
    elsewhere = (
        CommissionItem.objects.filter(commission__spip_id=commission.spip_id, person__in=people)
        .exclude(commission=commission)
        .exclude(decision=rules.Decision.AJOURNE)
        .values_list("person_id", "kind", "adjustment", "commission__held_on")
    )
    year_before = add_months(commission.held_on, -12)
    for person_id, kind, adjustment, held_on in elsewhere:
        if kind != rules.ItemKind.REDUCTION or held_on > year_before:
            listed.add((person_id, kind, adjustment))
    found: list[Candidate] = []
    proposed = AdjustmentMark.objects.filter(
        person__in=people, status=MarkStatus.PROPOSE
    ).select_related("person")
    for mark in proposed.order_by("person__last_name", "person__first_names", "adjustment"):
        key = (mark.person_id, rules.ItemKind.AMENAGEMENT.value, mark.adjustment)
        if key not in listed:
            found.append(
                Candidate(mark.person, key[1], mark.adjustment, "Proposé à la CAP par le CPIP")
            )
    exams = SentenceSituation.objects.filter(
        person__in=people, examination_on__lte=commission.held_on, error=""
    ).select_related("person", "ecrou")
    for situation in exams.order_by("examination_on", "pk"):
        result = situation.result if isinstance(situation.result, dict) else {}
        exam = _dict(result.get("examination"))
        if not exam or exam.get("basis") != "720" or situation.ecrou.released_on is not None:
            continue
        key = (situation.person_id, rules.ItemKind.EXAMEN_720.value, "")
        if key not in listed:
            when = situation.examination_on
            why = f"Examen dû le {when:%d/%m/%Y}" if when else "Examen dû"
            found.append(Candidate(situation.person, key[1], "", why))
    last = {
        ecrou_id: granted
        for ecrou_id, granted in ReductionDecision.objects.filter(
            ecrou__person__in=people, ecrou__released_on__isnull=True, withdrawn=False
        )
        .order_by("granted_on")
        .values_list("ecrou_id", "granted_on")
    }
    ecrous = Ecrou.objects.filter(
        person__in=people,
        released_on__isnull=True,
        establishment_id=commission.establishment_id,
    ).select_related("person")
    for ecrou in ecrous.order_by("person__last_name", "person__first_names", "pk"):
        if not rules.reduction_due(ecrou.start, last.get(ecrou.pk), commission.held_on):
            continue
        key = (ecrou.person_id, rules.ItemKind.REDUCTION.value, "")
        if key not in listed:
            found.append(Candidate(ecrou.person, key[1], "", "Un an de détention sans décision"))
    return found

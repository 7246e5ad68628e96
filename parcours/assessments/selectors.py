"""Reads of assessments: a person's list and history, the comparison with the previous one,
the "Évaluations à faire" list, the "délai d'évaluation" indicator, and the two selectors the
reports and plans will use (`latest_completed`, `summary`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from parcours.measures.models import Measure, MeasureStatus
from parcours.people.models import Person
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import AssessmentDomain, AssessmentKind, AssessmentStatus, NeedLevel

from .access import SERVICE_ROLES, visible_assessments
from .models import Assessment, DigitalSelfAssessment

if TYPE_CHECKING:
    from parcours.accounts.models import User

CURRENT = (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)


def person_assessments(person: Person) -> list[Assessment]:
    return list(
        Assessment.objects.filter(person=person)
        .select_related("measure__measure_type", "author", "questionnaire")
        .order_by("-created_at", "-pk")
    )


def person_digital(person: Person) -> list[DigitalSelfAssessment]:
    return list(
        DigitalSelfAssessment.objects.filter(person=person)
        .select_related("recorded_by")
        .order_by("-filled_on", "-pk")
    )


def latest_completed(person: Person) -> Assessment | None:
    """The person's last finished assessment (any kind), for the report and the plan."""
    return (
        Assessment.objects.filter(person=person, status=AssessmentStatus.TERMINEE)
        .select_related("questionnaire", "measure__measure_type", "author")
        .order_by("-completed_on", "-pk")
        .first()
    )


def summary(assessment: Assessment) -> list[tuple[str, str, str, str]]:
    """Per domain of its questionnaire: (domain label, need label, person's view, reasons). The
    need label is "" for a domain not judged (strengths) or not yet judged."""
    rows = []
    for domain in assessment.definition.domains:
        judged = assessment.judgement(domain.code)
        rows.append(
            (
                domain.label,
                NeedLevel.label_of(judged.get("need", "")),
                judged.get("person_view", ""),
                judged.get("reasons", ""),
            )
        )
    return rows


def previous_completed(assessment: Assessment) -> Assessment | None:
    """The person's finished assessment before this one (by completion, then creation)."""
    rows = Assessment.objects.filter(
        person_id=assessment.person_id, status=AssessmentStatus.TERMINEE
    ).exclude(pk=assessment.pk)
    if assessment.completed_on is not None:
        rows = rows.filter(
            Q(completed_on__lt=assessment.completed_on)
            | Q(completed_on=assessment.completed_on, pk__lt=assessment.pk)
        )
    return rows.select_related("questionnaire").order_by("-completed_on", "-pk").first()


@dataclass
class DomainChange:
    code: str
    label: str
    need_before: str
    need_after: str
    change: str
    view_before: str
    view_after: str
    answers: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after


def compare(before: Assessment, after: Assessment) -> list[DomainChange]:
    """What changed per domain between two assessments (each read with its own questionnaire
    version: a question asked only once shows as added or removed)."""
    old, new = before.definition, after.definition
    codes = [d.code for d in new.domains] + [
        d.code for d in old.domains if new.domain(d.code) is None
    ]
    changes = []
    for code in codes:
        a, b = before.judgement(code), after.judgement(code)
        questions = {}
        for definition in (old, new):
            domain = definition.domain(code)
            if domain is not None:
                questions.update({q.id: q for q in domain.questions})
        answers = []
        for qid, question in questions.items():
            was = rules.answer_label(question, before.answers.get(qid))
            now = rules.answer_label(question, after.answers.get(qid))
            if was != now:
                answers.append((question.label, was or "—", now or "—"))
        changes.append(
            DomainChange(
                code,
                AssessmentDomain.label_of(code, code),
                NeedLevel.label_of(a.get("need", ""), "—"),
                NeedLevel.label_of(b.get("need", ""), "—"),
                rules.need_change(a.get("need", ""), b.get("need", "")),
                a.get("person_view", ""),
                b.get("person_view", ""),
                answers,
            )
        )
    return changes


@dataclass(frozen=True)
class ChartPoint:
    on: date
    need: str
    label: str
    rank: int | None


def history(assessments: list[Assessment]) -> list[tuple[str, str, list[ChartPoint]]]:
    """Per judged domain: (code, label, one point per finished assessment, oldest first)."""
    done = sorted(
        (a for a in assessments if a.is_finished and a.completed_on),
        key=lambda a: (a.completed_on, a.pk),
    )
    if not done:
        return []
    rows = []
    for code, label in AssessmentDomain.choices:
        if code == AssessmentDomain.FORCES:
            continue
        points = []
        for a in done:
            need = a.judgement(code).get("need", "")
            rank = rules.NEED_RANK.get(NeedLevel(need)) if need in NeedLevel.values else None
            points.append(ChartPoint(a.completed_on, need, NeedLevel.label_of(need, "—"), rank))
        rows.append((code, label, points))
    return rows


# --- Évaluations à faire -------------------------------------------------------------------------


def _people_of(user: User) -> QuerySet[Person]:
    people = Person.objects.visible_to(user)
    if user.role not in SERVICE_ROLES:
        people = people.filter(referent=user)
    return people


def _measures_needing_initial(people: QuerySet[Person]) -> QuerySet[Measure]:
    initial = Assessment.objects.filter(measure_id=OuterRef("pk"), kind=AssessmentKind.INITIALE)
    return (
        Measure.objects.filter(person__in=people, status__in=CURRENT)
        .exclude(measure_type__code__in=rules.WITHOUT_INITIAL_ASSESSMENT)
        .annotate(started=Coalesce("start_date", "judgment_date"), has_initial=Exists(initial))
        .filter(has_initial=False)
    )


@dataclass(frozen=True)
class ToDo:
    person: Person
    what: str
    measure_label: str
    due_on: date | None
    overdue: bool
    assessment: Assessment | None = None


def to_do(user: User, today: date, limit: int = 200) -> list[ToDo]:
    """Drafts in progress and current measures with no initial assessment yet, for the CPIP's
    own people or the whole service (DPIP, DFSPIP); overdue first, then by due date."""
    people = _people_of(user)
    rows: list[ToDo] = []
    drafts = (
        visible_assessments(user)
        .filter(person__in=people, status=AssessmentStatus.BROUILLON)
        .select_related("person__referent", "measure__measure_type")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )
    for a in drafts:
        rows.append(
            ToDo(
                a.person,
                f"{a.get_kind_display()} en cours",
                a.measure.measure_type.label if a.measure else "—",
                a.due_on,
                bool(a.due_on and a.due_on < today),
                a,
            )
        )
    measures = (
        _measures_needing_initial(people)
        .select_related("person__referent", "measure_type")
        .order_by("started", "pk")[:limit]
    )
    for m in measures:
        due = rules.initial_due_on(m.started)  # type: ignore[attr-defined]
        rows.append(
            ToDo(
                m.person, "Évaluation initiale à commencer", m.measure_type.label, due, due < today
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.due_on or date.max, r.person.last_name))
    return rows[:limit]


# --- The "délai d'évaluation" indicator ---------------------------------------------------------


def delay_rows(spip_id: int, today: date) -> list[tuple[date | None, date | None]]:
    """(due date, first completion of an initial assessment) for each measure of the SPIP that
    calls for one and started within the indicator's window."""
    since = today - timedelta(days=rules.INDICATOR_WINDOW_DAYS)
    first_done = (
        Assessment.objects.filter(
            measure_id=OuterRef("pk"),
            kind=AssessmentKind.INITIALE,
            status=AssessmentStatus.TERMINEE,
        )
        .order_by()
        .values("measure_id")
        .annotate(first=Min("completed_on"))
        .values("first")
    )
    rows = (
        Measure.objects.filter(person__spip_id=spip_id)
        .exclude(measure_type__code__in=rules.WITHOUT_INITIAL_ASSESSMENT)
        .annotate(started=Coalesce("start_date", "judgment_date"), done=Subquery(first_done))
        .filter(started__gte=since, started__lte=today)
        .values_list("started", "done")
    )
    return [(rules.initial_due_on(started), done) for started, done in rows]


def delay_indicator(spip_id: int, today: date) -> rules.DelayIndicator:
    return rules.delay_indicator(delay_rows(spip_id, today), today)


def digital_answers(entry: DigitalSelfAssessment) -> list[tuple[str, str]]:
    definition = entry.definition
    return [
        (q.label, rules.answer_label(q, entry.answers.get(q.id)) or "—")
        for d in definition.domains
        for q in d.questions
    ]


def questions_of(assessment: Assessment) -> dict[str, Any]:
    return assessment.definition.questions

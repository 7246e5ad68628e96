"""Reads of reports for the views and the person panel. Every list starts from
`access.visible_reports(user)` (the user's scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.db.models import BooleanField, Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from parcours.rules import reports as rules

from .access import visible_reports
from .models import Report, ReportEvent, ReportStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.accounts.models import User
    from parcours.people.models import Person

SENT_SHOWN = 20
COURT_SHOWN = 200


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _with_overdue(reports: QuerySet[Report]) -> QuerySet[Report]:
    """`overdue`: rules.is_overdue, as SQL."""
    late = Q(due_date__lt=timezone.localdate()) & ~Q(status__in=rules.FROZEN_STATUSES)
    return reports.annotate(overdue=_flag(late))


def _listed(reports: QuerySet[Report]) -> QuerySet[Report]:
    """With the person, the measure and its type, and the author."""
    return reports.select_related("person", "measure__measure_type", "author")


@dataclass(frozen=True)
class MyReports:
    open: list[Report]
    sent: list[Report]


def my_reports(user: User) -> MyReports:
    """The reports the user wrote or whose person they follow. Open ones: late first, then drafts
    sent back (`returned`), other drafts, submitted, validated; then by due date (none last).
    Sent ones: the last transmitted."""
    mine = visible_reports(user).filter(Q(author=user) | Q(person__referent=user))
    sent_back = Exists(ReportEvent.objects.filter(report=OuterRef("pk"), action=rules.RENVOYER))
    rank = Case(
        When(returned=True, then=Value(0)),
        When(status=ReportStatus.BROUILLON, then=Value(1)),
        When(status=ReportStatus.SOUMIS, then=Value(2)),
        When(status=ReportStatus.VALIDE, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    open_reports = (
        _listed(_with_overdue(mine.exclude(status__in=rules.FROZEN_STATUSES)))
        .annotate(was_sent_back=sent_back)
        .annotate(returned=_flag(Q(status=ReportStatus.BROUILLON) & Q(was_sent_back=True)))
        .annotate(rank=rank)
        .order_by("-overdue", "rank", F("due_date").asc(nulls_last=True), "-pk")
    )
    sent = _listed(mine.filter(status__in=rules.FROZEN_STATUSES)).order_by("-transmitted_at")
    return MyReports(open=list(open_reports), sent=list(sent[:SENT_SHOWN]))


def to_validate(user: User) -> list[Report]:
    submitted = visible_reports(user).filter(status=ReportStatus.SOUMIS)
    return list(
        _listed(_with_overdue(submitted)).order_by(
            "-overdue", F("due_date").asc(nulls_last=True), "pk"
        )
    )


def court_reports(user: User) -> list[Report]:
    """The reports transmitted to the user's tribunal: transmitted first, then received."""
    order = Case(
        When(status=ReportStatus.TRANSMIS, then=Value(0)),
        When(status=ReportStatus.RECU, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    reports = _listed(visible_reports(user)).select_related("measure__tribunal")
    return list(reports.order_by(order, "-transmitted_at")[:COURT_SHOWN])


def person_reports(user: User, person: Person) -> list[Report]:
    """The reports of an opened file that the user may see, newest first (the person panel)."""
    reports = visible_reports(user).filter(person_id=person.pk)
    rows = list(
        reports.select_related("measure__measure_type", "author")
        # Only the columns the panel shows (the wide rows cost more to compile than to run).
        .only(
            "public_id",
            "kind",
            "status",
            "due_date",
            "measure__measure_type__label",
            "author__first_name",
            "author__last_name",
            "author__username",
        )
        .order_by("-created_at", "-pk")
    )
    # `overdue` as _with_overdue computes it in SQL, here in Python: cheaper for one file.
    today = timezone.localdate()
    for report in rows:
        cast(Any, report).overdue = rules.is_overdue(report.status, report.due_date, today)
    return rows


# What the court reads of a report's history: its transmission and the court's own steps, with
# their dates; the SPIP's internal steps (drafting, submission, validation, sending back) and
# their comments stay inside the service (finding 9 of issue 14).
COURT_HISTORY_ACTIONS = frozenset(
    {rules.TRANSMETTRE, rules.ACCUSER_RECEPTION, rules.ENREGISTRER_DECISION}
)
# Of those, the steps whose comment the court reads (its own: the decision it recorded).
COURT_COMMENTED_ACTIONS = frozenset({rules.ACCUSER_RECEPTION, rules.ENREGISTRER_DECISION})


def report_events(report: Report, *, court: bool = False) -> list[ReportEvent]:
    """The report's history; for the court (`court`), the transmission and the court's steps
    only, the transmission's comment left out (the objects are not saved)."""
    events = list(report.events.select_related("actor"))
    if not court:
        return events
    shown = [e for e in events if e.action in COURT_HISTORY_ACTIONS]
    for event in shown:
        if event.action not in COURT_COMMENTED_ACTIONS:
            event.comment = ""
    return shown


def person_measure_pk(person: Person, public_id: str) -> int | None:
    """The primary key of one of the person's measures, None for anything else."""
    try:
        wanted = UUID(public_id)
    except ValueError:
        return None
    return person.measures.filter(public_id=wanted).values_list("pk", flat=True).first()

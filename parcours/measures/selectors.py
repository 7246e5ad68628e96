"""Reads of measures for the legal rules: the adapter from the tables to
`rules.legal_deadlines.MeasureCase` (issue 13, ADR 0010).

`read_cases(scope)` builds the case of every measure of a set of people in a constant number of
queries (the nightly runs it per chunk of people; a person file runs it for one person): the
measures' own fields, the person's incarceration periods (people.IncarcerationPeriod: recorded
once, applying to all their measures), the measure's suspensions and evaluations, and the actions
recorded in the apps above, read through their reverse relations (measures never imports them):

- first SPIP meeting / first JAP hearing held: appointments marked « honoré » (agenda), on the
  SPIP's local date; the first one on or after the latest event a delay counts from (judgment,
  723-15 information, release) that has happened;
- reports transmitted to the JAP (reports): the evaluation report, the 723-15-1 report (avis sur
  un aménagement), the end-of-measure report; evaluation and situation reports are also
  re-evaluations of the SPR;
- TIG hours ordered and done (ledgers: the TIG register);
- the stage's completion and the decision after an ajournement: the measure's end, when recorded.

`expected_ends(person_id)` gives each measure's expected end as the calendar computes it (the
planned end of the same timeline), falling back to the end date entered only when nothing can be
computed: every screen and document that prints a « fin prévue » takes it from there.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from parcours.core.prepared import prepared
from parcours.people.models import IncarcerationPeriod, Person, related_manager
from parcours.rules.agenda import subdivision_for
from parcours.rules.dates import local_date
from parcours.rules.french import short_date
from parcours.rules.legal_deadlines import (
    Actions,
    DeadlineReport,
    MeasureCase,
    Procedure,
    measure_planned_end,
    measure_report,
)
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.timeline import (
    AJOURNEMENT_PROBATION,
    STAGE,
    ConvictionFacts,
    MeasureTimeline,
    Outcome,
    Suspension,
    SuspensionReason,
    applicable_suspensions,
)
from parcours.rules.vocabulary import AppointmentStatus, ReportKind

from .models import (
    CONVICTION_FIELDS,
    DATE_FIELDS,
    EXECUTION_FIELDS,
    JUDGMENT_FIELDS,
    Measure,
    MeasureEvaluation,
    MeasureSuspension,
)

Scope = Callable[[str], Q]  # path to the person's pk ("person__pk") -> condition

# The appointment type of a hearing before the JAP (agenda/data/appointment_types.json); every
# other appointment type held is a meeting at the SPIP.
JAP_HEARING_TYPE = "audience_jap"
EVALUATION_REPORTS = (ReportKind.EVALUATION, ReportKind.SITUATION)

CASE_FIELDS = (
    "pk",
    "person_id",
    "status",
    "person__spip_id",
    "person__spip__timezone",
    "person__spip__code",
    "measure_type__code",
    "measure_type__has_probation_period",
    *DATE_FIELDS,
    *JUDGMENT_FIELDS,
    *EXECUTION_FIELDS,
    "tig_delay_months",
    *CONVICTION_FIELDS,
)

# The columns that keep their name in rules.timeline.MeasureTimeline and
# rules.legal_deadlines.Procedure.
TIMELINE_SAME_NAMES = ("execution_provisoire", "executoire_on", "final_on", "notified_on")
PROCEDURE_SAME_NAMES = (
    "convict_present_at_hearing",
    "detained_at_judgment",
    "mandat_depot_differe",
    "prison_ferme_months",
    "release_date",
    "file_received_on",
    "spip_referral_on",
    "court_set_obligations",
    "renforce_ordered_on",
    "tig_delay_months",
)


@dataclass(frozen=True)
class CaseRow:
    """One measure's case, or why it cannot be built (inconsistent dates: French)."""

    measure_id: int
    person_id: int
    spip_id: int  # the person's SPIP (the alerts carry it)
    time_zone: str
    case: MeasureCase | None
    problem: str = ""
    department: str = ""  # the SPIP's code: its department ("57", "974"…)

    @property
    def subdivision(self) -> str | None:
        """The SPIP's holidays (R-DATES-HOLIDAYS): Alsace-Moselle's by its department, the
        overseas ones by department or zone."""
        return subdivision_for(self.department, self.time_zone)


def people_in(person_ids: Iterable[int]) -> Scope:
    ids = sorted(set(person_ids))
    return lambda path: Q(**{f"{path}__in": ids})


def spip_today(time_zone: str, now: datetime | None = None) -> date:
    """The SPIP's local date (R-DATES-LOCAL)."""
    return local_date(now or timezone.now(), time_zone or "Europe/Paris")


def read_cases(
    scope: Scope, measures: Q | None = None, now: datetime | None = None
) -> list[CaseRow]:
    """The cases of the measures of the people in `scope` (and matching `measures`), in eight
    queries whatever their number (the first meetings: one more per ANCHORS_PER_QUERY
    measures beyond the first ones). `now`: the instant whose SPIP-local date says which events
    have happened (default: now)."""
    now = now or timezone.now()
    rows = list(
        Measure.objects.filter(scope("person__pk"), measures or Q()).values(*CASE_FIELDS).order_by()
    )
    if not rows:
        return []
    periods: dict[int, list[Suspension]] = defaultdict(list)
    for person_id, start, end, establishment, source in (
        IncarcerationPeriod.objects.filter(scope("person__pk"))
        .values_list("person_id", "start", "end", "establishment", "source")
        .order_by("start")
    ):
        periods[person_id].append(
            Suspension(start, end, SuspensionReason.INCARCERATION, _where(establishment, source))
        )
    suspensions: dict[int, list[Suspension]] = defaultdict(list)
    for measure_id, start, end, reason, source in (
        MeasureSuspension.objects.filter(scope("measure__person__pk"))
        .values_list("measure_id", "start", "end", "reason", "source")
        .order_by("start")
    ):
        suspensions[measure_id].append(Suspension(start, end, reason, source))
    evaluations: dict[int, set[date]] = defaultdict(set)
    for measure_id, day in MeasureEvaluation.objects.filter(
        scope("measure__person__pk")
    ).values_list("measure_id", "done_on"):
        evaluations[measure_id].add(day)
    zones = {row["person_id"]: row["person__spip__timezone"] for row in rows}
    departments = {row["person_id"]: row["person__spip__code"] for row in rows}
    reports = _reports(scope, zones)
    for measure_id, kinds in reports.items():
        for kind in EVALUATION_REPORTS:
            evaluations[measure_id].update(kinds.get(kind, ()))
    todays = {pk: spip_today(zone, now) for pk, zone in zones.items()}
    anchors = {row["pk"]: _anchor(row, todays[row["person_id"]]) for row in rows}
    meetings = first_meetings({(row["person_id"], anchors[row["pk"]]) for row in rows}, zones)
    hours = _tig_hours(scope)
    found: list[CaseRow] = []
    for row in rows:
        pk, person_id = row["pk"], row["person_id"]
        problem = ""
        try:
            case: MeasureCase | None = _case(
                row,
                tuple(periods.get(person_id, ())),
                tuple(suspensions.get(pk, ())),
                tuple(sorted(evaluations.get(pk, ()))),
                reports.get(pk, {}),
                meetings.get((person_id, anchors[pk]), (None, None)),
                hours.get(pk),
                todays[person_id],
            )
        except ValueError as error:
            case, problem = None, str(error)
        found.append(
            CaseRow(
                pk,
                person_id,
                row["person__spip_id"],
                zones[person_id],
                case,
                problem,
                departments[person_id],
            )
        )
    return found


def _where(establishment: str, source: str) -> str:
    """Where an incarceration period is recorded: its establishment, its source."""
    return ", ".join(x for x in (establishment, source) if x)


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "Europe/Paris")


def _local(at: datetime, zone: str) -> date:
    return at.astimezone(_zone(zone)).date()


def _reports(scope: Scope, zones: dict[int, str]) -> dict[int, dict[str, list[date]]]:
    """Transmission dates of the reports, per measure and kind, oldest first."""
    manager = related_manager(Measure, "reports")
    found: dict[int, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        manager.filter(scope("person__pk"), measure__isnull=False, transmitted_at__isnull=False)
        .values_list("measure_id", "person_id", "kind", "transmitted_at")
        .order_by("transmitted_at")
    )
    for measure_id, person_id, kind, at in rows:
        found[measure_id][kind].append(_local(at, zones.get(person_id, "")))
    return found


# Anchors per query of `first_meetings` on SQLite (3 parameters each: within its limit).
ANCHORS_PER_QUERY = 2000
FirstMeetings = dict[tuple[int, date], tuple[date | None, date | None]]


def first_meetings(anchors: Iterable[tuple[int, date]], zones: dict[int, str]) -> FirstMeetings:
    """For each (person, anchor day): the day of the first SPIP meeting and of the first JAP
    hearing held on or after that day (SPIP-local dates), whatever the history's length:

    - the SPIP meetings (3 million rows at the national scale, most of them held): one query
      (per ANCHORS_PER_QUERY anchors on SQLite), an index probe (appointment (person,
      starts_at)) per anchor that stops at the first meeting held. Raw SQL: the anchors travel
      as arrays (PostgreSQL) or a VALUES list, each with the instant its day starts in the
      person's SPIP zone, so that "on or after the day" is exact in every zone;
    - the JAP hearings (a few per measure at most): read whole, one query."""
    keyed = sorted(set(anchors))
    if not keyed:
        return {}
    model = related_manager(Person, "appointments").model
    held = model._default_manager.filter(status=AppointmentStatus.HONORE)
    hearings: dict[int, list[date]] = defaultdict(list)
    for person_id, at in (
        held.filter(
            person_id__in=sorted({person_id for person_id, _ in keyed}),
            appointment_type__code=JAP_HEARING_TYPE,
        )
        .values_list("person_id", "starts_at")
        .order_by("starts_at")
    ):
        hearings[person_id].append(_local(at, zones.get(person_id, "")))
    found: FirstMeetings = {}
    # PostgreSQL takes the anchors as three arrays (one statement, whatever their number);
    # elsewhere a VALUES list, by batches.
    size = len(keyed) if connection.vendor == "postgresql" else ANCHORS_PER_QUERY
    for start in range(0, len(keyed), size):
        batch = keyed[start : start + size]
        for index, spip_at in _first_spip_meetings(model, batch, zones):
            person_id, day = batch[index]
            jap = next((d for d in hearings.get(person_id, ()) if d >= day), None)
            found[batch[index]] = (_day(spip_at, zones.get(person_id, "")), jap)
    return found


def _first_spip_meetings(
    model: type[Any], batch: list[tuple[int, date]], zones: dict[int, str]
) -> list[tuple[int, Any]]:
    """(index in `batch`, start of the first SPIP meeting held on or after its day, or None)."""
    ops = connection.ops
    starts = [
        ops.adapt_datetimefield_value(
            datetime.combine(day, time.min, tzinfo=_zone(zones.get(person_id, "")))
        )
        for person_id, day in batch
    ]
    # Only the models' table names and fixed text are formatted in; values are parameters.
    kinds = model._meta.get_field("appointment_type").related_model
    table, kind_table = ops.quote_name(model._meta.db_table), ops.quote_name(kinds._meta.db_table)
    if connection.vendor == "postgresql":
        anchors = "SELECT * FROM unnest(%s::int[], %s::bigint[], %s::timestamptz[])"
        params: list[Any] = [list(range(len(batch))), [p for p, _ in batch], starts]
    else:
        anchors = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(batch))
        params = [v for i, (p, _) in enumerate(batch) for v in (i, p, starts[i])]
    first = (
        f"SELECT MIN(x.starts_at) FROM {table} x"  # noqa: S608
        f" JOIN {kind_table} k ON k.id = x.appointment_type_id"
        " WHERE x.person_id = a.person_id AND x.starts_at >= a.at AND x.status = %s"
        " AND k.code <> %s"
    )
    sql = f"WITH a(i, person_id, at) AS ({anchors}) SELECT a.i, ({first}) FROM a"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, AppointmentStatus.HONORE, JAP_HEARING_TYPE])
        return list(cursor.fetchall())


def _day(value: datetime | str | None, zone: str) -> date | None:
    """The SPIP-local day of an instant read by raw SQL (SQLite returns text, in UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None
        value = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return _local(value, zone)


def _tig_hours(scope: Scope) -> dict[int, tuple[int, Decimal]]:
    """Per TIG measure: hours ordered and hours done (the TIG register; hours a host structure
    recorded count once the CPIP has validated them: R-REFERRAL-TIG)."""
    manager = related_manager(Measure, "tig_ledger")
    rows = (
        manager.filter(scope("person__pk"))
        .annotate(done=Sum("sessions__hours", filter=Q(sessions__pending=False)))
        .values_list("measure_id", "hours_ordered", "done")
        .order_by()
    )
    return {m: (ordered, done or Decimal(0)) for m, ordered, done in rows}


def _anchor(row: dict[str, Any], today: date) -> date:
    """A meeting closes the delays counted from the events before it: the first one held on or
    after the latest of those events (judgment, 723-15 information, release) that happened."""
    return max(
        d
        for d in (row["judgment_date"], row["file_received_on"], row["release_date"])
        if d is not None and d <= max(today, row["judgment_date"])
    )


def _timeline(
    row: dict[str, Any], periods: tuple[Suspension, ...], suspensions: tuple[Suspension, ...]
) -> MeasureTimeline:
    """The measure's dates and what suspended it (ValueError, French, when inconsistent)."""
    return MeasureTimeline(
        measure_type=row["measure_type__code"],
        judgment=row["judgment_date"],
        **{name: row[name] for name in TIMELINE_SAME_NAMES},
        start=row["start_date"],
        duration_months=(
            row["probation_months"] or None if row["measure_type__has_probation_period"] else None
        ),
        end=row["end_date"],
        suspensions=suspensions,
        person_periods=periods,
        ended_on=row["ended_on"],
        outcome=row["outcome"] or "",
    )


def _procedure(row: dict[str, Any], tig: tuple[int, Decimal] | None) -> Procedure:
    return Procedure(
        **{name: row[name] for name in PROCEDURE_SAME_NAMES},
        tig_hours=Decimal(tig[0]) if tig else None,
    )


def _case(
    row: dict[str, Any],
    periods: tuple[Suspension, ...],
    suspensions: tuple[Suspension, ...],
    evaluations: tuple[date, ...],
    reports: dict[str, list[date]],
    meetings: tuple[date | None, date | None],
    tig: tuple[int, Decimal] | None,
    today: date,
) -> MeasureCase:
    code = row["measure_type__code"]
    ended_on, outcome = row["ended_on"], row["outcome"] or ""
    timeline = _timeline(row, periods, suspensions)
    procedure = _procedure(row, tig)
    first_spip, first_jap = meetings

    def first(kind: str) -> date | None:
        days = reports.get(kind)
        return days[0] if days else None

    actions = Actions(
        first_spip_meeting_on=first_spip,
        first_jap_meeting_on=first_jap,
        spip_report_sent_on=first(ReportKind.AMENAGEMENT),
        evaluation_report_sent_on=first(ReportKind.EVALUATION),
        ordinance_on=row["jap_ordinance_on"],
        evaluations=evaluations,
        tig_hours_done=tig[1] if tig else Decimal(0),
        stage_completed_on=ended_on if code == STAGE and outcome == Outcome.EXECUTEE else None,
        sentencing_on=ended_on if code == AJOURNEMENT_PROBATION else None,
        end_report_sent_on=first(ReportKind.FIN_MESURE),
    )
    conviction = ConvictionFacts(
        nature=row["offence_nature"],
        **{name: row[name] for name in CONVICTION_FIELDS if name != "offence_nature"},
    )
    return MeasureCase(timeline, conviction, procedure, actions)


def measure_reports(person: Person, now: datetime | None = None) -> dict[int, DeadlineReport]:
    """The deadline report of each measure of `person` on the SPIP's local date (the person
    file, the measure page); measures whose dates are inconsistent are left out."""
    found: dict[int, DeadlineReport] = {}
    for row in read_cases(people_in([person.pk]), now=now):
        if row.case is None:
            continue
        today = spip_today(row.time_zone, now)
        found[row.measure_id] = measure_report(row.case, today, subdivision=row.subdivision)
    return found


# --- The expected end ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedEnd:
    """A measure's expected end, the same on every screen and in every report: the planned end
    the calendar shows (rules.legal_deadlines.measure_planned_end: the probation's last day,
    R-DATES-PERIODS; a TIG's or a stage's execution delay, R-DATES-DELAYS; pushed back by the
    suspensions), else the end date entered on the measure when nothing can be computed.

    `computed`: the date comes from the timeline. A computed end without a day: a suspension is
    running, the end will be known on the first day back (R-DATES-SUSPENSIONS)."""

    day: date | None
    computed: bool
    explanation: str = ""  # French: the computation, as the calendar's « Pourquoi cette date ? »

    @property
    def words(self) -> str:
        """ "fin prévue le 07/08/2027", "… (date saisie)", "fin prévue inconnue (…)" or ""."""
        if self.day is not None:
            entered = "" if self.computed else " (date saisie)"
            return f"fin prévue le {short_date(self.day)}{entered}"
        if self.computed:
            return "fin prévue inconnue (mesure suspendue : la date sera connue à la reprise)"
        return ""


def expected_ends(
    person_id: int, measures: Q | None = None, now: datetime | None = None
) -> dict[int, ExpectedEnd]:
    """The expected end of each measure of the person (and matching `measures`), by pk, in
    three queries: the measures, the person's incarceration periods, the measures' suspensions.
    The planned end needs no action recorded (meetings, reports, hours), so this reads only the
    timeline that `read_cases` builds for the calendar, with the same functions."""
    rows = list(
        Measure.objects.filter(Q(person_id=person_id), measures or Q())
        .values(*CASE_FIELDS)
        .order_by()
    )
    if not rows:
        return {}
    suspensions = (
        MeasureSuspension.objects.filter(measure__in=[row["pk"] for row in rows])
        .values_list(*SUSPENSION_FIELDS)
        .order_by("start")
    )
    return _ends(rows, person_periods_of(person_id=person_id), suspensions, now)


# The current measures' expected ends, on the Synthèse: the same three reads, prepared (ADR 0028).


@prepared
def current_case_rows_of(*, person_id: int) -> QuerySet[Any]:
    return (
        Measure.objects.filter(person_id=person_id, status__in=CURRENT_STATUSES)
        .values_list(*CASE_FIELDS)
        .order_by()
    )


@prepared
def person_periods_of(*, person_id: int) -> QuerySet[Any]:
    return (
        IncarcerationPeriod.objects.filter(person_id=person_id)
        .values_list("start", "end", "establishment", "source")
        .order_by("start")
    )


@prepared
def current_suspensions_of(*, person_id: int) -> QuerySet[Any]:
    return (
        MeasureSuspension.objects.filter(
            measure__person_id=person_id, measure__status__in=CURRENT_STATUSES
        )
        .values_list(*SUSPENSION_FIELDS)
        .order_by("start")
    )


def current_expected_ends(person_id: int, now: datetime | None = None) -> dict[int, ExpectedEnd]:
    """expected_ends of the person's current measures, through prepared reads (the Synthèse's
    card, a handover's page)."""
    rows = [
        dict(zip(CASE_FIELDS, row, strict=True))
        for row in current_case_rows_of(person_id=person_id)
    ]
    if not rows:
        return {}
    periods = person_periods_of(person_id=person_id)
    return _ends(rows, periods, current_suspensions_of(person_id=person_id), now)


SUSPENSION_FIELDS = ("measure_id", "start", "end", "reason", "source")


def _ends(
    rows: list[dict[str, Any]],
    period_rows: Iterable[tuple[Any, ...]],
    suspension_rows: Iterable[tuple[Any, ...]],
    now: datetime | None,
) -> dict[int, ExpectedEnd]:
    periods = tuple(
        Suspension(start, end, SuspensionReason.INCARCERATION, _where(establishment, source))
        for start, end, establishment, source in period_rows
    )
    own: dict[int, list[Suspension]] = defaultdict(list)
    for measure_id, start, end, reason, source in suspension_rows:
        own[measure_id].append(Suspension(start, end, reason, source))
    found: dict[int, ExpectedEnd] = {}
    for row in rows:
        stored = ExpectedEnd(row["end_date"], computed=False)
        try:
            timeline = _timeline(row, periods, tuple(own.get(row["pk"], ())))
            case = MeasureCase(timeline, procedure=_procedure(row, None))
        except ValueError:  # inconsistent dates: the calendar computes nothing either
            found[row["pk"]] = stored
            continue
        end = measure_planned_end(case, spip_today(row["person__spip__timezone"], now))
        if end.day is not None:
            found[row["pk"]] = ExpectedEnd(end.day, True, end.explanation)
        elif any(item.end is None for item, _ in applicable_suspensions(timeline).applied):
            found[row["pk"]] = ExpectedEnd(None, True, end.explanation)
        else:
            found[row["pk"]] = stored
    return found


def expected_end(measure: Measure, now: datetime | None = None) -> ExpectedEnd:
    """The expected end of one measure (ExpectedEnd)."""
    found = expected_ends(measure.person_id, Q(pk=measure.pk), now)
    return found.get(measure.pk, ExpectedEnd(measure.end_date, computed=False))

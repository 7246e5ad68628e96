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
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Max, Min, Q, QuerySet, Sum, When
from django.utils import timezone

from parcours.people.models import IncarcerationPeriod, Person, related_manager
from parcours.rules.agenda import subdivision_for
from parcours.rules.dates import local_date
from parcours.rules.legal_deadlines import (
    Actions,
    DeadlineReport,
    MeasureCase,
    Procedure,
    measure_report,
)
from parcours.rules.timeline import (
    AJOURNEMENT_PROBATION,
    STAGE,
    ConvictionFacts,
    MeasureTimeline,
    Outcome,
    Suspension,
    SuspensionReason,
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
    """The cases of the measures of the people in `scope` (and matching `measures`), in seven
    queries whatever their number (eight beyond MEETINGS_READ_ALL people when some first
    meetings need every meeting read). `now`: the instant whose SPIP-local date says which events
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
        where = ", ".join(x for x in (establishment, source) if x)
        periods[person_id].append(Suspension(start, end, SuspensionReason.INCARCERATION, where))
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
    anchors: dict[int, list[date]] = defaultdict(list)
    for row in rows:
        anchors[row["person_id"]].append(_anchor(row, todays[row["person_id"]]))
    meetings = _meetings(scope, zones, anchors)
    hours = _tig_hours(scope)
    found: list[CaseRow] = []
    for row in rows:
        pk, person_id = row["pk"], row["person_id"]
        try:
            case = _case(
                row,
                tuple(periods.get(person_id, ())),
                tuple(suspensions.get(pk, ())),
                tuple(sorted(evaluations.get(pk, ()))),
                reports.get(pk, {}),
                meetings.get(person_id, ([], [])),
                hours.get(pk),
                todays[person_id],
            )
        except ValueError as error:
            found.append(
                CaseRow(pk, person_id, zones[person_id], None, str(error), departments[person_id])
            )
            continue
        found.append(CaseRow(pk, person_id, zones[person_id], case, "", departments[person_id]))
    return found


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


# Up to this many people, read_cases reads every meeting held (the person file: one query);
# beyond, the first and last meeting of each person first, then every meeting of the people
# only for whom they do not settle the answer (the nightly: a fraction of the rows).
MEETINGS_READ_ALL = 50

Meetings = dict[int, tuple[list[date], list[date]]]


def _meetings(scope: Scope, zones: dict[int, str], anchors: dict[int, list[date]]) -> Meetings:
    """Per person: the days of the SPIP meetings and of the JAP hearings held, oldest first —
    all of them, or enough of them to give, for each of `anchors` (the days the person's
    measures count their first meeting from), the first meeting on or after it."""
    manager = related_manager(Person, "appointments")
    held = manager.filter(status=AppointmentStatus.HONORE)
    if len(anchors) <= MEETINGS_READ_ALL:
        return _meeting_days(held.filter(scope("person__pk")), zones)
    # The first and last meeting of each kind settle the answer for an anchor outside
    # ]first, last]: the first meeting when it is on or after the anchor, none when the last
    # is before it.
    found: Meetings = {}
    unsettled: set[int] = set()
    bounds = (
        held.filter(scope("person__pk"))
        .annotate(jap=Case(When(appointment_type__code=JAP_HEARING_TYPE, then=True), default=False))
        .values_list("person_id", "jap")
        .annotate(first=Min("starts_at"), last=Max("starts_at"))
        .order_by()
    )
    for person_id, jap, first_at, last_at in bounds:
        zone = zones.get(person_id, "")
        first, last = _local(first_at, zone), _local(last_at, zone)
        if any(first < anchor <= last for anchor in anchors.get(person_id, ())):
            unsettled.add(person_id)
        spip_days, jap_days = found.setdefault(person_id, ([], []))
        (jap_days if jap else spip_days).append(first)
    if unsettled:
        found.update(_meeting_days(held.filter(person_id__in=sorted(unsettled)), zones))
    return found


def _meeting_days(held: QuerySet[Any], zones: dict[int, str]) -> Meetings:
    found: Meetings = {}
    rows = held.values_list("person_id", "starts_at", "appointment_type__code").order_by(
        "starts_at"
    )
    for person_id, at, code in rows:
        spip, jap = found.setdefault(person_id, ([], []))
        (jap if code == JAP_HEARING_TYPE else spip).append(_local(at, zones.get(person_id, "")))
    return found


def _tig_hours(scope: Scope) -> dict[int, tuple[int, Decimal]]:
    """Per TIG measure: hours ordered and hours done (the TIG register)."""
    manager = related_manager(Measure, "tig_ledger")
    rows = (
        manager.filter(scope("person__pk"))
        .annotate(done=Sum("sessions__hours"))
        .values_list("measure_id", "hours_ordered", "done")
        .order_by()
    )
    return {m: (ordered, done or Decimal(0)) for m, ordered, done in rows}


def _first_on_or_after(days: list[date], anchor: date) -> date | None:
    return next((d for d in days if d >= anchor), None)


def _anchor(row: dict[str, Any], today: date) -> date:
    """A meeting closes the delays counted from the events before it: the first one held on or
    after the latest of those events (judgment, 723-15 information, release) that happened."""
    return max(
        d
        for d in (row["judgment_date"], row["file_received_on"], row["release_date"])
        if d is not None and d <= max(today, row["judgment_date"])
    )


def _case(
    row: dict[str, Any],
    periods: tuple[Suspension, ...],
    suspensions: tuple[Suspension, ...],
    evaluations: tuple[date, ...],
    reports: dict[str, list[date]],
    meetings: tuple[list[date], list[date]],
    tig: tuple[int, Decimal] | None,
    today: date,
) -> MeasureCase:
    code = row["measure_type__code"]
    ended_on, outcome = row["ended_on"], row["outcome"] or ""
    timeline = MeasureTimeline(
        measure_type=code,
        judgment=row["judgment_date"],
        **{name: row[name] for name in TIMELINE_SAME_NAMES},
        start=row["start_date"],
        duration_months=(
            row["probation_months"] or None if row["measure_type__has_probation_period"] else None
        ),
        end=row["end_date"],
        suspensions=suspensions,
        person_periods=periods,
        ended_on=ended_on,
        outcome=outcome,
    )
    procedure = Procedure(
        **{name: row[name] for name in PROCEDURE_SAME_NAMES},
        tig_hours=Decimal(tig[0]) if tig else None,
    )
    anchor = _anchor(row, today)
    spip_days, jap_days = meetings

    def first(kind: str) -> date | None:
        days = reports.get(kind)
        return days[0] if days else None

    actions = Actions(
        first_spip_meeting_on=_first_on_or_after(spip_days, anchor),
        first_jap_meeting_on=_first_on_or_after(jap_days, anchor),
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

"""Compliance follow-up of obligations (domain.md §3), pure functions (no Django imports).

Legal basis: every probation carries the control measure of CP art. 132-44 2° (provide the
documents proving that the obligations are met); the particular obligations of CP art. 132-45 are
proven by documents the CPIP collects, usually on a cadence (e.g. 3° medical care: a monthly
attestation de soins). Compliance vocabulary: *à jour*, *justificatif attendu*, *en retard*,
*manquement*.

Semantic choices (all delays are parameters of `ObligationTerms`, local practice to confirm with
each service, not legal values):

- Periods. A cadence cuts the obligation into consecutive periods from its start date, in calendar
  months (`add_months` from the start each time, so a 31 January start gives 31 Jan–27 Feb,
  28 Feb–30 Mar, 31 Mar–29 Apr…) or in days. The last period is cut at the end date. The proof for a
  period is due on its last day. Without cadence (one-off proof) there is a single period from the
  start, open until the end date, and the proof is due `one_off_due_days` after the start (or on
  the end date when earlier).
- Coverage. A period is covered by an ACCEPTED proof whose coverage (start–end) overlaps it, or,
  when the proof has no coverage dates, that was received within the period. A late proof must
  therefore be entered with the period it covers. Refused proofs never count. Proofs received
  after `today` are ignored (not yet known).
- Status of one period, for `today`:
  covered → à jour; not yet due → *justificatif attendu* during the reminder window (the last
  `window_days` days up to and including the due date), à jour before it; past due by at most
  `grace_days` → *justificatif attendu*; by more → *en retard*; by more than `breach_after_days`
  → *manquement*.
- Pending proofs. A proof awaiting review (status "en_attente") does not cover a period, but a
  pending proof covering a past-due period, received no later than the breach threshold of that
  period, holds the period at *justificatif attendu* (the person did their part, the review is on
  the service's side): it moves *en retard* back to *justificatif attendu* and prevents the
  automatic *manquement*. A pending proof received after the breach threshold changes nothing:
  only its acceptance lifts the manquement.
- Recorded breach. A manquement recorded by the CPIP on a date forces *manquement* until an
  accepted proof received on or after that date covers the period in progress on that date (or a
  later one, showing the person is back in compliance). Earlier uncovered periods still count on
  their own.
- The obligation status is the worst status of its periods (and of a recorded breach). Ended
  obligations have no period after their end date, but a proof still missing for an earlier period
  keeps ageing after the end (a missing last attestation becomes late). Not started → à jour.
- Roll-ups: a measure takes the worst status of its obligations (à jour when it has none); a
  person takes the worst status of their measures (None when they have no measure).

Vocabulary (issue 13, R-COMPLIANCE in docs/legal-sources.md). *Manquement* is a breach the CPIP
records and reports; a proof missing for more than `breach_after_days` is only what is known:
*justificatif manquant* (`SANS_JUSTIFICATIF`). `evaluate_obligation` speaks the new vocabulary
(`ComplianceState`, from best to worst: à jour, justificatif attendu, en retard, justificatif
manquant, manquement); the apps use it (obligations.compliance). `evaluate` is the legacy
vocabulary (`ComplianceStatus`), same rules but the automatic status reported as *manquement*;
no app calls it any more.

Incarceration (CP art. 132-43 al. 2, R-CP-132-43): the measures and obligations stop applying
while the person is incarcerated, except the bans on contact and on appearing in places
(`applies_during_incarceration`). `evaluate_obligation(incarcerations=, obligation_code=)` adds
the person's incarcerations to `ObligationTerms.suspended` unless the obligation is such a ban: a
proof whose due date falls in one is not owed, nothing is due while one lasts, and the days in
custody do not count in a missing proof's lateness (`late_days`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from parcours.rules.dates import Span, add_months, merge_spans
from parcours.rules.french import short_date as _fr
from parcours.rules.vocabulary import ComplianceState, ComplianceStatus

A_JOUR = ComplianceStatus.A_JOUR
JUSTIFICATIF_ATTENDU = ComplianceStatus.JUSTIFICATIF_ATTENDU
EN_RETARD = ComplianceStatus.EN_RETARD
MANQUEMENT = ComplianceStatus.MANQUEMENT
SANS_JUSTIFICATIF = ComplianceState.SANS_JUSTIFICATIF
STATUS_ORDER: tuple[str, ...] = tuple(ComplianceStatus)  # legacy vocabulary (the apps' fields)
STATE_ORDER: tuple[str, ...] = tuple(ComplianceState)
STATUS_LABELS: dict[str, str] = {**dict(ComplianceStatus.choices), **dict(ComplianceState.choices)}

# CP 132-45 obligations that keep applying during an incarceration (CP 132-43 al. 2: "les
# interdictions de contact ou de paraître"): 9° (paraître), 12° and 13° (contact), 18° (not
# appearing at the couple's home) and 18° bis (not approaching the victim). Catalogue codes.
KEEP_APPLYING_DURING_INCARCERATION = frozenset(
    {"cp_132_45_9", "cp_132_45_12", "cp_132_45_13", "cp_132_45_18", "cp_132_45_18_bis"}
)


def applies_during_incarceration(obligation_code: str) -> bool:
    """CP art. 132-43 al. 2: only the bans on contact and on appearing keep applying."""
    return obligation_code in KEEP_APPLYING_DURING_INCARCERATION


PROOF_ACCEPTED = "accepte"
PROOF_REFUSED = "refuse"
PROOF_PENDING = "en_attente"
PROOF_STATUSES: tuple[str, ...] = (PROOF_ACCEPTED, PROOF_REFUSED, PROOF_PENDING)

# Local practice, to confirm with each service (not legal values).
DEFAULT_GRACE_DAYS = 15
DEFAULT_BREACH_AFTER_DAYS = 30
DEFAULT_WINDOW_DAYS = 7
DEFAULT_ONE_OFF_DUE_DAYS = 30
# Conduct obligations without proofs (CP 132-44 1° answer convocations, prohibitions…): a recorded
# manquement shows for this many days, then the obligation is no longer flagged.
DEFAULT_CONDUCT_MEMORY_DAYS = 90


def _days(count: int) -> str:
    return f"{count} jour" if count == 1 else f"{count} jours"


def terms_problem(
    *,
    start: date,
    end: date | None = None,
    cadence_months: int | None = None,
    cadence_days: int | None = None,
    grace_days: int = DEFAULT_GRACE_DAYS,
    breach_after_days: int = DEFAULT_BREACH_AFTER_DAYS,
    window_days: int = DEFAULT_WINDOW_DAYS,
    one_off_due_days: int = DEFAULT_ONE_OFF_DUE_DAYS,
) -> str | None:
    """French message when the follow-up terms of an obligation are inconsistent, else None."""
    if end is not None and end < start:
        return "La date de fin de l'obligation ne peut pas précéder sa date de début."
    if cadence_months is not None and cadence_days is not None:
        return "Indiquez une périodicité en mois ou en jours, pas les deux."
    if (cadence_months is not None and cadence_months <= 0) or (
        cadence_days is not None and cadence_days <= 0
    ):
        return "La périodicité des justificatifs doit être strictement positive."
    if grace_days < 0 or window_days < 0 or one_off_due_days < 0:
        return "Les délais de tolérance et de rappel ne peuvent pas être négatifs."
    if breach_after_days < grace_days:
        return (
            "Le seuil de manquement doit être au moins égal au délai de tolérance "
            f"({_days(grace_days)})."
        )
    return None


@dataclass(frozen=True)
class ObligationTerms:
    """How compliance with one obligation is proven and followed."""

    start: date
    end: date | None = None
    cadence_months: int | None = None
    cadence_days: int | None = None  # both None: a single (one-off) proof
    grace_days: int = DEFAULT_GRACE_DAYS
    breach_after_days: int = DEFAULT_BREACH_AFTER_DAYS  # days late after which: manquement
    window_days: int = DEFAULT_WINDOW_DAYS  # reminder window before a due date
    one_off_due_days: int = DEFAULT_ONE_OFF_DUE_DAYS
    breach_recorded_on: date | None = None
    # Periods when the obligation does not apply (incarceration, CP art. 132-43 al. 2).
    suspended: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        problem = terms_problem(
            start=self.start,
            end=self.end,
            cadence_months=self.cadence_months,
            cadence_days=self.cadence_days,
            grace_days=self.grace_days,
            breach_after_days=self.breach_after_days,
            window_days=self.window_days,
            one_off_due_days=self.one_off_due_days,
        )
        if problem:
            raise ValueError(problem)

    @property
    def one_off(self) -> bool:
        return self.cadence_months is None and self.cadence_days is None

    def suspension_on(self, day: date) -> Span | None:
        if not self.suspended:  # most people were never incarcerated during the obligation
            return None
        return next((span for span in self.suspended if span.contains(day)), None)


@dataclass(frozen=True)
class Proof:
    """A document handed in (attestation de soins, payslip, receipt…)."""

    received: date
    status: str = PROOF_ACCEPTED
    coverage_start: date | None = None
    coverage_end: date | None = None

    def __post_init__(self) -> None:
        if self.status not in PROOF_STATUSES:
            raise ValueError(f"Statut de justificatif inconnu : {self.status!r}.")
        if (self.coverage_start is None) != (self.coverage_end is None):
            raise ValueError(
                "Indiquez le début et la fin de la période couverte, ou aucun des deux."
            )
        if self.coverage_start and self.coverage_end and self.coverage_end < self.coverage_start:
            raise ValueError("La fin de la période couverte ne peut pas précéder son début.")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # date.max for a one-off proof without end date
    due: date

    @property
    def label(self) -> str:
        if self.end == date.max:
            return f"à compter du {_fr(self.start)}"
        return f"du {_fr(self.start)} au {_fr(self.end)}"


@dataclass(frozen=True)
class ComplianceResult:
    status: str
    next_due_date: date | None
    overdue_since: date | None  # first day late of the oldest past-due period with no proof
    uncovered_periods: tuple[Period, ...]  # past due, no accepted proof (oldest first)
    awaiting_review: tuple[Period, ...]  # among those, periods with a pending proof
    breach_active: bool
    explanation: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def status_rank(status: str) -> int:
    """0 for à jour … 4 for manquement, in either vocabulary (STATE_ORDER)."""
    try:
        return STATE_ORDER.index(status)
    except ValueError:
        raise ValueError(f"Statut de conformité inconnu : {status!r}.") from None


def _iter_periods(terms: ObligationTerms, first_index: int = 0) -> Iterator[Period]:
    """The periods of the obligation from the `first_index`-th, in order (endless without end
    date and with a cadence). Each start is computed from the obligation's start (the 31st
    stays the 31st where the month has one); a period ends the day before the next starts."""
    if terms.one_off:
        if first_index == 0:
            natural_due = terms.start + timedelta(days=terms.one_off_due_days)
            end = terms.end if terms.end is not None else date.max
            yield Period(terms.start, end, min(natural_due, end))
        return
    index = first_index
    months = terms.cadence_months
    step = terms.cadence_days or 1
    start = add_months(terms.start, index * months) if months is not None else terms.start
    while True:
        if months is not None:
            next_start = add_months(terms.start, (index + 1) * months)
        else:
            start = terms.start + timedelta(days=index * step)
            next_start = start + timedelta(days=step)
        end = next_start - timedelta(days=1)
        if terms.end is not None:
            if start > terms.end:
                return
            end = min(end, terms.end)
        yield Period(start, end, end)
        index += 1
        start = next_start


def obligation_periods(terms: ObligationTerms, until: date) -> list[Period]:
    """Periods that have started on or before `until` (the ones a proof can be owed for)."""
    result = []
    for period in _iter_periods(terms):
        if period.start > until:
            break
        result.append(period)
    return result


def covers(proof: Proof, period: Period) -> bool:
    """Coverage overlaps the period, or (no coverage given) the proof was received within it."""
    if proof.coverage_start is not None and proof.coverage_end is not None:
        return proof.coverage_start <= period.end and proof.coverage_end >= period.start
    return period.start <= proof.received <= period.end


def suspended_days_between(terms: ObligationTerms, after: date, until: date) -> int:
    """Days in (after, until] that fall in a suspension of the obligation."""
    total = 0
    for span in terms.suspended:
        first = max(span.start, after + timedelta(days=1))
        last_excl = (
            until + timedelta(days=1)
            if span.end is None
            else min(span.end, until + timedelta(days=1))
        )
        total += max(0, (last_excl - first).days)
    return total


def late_days(terms: ObligationTerms, due: date, day: date) -> int:
    """Days late on `day` for a proof due on `due`, the days of a suspension not counted
    (CP art. 132-43 al. 2: the obligation does not apply while the person is incarcerated, so a
    missing proof does not age in custody; it resumes ageing on release). <= 0: not yet due."""
    days = (day - due).days
    if days <= 0 or not terms.suspended:
        return days
    return days - suspended_days_between(terms, due, day)


@dataclass(frozen=True)
class _Check:
    period: Period
    status: str
    accepted: bool
    pending: Proof | None
    days_late: int  # > 0 only when past due


def _check(
    terms: ObligationTerms,
    period: Period,
    accepted: Sequence[Proof],
    pending: Sequence[Proof],
    today: date,
    missing: str,
) -> _Check:
    """`missing`: the status of a proof late by more than `breach_after_days`."""
    if any(covers(proof, period) for proof in accepted) or terms.suspension_on(period.due):
        return _Check(period, A_JOUR, True, None, 0)  # covered, or not owed (suspended)
    waiting = next((proof for proof in pending if covers(proof, period)), None)
    days_late = late_days(terms, period.due, today)
    if days_late <= 0:
        in_window = (period.due - today).days <= terms.window_days
        return _Check(period, JUSTIFICATIF_ATTENDU if in_window else A_JOUR, False, waiting, 0)
    if days_late > terms.breach_after_days:
        status = missing
    elif days_late > terms.grace_days:
        status = EN_RETARD
    else:
        status = JUSTIFICATIF_ATTENDU
    if (
        waiting is not None
        and late_days(terms, period.due, waiting.received) <= terms.breach_after_days
    ):
        status = JUSTIFICATIF_ATTENDU
    return _Check(period, status, False, waiting, days_late)


def _breach_lifted_by(
    terms: ObligationTerms, recorded_on: date, accepted: Sequence[Proof]
) -> Proof | None:
    """The accepted proof, received since the breach, covering the breach period or a later one."""
    breach_period: Period | None = None
    for period in _iter_periods(terms):
        if period.start > recorded_on and breach_period is not None:
            break
        breach_period = period
    assert breach_period is not None  # an obligation always has a first period
    for proof in sorted(accepted, key=lambda p: p.received):
        if proof.received < recorded_on:
            continue
        if covers(proof, breach_period):
            return proof
        if proof.coverage_end is not None:
            if proof.coverage_end > breach_period.end:
                return proof
        elif proof.received > breach_period.end:
            return proof
    return None


def _next_due_date(
    terms: ObligationTerms,
    accepted: Sequence[Proof],
    today: date,
    started: Sequence[Period] = (),
) -> date | None:
    """Due date of the first period, due today or later, not covered by an accepted proof.
    `started`: the first periods, already computed (they are not computed again)."""
    for period in itertools.chain(started, _iter_periods(terms, len(started))):
        suspension = terms.suspension_on(period.due)
        if suspension is not None and suspension.end is None:
            return None  # suspended until further notice: nothing is owed while it lasts
        if period.due < today or suspension is not None:
            continue
        if not any(covers(proof, period) for proof in accepted):
            return period.due
    return None


def evaluate(terms: ObligationTerms, proofs: Iterable[Proof], today: date) -> ComplianceResult:
    """Compliance status of one obligation on `today`, legacy vocabulary (`ComplianceStatus`):
    a proof missing past `breach_after_days` is reported as *manquement*. The apps' entry point
    until they move to `evaluate_obligation`."""
    return _evaluate(terms, proofs, today, MANQUEMENT)


def evaluate_obligation(
    terms: ObligationTerms,
    proofs: Iterable[Proof],
    today: date,
    *,
    incarcerations: Iterable[Span] = (),
    obligation_code: str = "",
) -> ComplianceResult:
    """Compliance status of one obligation on `today` (`ComplianceState`): a proof missing past
    `breach_after_days` is *justificatif manquant*; *manquement* only for a recorded breach.

    `incarcerations`: the person's incarceration periods (R-CP-132-43). Unless the obligation
    (`obligation_code`, a catalogue code) is a ban on contact or on appearing, which keeps
    applying, no proof is owed for a period due in custody and a missing proof does not age
    there (`late_days`)."""
    spans = tuple(incarcerations)
    if spans and not applies_during_incarceration(obligation_code):
        terms = replace(terms, suspended=tuple(merge_spans((*terms.suspended, *spans))))
    return _evaluate(terms, proofs, today, SANS_JUSTIFICATIF)


def _evaluate(
    terms: ObligationTerms, proofs: Iterable[Proof], today: date, missing_status: str
) -> ComplianceResult:
    """See the module docstring for the rules."""
    known = [proof for proof in proofs if proof.received <= today]
    accepted = [proof for proof in known if proof.status == PROOF_ACCEPTED]
    pending = sorted(
        (proof for proof in known if proof.status == PROOF_PENDING), key=lambda p: p.received
    )
    if today < terms.start:
        return ComplianceResult(
            A_JOUR,
            None,
            None,
            (),
            (),
            False,
            f"L'obligation commence le {_fr(terms.start)} : aucun justificatif n'est encore "
            "attendu.",
        )

    periods = obligation_periods(terms, today)
    checks = [_check(terms, p, accepted, pending, today, missing_status) for p in periods]
    uncovered = tuple(c.period for c in checks if c.days_late > 0 and not c.accepted)
    awaiting = tuple(c.period for c in checks if c.days_late > 0 and c.pending is not None)
    missing = [c for c in checks if c.days_late > 0 and c.pending is None and not c.accepted]
    overdue_since = missing[0].period.due + timedelta(days=1) if missing else None
    next_due = _next_due_date(terms, accepted, today, periods)

    status = max((c.status for c in checks), key=status_rank, default=A_JOUR)
    breach_active = False
    lifted_note = ""
    if terms.breach_recorded_on is not None and terms.breach_recorded_on <= today:
        lifting = _breach_lifted_by(terms, terms.breach_recorded_on, accepted)
        if lifting is None:
            breach_active = True
            status = MANQUEMENT
        else:
            lifted_note = (
                f" Le manquement constaté le {_fr(terms.breach_recorded_on)} a été levé par le "
                f"justificatif accepté reçu le {_fr(lifting.received)}."
            )

    explanation = _explain(terms, status, checks, breach_active, next_due, today) + lifted_note
    suspension = terms.suspension_on(today)
    if suspension is not None:
        explanation += (
            f" Obligation suspendue depuis le {_fr(suspension.start)} : les obligations cessent "
            "de s'appliquer pendant l'incarcération (CP art. 132-43 al. 2)."
        )
    elif any(
        not c.accepted and suspended_days_between(terms, c.period.due, today) > 0
        for c in checks
        if c.period.due < today
    ):
        explanation += (
            " Les jours d'incarcération ne sont pas comptés dans le retard (CP art. 132-43 al. 2)."
        )
    if len(uncovered) > 1:
        explanation += f" {len(uncovered)} périodes échues sans justificatif accepté."
    return ComplianceResult(
        status, next_due, overdue_since, uncovered, awaiting, breach_active, explanation
    )


def _explain(
    terms: ObligationTerms,
    status: str,
    checks: Sequence[_Check],
    breach_active: bool,
    next_due: date | None,
    today: date,
) -> str:
    if breach_active and terms.breach_recorded_on is not None:
        return (
            f"Manquement constaté le {_fr(terms.breach_recorded_on)} : aucun justificatif accepté "
            "reçu depuis ne couvre la période concernée."
        )
    if status == A_JOUR:
        if next_due is None:
            if terms.end is not None and terms.end < today:
                return (
                    "À jour : tous les justificatifs attendus jusqu'à la fin de l'obligation, le "
                    f"{_fr(terms.end)}, ont été acceptés."
                )
            return "À jour : le justificatif attendu a été accepté."
        return f"À jour : aucun justificatif manquant. Prochaine échéance le {_fr(next_due)}."
    worst = next(c for c in checks if c.status == status)
    period, late = worst.period, worst.days_late
    if status == MANQUEMENT:
        return (
            f"Manquement : aucun justificatif accepté pour la période {period.label} ; échéance "
            f"du {_fr(period.due)} dépassée de {_days(late)} (seuil de manquement : "
            f"{_days(terms.breach_after_days)})."
        )
    if status == SANS_JUSTIFICATIF:
        return (
            f"Justificatif manquant : aucun justificatif accepté pour la période {period.label} ; "
            f"échéance du {_fr(period.due)} dépassée de {_days(late)} (au-delà de "
            f"{_days(terms.breach_after_days)}). Ce n'est pas un manquement constaté : au CPIP "
            "de l'apprécier."
        )
    if status == EN_RETARD:
        return (
            f"En retard : aucun justificatif accepté pour la période {period.label} ; échéance "
            f"du {_fr(period.due)} dépassée de {_days(late)} (délai de tolérance : "
            f"{_days(terms.grace_days)})."
        )
    if worst.pending is not None and late > 0:
        return (
            f"Justificatif attendu : le justificatif reçu le {_fr(worst.pending.received)} pour la "
            f"période {period.label} est en attente de validation."
        )
    if late > 0:
        return (
            f"Justificatif attendu : échéance du {_fr(period.due)} dépassée de {_days(late)}, "
            f"dans le délai de tolérance de {_days(terms.grace_days)} (période {period.label})."
        )
    return (
        f"Justificatif attendu pour la période {period.label}, à fournir au plus tard le "
        f"{_fr(period.due)}."
    )


def worst_status(statuses: Iterable[str]) -> str:
    """Worst of the statuses (manquement > en retard > justificatif attendu > à jour); à jour if
    there is none."""
    return max(statuses, key=status_rank, default=A_JOUR)


def measure_status(obligation_results: Iterable[ComplianceResult]) -> str:
    """A measure is as compliant as its worst obligation; à jour without obligation to prove."""
    return worst_status(result.status for result in obligation_results)


def person_status(measure_statuses: Iterable[str]) -> str | None:
    """Worst status of the person's measures; None when the person has no measure to follow."""
    statuses = list(measure_statuses)
    return worst_status(statuses) if statuses else None


def conduct_status(
    breach_recorded_on: date | None,
    today: date,
    memory_days: int = DEFAULT_CONDUCT_MEMORY_DAYS,
) -> ComplianceResult | None:
    """An obligation followed without proofs (no cadence, e.g. CP 132-44 1° « répondre aux
    convocations ») has a status only through recorded manquements: *manquement* for
    `memory_days` after the latest one (a missed convocation recorded as a manquement), None
    otherwise (nothing to report). A manquement dated in the future is not yet known."""
    if breach_recorded_on is None or breach_recorded_on > today:
        return None
    if (today - breach_recorded_on).days > memory_days:
        return None
    return ComplianceResult(
        status=MANQUEMENT,
        next_due_date=None,
        overdue_since=None,
        uncovered_periods=(),
        awaiting_review=(),
        breach_active=True,
        explanation=f"Manquement enregistré le {_fr(breach_recorded_on)}.",
    )

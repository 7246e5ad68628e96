"""Ledgers of obligations measured in money or hours, pure functions (no Django imports).

(a) Victim compensation, CP art. 132-45 5° (repair the damage): an amount ordered, a schedule of
    installments and the payments made. Amounts are Decimal euros with at most 2 decimals.
    An installment counts in the arrears from the day after its due date; payments are allocated
    to installments oldest first (a payment in advance settles the next installments).
(b) Travail d'intérêt général: 20 to 400 hours for a délit (CP art. 131-8), 20 to 120 hours for a
    5th-class contravention (CP art. 131-17 in our reading; domain.md cites 131-8 — to confirm),
    done within the delay set by the court, at most 18 months (CP art. 131-22): the due date is
    the one of `legal_deadlines` (`tig_due`), the same as the alerts'. The observed pace is
    judged on the last `pace_weeks` weeks, and only once that many weeks have passed since the
    start (no pace alert while the placement is being arranged).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from parcours.rules.dates import add_months
from parcours.rules.french import euros
from parcours.rules.french import short_date as _fr
from parcours.rules.legal_deadlines import EXECUTION_TIG, RULES, MeasureCase, measure_planned_end

COMPENSATION_ARTICLE = "CP art. 132-45 5°"
CENT = Decimal("0.01")
ZERO = Decimal("0")


def format_euros(amount: Decimal) -> str:
    """'1 234,50 €' (non-breaking spaces): the one French format (rules.french.euros)."""
    return euros(amount)


def format_hours(hours: Decimal) -> str:
    """'12 h', '12,5 h'."""
    text = f"{hours.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
    text = text.removesuffix(".0")
    return text.replace(".", ",") + "\u00a0h"


# --- (a) Victim compensation ----------------------------------------------------------------


@dataclass(frozen=True)
class Installment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class Payment:
    paid_on: date
    amount: Decimal


def _amount_problem(amount: Decimal, what: str) -> str | None:
    if not amount.is_finite() or amount <= 0:
        return f"{what} doit être strictement positif."
    if amount != amount.quantize(CENT):
        return f"{what} s'exprime en euros et centimes (deux décimales au plus)."
    return None


def _beyond_ordered(what: str, total: Decimal, amount_ordered: Decimal) -> list[str]:
    """The French message when `what` (a sum) exceeds the amount ordered; none otherwise."""
    if total <= amount_ordered:
        return []
    return [
        f"{what} ({format_euros(total)}) dépasse le montant ordonné "
        f"({format_euros(amount_ordered)})."
    ]


def _structural_problems(
    amount_ordered: Decimal, schedule: Sequence[Installment], payments: Sequence[Payment]
) -> list[str]:
    amounts = [
        (amount_ordered, "Le montant ordonné"),
        *((item.amount, f"Le montant de l'échéance du {_fr(item.due)}") for item in schedule),
        *((payment.amount, f"Le paiement du {_fr(payment.paid_on)}") for payment in payments),
    ]
    problems = [problem for amount, what in amounts if (problem := _amount_problem(amount, what))]
    if not problems:
        scheduled = sum((item.amount for item in schedule), ZERO)
        problems += _beyond_ordered("L'échéancier", scheduled, amount_ordered)
    return problems


def compensation_problems(
    amount_ordered: Decimal, schedule: Sequence[Installment], payments: Sequence[Payment] = ()
) -> list[str]:
    """French messages for an inconsistent compensation ledger (empty list when valid),
    including payments exceeding the amount ordered (a likely entry error)."""
    problems = _structural_problems(amount_ordered, schedule, payments)
    if not problems:
        paid = sum((payment.amount for payment in payments), ZERO)
        problems += _beyond_ordered("Le total des paiements", paid, amount_ordered)
    return problems


MAX_INSTALLMENTS = 120


def monthly_schedule(amount: Decimal, first_due: date, count: int) -> list[Installment]:
    """`count` monthly installments from `first_due` (same day of month, clamped to the month's
    end) summing exactly to `amount`: equal amounts in cents, the rounding difference on the last
    one. Raises ValueError with a French message on an impossible schedule."""
    problem = _amount_problem(amount, "Le montant à échéancer")
    if problem:
        raise ValueError(problem)
    if not 1 <= count <= MAX_INSTALLMENTS:
        raise ValueError(f"Le nombre d'échéances doit être compris entre 1 et {MAX_INSTALLMENTS}.")
    each = (amount / count).quantize(CENT, rounding=ROUND_HALF_UP)
    if each <= 0:
        raise ValueError("Trop d'échéances pour ce montant : chacune serait nulle.")
    amounts = [each] * (count - 1)
    last = amount - each * (count - 1)
    if last <= 0:
        raise ValueError("Trop d'échéances pour ce montant : la dernière serait nulle.")
    amounts.append(last)
    return [Installment(add_months(first_due, i), value) for i, value in enumerate(amounts)]


@dataclass(frozen=True)
class CompensationStatus:
    amount_ordered: Decimal
    scheduled_total: Decimal
    paid_total: Decimal  # payments made on or before the date
    balance: Decimal  # left to pay, never negative
    due_to_date: Decimal  # installments due before the date
    arrears: Decimal  # due_to_date - paid_total, never negative
    next_installment: Installment | None  # first installment due on/after the date, amount left
    fully_paid: bool
    overpaid: Decimal
    explanation: str


def compensation_status(
    amount_ordered: Decimal,
    schedule: Sequence[Installment],
    payments: Sequence[Payment],
    on: date,
) -> CompensationStatus:
    """Where the victim compensation stands on `on` (CP art. 132-45 5°)."""
    problems = _structural_problems(amount_ordered, schedule, payments)
    if problems:
        raise ValueError(" ".join(problems))
    ordered_schedule = sorted(schedule, key=lambda item: item.due)
    scheduled = sum((item.amount for item in ordered_schedule), ZERO)
    paid = sum((p.amount for p in payments if p.paid_on <= on), ZERO)
    balance = max(amount_ordered - paid, ZERO)
    overpaid = max(paid - amount_ordered, ZERO)
    due_to_date = sum((item.amount for item in ordered_schedule if item.due < on), ZERO)
    arrears = max(due_to_date - paid, ZERO)

    next_installment = None
    pool = paid
    for item in ordered_schedule:
        settled = min(pool, item.amount)
        pool -= settled
        if item.due >= on and settled < item.amount:
            next_installment = Installment(item.due, item.amount - settled)
            break

    parts = [
        f"Indemnisation de la victime ({COMPENSATION_ARTICLE}) : {format_euros(amount_ordered)} "
        f"ordonnés, {format_euros(paid)} versés au {_fr(on)}, reste {format_euros(balance)}."
    ]
    if balance == 0:
        parts.append("Le montant ordonné est entièrement réglé.")
    else:
        if arrears > 0:
            parts.append(f"Arriéré : {format_euros(arrears)} d'échéances non réglées.")
        else:
            parts.append("Aucun arriéré.")
        if next_installment is not None:
            parts.append(
                f"Prochaine échéance : {format_euros(next_installment.amount)} le "
                f"{_fr(next_installment.due)}."
            )
        unscheduled = amount_ordered - scheduled
        if unscheduled > 0:
            parts.append(f"{format_euros(unscheduled)} ne sont pas encore échéancés.")
    if overpaid > 0:
        parts.append(f"Trop-versé de {format_euros(overpaid)} à vérifier.")
    return CompensationStatus(
        amount_ordered=amount_ordered,
        scheduled_total=scheduled,
        paid_total=paid,
        balance=balance,
        due_to_date=due_to_date,
        arrears=arrears,
        next_installment=next_installment,
        fully_paid=paid >= amount_ordered,
        overpaid=overpaid,
        explanation=" ".join(parts),
    )


# --- (b) Travail d'intérêt général ------------------------------------------------------------

TIG_DELIT = "delit"
TIG_CONTRAVENTION_5 = "contravention_5e_classe"


@dataclass(frozen=True)
class HoursBounds:
    minimum: int
    maximum: int
    article: str
    offence_label: str


TIG_HOURS_BOUNDS: dict[str, HoursBounds] = {
    TIG_DELIT: HoursBounds(20, 400, "CP art. 131-8", "un délit"),
    # domain.md cites CP 131-8 for this bound too; to confirm with the legal team.
    TIG_CONTRAVENTION_5: HoursBounds(20, 120, "CP art. 131-17", "une contravention de 5e classe"),
}
DEFAULT_PACE_WEEKS = 8
MAX_HOURS_PER_DAY = Decimal(24)
PACE_STEP = Decimal("0.1")


def tig_hours_problem(hours: int | None, offence: str = TIG_DELIT) -> str | None:
    """CP art. 131-8: French message when the hours ordered are out of bounds, else None."""
    bounds = TIG_HOURS_BOUNDS.get(offence)
    if bounds is None:
        raise ValueError(f"Nature d'infraction inconnue : {offence!r}.")
    if hours is None:
        return "Indiquez le nombre d'heures de TIG ordonnées."
    if not bounds.minimum <= hours <= bounds.maximum:
        return (
            f"Pour {bounds.offence_label}, le TIG est de {bounds.minimum} à {bounds.maximum} "
            f"heures ({bounds.article})."
        )
    return None


@dataclass(frozen=True)
class WorkSession:
    day: date
    hours: Decimal


def work_sessions_problems(sessions: Iterable[WorkSession]) -> list[str]:
    """French messages for impossible hours (not positive, or over 24 h in a day)."""
    problems = []
    per_day: dict[date, Decimal] = {}
    for session in sessions:
        if not session.hours.is_finite() or session.hours <= 0:
            problems.append(
                f"Les heures effectuées le {_fr(session.day)} doivent être strictement positives."
            )
            continue
        per_day[session.day] = per_day.get(session.day, ZERO) + session.hours
    for day, total in sorted(per_day.items()):
        if total > MAX_HOURS_PER_DAY:
            problems.append(f"Plus de 24 heures déclarées le {_fr(day)}.")
    return problems


@dataclass(frozen=True)
class TigProgress:
    hours_ordered: int
    hours_done: Decimal  # sessions on or before today
    remaining: Decimal
    deadline: date
    required_pace: Decimal | None  # hours per week to finish by the deadline (None: done/late)
    observed_pace: Decimal  # hours per week over the observation window
    projected_completion: date | None  # completion date when done; None when pace is zero
    completed: bool
    alerts: tuple[str, ...]
    explanation: str


def _per_week(hours: Decimal, days: int) -> Decimal:
    return hours * 7 / Decimal(days)


def _rounded(pace: Decimal) -> Decimal:
    return pace.quantize(PACE_STEP, rounding=ROUND_HALF_UP)


def tig_progress(
    hours_ordered: int,
    sessions: Sequence[WorkSession],
    enforceable_from: date,
    today: date,
    *,
    due: date,
    due_explanation: str = "",
    pace_weeks: int = DEFAULT_PACE_WEEKS,
) -> TigProgress:
    """Hours done, remaining, deadline (CP art. 131-22), required and observed pace, alerts.

    `due`: the TIG's due date from `legal_deadlines` (court delay + suspensions of the
    timeline, `tig_due`), so that the register and the alerts show one date (issue 13), and
    `due_explanation` its computation in French."""
    if hours_ordered <= 0:
        raise ValueError("Le nombre d'heures de TIG ordonnées doit être strictement positif.")
    if pace_weeks <= 0:
        raise ValueError("La période d'observation du rythme doit être d'au moins une semaine.")
    problems = work_sessions_problems(sessions)
    if problems:
        raise ValueError(" ".join(problems))
    rule = RULES[EXECUTION_TIG]
    deadline = due

    done_sessions = sorted((s for s in sessions if s.day <= today), key=lambda s: s.day)
    done = sum((s.hours for s in done_sessions), ZERO)
    ordered = Decimal(hours_ordered)
    remaining = max(ordered - done, ZERO)
    completed = remaining == 0

    elapsed_days = (today - enforceable_from).days + 1
    window_days = max(0, min(pace_weeks * 7, elapsed_days))
    window_start = today - timedelta(days=window_days)
    window_hours = sum((s.hours for s in done_sessions if s.day > window_start), ZERO)
    observed = _per_week(window_hours, window_days) if window_days else ZERO
    window_complete = elapsed_days >= pace_weeks * 7

    required: Decimal | None = None
    if not completed and today <= deadline:
        available_days = (deadline - max(today, enforceable_from)).days + 1
        required = _rounded(_per_week(remaining, available_days))

    projected: date | None = None
    if completed:
        cumulative = ZERO
        for session in done_sessions:
            cumulative += session.hours
            if cumulative >= ordered:
                projected = session.day
                break
    elif observed > 0:
        days_needed = math.ceil(remaining * 7 / observed)
        room = (date.max - today).days
        projected = today + timedelta(days=days_needed) if days_needed <= room else date.max

    article = rule.article
    found_alerts: list[str] = []
    if not completed and today > deadline:
        found_alerts.append(
            f"Délai d'exécution dépassé ({article}) : il reste {format_hours(remaining)} à "
            f"effectuer, l'échéance était le {_fr(deadline)}."
        )
    elif not completed and window_complete and (projected is None or projected > deadline):
        found_alerts.append(
            f"Le rythme actuel ne permet pas de finir à temps : {format_hours(observed)} par "
            f"semaine sur les {pace_weeks} dernières semaines, il en faudrait "
            f"{format_hours(required or ZERO)} par semaine pour finir avant le {_fr(deadline)} "
            f"({article})."
        )

    deadline_words = due_explanation or (
        f"Délai d'exécution : au plus tard le {_fr(deadline)} ({article})."
    )
    summary = (
        f"TIG de {hours_ordered}\u00a0h : {format_hours(done)} effectuées, reste "
        f"{format_hours(remaining)}. {deadline_words}"
    )
    if completed:
        summary += " Les heures ordonnées sont entièrement effectuées."
        if projected is not None:
            summary = summary[:-1] + f", le {_fr(projected)}."
    elif today < enforceable_from:
        summary += f" Le délai court à compter du {_fr(enforceable_from)}."
    else:
        if required is not None:
            summary += f" Rythme nécessaire : {format_hours(required)} par semaine."
        if window_complete:
            summary += (
                f" Rythme observé sur les {pace_weeks} dernières semaines : "
                f"{format_hours(observed)} par semaine."
            )
        else:
            summary += (
                f" Rythme observé depuis le début : {format_hours(observed)} par semaine "
                f"(moins de {pace_weeks} semaines écoulées, pas d'alerte sur le rythme)."
            )
    return TigProgress(
        hours_ordered=hours_ordered,
        hours_done=done,
        remaining=remaining,
        deadline=deadline,
        required_pace=required,
        observed_pace=_rounded(observed),
        projected_completion=projected,
        completed=completed,
        alerts=tuple(found_alerts),
        explanation=summary,
    )


@dataclass(frozen=True)
class TigDue:
    """The TIG's one due date (CP art. 131-22, R-CP-131-22), or why it is not known."""

    day: date | None
    explanation: str  # French: the computation ("Fin du délai d'exécution du TIG le …")


def tig_due(case: MeasureCase, as_of: date) -> TigDue:
    """The due date of a TIG from its timeline, the same function as the alerts
    (`legal_deadlines.measure_planned_end`: the court-set delay from the exécutoire date, pushed
    back by the suspensions of CP 131-22). A delay out of bounds gives its French error."""
    try:
        end = measure_planned_end(case, as_of)
    except ValueError as problem:
        return TigDue(None, str(problem))
    if end.day is None:
        return TigDue(None, end.explanation)
    words = end.explanation.replace("Fin prévue le", "Délai d'exécution : au plus tard le", 1)
    return TigDue(end.day, words)

"""LEGACY legal deadlines, kept unchanged for the apps (alerts) until they call the new engine.

The rules below were coded from a summary; issue 13 checked them against the codes
(docs/legal-sources.md, "Findings of the review"). The engine that follows the text is
`parcours.rules.legal_deadlines` (on the measure's timeline, `parcours.rules.timeline`); this
module stays as it was so that `alerts` keeps working, and will be removed once `alerts` is wired
to `legal_deadlines.measure_report`. Known differences with the text:

- CPP art. 741-1: here 8 days only for the measure types `ssj` and `surveillance_judiciaire`;
  the text tests the offence (and CPénit R. 621-2 the B1 and the SPR) — R-CPP-741-1.
- CPP art. 723-15-1: here 2 months from the file's receipt; the text counts from the JAP's
  referral to the SPIP — R-CPP-723-15-1. 474 (notices handed at the hearing) is not modelled.
- CPP art. 741-2: here a yearly reassessment for every sursis probatoire, from the start,
  never rolling; the text: SPR only, rolling from the last re-evaluation — R-CPP-741-2-*.
- CP art. 131-22 and 132-43: suspensions ignored by `measure_deadlines` — R-CP-131-22,
  R-CP-132-43. CP art. 131-5-1: the stage runs from the date the conviction is définitive.

Article references and delays are data (`DEADLINE_RULES`). Each calculator accepts the delay as
a keyword parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from parcours.rules.dates import add_months, delay_words
from parcours.rules.french import short_date as _fr

PREMIERE_CONVOCATION_SSJ = "premiere_convocation_ssj"
PREMIERE_CONVOCATION = "premiere_convocation"
CONVOCATION_JAP_723_15 = "convocation_jap_723_15"
CONVOCATION_SPIP_723_15 = "convocation_spip_723_15"
RAPPORT_SPIP_723_15_1 = "rapport_spip_723_15_1"
OBLIGATIONS_RENFORCE = "obligations_renforce"
REEVALUATION_ANNUELLE = "reevaluation_annuelle"
EXECUTION_TIG = "execution_tig"
EXECUTION_STAGE = "execution_stage"
FIN_MESURE = "fin_mesure"

DEPASSEE = "depassee"
IMMINENTE = "imminente"
A_VENIR = "a_venir"
URGENCY_LABELS: dict[str, str] = {
    DEPASSEE: "Dépassée",
    IMMINENTE: "Imminente",
    A_VENIR: "À venir",
}
DEFAULT_IMMINENT_DAYS = 7  # local practice
DEFAULT_MEASURE_END_NOTICE_DAYS = 30  # local practice


@dataclass(frozen=True)
class DeadlineRule:
    label: str
    article: str
    from_event: str  # completes "à compter …"
    months: int = 0
    days: int = 0
    notice_days: int | None = None  # None: the default imminence window of `alerts`


DEADLINE_RULES: dict[str, DeadlineRule] = {
    PREMIERE_CONVOCATION_SSJ: DeadlineRule(
        "Première convocation au SPIP après la libération (infraction relevant du SSJ)",
        "CPP art. 741-1",
        "de la libération",
        days=8,
    ),
    PREMIERE_CONVOCATION: DeadlineRule(
        "Première convocation au SPIP après la libération",
        "CPP art. 741-1",
        "de la libération",
        months=1,
    ),
    # Starting event of the three 723-15 delays: receipt of the file (to confirm).
    CONVOCATION_JAP_723_15: DeadlineRule(
        "Convocation devant le JAP (procédure 723-15)",
        "CPP art. 723-15",
        "de la réception du dossier",
        days=30,
    ),
    CONVOCATION_SPIP_723_15: DeadlineRule(
        "Convocation au SPIP (procédure 723-15)",
        "CPP art. 723-15",
        "de la réception du dossier",
        days=45,
    ),
    RAPPORT_SPIP_723_15_1: DeadlineRule(
        "Rapport du SPIP au JAP (procédure 723-15)",
        "CPP art. 723-15-1",
        "de la réception du dossier",
        months=2,
    ),
    OBLIGATIONS_RENFORCE: DeadlineRule(
        "Fixation des obligations du sursis probatoire renforcé",
        "CP art. 132-41-1",
        "du jugement",
        months=4,
    ),
    REEVALUATION_ANNUELLE: DeadlineRule(
        "Réévaluation de la situation (au moins annuelle)",
        "CPP art. 741-2",
        "de la dernière évaluation",
        months=12,
    ),
    EXECUTION_TIG: DeadlineRule(
        "Fin du délai d'exécution du TIG",
        "CP art. 131-22",
        "de la date à laquelle la peine est exécutoire",
        months=18,
    ),
    EXECUTION_STAGE: DeadlineRule(
        "Fin du délai d'exécution du stage",
        "CP art. 131-5-1",
        "de la date à laquelle la peine est exécutoire",
        months=6,
    ),
    FIN_MESURE: DeadlineRule(
        "Fin de la mesure",
        "",  # the date comes from the decision, not from a delay in the code
        "",
        notice_days=DEFAULT_MEASURE_END_NOTICE_DAYS,
    ),
}

# Measure types (catalogue codes) reassessed at least yearly under CPP art. 741-2.
YEARLY_REASSESSMENT_TYPES: frozenset[str] = frozenset(
    {"sursis_probatoire", "sursis_probatoire_renforce"}
)


def delay_label(months: int, days: int) -> str:
    """'1 mois', '45 jours', '2 mois et 3 jours' (dates.delay_words)."""
    return delay_words(months, days)


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    due: date
    article: str
    explanation: str
    notice_days: int | None = None  # imminence window for this deadline; None: the default


def deadline(
    kind: str,
    start: date,
    *,
    months: int | None = None,
    days: int | None = None,
    extra_days: int = 0,
) -> Deadline:
    """Deadline of `kind` counted from `start` in calendar months then days (delays from
    DEADLINE_RULES unless given); `extra_days` pushes it back (e.g. a suspension)."""
    rule = DEADLINE_RULES[kind]
    months = rule.months if months is None else months
    days = rule.days if days is None else days
    if months < 0 or days < 0 or extra_days < 0:
        raise ValueError("Un délai ne peut pas être négatif.")
    due = add_months(start, months) + timedelta(days=days + extra_days)
    explanation = (
        f"{rule.label} : au plus tard le {_fr(due)}, soit {delay_label(months, days)} à compter "
        f"{rule.from_event} ({_fr(start)})"
    )
    if extra_days:
        explanation += f", prolongé de {delay_label(0, extra_days)} de suspension"
    explanation += f" — {rule.article}." if rule.article else "."
    return Deadline(kind, rule.label, due, rule.article, explanation, rule.notice_days)


def first_convocation_after_release(
    release: date, *, ssj_eligible: bool, days: int | None = None, months: int | None = None
) -> Deadline:
    """CPP art. 741-1: 8 days when the offence allows a SSJ, else 1 month after release."""
    if ssj_eligible:
        return deadline(PREMIERE_CONVOCATION_SSJ, release, days=days, months=months)
    return deadline(PREMIERE_CONVOCATION, release, days=days, months=months)


def procedure_723_15(file_received: date) -> list[Deadline]:
    """CPP art. 723-15 and 723-15-1: JAP convocation, SPIP convocation, SPIP report."""
    return [
        deadline(CONVOCATION_JAP_723_15, file_received),
        deadline(CONVOCATION_SPIP_723_15, file_received),
        deadline(RAPPORT_SPIP_723_15_1, file_received),
    ]


def renforce_obligations(judgment: date) -> Deadline:
    """CP art. 132-41-1: obligations of a sursis probatoire renforcé fixed within 4 months."""
    return deadline(OBLIGATIONS_RENFORCE, judgment)


def yearly_reassessment(measure_start: date, last_assessment: date | None = None) -> Deadline:
    """CPP art. 741-2: 12 months after the last assessment, or after the start without one."""
    return deadline(REEVALUATION_ANNUELLE, last_assessment or measure_start)


def _bounded_completion(
    kind: str, enforceable_from: date, months: int | None, suspended_days: int
) -> Deadline:
    rule = DEADLINE_RULES[kind]
    if months is not None and not 0 < months <= rule.months:
        raise ValueError(
            f"Le délai d'exécution fixé doit être compris entre 1 et {rule.months} mois "
            f"({rule.article})."
        )
    return deadline(kind, enforceable_from, months=months, extra_days=suspended_days)


def tig_completion(
    enforceable_from: date, *, months: int | None = None, suspended_days: int = 0
) -> Deadline:
    """CP art. 131-22: the delay set by the court (at most 18 months), pushed back by the days
    of suspension (incarceration, serious reason)."""
    return _bounded_completion(EXECUTION_TIG, enforceable_from, months, suspended_days)


def stage_completion(enforceable_from: date, *, months: int | None = None) -> Deadline:
    """CP art. 131-5-1: stage done within 6 months."""
    return _bounded_completion(EXECUTION_STAGE, enforceable_from, months, 0)


def measure_end(end: date, *, notice_days: int = DEFAULT_MEASURE_END_NOTICE_DAYS) -> Deadline:
    """The end date of the measure, imminent `notice_days` before (end-of-measure report)."""
    if notice_days < 0:
        raise ValueError("Un délai ne peut pas être négatif.")
    rule = DEADLINE_RULES[FIN_MESURE]
    explanation = (
        f"{rule.label} le {_fr(end)} : préparer le rapport de fin de mesure "
        f"(alerte {delay_label(0, notice_days)} avant)."
    )
    return Deadline(FIN_MESURE, rule.label, end, rule.article, explanation, notice_days)


@dataclass(frozen=True)
class MeasureFacts:
    """What the deadlines of one measure depend on; unknown dates are None."""

    type_code: str  # catalogue code, e.g. "sursis_probatoire_renforce", "tig", "stage"
    start: date | None = None
    end: date | None = None
    judgment: date | None = None
    release: date | None = None
    ssj_eligible: bool = False
    file_received_723_15: date | None = None
    last_assessment: date | None = None
    enforceable_from: date | None = None
    completion_months: int | None = None  # TIG or stage delay set by the court
    suspended_days: int = 0


def measure_deadlines(facts: MeasureFacts) -> list[Deadline]:
    """Every legal deadline that applies to the measure, in due-date order."""
    found: list[Deadline] = []
    if facts.release is not None:
        found.append(
            first_convocation_after_release(facts.release, ssj_eligible=facts.ssj_eligible)
        )
    if facts.file_received_723_15 is not None:
        found.extend(procedure_723_15(facts.file_received_723_15))
    if facts.type_code == "sursis_probatoire_renforce" and facts.judgment is not None:
        found.append(renforce_obligations(facts.judgment))
    if facts.type_code in YEARLY_REASSESSMENT_TYPES and facts.start is not None:
        found.append(yearly_reassessment(facts.start, facts.last_assessment))
    enforceable = facts.enforceable_from or facts.start
    if facts.type_code == "tig" and enforceable is not None:
        found.append(
            tig_completion(
                enforceable, months=facts.completion_months, suspended_days=facts.suspended_days
            )
        )
    if facts.type_code == "stage" and enforceable is not None:
        found.append(stage_completion(enforceable, months=facts.completion_months))
    if facts.end is not None:
        found.append(measure_end(facts.end))
    return sorted(found, key=lambda d: d.due)


@dataclass(frozen=True)
class DeadlineAlert:
    deadline: Deadline
    urgency: str
    days: int  # days overdue when "depassee", else days left (0: today)
    message: str


def urgency(
    item: Deadline, today: date, *, imminent_days: int = DEFAULT_IMMINENT_DAYS
) -> tuple[str, int]:
    """('depassee', days overdue) after the due date; ('imminente', days left) within the notice
    window (the deadline's own, else `imminent_days`, due date included); else ('a_venir', days
    left)."""
    left = (item.due - today).days
    if left < 0:
        return DEPASSEE, -left
    notice = item.notice_days if item.notice_days is not None else imminent_days
    return (IMMINENTE if left <= notice else A_VENIR), left


def _message(item: Deadline, level: str, days: int) -> str:
    reference = f" ({item.article})" if item.article else ""
    if level == DEPASSEE:
        plural = "jour" if days == 1 else "jours"
        return (
            f"{item.label} : échéance dépassée de {days} {plural} (le {_fr(item.due)}){reference}."
        )
    if days == 0:
        return f"{item.label} : échéance aujourd'hui{reference}."
    plural = "jour" if days == 1 else "jours"
    return f"{item.label} : échéance dans {days} {plural}, le {_fr(item.due)}{reference}."


def alerts(
    deadlines: Iterable[Deadline],
    today: date,
    *,
    imminent_days: int = DEFAULT_IMMINENT_DAYS,
    horizon_days: int | None = None,
) -> list[DeadlineAlert]:
    """Alerts by urgency: overdue first (most overdue first), then the others by due date.
    With `horizon_days`, deadlines due later than today + horizon are left out."""
    found = []
    for item in deadlines:
        level, days = urgency(item, today, imminent_days=imminent_days)
        if level == A_VENIR and horizon_days is not None and days > horizon_days:
            continue
        found.append(DeadlineAlert(item, level, days, _message(item, level, days)))

    def order(alert: DeadlineAlert) -> tuple[int, int, date, str]:
        if alert.urgency == DEPASSEE:
            return (0, -alert.days, alert.deadline.due, alert.deadline.label)
        return (1, 0, alert.deadline.due, alert.deadline.label)

    return sorted(found, key=order)

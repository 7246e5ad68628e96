"""How long a person's file is kept, per kind of record, and whether it is due for the purge.

Rows `R-RETENTION-*` of docs/legal-sources.md. The text read: the APPI processing (CPP R. 57-4-1,
which since 1 May 2022 sends to CPénit R. 113-49 ff.) keeps the data "cinq ans à compter de la
fin de la peine, de la fin de la mesure d'aménagement de la peine ou de la mesure de sûreté"
(former CPP R. 57-4-4, version 11 April 2014 → 1 May 2022, codified "à droit constant"). One
period for the whole file: the kinds below differ only by what happens when it runs out
(deleted, or kept without identity for the statistics CPénit R. 113-49 6° allows).

Counting (R-DATES-DELAYS): the period runs from the day after the end of the last measure; the
file is kept through end + 5 years and is due the next day. A file with a measure still open is
never due. A file without any measure has no period in force (the second alinéa of R. 57-4-4,
"five years from recording", was annulled by CE 11 April 2014 n° 355624): it is not purged, only
reported for a human decision.

Pure Python (import-linter contract "rules-pure").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .dates import add_months

RETENTION_YEARS = 5
SOURCE = (
    "CPP R. 57-4-1 → CPénit R. 113-49 s. ; ancien CPP R. 57-4-4 (5 ans après la fin de la mesure)"
)


class Action(StrEnum):
    PURGE = "purge"  # the rows are deleted (and their files)
    ANONYMISE = "anonymise"  # the row stays for statistics, without identity or free text


class StartEvent(StrEnum):
    LAST_MEASURE_END = "last_measure_end"


@dataclass(frozen=True)
class RetentionRule:
    kind: str  # the key used by the purge's report
    label: str  # French, for the report and the docs
    action: Action
    years: int = RETENTION_YEARS
    start: StartEvent = StartEvent.LAST_MEASURE_END
    article: str = SOURCE
    convention: str = ""  # set when no text names this kind: our choice, flagged as a doubt


NO_SPECIFIC_TEXT = "Aucun texte propre à ce type de donnée : durée du dossier (convention)."

RULES: tuple[RetentionRule, ...] = (
    RetentionRule("identite", "Identité de la personne", action=Action.ANONYMISE),
    RetentionRule("adresses", "Adresses", action=Action.PURGE),
    RetentionRule("affectations", "Historique des référents", action=Action.PURGE),
    RetentionRule("incarcerations", "Périodes d'incarcération", action=Action.PURGE),
    RetentionRule("mesures", "Mesures", action=Action.ANONYMISE),
    RetentionRule("obligations", "Obligations", action=Action.ANONYMISE),
    RetentionRule(
        "justificatifs",
        "Justificatifs et fichiers déposés",
        action=Action.PURGE,
        convention=NO_SPECIFIC_TEXT,
    ),
    RetentionRule("rendez_vous", "Rendez-vous", action=Action.ANONYMISE),
    RetentionRule("manquements", "Manquements", action=Action.ANONYMISE),
    RetentionRule("registres", "Registres TIG et indemnisation", action=Action.ANONYMISE),
    RetentionRule("notes", "Notes de suivi", action=Action.PURGE, convention=NO_SPECIFIC_TEXT),
    RetentionRule("rapports", "Rapports et fichiers figés", action=Action.PURGE),
    RetentionRule("messages", "SMS et courriels", action=Action.PURGE, convention=NO_SPECIFIC_TEXT),
    RetentionRule("alertes", "Alertes", action=Action.PURGE),
    # Issues 15, 17 and 18 (lifecycle2): milieu fermé marks, check-ins, the accompaniment and
    # the person's space, all part of the same file.
    RetentionRule(
        "amenagements", "Aménagements de peine étudiés (milieu fermé)", action=Action.PURGE
    ),
    RetentionRule("controles", "Contrôles à distance (plans et réponses)", action=Action.PURGE),
    RetentionRule("evaluations", "Évaluations et auto-évaluations", action=Action.PURGE),
    RetentionRule("plans", "Plans d'accompagnement (objectifs, étapes)", action=Action.PURGE),
    RetentionRule("orientations", "Orientations vers les partenaires", action=Action.PURGE),
    RetentionRule("espace", "Espace personnel (compte, sessions, messages)", action=Action.PURGE),
)
RULES_BY_KIND = {rule.kind: rule for rule in RULES}


@dataclass(frozen=True)
class MeasureDates:
    """What the purge needs of one measure: still open, and when it ended (the effective end,
    else the planned end; None when neither is known)."""

    open: bool
    ended_on: date | None


@dataclass(frozen=True)
class Decision:
    due: bool
    reason: str  # French, for the report
    kept_until: date | None = None  # the last day the file is kept


def end_of_retention(last_end: date, years: int = RETENTION_YEARS) -> date:
    """The last day the file is kept: the end of the last measure + `years` (R-DATES-MONTHS)."""
    return add_months(last_end, 12 * years)


def file_decision(measures: Iterable[MeasureDates], today: date) -> Decision:
    """Whether a person's file is past retention on `today`, and why (French)."""
    items = list(measures)
    if not items:
        return Decision(False, "Aucune mesure : pas de durée applicable, à examiner.")
    open_count = sum(1 for m in items if m.open)
    if open_count:
        return Decision(False, f"Mesure en cours ({open_count}) : le dossier est conservé.")
    if any(m.ended_on is None for m in items):
        return Decision(False, "Fin d'une mesure inconnue : à examiner.")
    last_end = max(m.ended_on for m in items if m.ended_on is not None)
    kept_until = end_of_retention(last_end)
    if today > kept_until:
        return Decision(
            True,
            f"Dernière mesure terminée le {last_end:%d/%m/%Y} : conservé jusqu'au "
            f"{kept_until:%d/%m/%Y} ({RETENTION_YEARS} ans).",
            kept_until,
        )
    return Decision(
        False,
        f"Dernière mesure terminée le {last_end:%d/%m/%Y} : conservé jusqu'au "
        f"{kept_until:%d/%m/%Y}.",
        kept_until,
    )


def latest_end_due(today: date, years: int = RETENTION_YEARS) -> date:
    """The latest end of measure whose file is due on `today` (the database pre-filter):
    end + years < today ⇔ end ≤ this date, with the month-end clamp of add_months."""
    candidate = add_months(today, -12 * years)
    while end_of_retention(candidate, years) >= today:
        candidate = date.fromordinal(candidate.toordinal() - 1)
    return candidate

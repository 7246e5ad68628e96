"""Legal deadlines as pure functions of the measure's timeline (issue 13).

Each deadline cites its row in docs/legal-sources.md (`source`), its article, and explains in
French why it is due then ("Pourquoi cette échéance ?": inputs, article, computation). Status on
a given local date (`as_of`, the SPIP's date: dates.local_date):

- `done` when the action it asks for is recorded (first convocation held, report sent,
  ordinance, TIG hours all done…), whatever the date;
- `overdue` after the due date; `due_soon` when the last working day before the due date is at
  most `notice_days` away; `upcoming` otherwise.

The rules (kinds, articles, delays, what closes them) are data (`RULES`): the CPP is being
recodified, a new number is a one-line change here and in docs/legal-sources.md.

This module replaces, once the apps are wired to it, the legacy `deadlines.measure_deadlines`
(kept unchanged for the apps until then).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from parcours.rules.dates import (
    add_delay,
    add_months,
    delay_words,
    last_working_day,
    non_working_reason,
)
from parcours.rules.french import short_date as _fr
from parcours.rules.timeline import (
    AJOURNEMENT_PROBATION,
    PROBATION_TYPES,
    SSJ,
    STAGE,
    SURSIS_PROBATOIRE,
    SURSIS_PROBATOIRE_RENFORCE,
    SURSIS_TYPES,
    SURVEILLANCE_JUDICIAIRE,
    TIG,
    ConvictionFacts,
    MeasureTimeline,
    PlannedEnd,
    legal_start,
    planned_end,
    push_back,
)
from parcours.rules.vocabulary import DeadlineStatus

UPCOMING, DUE_SOON, OVERDUE, DONE = DeadlineStatus
STATUS_LABELS: dict[str, str] = dict(DeadlineStatus.choices)
DEFAULT_NOTICE_DAYS = 7  # local practice

# Parameters of the rules (docs/legal-sources.md says why each has this value).
FREE_CONVICT_MAX_MONTHS = 12  # CPP art. 474 and 723-15: prison (or what remains) ≤ 1 year
# CPP 741-2 al. 2: the JAP's ordinance within 4 months. The issue reads it as due only when the
# court did not set the obligations (CP 132-41-1 al. 4); the text can also be read as applying
# in both cases (the JAP always sets the mesures d'aide). False: the reading.
ORDINANCE_ALSO_WHEN_COURT_SET = False
RELEASE_SSJ_DAYS = 8  # CPP 741-1 and CPénit R. 621-2: 8 days instead of 1 month
SPR_PROVISIONAL_DAYS = 8  # CPP D. 546-2: with exécution provisoire
SPR_EARLIEST_DAY = 10  # CPP D. 546-2: otherwise between the 10th and the 15th day

KindKey = str
PREMIERE_CONVOCATION = "premiere_convocation"  # CPP 741-1, peine mixte
CONVOCATION_LIBERATION_SSJ = "convocation_liberation_ssj"  # CPP 763-7-1
CONVOCATION_LIBERATION_SJ = "convocation_liberation_sj"  # CPP D. 147-40-2
CONVOCATION_JAP_474 = "convocation_jap_474"
CONVOCATION_SPIP_474 = "convocation_spip_474"
CONVOCATION_SPIP_SPR = "convocation_spip_spr"  # CPP D. 546-2
CONVOCATION_JAP_723_15 = "convocation_jap_723_15"
CONVOCATION_SPIP_723_15 = "convocation_spip_723_15"
RAPPORT_SPIP_723_15_1 = "rapport_spip_723_15_1"
RAPPORT_EVALUATION_SPR = "rapport_evaluation_spr"  # CPP D. 546-3, CPénit. D. 621-10
OBLIGATIONS_RENFORCE = "obligations_renforce"  # CPP 741-2 al. 2, D. 546-4
REEVALUATION_ANNUELLE = "reevaluation_annuelle"  # CPP 741-2 al. 3, D. 546-6
EXECUTION_TIG = "execution_tig"  # CP 131-22
EXECUTION_STAGE = "execution_stage"  # CP 131-5-1
DECISION_AJOURNEMENT = "decision_ajournement"  # CP 132-65 al. 2
RAPPORT_FIN_MESURE = "rapport_fin_mesure"  # CPénit. (rapport de fin de mesure)
FIN_MESURE = "fin_mesure"


@dataclass(frozen=True)
class LegalRule:
    label: str
    article: str
    source: str  # row of docs/legal-sources.md
    action: str  # what, once recorded, makes it done (French)
    closed_by: str  # the `Actions` field that records it (`ended_on`: MeasureTimeline's)
    months: int = 0  # the delay (an upper bound where the court sets it)
    days: int = 0
    notice_days: int | None = None  # None: the caller's default


RULES: dict[KindKey, LegalRule] = {
    PREMIERE_CONVOCATION: LegalRule(
        "Première convocation au SPIP après la libération (peine mixte)",
        "CPP art. 741-1 ; CPénit. art. R. 621-2",
        "R-CPP-741-1",
        "premier entretien au SPIP tenu",
        "first_spip_meeting_on",
        months=1,
    ),
    CONVOCATION_LIBERATION_SSJ: LegalRule(
        "Convocation devant le JAP ou le SPIP après la libération (suivi socio-judiciaire)",
        "CPP art. 763-7-1",
        "R-CPP-763-7-1",
        "premier entretien au SPIP ou audience devant le JAP tenu",
        "first_spip_meeting_on",
        days=8,
    ),
    CONVOCATION_LIBERATION_SJ: LegalRule(
        "Convocation devant le JAP après la libération (surveillance judiciaire)",
        "CPP art. D. 147-40-2",
        "R-CPP-D147-40-2",
        "audience devant le JAP tenue",
        "first_jap_meeting_on",
        days=8,
    ),
    CONVOCATION_JAP_474: LegalRule(
        "Comparution devant le JAP (avis remis à l'audience)",
        "CPP art. 474 al. 1",
        "R-CPP-474",
        "audience devant le JAP tenue",
        "first_jap_meeting_on",
        days=30,
    ),
    CONVOCATION_SPIP_474: LegalRule(
        "Comparution devant le SPIP (avis remis à l'audience)",
        "CPP art. 474",
        "R-CPP-474",
        "premier entretien au SPIP tenu",
        "first_spip_meeting_on",
        days=45,
    ),
    CONVOCATION_SPIP_SPR: LegalRule(
        "Première convocation au SPIP (sursis probatoire renforcé)",
        "CPP art. D. 546-2 ; CPénit. art. D. 621-9",
        "R-CPP-D546-2",
        "premier entretien au SPIP tenu",
        "first_spip_meeting_on",
        days=15,
    ),
    CONVOCATION_JAP_723_15: LegalRule(
        "Convocation devant le JAP (procédure 723-15)",
        "CPP art. 723-15 al. 3",
        "R-CPP-723-15",
        "audience devant le JAP tenue",
        "first_jap_meeting_on",
        days=30,
    ),
    CONVOCATION_SPIP_723_15: LegalRule(
        "Convocation devant le SPIP (procédure 723-15)",
        "CPP art. 723-15 al. 3",
        "R-CPP-723-15",
        "premier entretien au SPIP tenu",
        "first_spip_meeting_on",
        days=45,
    ),
    RAPPORT_SPIP_723_15_1: LegalRule(
        "Rapport du SPIP au JAP (procédure 723-15)",
        "CPP art. 723-15-1",
        "R-CPP-723-15-1",
        "rapport transmis au JAP",
        "spip_report_sent_on",
        months=2,
    ),
    RAPPORT_EVALUATION_SPR: LegalRule(
        "Rapport d'évaluation au JAP (sursis probatoire renforcé)",
        "CPP art. 741-2 al. 1 et D. 546-3 ; CPénit. art. D. 621-10",
        "R-SPR-RAPPORT",
        "rapport d'évaluation transmis au JAP",
        "evaluation_report_sent_on",
        months=3,
    ),
    OBLIGATIONS_RENFORCE: LegalRule(
        "Ordonnance du JAP fixant les obligations (sursis probatoire renforcé)",
        "CP art. 132-41-1 al. 4 ; CPP art. 741-2 al. 2 et D. 546-4",
        "R-CPP-741-2-ORDONNANCE",
        "ordonnance du JAP enregistrée",
        "ordinance_on",
        months=4,
    ),
    REEVALUATION_ANNUELLE: LegalRule(
        "Réévaluation de la situation (sursis probatoire renforcé, au moins annuelle)",
        "CPP art. 741-2 al. 3 et D. 546-6 ; CPénit. art. D. 621-11",
        "R-CPP-741-2-REEVALUATION",
        "réévaluation enregistrée",
        "evaluations",
        months=12,
    ),
    EXECUTION_TIG: LegalRule(
        "Fin du délai d'exécution du TIG",
        "CP art. 131-22",
        "R-CP-131-22",
        "totalité des heures de TIG effectuée",
        "tig_hours_done",
        months=18,
    ),
    EXECUTION_STAGE: LegalRule(
        "Fin du délai d'exécution du stage",
        "CP art. 131-5-1 al. 3",
        "R-CP-131-5-1",
        "attestation de fin de stage reçue (CP art. R. 131-40)",
        "stage_completed_on",
        months=6,
    ),
    DECISION_AJOURNEMENT: LegalRule(
        "Décision sur la peine après ajournement avec probation",
        "CP art. 132-65 al. 2",
        "R-CP-132-63-65",
        "décision sur la peine enregistrée",
        "sentencing_on",
        months=12,
    ),
    RAPPORT_FIN_MESURE: LegalRule(
        "Rapport de fin de mesure au magistrat mandant",
        "CPénit., partie réglementaire (rapport de fin de mesure, un mois avant l'échéance)",
        "R-RAPPORT-FIN",
        "rapport de fin de mesure transmis",
        "end_report_sent_on",
        months=1,
    ),
    FIN_MESURE: LegalRule(
        "Fin de la mesure",
        "CP art. 132-42 et 132-43 al. 2 (probation) ; décision (autres mesures)",
        "R-END",
        "fin de mesure enregistrée",
        "ended_on",
    ),
}

TIG_MAX_DELAY_MONTHS = RULES[EXECUTION_TIG].months  # CP 131-22: the court's delay, 18 at most
STAGE_DELAY_MONTHS = RULES[EXECUTION_STAGE].months  # CP 131-5-1 al. 3


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Procedure:
    """How the measure reached the SPIP, and what the court decided beyond the timeline."""

    convict_present_at_hearing: bool = False
    detained_at_judgment: bool = False
    mandat_depot_differe: bool = False  # CPP 464-2 I 3°: 474 and 723-15 do not apply
    prison_ferme_months: int | None = None  # firm prison (or what remains) to serve
    release_date: date | None = None  # release from the firm part (may be in the future)
    file_received_on: date | None = None  # JAP and SPIP informed by the ministère public
    spip_referral_on: date | None = None  # the JAP refers the case to the SPIP (723-15-1)
    court_set_obligations: bool = False  # SPR: CP 132-41-1 al. 3 applied by the court
    renforce_ordered_on: date | None = None  # the JAP ordered a suivi renforcé (741-2)
    tig_delay_months: int | None = None  # delay set by the court (CP 131-22)
    tig_hours: Decimal | None = None  # hours ordered (CP 131-8, 131-17)


@dataclass(frozen=True)
class Actions:
    """What has been done and recorded: each closes the deadline that asks for it."""

    first_spip_meeting_on: date | None = None
    first_jap_meeting_on: date | None = None
    spip_report_sent_on: date | None = None  # CPP 723-15-1
    evaluation_report_sent_on: date | None = None  # SPR evaluation report
    ordinance_on: date | None = None  # SPR: the JAP's ordinance
    evaluations: tuple[date, ...] = ()  # SPR re-evaluations actually recorded
    tig_hours_done: Decimal = Decimal(0)
    stage_completed_on: date | None = None
    sentencing_on: date | None = None  # ajournement: the decision on the penalty
    end_report_sent_on: date | None = None


@dataclass(frozen=True)
class MeasureCase:
    timeline: MeasureTimeline
    conviction: ConvictionFacts = field(default_factory=ConvictionFacts)
    procedure: Procedure = field(default_factory=Procedure)
    actions: Actions = field(default_factory=Actions)


# --- Outputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalDeadline:
    kind: str
    label: str
    due: date
    last_working_day: date
    article: str
    source: str
    status: str
    # « Pourquoi cette échéance ? »: `basis` (the rule, the inputs, the computation, the working
    # day: the same every day for the same facts, what the nightly stores) then `status_words`
    # ("Dépassée de 3 jours au 05/12/2026.": changes with `as_of`).
    basis: str
    status_words: str = ""
    done_on: date | None = None

    @property
    def explanation(self) -> str:
        return f"{self.basis} {self.status_words}" if self.status_words else self.basis

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "label": self.label,
            "due": self.due.isoformat(),
            "last_working_day": self.last_working_day.isoformat(),
            "article": self.article,
            "source": self.source,
            "status": self.status,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class DeadlineReport:
    planned_end: PlannedEnd
    deadlines: tuple[LegalDeadline, ...]
    notes: tuple[str, ...]  # rules that could not be computed, and why (French)


@dataclass(frozen=True)
class _Draft:
    kind: str
    origin: date  # the event the delay counts from: an action before it does not count
    due: date
    computation: str  # French: inputs and computation
    done: bool = False
    done_on: date | None = None
    label: str = ""  # overrides the rule's label
    article: str = ""  # overrides the rule's article
    suspended_days: int = 0


def _after(action: date | None, origin: date, as_of: date) -> date | None:
    """The action's date when it is known on `as_of` and happened on or after `origin`."""
    if action is not None and origin <= action <= as_of:
        return action
    return None


def _meeting(draft: _Draft, action: date | None, as_of: date) -> _Draft:
    done_on = _after(action, draft.origin, as_of)
    return replace(draft, done=done_on is not None, done_on=done_on)


def _counted(
    kind: str,
    origin: date,
    origin_words: str,
    action: date | None,
    as_of: date,
    *,
    months: int | None = None,
    days: int | None = None,
    why: str = "",
    since: date | None = None,
) -> _Draft:
    """The deadline of `kind`: its delay (the rule's, unless given) counted from `origin`, done
    when `action` happened on or after `since` (default: `origin`)."""
    rule = RULES[kind]
    months = rule.months if months is None else months
    days = rule.days if days is None else days
    due = add_delay(origin, months=months, days=days)
    sign = "-" if months < 0 or days < 0 else "+"
    words = f"{origin_words} {sign} {delay_words(abs(months), abs(days))}{why}"
    return _meeting(_Draft(kind, since or origin, due, words), action, as_of)


# --- The rules ------------------------------------------------------------------------------

Rule = Callable[[MeasureCase, date], Iterator[_Draft | str]]


def _release(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CPP 741-1 (peine mixte), 763-7-1 (SSJ), D. 147-40-2 (surveillance judiciaire)."""
    release = case.procedure.release_date
    kind = case.timeline.measure_type
    if release is None:
        return
    when = f"libération le {_fr(release)}" + (" (date prévue)" if release > as_of else "")
    actions = case.actions
    if kind in SURSIS_TYPES:
        conviction = case.conviction
        if conviction.ssj_encouru:
            why = "l'infraction jugée relève du suivi socio-judiciaire encouru"
        elif conviction.ssj_antecedent:
            why = (
                "le bulletin n° 1 porte une condamnation pour une infraction relevant du suivi "
                "socio-judiciaire (CPénit. art. R. 621-2 2°)"
            )
        elif kind == SURSIS_PROBATOIRE_RENFORCE:
            why = "sursis probatoire renforcé (CPénit. art. R. 621-2 3°)"
        else:
            why = ""
        short = bool(why)
        why = why or "aucune infraction relevant du suivi socio-judiciaire"
        yield _counted(
            PREMIERE_CONVOCATION,
            release,
            when,
            actions.first_spip_meeting_on,
            as_of,
            months=0 if short else None,
            days=RELEASE_SSJ_DAYS if short else None,
            why=f", car {why}",
        )
    elif kind == SSJ:
        first = min(
            (d for d in (actions.first_spip_meeting_on, actions.first_jap_meeting_on) if d),
            default=None,
        )
        yield _counted(CONVOCATION_LIBERATION_SSJ, release, when, first, as_of)
    elif kind == SURVEILLANCE_JUDICIAIRE:
        yield _counted(
            CONVOCATION_LIBERATION_SJ, release, when, actions.first_jap_meeting_on, as_of
        )


def _free_convict(procedure: Procedure) -> tuple[bool, str]:
    """CPP 474 al. 1 and 723-15 al. 1: not incarcerated, firm prison (or what remains) ≤ 1
    year, no deferred committal order. (applies, why not)"""
    if procedure.detained_at_judgment:
        return False, "la personne était incarcérée"
    if procedure.mandat_depot_differe:
        return False, "un mandat de dépôt à effet différé a été décerné (CPP art. 464-2)"
    months = procedure.prison_ferme_months
    if months is not None and months > FREE_CONVICT_MAX_MONTHS:
        return False, f"la peine ferme à subir ({months} mois) dépasse un an"
    return True, ""


def _hearing(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CPP 474 (notices handed at the hearing) and D. 546-2 (sursis probatoire renforcé)."""
    timeline, procedure, actions = case.timeline, case.procedure, case.actions
    kind = timeline.measure_type
    judgment = timeline.judgment
    if kind == SURSIS_PROBATOIRE_RENFORCE:
        if not procedure.convict_present_at_hearing:
            yield (
                "Sursis probatoire renforcé, condamné absent à l'audience : la convocation au "
                "SPIP est remise lors de la notification ou adressée dans les meilleurs délais "
                "après elle, sans délai chiffré (CPP art. D. 546-2 al. 2)."
            )
            return
        if timeline.execution_provisoire:
            days, why = SPR_PROVISIONAL_DAYS, " au plus (exécution provisoire)"
        else:
            earliest = _fr(add_delay(judgment, days=SPR_EARLIEST_DAY))
            days, why = (
                None,
                (
                    f" au plus, pas avant le {SPR_EARLIEST_DAY}e jour ({earliest}), sans exécution "
                    "provisoire"
                ),
            )
        yield _counted(
            CONVOCATION_SPIP_SPR,
            judgment,
            f"audience du {_fr(judgment)}",
            actions.first_spip_meeting_on,
            as_of,
            days=days,
            why=why,
        )
        return
    if not procedure.convict_present_at_hearing:
        return
    free, why_not = _free_convict(procedure)
    if not free:
        yield f"CPP art. 474 non applicable : {why_not}."
        return
    hearing = f"audience du {_fr(judgment)}"
    firm = procedure.prison_ferme_months
    if firm is not None:
        yield _counted(
            CONVOCATION_JAP_474,
            judgment,
            hearing,
            actions.first_jap_meeting_on,
            as_of,
            why=f" (peine ferme de {firm} mois, au plus un an)",
        )
    if firm is not None or kind == SURSIS_PROBATOIRE:
        reason = "sursis probatoire, al. 3" if kind == SURSIS_PROBATOIRE else "al. 1"
        yield _counted(
            CONVOCATION_SPIP_474,
            judgment,
            hearing,
            actions.first_spip_meeting_on,
            as_of,
            why=f" ({reason})",
        )


def _procedure_723_15(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CPP 723-15 al. 3 (counted from the ministère public's information) and 723-15-1."""
    procedure, actions = case.procedure, case.actions
    received = procedure.file_received_on
    if received is not None:
        free, why_not = _free_convict(procedure)
        notified = (
            free
            and procedure.convict_present_at_hearing
            and procedure.prison_ferme_months is not None
        )
        if notified:
            yield (
                "CPP art. 723-15 : les convocations ont déjà été remises à l'audience "
                "(CPP art. 474), la procédure 723-15 ne les répète pas."
            )
        elif not free:
            yield f"CPP art. 723-15 non applicable : {why_not}."
        else:
            base = f"information du JAP et du SPIP par le ministère public le {_fr(received)}"
            yield _counted(
                CONVOCATION_JAP_723_15, received, base, actions.first_jap_meeting_on, as_of
            )
            yield _counted(
                CONVOCATION_SPIP_723_15, received, base, actions.first_spip_meeting_on, as_of
            )
    referral = procedure.spip_referral_on
    if referral is not None:
        words = f"saisine du SPIP par le JAP le {_fr(referral)}"
        yield _counted(RAPPORT_SPIP_723_15_1, referral, words, actions.spip_report_sent_on, as_of)


def _spr_origin(case: MeasureCase) -> tuple[date, str] | None:
    """Where the SPR delays count from: the judgment, or its notification when the person was
    absent (D. 546-3, D. 546-4, D. 546-6); the JAP's order when the JAP ordered the suivi
    renforcé during a sursis probatoire (741-2, last al.; convention, see legal-sources)."""
    timeline, procedure = case.timeline, case.procedure
    if timeline.measure_type == SURSIS_PROBATOIRE_RENFORCE:
        if procedure.convict_present_at_hearing or timeline.notified_on is None:
            note = "" if procedure.convict_present_at_hearing else " (notification non renseignée)"
            return timeline.judgment, f"jugement du {_fr(timeline.judgment)}{note}"
        return timeline.notified_on, f"notification du jugement le {_fr(timeline.notified_on)}"
    if timeline.measure_type == SURSIS_PROBATOIRE and procedure.renforce_ordered_on is not None:
        ordered = procedure.renforce_ordered_on
        return ordered, f"suivi renforcé ordonné par le JAP le {_fr(ordered)}"
    return None


def _renforce(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """SPR: evaluation report (3 months), JAP ordinance (4 months), yearly re-evaluation rolling
    from the last one recorded."""
    found = _spr_origin(case)
    if found is None:
        return
    origin, origin_words = found
    actions, procedure = case.actions, case.procedure
    yield _counted(
        RAPPORT_EVALUATION_SPR, origin, origin_words, actions.evaluation_report_sent_on, as_of
    )
    is_spr = case.timeline.measure_type == SURSIS_PROBATOIRE_RENFORCE
    if is_spr and (ORDINANCE_ALSO_WHEN_COURT_SET or not procedure.court_set_obligations):
        set_by = (
            "le tribunal a fixé les obligations"
            if procedure.court_set_obligations
            else "le tribunal n'a pas fixé les obligations (CP art. 132-41-1 al. 4)"
        )
        yield _counted(
            OBLIGATIONS_RENFORCE,
            origin,
            origin_words,
            actions.ordinance_on,
            as_of,
            why=f", car {set_by}",
            since=case.timeline.judgment,
        )
    elif is_spr:
        yield (
            "Ordonnance du JAP (CPP art. 741-2 al. 2) : non suivie, le tribunal a fixé "
            "lui-même les obligations (CP art. 132-41-1 al. 3)."
        )
    known = sorted(d for d in actions.evaluations if origin <= d <= as_of)
    if known:
        since, words = known[-1], f"dernière réévaluation enregistrée le {_fr(known[-1])}"
    else:
        since, words = origin, f"aucune réévaluation enregistrée : {origin_words}"
    yield replace(_counted(REEVALUATION_ANNUELLE, since, words, None, as_of), origin=origin)


def tig_delay(case: MeasureCase) -> tuple[int, str]:
    """The TIG delay in months (court-set, at most 18), and how it was chosen (French)."""
    months = case.procedure.tig_delay_months
    if months is None:
        return TIG_MAX_DELAY_MONTHS, (
            f"délai fixé par la juridiction non renseigné : maximum légal de "
            f"{TIG_MAX_DELAY_MONTHS} mois retenu"
        )
    if not 0 < months <= TIG_MAX_DELAY_MONTHS:
        raise ValueError(
            f"Le délai d'exécution du TIG fixé par la juridiction doit être compris entre 1 et "
            f"{TIG_MAX_DELAY_MONTHS} mois (CP art. 131-22)."
        )
    return months, f"délai de {months} mois fixé par la juridiction"


def _execution_delay(
    case: MeasureCase, kind: str, months: int, what: str, chosen: str, tail: str = ""
) -> _Draft | str:
    """The execution delay of a TIG or a stage: `months` from its legal start, pushed back by
    the suspensions its article names; a French note when it cannot be computed."""
    start = legal_start(case.timeline)
    if start.day is None:
        return f"Délai d'exécution {what} non calculable : {start.explanation}."
    base = add_months(start.day, months)
    pushed = push_back(case.timeline, start.day, base)
    if pushed.day is None:
        return f"Délai d'exécution {what} suspendu{pushed.words}."
    reference = f" ({start.article})" if start.article else ""
    return _Draft(
        kind,
        case.timeline.judgment,
        pushed.day,
        f"{chosen}, {start.explanation}{reference} : {_fr(base)}{pushed.words}{tail}",
        suspended_days=pushed.suspended_days,
    )


def _tig(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CP 131-22: one due date, from the court-set delay, pushed back by its suspensions; the
    delay ends as soon as all the hours are done."""
    if case.timeline.measure_type != TIG:
        return
    try:
        months, chosen = tig_delay(case)
    except ValueError as problem:  # a delay out of bounds: noted, the other rules still run
        yield str(problem)
        return
    found = _execution_delay(case, EXECUTION_TIG, months, "du TIG", chosen)
    if isinstance(found, str):
        yield found
        return
    hours = case.procedure.tig_hours
    done = hours is not None and hours > 0 and case.actions.tig_hours_done >= hours
    yield replace(found, done=done)


def _stage(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CP 131-5-1 al. 3: within 6 months of the day the conviction is définitive."""
    if case.timeline.measure_type != STAGE:
        return
    found = _execution_delay(
        case,
        EXECUTION_STAGE,
        STAGE_DELAY_MONTHS,
        "du stage",
        f"délai de {STAGE_DELAY_MONTHS} mois",
        " (sauf impossibilité résultant du comportement ou de la situation du condamné)",
    )
    yield (
        found if isinstance(found, str) else _meeting(found, case.actions.stage_completed_on, as_of)
    )


def _ajournement(case: MeasureCase, as_of: date) -> Iterator[_Draft | str]:
    """CP 132-65 al. 2: the decision on the penalty at the latest one year after the first
    decision of ajournement."""
    if case.timeline.measure_type != AJOURNEMENT_PROBATION:
        return
    judgment = case.timeline.judgment
    yield _counted(
        DECISION_AJOURNEMENT,
        judgment,
        f"première décision d'ajournement du {_fr(judgment)}",
        case.actions.sentencing_on,
        as_of,
    )


def _end(case: MeasureCase, as_of: date, end: PlannedEnd) -> Iterator[_Draft | str]:
    """The planned end (R-END) and the end-of-measure report one month before it."""
    kind = case.timeline.measure_type
    if kind in (TIG, STAGE):
        return  # their end is the execution delay
    if end.day is None:
        if kind in PROBATION_TYPES or case.timeline.end is not None:
            yield end.explanation
        return
    report = RULES[RAPPORT_FIN_MESURE]
    yield _counted(
        RAPPORT_FIN_MESURE,
        end.day,
        f"fin prévue le {_fr(end.day)}",
        case.actions.end_report_sent_on,
        as_of,
        months=-report.months,
        since=case.timeline.judgment,
    )
    ended = case.timeline.ended_on
    finished = ended is not None and ended <= as_of
    yield _Draft(
        FIN_MESURE,
        case.timeline.judgment,
        end.day,
        end.computation,
        done=finished,
        done_on=ended if finished else None,
        article=end.article,
    )


RULE_FUNCTIONS: tuple[Rule, ...] = (
    _release,
    _hearing,
    _procedure_723_15,
    _renforce,
    _tig,
    _stage,
    _ajournement,
)


# --- Status and explanation -----------------------------------------------------------------


def deadline_status(due: date, last_day: date, as_of: date, *, done: bool, notice_days: int) -> str:
    if done:
        return DONE
    if as_of > due:
        return OVERDUE
    if (last_day - as_of).days <= notice_days:
        return DUE_SOON
    return UPCOMING


def _status_words(
    status: str, due: date, as_of: date, rule: LegalRule, done_on: date | None
) -> str:
    if status == DONE:
        when = f" le {_fr(done_on)}" if done_on else ""
        return f"Faite : {rule.action}{when}."
    if status == OVERDUE:
        days = (as_of - due).days
        return f"Dépassée de {delay_words(0, days)} au {_fr(as_of)}."
    return ""


def _finish(draft: _Draft, as_of: date, subdivision: str | None, notice_days: int) -> LegalDeadline:
    rule = RULES[draft.kind]
    label = draft.label or rule.label
    article = draft.article or rule.article
    last_day = last_working_day(draft.due, subdivision)
    notice = rule.notice_days if rule.notice_days is not None else notice_days
    status = deadline_status(draft.due, last_day, as_of, done=draft.done, notice_days=notice)
    parts = [
        f"{label} : au plus tard le {_fr(draft.due)} ({article}).",
        f"Calcul : {draft.computation}.",
    ]
    if last_day != draft.due:
        reason = non_working_reason(draft.due, subdivision) or "un jour non ouvré"
        parts.append(f"Le {_fr(draft.due)} tombe {reason} : dernier jour ouvré le {_fr(last_day)}.")
    return LegalDeadline(
        kind=draft.kind,
        label=label,
        due=draft.due,
        last_working_day=last_day,
        article=article,
        source=rule.source,
        status=status,
        basis=" ".join(parts),
        status_words=_status_words(status, draft.due, as_of, rule, draft.done_on),
        done_on=draft.done_on,
    )


def measure_report(
    case: MeasureCase,
    as_of: date,
    *,
    subdivision: str | None = None,
    notice_days: int = DEFAULT_NOTICE_DAYS,
) -> DeadlineReport:
    """Every legal deadline of the measure on the local date `as_of`, in due-date order, with
    the planned end and the notes on rules that could not be computed.

    A measure ended on or before `as_of` keeps only the deadlines due on or before its end (the
    others no longer run) and its end, done."""
    if notice_days < 0:
        raise ValueError("Le délai d'alerte ne peut pas être négatif.")
    drafts: list[_Draft] = []
    notes: list[str] = []
    end = measure_planned_end(case, as_of)
    for item in itertools.chain(
        *(rule(case, as_of) for rule in RULE_FUNCTIONS), _end(case, as_of, end)
    ):
        if isinstance(item, str):
            notes.append(item)
        else:
            drafts.append(item)
    ended = case.timeline.ended_on
    if ended is not None and ended <= as_of:
        drafts = [d for d in drafts if d.done or d.due <= ended or d.kind == FIN_MESURE]
    found = [_finish(d, as_of, subdivision, notice_days) for d in drafts]
    found.sort(key=lambda d: (d.due, d.kind))
    return DeadlineReport(end, tuple(found), tuple(notes))


def measure_planned_end(case: MeasureCase, as_of: date) -> PlannedEnd:
    """The planned end: the probation's last day (timeline.planned_end), or for a TIG and a
    stage the end of their execution delay."""
    kind = case.timeline.measure_type
    if kind not in (TIG, STAGE):
        return planned_end(case.timeline)
    rule = _tig if kind == TIG else _stage
    for item in rule(case, as_of):
        if isinstance(item, str):
            return PlannedEnd(None, item)
        article = RULES[item.kind].article
        return PlannedEnd(
            item.due,
            f"Fin prévue le {_fr(item.due)} : {item.computation}"
            + ("." if article in item.computation else f" ({article})."),
            suspended_days=item.suspended_days,
            article=article,
            computation=item.computation,
        )
    return PlannedEnd(None, "Fin prévue inconnue.")

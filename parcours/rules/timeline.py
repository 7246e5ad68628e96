"""The measure's timeline as data: judgment, exécutoire date, start, suspensions, planned end.

Pure functions (no Django). Every rule cites its row in docs/legal-sources.md.

- Start of the probation (R-CP-132-41): from the day the conviction becomes exécutoire under
  CPP art. 708 al. 2, or from the judgment when the court ordered the exécution provisoire
  (CP art. 132-41 al. 2). The ajournement avec probation is exécutoire par provision
  (CP art. 132-63). A start date entered by the greffe (`start`) takes precedence and says so.
- Suspensions (R-CP-132-43, R-CP-131-22): only those the article of the measure names apply:
  incarceration and service national for the probation (CP art. 132-43 al. 2, also for the
  ajournement avec probation through CP art. 132-64); incarceration (détention provisoire or a
  sentence), ARSE, service national and the JAP's suspension for a serious reason for the TIG
  delay (CP art. 131-22). Incarceration periods are recorded once on the person and apply to
  all their measures (`person_periods`); the others belong to the measure (`suspensions`).
- Planned end (R-END): last day of the probation = start + duration - 1 day
  (dates.PERIOD_LAST_DAY_OFFSET), pushed back by the suspended days; for other measure types,
  the end date of the decision as entered.
- Conviction facts (R-CONVICTION): structured, never free text, and never offered as a list
  filter, a sort or a search key (sensitive data).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from parcours.rules.choices import Choices
from parcours.rules.dates import Extension, Span, extend_by_suspensions, period_last_day
from parcours.rules.french import short_date as _fr

SURSIS_PROBATOIRE = "sursis_probatoire"
SURSIS_PROBATOIRE_RENFORCE = "sursis_probatoire_renforce"
AJOURNEMENT_PROBATION = "ajournement_probation"
TIG = "tig"
STAGE = "stage"
SSJ = "ssj"
SURVEILLANCE_JUDICIAIRE = "surveillance_judiciaire"

PROBATION_TYPES = frozenset({SURSIS_PROBATOIRE, SURSIS_PROBATOIRE_RENFORCE, AJOURNEMENT_PROBATION})
SURSIS_TYPES = frozenset({SURSIS_PROBATOIRE, SURSIS_PROBATOIRE_RENFORCE})


# --- The conviction's facts -----------------------------------------------------------------


class Nature(Choices):
    CRIME = "crime", "Crime"
    DELIT = "delit", "Délit"
    CONTRAVENTION = "contravention", "Contravention"


_NATURES = frozenset(Nature.values)  # read for every measure of the nightly


@dataclass(frozen=True)
class ConvictionFacts:
    """What the rules need to know of the offence (R-CONVICTION). Sensitive: shown in the file,
    never a list filter, sort or export column."""

    nature: str = Nature.DELIT
    ssj_encouru: bool = False  # the offence of this conviction allows a suivi socio-judiciaire
    ssj_antecedent: bool = False  # the B1 shows an earlier conviction for such an offence
    violences_conjugales: bool = False
    terrorisme: bool = False
    victime_pdap: bool = False  # victim a person holding public authority
    victime_mineur_15: bool = False  # victim a minor under 15

    def __post_init__(self) -> None:
        if self.nature not in _NATURES:
            raise ValueError(
                f"Nature d'infraction inconnue : {self.nature!r} (crime, délit ou contravention)."
            )

    @property
    def ssj_offence(self) -> bool:
        """CPP art. 741-1: the person 'is or was' convicted of an offence allowing a SSJ."""
        return self.ssj_encouru or self.ssj_antecedent


# The flags of ConvictionFacts, in order (the measure's fields, the JSON input's keys).
CONVICTION_FLAGS: tuple[str, ...] = tuple(f.name for f in fields(ConvictionFacts))[1:]


# --- Suspensions ----------------------------------------------------------------------------


class SuspensionReason(Choices):
    INCARCERATION = "incarceration", "incarcération"
    SERVICE_NATIONAL = "service_national", "obligations du service national"
    ARSE = "arse", "assignation à résidence avec surveillance électronique"
    MOTIF_GRAVE = "motif_grave", "suspension par le JAP pour motif grave"
    SUSPENSION_708 = "suspension_708", "suspension de l'exécution de la peine"


R = SuspensionReason
# Which suspensions stop which clock, and the article that says so (R-CP-132-43, R-CP-131-22,
# R-CPP-708). A reason missing here does not suspend that measure type.
SUSPENDING: dict[str, dict[str, str]] = {
    SURSIS_PROBATOIRE: {
        R.INCARCERATION: "CP art. 132-43 al. 2",
        R.SERVICE_NATIONAL: "CP art. 132-43 al. 2",
    },
    SURSIS_PROBATOIRE_RENFORCE: {
        R.INCARCERATION: "CP art. 132-43 al. 2",
        R.SERVICE_NATIONAL: "CP art. 132-43 al. 2",
    },
    AJOURNEMENT_PROBATION: {
        R.INCARCERATION: "CP art. 132-64 et 132-43 al. 2",
        R.SERVICE_NATIONAL: "CP art. 132-64 et 132-43 al. 2",
    },
    TIG: {
        R.INCARCERATION: "CP art. 131-22 al. 1",
        R.SERVICE_NATIONAL: "CP art. 131-22 al. 1",
        R.ARSE: "CP art. 131-22 al. 1",
        R.MOTIF_GRAVE: "CP art. 131-22 al. 1 et 2",
        R.SUSPENSION_708: "CPP art. 708 al. 3",
    },
    STAGE: {R.SUSPENSION_708: "CPP art. 708 al. 3"},
}


@dataclass(frozen=True)
class Suspension:
    """A period during which a clock stops: `start` is the first day suspended, `end` the first
    day back (exclusive; None while it lasts). `source`: where it is recorded (fiche pénale,
    ordonnance du JAP du …)."""

    start: date
    end: date | None
    reason: str
    source: str = ""

    def __post_init__(self) -> None:
        if self.reason not in SuspensionReason.values:
            raise ValueError(f"Motif de suspension inconnu : {self.reason!r}.")
        if self.end is not None and self.end <= self.start:
            raise ValueError(
                "La fin d'une suspension (premier jour de reprise) doit être postérieure à son "
                "début."
            )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def words(self) -> str:
        """'incarcération du 01/03/2026 au 09/04/2026 inclus [source : fiche pénale]'."""
        label = SuspensionReason(self.reason).label
        source = f" [source : {self.source}]" if self.source else ""
        if self.end is None:
            return f"{label} depuis le {_fr(self.start)} (en cours){source}"
        last = self.end - timedelta(days=1)
        return f"{label} du {_fr(self.start)} au {_fr(last)} inclus{source}"


class Outcome(Choices):
    NON_AVENUE = "non_avenue", "Condamnation réputée non avenue"
    REVOCATION_TOTALE = "revocation_totale", "Révocation totale"
    REVOCATION_PARTIELLE = "revocation_partielle", "Révocation partielle"
    EXECUTEE = "executee", "Peine exécutée"
    AUTRE = "autre", "Autre fin de mesure"


# --- The timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureTimeline:
    """The dates of one measure and what suspended it."""

    measure_type: str  # catalogue code
    judgment: date
    execution_provisoire: bool = False
    executoire_on: date | None = None  # CPP art. 708 al. 2
    final_on: date | None = None  # the conviction became définitive (CP art. 131-5-1)
    notified_on: date | None = None  # notification of a judgment given in the person's absence
    start: date | None = None  # start entered by the greffe: takes precedence
    duration_months: int | None = None
    end: date | None = None  # end set by the decision, for types without a computed one
    suspensions: tuple[Suspension, ...] = ()  # the measure's own (JAP's serious reason…)
    person_periods: tuple[Suspension, ...] = ()  # the person's incarcerations, service national
    ended_on: date | None = None
    outcome: str = ""

    def __post_init__(self) -> None:
        if self.duration_months is not None and self.duration_months <= 0:
            raise ValueError("La durée de la mesure doit être d'au moins un mois.")
        if self.outcome and self.outcome not in Outcome.values:
            raise ValueError(f"Issue de mesure inconnue : {self.outcome!r}.")
        for day, words in (
            (self.executoire_on, "La date exécutoire"),
            (self.final_on, "La date à laquelle la condamnation est définitive"),
            (self.notified_on, "La date de notification"),
            (self.start, "La date de début"),
        ):
            if day is not None and day < self.judgment:
                raise ValueError(f"{words} ne peut pas précéder le jugement.")

    @property
    def all_suspensions(self) -> tuple[Suspension, ...]:
        return (*self.person_periods, *self.suspensions)

    @property
    def decision_known_on(self) -> date:
        """The judgment, or its notification when it was given in the person's absence (the
        starting point of D. 546-4 and of the SPR report and re-evaluation)."""
        return self.notified_on or self.judgment


@dataclass(frozen=True)
class Dated:
    """A computed date with its French explanation and the article it rests on."""

    day: date | None
    explanation: str
    article: str = ""


def legal_start(timeline: MeasureTimeline) -> Dated:
    """When the measure's clock starts (probation, TIG delay, stage delay)."""
    kind = timeline.measure_type
    if timeline.start is not None:
        return Dated(timeline.start, f"date de début saisie ({_fr(timeline.start)})")
    if kind == AJOURNEMENT_PROBATION:
        return Dated(
            timeline.judgment,
            f"décision d'ajournement du {_fr(timeline.judgment)}, exécutoire par provision",
            "CP art. 132-63",
        )
    if kind == STAGE:
        if timeline.final_on is not None:
            return Dated(
                timeline.final_on,
                f"condamnation devenue définitive le {_fr(timeline.final_on)}",
                "CP art. 131-5-1 al. 3",
            )
        if timeline.executoire_on is not None:
            return Dated(
                timeline.executoire_on,
                f"date définitive non renseignée : date exécutoire du "
                f"{_fr(timeline.executoire_on)} retenue (plus tôt ou égale, donc prudente)",
                "CP art. 131-5-1 al. 3",
            )
        return Dated(None, "date à laquelle la condamnation est définitive non renseignée")
    if timeline.execution_provisoire:
        article = "CP art. 132-41 al. 2" if kind in SURSIS_TYPES else "CPP art. 471 al. 4"
        return Dated(
            timeline.judgment,
            f"exécution provisoire ordonnée : à compter du jugement du {_fr(timeline.judgment)}",
            article,
        )
    if timeline.executoire_on is not None:
        article = (
            "CP art. 132-41 al. 2 ; CPP art. 708 al. 2" if kind in SURSIS_TYPES else "CPP art. 708"
        )
        return Dated(
            timeline.executoire_on,
            f"à compter du jour où la condamnation est devenue exécutoire "
            f"({_fr(timeline.executoire_on)})",
            article,
        )
    if kind in PROBATION_TYPES or kind == TIG:
        return Dated(None, "date à laquelle la condamnation est devenue exécutoire non renseignée")
    return Dated(timeline.judgment, f"jugement du {_fr(timeline.judgment)}")


@dataclass(frozen=True)
class SuspensionCheck:
    applied: tuple[tuple[Suspension, str], ...]  # (suspension, article)
    ignored: tuple[Suspension, ...]  # recorded, but the measure's article does not name them


def applicable_suspensions(timeline: MeasureTimeline) -> SuspensionCheck:
    """The suspensions that stop this measure's clock, with their article; the others."""
    rules = SUSPENDING.get(timeline.measure_type, {})
    applied: list[tuple[Suspension, str]] = []
    ignored: list[Suspension] = []
    for item in timeline.all_suspensions:
        article = rules.get(item.reason)
        if article is None:
            ignored.append(item)
        else:
            applied.append((item, article))
    return SuspensionCheck(tuple(applied), tuple(ignored))


def _overlap(a: Span, b: Span) -> bool:
    return a.start < (b.end or date.max) and b.start < (a.end or date.max)


@dataclass(frozen=True)
class RunningDate:
    """A date pushed back by suspensions, and the sentence that says how."""

    day: date | None
    base: date
    suspended_days: int
    words: str  # French: ", prolongé de 40 jours de suspension (incarcération du … inclus, CP …)"


def push_back(timeline: MeasureTimeline, start: date, base: date) -> RunningDate:
    """`base` (a due date or the last day of a period running from `start`) pushed back by the
    suspensions that apply to the measure (CP art. 132-43, 131-22)."""
    check = applicable_suspensions(timeline)
    extension: Extension = extend_by_suspensions(start, base, [s.span for s, _ in check.applied])
    used = [
        (item, article)
        for item, article in check.applied
        if any(_overlap(item.span, span) for span in extension.counted)
    ]
    details = "; ".join(f"{item.words()}, {article}" for item, article in used)
    if extension.end is None:
        words = f", suspendu : {details} — la date sera connue au premier jour de reprise"
    elif extension.suspended_days:
        days = extension.suspended_days
        plural = "jour" if days == 1 else "jours"
        words = f", prolongé de {days} {plural} de suspension ({details})"
    else:
        words = ""
    if check.ignored:
        names = ", ".join(sorted({SuspensionReason(s.reason).label for s in check.ignored}))
        words += (
            f" [non prises en compte : {names} — le texte applicable à cette mesure ne prévoit "
            "pas cette suspension]"
        )
    return RunningDate(extension.end, base, extension.suspended_days, words)


@dataclass(frozen=True)
class PlannedEnd:
    day: date | None
    explanation: str  # "Fin prévue le … : <computation>."
    suspended_days: int = 0
    article: str = ""
    computation: str = ""  # inputs and computation, without the conclusion


def planned_end(timeline: MeasureTimeline) -> PlannedEnd:
    """The last day of the measure, with its computation in French (R-END).

    Probation types with a duration: start (legal_start) + duration - 1 day, pushed back by the
    suspensions of CP art. 132-43. Other types: the end date entered (no suspension applies in
    the texts read for them); the TIG's end is its execution delay (legal_deadlines.tig_due).
    """
    kind = timeline.measure_type
    if kind in PROBATION_TYPES and timeline.duration_months is not None:
        start = legal_start(timeline)
        if start.day is None:
            return PlannedEnd(None, f"Fin prévue inconnue : {start.explanation}.")
        months = timeline.duration_months
        base = period_last_day(start.day, months)
        pushed = push_back(timeline, start.day, base)
        reference = f" ({start.article})" if start.article else ""
        label = "probation" if kind != AJOURNEMENT_PROBATION else "probation de l'ajournement"
        computation = (
            f"délai de {label} de {months} mois {start.explanation}{reference}, soit jusqu'au "
            f"{_fr(base)} inclus{pushed.words}"
        )
        article = "CP art. 132-43 al. 2" if kind != AJOURNEMENT_PROBATION else "CP art. 132-63"
        article = f"CP art. 132-42 ; {article}" if kind in SURSIS_TYPES else article
        if pushed.day is None:
            text = f"Fin prévue non calculable : {computation}."
            return PlannedEnd(None, text, pushed.suspended_days, article, computation)
        text = f"Fin prévue le {_fr(pushed.day)} : {computation}."
        return PlannedEnd(pushed.day, text, pushed.suspended_days, article, computation)
    if timeline.end is not None:
        computation = "date de fin fixée par la décision, telle que saisie"
        return PlannedEnd(
            timeline.end,
            f"Fin prévue le {_fr(timeline.end)} : {computation}.",
            article=DECISION_REFERENCE,
            computation=computation,
        )
    return PlannedEnd(None, "Fin prévue inconnue : ni durée ni date de fin renseignée.")


# The "Référence" of an end date the court's decision fixed (no article computes it).
DECISION_REFERENCE = "date fixée par le jugement"


def ongoing_suspension(timeline: MeasureTimeline, on: date) -> Suspension | None:
    """The applicable suspension running on `on`, if any (obligations stop applying during an
    incarceration, CP art. 132-43 al. 2, except the bans on contact and on appearing)."""
    for item, _article in applicable_suspensions(timeline).applied:
        if item.span.contains(on):
            return item
    return None

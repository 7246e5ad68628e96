"""Adjustment opportunities of a detainee (milieu fermé), pure functions (docs/adr/0016).

From the computed sentence dates (rules.sentences, stored as detention.SentenceSituation) and a
few facts of the record, `assess` says for each adjustment whether the person is, as of `today`:

- "éligible maintenant": every condition the file can show is met and the time condition is
  reached;
- "éligible sous 90 jours": every condition met, the time condition reached within 90 days;
- "presque": exactly one condition the SPIP can work on is missing (housing, a document) and the
  time condition is reached or reached within 30 days;
- "plus tard" (time condition further away) or "non applicable" (an exclusion, a condition the
  person does not fill, the person's refusal).

Each answer carries its reasons, each citing its article. Eligibility is never a decision: the
JAP (or the TAP) decides; the screens say "peut être proposé", never "sera libéré".

Articles (CPP, state of spring 2023; see docs/legal-sources.md, R-ADJ-*):
- 729 al. 3: LC when the sentence served is at least equal to what remains (lc_from: engine);
  729 al. 8: over seventy, no time condition, if insertion is assured (housing or care);
- 729-3: LC parentale (≤ 4 years pronounced or remaining; parent of a child under ten living
  with them), not for a crime or an offence against a minor (lc_parental_from: engine);
- 720 I: libération sous contrainte examined at two thirds (≤ 5 years; examination: engine),
  not for a person who refused it (720 I 1°);
- 720 II-III: LSC de plein droit (≤ 2 years, remainder ≤ 3 months), excluded for a crime,
  terrorism, offences against a minor under 15 or a public-authority agent, domestic violence,
  a disciplinary sanction for violence; impossible without housing;
- 723-1 (semi-liberté, placement à l'extérieur), 723-7 (DDSE): total pronounced ≤ 2 years or
  remaining ≤ 2 years, or as a probationary step one year before the LC date (al. 2); not for
  terrorism (CP 421-1 to 421-6 but 421-2-5 to 421-2-5-2); DDSE needs a place to live (723-7
  al. 3: the home, or another place with its owner's agreement);
- CP 132-23: no adjustment during a période de sûreté.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import wraps

from parcours.rules.choices import Choices
from parcours.rules.dates import add_months
from parcours.rules.sentences import OVER_70_FROM_DAY_AFTER, OVER_70_YEARS


class Adjustment(Choices):
    LC = "lc", "Libération conditionnelle"
    LC_PARENTALE = "lc_parentale", "Libération conditionnelle parentale"
    LC_70_ANS = "lc_70_ans", "Libération conditionnelle (plus de 70 ans)"
    LSC = "lsc", "Libération sous contrainte"
    LSC_PLEIN_DROIT = "lsc_plein_droit", "Libération sous contrainte de plein droit"
    DDSE = "ddse", "Détention à domicile sous surveillance électronique"
    SEMI_LIBERTE = "semi_liberte", "Semi-liberté"
    PLACEMENT_EXTERIEUR = "placement_exterieur", "Placement à l'extérieur"


class Eligibility(Choices):
    MAINTENANT = "maintenant", "Éligible maintenant"
    SOUS_90_JOURS = "sous_90_jours", "Éligible sous 90 jours"
    PRESQUE = "presque", "Presque"
    PLUS_TARD = "plus_tard", "Plus tard"
    NON_APPLICABLE = "non_applicable", "Non applicable"


# The classes the Opportunités page lists.
LISTED = (Eligibility.MAINTENANT, Eligibility.SOUS_90_JOURS, Eligibility.PRESQUE)

SOON_DAYS = 90  # "éligible sous 90 jours"
ALMOST_DAYS = 30  # "presque": a time condition reached within 30 days
# CPP 729 al. 8 says "âgé de plus de soixante-dix ans": the engine's convention (R-SENT-LC,
# rules.sentences.OVER_70_FROM_DAY_AFTER), one for the dates and the opportunities.
LC_AGE = OVER_70_YEARS

ARTICLES: dict[Adjustment, str] = {
    Adjustment.LC: "CPP art. 729",
    Adjustment.LC_PARENTALE: "CPP art. 729-3",
    Adjustment.LC_70_ANS: "CPP art. 729 al. 8",
    Adjustment.LSC: "CPP art. 720 I",
    Adjustment.LSC_PLEIN_DROIT: "CPP art. 720 II",
    Adjustment.DDSE: "CPP art. 723-7",
    Adjustment.SEMI_LIBERTE: "CPP art. 723-1",
    Adjustment.PLACEMENT_EXTERIEUR: "CPP art. 723-1",
}

HOUSING = "hebergement"
MISSING_LABELS = {HOUSING: "un hébergement justifié à la sortie"}


@dataclass(frozen=True)
class Reason:
    text: str  # French
    article: str


@dataclass(frozen=True)
class Facts:
    """What the assessment reads: the engine's dates (None when the engine gave none) and the
    record's facts."""

    today: date
    birth_date: date
    ecrou_start: date
    end_exclusive: date | None  # the day the sentences are fully served (engine)
    lc_from: date | None = None
    lc_parental_from: date | None = None
    examination_basis: str | None = None  # "720" or "730-3"
    examination_on: date | None = None
    lsc_on: date | None = None  # the LSC de plein droit's date (engine), exclusions aside
    two_years_on: date | None = None  # first day at most two years remain (engine), if given
    total_at_most_two_years: bool = False  # the sentences pronounced, all together
    total_at_most_four_years: bool = False
    natures: frozenset[str] = frozenset()  # "crime" / "delit" of the sentences
    flags: frozenset[str] = frozenset()  # rules.detention.SentenceFlag values
    sanction_violence: bool = False
    hebergement: bool = False
    parent_enfant_moins_10: bool = False
    surete_until: date | None = None  # first day after the période de sûreté
    refused: frozenset[str] = frozenset()  # adjustments the person refused (mark)
    missing_documents: tuple[str, ...] = ()  # French names of documents the file lacks


@dataclass(frozen=True)
class Assessment:
    adjustment: Adjustment
    eligibility: Eligibility
    on: date | None  # first day the time condition is met (None: not applicable)
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = field(default=())  # French: what the SPIP can still obtain

    @property
    def label(self) -> str:
        return self.adjustment.label

    @property
    def article(self) -> str:
        return ARTICLES[self.adjustment]

    @property
    def listed(self) -> bool:
        return self.eligibility in LISTED


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def years_before(day: date, years: int) -> date:
    return add_months(day, -12 * years)


def seventieth_birthday(birth_date: date) -> date:
    """The first day on which the person is "over seventy" (the engine's convention)."""
    birthday = add_months(birth_date, 12 * LC_AGE)
    return birthday + timedelta(days=1) if OVER_70_FROM_DAY_AFTER else birthday


def classify(on: date | None, missing: tuple[str, ...], today: date) -> Eligibility:
    """The class of an adjustment whose exclusions are cleared: `on` is when its time condition
    is met, `missing` what else the file lacks."""
    if on is None:
        return Eligibility.NON_APPLICABLE
    if not missing:
        if on <= today:
            return Eligibility.MAINTENANT
        if on <= today + timedelta(days=SOON_DAYS):
            return Eligibility.SOUS_90_JOURS
        return Eligibility.PLUS_TARD
    if len(missing) == 1 and on <= today + timedelta(days=ALMOST_DAYS):
        return Eligibility.PRESQUE
    return Eligibility.PLUS_TARD


def _excluded(adjustment: Adjustment, *reasons: Reason) -> Assessment:
    return Assessment(adjustment, Eligibility.NON_APPLICABLE, None, reasons)


def _with_surete(on: date | None, facts: Facts, reasons: list[Reason]) -> date | None:
    if on is not None and facts.surete_until is not None and facts.surete_until > on:
        reasons.append(
            Reason(
                f"Période de sûreté jusqu'au {_fmt(facts.surete_until)} (exclu).", "CP art. 132-23"
            )
        )
        return facts.surete_until
    return on


def _refused(adjustment: Adjustment, facts: Facts) -> Assessment | None:
    if adjustment.value not in facts.refused:
        return None
    article = "CPP art. 720 I 1°" if adjustment == Adjustment.LSC else "CPP art. 730-3 al. 2"
    return _excluded(
        adjustment, Reason("La personne a fait connaître son refus de cette mesure.", article)
    )


def _without_housing(facts: Facts) -> list[str]:
    """What the file lacks when the adjustment needs a justified housing."""
    return [] if facts.hebergement else [MISSING_LABELS[HOUSING]]


# The rules of one adjustment, given the facts and the adjustment they assess.
Rules = Callable[[Facts, Adjustment], Assessment]


def _assessor(adjustment: Adjustment) -> Callable[[Rules], Callable[[Facts], Assessment]]:
    """The assessor of `adjustment` from its rules `(facts, adjustment)`: the person's refusal
    excludes it first (CPP art. 720 I 1°, 730-3 al. 2)."""

    def decorator(rules: Rules) -> Callable[[Facts], Assessment]:
        @wraps(rules)
        def assess(facts: Facts) -> Assessment:
            return _refused(adjustment, facts) or rules(facts, adjustment)

        return assess

    return decorator


def _finish(
    adjustment: Adjustment,
    on: date | None,
    facts: Facts,
    reason: Reason,
    missing: Sequence[str] = (),
) -> Assessment:
    """The assessment of an adjustment that no exclusion bars: `reason` says why it opens `on`
    (later under a période de sûreté), `missing` what the file lacks besides its documents."""
    reasons = [reason]
    on = _with_surete(on, facts, reasons)
    missing = [*missing, *facts.missing_documents]
    for item in missing:
        reasons.append(Reason(f"Manque : {item}.", ARTICLES[adjustment]))
    eligibility = classify(on, tuple(missing), facts.today)
    return Assessment(adjustment, eligibility, on, tuple(reasons), tuple(missing))


@_assessor(Adjustment.LC)
def assess_lc(facts: Facts, adjustment: Adjustment) -> Assessment:
    if facts.lc_from is None:
        return _excluded(adjustment, Reason("Date de mi-peine non calculée.", ARTICLES[adjustment]))
    reason = Reason(
        f"Temps d'épreuve (moitié de la peine) atteint le {_fmt(facts.lc_from)}.",
        "CPP art. 729 al. 3",
    )
    return _finish(adjustment, facts.lc_from, facts, reason)


@_assessor(Adjustment.LC_70_ANS)
def assess_lc_70(facts: Facts, adjustment: Adjustment) -> Assessment:
    birthday = seventieth_birthday(facts.birth_date)
    if facts.end_exclusive is not None and birthday >= facts.end_exclusive:
        return _excluded(
            adjustment,
            Reason("La personne n'aura pas 70 ans avant la fin de sa peine.", "CPP art. 729 al. 8"),
        )
    reason = Reason(
        f"70 ans le {_fmt(birthday)} : pas de condition de durée de peine accomplie, "
        "si l'insertion est assurée (prise en charge adaptée ou hébergement).",
        "CPP art. 729 al. 8",
    )
    on = max(birthday, facts.ecrou_start)
    return _finish(adjustment, on, facts, reason, _without_housing(facts))


@_assessor(Adjustment.LC_PARENTALE)
def assess_lc_parentale(facts: Facts, adjustment: Adjustment) -> Assessment:
    article = ARTICLES[adjustment]
    if not facts.parent_enfant_moins_10:
        return _excluded(
            adjustment,
            Reason(
                "Pas d'autorité parentale enregistrée sur un enfant de moins de dix ans "
                "résidant chez la personne.",
                article,
            ),
        )
    if "crime" in facts.natures:
        return _excluded(
            adjustment, Reason("Condamnation pour crime (exclu).", "CPP art. 729-3 al. 2")
        )
    if "victime_mineur_15" in facts.flags:
        return _excluded(
            adjustment, Reason("Délit commis sur un mineur (exclu).", "CPP art. 729-3 al. 2")
        )
    on = facts.lc_parental_from
    if on is None:
        if facts.total_at_most_four_years:
            on = facts.ecrou_start
        elif facts.end_exclusive is not None:
            on = max(facts.ecrou_start, years_before(facts.end_exclusive, 4))
    if on is None:
        return _excluded(adjustment, Reason("Fin de peine non calculée.", article))
    reason = Reason(
        f"Peine prononcée ou restant à subir d'au plus quatre ans à partir du {_fmt(on)}, "
        "parent d'un enfant de moins de dix ans résidant chez lui.",
        article,
    )
    return _finish(adjustment, on, facts, reason)


@_assessor(Adjustment.LSC)
def assess_lsc(facts: Facts, adjustment: Adjustment) -> Assessment:
    if facts.examination_basis != "720" or facts.examination_on is None:
        return _excluded(
            adjustment,
            Reason(
                "Peines de plus de cinq ans au total : examen au titre de l'article 730-3 "
                "(libération conditionnelle), pas de libération sous contrainte.",
                "CPP art. 720 I",
            ),
        )
    reason = Reason(
        f"Examen obligatoire aux deux tiers de la peine, le {_fmt(facts.examination_on)}.",
        "CPP art. 720 I",
    )
    return _finish(adjustment, facts.examination_on, facts, reason)


def lsc_exclusions(facts: Facts) -> list[Reason]:
    """CPP 720 III: the cases where the LSC de plein droit does not apply."""
    reasons = []
    if "crime" in facts.natures:
        reasons.append(Reason("Une peine est prononcée pour un crime.", "CPP art. 720 III 1°"))
    if "terrorisme" in facts.flags:
        reasons.append(
            Reason("Infraction terroriste (CP art. 421-1 à 421-6).", "CPP art. 720 III 1°")
        )
    if "victime_mineur_15" in facts.flags:
        reasons.append(
            Reason(
                "Atteinte à la personne d'un mineur de moins de quinze ans.", "CPP art. 720 III 1°"
            )
        )
    if "victime_pdap" in facts.flags:
        reasons.append(
            Reason(
                "Atteinte à une personne dépositaire de l'autorité publique.", "CPP art. 720 III 1°"
            )
        )
    if "violences_conjugales" in facts.flags:
        reasons.append(
            Reason(
                "Circonstance aggravante de l'article 132-80 du code pénal (violences conjugales).",
                "CPP art. 720 III 1°",
            )
        )
    if facts.sanction_violence:
        reasons.append(
            Reason(
                "Sanction disciplinaire pour des violences pendant la détention.",
                "CPP art. 720 III 2°",
            )
        )
    return reasons


@_assessor(Adjustment.LSC_PLEIN_DROIT)
def assess_lsc_plein_droit(facts: Facts, adjustment: Adjustment) -> Assessment:
    if facts.lsc_on is None:
        return _excluded(
            adjustment,
            Reason(
                "Peines de plus de deux ans au total : pas de libération sous contrainte "
                "de plein droit.",
                "CPP art. 720 II",
            ),
        )
    exclusions = lsc_exclusions(facts)
    if exclusions:
        return _excluded(adjustment, *exclusions)
    reason = Reason(
        f"Reliquat d'au plus trois mois à partir du {_fmt(facts.lsc_on)} : la libération "
        "sous contrainte s'applique de plein droit, le JAP détermine la mesure.",
        "CPP art. 720 II",
    )
    return _finish(adjustment, facts.lsc_on, facts, reason, _without_housing(facts))


def _two_years(facts: Facts, adjustment: Adjustment) -> Assessment:
    article = ARTICLES[adjustment]
    if "terrorisme" in facts.flags:
        return _excluded(
            adjustment,
            Reason(
                "Condamnation pour une infraction terroriste (CP art. 421-1 à 421-6) : exclu.",
                f"{article} dernier al." if adjustment != Adjustment.DDSE else article,
            ),
        )
    candidates: list[tuple[date, Reason]] = []
    if facts.total_at_most_two_years:
        candidates.append(
            (facts.ecrou_start, Reason("Peines prononcées d'au plus deux ans au total.", article))
        )
    elif facts.two_years_on is not None or facts.end_exclusive is not None:
        two = facts.two_years_on or years_before(facts.end_exclusive or facts.today, 2)
        two = max(facts.ecrou_start, two)
        candidates.append(
            (two, Reason(f"Reste à subir d'au plus deux ans à partir du {_fmt(two)}.", article))
        )
    if facts.lc_from is not None:
        probation = max(facts.ecrou_start, years_before(facts.lc_from, 1))
        candidates.append(
            (
                probation,
                Reason(
                    f"À titre probatoire d'une libération conditionnelle, un an avant la "
                    f"mi-peine : à partir du {_fmt(probation)}.",
                    f"{article} al. 2",
                ),
            )
        )
    if not candidates:
        return _excluded(adjustment, Reason("Fin de peine non calculée.", article))
    on, reason = min(candidates, key=lambda c: c[0])
    missing = []
    if adjustment == Adjustment.DDSE and not facts.hebergement:
        missing.append("un lieu d'assignation (hébergement justifié)")
    return _finish(adjustment, on, facts, reason, missing)


assess_ddse = _assessor(Adjustment.DDSE)(_two_years)
assess_semi_liberte = _assessor(Adjustment.SEMI_LIBERTE)(_two_years)
assess_placement_exterieur = _assessor(Adjustment.PLACEMENT_EXTERIEUR)(_two_years)


ASSESSORS = {
    Adjustment.LC: assess_lc,
    Adjustment.LC_PARENTALE: assess_lc_parentale,
    Adjustment.LC_70_ANS: assess_lc_70,
    Adjustment.LSC: assess_lsc,
    Adjustment.LSC_PLEIN_DROIT: assess_lsc_plein_droit,
    Adjustment.DDSE: assess_ddse,
    Adjustment.SEMI_LIBERTE: assess_semi_liberte,
    Adjustment.PLACEMENT_EXTERIEUR: assess_placement_exterieur,
}


def assess(facts: Facts) -> list[Assessment]:
    """Every adjustment, in the order of Adjustment."""
    if facts.end_exclusive is not None and facts.end_exclusive <= facts.today:
        # Sentences served: nothing to adjust (the release is due).
        return [
            _excluded(a, Reason("Peine entièrement exécutée.", "CPP art. 716-3"))
            for a in Adjustment
        ]
    return [ASSESSORS[a](facts) for a in Adjustment]


def at_most(years: int, months: int, days: int, limit_years: int) -> bool:
    """Whether a total length (years, months, days, not normalised) is at most `limit_years`:
    months of twelve, days of 30 past the months (a convention only for totals with days)."""
    total_months = years * 12 + months + days // 30
    rest_days = days % 30
    return total_months < limit_years * 12 or (total_months == limit_years * 12 and rest_days == 0)


# --- The CPIP's marks, the CAP (vocabulary) ------------------------------------------------------


class MarkStatus(Choices):
    PREPARATION = "preparation", "Dossier en préparation"
    PROPOSE = "propose", "Proposé à la CAP"
    ECARTE = "ecarte", "Écarté"
    ROUVERT = "rouvert", "Rouvert par l'encadrement"


class Review(Choices):
    """The encadrement's review of an "écarté" mark."""

    A_REVOIR = "a_revoir", "À revoir par l'encadrement"
    CONFIRME = "confirme", "Écart confirmé"


class ItemKind(Choices):
    """Why a person is on a CAP's list."""

    AMENAGEMENT = "amenagement", "Proposition d'aménagement"
    EXAMEN_720 = "examen_720", "Examen de libération sous contrainte (art. 720)"
    REDUCTION = "reduction", "Réductions de peine à examiner (art. 721)"
    REQUETE = "requete", "Requête du condamné"


class Decision(Choices):
    ACCORDE = "accorde", "Accordé"
    REFUSE = "refuse", "Refusé"
    AJOURNE = "ajourne", "Ajourné"


def mark_refusal(status: str, reason: str, refusal: bool) -> str | None:
    """Why a mark cannot be recorded as given (French), or None."""
    if status not in MarkStatus.values or status == MarkStatus.ROUVERT:
        return "Choisissez « dossier en préparation », « proposé à la CAP » ou « écarté »."
    if status == MarkStatus.ECARTE and not reason.strip():
        return "Indiquez pourquoi cet aménagement est écarté."
    if refusal and status != MarkStatus.ECARTE:
        return "Le refus de la personne s'enregistre comme un écart (« écarté »)."
    return None


def reduction_due(ecrou_start: date, last_decision: date | None, commission_on: date) -> bool:
    """Whether a CAP on `commission_on` should examine the person's reductions (CPP art. 721:
    granted for each year of custody): a year of custody by then, and no decision in the twelve
    months before (convention, ADR 0016)."""
    if add_months(ecrou_start, 12) > commission_on:
        return False
    return last_decision is None or add_months(last_decision, 12) <= commission_on

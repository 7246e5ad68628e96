"""Sentence dates of a detainee (milieu fermé), pure functions (docs/legal-sources.md, R-SENT-*).

The engine's contract: a `SentenceCase` (the écrou, the sentences executed one after the other,
custody to deduct, reduction decisions, the facts the conditions read) goes in, `SentenceDates`
comes out, with each step of the computation and its article in `explanation`. Eligibility is
computed "as of" a date with the reductions granted by then. `python manage.py sentence_dates`
reads and writes its JSON form (module `sentences_json`).

The computation, in order (each step cites its row of docs/legal-sources.md):

1. R-SENT-LENGTH (CPP 716-1, 716-2): the sentences run one after the other from the écrou date
   (the first day of the current uninterrupted custody). A sentence of exactly one month is 30
   days (ONE_MONTH_DAYS); longer ones are counted "de quantième en quantième" (calendar months
   and years with `dates.add_months`: 31 January + 1 month 1 day = 1 March, MONTH_END_CLAMP),
   then its days. The next sentence starts on the day the previous one ends (exclusive end).
2. R-SENT-PRETRIAL (CPP 716-4): custody served outside the current écrou (`pre_trial_days`) is
   deducted, day for day, after the lengths are added (PRE_TRIAL_AFTER_LENGTHS).
3. R-SENT-REGIME (loi n° 2021-1729 art. 59 VI; Cass. crim. 26 June 2024 n° 23-87.131; avis
   8 January 2025 n° 24-96.005): an écrou before REGIME_2023_FROM keeps the former regime of
   automatic credits (CRP) for the whole custody; a custody interrupted and begun again from
   2023 on is under the 2023 regime (the caller gives the start of the *current* custody).
4. R-SENT-RP-2023 (CPP 721, 721-1-1, 721-1-2, 721-1-3): reductions granted by the JAP count
   when granted on or before `as_of` and not withdrawn ("rapportées"); their total is capped by
   the ceiling of each sentence (6 months a year, 14 days a month below a year; terrorism 3
   months / 7 days; victims holding public authority 3 months / 7 days for a crime, 4 months /
   9 days for a délit). R-SENT-CRP (former CPP 721, 721-1, 721-1-1, 721-1-2, D. 115-1): for an
   écrou before 2023 the engine computes the credit of each sentence (3 months the first year,
   2 months the following ones, 7 days a month below a year or for the part of a year, that part
   at most 2 months), minus `retrait_crp` withdrawals, plus the RSP granted (at most 3 months a
   year / 7 days a month).
   Reductions in months are converted to days as calendar months counted back from the end of the
   pronounced sentences, before any deduction (REDUCTION_MONTHS_FROM); the total in days is
   then subtracted, so that N more days of custody or of reduction move the end exactly N days.
   Ceilings are computed on the pronounced length of each sentence (CEILING_BASIS); the leftover
   days of a sentence count pro rata, rounded down (PARTIAL_MONTH_DAYS).
5. R-SENT-END (CPP 716-3): `end_exclusive` is the first day no longer owed (00:00),
   `end_inclusive` the day before, the last day in custody; `release_date` is `end_inclusive`,
   moved back to the previous jour ouvrable when it is a Sunday or a public holiday (Saturday is
   a jour ouvrable: the article names only Sundays and "fêtes légales"). A sentence fully covered
   by deductions still gives one day: the écrou date (MIN_CUSTODY_DAYS).
6. R-SENT-LC (CPP 729, 720-2, CP 132-23): the LC time condition is met on the first day at
   which the time served (custody deducted included) is at least the time left to serve, fractions
   rounded up to the next whole day (FRACTION_ROUNDING); the "temps d'épreuve" is at most 15
   years, 20 in récidive légale. Over 70 (729 al. 11) no time condition: from the day after the
   70th birthday (OVER_70_FROM_DAY_AFTER). Never before the end of the période de sûreté, which
   runs from the start of custody, the sûretés of successive sentences one after the other
   (CPP 720-3 al. 1, 716-4 al. 3), reductions not imputed on it (CP 132-23 last al.).
   R-SENT-LC-PARENTAL (CPP 729-3): a parent of a child under 10 sentenced to at most 4 years, or
   with at most 4 years left, unless a crime or an offence against a minor.
7. R-SENT-EXAMINATION (CPP 720 I, 730-3): the 2/3 point (time served at least twice the time
   left), "720" when the sentences total at most 5 years, "730-3" above; not before the end of a
   sûreté (EXAMINATION_AFTER_SURETE); never after `end_inclusive`.
8. R-SENT-LSC (CPP 720 II-III): sentences totalling at most 2 years, from the first day at which
   at most 3 months remain; excluded by each 720 III case and by the absence of housing.
9. R-SENT-THRESHOLDS (CP 132-25, CPP 723-15; CPP 723-1, 723-7): the first day on which at most
   6 months, 1 year, 2 years remain.

Sentence totals ("durée totale inférieure ou égale à cinq ans") compare the pronounced sentences
laid end to end from the écrou date with the same calendar length (TOTALS_BY_CALENDAR).
Not modelled: perpetuity (no such `Duration`), the 720 I exclusions the record does not hold
(the person's refusal, a pending request), the SSJ treatment refusal (721 al. 8, 729 al. 10),
721-3 and 721-4 exceptional reductions other than as granted reductions, the pregnant woman of
729-3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from parcours.rules.dates import add_months, holiday_name
from parcours.rules.french import short_date

Nature = Literal["crime", "delit"]
ReductionKind = Literal["rp", "rsp", "retrait_crp"]
Regime = Literal["2023", "avant-2023"]

# The sentence's flags the conditions read (the JSON contract's `flags`).
FLAGS = frozenset(
    {
        "terrorisme",
        "violences_conjugales",
        "victime_pdap",
        "victime_mineur_15",
        "ssj_encouru",
    }
)

# --- Conventions (docs/legal-sources.md, R-SENT-*) -----------------------------------------------

REGIME_2023_FROM = date(2023, 1, 1)  # loi 2021-1729 art. 59 VI
ONE_MONTH_DAYS = 30  # CPP 716-1: "celle d'un mois est de trente jours"
PRE_TRIAL_AFTER_LENGTHS = True  # custody deducted after the lengths are laid end to end
REDUCTION_MONTHS_CALENDAR = True  # months of reduction: calendar months back from...
# ... the end of the pronounced sentences ("pronounced_end"), or from the end once the custody is
# deducted ("after_custody", closer to the D. article of décret 2022-1261 "à compter de la date
# de libération", but then N days of custody no longer always move the end by exactly N days).
REDUCTION_MONTHS_FROM: Literal["pronounced_end", "after_custody"] = "pronounced_end"
CEILING_BASIS = "pronounced"  # ceilings on the pronounced length of each sentence
PARTIAL_MONTH_DAYS = 30  # leftover days: per_month * days // 30 (rounded down)
END_INCLUSIVE_OFFSET = -1  # end_inclusive = end_exclusive - 1 day
MIN_CUSTODY_DAYS = 1  # a sentence covered by deductions still ends after the écrou date
FRACTION_ROUNDING = "ceil"  # 1/2 and 2/3: the first whole day at which the condition holds
OVER_70_YEARS = 70
OVER_70_FROM_DAY_AFTER = True  # "âgé de plus de soixante-dix ans": the day after the birthday
LC_MAX_PROOF_YEARS = 15  # CPP 729 al. 8: temps d'épreuve at most 15 years
LC_MAX_PROOF_YEARS_RECIDIVE = 20  # ... 20 years in récidive légale
EXAMINATION_AFTER_SURETE = True  # no 720 / 730-3 examination date inside a période de sûreté
TOTALS_BY_CALENDAR = True
PARENTAL_MAX_MONTHS = 48  # CPP 729-3: four years
LSC_TOTAL_MAX_MONTHS = 24  # CPP 720 II: two years
LSC_REMAINING_MONTHS = 3  # CPP 720 II: three months
EXAMINATION_720_MAX_MONTHS = 60  # CPP 720 I / 730-3: five years
MAX_TOTAL_YEARS = 200  # a longer case is refused (InputError): dates would overflow
# The écrou dates the engine accepts: later ones would overflow the dates it computes.
ECROU_DATE_MIN = date(1900, 1, 1)
ECROU_DATE_MAX = date(9999 - 2 * MAX_TOTAL_YEARS, 12, 31)

ARTICLE_REGIME = "Loi n° 2021-1729 art. 59 VI ; Cass. crim., 26 juin 2024, n° 23-87.131"
ARTICLE_CRP = "CPP art. 721 (rédaction antérieure au 1er janvier 2023), D. 115-1"
ARTICLE_RSP = "CPP art. 721-1 (rédaction antérieure au 1er janvier 2023)"


class InputError(ValueError):
    """A malformed case: `field` names the JSON path (e.g. "sentences[0].years"), the message is
    French."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} : {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class Sentence:
    length: Duration
    definitive_on: date | None = None
    nature: Nature = "delit"
    recidive: bool = False
    flags: frozenset[str] = frozenset()
    surete: Duration | None = None  # période de sûreté, when pronounced or de plein droit


@dataclass(frozen=True)
class Reduction:
    granted_on: date
    days: int = 0
    months: int = 0
    withdrawn: bool = False
    kind: ReductionKind = "rp"


@dataclass(frozen=True)
class SentenceCase:
    birth_date: date
    ecrou_date: date  # first day of the current uninterrupted custody
    sentences: tuple[Sentence, ...]
    pre_trial_days: int = 0  # custody to deduct served outside the current écrou
    reductions: tuple[Reduction, ...] = ()
    parent_enfant_moins_10: bool = False
    sanction_disciplinaire_violence: bool = False
    hebergement: bool = False
    as_of: date | None = None  # None: every reduction counts, whatever its date
    subdivision: str | None = None  # holidays' subdivision (rules.dates), e.g. "57"


@dataclass(frozen=True)
class Step:
    text: str  # French, for the "Pourquoi ?" of the screens
    article: str  # "CPP art. 716-4"


@dataclass(frozen=True)
class Examination:
    basis: Literal["720", "730-3"]
    date: date


@dataclass(frozen=True)
class PleinDroit:
    applies: bool
    date: date | None
    excluded_by: tuple[str, ...] = ()  # French reasons, each citing its article


@dataclass(frozen=True)
class Thresholds:
    one_year: date | None  # first day on which at most one year remains to be served
    six_months: date | None
    two_years: date | None = None  # CPP 723-1, 723-7 (semi-liberté, PE, DDSE)


@dataclass(frozen=True)
class SentenceDates:
    regime: Regime
    end_exclusive: date  # the day the sentence is fully served, at 00:00
    end_inclusive: date  # last day in custody
    release_date: date  # CPP art. 716-3 applied
    lc_from: date | None
    lc_parental_from: date | None
    examination: Examination | None
    lsc_de_plein_droit: PleinDroit
    thresholds: Thresholds
    explanation: tuple[Step, ...] = field(default=())
    # Added by the engine (not in the first contract): what the dates depend on.
    surete_until: date | None = None  # first day after the période(s) de sûreté
    reduction_days: int = 0  # total reduction applied, in days (after ceilings, withdrawals)
    total_length_days: int = 0  # the pronounced sentences laid end to end, in days


# --- Small helpers ---------------------------------------------------------------------------


def add_length(start: date, length: Duration) -> date:
    """The exclusive end of `length` served from `start` (CPP 716-1): a month alone is 30 days;
    longer durations go "de quantième en quantième" (calendar months), then the days."""
    if length.years == 0 and length.months == 1 and length.days == 0:
        return start + timedelta(days=ONE_MONTH_DAYS)
    return add_months(start, 12 * length.years + length.months) + timedelta(days=length.days)


def duration_words(length: Duration) -> str:
    """ "2 ans, 3 mois et 10 jours" (French)."""
    parts = []
    if length.years:
        parts.append(f"{length.years} an{'s' if length.years > 1 else ''}")
    if length.months:
        parts.append(f"{length.months} mois")
    if length.days:
        parts.append(f"{length.days} jour{'s' if length.days > 1 else ''}")
    if not parts:
        return "0 jour"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def _days_words(days: int) -> str:
    return f"{days} jour{'s' if abs(days) > 1 else ''}"


def _back(anchor: date, months: int, days: int) -> date:
    """`anchor` minus calendar months, then days (REDUCTION_MONTHS_CALENDAR)."""
    return (
        add_months(anchor, -months) - timedelta(days=days)
        if months
        else anchor - timedelta(days=days)
    )


def _in_days(anchor: date, months: int, days: int) -> int:
    """A (months, days) amount counted back from `anchor`, in days."""
    return (anchor - _back(anchor, months, days)).days


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _normalised(length: Duration) -> tuple[int, int, int]:
    total_months = 12 * length.years + length.months
    return total_months // 12, total_months % 12, length.days


def _ceiling(length: Duration, per_year_months: int, per_month_days: int) -> tuple[int, int]:
    """Reduction ceiling of one sentence as (months, days): per full year `per_year_months`, per
    month of the part below a year `per_month_days`, leftover days pro rata (rounded down)."""
    years, months, days = _normalised(length)
    return (
        years * per_year_months,
        months * per_month_days + days * per_month_days // PARTIAL_MONTH_DAYS,
    )


def _is_non_working_for_release(day: date, subdivision: str | None) -> bool:
    # CPP 716-3: a Sunday or a "jour de fête légale"; Saturday is a jour ouvrable.
    return day.weekday() == 6 or holiday_name(day, subdivision) is not None


def release_day(end_inclusive: date, subdivision: str | None = None) -> date:
    """CPP 716-3: the previous jour ouvrable when the last day is a Sunday or a holiday."""
    day = end_inclusive
    while _is_non_working_for_release(day, subdivision):
        day -= timedelta(days=1)
    return day


# --- Validation ------------------------------------------------------------------------------


def check_case(case: SentenceCase) -> None:
    """Raise InputError (French, naming the field) when `case` cannot be computed."""
    if not case.sentences:
        raise InputError("sentences", "au moins une peine est nécessaire.")
    if case.ecrou_date < case.birth_date:
        raise InputError("ecrou_date", "la date d'écrou précède la date de naissance.")
    if case.pre_trial_days < 0:
        raise InputError("pre_trial_days", "doit être un nombre de jours positif ou nul.")
    total_months = 0
    for index, sentence in enumerate(case.sentences):
        length = sentence.length
        for name in ("years", "months", "days"):
            if getattr(length, name) < 0:
                raise InputError(f"sentences[{index}].{name}", "doit être positif ou nul.")
        if length == Duration(0, 0, 0):
            raise InputError(f"sentences[{index}]", "la durée de la peine est nulle.")
        if sentence.nature not in ("crime", "delit"):
            raise InputError(f"sentences[{index}].nature", "« crime » ou « delit » attendu.")
        unknown = set(sentence.flags) - FLAGS
        if unknown:
            raise InputError(
                f"sentences[{index}].flags", f"indicateur inconnu : {', '.join(sorted(unknown))}."
            )
        if sentence.surete is not None:
            for name in ("years", "months", "days"):
                if getattr(sentence.surete, name) < 0:
                    raise InputError(
                        f"sentences[{index}].surete.{name}", "doit être positif ou nul."
                    )
        total_months += 12 * length.years + length.months + length.days // 28 + 1
        if sentence.surete is not None:
            total_months += 12 * sentence.surete.years + sentence.surete.months
    if total_months > 12 * MAX_TOTAL_YEARS or case.pre_trial_days > 366 * MAX_TOTAL_YEARS:
        raise InputError("sentences", f"durée totale supérieure à {MAX_TOTAL_YEARS} ans.")
    reduction_months = reduction_days = 0
    for index, reduction in enumerate(case.reductions):
        for name in ("days", "months"):
            if getattr(reduction, name) < 0:
                raise InputError(f"reductions[{index}].{name}", "doit être positif ou nul.")
        if reduction.kind not in ("rp", "rsp", "retrait_crp"):
            raise InputError(
                f"reductions[{index}].kind", "« rp », « rsp » ou « retrait_crp » attendu."
            )
        reduction_months += reduction.months
        reduction_days += reduction.days
    if reduction_months > 12 * MAX_TOTAL_YEARS or reduction_days > 366 * MAX_TOTAL_YEARS:
        raise InputError("reductions", f"total supérieur à {MAX_TOTAL_YEARS} ans.")
    if not ECROU_DATE_MIN <= case.ecrou_date <= ECROU_DATE_MAX:
        raise InputError(
            "ecrou_date",
            f"la date d'écrou ({short_date(case.ecrou_date)}) doit être comprise entre le "
            f"{short_date(ECROU_DATE_MIN)} et le {short_date(ECROU_DATE_MAX)}.",
        )


# --- Bounds of what is entered (the detention record's forms, the simulator) ---------------------
# The engine computes any well-formed case (check_case). What a person enters is also held to
# these bounds, so that a typo is refused with its reason instead of silently moving a date.

# Each count of a sentence line or of its sûreté: a bound of data entry, not a legal maximum (the
# longest fixed-term sentence is thirty years of réclusion, CP 131-1; a confusion is entered as
# one line and is no longer than its longest sentence, CP 132-4); the simulator had the same.
UNIT_MAX = {"years": 99, "months": 11 * 12, "days": 9999}
UNIT_WORDS = {"years": "ans", "months": "mois", "days": "jours"}
# Each count of one reduction decision (the simulator's bounds; the ceiling is checked on the
# total: reduction_ceiling_problem).
REDUCTION_UNIT_MAX = {"months": 120, "days": 9999}
# CP 131-12 (peines contraventionnelles: l'amende, the peines privatives ou restrictives de
# droits of 131-14, the sanction-réparation of 131-15-1) and 131-13 (a contravention is an
# offence the law punishes with a fine of at most 3,000 euros): never imprisonment.
ARTICLE_CONTRAVENTION = "CP art. 131-12 et 131-13"
CONTRAVENTION = "contravention"
# CP 132-23: the période de sûreté is part of the sentence (half of it, at most two thirds).
ARTICLE_SURETE = "CP art. 132-23"


def sentence_problems(
    length: Duration, nature: str, surete: Duration | None, start: date
) -> list[tuple[str, str]]:
    """What is refused in one entered sentence, as (field, French message): a count above
    UNIT_MAX ("years", "surete_years"…), a contravention with prison time ("nature", CP 131-12,
    131-13), a période de sûreté longer than the sentence ("surete_years", CP 132-23: compared
    as calendar lengths from `start`, the écrou date)."""
    problems: list[tuple[str, str]] = []
    for prefix, amount in (("", length), ("surete_", surete or Duration())):
        for name, top in UNIT_MAX.items():
            value = getattr(amount, name)
            if value > top:
                what = "La période de sûreté" if prefix else "Une peine à exécuter"
                problems.append(
                    (
                        f"{prefix}{name}",
                        f"{what} compte au plus {top} {UNIT_WORDS[name]} dans ce champ "
                        f"({value} saisis) : vérifiez la saisie.",
                    )
                )
    if nature == CONTRAVENTION and length != Duration():
        problems.append(
            (
                "nature",
                "Une contravention n'est jamais punie d'emprisonnement : ses peines sont "
                "l'amende, des peines privatives ou restrictives de droits et la "
                f"sanction-réparation ({ARTICLE_CONTRAVENTION}). Choisissez « Délit » ou "
                "« Crime », ou ne saisissez pas cette condamnation comme une peine à exécuter.",
            )
        )
    anchor = min(max(start, ECROU_DATE_MIN), ECROU_DATE_MAX)  # check_case refuses the others
    if (
        not problems
        and surete is not None
        and add_length(anchor, surete) > add_length(anchor, length)
    ):
        problems.append(
            (
                "surete_years",
                f"La période de sûreté ({duration_words(surete)}) dépasse la durée de la peine "
                f"({duration_words(length)}) : elle n'en est qu'une partie ({ARTICLE_SURETE}).",
            )
        )
    return problems


def custody_problem(start: date, birth_date: date) -> str | None:
    """Custody to deduct (CPP 716-4, R-SENT-PRETRIAL) cannot begin before the person's birth."""
    if start < birth_date:
        return (
            f"Le début de la détention à imputer ({short_date(start)}) précède la date de "
            f"naissance de la personne ({short_date(birth_date)}) : vérifiez l'année."
        )
    return None


def pre_trial_problem(case: SentenceCase) -> InputError | None:
    """The custody to deduct cannot be longer than the person's life before the écrou."""
    lived = (case.ecrou_date - case.birth_date).days
    if case.pre_trial_days > max(lived, 0):
        return InputError(
            "pre_trial_days",
            f"La détention à imputer ({_days_words(case.pre_trial_days)}) dépasse le temps "
            f"écoulé entre la naissance et l'écrou ({_days_words(lived)}) : vérifiez la saisie.",
        )
    return None


def _pronounced_end(case: SentenceCase) -> date:
    cursor = case.ecrou_date
    for sentence in case.sentences:
        cursor = add_length(cursor, sentence.length)
    return cursor


def reduction_ceiling_problem(case: SentenceCase) -> InputError | None:
    """A refusal when the reduction decisions not withdrawn (whatever `as_of`) exceed the
    ceiling the engine would cap them to (R-SENT-RP-2023: CPP 721, 721-1-1, 721-1-2; before 2023,
    R-SENT-CRP: the RSP ceiling of former CPP 721-1, and the withdrawals of credit limited to the
    credit), with the ceiling in the message; None when within it, or without any sentence yet
    (the engine computes nothing then). The error names the last decision of the group over
    its ceiling ("reductions[2].months")."""
    counted = [(i, r) for i, r in enumerate(case.reductions) if not r.withdrawn]
    if not counted or not case.sentences:  # no sentence yet: no date, no ceiling to apply
        return None
    try:
        check_case(case)
    except InputError:  # a malformed case: the engine refuses it (and says why), caps nothing
        return None
    pronounced_end = _pronounced_end(case)
    anchor = (
        pronounced_end
        if REDUCTION_MONTHS_FROM == "pronounced_end"
        else pronounced_end - timedelta(days=case.pre_trial_days)
    )
    groups: list[tuple[list[tuple[int, Reduction]], int, int, str, str]] = []
    granted = [(i, r) for i, r in counted if r.kind != "retrait_crp"]
    if case.ecrou_date >= REGIME_2023_FROM:
        months = days = 0
        articles = set()
        for sentence in case.sentences:
            per_year, per_month, article = _ceiling_2023(sentence)
            extra_months, extra_days = _ceiling(sentence.length, per_year, per_month)
            months, days = months + extra_months, days + extra_days
            articles.add(article.removeprefix("CPP art. "))
        cited = "CPP art. " + ", ".join(sorted(articles))
        groups.append((granted, months, days, cited, "des réductions de peine accordées"))
    else:
        months = days = credit_months = credit_days = 0
        for sentence in case.sentences:
            extra_months, extra_days = _ceiling_rsp_old(sentence)
            months, days = months + extra_months, days + extra_days
            if not {"terrorisme", "victime_pdap"} & sentence.flags:
                extra_months, extra_days = _crp(sentence)
                credit_months, credit_days = credit_months + extra_months, credit_days + extra_days
        groups.append(
            (granted, months, days, ARTICLE_RSP, "des réductions supplémentaires accordées")
        )
        withdrawals = [(i, r) for i, r in counted if r.kind == "retrait_crp"]
        groups.append(
            (withdrawals, credit_months, credit_days, ARTICLE_CRP, "des retraits de crédit")
        )
    for rows, ceiling_months, ceiling_days, article, what in groups:
        if not rows:
            continue
        total_months = sum(r.months for _, r in rows)
        total_days = sum(r.days for _, r in rows)
        if _in_days(anchor, total_months, total_days) > _in_days(
            anchor, ceiling_months, ceiling_days
        ):
            total = duration_words(Duration(0, total_months, total_days))
            ceiling = duration_words(Duration(0, ceiling_months, ceiling_days))
            return InputError(
                f"reductions[{rows[-1][0]}].months",
                f"Le total {what} ({total}) dépasserait le plafond de {ceiling} que fixe la loi "
                f"pour les peines de l'écrou ({article}) : vérifiez le quantum.",
            )
    return None


# --- The computation -------------------------------------------------------------------------


@dataclass
class _Reductions:
    days: int  # the total, in days counted back from the end of the pronounced sentences
    steps: list[Step]


def _granted(case: SentenceCase, reduction: Reduction) -> bool:
    return not reduction.withdrawn and (case.as_of is None or reduction.granted_on <= case.as_of)


def _ceiling_2023(sentence: Sentence) -> tuple[int, int, str]:
    if "terrorisme" in sentence.flags:
        return 3, 7, "CPP art. 721-1-1"
    if "victime_pdap" in sentence.flags:
        if sentence.nature == "crime":
            return 3, 7, "CPP art. 721-1-2"
        return 4, 9, "CPP art. 721-1-2"
    return 6, 14, "CPP art. 721"


def _reductions_2023(case: SentenceCase, anchor: date) -> _Reductions:
    steps: list[Step] = []
    months = days = 0
    for reduction in case.reductions:
        if reduction.kind == "retrait_crp":
            if _granted(case, reduction):
                steps.append(
                    Step(
                        "Retrait de crédit de réduction de peine sans objet : écrou relevant "
                        "du régime de 2023 (le retrait d'une réduction est une réduction "
                        "« rapportée »).",
                        "CPP art. 721",
                    )
                )
            continue
        if _granted(case, reduction):
            months += reduction.months
            days += reduction.days
    ceiling_months = ceiling_days = 0
    articles = set()
    for sentence in case.sentences:
        per_year, per_month, article = _ceiling_2023(sentence)
        extra_months, extra_days = _ceiling(sentence.length, per_year, per_month)
        ceiling_months += extra_months
        ceiling_days += extra_days
        articles.add(article)
    granted_words = duration_words(Duration(0, months, days))
    as_of = f" au {short_date(case.as_of)}" if case.as_of else ""
    steps.append(
        Step(
            f"Réductions de peine accordées{as_of} (non rapportées) : {granted_words}.",
            "CPP art. 721",
        )
    )
    if _in_days(anchor, months, days) > _in_days(anchor, ceiling_months, ceiling_days):
        steps.append(
            Step(
                "Total ramené au plafond légal : "
                f"{duration_words(Duration(0, ceiling_months, ceiling_days))}.",
                ", ".join(f"CPP art. {a.removeprefix('CPP art. ')}" for a in sorted(articles)),
            )
        )
        months, days = ceiling_months, ceiling_days
    return _Reductions(_in_days(anchor, months, days), steps)


def _crp(sentence: Sentence) -> tuple[int, int]:
    """Former CPP 721 al. 1 and D. 115-1: the automatic credit of one sentence (months, days)."""
    years, months, days = _normalised(sentence.length)
    partial_days = months * 7 + days * 7 // PARTIAL_MONTH_DAYS
    if sentence.length == Duration(0, 1, 0):
        partial_days = 7
    if years == 0:
        return 0, partial_days
    if partial_days >= 60:  # "ne peut toutefois excéder deux mois"
        return 3 + 2 * (years - 1) + 2, 0
    return 3 + 2 * (years - 1), partial_days


def _ceiling_rsp_old(sentence: Sentence) -> tuple[int, int]:
    if "victime_pdap" in sentence.flags:
        # Former 721-1-2 (loi 2021-646): 1 month the first year, 3 weeks the following ones,
        # 7 days a quarter below a year (at most 3 weeks for a sentence over a year).
        years, months, days = _normalised(sentence.length)
        partial = (months * 30 + days) * 7 // 90
        if years == 0:
            return 0, partial
        return 1, 21 * (years - 1) + min(partial, 21)
    return _ceiling(sentence.length, 3, 7)


def _reductions_before_2023(case: SentenceCase, anchor: date) -> _Reductions:
    steps: list[Step] = []
    crp_months = crp_days = 0
    for index, sentence in enumerate(case.sentences, start=1):
        if "terrorisme" in sentence.flags:
            steps.append(
                Step(
                    f"Peine {index} : pas de crédit de réduction de peine (terrorisme).",
                    "CPP art. 721-1-1 (rédaction antérieure au 1er janvier 2023)",
                )
            )
            continue
        if "victime_pdap" in sentence.flags:
            steps.append(
                Step(
                    f"Peine {index} : pas de crédit de réduction de peine (victime dépositaire "
                    "de l'autorité publique).",
                    "CPP art. 721-1-2 (rédaction antérieure au 1er janvier 2023)",
                )
            )
            continue
        months, days = _crp(sentence)
        crp_months += months
        crp_days += days
        steps.append(
            Step(
                f"Peine {index} : crédit de réduction de peine de "
                f"{duration_words(Duration(0, months, days))}.",
                ARTICLE_CRP,
            )
        )
    crp_total = _in_days(anchor, crp_months, crp_days)
    withdrawn_months = withdrawn_days = 0
    rsp_months = rsp_days = 0
    for reduction in case.reductions:
        if not _granted(case, reduction):
            continue
        if reduction.kind == "retrait_crp":
            withdrawn_months += reduction.months
            withdrawn_days += reduction.days
        else:
            rsp_months += reduction.months
            rsp_days += reduction.days
    withdrawn_total = _in_days(anchor, withdrawn_months, withdrawn_days)
    if withdrawn_months or withdrawn_days:
        steps.append(
            Step(
                "Retrait de crédit de réduction de peine : "
                f"{duration_words(Duration(0, withdrawn_months, withdrawn_days))}.",
                "CPP art. 721 al. 3 (rédaction antérieure au 1er janvier 2023)",
            )
        )
    if withdrawn_total > crp_total:
        steps.append(Step("Retrait limité au crédit calculé.", ARTICLE_CRP))
        withdrawn_months, withdrawn_days = crp_months, crp_days
    ceiling_months = ceiling_days = 0
    for sentence in case.sentences:
        extra_months, extra_days = _ceiling_rsp_old(sentence)
        ceiling_months += extra_months
        ceiling_days += extra_days
    if rsp_months or rsp_days:
        steps.append(
            Step(
                "Réductions supplémentaires de peine accordées : "
                f"{duration_words(Duration(0, rsp_months, rsp_days))}.",
                ARTICLE_RSP,
            )
        )
    if _in_days(anchor, rsp_months, rsp_days) > _in_days(anchor, ceiling_months, ceiling_days):
        steps.append(
            Step(
                "Réductions supplémentaires ramenées au plafond légal : "
                f"{duration_words(Duration(0, ceiling_months, ceiling_days))}.",
                ARTICLE_RSP,
            )
        )
        rsp_months, rsp_days = ceiling_months, ceiling_days
    net = _in_days(
        anchor,
        crp_months - withdrawn_months + rsp_months,
        crp_days - withdrawn_days + rsp_days,
    )
    return _Reductions(max(net, 0), steps)


def _remaining_at_most(end_exclusive: date, months: int, floor: date) -> date:
    """First day on which at most `months` calendar months remain before `end_exclusive`."""
    return max(add_months(end_exclusive, -months), floor)


def compute(case: SentenceCase) -> SentenceDates:
    """The dates of `case` (module docstring). Raises InputError only for a malformed case."""
    check_case(case)
    steps: list[Step] = []
    ecrou = case.ecrou_date

    # 1. Lengths, one sentence after the other (716-1, 716-2).
    steps.append(
        Step(
            f"Début de l'exécution : écrou du {short_date(ecrou)} (détention continue).",
            "CPP art. 716-2",
        )
    )
    cursor = ecrou
    any_surete = False
    for index, sentence in enumerate(case.sentences, start=1):
        end = add_length(cursor, sentence.length)
        steps.append(
            Step(
                f"Peine {index} : {duration_words(sentence.length)}, exécutée du "
                f"{short_date(cursor)} au {short_date(end - timedelta(days=1))} inclus.",
                "CPP art. 716-1",
            )
        )
        cursor = end
    raw_end = cursor
    total_days = (raw_end - ecrou).days

    # 2. Custody to deduct (716-4).
    pre_trial = case.pre_trial_days
    anchor = raw_end - timedelta(days=pre_trial)
    effective_start = ecrou - timedelta(days=pre_trial)
    if pre_trial:
        steps.append(
            Step(
                f"Détention à déduire (détention provisoire, ARSE, écrou antérieur…) : "
                f"{_days_words(pre_trial)}.",
                "CPP art. 716-4",
            )
        )

    # 3-4. Regime and reductions.
    month_anchor = raw_end if REDUCTION_MONTHS_FROM == "pronounced_end" else anchor
    if ecrou < REGIME_2023_FROM:
        regime: Regime = "avant-2023"
        steps.append(
            Step(
                f"Écrou antérieur au {short_date(REGIME_2023_FROM)} sans interruption : régime "
                "des crédits de réduction de peine (CRP) et réductions supplémentaires (RSP).",
                ARTICLE_REGIME,
            )
        )
        reductions = _reductions_before_2023(case, month_anchor)
    else:
        regime = "2023"
        steps.append(
            Step(
                f"Écrou à compter du {short_date(REGIME_2023_FROM)} : réductions de peine "
                "accordées par le juge de l'application des peines.",
                ARTICLE_REGIME,
            )
        )
        reductions = _reductions_2023(case, month_anchor)
    steps.extend(reductions.steps)
    reduction_days = reductions.days
    end_exclusive = anchor - timedelta(days=reduction_days)

    # 5. Ends and release (716-3).
    floor = ecrou + timedelta(days=MIN_CUSTODY_DAYS)
    if end_exclusive < floor:
        steps.append(
            Step(
                "La détention à déduire et les réductions couvrent la peine : fin le jour de "
                "l'écrou.",
                "CPP art. 716-4",
            )
        )
        end_exclusive = floor
    end_inclusive = end_exclusive + timedelta(days=END_INCLUSIVE_OFFSET)
    release = max(release_day(end_inclusive, case.subdivision), ecrou)  # not before the écrou
    steps.append(
        Step(
            f"Fin de peine : dernier jour de détention le {short_date(end_inclusive)} "
            f"(peine entièrement subie le {short_date(end_exclusive)} à 0 h).",
            "CPP art. 716-1",
        )
    )
    if release != end_inclusive:
        steps.append(
            Step(
                f"Le {short_date(end_inclusive)} est un dimanche ou un jour férié : libération "
                f"le jour ouvrable précédent, le {short_date(release)}.",
                "CPP art. 716-3",
            )
        )

    # Sentence totals (pronounced), compared on the calendar from the écrou date.
    def total_at_most(months: int) -> bool:
        return raw_end <= add_months(ecrou, months)

    # 6. Période de sûreté (CP 132-23, CPP 720-2, 720-3, 716-4 al. 3).
    surete_until: date | None = None
    cursor = effective_start
    for index, sentence in enumerate(case.sentences, start=1):
        if sentence.surete is not None and sentence.surete != Duration(0, 0, 0):
            any_surete = True
            cursor = add_length(cursor, sentence.surete)
            steps.append(
                Step(
                    f"Peine {index} : période de sûreté de {duration_words(sentence.surete)}.",
                    "CP art. 132-23",
                )
            )
    if any_surete:
        surete_until = cursor
        steps.append(
            Step(
                f"Période de sûreté jusqu'au {short_date(surete_until - timedelta(days=1))} "
                "inclus (détention provisoire déduite, réductions non imputées) : ni "
                "libération conditionnelle, ni semi-liberté, ni placement extérieur avant.",
                "CPP art. 720-2, 720-3, 716-4 ; CP art. 132-23",
            )
        )
    not_before = max(ecrou, surete_until) if surete_until else ecrou

    # LC time condition (729).
    length = (end_exclusive - effective_start).days
    half = effective_start + timedelta(days=_ceil_div(length, 2))
    two_thirds = effective_start + timedelta(days=_ceil_div(2 * length, 3))
    recidive = any(sentence.recidive for sentence in case.sentences)
    cap_years = LC_MAX_PROOF_YEARS_RECIDIVE if recidive else LC_MAX_PROOF_YEARS
    cap = add_months(effective_start, 12 * cap_years)
    time_condition = half
    lc_text = (
        f"Libération conditionnelle : temps accompli au moins égal au temps restant à subir "
        f"le {short_date(half)}."
    )
    if cap < half:
        time_condition = cap
        lc_text = (
            f"Libération conditionnelle : temps d'épreuve limité à {cap_years} ans"
            f"{' (récidive légale)' if recidive else ''}, atteint le {short_date(cap)}."
        )
    steps.append(Step(lc_text, "CPP art. 729"))
    seventy = add_months(case.birth_date, 12 * OVER_70_YEARS)
    if OVER_70_FROM_DAY_AFTER:
        seventy += timedelta(days=1)
    if seventy < time_condition:
        time_condition = seventy
        steps.append(
            Step(
                f"Plus de soixante-dix ans à compter du {short_date(seventy)} : pas de condition "
                "de durée de peine accomplie (insertion assurée, hébergement ou prise en charge).",
                "CPP art. 729",
            )
        )
    lc_from: date | None = max(time_condition, not_before)
    if lc_from is not None and lc_from > end_inclusive:
        lc_from = None
        steps.append(
            Step(
                "Pas de libération conditionnelle possible avant la fin de peine.",
                "CPP art. 720-2",
            )
        )
    elif surete_until is not None and lc_from == surete_until > time_condition:
        steps.append(
            Step(
                "Libération conditionnelle reportée à la fin de la période de sûreté, le "
                f"{short_date(surete_until)}.",
                "CPP art. 720-2 ; CP art. 132-23",
            )
        )
    elif lc_from == ecrou and time_condition < ecrou:
        steps.append(
            Step(
                "Condition de délai déjà remplie à l'écrou (détention déduite comprise).",
                "CPP art. 729, 716-4",
            )
        )

    # Parental LC (729-3).
    lc_parental_from: date | None = None
    if case.parent_enfant_moins_10:
        crime = any(sentence.nature == "crime" for sentence in case.sentences)
        minor = any("victime_mineur_15" in sentence.flags for sentence in case.sentences)
        if crime or minor:
            steps.append(
                Step(
                    "Libération conditionnelle parentale exclue : "
                    + ("condamnation pour crime." if crime else "délit commis sur un mineur."),
                    "CPP art. 729-3",
                )
            )
        else:
            if total_at_most(PARENTAL_MAX_MONTHS):
                parental = not_before
            else:
                parental = _remaining_at_most(end_exclusive, PARENTAL_MAX_MONTHS, not_before)
            if parental <= end_inclusive:
                lc_parental_from = parental
                steps.append(
                    Step(
                        "Libération conditionnelle parentale (enfant de moins de dix ans, peine "
                        "ou reliquat d'au plus quatre ans) possible dès le "
                        f"{short_date(parental)}.",
                        "CPP art. 729-3",
                    )
                )

    # 7. Examinations at 2/3 (720 I, 730-3).
    basis: Literal["720", "730-3"] = "720" if total_at_most(EXAMINATION_720_MAX_MONTHS) else "730-3"
    exam_day = max(two_thirds, ecrou)
    if EXAMINATION_AFTER_SURETE and surete_until is not None:
        exam_day = max(exam_day, surete_until)
    examination: Examination | None = None
    if surete_until is not None and surete_until > end_inclusive:
        steps.append(
            Step(
                "Pas d'examen aux deux tiers : la période de sûreté court jusqu'à la fin de peine.",
                "CPP art. 720-2",
            )
        )
    else:
        exam_day = min(exam_day, end_inclusive)
        if lc_from is not None and exam_day < lc_from:  # only when both are clamped to the end
            exam_day = lc_from
        examination = Examination(basis, exam_day)
        if basis == "720":
            steps.append(
                Step(
                    "Peines d'une durée totale d'au plus cinq ans : examen obligatoire en vue "
                    f"d'une libération sous contrainte aux deux tiers, le {short_date(exam_day)} "
                    "(sauf refus préalable ou requête en aménagement pendante).",
                    "CPP art. 720 I",
                )
            )
        else:
            steps.append(
                Step(
                    "Peines d'une durée totale de plus de cinq ans : débat contradictoire sur la "
                    f"libération conditionnelle aux deux tiers, le {short_date(exam_day)}.",
                    "CPP art. 730-3",
                )
            )

    # 8. LSC de plein droit (720 II-III).
    lsc = _lsc(case, total_at_most(LSC_TOTAL_MAX_MONTHS), end_exclusive, end_inclusive, ecrou)
    if lsc.date is not None:
        steps.append(
            Step(
                f"Libération sous contrainte de plein droit : reliquat d'au plus trois mois le "
                f"{short_date(lsc.date)}"
                + (" ; elle s'applique." if lsc.applies else " ; exclue : ")
                + ("" if lsc.applies else " ; ".join(lsc.excluded_by) + "."),
                "CPP art. 720 II-III",
            )
        )
    else:
        steps.append(
            Step(
                "Pas de libération sous contrainte de plein droit : peines d'une durée totale "
                "supérieure à deux ans.",
                "CPP art. 720 II",
            )
        )

    # 9. Thresholds.
    thresholds = Thresholds(
        one_year=_remaining_at_most(end_exclusive, 12, ecrou),
        six_months=_remaining_at_most(end_exclusive, 6, ecrou),
        two_years=_remaining_at_most(end_exclusive, 24, ecrou),
    )
    steps.append(
        Step(
            f"Reliquat d'au plus deux ans le {short_date(thresholds.two_years or ecrou)} "
            "(semi-liberté, placement extérieur, détention à domicile sous surveillance "
            "électronique).",
            "CPP art. 723-1, 723-7",
        )
    )
    steps.append(
        Step(
            f"Reliquat d'au plus un an le {short_date(thresholds.one_year or ecrou)}, d'au plus "
            f"six mois le {short_date(thresholds.six_months or ecrou)}.",
            "CP art. 132-25 ; CPP art. 723-15",
        )
    )

    return SentenceDates(
        regime=regime,
        end_exclusive=end_exclusive,
        end_inclusive=end_inclusive,
        release_date=release,
        lc_from=lc_from,
        lc_parental_from=lc_parental_from,
        examination=examination,
        lsc_de_plein_droit=lsc,
        thresholds=thresholds,
        explanation=tuple(steps),
        surete_until=surete_until,
        reduction_days=reduction_days,
        total_length_days=total_days,
    )


# CPP 720 III 1°: the flags of a sentence that exclude the LSC de plein droit, with their words.
LSC_EXCLUDING_FLAGS: tuple[tuple[str, str], ...] = (
    ("terrorisme", "infraction terroriste (CP art. 421-1 à 421-6) — CPP art. 720 III 1°"),
    (
        "victime_mineur_15",
        "atteinte à la personne commise sur un mineur de moins de quinze ans — CPP art. 720 III 1°",
    ),
    (
        "victime_pdap",
        "atteinte à la personne commise sur une personne dépositaire de l'autorité publique — "
        "CPP art. 720 III 1°",
    ),
    (
        "violences_conjugales",
        "infraction commise par le conjoint, concubin ou partenaire (CP art. 132-80) — "
        "CPP art. 720 III 1°",
    ),
)
LSC_CRIME = "condamnation pour une infraction qualifiée de crime — CPP art. 720 III 1°"
LSC_DISCIPLINE = (
    "sanction disciplinaire pour violences, résistance violente ou action collective pendant "
    "la détention — CPP art. 720 III 2°"
)
LSC_HOUSING = "absence d'hébergement (impossibilité matérielle) — CPP art. 720 II"


def _lsc(
    case: SentenceCase, in_scope: bool, end_exclusive: date, end_inclusive: date, ecrou: date
) -> PleinDroit:
    if not in_scope:
        return PleinDroit(
            applies=False,
            date=None,
            excluded_by=("peines d'une durée totale supérieure à deux ans — CPP art. 720 II",),
        )
    day = min(_remaining_at_most(end_exclusive, LSC_REMAINING_MONTHS, ecrou), end_inclusive)
    reasons: list[str] = []
    if any(sentence.nature == "crime" for sentence in case.sentences):
        reasons.append(LSC_CRIME)
    for flag, words in LSC_EXCLUDING_FLAGS:
        if any(flag in sentence.flags for sentence in case.sentences):
            reasons.append(words)
    if case.sanction_disciplinaire_violence:
        reasons.append(LSC_DISCIPLINE)
    if not case.hebergement:
        reasons.append(LSC_HOUSING)
    return PleinDroit(applies=not reasons, date=day, excluded_by=tuple(reasons))


__all__ = [
    "FLAGS",
    "Duration",
    "Examination",
    "InputError",
    "PleinDroit",
    "Reduction",
    "Sentence",
    "SentenceCase",
    "SentenceDates",
    "Step",
    "Thresholds",
    "check_case",
    "compute",
]

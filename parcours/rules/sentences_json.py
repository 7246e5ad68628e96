"""The JSON form of the sentence-date engine (`python manage.py sentence_dates`), pure functions.

`case_from_json` reads a decoded JSON object into a `SentenceCase`, refusing anything malformed
with an `InputError` that names the field ("sentences[0].years") in French; unknown fields are
refused too (a misspelt field would otherwise be silently ignored). `dates_to_json` writes
`SentenceDates` with ISO dates. The README's developer part documents both (section "Sentence-date
engine").
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from parcours.rules.dates import holiday_name
from parcours.rules.json_input import optional_bool, optional_list, refuse_unknown
from parcours.rules.sentences import (
    FLAGS,
    Duration,
    InputError,
    Nature,
    Reduction,
    ReductionKind,
    Sentence,
    SentenceCase,
    SentenceDates,
    check_case,
)

CASE_FIELDS = frozenset(
    {
        "birth_date",
        "ecrou_date",
        "pre_trial_days",
        "sentences",
        "reductions",
        "parent_enfant_moins_10",
        "sanction_disciplinaire_violence",
        "hebergement",
        "as_of",
        "subdivision",
    }
)
SENTENCE_FIELDS = frozenset(
    {"years", "months", "days", "definitive_on", "nature", "recidive", "flags", "surete"}
)
REDUCTION_FIELDS = frozenset({"days", "months", "granted_on", "withdrawn", "kind"})
DURATION_FIELDS = frozenset({"years", "months", "days"})
NATURES: dict[str, Nature] = {"crime": "crime", "delit": "delit", "délit": "delit"}
KINDS: tuple[ReductionKind, ...] = ("rp", "rsp", "retrait_crp")
MAX_COUNT = 100_000  # any single number of years, months or days


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(path or "(racine)", "un objet JSON est attendu.")
    return cast(dict[str, Any], value)


def _no_unknown(data: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    refuse_unknown(data, allowed, path, InputError)


def _date(value: object, path: str, *, required: bool) -> date | None:
    if value is None:
        if required:
            raise InputError(path, "champ obligatoire (date AAAA-MM-JJ).")
        return None
    if not isinstance(value, str):
        raise InputError(path, "une date AAAA-MM-JJ est attendue.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"date invalide « {value} » (format AAAA-MM-JJ).") from None
    if len(value) != 10:
        raise InputError(path, f"date invalide « {value} » (format AAAA-MM-JJ).")
    return day


def _count(value: object, path: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(path, "un nombre entier est attendu.")
    if value < 0:
        raise InputError(path, "doit être positif ou nul.")
    if value > MAX_COUNT:
        raise InputError(path, "valeur trop grande.")
    return value


def _bool(value: object, path: str) -> bool:
    return optional_bool(value, path, InputError, "true ou false est attendu.")


def _duration(value: object, path: str) -> Duration:
    data = _object(value, path)
    _no_unknown(data, DURATION_FIELDS, path)
    return Duration(
        years=_count(data.get("years"), f"{path}.years"),
        months=_count(data.get("months"), f"{path}.months"),
        days=_count(data.get("days"), f"{path}.days"),
    )


def _sentence(value: object, path: str) -> Sentence:
    data = _object(value, path)
    _no_unknown(data, SENTENCE_FIELDS, path)
    length = Duration(
        years=_count(data.get("years"), f"{path}.years"),
        months=_count(data.get("months"), f"{path}.months"),
        days=_count(data.get("days"), f"{path}.days"),
    )
    if length == Duration():
        raise InputError(f"{path}.years", "la durée de la peine est nulle (years, months, days).")
    nature_value = data.get("nature", "delit")
    if not isinstance(nature_value, str) or nature_value not in NATURES:
        raise InputError(f"{path}.nature", "« crime » ou « delit » attendu.")
    flags_value = data.get("flags") or []
    if not isinstance(flags_value, list) or not all(isinstance(f, str) for f in flags_value):
        raise InputError(f"{path}.flags", "une liste d'indicateurs est attendue.")
    unknown = sorted(set(flags_value) - FLAGS)
    if unknown:
        raise InputError(
            f"{path}.flags",
            f"indicateur inconnu « {unknown[0]} » (attendus : {', '.join(sorted(FLAGS))}).",
        )
    surete_value = data.get("surete")
    surete = None if surete_value is None else _duration(surete_value, f"{path}.surete")
    return Sentence(
        length=length,
        definitive_on=_date(data.get("definitive_on"), f"{path}.definitive_on", required=False),
        nature=NATURES[nature_value],
        recidive=_bool(data.get("recidive"), f"{path}.recidive"),
        flags=frozenset(flags_value),
        surete=surete,
    )


def _reduction(value: object, path: str) -> Reduction:
    data = _object(value, path)
    _no_unknown(data, REDUCTION_FIELDS, path)
    kind_value = data.get("kind", "rp")
    if kind_value not in KINDS:
        raise InputError(f"{path}.kind", "« rp », « rsp » ou « retrait_crp » attendu.")
    days = _count(data.get("days"), f"{path}.days")
    months = _count(data.get("months"), f"{path}.months")
    if not days and not months:
        raise InputError(f"{path}.days", "une durée (days et/ou months) est attendue.")
    granted_on = _date(data.get("granted_on"), f"{path}.granted_on", required=True)
    assert granted_on is not None
    return Reduction(
        granted_on=granted_on,
        days=days,
        months=months,
        withdrawn=_bool(data.get("withdrawn"), f"{path}.withdrawn"),
        kind=cast(ReductionKind, kind_value),
    )


def _list(value: object, path: str) -> list[object]:
    return optional_list(value, path, InputError, "une liste est attendue.")


def case_from_json(data: object) -> SentenceCase:
    """A `SentenceCase` from decoded JSON; InputError (French, naming the field) otherwise."""
    root = _object(data, "")
    _no_unknown(root, CASE_FIELDS, "")
    birth_date = _date(root.get("birth_date"), "birth_date", required=True)
    ecrou_date = _date(root.get("ecrou_date"), "ecrou_date", required=True)
    assert birth_date is not None and ecrou_date is not None
    sentences_value = root.get("sentences")
    if sentences_value is None:
        raise InputError("sentences", "champ obligatoire (liste des peines).")
    sentences = tuple(
        _sentence(item, f"sentences[{index}]")
        for index, item in enumerate(_list(sentences_value, "sentences"))
    )
    reductions = tuple(
        _reduction(item, f"reductions[{index}]")
        for index, item in enumerate(_list(root.get("reductions"), "reductions"))
    )
    subdivision = root.get("subdivision")
    if subdivision is not None:
        if not isinstance(subdivision, str):
            raise InputError("subdivision", "un code de subdivision est attendu (ex. « 57 »).")
        try:
            holiday_name(date(2024, 1, 1), subdivision)
        except NotImplementedError:
            raise InputError("subdivision", f"subdivision inconnue « {subdivision} ».") from None
    case = SentenceCase(
        birth_date=birth_date,
        ecrou_date=ecrou_date,
        sentences=sentences,
        pre_trial_days=_count(root.get("pre_trial_days"), "pre_trial_days"),
        reductions=reductions,
        parent_enfant_moins_10=_bool(root.get("parent_enfant_moins_10"), "parent_enfant_moins_10"),
        sanction_disciplinaire_violence=_bool(
            root.get("sanction_disciplinaire_violence"), "sanction_disciplinaire_violence"
        ),
        hebergement=_bool(root.get("hebergement"), "hebergement"),
        as_of=_date(root.get("as_of"), "as_of", required=False),
        subdivision=subdivision,
    )
    check_case(case)
    return case


# The French names of the case's fields, for a reader of the person file (the JSON paths are
# the command's; a screen says "Peine 1, années", never "sentences[0].years").
FIELD_WORDS = {
    "": "Données du calcul",
    "(racine)": "Données du calcul",
    "birth_date": "Date de naissance",
    "ecrou_date": "Date d'écrou",
    "pre_trial_days": "Détention à imputer",
    "sentences": "Peines",
    "reductions": "Réductions de peine",
    "as_of": "Date du calcul",
    "subdivision": "Jours fériés (subdivision)",
    "parent_enfant_moins_10": "Parent d'un enfant de moins de dix ans",
    "sanction_disciplinaire_violence": "Sanction disciplinaire pour violences",
    "hebergement": "Hébergement justifié à la sortie",
}
ITEM_WORDS = {"sentences": "Peine", "reductions": "Décision de réduction de peine"}
PART_WORDS = {
    "years": "années",
    "months": "mois",
    "days": "jours",
    "definitive_on": "date à laquelle la condamnation est définitive",
    "nature": "nature",
    "recidive": "récidive légale",
    "flags": "faits retenus",
    "surete": "période de sûreté",
    "granted_on": "date de la décision",
    "withdrawn": "retrait",
    "kind": "type",
}


def field_words(path: str) -> str:
    """The French name of a field named by its JSON path: "sentences[0].surete.years" →
    "Peine 1, période de sûreté, années"; "reductions" → "Réductions de peine"."""
    head, _, rest = path.partition(".")
    name, bracket, index = head.partition("[")
    if bracket and name in ITEM_WORDS and index.rstrip("]").isdigit():
        words = f"{ITEM_WORDS[name]} {int(index.rstrip(']')) + 1}"
    else:
        words = FIELD_WORDS.get(head, head)
    for part in rest.split(".") if rest else ():
        words += f", {PART_WORDS.get(part, part)}"
    return words


def error_words(problem: InputError) -> str:
    """An InputError for a reader: the field's French name, then the message."""
    return f"{field_words(problem.field)} : {problem.message}"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def dates_to_json(dates: SentenceDates) -> dict[str, Any]:
    """The output JSON object (ISO dates; null when a date does not apply)."""
    exam = dates.examination
    lsc = dates.lsc_de_plein_droit
    return {
        "regime": dates.regime,
        "end_exclusive": dates.end_exclusive.isoformat(),
        "end_inclusive": dates.end_inclusive.isoformat(),
        "release_date": dates.release_date.isoformat(),
        "lc_from": _iso(dates.lc_from),
        "lc_parental_from": _iso(dates.lc_parental_from),
        "examination": {"basis": exam.basis, "date": exam.date.isoformat()} if exam else None,
        "lsc_de_plein_droit": {
            "applies": lsc.applies,
            "date": _iso(lsc.date),
            "excluded_by": list(lsc.excluded_by),
        },
        "thresholds": {
            "one_year": _iso(dates.thresholds.one_year),
            "six_months": _iso(dates.thresholds.six_months),
            "two_years": _iso(dates.thresholds.two_years),
        },
        "surete_until": _iso(dates.surete_until),
        "reduction_days": dates.reduction_days,
        "total_length_days": dates.total_length_days,
        "explanation": [{"text": step.text, "article": step.article} for step in dates.explanation],
    }

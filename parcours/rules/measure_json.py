"""`manage.py measure_deadlines FILE.json`, the pure part: a JSON description of one measure in,
its planned end and legal deadlines out (the same functions as the application).

Greffes and integrators check Parcours against their own practice with it. Dates are ISO
(`2026-03-02`); suspensions are half-open (`end` is the first day back). A malformed input raises
`MeasureInputError`, whose French message names the faulty field (the command exits with 2).

Input keys (all optional unless marked):

    measure_type*            catalogue code: sursis_probatoire, sursis_probatoire_renforce, tig,
                             stage, ajournement_probation, ssj, surveillance_judiciaire…
    judgment_date*           date of the judgment (of the first decision of ajournement)
    convict_present_at_hearing, execution_provisoire, detained_at_judgment,
    mandat_depot_differe, court_set_obligations                               booleans
    executoire_on, final_on, notified_on, start_date, end_date, release_date,
    file_received_on, spip_referral_on, renforce_ordered_on                   dates
    duration_months, prison_ferme_months, tig_delay_months                     integers
    tig_hours, tig_hours_done                                                  numbers
    suspensions              [{start, end (exclusive, null while it lasts), reason, source}]
                             reason: incarceration, service_national, arse, motif_grave,
                             suspension_708
    conviction               {nature: crime|delit|contravention, ssj_encouru, ssj_antecedent,
                              violences_conjugales, terrorisme, victime_pdap,
                              victime_mineur_15}
    evaluations              dates of the SPR re-evaluations recorded
    first_spip_meeting_on, first_jap_meeting_on, spip_report_sent_on,
    evaluation_report_sent_on, ordinance_on, stage_completed_on, sentencing_on,
    end_report_sent_on, ended_on                                               dates
    outcome                  non_avenue, revocation_totale, revocation_partielle, executee, autre
    time_zone                IANA zone of the SPIP (default Europe/Paris)
    holiday_subdivision      `holidays` subdivision ("57", "6AE", "971"…; default: from the zone)
    as_of                    local date of the computation (default: today in `time_zone`)
    notice_days              days before the last working day when a deadline is due soon (7)

Output: measure_type, as_of, time_zone, holiday_subdivision, planned_end (date or null),
planned_end_explanation, suspended_days, deadlines [{kind, label, due, last_working_day, article,
source, status, explanation}], notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from parcours.rules.dates import DEFAULT_TIME_ZONE, local_date, subdivision_for_zone
from parcours.rules.json_input import optional_bool, optional_list, refuse_unknown
from parcours.rules.legal_deadlines import (
    TIG_MAX_DELAY_MONTHS,
    Actions,
    MeasureCase,
    Procedure,
    measure_report,
)
from parcours.rules.timeline import (
    AJOURNEMENT_PROBATION,
    CONVICTION_FLAGS,
    SURSIS_TYPES,
    ConvictionFacts,
    MeasureTimeline,
    Nature,
    Outcome,
    Suspension,
    SuspensionReason,
)

DATE_KEYS = (
    "executoire_on",
    "final_on",
    "notified_on",
    "start_date",
    "end_date",
    "release_date",
    "file_received_on",
    "spip_referral_on",
    "renforce_ordered_on",
    "first_spip_meeting_on",
    "first_jap_meeting_on",
    "spip_report_sent_on",
    "evaluation_report_sent_on",
    "ordinance_on",
    "stage_completed_on",
    "sentencing_on",
    "end_report_sent_on",
    "ended_on",
    "as_of",
)
BOOL_KEYS = (
    "convict_present_at_hearing",
    "execution_provisoire",
    "detained_at_judgment",
    "mandat_depot_differe",
    "court_set_obligations",
)
INT_KEYS = ("duration_months", "prison_ferme_months", "tig_delay_months", "notice_days")
OTHER_KEYS = (
    "measure_type",
    "judgment_date",
    "tig_hours",
    "tig_hours_done",
    "suspensions",
    "conviction",
    "evaluations",
    "outcome",
    "time_zone",
    "holiday_subdivision",
)
KNOWN_KEYS = frozenset((*DATE_KEYS, *BOOL_KEYS, *INT_KEYS, *OTHER_KEYS))
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
PROBATION_MONTHS = (12, 84)  # CP 132-42: 12 months to 3 years, 5 or 7 years in récidive
AJOURNEMENT_MAX_MONTHS = 12  # CP 132-63


class MeasureInputError(ValueError):
    """A malformed measure description; the message (French) names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"Champ « {field} » : {message}")


def _date(field: str, value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise MeasureInputError(field, f"date attendue au format AAAA-MM-JJ (reçu : {value!r}).")


def _required_date(field: str, value: Any) -> date:
    found = _date(field, value)
    if found is None:
        raise MeasureInputError(field, "date obligatoire.")
    return found


def _bool(field: str, value: Any) -> bool:
    return optional_bool(
        value, field, MeasureInputError, f"true ou false attendu (reçu : {value!r})."
    )


def _int(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MeasureInputError(field, f"nombre entier positif attendu (reçu : {value!r}).")
    return value


def _decimal(field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MeasureInputError(field, f"nombre attendu (reçu : {value!r}).")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MeasureInputError(field, f"nombre attendu (reçu : {value!r}).") from None
    if not number.is_finite() or number < 0:
        raise MeasureInputError(field, f"nombre positif attendu (reçu : {value!r}).")
    return number


def _text(field: str, value: Any, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise MeasureInputError(field, f"texte attendu (reçu : {value!r}).")
    return value.strip()


def _choice(field: str, value: Any, allowed: list[str]) -> str:
    text = _text(field, value)
    if text and text not in allowed:
        raise MeasureInputError(
            field, f"valeur inconnue {text!r} (valeurs possibles : {', '.join(allowed)})."
        )
    return text


def _list(field: str, value: Any) -> list[Any]:
    return optional_list(value, field, MeasureInputError, "liste attendue.")


def _suspensions(value: Any) -> tuple[Suspension, ...]:
    found = []
    for index, item in enumerate(_list("suspensions", value)):
        where = f"suspensions[{index}]"
        if not isinstance(item, Mapping):
            raise MeasureInputError(where, "objet {start, end, reason} attendu.")
        refuse_unknown(item, {"start", "end", "reason", "source"}, where, MeasureInputError)
        start = _required_date(f"{where}.start", item.get("start"))
        end = _date(f"{where}.end", item.get("end"))
        reason = _choice(f"{where}.reason", item.get("reason"), SuspensionReason.values)
        if not reason:
            raise MeasureInputError(f"{where}.reason", "motif obligatoire.")
        if end is not None and end <= start:
            raise MeasureInputError(
                f"{where}.end",
                "la fin (premier jour de reprise, exclu) doit être postérieure au début.",
            )
        source = _text(f"{where}.source", item.get("source"))
        found.append(Suspension(start, end, reason, source))
    return tuple(found)


def _conviction(value: Any) -> ConvictionFacts:
    if value is None:
        return ConvictionFacts()
    if not isinstance(value, Mapping):
        raise MeasureInputError("conviction", "objet attendu.")
    refuse_unknown(value, {"nature", *CONVICTION_FLAGS}, "conviction", MeasureInputError)
    nature = _choice("conviction.nature", value.get("nature"), Nature.values) or Nature.DELIT
    flags = {name: _bool(f"conviction.{name}", value.get(name)) for name in CONVICTION_FLAGS}
    return ConvictionFacts(nature=nature, **flags)


def _zone(value: Any) -> str:
    zone = _text("time_zone", value) or DEFAULT_TIME_ZONE
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise MeasureInputError("time_zone", f"fuseau IANA inconnu {zone!r}.") from None
    return zone


def _subdivision(value: Any, zone: str) -> str | None:
    text = _text("holiday_subdivision", value)
    if not text:
        return subdivision_for_zone(zone)
    try:
        holidays_lib.country_holidays("FR", subdiv=text)
    except NotImplementedError:
        raise MeasureInputError(
            "holiday_subdivision", f"subdivision inconnue {text!r} (ex. : 57, 6AE, 971)."
        ) from None
    return text


def _check_durations(kind: str, months: int | None, tig_delay: int | None) -> None:
    if months is not None:
        low, high = PROBATION_MONTHS
        if kind in SURSIS_TYPES and not low <= months <= high:
            raise MeasureInputError(
                "duration_months",
                f"le délai de probation est de {low} mois à 3 ans, porté à 5 ou 7 ans en "
                f"récidive (CP art. 132-42) : {months} mois impossible.",
            )
        if kind == AJOURNEMENT_PROBATION and not 0 < months <= AJOURNEMENT_MAX_MONTHS:
            raise MeasureInputError(
                "duration_months",
                "la probation de l'ajournement ne peut dépasser un an (CP art. 132-63).",
            )
        if months == 0:
            raise MeasureInputError("duration_months", "une durée d'au moins un mois.")
    if tig_delay is not None and not 0 < tig_delay <= TIG_MAX_DELAY_MONTHS:
        raise MeasureInputError(
            "tig_delay_months",
            f"le délai fixé par la juridiction est de 1 à {TIG_MAX_DELAY_MONTHS} mois "
            "(CP art. 131-22).",
        )


def _build(cls: type[T], values: Mapping[str, Any], **extra: Any) -> T:
    """An instance of the dataclass `cls` from the input values named like its fields."""
    names = {item.name for item in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names}, **extra)


def parse_case(data: Any, *, now: datetime | None = None) -> tuple[MeasureCase, dict[str, Any]]:
    """The measure case and the computation settings (as_of, time zone, subdivision, notice)
    of a parsed JSON object; MeasureInputError when something is malformed."""
    if not isinstance(data, Mapping):
        raise MeasureInputError("(racine)", "un objet JSON décrivant une mesure est attendu.")
    refuse_unknown(data, KNOWN_KEYS, "", MeasureInputError)
    kind = _text("measure_type", data.get("measure_type"), required=True)
    judgment = _required_date("judgment_date", data.get("judgment_date"))
    dates = {key: _date(key, data.get(key)) for key in DATE_KEYS}
    flags = {key: _bool(key, data.get(key)) for key in BOOL_KEYS}
    numbers = {key: _int(key, data.get(key)) for key in INT_KEYS}
    for key in ("executoire_on", "final_on", "notified_on", "start_date"):
        day = dates[key]
        if day is not None and day < judgment:
            raise MeasureInputError(key, "cette date ne peut pas précéder le jugement.")
    _check_durations(kind, numbers["duration_months"], numbers["tig_delay_months"])
    evaluations = tuple(
        _required_date(f"evaluations[{i}]", value)
        for i, value in enumerate(_list("evaluations", data.get("evaluations")))
    )
    zone = _zone(data.get("time_zone"))
    subdivision = _subdivision(data.get("holiday_subdivision"), zone)
    as_of = dates["as_of"]
    if as_of is None:
        if now is None:
            raise MeasureInputError("as_of", "date obligatoire (aucune horloge fournie).")
        as_of = local_date(now, zone)
    values: dict[str, Any] = {**dates, **flags, **numbers}
    timeline = _build(
        MeasureTimeline,
        values,
        measure_type=kind,
        judgment=judgment,
        start=dates["start_date"],
        end=dates["end_date"],
        person_periods=_suspensions(data.get("suspensions")),
        outcome=_choice("outcome", data.get("outcome"), Outcome.values),
    )
    procedure = _build(Procedure, values, tig_hours=_decimal("tig_hours", data.get("tig_hours")))
    done = _decimal("tig_hours_done", data.get("tig_hours_done"))
    actions = _build(Actions, values, evaluations=evaluations, tig_hours_done=done or Decimal(0))
    case = MeasureCase(timeline, _conviction(data.get("conviction")), procedure, actions)
    settings = {
        "as_of": as_of,
        "time_zone": zone,
        "holiday_subdivision": subdivision,
        "notice_days": numbers["notice_days"],
    }
    return case, settings


def deadlines_from_json(data: Any, *, now: datetime | None = None) -> dict[str, Any]:
    """The output object of `manage.py measure_deadlines` for a parsed JSON object. `now` (an
    aware instant) gives today's local date when the input has no `as_of`."""
    case, settings = parse_case(data, now=now)
    notice = settings["notice_days"]
    report = measure_report(
        case,
        settings["as_of"],
        subdivision=settings["holiday_subdivision"],
        **({} if notice is None else {"notice_days": notice}),
    )
    end = report.planned_end
    return {
        "measure_type": case.timeline.measure_type,
        "as_of": settings["as_of"].isoformat(),
        "time_zone": settings["time_zone"],
        "holiday_subdivision": settings["holiday_subdivision"],
        "planned_end": end.day.isoformat() if end.day else None,
        "planned_end_explanation": end.explanation,
        "suspended_days": end.suspended_days,
        "deadlines": [item.as_dict() for item in report.deadlines],
        "notes": list(report.notes),
    }

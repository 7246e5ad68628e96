"""French calendar words, for SMS, letters and documents (no locale dependency)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def short_date(day: date) -> str:
    """ "05/03/2026". Built from the fields: strftime is several times slower, and the nightly
    recomputations write about a million of these."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def long_datetime(moment: datetime, tz_name: str) -> str:
    """ "mardi 1 décembre 2026 à 14 h 30" in the given zone (letters)."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return (
        f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"à {local:%H} h {local:%M}"
    )


def day_and_time(local: datetime) -> str:
    """ "mardi 1 décembre 2026 à 14:30" (a local time: the caller chose the zone), as Django's
    French `date:"l j F Y à H:i"` writes it, without the template filter's lookups."""
    return (
        f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"à {local.hour:02d}:{local.minute:02d}"
    )


def short_date_time(local: datetime) -> str:
    """ "05/03/2026 14:30" (a local time), as `date:"d/m/Y H:i"`."""
    return f"{short_date(local)} {local.hour:02d}:{local.minute:02d}"


def plural_s(count: float) -> str:
    """The plural mark of a French noun after `count`: "s" from 2 on ("0 note", "1 note",
    "2 notes"), where English (and Django's `pluralize`) says "0 notes"."""
    return "s" if abs(count) >= 2 else ""


# --- One formatting layer: dates, amounts, gender, counts, labels ------------------------------
# Screens (the `french` template library), SMS and documents all call these, so a date, an
# amount or an agreement reads the same everywhere. Pure: no locale, no Django.

NBSP = "\u00a0"
FEMININE, MASCULINE = "F", "M"  # Person.sex codes (rules.vocabulary.Sex); anything else: unknown


def long_date(day: date) -> str:
    """ "27 novembre 2026", "1er décembre 2026" (letters, documents)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def euros(amount: object) -> str:
    """ "1 200,00 €": two decimals, comma, non-breaking spaces between thousands and before the
    sign. Accepts Decimal, int, float or a numeric string; rounds half up to the cent."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"Montant illisible : {amount!r}") from error
    if value == 0:
        value = abs(value)  # no "-0,00 €"
    text = f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}€"


def agree(sex: str | None, masculine: str, feminine: str | None = None) -> str:
    """The participle or adjective agreeing with the recorded sex: agree("F", "né") -> "née",
    agree("M", "convoqué") -> "convoqué"; "(e)" only when the sex is unknown ("né(e)").
    `feminine` for irregular forms (agree(sex, "Monsieur", "Madame"))."""
    fem = feminine if feminine is not None else masculine + "e"
    if sex == FEMININE:
        return fem
    if sex == MASCULINE:
        return masculine
    if feminine is None:
        return f"{masculine}(e)"
    return f"{fem} ou {masculine}"


def civility(sex: str | None) -> str:
    """ "Monsieur", "Madame", or "Madame, Monsieur" when the sex is not recorded."""
    if sex == FEMININE:
        return "Madame"
    if sex == MASCULINE:
        return "Monsieur"
    return "Madame, Monsieur"


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    """ "0 absence non excusée", "1 absence…", "2 absences non excusées": French keeps 0 and 1
    singular. `plural` defaults to `singular` + "s" (give it for several words)."""
    words = singular if abs(count) < 2 else (plural if plural is not None else singular + "s")
    return f"{count} {words}"


def flat_label(label: str) -> str:
    """A label that can itself sit inside parentheses: "DPIP (chef de service)" becomes
    "DPIP, chef de service" (never "(DPIP (chef de service))")."""
    head, sep, rest = label.partition(" (")
    if not sep or not rest.endswith(")"):
        return label
    return f"{head}, {rest[:-1]}"


def resolve_plural_marks(text: str, count: int) -> str:
    """A heading or label written with "(s)"/"(x)" marks, agreed with a known count:
    resolve_plural_marks("Mesure(s) suivie(s)", 1) -> "Mesure suivie", (…, 2) -> "Mesures
    suivies". French keeps 0 and 1 singular (as `count_phrase`)."""
    many = abs(count) >= 2
    for mark, letter in (("(s)", "s"), ("(x)", "x")):
        text = text.replace(mark, letter if many else "")
    return text

"""Identity rules, pure functions (no Django imports).

- Minimum age 16: people followed by the SPIP are at least 16 years old (the public convocation
  tool enforces the same bound; below 16 the PJJ, not the SPIP, is competent).
- APPI number (national case number): a year of registration on 4 digits followed by 8 digits
  (as issued since the 2000s). The exact format is to confirm with the APPI team; the pattern is a
  parameter here, not scattered in code.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MINIMUM_AGE_YEARS = 16
# ASCII digits only: "\d" would also take full-width or Arabic-Indic digits.
APPI_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?P<serial>[0-9]{8})$")
APPI_FIRST_YEAR = 1990


def age_on(birth_date: date, on: date) -> int:
    """Whole years between birth_date and `on` (a birthday counts on the day itself)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def birth_date_problem(birth_date: date, today: date) -> str | None:
    """French message when a birth date is impossible for a person followed, else None."""
    if birth_date > today:
        return "La date de naissance ne peut pas être dans le futur."
    if birth_date.year < 1900:
        return "La date de naissance doit être postérieure à 1900."
    if age_on(birth_date, today) < MINIMUM_AGE_YEARS:
        return f"La personne doit avoir au moins {MINIMUM_AGE_YEARS} ans."
    return None


def normalise_appi(value: str) -> str:
    """Removes spaces, slashes and dashes people type inside the number."""
    return re.sub(r"[\s/.-]", "", value or "")


def appi_problem(value: str, today: date) -> str | None:
    """French message when an APPI number is malformed, else None."""
    number = normalise_appi(value)
    match = APPI_PATTERN.match(number)
    if not match:
        return "Le numéro APPI doit comporter 12 chiffres : l'année sur 4 chiffres puis 8 chiffres."
    year = int(match.group("year"))
    if not APPI_FIRST_YEAR <= year <= today.year:
        return (
            f"Le numéro APPI doit commencer par une année comprise entre {APPI_FIRST_YEAR} "
            f"et {today.year}."
        )
    return None


def fold(text: str) -> str:
    """Uppercase without accents or extra spaces: the key used for name search and duplicates."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^A-Za-z0-9' -]", " ", stripped).upper().split())


# A staff member's first or last name: letters of any alphabet, spaces, hyphens, apostrophes
# and periods ("Jean-Pierre", "N'Diaye", "O’Brien", "St. Clair"); nothing that reads as markup.
STAFF_NAME = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")
STAFF_NAME_REFUSED = (
    "Un nom ne contient que des lettres, des espaces, des tirets, des apostrophes et des points."
)


def staff_name_problem(value: str) -> str | None:
    """Why a staff account's name is refused, or None."""
    return None if STAFF_NAME.match(value.strip()) else STAFF_NAME_REFUSED

"""French mobile numbers, metropolitan and overseas, validated with `phonenumbers`."""

from __future__ import annotations

import phonenumbers

# France and the overseas regions with their own numbering (domain.md §4).
FRENCH_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
REGION_ORDER = ["FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF"]
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class PhoneError(ValueError):
    pass


def normalise_french_mobile(raw: str) -> str:
    """Returns the E.164 form of a French mobile number or raises PhoneError (French message)."""
    number = _parse_french(raw, "portable")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise PhoneError("Indiquez un numéro de téléphone portable (les SMS y seront envoyés).")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_french_phone(raw: str) -> str:
    """E.164 form of any French number (landline or mobile, overseas included), or PhoneError."""
    number = _parse_french(raw, "téléphone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_french(raw: str, kind: str) -> phonenumbers.PhoneNumber:
    text = (raw or "").strip()
    if len(text) > 30:
        raise PhoneError("Le numéro de téléphone est trop long.")
    number = None
    # A national number (06…, 0692…) is read as metropolitan first, then as each overseas region.
    for region in REGION_ORDER:
        try:
            candidate = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise PhoneError("Le numéro de téléphone n'est pas lisible.") from None
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    if number is None:
        raise PhoneError("Ce numéro de téléphone n'existe pas.")
    if phonenumbers.region_code_for_number(number) not in FRENCH_REGIONS:
        raise PhoneError(f"Indiquez un numéro de {kind} français (métropole ou outre-mer).")
    return number


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

"""Notification rules: message states, reminder time, retries, French dates, SMS text.

Pure functions, no Django. Times are aware datetimes (stored in UTC); local dates and times are
in the SPIP's zone (`Organisation.timezone`, e.g. Europe/Paris, Indian/Reunion, America/Cayenne).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from parcours.rules.french import MONTHS, WEEKDAYS
from parcours.rules.vocabulary import Channel, MessageRole, MessageState

S = MessageState
# Allowed (from, to) moves. Retries of a temporary failure keep the message "programmé" (only
# attempts and next_attempt_at change); "Relancer" brings a failed message back to "programmé".
# Délivré and annulé are final.
TRANSITIONS: frozenset[tuple[MessageState, MessageState]] = frozenset(
    {
        (S.PROGRAMME, S.ENVOYE),  # the provider accepted it
        (S.PROGRAMME, S.DELIVRE),  # the provider answered "delivered" at once
        (S.PROGRAMME, S.ECHOUE),  # permanent error, or the last attempt failed
        (S.PROGRAMME, S.ANNULE),  # appointment cancelled or moved, STOP, staff "Annuler"
        (S.ENVOYE, S.DELIVRE),  # delivery receipt
        (S.ENVOYE, S.ECHOUE),  # delivery failure receipt
        (S.ECHOUE, S.PROGRAMME),  # staff "Relancer"
        (S.ECHOUE, S.ANNULE),  # staff gives up on a failed message
    }
)


class TransitionRefused(ValueError):
    pass


def can_move(current: MessageState | str, target: MessageState | str) -> bool:
    return (MessageState(current), MessageState(target)) in TRANSITIONS


def check_move(current: MessageState | str, target: MessageState | str) -> MessageState:
    """The target state, or TransitionRefused (French message)."""
    if not can_move(current, target):
        raise TransitionRefused(
            f"Un message « {MessageState(current).label} » ne peut pas passer à "
            f"« {MessageState(target).label} »."
        )
    return MessageState(target)


# --- Reminder time ----------------------------------------------------------------------------

DEFAULT_REMINDER_DAYS = 2
DEFAULT_REMINDER_HOUR = 10


def reminder_at(
    starts_at: datetime,
    tz_name: str,
    *,
    now: datetime,
    days_before: int = DEFAULT_REMINDER_DAYS,
    hour: int = DEFAULT_REMINDER_HOUR,
) -> datetime | None:
    """When the reminder ("rappel") of an appointment is sent, in UTC, or None.

    The reminder goes out `days_before` days before the appointment's local date (J-2 by default,
    J-1 per SPIP), at `hour`:00 local time in the SPIP's zone. When that moment has already passed
    at booking, there is no reminder: the convocation sent at booking is recent enough.
    """
    if days_before < 1:
        raise ValueError("days_before must be at least 1")
    zone = ZoneInfo(tz_name)
    local_day = starts_at.astimezone(zone).date() - timedelta(days=days_before)
    # Local wall-clock time; zoneinfo resolves the offset of that date (summer or winter time).
    local = datetime.combine(local_day, time(hour, 0), tzinfo=zone)
    when = local.astimezone(UTC)
    if when <= now or when >= starts_at:
        return None
    return when


def is_stale(role: MessageRole | str, starts_at: datetime | None, now: datetime) -> bool:
    """A convocation or reminder is pointless once the appointment has started."""
    if starts_at is None:
        return False
    return MessageRole(role) in (MessageRole.CONVOCATION, MessageRole.RAPPEL) and starts_at <= now


# --- Retries ----------------------------------------------------------------------------------

DEFAULT_MAX_ATTEMPTS = 6
BACKOFF_CAP = timedelta(minutes=60)
RETRY_AFTER_CAP = timedelta(hours=6)


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Delay before the next try after `attempts` failed tries: 1, 2, 4, 8… minutes, capped at an
    hour; a provider's Retry-After (seconds) is honoured when longer (capped at 6 hours)."""
    attempts = max(1, attempts)
    backoff = min(timedelta(minutes=2 ** min(attempts - 1, 20)), BACKOFF_CAP)
    if retry_after is not None and retry_after > 0:
        return max(backoff, min(timedelta(seconds=retry_after), RETRY_AFTER_CAP))
    return backoff


@dataclass(frozen=True)
class AttemptOutcome:
    state: MessageState
    next_attempt_at: datetime | None


def after_temporary_failure(
    attempts: int, now: datetime, *, max_attempts: int, retry_after: float | None = None
) -> AttemptOutcome:
    """`attempts` counts the try that just failed."""
    if attempts >= max_attempts:
        return AttemptOutcome(MessageState.ECHOUE, None)
    return AttemptOutcome(MessageState.PROGRAMME, now + retry_delay(attempts, retry_after))


# --- French dates -----------------------------------------------------------------------------


def french_date(moment: datetime, tz_name: str) -> str:
    """ "mardi 1 décembre" in the SPIP's zone."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"


def french_time(moment: datetime, tz_name: str) -> str:
    """ "14h30" in the SPIP's zone."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return f"{local.hour}h{local.minute:02d}"


def french_datetime(moment: datetime, tz_name: str) -> str:
    """ "mardi 1 décembre à 14h30"."""
    return f"{french_date(moment, tz_name)} à {french_time(moment, tz_name)}"


# --- Templates --------------------------------------------------------------------------------

PLACEHOLDERS = {
    "date": "date du rendez-vous (« mardi 1 décembre »)",
    "heure": "heure du rendez-vous (« 14h30 »)",
    "lieu": "nom du lieu",
    "adresse": "adresse du lieu",
    "telephone_lieu": "téléphone du lieu",
    "type": "type de rendez-vous (courriel seulement)",
    "lien_acces": "lien vers les informations d'accès",
    "stop": "lien pour ne plus recevoir de SMS",
    # Words agreeing with the person's recorded sex ("(e)" only when it is not recorded).
    "convoque": "« convoqué » ou « convoquée » selon le sexe enregistré",
    "attendu": "« attendu » ou « attendue » selon le sexe enregistré",
    "presente": "« présenté » ou « présentée » selon le sexe enregistré",
}
# Masculine form of each gendered placeholder (rules.french.agree gives the feminine).
GENDERED_PLACEHOLDERS = {"convoque": "convoqué", "attendu": "attendu", "presente": "présenté"}

# The appointment type can reveal the measure (TIG, DDSE…): never in an SMS.
SMS_FORBIDDEN = frozenset({"type"})
SMS_MAX_CHARS = 320
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


def placeholders_in(body: str) -> list[str]:
    return PLACEHOLDER_RE.findall(body)


def template_problems(body: str, channel: Channel | str) -> list[str]:
    """French reasons why a template body is refused (empty list: acceptable)."""
    problems = []
    channel = Channel(channel)
    if not body.strip():
        problems.append("Le texte du message est vide.")
    used = placeholders_in(body)
    unknown = sorted({name for name in used if name not in PLACEHOLDERS})
    if unknown:
        listed = ", ".join("{" + name + "}" for name in unknown)
        problems.append(
            f"Champ inconnu : {listed}. Champs possibles : "
            + ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            + "."
        )
    if channel is Channel.SMS:
        forbidden = sorted(SMS_FORBIDDEN & set(used))
        if forbidden:
            problems.append(
                "Le type de rendez-vous peut révéler la mesure : il ne figure jamais dans un SMS."
            )
        if "stop" not in used:
            problems.append("Un SMS doit contenir le lien {stop} (refus des SMS).")
    return problems


def render(body: str, values: Mapping[str, str]) -> str:
    """Replaces known placeholders; unknown ones are left as typed (template_problems says so)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return PLACEHOLDER_RE.sub(replace, body)


# --- SMS text (GSM 03.38) ---------------------------------------------------------------------

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
# French letters outside the GSM alphabet, replaced so that an SMS stays in 160-character parts.
TO_GSM = str.maketrans(
    {
        "â": "a",
        "ê": "e",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ë": "e",
        "ï": "i",
        "ÿ": "y",
        "ç": "c",
        "À": "A",
        "Â": "A",
        "È": "E",
        "Ê": "E",
        "Ë": "E",
        "Î": "I",
        "Ï": "I",
        "Ô": "O",
        "Ù": "U",
        "Û": "U",
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "–": "-",
        "—": "-",
        "…": "...",
    }
)


def to_gsm(text: str) -> str:
    """The SMS text in the GSM alphabet (French accents outside it lose their accent)."""
    return text.translate(TO_GSM)


def gsm_length(text: str) -> int | None:
    """Length in GSM characters (extended ones count 2), or None when not GSM-encodable."""
    total = 0
    for char in text:
        if char in GSM_BASIC:
            total += 1
        elif char in GSM_EXTENDED:
            total += 2
        else:
            return None
    return total


def sms_parts(text: str) -> int:
    """Number of SMS parts: 160 characters alone, 153 per part when concatenated (GSM); 70/67
    in UCS-2 when a character is outside the GSM alphabet."""
    length = gsm_length(text)
    if length is None:
        length, single, multi = len(text), 70, 67
    else:
        single, multi = 160, 153
    if length <= single:
        return 1
    return -(-length // multi)

"""Inbound SMS: the provider's signed webhook contract and the services behind it (issue 18).

Contract (README, "Réponses par SMS"): `POST /sms/entrant/`, body JSON
`{"id": "<provider message id>", "from": "+33612345678", "text": "OUI",
"received_at": "2026-03-02T09:15:00+01:00"}`, headers

- `X-Parcours-Timestamp`: the Unix time of the call, in seconds;
- `X-Parcours-Signature`: `sha256=` + hex HMAC-SHA256, under PARCOURS_SMS_INBOUND_SECRET, of
  `<timestamp>.<raw body>`.

Answers: 403 when the signature is missing or wrong or the timestamp is more than 5 minutes
away (a captured call cannot be replayed later); 400 with a French reason for a malformed body;
200 `{"statut": "recu"}`; 200 `{"statut": "deja_recu"}` for a message id already received
(the provider retries: idempotent, no second effect).

Services: `receive_inbound` (match by number, STOP, the OUI/NON signal, journal), then the
staff's `mark_inbound_read` and `assign_inbound` (triage of an ambiguous number), the agenda's
`note_reply_outcome`, and `purge_unknown_inbound` (numbers that match nobody).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.people.models import Person
from parcours.rules.sms_replies import parse_sms_reply
from parcours.rules.vocabulary import InboundKeyword, InboundMatch

from .models import InboundCandidate, InboundMessage
from .services import record_sms_refusal
from .signals import sms_reply_received

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.agenda.models import Appointment

TIMESTAMP_HEADER = "X-Parcours-Timestamp"
SIGNATURE_HEADER = "X-Parcours-Signature"
SIGNATURE_PREFIX = "sha256="
MAX_SKEW = timedelta(minutes=5)
MAX_TEXT = 2000
MAX_ID = 100
SMS_ACTOR = "la personne (réponse par SMS)"


# --- The contract -----------------------------------------------------------------------------


class InboundRefused(Exception):
    """The call is refused: `status` (403 or 400) and a French reason."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status


@dataclass(frozen=True)
class InboundPayload:
    provider_message_id: str
    number: str  # E.164
    text: str
    received_at: datetime


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + the hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def check_signature(*, secret: str, timestamp: str, given: str, body: bytes, now: datetime) -> None:
    """Raises InboundRefused(403) unless the call is signed with `secret` within 5 minutes."""
    if not secret:
        raise InboundRefused(403, "La réception des SMS n'est pas configurée.")
    if not timestamp or not given:
        raise InboundRefused(403, "Signature absente.")
    if not hmac.compare_digest(signature(secret, timestamp, body), given.strip()):
        raise InboundRefused(403, "Signature invalide.")
    try:
        sent = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise InboundRefused(403, "Horodatage illisible.") from None
    if abs(now - sent) > MAX_SKEW:
        raise InboundRefused(403, "Horodatage trop ancien ou dans le futur (5 minutes au plus).")


def _field(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InboundRefused(400, f"Le champ « {name} » est absent ou vide.")
    if len(value) > limit:
        raise InboundRefused(
            400, f"Le champ « {name} » est trop long ({limit} caractères au plus)."
        )
    return value


def parse_payload(body: bytes) -> InboundPayload:
    """The provider's JSON body, checked; InboundRefused(400) with a French reason."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InboundRefused(400, "Le corps de la requête n'est pas du JSON valide.") from None
    if not isinstance(data, dict):
        raise InboundRefused(400, "Le corps de la requête doit être un objet JSON.")
    provider_id = _field(data, "id", MAX_ID).strip()
    raw_number = _field(data, "from", 30)
    text = data.get("text")
    if not isinstance(text, str):
        raise InboundRefused(400, "Le champ « text » est absent.")
    if len(text) > MAX_TEXT:
        raise InboundRefused(
            400, f"Le champ « text » est trop long ({MAX_TEXT} caractères au plus)."
        )
    raw_date = _field(data, "received_at", 40)
    try:
        number = phonenumbers.parse(raw_number, "FR")
    except phonenumbers.NumberParseException:
        raise InboundRefused(400, "Le numéro de l'expéditeur n'est pas lisible.") from None
    if not phonenumbers.is_possible_number(number):
        raise InboundRefused(400, "Le numéro de l'expéditeur n'est pas valide.")
    try:
        received_at = datetime.fromisoformat(raw_date)
    except ValueError:
        raise InboundRefused(400, "La date « received_at » n'est pas au format ISO 8601.") from None
    if received_at.tzinfo is None:
        raise InboundRefused(400, "La date « received_at » doit indiquer son fuseau horaire.")
    return InboundPayload(
        provider_message_id=provider_id,
        number=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        text=text.strip(),
        received_at=received_at,
    )


# --- Receiving --------------------------------------------------------------------------------


def _journal(inbound: InboundMessage, person: Person | None, details: dict[str, Any]) -> None:
    record(
        AuditAction.CREATION,
        obj=inbound,
        person=person,
        object_label="SMS reçu",
        username=SMS_ACTOR,
        details=details,
    )


def receive_inbound(payload: InboundPayload) -> tuple[InboundMessage, bool]:
    """Stores the message once (False: already received, nothing done again), matches it to the
    people with that mobile number in every SPIP and acts on its keyword: STOP stops the SMS of
    every person with that number (as the STOP link does); OUI / NON from one person goes to the
    agenda (signal `sms_reply_received`); anything else is an item to read."""
    with transaction.atomic():
        existing = InboundMessage.objects.filter(
            provider_message_id=payload.provider_message_id
        ).first()
        if existing is not None:
            return existing, False
        parsed = parse_sms_reply(payload.text)
        people = list(
            Person.objects.filter(phone=payload.number)
            .only("pk", "public_id", "spip_id", "refuses_sms", "referent_id")
            .order_by("pk")
        )
        if len(people) == 1:
            match, person = InboundMatch.PERSONNE, people[0]
        elif people:
            match, person = InboundMatch.AMBIGU, None
        else:
            match, person = InboundMatch.INCONNU, None
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    provider_message_id=payload.provider_message_id,
                    number=payload.number,
                    text=payload.text,
                    received_at=payload.received_at,
                    keyword=parsed.keyword,
                    match=match,
                    person=person,
                    to_read=match is not InboundMatch.INCONNU,
                )
        except IntegrityError:  # the same id posted twice at once: the other call stored it
            return InboundMessage.objects.get(
                provider_message_id=payload.provider_message_id
            ), False
        if match is InboundMatch.AMBIGU:
            InboundCandidate.objects.bulk_create(
                InboundCandidate(inbound=inbound, person=someone) for someone in people
            )
        details = {"mot-clé": parsed.keyword.label, "rattachement": match.label}
        if match is InboundMatch.AMBIGU:
            for candidate in people:
                _journal(inbound, candidate, details)
        else:
            _journal(inbound, person, details)
        if parsed.keyword is InboundKeyword.STOP and people:
            for someone in people:
                record_sms_refusal(someone)
            _set_outcome(inbound, "Plus aucun SMS ne sera envoyé à ce numéro (STOP).", False)
        elif person is not None and parsed.keyword in (InboundKeyword.OUI, InboundKeyword.NON):
            sms_reply_received.send(
                sender=InboundMessage,
                person=person,
                text=payload.text,
                inbound=inbound,
                keyword=parsed.keyword,
                more=parsed.more,
            )
            inbound.refresh_from_db()
        return inbound, True


def _set_outcome(inbound: InboundMessage, outcome: str, to_read: bool) -> None:
    InboundMessage.objects.filter(pk=inbound.pk).update(outcome=outcome[:300], to_read=to_read)
    inbound.outcome, inbound.to_read = outcome[:300], to_read


def note_reply_outcome(
    inbound: InboundMessage,
    *,
    appointment: Appointment | None,
    outcome: str,
    to_read: bool,
) -> None:
    """The agenda's receiver writes what it did with an OUI / NON (inside the webhook's
    transaction): the appointment answered, or why the reply is only a message to read."""
    InboundMessage.objects.filter(pk=inbound.pk).update(
        appointment=appointment, outcome=outcome[:300], to_read=to_read
    )
    inbound.appointment, inbound.outcome, inbound.to_read = appointment, outcome[:300], to_read


# --- Staff actions ----------------------------------------------------------------------------


@transaction.atomic
def mark_inbound_read(*, acting_user: User, inbound: InboundMessage) -> InboundMessage:
    """The CPIP (or the service) has read the message (idempotent), journaled."""
    if inbound.read_at is None:
        now = timezone.now()
        changed = InboundMessage.objects.filter(pk=inbound.pk, read_at__isnull=True).update(
            read_at=now, read_by=acting_user
        )
        inbound.read_at, inbound.read_by = now, acting_user
        if changed:
            record(
                AuditAction.MODIFICATION,
                actor=acting_user,
                obj=inbound,
                person=inbound.person,
                object_label="SMS reçu",
                details={"SMS reçu": "lu"},
            )
    return inbound


ASSIGN_REFUSED = "Ce message n'est plus à rattacher : il a déjà été attribué."
ASSIGN_NOT_CANDIDATE = "Cette personne n'a pas ce numéro : choisissez une des personnes proposées."


@transaction.atomic
def assign_inbound(*, acting_user: User, inbound: InboundMessage, person_id: int) -> InboundMessage:
    """Triage of an ambiguous number: the DPIP or the secretariat attaches the message to one of
    the people with that number in their SPIP; it becomes an item to read for the referent."""
    locked = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if locked.match != InboundMatch.AMBIGU:
        raise Refused(ASSIGN_REFUSED)
    person = Person.objects.filter(
        pk=person_id, spip_id=acting_user.spip_id, inbound_candidacies__inbound=locked
    ).first()
    if person is None:
        raise Refused(ASSIGN_NOT_CANDIDATE)
    InboundMessage.objects.filter(pk=locked.pk).update(
        match=InboundMatch.PERSONNE, person=person, to_read=True
    )
    locked.match, locked.person, locked.to_read = InboundMatch.PERSONNE, person, True
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=locked,
        person=person,
        object_label="SMS reçu",
        details={"SMS reçu": "rattaché à la personne (numéro partagé)"},
    )
    return locked


def purge_unknown_inbound(*, now: datetime | None = None) -> int:
    """Deletes the messages from numbers that matched nobody, after
    PARCOURS_SMS_INBOUND_UNKNOWN_DAYS days (they are shown to nobody meanwhile)."""
    now = now or timezone.now()
    limit = now - timedelta(days=int(settings.PARCOURS_SMS_INBOUND_UNKNOWN_DAYS))
    deleted, _ = InboundMessage.objects.filter(
        match=InboundMatch.INCONNU, received_at__lt=limit
    ).delete()
    return deleted

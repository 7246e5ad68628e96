"""Writes of the person's own space: the sign-in by one-time code, the space sessions, the
CPIP's switch and notices, and the person's own actions (answer a convocation, send a proof).

The person is never a Django user: every journal row names them with `username=PERSON` and the
file concerned (`person=`), so each access shows in their file's journal.

The code is sent at once, through the notifications provider, outside any transaction, and
never written to the outbox (docs/adr/0019): the outbox is readable by the staff and retried
later, and a code must neither be readable by anyone nor arrive after it has expired.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from parcours.accounts.models import User
from parcours.agenda.models import Appointment, AppointmentReply
from parcours.agenda.services import record_reply
from parcours.assessments.models import DigitalSelfAssessment
from parcours.assessments.services import record_digital_self_assessment
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.notifications.models import Message
from parcours.notifications.providers import ProviderError, provider_for
from parcours.notifications.services import email_possible, sms_possible
from parcours.obligations.models import Obligation, Proof
from parcours.obligations.services import add_proof
from parcours.obligations.uploads import CheckedFile
from parcours.people.models import Person
from parcours.people.phones import PhoneError, normalise_french_mobile
from parcours.rules import space as rules
from parcours.rules.notifications import Channel
from parcours.rules.vocabulary import AttemptKind, DigitalChannel, ReplyAnswer, ReplyChannel

from .models import PersonSession, SignInAttempt, SignInChallenge, SpaceAccount, SpaceNotice

logger = logging.getLogger("parcours.space")

PERSON = "la personne (espace personnel)"
UNKNOWN = "inconnu (espace personnel)"
SENT = (
    "Si ces informations correspondent à une personne suivie dont l'espace est ouvert, "
    "un code à 6 chiffres vient de lui être envoyé. Il est valable 10 minutes."
)
TOO_MANY = "Vous avez demandé trop de codes. Vous pourrez en demander un nouveau {when}."
LOCKED = "Trop de codes faux. Pour votre sécurité, vous pourrez réessayer {when}."
EXPIRED = "Ce code n'est plus valable. Demandez un nouveau code."
WRONG = "Ce code n'est pas le bon. Vérifiez le SMS ou le courriel et réessayez."
IDENTIFIER_ERROR = "Indiquez votre numéro de téléphone portable ou votre adresse électronique."


# --- Secrets ----------------------------------------------------------------------------------


def digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 with the project's secret: codes, tokens and identifiers are stored so."""
    return salted_hmac(f"parcours.space.{purpose}", value, algorithm="sha256").hexdigest()


def normalise_identifier(raw: str) -> tuple[Channel, str]:
    """A French mobile (E.164) or a lower-case e-mail; ValidationError (French) otherwise."""
    text = (raw or "").strip()
    if "@" in text:
        if len(text) > 254:
            raise ValidationError(IDENTIFIER_ERROR)
        return Channel.EMAIL, text.lower()
    try:
        return Channel.SMS, normalise_french_mobile(text)
    except PhoneError:
        raise ValidationError(IDENTIFIER_ERROR) from None


# --- Who may use the space ----------------------------------------------------------------------


def space_refusal(person: Person, account: SpaceAccount | None) -> str | None:
    """Why the person cannot sign in (French), or None when the space is open."""
    return rules.space_refusal(
        enabled=bool(account and account.enabled),
        refuses_sms=person.refuses_sms,
        sms_problem=sms_possible(person),
        email_problem=email_possible(person),
    )


def _account(person: Person) -> SpaceAccount | None:
    return SpaceAccount.objects.filter(person_id=person.pk).first()


def _match(channel: Channel, identifier: str, birth_date: date) -> Person | None:
    """The one person whose space is open, with this birth date and this mobile or e-mail."""
    found = []
    candidates = Person.objects.filter(birth_date=birth_date, space_account__enabled=True)
    for person in candidates.select_related("space_account"):
        if channel is Channel.EMAIL:
            same = person.email.strip().lower() == identifier
        else:
            try:
                same = normalise_french_mobile(person.phone) == identifier
            except PhoneError:
                same = False
        if same and space_refusal(person, person.space_account) is None:
            found.append(person)
    return found[0] if len(found) == 1 else None


# --- Sign-in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeRequest:
    token: str = ""
    refusal: str = ""


def _attempt(kind: AttemptKind, id_hash: str, ip: str | None, person: Person | None) -> None:
    SignInAttempt.objects.create(
        kind=kind, identifier_hash=id_hash, ip=ip, person=person, at=timezone.now()
    )


def _journal_attempt(
    action: AuditAction, person: Person | None, id_hash: str, what: str, **details: object
) -> None:
    record(
        action,
        person=person,
        username=PERSON if person else UNKNOWN,
        object_type="espace",
        object_id=id_hash[:16],
        object_label=f"Espace personnel : {what}",
        details={"étape": what, **details},
    )


def _times(
    id_hash: str | None, ip: str | None, kinds: tuple[str, ...], since: datetime
) -> list[datetime]:
    qs = SignInAttempt.objects.filter(kind__in=kinds, at__gt=since)
    qs = qs.filter(identifier_hash=id_hash) if id_hash is not None else qs.filter(ip=ip)
    return list(qs.values_list("at", flat=True))


def _request_limit(id_hash: str, ip: str | None, now: datetime) -> rules.Limit:
    per_number = rules.within_limit(
        _times(id_hash, None, (AttemptKind.DEMANDE,), now - rules.CODES_PER_NUMBER_WINDOW),
        now,
        most=rules.CODES_PER_NUMBER,
        window=rules.CODES_PER_NUMBER_WINDOW,
    )
    if not per_number.allowed or ip is None:
        return per_number
    return rules.within_limit(
        _times(None, ip, (AttemptKind.DEMANDE,), now - rules.CODES_PER_ADDRESS_WINDOW),
        now,
        most=rules.CODES_PER_ADDRESS,
        window=rules.CODES_PER_ADDRESS_WINDOW,
    )


def request_code(raw_identifier: str, birth_date: date, *, ip: str | None) -> CodeRequest:
    """Creates a challenge and sends its code when the identifier and birth date match one
    person whose space is open. The answer is the same either way (no account enumeration);
    too many requests for the number or from the address: a French refusal with the wait."""
    channel, identifier = normalise_identifier(raw_identifier)
    id_hash = digest("identifier", identifier)
    now = timezone.now()
    with transaction.atomic():
        limit = _request_limit(id_hash, ip, now)
        person = _match(channel, identifier, birth_date)
        if not limit.allowed and limit.retry_at is not None:
            _attempt(AttemptKind.TROP, id_hash, ip, person)
            _journal_attempt(AuditAction.ECHEC_CONNEXION, person, id_hash, "trop de demandes")
            return CodeRequest(refusal=TOO_MANY.format(when=rules.retry_text(limit.retry_at, now)))
        code = f"{secrets.randbelow(10**rules.CODE_DIGITS):0{rules.CODE_DIGITS}d}"
        token = secrets.token_urlsafe(32)
        SignInChallenge.objects.create(
            token_hash=digest("token", token),
            identifier_hash=id_hash,
            person=person,
            code_hash=digest("code", f"{token}:{code}"),
            created_at=now,
            expires_at=now + rules.CODE_VALIDITY,
        )
        _attempt(AttemptKind.DEMANDE, id_hash, ip, person)
        _journal_attempt(
            AuditAction.CONNEXION, person, id_hash, "code demandé", canal=channel.label
        )
    if person is not None:
        _send_code(person, channel, identifier, code)
    return CodeRequest(token=token)


def code_text(code: str) -> str:
    return (
        f"Parcours : votre code pour l'espace personnel est {code}. "
        "Il est valable 10 minutes. Ne le donnez à personne, même à votre conseiller."
    )


def _send_code(person: Person, channel: Channel, recipient: str, code: str) -> None:
    """Straight to the provider (console, file, HTTP; e-mail), outside any transaction. The
    message is built but never saved: the code stays out of the outbox."""
    message = Message(
        person=person,
        spip_id=person.spip_id,
        role="code",
        channel=channel,
        recipient=recipient,
        subject="Votre code de connexion — Parcours",
        body=code_text(code),
        send_at=timezone.now(),
    )
    try:
        provider_for(channel).send(message)
        outcome = "envoyé"
    except ProviderError as error:
        logger.warning("Code de l'espace personnel non envoyé : %s", error)
        outcome = f"non envoyé ({error})"[:200]
    record(
        AuditAction.CREATION,
        person=person,
        username=PERSON,
        object_type="espace",
        object_label="Espace personnel : code de connexion",
        details={"canal": channel.label, "envoi": outcome},
    )


@dataclass(frozen=True)
class CodeCheck:
    session_token: str = ""
    error: str = ""
    # The challenge is over (expired, used, locked): the person must ask for a new code.
    restart: bool = False
    locked: bool = False


def challenge_exists(token: str) -> bool:
    return (
        bool(token) and SignInChallenge.objects.filter(token_hash=digest("token", token)).exists()
    )


def verify_code(token: str, code: str, *, ip: str | None) -> CodeCheck:
    """Checks the code of the browser's challenge: single use, 10 minutes, 5 wrong codes per
    number lock it for 30 minutes. Every attempt is logged and journaled."""
    now = timezone.now()
    with transaction.atomic():
        challenge = (
            SignInChallenge.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(token_hash=digest("token", token or ""))
            .first()
        )
        if challenge is None:
            return CodeCheck(error=EXPIRED, restart=True)
        id_hash, person = challenge.identifier_hash, challenge.person
        failures = _times(id_hash, None, (AttemptKind.FAUX,), now - 2 * rules.LOCK_WINDOW)
        until = rules.locked_until(failures, now)
        if until is not None:
            _attempt(AttemptKind.VERROU, id_hash, ip, person)
            _journal_attempt(AuditAction.ECHEC_CONNEXION, person, id_hash, "compte verrouillé")
            return CodeCheck(
                error=LOCKED.format(when=rules.retry_text(until, now)), restart=True, locked=True
            )
        if challenge.used_at is not None or challenge.expires_at <= now:
            _attempt(AttemptKind.EXPIRE, id_hash, ip, person)
            _journal_attempt(AuditAction.ECHEC_CONNEXION, person, id_hash, "code expiré")
            return CodeCheck(error=EXPIRED, restart=True)
        expected = challenge.code_hash
        given = digest("code", f"{token}:{(code or '').strip()}")
        if person is None or not constant_time_compare(expected, given):
            _attempt(AttemptKind.FAUX, id_hash, ip, person)
            _journal_attempt(AuditAction.ECHEC_CONNEXION, person, id_hash, "code erroné")
            until = rules.locked_until([*failures, now], now)
            if until is not None:
                return CodeCheck(
                    error=LOCKED.format(when=rules.retry_text(until, now)),
                    restart=True,
                    locked=True,
                )
            return CodeCheck(error=WRONG)
        challenge.used_at = now
        challenge.save(update_fields=["used_at"])
        session_token = secrets.token_urlsafe(32)
        PersonSession.objects.create(
            token_hash=digest("session", session_token),
            person=person,
            created_at=now,
            last_seen_at=now,
            ip=ip,
        )
        SpaceAccount.objects.filter(person=person).update(last_sign_in_at=now)
        _attempt(AttemptKind.REUSSI, id_hash, ip, person)
        _journal_attempt(AuditAction.CONNEXION, person, id_hash, "connexion")
    return CodeCheck(session_token=session_token)


# --- Sessions -----------------------------------------------------------------------------------


def open_session(token: str) -> PersonSession | None:
    """The live session of this cookie (idle 15 min, absolute 2 h, space still open), touched;
    None otherwise (an expired one is ended)."""
    if not token:
        return None
    session = (
        PersonSession.objects.select_related("person", "person__space_account", "person__referent")
        .filter(token_hash=digest("session", token), ended_at__isnull=True)
        .first()
    )
    if session is None:
        return None
    now = timezone.now()
    person = session.person
    account = getattr(person, "space_account", None)
    if not rules.session_alive(session.created_at, session.last_seen_at, now) or (
        space_refusal(person, account) is not None
    ):
        PersonSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now)
        return None
    PersonSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    session.last_seen_at = now
    return session


def end_session(token: str) -> None:
    session = PersonSession.objects.filter(
        token_hash=digest("session", token or ""), ended_at__isnull=True
    ).first()
    if session is None:
        return
    with transaction.atomic():
        PersonSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
        record(
            AuditAction.DECONNEXION,
            person=session.person,
            username=PERSON,
            object_type="espace",
            object_label="Espace personnel : déconnexion",
        )


def journal_page(person: Person, page: str) -> None:
    """Each page of the space is a consultation of the person's file, journaled."""
    record(
        AuditAction.CONSULTATION,
        person=person,
        username=PERSON,
        object_type="espace",
        object_id=str(person.public_id),
        object_label=f"Espace personnel : {page}",
    )


# --- The CPIP's side ----------------------------------------------------------------------------


def _journal_staff(
    action: str, acting_user: User, person: Person, label: str, details: dict[str, Any]
) -> None:
    """A staff member's action on the person's space, journaled on the person's file."""
    record(
        action,
        actor=acting_user,
        person=person,
        object_type="espace",
        object_id=str(person.public_id),
        object_label=label,
        details=details,
    )


@transaction.atomic
def set_space(*, acting_user: User, person: Person, enabled: bool) -> SpaceAccount:
    """Opens or closes the person's space; closing ends their sessions at once. Opening is
    refused (French) when the person refuses SMS or has no way to receive the code."""
    if enabled:
        problem = rules.space_refusal(
            enabled=True,
            refuses_sms=person.refuses_sms,
            sms_problem=sms_possible(person),
            email_problem=email_possible(person),
        )
        if problem:
            raise Refused(problem)
    now = timezone.now()
    account, _ = SpaceAccount.objects.update_or_create(
        person=person, defaults={"enabled": enabled, "changed_at": now, "changed_by": acting_user}
    )
    if not enabled:
        PersonSession.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    details = {"espace personnel": "activé" if enabled else "désactivé"}
    _journal_staff(AuditAction.MODIFICATION, acting_user, person, "Espace personnel", details)
    return account


@transaction.atomic
def send_notice(*, acting_user: User, person: Person, text: str) -> SpaceNotice:
    text = (text or "").strip()
    if not text:
        raise Refused("Le message est vide.")
    notice = SpaceNotice.objects.create(
        person=person, author=acting_user, text=text[:2000], created_at=timezone.now()
    )
    details = {"longueur": len(notice.text)}
    _journal_staff(
        AuditAction.CREATION, acting_user, person, "Message dans l'espace personnel", details
    )
    return notice


# --- The person's own actions -------------------------------------------------------------------


def mark_notices_read(person: Person) -> int:
    return SpaceNotice.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def answer_appointment(
    *, person: Person, appointment: Appointment, answer: str, reason: str
) -> AppointmentReply:
    """« Je viendrai » / « Je ne peux pas venir » (reason required): the agenda's record_reply
    (French Refused for a closed or started appointment)."""
    if appointment.person_id != person.pk:
        raise Refused("Ce rendez-vous n'est pas le vôtre.")
    if answer not in ReplyAnswer.values:
        raise Refused("Choisissez « Je viendrai » ou « Je ne peux pas venir ».")
    return record_reply(
        appointment=appointment, answer=answer, channel=ReplyChannel.ESPACE, reason=reason
    )


def send_proof(*, person: Person, obligation: Obligation, checked: CheckedFile) -> Proof:
    """A photo or PDF from the person's phone: the same content checks, size limit and private
    storage as the CPIP's uploads (obligations.uploads, services.add_proof)."""
    if obligation.measure.person_id != person.pk:
        raise Refused("Cette obligation n'est pas la vôtre.")
    today = timezone.localdate(timezone=person_zone(person))
    proof = Proof(received_on=today, via_space=True)
    return add_proof(
        acting_user=None, obligation=obligation, proof=proof, checked=checked, username=PERSON
    )


def journal_refused_upload(*, person: Person, file_name: str, reasons: list[str]) -> None:
    """A refused file is journaled too (issue 14): on whose file, which file, why."""
    record(
        AuditAction.CREATION,
        person=person,
        username=PERSON,
        object_type="espace",
        object_label="Espace personnel : justificatif refusé à l'envoi",
        details={"fichier": file_name[:120], "motifs": reasons},
    )


def person_zone(person: Person) -> ZoneInfo:
    """The zone of the person's SPIP (pages, dates of the proofs)."""
    return ZoneInfo(person.spip.timezone)


# --- The digital-skills self-assessment from the space (issue 18, item 2) -----------------------

# A practice choice, not a rule: one self-assessment per 30 days (any channel), so that a person
# cannot fill the CPIP's list by sending the questionnaire again and again.
DIGITAL_INTERVAL = timedelta(days=30)


def next_digital_date(last_filled_on: date | None) -> date | None:
    """The first day the person may answer again, or None when they may answer now."""
    if last_filled_on is None:
        return None
    next_day = last_filled_on + DIGITAL_INTERVAL
    return next_day if next_day > timezone.localdate() else None


def send_digital_self_assessment(
    *, person: Person, answers: dict[str, str]
) -> DigitalSelfAssessment:
    """The person's answers, recorded with the channel "espace personnel" (no staff actor; the
    assessments service journals it). Refused within 30 days of the last one; the person's row
    is locked so that two sendings at once make one."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        last = (
            DigitalSelfAssessment.objects.filter(person_id=person.pk)
            .order_by("-filled_on")
            .values_list("filled_on", flat=True)
            .first()
        )
        again = next_digital_date(last)
        if again is not None:
            raise Refused(
                f"Vous avez déjà répondu. Vous pourrez répondre de nouveau à partir du "
                f"{again:%d/%m/%Y}."
            )
        return record_digital_self_assessment(person, answers, DigitalChannel.ESPACE, None)

"""The agenda's answer to an SMS reply (notifications.signals.sms_reply_received).

An OUI or NON from a person answers the appointment the latest reminder SMS sent to that number
for that person was about (`Message.appointment`), through `services.record_reply`, when that
appointment is still planned and has not started; otherwise, or when the reply says more than
its keyword, the reply stays a message for the CPIP to read ("Messages reçus"). Runs inside the
webhook's transaction; a refusal rolls back only its savepoint.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from parcours.core.errors import Refused
from parcours.notifications.inbound import note_reply_outcome
from parcours.notifications.models import Message
from parcours.rules.notifications import Channel, MessageRole, MessageState
from parcours.rules.vocabulary import InboundKeyword, ReplyAnswer, ReplyChannel

from .models import Appointment
from .services import record_reply

SENT = (MessageState.ENVOYE, MessageState.DELIVRE)
NO_REMINDER = "Aucun rappel de rendez-vous envoyé à ce numéro : réponse à lire."


def reminded_appointment(person: Any, number: str) -> Appointment | None:
    """The appointment of the latest reminder SMS sent to `number` for `person`."""
    message = (
        Message.objects.filter(
            person_id=person.pk,
            recipient=number,
            role=MessageRole.RAPPEL,
            channel=Channel.SMS,
            state__in=SENT,
            appointment__isnull=False,
        )
        .select_related("appointment", "appointment__person", "appointment__spip")
        .order_by("-sent_at", "-pk")
        .first()
    )
    return message.appointment if message is not None else None


def on_sms_reply(
    sender: Any, *, person: Any, text: str, inbound: Any, keyword: str, more: bool, **kwargs: Any
) -> None:
    appointment = reminded_appointment(person, inbound.number)
    if appointment is None:
        note_reply_outcome(inbound, appointment=None, outcome=NO_REMINDER, to_read=True)
        return
    answer = ReplyAnswer.CONFIRME if keyword == InboundKeyword.OUI else ReplyAnswer.EMPECHE
    local = timezone.localtime(appointment.starts_at, ZoneInfo(appointment.spip.timezone))
    when = f"rendez-vous du {local:%d/%m/%Y à %H:%M}"
    try:
        with transaction.atomic():
            record_reply(
                appointment=appointment,
                answer=answer,
                channel=ReplyChannel.SMS,
                reason=text if more else "",
                require_reason=False,
            )
    except Refused as refusal:
        note_reply_outcome(
            inbound,
            appointment=appointment,
            outcome=f"Réponse non enregistrée pour le {when} : {refusal}",
            to_read=True,
        )
        return
    note_reply_outcome(
        inbound, appointment=appointment, outcome=f"{answer.label} : {when}", to_read=more
    )

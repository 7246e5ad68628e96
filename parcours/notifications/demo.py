"""Demo messages: the outbox of the demo SPIPs' next appointments (nothing when the agenda's demo
has created no appointment). In each SPIP a few are shown as delivered, and two as failed, for
the screens."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.rules.agenda import AppointmentStatus
from parcours.rules.notifications import MessageState

DEMO_APPOINTMENTS = 40


def seed(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, int]:
    """Demo data of this app (called by core.demo.seed after the people exist); idempotent."""
    from parcours.agenda.models import Appointment

    from .models import Message
    from .services import schedule_appointment_messages, sms_possible

    spips = [orgs["spip59"], orgs["spip974"]]
    if Message.objects.filter(spip__in=spips).exists():
        return {}
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(
            spip__in=spips, status=AppointmentStatus.PLANIFIE, starts_at__gt=now
        )
        .select_related("person", "place__spip", "appointment_type", "agent", "created_by")
        .order_by("starts_at")[:DEMO_APPOINTMENTS]
    )
    created: list[Any] = []
    for appointment in appointments:
        person = appointment.person
        created += schedule_appointment_messages(
            appointment,
            acting_user=appointment.created_by or appointment.agent,
            sms=sms_possible(person) is None,
            email=bool(person.email),
        )
    # Each SPIP's outbox shows delivered and failed messages, whatever the day the demo is seeded
    # on (the first appointments ahead may all belong to one SPIP).
    for spip in spips:
        convocations = [m for m in created if m.role == "convocation" and m.spip_id == spip.pk]
        _mark_delivered(convocations[:3], now)
        _mark_failed(convocations[3:5])
    return {"messages": len(created)}


def _mark_delivered(messages: list[Any], now: Any) -> None:
    for message in messages:
        message.state = MessageState.DELIVRE
        message.attempts = 1
        message.sent_at = message.delivered_at = now
        message.next_attempt_at = None
        message.provider_message_id = f"demo-{message.pk}"
        message.save()


FAILURES = (
    "Message refusé par le prestataire (400) : numéro inconnu de l'opérateur",
    "Prestataire injoignable : connexion refusée (6 tentatives, abandon).",
)


def _mark_failed(messages: list[Any]) -> None:
    for message, error in zip(messages, FAILURES, strict=False):
        message.state = MessageState.ECHOUE
        message.attempts = 1 if "400" in error else 6
        message.next_attempt_at = None
        message.last_error = error
        message.save()

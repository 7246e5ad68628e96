"""Demo SMS replies (issue 18): a few reminders already sent, and what the people answered.

Runs after the agenda's messages (demo.seed's LATER_STEPS). For the first programmed reminder
SMS of upcoming appointments (the main CPIP's people first), the reminder is marked sent; then
the people answer through the same service as the provider's webhook (`inbound.receive_inbound`,
so the agenda's receiver answers the appointments): an OUI, a NON with a reason, and two texts
for the CPIP to read. Idempotent: nothing when the demo SPIP already have received SMS.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP, demo_spips
from parcours.accounts.models import Organisation, User
from parcours.rules.notifications import Channel, MessageRole, MessageState

from .inbound import InboundPayload, receive_inbound
from .models import InboundMessage, Message

SENT_REMINDERS = 6
# What the people of the first sent reminders answer (the others have not answered yet).
REPLIES = (
    "OUI",
    "Non je suis malade, j'envoie l'arrêt de travail",
    "Bonjour, je serai en retard de 10 minutes à cause du bus",
    "J'ai trouvé un travail en intérim, je vous apporte le contrat",
)


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    spips = demo_spips(orgs)
    if InboundMessage.objects.filter(person__spip__in=spips).exists():
        return {}
    now = timezone.now()
    main = users.get(MAIN_CPIP)
    mine_first = Case(
        When(person__referent=main, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    reminders = list(
        Message.objects.filter(
            spip__in=spips,
            role=MessageRole.RAPPEL,
            channel=Channel.SMS,
            state=MessageState.PROGRAMME,
            appointment__status="planifie",
            appointment__starts_at__gt=now + timedelta(hours=6),
        )
        .select_related("person")
        .order_by(mine_first, "send_at", "pk")[:SENT_REMINDERS]
    )
    with transaction.atomic():
        for index, message in enumerate(reminders):
            sent = now - timedelta(hours=index + 1)
            Message.objects.filter(pk=message.pk).update(
                state=MessageState.ENVOYE,
                attempts=1,
                send_at=sent,
                sent_at=sent,
                next_attempt_at=None,
                provider_message_id=f"demo-rappel-{message.pk}",
            )
        received = 0
        for index, (message, text) in enumerate(zip(reminders, REPLIES, strict=False)):
            receive_inbound(
                InboundPayload(
                    provider_message_id=f"demo-recu-{message.pk}",
                    number=message.recipient,
                    text=text,
                    received_at=now - timedelta(minutes=30 * (index + 1)),
                )
            )
            received += 1
    return {"sms_recus": received, "rappels_envoyes": len(reminders)}

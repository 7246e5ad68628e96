"""The outbox (`Message`), per-SPIP templates and reminder settings.

A message is written in the same transaction as the booking (or the cancellation…) that causes
it; the worker sends it later (services.send_message). States and their moves are in
`parcours.rules.notifications`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from parcours.core.fields import author, choice, nullable_link, optional_text
from parcours.core.models import CaseEntry
from parcours.rules.notifications import (
    DEFAULT_REMINDER_DAYS,
    DEFAULT_REMINDER_HOUR,
    Channel,
    MessageRole,
    MessageState,
)
from parcours.rules.vocabulary import InboundKeyword, InboundMatch


class MessageQuerySet(models.QuerySet["Message"]):
    def pending(self) -> MessageQuerySet:
        return self.filter(state=MessageState.PROGRAMME)

    def due(self, now: object) -> MessageQuerySet:
        return self.filter(state=MessageState.PROGRAMME, next_attempt_at__lte=now)


class Message(CaseEntry):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="messages")
    spip = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    appointment = nullable_link("agenda.Appointment", related_name="messages")
    role = choice("objet", MessageRole.choices, max_length=12)
    channel = choice("canal", Channel.choices, max_length=5)
    # Copied at creation: a later change of the person's number does not redirect old messages.
    recipient = models.CharField("destinataire", max_length=254)
    subject = optional_text("objet du courriel")
    body = models.TextField("texte")
    send_at = models.DateTimeField("envoi prévu le")
    state = choice(
        "état", MessageState.choices, max_length=10, default=MessageState.PROGRAMME.value
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    last_error = optional_text("dernière erreur", max_length=500)
    provider_message_id = optional_text("identifiant chez le prestataire", max_length=100)
    # Sent to the provider with every try: a retry after a lost answer is not sent twice.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    delivered_at = models.DateTimeField("délivré le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = author()

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-send_at", "-pk"]
        verbose_name = "message"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="programme"),
                name="message_due_idx",
            ),
            models.Index(fields=["spip", "state", "send_at"], name="message_spip_state_idx"),
            models.Index(fields=["person", "send_at"], name="message_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_channel_display()})"

    @property
    def state_enum(self) -> MessageState:
        return MessageState(self.state)


class MessageTemplate(models.Model):
    """A SPIP's text for one role and channel; `spip` empty: the national text, which overrides
    the built-in default (data/default_templates.json)."""

    spip = nullable_link("accounts.Organisation", on_delete=models.CASCADE)
    role = choice("objet", MessageRole.choices, max_length=12)
    channel = choice("canal", Channel.choices, max_length=5)
    subject = optional_text("objet du courriel")
    body = models.TextField("texte")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = author()

    class Meta:
        verbose_name = "modèle de message"
        constraints = [
            models.UniqueConstraint(
                fields=["spip", "role", "channel"],
                condition=Q(spip__isnull=False),
                name="message_template_spip_unique",
            ),
            models.UniqueConstraint(
                fields=["role", "channel"],
                condition=Q(spip__isnull=True),
                name="message_template_national_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_channel_display()})"


class NotificationSettings(models.Model):
    """Per-SPIP reminder settings (J-2 at 10:00 by default)."""

    spip = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="notification_settings"
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "rappel envoyé",
        choices=[(1, "la veille (J-1)"), (2, "l'avant-veille (J-2)")],
        default=DEFAULT_REMINDER_DAYS,
    )
    reminder_hour = models.PositiveSmallIntegerField(
        "heure du rappel (heure locale)", default=DEFAULT_REMINDER_HOUR
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages des messages"

    def __str__(self) -> str:
        return f"Réglages des messages de {self.spip_id}"


class InboundMessage(CaseEntry):
    """An SMS received from a person through the provider's signed webhook (inbound.py).

    Matched by number to the people of every SPIP: one person (`person`), several (`ambigu`:
    attached to none; InboundCandidate rows name them for the triage by the SPIPs' DPIP and
    secretariat) or none (`inconnu`: kept PARCOURS_SMS_INBOUND_UNKNOWN_DAYS days, shown to
    nobody, then deleted). `provider_message_id` is unique: a replayed webhook changes nothing."""

    provider_message_id = models.CharField("identifiant chez le prestataire", max_length=100)
    number = models.CharField("numéro", max_length=20)
    text = models.TextField("texte")
    received_at = models.DateTimeField("reçu le")
    keyword = choice("mot-clé", InboundKeyword.choices, max_length=5)
    match = choice("rattachement", InboundMatch.choices, max_length=8)
    person = nullable_link(
        "people.Person", related_name="inbound_messages", on_delete=models.CASCADE
    )
    # The appointment an OUI / NON answered (agenda.receivers) and what became of the answer.
    appointment = nullable_link("agenda.Appointment")
    outcome = optional_text("suite donnée", max_length=300)
    # An item for the referent CPIP to read (any text that is not a plain STOP / OUI / NON).
    to_read = models.BooleanField("à lire", default=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    read_by = author()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "SMS reçu"
        constraints = [
            models.UniqueConstraint(
                fields=["provider_message_id"], name="inbound_provider_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-received_at"], name="inbound_person_idx"),
            models.Index(fields=["match", "received_at"], name="inbound_match_idx"),
        ]

    def __str__(self) -> str:
        return f"SMS reçu le {self.received_at:%d/%m/%Y %H:%M}"


class InboundCandidate(models.Model):
    """One of the people an ambiguous number may belong to (the triage's choices)."""

    inbound = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="inbound_candidacies"
    )

    class Meta:
        verbose_name = "personne possible d'un SMS reçu"
        constraints = [
            models.UniqueConstraint(fields=["inbound", "person"], name="inbound_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inbound_id} → {self.person_id}"

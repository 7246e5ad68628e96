"""Places, agendas, slots and appointments (convocations).

Times are stored in UTC; every page, SMS and document shows them in the SPIP's own time zone
(`Organisation.timezone` of the place's SPIP).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q

from parcours.core.fields import (
    author,
    choice,
    nullable_link,
    nullable_one_to_one,
    optional_date,
    optional_text,
)
from parcours.core.models import CaseEntry, CaseRecord, PublicRecord
from parcours.rules.agenda import AppointmentStatus, subdivision_for
from parcours.rules.french import WEEKDAYS, long_datetime
from parcours.rules.vocabulary import ReplyAnswer, ReplyChannel


class AppointmentType(models.Model):
    """Catalogue data (data/appointment_types.json, loaded by a data migration)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=100)
    default_duration = models.PositiveSmallIntegerField("durée par défaut (minutes)", default=45)
    counts_for_compliance = models.BooleanField(
        "compte pour le suivi des obligations", default=True
    )
    weekend_allowed = models.BooleanField("possible le week-end et les jours fériés", default=False)
    is_first = models.BooleanField("première convocation", default=False)
    article = optional_text("référence", max_length=100)
    catalogue_version = models.CharField("version du catalogue", max_length=20)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]
        verbose_name = "type de rendez-vous"

    def __str__(self) -> str:
        return self.label


class Place(PublicRecord):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="places"
    )
    spip = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("nom", max_length=150)
    address = models.CharField("adresse", max_length=250)
    postal_code = models.CharField("code postal", max_length=10)
    city = models.CharField("commune", max_length=100)
    phone = optional_text("téléphone", max_length=20)
    access_url = models.URLField("informations d'accès (lien)", blank=True)
    documents_to_bring = models.TextField(
        "documents à apporter", blank=True, default="Pièce d'identité, jugement ou convocation."
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "lieu"

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.postal_code} {self.city}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.spip.timezone)

    @property
    def holiday_subdivision(self) -> str | None:
        return subdivision_for(self.postal_code, self.spip.timezone)


class Agenda(PublicRecord):
    """One agenda per place and agent (agent empty: the place's shared agenda, e.g. collective
    actions or the reception desk)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="agendas")
    agent = nullable_link("accounts.User", related_name="agendas", on_delete=models.PROTECT)
    label = models.CharField("libellé", max_length=150)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "agenda"
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "agent"],
                condition=Q(agent__isnull=False),
                name="agenda_place_agent_unique",
            )
        ]

    def __str__(self) -> str:
        return self.label


class SlotTemplate(PublicRecord):
    """A recurring slot: every `weekday` at `start_time` (SPIP local time)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="templates")
    weekday = models.PositiveSmallIntegerField("jour", choices=list(enumerate(WEEKDAYS)))
    start_time = models.TimeField("heure de début")
    duration = models.PositiveSmallIntegerField("durée (minutes)")
    capacity = models.PositiveSmallIntegerField("capacité", default=1)
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField("à partir du")
    valid_until = optional_date("jusqu'au")
    is_active = models.BooleanField("actif", default=True)
    created_by = author()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = "modèle de créneau"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M} ({self.duration} min)"


class Slot(PublicRecord):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="slots")
    template = nullable_link(SlotTemplate, related_name="slots")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    capacity = models.PositiveSmallIntegerField("capacité", default=1)
    # Kept by a conditional UPDATE (booked < capacity), never read-modify-write.
    booked = models.PositiveSmallIntegerField("réservés", default=0)

    class Meta:
        verbose_name = "créneau"
        verbose_name_plural = "créneaux"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "starts_at"], name="slot_agenda_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "agenda"])]

    def __str__(self) -> str:
        """ "Créneau du mardi 1 décembre 2026 à 14 h 30", in the place's SPIP's zone."""
        return f"Créneau du {long_datetime(self.starts_at, self.agenda.place.spip.timezone)}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def planned(self) -> AppointmentQuerySet:
        return self.filter(status=AppointmentStatus.PLANIFIE)

    def between(self, start: datetime, end: datetime) -> AppointmentQuerySet:
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def overlapping(self, starts: Any, ends: Any) -> AppointmentQuerySet:
        """Those whose time overlaps [starts, ends): datetimes, or the columns of an outer query
        (OuterRef). Back to back (one ends when the other starts) is no overlap."""
        return self.filter(starts_at__lt=ends, ends_at__gt=starts)

    def clashing_with_agent(self, agent_id: Any, starts: Any, ends: Any) -> AppointmentQuerySet:
        """The agent's planned appointments that overlap [starts, ends): what makes the agent
        busy (booking refused, free slot not proposed)."""
        return self.planned().filter(agent_id=agent_id).overlapping(starts, ends)


class Appointment(CaseRecord):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="appointments"
    )
    spip = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    measure = nullable_link("measures.Measure", related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="appointments")
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="appointments")
    agent = nullable_link("accounts.User", related_name="appointments", on_delete=models.PROTECT)
    slot = nullable_link(Slot, related_name="appointments")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    status = choice(
        "statut", AppointmentStatus.choices, max_length=12, default=AppointmentStatus.PLANIFIE.value
    )
    outcome_reason = optional_text("motif", max_length=500)
    outcome_proof = optional_text("justificatif de l'excuse")
    outcome_at = models.DateTimeField("résultat saisi le", null=True, blank=True)
    outcome_by = author()
    arrived_at = models.DateTimeField("arrivé à", null=True, blank=True)
    # A rescheduled appointment keeps its row (status "reporté") and points to its successor.
    rescheduled_to = nullable_one_to_one("self", related_name="rescheduled_from")
    series = models.UUIDField("série", null=True, blank=True, db_index=True)
    comment = optional_text("commentaire", max_length=300)
    created_by = author()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["agent", "starts_at"]),
            models.Index(fields=["agenda", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
            models.Index(fields=["place", "starts_at"]),
            models.Index(fields=["spip", "status", "starts_at"]),
            # Indicators: the SPIP's appointments of the last N days (a range on the date).
            models.Index(fields=["spip", "starts_at"], name="appointment_spip_start_idx"),
        ]

    def __str__(self) -> str:
        """ "Entretien de suivi du mardi 1 décembre 2026 à 14 h 30", in the place's SPIP's zone."""
        when = long_datetime(self.starts_at, self.place.spip.timezone)
        return f"{self.appointment_type} du {when}"

    @property
    def tz(self) -> ZoneInfo:
        return self.place.tz

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.tz)

    @property
    def is_open(self) -> bool:
        return self.status == AppointmentStatus.PLANIFIE

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.appointment_type.label,
            "lieu": self.place.name,
            "début": self.local_start.strftime("%d/%m/%Y %H:%M"),
            "statut": self.get_status_display(),
        }


class AppointmentReply(CaseEntry):
    """The person's own answer to a convocation ("je viendrai" / "je ne peux pas venir" and why),
    from the personal space or a reply to a reminder SMS. The latest one counts; the CPIP marks it
    seen. It never changes the appointment itself: rescheduling stays the CPIP's decision."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="replies")
    answer = choice("réponse", ReplyAnswer.choices, max_length=10)
    reason = optional_text("motif donné", max_length=500)
    channel = choice("canal", ReplyChannel.choices, max_length=6)
    seen_by = author()
    seen_at = models.DateTimeField("vue le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "réponse à une convocation"
        indexes = [
            models.Index(fields=["appointment", "created_at"], name="reply_appointment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} ({self.get_channel_display()})"


class CalendarFeed(models.Model):
    """Secret-token iCalendar feed of one agent's appointments; revocable."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "abonnement d'agenda"
        verbose_name_plural = "abonnements d'agenda"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Flux agenda de {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        """What is stored of a feed's secret token: its SHA-256."""
        return hashlib.sha256(token.encode()).hexdigest()

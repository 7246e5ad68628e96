"""Case notes (journal de suivi) and their versions. Reading goes through `notes.access`."""

from __future__ import annotations

from django.db import models
from django.utils.safestring import SafeString, mark_safe

from parcours.core.fields import choice, optional_link
from parcours.core.models import CaseRecord
from parcours.rules.vocabulary import NoteKind

from .sanitize import safe_html


class ShownBody:
    """The stored HTML, cleaned again for display (defence in depth: it was cleaned when saved)."""

    body_html: str

    @property
    def shown_body(self) -> SafeString:
        return mark_safe(safe_html(self.body_html))  # noqa: S308 - nh3 output


class Note(ShownBody, CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notes")
    # The person's SPIP, copied for scoping (a person never changes SPIP today; an inter-SPIP
    # transfer must update it). Reading still goes through the person's scope as well.
    spip = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    measure = optional_link("measures.Measure", "mesure concernée", related_name="notes")
    kind = choice("type de note", NoteKind.choices, max_length=20)
    event_date = models.DateField("date de l'événement")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    sensitive = models.BooleanField("note sensible", default=False)
    # Sanitised HTML (notes.sanitize.clean_body), its plain text, and the search keys of that
    # text (rules.text.search_document) that the full-text index covers.
    body_html = models.TextField("texte de la note")
    body_text = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-event_date", "-pk"]
        verbose_name = "note de suivi"
        indexes = [
            models.Index(fields=["person", "-event_date"], name="notes_person_date"),
            models.Index(fields=["author", "-event_date"], name="notes_author_date"),
            models.Index(fields=["spip", "-event_date"], name="notes_spip_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.event_date:%d/%m/%Y}"


class NoteVersion(ShownBody, models.Model):
    """Every saved state of a note, the first included: an edit never loses the old text."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    edited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    event_date = models.DateField()
    sensitive = models.BooleanField()
    body_html = models.TextField()

    class Meta:
        ordering = ["-version"]
        verbose_name = "version d'une note"
        verbose_name_plural = "versions d'une note"
        constraints = [
            models.UniqueConstraint(fields=["note", "version"], name="notes_version_unique")
        ]

    def __str__(self) -> str:
        return f"version {self.version}"

"""Append-only journal of consultations, changes, transfers, exports and logins.

Directive (EU) 2016/680 art. 25 / loi Informatique et libertés art. 101: who, when, what and,
for consultations and communications, why. Rows are never updated or deleted: the ORM refuses,
triggers refuse at the database level (SQLite and PostgreSQL, migrations 0002 and 0005), the
application's PostgreSQL role may only INSERT and SELECT (`create_app_role`), and each row hashes
the previous one (`chain`, `verify_journal`): ADR 0003.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from parcours.core.fields import author, choice, nullable_link, optional_text
from parcours.rules.vocabulary import AuditAction


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Le journal d'audit est en ajout seul : modification refusée.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Le journal d'audit est en ajout seul : suppression refusée.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("Le journal d'audit est en ajout seul : modification refusée.")


class AuditEvent(models.Model):
    # Set before the insert (not auto_now_add): the row's hash covers it.
    at = models.DateTimeField("date (UTC)", default=timezone.now, editable=False, db_index=True)
    actor = author()
    # Copies, so the row stays readable whatever happens to the account later.
    actor_username = optional_text("identifiant", max_length=150)
    actor_role = optional_text("rôle", max_length=20)
    actor_organisation = optional_text("organisation")
    spip = nullable_link(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        help_text="SPIP whose data the event concerns (scopes the DPIP's view).",
    )
    action = choice("action", AuditAction.choices, max_length=32)
    object_type = optional_text("type d'objet", max_length=40)
    object_id = models.CharField("identifiant d'objet", max_length=64, blank=True, db_index=True)
    object_label = optional_text("objet")
    person_public_id = models.UUIDField("personne", null=True, blank=True, db_index=True)
    motif = optional_text("motif", max_length=40)
    motif_detail = optional_text("précision du motif", max_length=500)
    request_id = optional_text("requête", max_length=64)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    # The hash chain (parcours.audit.chain): hex SHA-256 of the previous row, and of this row.
    prev_hash = models.CharField("empreinte précédente", max_length=64, blank=True, editable=False)
    row_hash = models.CharField("empreinte", max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "événement du journal"
        indexes = [
            models.Index(fields=["spip", "-at"], name="audit_spip_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            # Journal of a SPIP filtered by action (rare actions would otherwise walk the
            # whole SPIP's history through audit_spip_at_idx).
            models.Index(fields=["spip", "action", "-at"], name="audit_spip_action_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Le journal d'audit est en ajout seul : modification refusée.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Le journal d'audit est en ajout seul : suppression refusée.")

"""The marker of a file the retention purge has anonymised (rules.retention): the person's row
stays for statistics, without identity; this row says when and by how much, and keeps the purge
from running twice on it. No name: the person's public id is in the PURGE journal event."""

from __future__ import annotations

from django.db import models


class PurgedFile(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="purged_file", editable=False
    )
    purged_on = models.DateField("purgé le")
    kept_until = models.DateField("conservé jusqu'au")
    counts = models.JSONField("éléments traités", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dossier purgé"
        verbose_name_plural = "dossiers purgés"

    def __str__(self) -> str:
        return f"Dossier purgé le {self.purged_on:%d/%m/%Y}"

"""The door to manquements: through the person's door (404 outside the user's scope, a motif
for a colleague's file, the consultation journaled)."""

from __future__ import annotations

from parcours.core.doors import Door
from parcours.people.access import PersonAccess, file_record_opener

from .models import Breach

open_breach = file_record_opener(
    Breach.objects.select_related("person", "measure__measure_type"),
    "person",
    "Manquement introuvable.",
)
breach_door: Door[tuple[Breach, PersonAccess]] = Door("manquement", open_breach)

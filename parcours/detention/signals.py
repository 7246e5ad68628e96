"""What a change of the detention record tells the apps above it, which detention never imports.

`ecrou_changed` is sent inside the service's transaction when an écrou moves the person's
incarceration period (created, its dates changed, released), with `person_ids`. The incarceration
suspends the person's probation measures (CP 132-43), so the alerts (legal deadlines) and the
obligations (compliance) connect the receivers they connect to `measures.signals.measure_changed`
and recompute those people at once, as for a period entered on the measures' calendar.
"""

from __future__ import annotations

from django.dispatch import Signal
from django.utils.module_loading import import_string

ecrou_changed = Signal()


def receive_ecrou_changes(path: str) -> None:
    """Connects the receiver named by its dotted `path`, once (from an AppConfig's `ready()`)."""
    ecrou_changed.connect(import_string(path), dispatch_uid=f"ecrou:{path}")

"""What a measure's change tells the apps above it, which measures never imports.

`measure_changed` is sent inside the service's transaction, after the row is written, with
`person_ids` (the people whose measures changed). The alerts (legal deadlines) and the
obligations (compliance) declare their receivers on their AppConfig (`measure_change_receivers`);
the measures and detention apps connect them in `ready()` (`receive_measure_changes`), and they
recompute those people at once, synchronously: the nightly runs only age them with the calendar.
"""

from __future__ import annotations

from django.dispatch import Signal
from django.utils.module_loading import import_string

measure_changed = Signal()


def receive_measure_changes(path: str) -> None:
    """Connects the receiver named by its dotted `path`, once. Called from an AppConfig's
    `ready()`: the receiver's module reads models, so it is imported only then (apps.py itself
    is imported before the models are ready)."""
    measure_changed.connect(import_string(path), dispatch_uid=path)

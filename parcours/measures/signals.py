"""What a measure's change tells the apps above it, which measures never imports.

`measure_changed` is sent inside the service's transaction, after the row is written, with
`person_ids` (the people whose measures changed). The alerts (legal deadlines) and the
obligations (compliance) connect their receivers in their `AppConfig.ready()` and recompute
those people at once, synchronously: the nightly runs only age them with the calendar.
"""

from __future__ import annotations

from django.dispatch import Signal

measure_changed = Signal()

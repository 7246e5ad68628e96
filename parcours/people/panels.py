"""Sections that other apps add to the person file.

Each entry is the dotted path of a function `(request, access) -> dict` whose result is merged into
the person file's context; the matching template is included by `people/person_detail.html`.
The functions receive an access already checked by `get_person_for` and must only read data of
`access.person` (they never widen the scope). Keep each one to a constant number of queries:
`tests/test_query_budgets.py` counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

from .access import PersonAccess

PERSON_PANELS = (
    "parcours.agenda.panels.person_panel",
    "parcours.notifications.panels.person_panel",
    "parcours.notes.panels.person_panel",
    "parcours.reports.panels.person_panel",
)


@cache
def _panels() -> tuple[Callable[[HttpRequest, PersonAccess], dict[str, Any]], ...]:
    return tuple(import_string(path) for path in PERSON_PANELS)


def panel_context(request: HttpRequest, access: PersonAccess) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in _panels():
        context.update(panel(request, access))
    return context

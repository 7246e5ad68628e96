from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parcours.people.access import PersonAccess


def person_panel(request: HttpRequest, access: PersonAccess) -> dict[str, Any]:
    """Context of this app's section on the person file (see people/panels.py)."""
    return {}

"""The manquement form prefilled from where it was asked for.

« Enregistrer le manquement » on a missed appointment opens this app's form with `?rdv=<id>`;
the appointment belongs to the agenda, which sits above this app. So the apps above name, on
their AppConfig, the function that reads their object for a query parameter:

    breach_prefills = {"rdv": "parcours.agenda.breach_prefill.missed_appointment"}

The function receives `(request, person, value)` — the person's file already opened by the
door — and returns the `Prefill` facts, or None when the value names nothing of this person the
user may see. This module adds the obligation the manquement feeds (an absence: the duty of
answering convocations, CP art. 132-44 1°).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

from parcours.accounts.http import AuthedRequest
from parcours.people.models import Person

from .models import BreachKind
from .selectors import answer_convocations_duty

ATTRIBUTE = "breach_prefills"


@dataclass(frozen=True)
class Prefill:
    kind: str
    occurred_on: date
    facts: str
    measure_id: int | None = None


Source = Callable[[AuthedRequest, Person, str], Prefill | None]


@cache
def sources() -> dict[str, Source]:
    """{query parameter: function} from the AppConfigs of the installed apps."""
    found: dict[str, Source] = {}
    for config in apps.get_app_configs():
        for param, path in getattr(config, ATTRIBUTE, {}).items():
            found[param] = import_string(path)
    return found


def initial_for(request: AuthedRequest, person: Person) -> dict[str, Any]:
    """The form's initial values from the first query parameter a source recognises."""
    for param, source in sources().items():
        value = request.GET.get(param)
        prefill = source(request, person, value) if value else None
        if prefill is not None:
            return initial_of(prefill, person)
    return {}


def initial_of(prefill: Prefill, person: Person) -> dict[str, Any]:
    duty, duty_measure = None, None
    if prefill.kind == BreachKind.ABSENCE:
        duty, duty_measure = answer_convocations_duty(person, prefill.measure_id) or (None, None)
    return {
        "kind": prefill.kind,
        "measure": prefill.measure_id or duty_measure,
        "obligation": duty,
        "occurred_on": prefill.occurred_on,
        "facts": prefill.facts,
    }

"""Pages shared by the apps that write on a person's file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse

from parcours.core.forms_flow import Saved, form_page

from .models import Person
from .panels import person_file_url


def file_form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    person: Person,
    title: str,
    write: Callable[[Any], object],
    message: str,
    *,
    template: str,
    anchor: str,
    current: Any = None,
    **context: Any,
) -> HttpResponse:
    """The form page (`form_page`) of a record of `person`'s file: `write(form)` records the
    valid form, then back to the panel `anchor` of the person file with `message`."""

    def save(form: Any) -> Saved:
        write(form)
        return Saved(person_file_url(person.public_id, anchor), message)

    context.update(title=title, person=person)
    return form_page(request, form, template, context, save=save, current=current)

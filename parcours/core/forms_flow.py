"""The form page every edit view used to write by hand: GET shows the form; a valid POST calls
the service; a stale version (optimistic locking) answers 409 with both versions; a refusal
(`Refused`) or invalid data answers 400 with the form and its French errors.

    return form_page(
        request, form, "people/person_form.html", {"person": person},
        save=lambda form: Saved(reverse(...), "Les modifications sont enregistrées.") ...,
        current=person,
    )

`save` returns a `Saved` (where to go, the message to show) after calling the service.
`current` is the edited record (read again from the database on a conflict) or a function that
reads the saved version, used when the service's ConflictError carries none; the template
receives it as `conflict`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from .errors import ConflictError, Refused


def _saved_version(current: models.Model | Callable[[], Any] | None) -> Any:
    if isinstance(current, models.Model):
        return type(current)._default_manager.get(pk=current.pk)
    return current() if current is not None else None


@dataclass(frozen=True)
class Saved:
    redirect_to: str
    message: str = ""


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    template: str,
    context: dict[str, Any],
    *,
    save: Callable[[Any], Saved],
    current: models.Model | Callable[[], Any] | None = None,
) -> HttpResponse:
    status = 200
    conflict: Any = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = save(form)
            except ConflictError as stale:
                status = 409
                conflict = stale.current
                if conflict is None:
                    conflict = _saved_version(current)
                if stale.message:
                    form.add_error(None, stale.message)
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                if saved.message:
                    messages.success(request, saved.message)
                return redirect(saved.redirect_to)
    return render(request, template, {**context, "form": form, "conflict": conflict}, status=status)


def versioned_edit(form: forms.BaseForm) -> dict[str, Any]:
    """What a valid edit form tells its service (`update_…(…, **versioned_edit(form))`): the
    fields changed (journaled) and the version the page was read at (`None` when missing: the
    service answers a conflict)."""
    return {"changed": form.changed_data, "expected_version": form.cleaned_data.get("version")}


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: the POST's, or None on a GET (the form is then unbound)."""
    return request.POST if request.method == "POST" else None


def saved_at(view_name: str, record: Any, message: str = "") -> Saved:
    """Where a valid form goes when it is done: the page `view_name` of `record` (addressed by
    its public identifier), with `message`."""
    return Saved(reverse(view_name, args=[record.public_id]), message)

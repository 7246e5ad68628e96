"""Typed access to a form's fields: `form.fields[name]` is a plain `Field` for the type checker,
so setting a `ModelChoiceField`'s queryset or a `ChoiceField`'s choices needs the field's real
class. `field_of` checks it at run time instead of silencing the checker.

    field_of(self, "measure_type", forms.ModelChoiceField).queryset = MeasureType.objects.current()

Also the builders of the fields every form repeats: the date picker, the comment area, the
hidden optimistic-locking version.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django import forms
from django.utils import timezone

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}")
    return field


# The browser's own date and time pickers (ISO values, whatever the locale).
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def comment_field(
    label: str,
    *,
    help_text: str = "",
    required: bool = False,
    max_length: int = 2000,
    rows: int = 2,
    **kwargs: Any,
) -> forms.CharField:
    """A free-text comment (motif, précision, observation) in a short text area."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        **kwargs,
    )


def date_field(
    label: str, *, required: bool = True, help_text: str = "", **kwargs: Any
) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, help_text=help_text, **kwargs
    )


def version_field(required: bool = False) -> forms.IntegerField:
    """The hidden optimistic-locking version a form carries back (core.locking).

    No bounds: a version the database does not hold (negative, far ahead) is a stale one, which
    the service answers with a 409 and both versions, not a form error."""
    return forms.IntegerField(required=required, widget=forms.HiddenInput)


def check_period(
    form: forms.BaseForm, data: dict[str, Any], start: str, end: str, message: str
) -> None:
    """In a form's `clean`: `message` on the `end` field when both dates are given and the end
    comes before the start (the same day is a valid period)."""
    first, last = data.get(start), data.get(end)
    if first and last and last < first:
        form.add_error(end, message)


def text_field(
    label: str, *, max_length: int, required: bool = False, help_text: str = "", **kwargs: Any
) -> forms.CharField:
    """A one-line text (a reason, a precision), optional unless told: the short sibling of
    `comment_field`. Whether an optional one is needed after all is `check_text_given`'s."""
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text, **kwargs
    )


def check_not_future(
    form: forms.BaseForm,
    data: dict[str, Any],
    name: str,
    message: str = "La date ne peut pas être dans le futur.",
) -> None:
    """In a form's `clean`: `message` on the date field `name` when it comes after today."""
    value = data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, message)


def check_text_given(
    form: forms.BaseForm,
    data: dict[str, Any],
    name: str,
    needed: bool,
    message: str,
    *,
    min_length: int = 1,
) -> None:
    """In a form's `clean`: `message` on the text field `name` when the rest of the form makes
    it `needed` (a reason for an abandoned step, a precision for "Autre motif") and it is blank,
    or shorter than `min_length` once trimmed."""
    if needed and len((data.get(name) or "").strip()) < min_length:
        form.add_error(name, message)


class DoneOrDroppedForm(forms.Form):
    """A task's new state (a plan's step, a release item): the subclass declares the `status`
    and the `reason` fields; `done_on` is never in the future (today when left empty) and the
    reason is needed when the status is `dropped` (`reason_needed` says so)."""

    field_order = ["version", "status", "done_on", "reason"]
    dropped: ClassVar[str]
    reason_needed: ClassVar[str]

    version = version_field(required=True)
    done_on = date_field("Fait le", required=False, help_text="Par défaut, aujourd'hui.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_not_future(self, data, "done_on")
        dropped = data.get("status") == self.dropped
        check_text_given(self, data, "reason", dropped, self.reason_needed)
        return data

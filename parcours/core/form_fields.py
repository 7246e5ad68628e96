"""Typed access to a form's fields: `form.fields[name]` is a plain `Field` for the type checker,
so setting a `ModelChoiceField`'s queryset or a `ChoiceField`'s choices needs the field's real
class. `field_of` checks it at run time instead of silencing the checker.

    field_of(self, "measure_type", forms.ModelChoiceField).queryset = MeasureType.objects.current()
"""

from __future__ import annotations

from typing import TypeVar

from django import forms

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}")
    return field

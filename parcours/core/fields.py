"""Model-field builders for the declarations every case app repeats.

Each returns a plain Django field, the same one a hand-written declaration gives (migrations
see no difference), so a model reads as the list of what it records, not as the same five
keyword arguments again:

    measure = optional_link("measures.Measure", "mesure concernée", related_name="notes")
    released_on = optional_date("date de libération", help_text="Vide tant que…")
    source = optional_text("source")
    created_by = author()

`period_check` is the constraint of a half-open period (`end` empty or after `start`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def author(related_name: str = "+", **kwargs: Any) -> models.ForeignKey[Any, Any]:
    """The account that wrote the row; kept (PROTECT) while the row exists, empty for imports."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name=related_name,
        null=True,
        blank=True,
        **kwargs,
    )


def optional_link(
    to: str | type[models.Model],
    label: str,
    *,
    related_name: str = "+",
    on_delete: Any = models.SET_NULL,
    **kwargs: Any,
) -> models.ForeignKey[Any, Any]:
    """A link that may be empty; by default it empties itself when its target goes."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=label,
        **kwargs,
    )


def optional_date(label: str, help_text: str = "", **kwargs: Any) -> models.DateField[Any, Any]:
    return models.DateField(label, null=True, blank=True, help_text=help_text, **kwargs)


def optional_text(
    label: str, max_length: int = 200, help_text: str = "", **kwargs: Any
) -> models.CharField[Any, Any]:
    return models.CharField(label, max_length=max_length, blank=True, help_text=help_text, **kwargs)


def choice(
    label: str, choices: Any, max_length: int = 24, **kwargs: Any
) -> models.CharField[Any, Any]:
    """A coded value from a closed list (`rules` enums)."""
    return models.CharField(label, max_length=max_length, choices=choices, **kwargs)


def period_check(name: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
    """A half-open period: the end, when known, comes after the start."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gt": models.F(start)}),
        name=name,
    )


def inclusive_period_check(name: str, start: str, end: str) -> models.CheckConstraint:
    """A period of whole days, both ends included: the end, when known, is not before the
    start (`period_check` is the half-open one, where the end comes strictly after)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def case_person(related_name: str = "+") -> models.ForeignKey[Any, Any]:
    """The person whose file holds the row: set by the services (not a form field), the row
    deleted with the file."""
    return models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name=related_name, editable=False
    )


def nullable_link(
    to: str | type[models.Model],
    *,
    related_name: str = "+",
    on_delete: Any = models.SET_NULL,
    **kwargs: Any,
) -> models.ForeignKey[Any, Any]:
    """`optional_link` for the links first declared without a label (adding one now would be a
    migration): a link that may be empty, by default emptied when its target goes."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, **kwargs
    )


def nullable_one_to_one(
    to: str | type[models.Model],
    *,
    related_name: str = "+",
    on_delete: Any = models.SET_NULL,
    **kwargs: Any,
) -> models.OneToOneField[Any, Any]:
    """`nullable_link` for a one-to-one link: it may be empty, by default emptied when its
    target goes."""
    return models.OneToOneField(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, **kwargs
    )


def filled_when(name: str, field: str, **state: Any) -> models.CheckConstraint:
    """A text that the row must give in a `state` (an abandoned step's reason, a refused
    proof's motive): either the row is not in that state, or the text is not empty."""
    return models.CheckConstraint(
        condition=~models.Q(**state) | ~models.Q(**{field: ""}), name=name
    )

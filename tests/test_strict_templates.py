"""The tests' strict template variables (tests/helpers.py): an undefined variable fails where it
is a mistake, and conditions behave as in production."""

from __future__ import annotations

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.template import engines

from .helpers import STRICT_TEMPLATE_VARIABLE, UndefinedTemplateVariable


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


class Missing:
    """A lookup that fails silently (a missing reverse one-to-one)."""

    @property
    def profile(self) -> object:
        raise ObjectDoesNotExist


def test_the_suite_runs_with_strict_template_variables() -> None:
    assert engines["django"].engine.string_if_invalid is STRICT_TEMPLATE_VARIABLE


@pytest.mark.parametrize(
    "source",
    [
        "{{ undefined }}",
        "{{ person.undefined }}",
        "{{ undefined|upper }}",
        "{% with x=undefined %}{{ x }}{% endwith %}",
        "{% load i18n %}{% blocktranslate %}Bonjour {{ undefined }}{% endblocktranslate %}",
    ],
)
def test_an_undefined_variable_fails(source: str) -> None:
    with pytest.raises(UndefinedTemplateVariable, match="undefined"):
        render(source, person={"name": "Durand"})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if undefined %}oui{% else %}non{% endif %}", "non"),
        ("{% for x in undefined %}{{ x }}{% empty %}vide{% endfor %}", "vide"),
        ("{% firstof undefined 'repli' %}", "repli"),
        # A silent failure (DoesNotExist) reads as production's empty string.
        ("{% if obj.profile %}oui{% else %}non{% endif %}", "non"),
        ("[{{ obj.profile }}]", "[]"),
        ("{{ obj.profile|default:'aucun' }}", "aucun"),
    ],
)
def test_conditions_and_silent_failures_behave_as_in_production(source: str, expected: str) -> None:
    assert render(source, obj=Missing()) == expected

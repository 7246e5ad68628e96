"""The Python rendering of the plain widgets gives exactly the HTML of Django's templates."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from parcours.core.forms_renderer import FastTemplatesSetting


class Sample(forms.Form):
    text = forms.CharField(label="Nom", max_length=20, required=False)
    number = forms.IntegerField(min_value=0)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput)
    plain = forms.ChoiceField(choices=[("", "Tous"), ("a", "A & <b>"), ("b", 'Le "b"')])
    grouped = forms.ChoiceField(
        choices=[
            ("Milieu ouvert", [("sme", "SME"), ("tig", "TIG")]),
            ("Milieu fermé", [("ssj", "SSJ")]),
            ("autre", "Autre"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("1", "un"), ("2", "deux"), ("3", "trois")])
    safe = forms.ChoiceField(choices=[("x", mark_safe("<em>x</em>"))])
    mail = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


VALUES = [
    {},
    {
        "text": "O'Brien <script>&\"",
        "number": "12",
        "day": "2026-11-27",
        "flag": "on",
        "hidden": "<x>",
        "plain": "a",
        "grouped": "tig",
        "many": ["1", "3"],
        "safe": "x",
        "mail": "a@b.fr",
    },
    {"number": "-4", "day": "pas une date", "plain": "zzz", "many": ["9"]},
]


@pytest.mark.parametrize("data", VALUES, ids=["unbound", "filled", "invalid"])
@pytest.mark.parametrize("name", list(Sample.base_fields))
def test_fast_widgets_render_like_the_templates(data, name):
    reference = Sample(data or None, initial={"day": date(2026, 1, 2)}, renderer=TemplatesSetting())
    fast = Sample(data or None, initial={"day": date(2026, 1, 2)}, renderer=FastTemplatesSetting())
    for form in (reference, fast):
        form.is_valid() if data else None
    extra = {"class": "fr-select", "aria-invalid": True, "disabled": False, "data-x": '"q"'}
    assert str(fast[name]) == str(reference[name])
    assert fast[name].as_widget(attrs=extra) == reference[name].as_widget(attrs=extra)


def test_the_project_uses_the_fast_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastTemplatesSetting)


def test_an_unknown_widget_template_goes_through_the_engine():
    class Radio(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    html = str(Radio(renderer=FastTemplatesSetting())["choice"])
    assert 'type="radio"' in html and "<label" in html

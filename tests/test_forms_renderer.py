"""The Python rendering of the plain widgets gives exactly the HTML of Django's templates."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from parcours.core.forms_renderer import FastTemplatesSetting
from parcours.core.templatetags.parcours_tags import filter_field


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


class Filters(forms.Form):
    q = forms.CharField(label="Nom <ou> APPI", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), ("a", "A & b")], help_text="Aide"
    )
    day = forms.DateField(label="Jour", required=False, widget=forms.DateInput({"type": "date"}))
    styled = forms.CharField(required=False, widget=forms.TextInput({"class": "x"}))
    number = forms.IntegerField(label="Nombre", required=False)
    flag = forms.BooleanField(label="Case", required=False)


@pytest.mark.parametrize("data", [{}, {"q": "O'Brien <b>", "kind": "a", "day": "2026-11-27"}])
@pytest.mark.parametrize("name", list(Filters.base_fields))
def test_filter_field_renders_the_markup_of_the_field_include(data, name):
    form = Filters(data)
    form.is_valid()
    include = render_to_string("includes/field.html", {"field": form[name]})
    assert " ".join(filter_field(form[name]).split()) == " ".join(include.split())


def test_filter_field_of_a_field_in_error_is_the_include():
    form = Filters({"number": "douze", "kind": "zzz"})
    assert not form.is_valid()
    for name in ("number", "kind"):
        include = render_to_string("includes/field.html", {"field": form[name]})
        assert "fr-message--error" in include
        assert filter_field(form[name]) == include


def test_pluriel_is_a_builtin_filter_with_the_french_rule():
    from django.template import engines

    template = engines["django"].from_string("{{ n }} note{{ n|pluriel }} ; {{ items|pluriel }}")
    assert template.render({"n": 0, "items": [1, 2]}) == "0 note ; s"
    assert template.render({"n": 3, "items": [1]}) == "3 notes ; "


def test_the_empty_choice_of_a_model_select_says_choisir() -> None:
    """Django's "---------" never reaches a page: a ModelForm's optional foreign key (the
    measure's tribunal, the person's antenna…) offers "Choisir…" like the other lists."""
    from django import forms as django_forms

    class Probe(django_forms.Form):
        choice = django_forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)

    html = str(Probe()["choice"])
    assert "Choisir…" in html and "---------" not in html

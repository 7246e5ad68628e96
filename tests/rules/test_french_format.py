"""The one French formatting layer (parcours.rules.french) and its template filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from parcours.rules.french import agree, civility, count_phrase, euros, flat_label, long_date

NB = "\u00a0"


def test_long_date_says_1er_and_the_month_in_words() -> None:
    assert long_date(date(2026, 11, 27)) == "27 novembre 2026"
    assert long_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert long_date(date(2027, 8, 15)) == "15 août 2027"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1200"), f"1{NB}200,00{NB}€"),
        ("1200.00", f"1{NB}200,00{NB}€"),
        (1234567.891, f"1{NB}234{NB}567,89{NB}€"),
        (Decimal("0.005"), f"0,01{NB}€"),
        (Decimal("-0.00"), f"0,00{NB}€"),
        (Decimal("-15.5"), f"-15,50{NB}€"),
        (7, f"7,00{NB}€"),
    ],
)
def test_euros_is_the_french_format(amount: object, shown: str) -> None:
    assert euros(amount) == shown


def test_euros_refuses_what_is_not_an_amount() -> None:
    with pytest.raises(ValueError, match="Montant illisible"):
        euros("douze")


def test_agreement_follows_the_recorded_sex_and_marks_only_the_unknown() -> None:
    assert [agree(s, "né") for s in ("M", "F", "X", "", None)] == [
        "né",
        "née",
        "né(e)",
        "né(e)",
        "né(e)",
    ]
    assert agree("F", "convoqué") == "convoquée"
    assert agree("M", "reçu") == "reçu"
    assert agree("F", "le conseiller", "la conseillère") == "la conseillère"
    assert agree("X", "le conseiller", "la conseillère") == "la conseillère ou le conseiller"
    assert [civility(s) for s in ("M", "F", "X")] == ["Monsieur", "Madame", "Madame, Monsieur"]


def test_counts_keep_zero_and_one_singular() -> None:
    assert count_phrase(0, "absence non excusée", "absences non excusées") == (
        "0 absence non excusée"
    )
    assert count_phrase(1, "absence non excusée", "absences non excusées") == (
        "1 absence non excusée"
    )
    assert count_phrase(3, "absence non excusée", "absences non excusées") == (
        "3 absences non excusées"
    )
    assert count_phrase(2, "jour") == "2 jours"


def test_flat_label_never_nests_parentheses() -> None:
    assert flat_label("DPIP (chef de service)") == "DPIP, chef de service"
    assert flat_label("CPIP") == "CPIP"
    assert flat_label("Surveillant (DDSE)") == "Surveillant, DDSE"
    assert flat_label("A (b) c") == "A (b) c"


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_template_filters_use_the_same_layer() -> None:
    assert render("{{ x|montant }}", x=Decimal("1200.00")) == f"1{NB}200,00{NB}€"
    assert render("{{ x|montant }}", x=None) == "—"
    assert render("{{ x|montant }}", x="n/a") == "—"
    assert render("{{ d|date_longue }}", d=date(2026, 11, 27)) == "27 novembre 2026"
    assert render("{{ d|date_longue }}", d="2026-01-01") == "1er janvier 2026"
    # An aware moment is dated in the current zone: 23:30 UTC is the next day in Paris.
    assert render("{{ d|date_longue }}", d=datetime(2026, 11, 27, 23, 30, tzinfo=UTC)) == (
        "28 novembre 2026"
    )
    assert render('{{ s|accord:"né" }}', s="F") == "née"
    assert render('{{ s|accord:"né" }}', s="X") == "né(e)"
    assert render("{{ s|civilite }}", s="M") == "Monsieur"
    assert render("({{ r|libelle_plat }})", r="DPIP (chef de service)") == "(DPIP, chef de service)"

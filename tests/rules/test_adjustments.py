"""Adjustment opportunities (rules.adjustments): fixtures named after the article and the case.

Today is 16/03/2027 in every case (the suite's frozen calendar is not needed: `today` is data)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from parcours.rules.adjustments import (
    Adjustment,
    Eligibility,
    Facts,
    assess,
    assess_ddse,
    assess_lc,
    assess_lc_70,
    assess_lc_parentale,
    assess_lsc,
    assess_lsc_plein_droit,
    assess_semi_liberte,
    at_most,
    classify,
    mark_refusal,
    reduction_due,
)

TODAY = date(2027, 3, 16)

# A three-year délit from 01/01/2026: mid-sentence 01/07/2027, 2/3 on 01/01/2028, end 01/01/2029.
BASE = Facts(
    today=TODAY,
    birth_date=date(1990, 5, 17),
    ecrou_start=date(2026, 1, 1),
    end_exclusive=date(2029, 1, 1),
    lc_from=date(2027, 7, 1),
    examination_basis="720",
    examination_on=date(2028, 1, 1),
    natures=frozenset({"delit"}),
)


def by_adjustment(facts: Facts) -> dict[Adjustment, object]:
    return {a.adjustment: a for a in assess(facts)}


# --- classify ------------------------------------------------------------------------------------


def test_classify_time_reached_nothing_missing_is_now() -> None:
    assert classify(TODAY, (), TODAY) == Eligibility.MAINTENANT


def test_classify_time_at_exactly_90_days_is_soon_and_91_later() -> None:
    assert classify(date(2027, 6, 14), (), TODAY) == Eligibility.SOUS_90_JOURS
    assert classify(date(2027, 6, 15), (), TODAY) == Eligibility.PLUS_TARD


def test_classify_one_missing_with_time_within_30_days_is_almost() -> None:
    assert classify(date(2027, 4, 15), ("hébergement",), TODAY) == Eligibility.PRESQUE
    assert classify(date(2027, 4, 16), ("hébergement",), TODAY) == Eligibility.PLUS_TARD


def test_classify_two_missing_is_not_almost() -> None:
    assert classify(TODAY, ("hébergement", "pièce d'identité"), TODAY) == Eligibility.PLUS_TARD


# --- CPP 729 (LC) --------------------------------------------------------------------------------


def test_cpp_729_lc_mid_sentence_within_90_days() -> None:
    a = assess_lc(replace(BASE, lc_from=date(2027, 5, 1)))
    assert a.eligibility == Eligibility.SOUS_90_JOURS
    assert a.on == date(2027, 5, 1)
    assert any(r.article == "CPP art. 729 al. 3" for r in a.reasons)


def test_cpp_729_lc_mid_sentence_reached_is_now() -> None:
    assert assess_lc(replace(BASE, lc_from=date(2027, 3, 1))).eligibility == Eligibility.MAINTENANT


def test_cp_132_23_surete_pushes_lc_after_the_surete() -> None:
    a = assess_lc(replace(BASE, lc_from=date(2027, 3, 1), surete_until=date(2027, 9, 1)))
    assert a.on == date(2027, 9, 1)
    assert a.eligibility == Eligibility.PLUS_TARD
    assert any(r.article == "CP art. 132-23" for r in a.reasons)


def test_cpp_730_3_al_2_refusal_excludes_lc() -> None:
    a = assess_lc(replace(BASE, lc_from=date(2027, 3, 1), refused=frozenset({"lc"})))
    assert a.eligibility == Eligibility.NON_APPLICABLE
    assert a.reasons[0].article == "CPP art. 730-3 al. 2"


# --- CPP 729 al. 8 (over seventy) ----------------------------------------------------------------


def test_cpp_729_al_8_over_seventy_with_housing_is_now() -> None:
    facts = replace(BASE, birth_date=date(1950, 1, 10), hebergement=True)
    a = assess_lc_70(facts)
    assert a.eligibility == Eligibility.MAINTENANT
    assert a.on == date(2026, 1, 1)  # already seventy at the écrou


def test_cpp_729_al_8_over_seventy_without_housing_is_almost() -> None:
    a = assess_lc_70(replace(BASE, birth_date=date(1950, 1, 10)))
    assert a.eligibility == Eligibility.PRESQUE
    assert a.missing == ("un hébergement justifié à la sortie",)


def test_cpp_729_al_8_seventieth_birthday_in_60_days() -> None:
    facts = replace(BASE, birth_date=date(1957, 5, 15), hebergement=True)
    a = assess_lc_70(facts)
    # "Plus de soixante-dix ans": the day after the birthday, as the engine counts it.
    assert a.on == date(2027, 5, 16)
    assert a.eligibility == Eligibility.SOUS_90_JOURS


def test_cpp_729_al_8_seventy_only_after_the_end_is_not_applicable() -> None:
    facts = replace(BASE, birth_date=date(1960, 1, 1), hebergement=True)
    assert assess_lc_70(facts).eligibility == Eligibility.NON_APPLICABLE


# --- CPP 729-3 (LC parentale) --------------------------------------------------------------------


def test_cpp_729_3_parent_of_a_child_under_ten_remaining_under_four_years() -> None:
    facts = replace(BASE, parent_enfant_moins_10=True, lc_parental_from=date(2026, 1, 1))
    a = assess_lc_parentale(facts)
    assert a.eligibility == Eligibility.MAINTENANT


def test_cpp_729_3_without_engine_date_uses_four_years_before_the_end() -> None:
    facts = replace(
        BASE,
        parent_enfant_moins_10=True,
        ecrou_start=date(2024, 1, 1),
        end_exclusive=date(2031, 5, 1),
    )
    assert assess_lc_parentale(facts).on == date(2027, 5, 1)


def test_cpp_729_3_not_a_parent_is_not_applicable() -> None:
    assert assess_lc_parentale(BASE).eligibility == Eligibility.NON_APPLICABLE


def test_cpp_729_3_al_2_crime_excludes() -> None:
    facts = replace(BASE, parent_enfant_moins_10=True, natures=frozenset({"crime"}))
    a = assess_lc_parentale(facts)
    assert a.eligibility == Eligibility.NON_APPLICABLE
    assert a.reasons[0].article == "CPP art. 729-3 al. 2"


def test_cpp_729_3_al_2_offence_on_a_minor_excludes() -> None:
    facts = replace(BASE, parent_enfant_moins_10=True, flags=frozenset({"victime_mineur_15"}))
    assert assess_lc_parentale(facts).eligibility == Eligibility.NON_APPLICABLE


# --- CPP 720 I (LSC examination) -----------------------------------------------------------------


def test_cpp_720_i_examination_at_two_thirds_within_90_days() -> None:
    a = assess_lsc(replace(BASE, examination_on=date(2027, 5, 2)))
    assert a.eligibility == Eligibility.SOUS_90_JOURS
    assert a.article == "CPP art. 720 I"


def test_cpp_720_i_over_five_years_is_730_3_not_lsc() -> None:
    a = assess_lsc(replace(BASE, examination_basis="730-3"))
    assert a.eligibility == Eligibility.NON_APPLICABLE


def test_cpp_720_i_1_refusal_excludes_lsc() -> None:
    facts = replace(BASE, examination_on=date(2027, 3, 1), refused=frozenset({"lsc"}))
    a = assess_lsc(facts)
    assert a.eligibility == Eligibility.NON_APPLICABLE
    assert a.reasons[0].article == "CPP art. 720 I 1°"


# --- CPP 720 II-III (LSC de plein droit) ---------------------------------------------------------

SHORT = replace(
    BASE,
    ecrou_start=date(2026, 6, 1),
    end_exclusive=date(2027, 6, 1),
    lsc_on=date(2027, 3, 1),
    total_at_most_two_years=True,
)


def test_cpp_720_ii_plein_droit_with_housing_is_now() -> None:
    a = assess_lsc_plein_droit(replace(SHORT, hebergement=True))
    assert a.eligibility == Eligibility.MAINTENANT


def test_cpp_720_ii_plein_droit_without_housing_is_almost() -> None:
    a = assess_lsc_plein_droit(SHORT)
    assert a.eligibility == Eligibility.PRESQUE
    assert a.missing == ("un hébergement justifié à la sortie",)


def test_cpp_720_ii_over_two_years_no_plein_droit() -> None:
    assert assess_lsc_plein_droit(BASE).eligibility == Eligibility.NON_APPLICABLE


def test_cpp_720_iii_1_each_exclusion() -> None:
    for facts in (
        replace(SHORT, hebergement=True, natures=frozenset({"crime"})),
        replace(SHORT, hebergement=True, flags=frozenset({"terrorisme"})),
        replace(SHORT, hebergement=True, flags=frozenset({"victime_mineur_15"})),
        replace(SHORT, hebergement=True, flags=frozenset({"victime_pdap"})),
        replace(SHORT, hebergement=True, flags=frozenset({"violences_conjugales"})),
    ):
        a = assess_lsc_plein_droit(facts)
        assert a.eligibility == Eligibility.NON_APPLICABLE, facts
        assert a.reasons[0].article == "CPP art. 720 III 1°"


def test_cpp_720_iii_2_disciplinary_violence_excludes() -> None:
    a = assess_lsc_plein_droit(replace(SHORT, hebergement=True, sanction_violence=True))
    assert a.eligibility == Eligibility.NON_APPLICABLE
    assert a.reasons[0].article == "CPP art. 720 III 2°"


# --- CPP 723-1, 723-7 (semi-liberté, placement extérieur, DDSE) ----------------------------------


def test_cpp_723_1_pronounced_two_years_or_less_from_the_ecrou() -> None:
    a = assess_semi_liberte(SHORT)
    assert a.on == date(2026, 6, 1)
    assert a.eligibility == Eligibility.MAINTENANT


def test_cpp_723_7_ddse_without_housing_is_almost() -> None:
    a = assess_ddse(SHORT)
    assert a.eligibility == Eligibility.PRESQUE


def test_cpp_723_1_remaining_two_years_on_a_longer_sentence() -> None:
    facts = replace(BASE, end_exclusive=date(2029, 5, 1), lc_from=None)
    a = assess_semi_liberte(facts)
    assert a.on == date(2027, 5, 1)
    assert a.eligibility == Eligibility.SOUS_90_JOURS


def test_cpp_723_1_al_2_probation_one_year_before_the_lc_date() -> None:
    facts = replace(BASE, end_exclusive=date(2032, 1, 1), lc_from=date(2028, 4, 1))
    a = assess_semi_liberte(facts)
    assert a.on == date(2027, 4, 1)
    assert a.reasons[0].article == "CPP art. 723-1 al. 2"


def test_cpp_723_1_last_paragraph_terrorism_excludes() -> None:
    a = assess_semi_liberte(replace(SHORT, flags=frozenset({"terrorisme"})))
    assert a.eligibility == Eligibility.NON_APPLICABLE


def test_cpp_723_7_two_years_exactly_is_at_most_two_years() -> None:
    assert at_most(2, 0, 0, 2) and at_most(1, 12, 0, 2)
    assert not at_most(2, 0, 1, 2)
    assert at_most(4, 0, 0, 4) and not at_most(4, 1, 0, 4)


# --- The whole assessment -------------------------------------------------------------------------


def test_cpp_716_3_served_sentence_has_nothing_to_adjust() -> None:
    facts = replace(BASE, end_exclusive=TODAY)
    assert all(a.eligibility == Eligibility.NON_APPLICABLE for a in assess(facts))


def test_assess_lists_every_adjustment_once_in_order() -> None:
    assert [a.adjustment for a in assess(BASE)] == list(Adjustment)


def test_a_missing_document_makes_an_eligible_lc_almost() -> None:
    facts = replace(BASE, lc_from=date(2027, 3, 1), missing_documents=("pièce d'identité",))
    a = assess_lc(facts)
    assert a.eligibility == Eligibility.PRESQUE
    assert "pièce d'identité" in a.missing


# --- Marks and the CAP ---------------------------------------------------------------------------


def test_mark_ecarte_needs_a_reason_and_refusal_is_an_ecart() -> None:
    assert mark_refusal("ecarte", " ", False) is not None
    assert mark_refusal("ecarte", "Refus", True) is None
    assert mark_refusal("propose", "", True) is not None
    assert mark_refusal("rouvert", "", False) is not None
    assert mark_refusal("propose", "", False) is None


def test_cpp_721_reductions_due_after_a_year_without_decision() -> None:
    assert reduction_due(date(2026, 1, 1), None, date(2027, 1, 1))
    assert not reduction_due(date(2026, 1, 2), None, date(2027, 1, 1))
    assert not reduction_due(date(2025, 1, 1), date(2026, 6, 1), date(2027, 3, 1))
    assert reduction_due(date(2025, 1, 1), date(2026, 3, 1), date(2027, 3, 1))

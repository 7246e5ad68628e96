"""Legal deadlines of a measure, named after the article and the case
(parcours.rules.legal_deadlines)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.dates import is_working_day
from parcours.rules.legal_deadlines import (
    CONVOCATION_JAP_474,
    CONVOCATION_JAP_723_15,
    CONVOCATION_LIBERATION_SJ,
    CONVOCATION_LIBERATION_SSJ,
    CONVOCATION_SPIP_474,
    CONVOCATION_SPIP_723_15,
    CONVOCATION_SPIP_SPR,
    DECISION_AJOURNEMENT,
    DONE,
    DUE_SOON,
    EXECUTION_STAGE,
    EXECUTION_TIG,
    FIN_MESURE,
    OBLIGATIONS_RENFORCE,
    OVERDUE,
    PREMIERE_CONVOCATION,
    RAPPORT_EVALUATION_SPR,
    RAPPORT_FIN_MESURE,
    RAPPORT_SPIP_723_15_1,
    REEVALUATION_ANNUELLE,
    RULES,
    UPCOMING,
    Actions,
    LegalDeadline,
    MeasureCase,
    Procedure,
    deadline_status,
    measure_report,
)
from parcours.rules.timeline import ConvictionFacts, MeasureTimeline, Suspension

JUDGMENT = date(2026, 1, 15)
AS_OF = date(2026, 2, 1)
LEGAL_SOURCES = Path(__file__).resolve().parents[2] / "docs" / "legal-sources.md"


def case(
    measure_type: str = "sursis_probatoire",
    *,
    conviction: ConvictionFacts | None = None,
    actions: Actions | None = None,
    timeline: dict | None = None,
    **procedure,
) -> MeasureCase:
    values = {"measure_type": measure_type, "judgment": JUDGMENT}
    values.update(timeline or {})
    return MeasureCase(
        MeasureTimeline(**values),
        conviction or ConvictionFacts(),
        Procedure(**procedure),
        actions or Actions(),
    )


def deadlines(item: MeasureCase, as_of: date = AS_OF, **kwargs) -> dict[str, LegalDeadline]:
    return {d.kind: d for d in measure_report(item, as_of, **kwargs).deadlines}


def notes(item: MeasureCase, as_of: date = AS_OF) -> str:
    return " ".join(measure_report(item, as_of).notes)


class TestCPP741_1ReleaseFromAPeineMixte:
    release = date(2026, 3, 2)

    def test_cpp_741_1_8_days_when_the_offence_allows_a_ssj(self):
        item = case(conviction=ConvictionFacts(ssj_encouru=True), release_date=self.release)
        found = deadlines(item)[PREMIERE_CONVOCATION]
        assert found.due == date(2026, 3, 10)
        assert "8 jours" in found.explanation and "suivi socio-judiciaire" in found.explanation
        assert found.source == "R-CPP-741-1"

    def test_cpp_741_1_1_month_otherwise(self):
        found = deadlines(case(release_date=self.release))[PREMIERE_CONVOCATION]
        assert found.due == date(2026, 4, 2)
        assert "1 mois" in found.explanation

    def test_cpenit_r_621_2_earlier_ssj_conviction_on_the_b1_gives_8_days(self):
        item = case(conviction=ConvictionFacts(ssj_antecedent=True), release_date=self.release)
        assert deadlines(item)[PREMIERE_CONVOCATION].due == date(2026, 3, 10)

    def test_cpenit_r_621_2_renforce_gives_8_days(self):
        item = case("sursis_probatoire_renforce", release_date=self.release)
        assert deadlines(item)[PREMIERE_CONVOCATION].due == date(2026, 3, 10)

    def test_cpp_741_1_release_in_the_future_is_computed_in_advance(self):
        found = deadlines(case(release_date=self.release))[PREMIERE_CONVOCATION]
        assert found.status == UPCOMING
        assert "(date prévue)" in found.explanation

    def test_cpp_741_1_the_test_is_the_offence_not_the_measure_type(self):
        plain = deadlines(case(release_date=self.release))[PREMIERE_CONVOCATION]
        ssj = deadlines(
            case(conviction=ConvictionFacts(ssj_encouru=True), release_date=self.release)
        )[PREMIERE_CONVOCATION]
        assert plain.due != ssj.due

    def test_cpp_741_1_done_once_the_first_spip_meeting_is_held(self):
        item = case(
            release_date=self.release, actions=Actions(first_spip_meeting_on=date(2026, 3, 20))
        )
        found = deadlines(item, date(2026, 5, 1))[PREMIERE_CONVOCATION]
        assert found.status == DONE
        assert "20/03/2026" in found.explanation

    def test_cpp_741_1_a_meeting_before_the_release_does_not_count(self):
        item = case(
            release_date=self.release, actions=Actions(first_spip_meeting_on=date(2026, 2, 20))
        )
        assert deadlines(item, date(2026, 5, 1))[PREMIERE_CONVOCATION].status == OVERDUE

    def test_cpp_763_7_1_ssj_8_days_after_release(self):
        found = deadlines(case("ssj", release_date=self.release))[CONVOCATION_LIBERATION_SSJ]
        assert found.due == date(2026, 3, 10)

    def test_cpp_d147_40_2_surveillance_judiciaire_8_days_before_the_jap(self):
        item = case("surveillance_judiciaire", release_date=self.release)
        assert deadlines(item)[CONVOCATION_LIBERATION_SJ].due == date(2026, 3, 10)

    def test_cpp_741_1_does_not_apply_to_a_tig(self):
        assert PREMIERE_CONVOCATION not in deadlines(case("tig", release_date=self.release))


class TestCPP474NoticesHandedAtTheHearing:
    def test_cpp_474_firm_prison_of_6_months_jap_30_days_spip_45_days_from_the_hearing(self):
        found = deadlines(case("ddse", convict_present_at_hearing=True, prison_ferme_months=6))
        assert found[CONVOCATION_JAP_474].due == date(2026, 2, 14)
        assert found[CONVOCATION_SPIP_474].due == date(2026, 3, 1)
        assert found[CONVOCATION_SPIP_474].last_working_day == date(2026, 2, 27)
        assert "dernier jour ouvré le 27/02/2026" in found[CONVOCATION_SPIP_474].explanation

    def test_cpp_474_al_3_sursis_probatoire_spip_only(self):
        found = deadlines(case(convict_present_at_hearing=True))
        assert CONVOCATION_JAP_474 not in found
        assert found[CONVOCATION_SPIP_474].due == date(2026, 3, 1)

    def test_cpp_474_not_when_the_person_was_incarcerated(self):
        item = case(convict_present_at_hearing=True, detained_at_judgment=True)
        assert CONVOCATION_SPIP_474 not in deadlines(item)
        assert "incarcérée" in notes(item)

    def test_cpp_474_not_above_one_year_of_firm_prison(self):
        item = case("ddse", convict_present_at_hearing=True, prison_ferme_months=18)
        assert CONVOCATION_JAP_474 not in deadlines(item)
        assert "dépasse un an" in notes(item)

    def test_cpp_474_not_with_a_deferred_committal_order(self):
        item = case(
            "ddse",
            convict_present_at_hearing=True,
            prison_ferme_months=6,
            mandat_depot_differe=True,
        )
        assert CONVOCATION_JAP_474 not in deadlines(item)

    def test_cpp_474_absent_convict_gets_no_474_deadline(self):
        assert CONVOCATION_SPIP_474 not in deadlines(case())


class TestCPPD546_2RenforceConvocation:
    def test_cpp_d546_2_8_days_with_execution_provisoire(self):
        item = case(
            "sursis_probatoire_renforce",
            convict_present_at_hearing=True,
            timeline={"execution_provisoire": True},
        )
        assert deadlines(item)[CONVOCATION_SPIP_SPR].due == date(2026, 1, 23)

    def test_cpp_d546_2_between_the_10th_and_15th_day_otherwise(self):
        item = case("sursis_probatoire_renforce", convict_present_at_hearing=True)
        found = deadlines(item)[CONVOCATION_SPIP_SPR]
        assert found.due == date(2026, 1, 30)
        assert "10e" in found.explanation and "25/01/2026" in found.explanation
        assert CONVOCATION_SPIP_474 not in deadlines(item)

    def test_cpp_d546_2_absent_convict_no_figure_in_the_text(self):
        item = case("sursis_probatoire_renforce")
        assert CONVOCATION_SPIP_SPR not in deadlines(item)
        assert "D. 546-2 al. 2" in notes(item)


class TestCPP723_15FreeConvicts:
    received = date(2026, 1, 20)

    def test_cpp_723_15_jap_30_days_spip_45_days_from_the_ministere_public_information(self):
        found = deadlines(case("ddse", file_received_on=self.received, prison_ferme_months=8))
        assert found[CONVOCATION_JAP_723_15].due == date(2026, 2, 19)
        assert found[CONVOCATION_SPIP_723_15].due == date(2026, 3, 6)
        assert "ministère public" in found[CONVOCATION_JAP_723_15].explanation

    def test_cpp_723_15_not_repeated_after_the_474_notices(self):
        item = case(
            "ddse",
            file_received_on=self.received,
            prison_ferme_months=8,
            convict_present_at_hearing=True,
        )
        found = deadlines(item)
        assert CONVOCATION_JAP_723_15 not in found and CONVOCATION_JAP_474 in found
        assert "déjà été remises à l'audience" in notes(item)

    def test_cpp_723_15_1_report_2_months_from_the_referral_not_from_the_receipt(self):
        item = case("ddse", file_received_on=self.received, spip_referral_on=date(2026, 3, 2))
        found = deadlines(item)[RAPPORT_SPIP_723_15_1]
        assert found.due == date(2026, 5, 2)
        assert "saisine du SPIP par le JAP" in found.explanation

    def test_cpp_723_15_1_no_report_deadline_without_a_referral(self):
        assert RAPPORT_SPIP_723_15_1 not in deadlines(case("ddse", file_received_on=self.received))

    def test_cpp_723_15_1_report_done_once_sent(self):
        item = case(
            "ddse",
            spip_referral_on=date(2026, 3, 2),
            actions=Actions(spip_report_sent_on=date(2026, 4, 10)),
        )
        assert deadlines(item, date(2026, 6, 1))[RAPPORT_SPIP_723_15_1].status == DONE


class TestCP132_41_1AndCPP741_2Renforce:
    def test_cpp_741_2_ordinance_within_4_months_when_the_court_did_not_set_obligations(self):
        found = deadlines(case("sursis_probatoire_renforce", convict_present_at_hearing=True))
        assert found[OBLIGATIONS_RENFORCE].due == date(2026, 5, 15)
        assert found[OBLIGATIONS_RENFORCE].source == "R-CPP-741-2-ORDONNANCE"

    def test_cpp_741_2_no_ordinance_deadline_when_the_court_set_them(self):
        item = case(
            "sursis_probatoire_renforce",
            convict_present_at_hearing=True,
            court_set_obligations=True,
        )
        assert OBLIGATIONS_RENFORCE not in deadlines(item)
        assert "132-41-1 al. 3" in notes(item)

    def test_cpp_d546_4_absent_convict_counts_from_the_notification(self):
        item = case("sursis_probatoire_renforce", timeline={"notified_on": date(2026, 2, 10)})
        found = deadlines(item)
        assert found[OBLIGATIONS_RENFORCE].due == date(2026, 6, 10)
        assert found[RAPPORT_EVALUATION_SPR].due == date(2026, 5, 10)

    def test_cpp_d546_3_evaluation_report_within_3_months(self):
        item = case("sursis_probatoire_renforce", convict_present_at_hearing=True)
        assert deadlines(item)[RAPPORT_EVALUATION_SPR].due == date(2026, 4, 15)

    def test_cpp_741_2_ordinance_done_once_recorded(self):
        item = case(
            "sursis_probatoire_renforce",
            convict_present_at_hearing=True,
            actions=Actions(ordinance_on=date(2026, 4, 1)),
        )
        assert deadlines(item, date(2026, 9, 1))[OBLIGATIONS_RENFORCE].status == DONE

    def test_cpp_741_2_first_reevaluation_one_year_after_the_judgment(self):
        item = case("sursis_probatoire_renforce", convict_present_at_hearing=True)
        assert deadlines(item)[REEVALUATION_ANNUELLE].due == date(2027, 1, 15)

    def test_cpp_741_2_reevaluation_rolls_from_the_last_one_recorded(self):
        item = case(
            "sursis_probatoire_renforce",
            convict_present_at_hearing=True,
            actions=Actions(evaluations=(date(2026, 11, 3), date(2027, 10, 20))),
        )
        found = deadlines(item, date(2028, 1, 10))[REEVALUATION_ANNUELLE]
        assert found.due == date(2028, 10, 20)
        assert found.status == UPCOMING
        assert "20/10/2027" in found.explanation

    def test_cpp_741_2_no_permanent_overdue_after_a_year(self):
        """The old rule: every sursis probatoire older than a year stayed overdue forever."""
        found = deadlines(
            case(timeline={"executoire_on": JUDGMENT, "duration_months": 36}), date(2027, 6, 1)
        )
        assert REEVALUATION_ANNUELLE not in found

    def test_cpp_741_2_jap_ordered_suivi_renforce_counts_from_the_order(self):
        item = case(renforce_ordered_on=date(2026, 6, 1))
        found = deadlines(item)
        assert found[REEVALUATION_ANNUELLE].due == date(2027, 6, 1)
        assert found[RAPPORT_EVALUATION_SPR].due == date(2026, 9, 1)
        assert OBLIGATIONS_RENFORCE not in found


class TestCP131_22Tig:
    def tig(self, **kwargs) -> MeasureCase:
        timeline = {"executoire_on": date(2026, 1, 26)}
        timeline.update(kwargs.pop("timeline", {}))
        return case("tig", timeline=timeline, tig_hours=Decimal(100), **kwargs)

    def test_cp_131_22_court_set_delay_from_the_executoire_date(self):
        found = deadlines(self.tig(tig_delay_months=12))[EXECUTION_TIG]
        assert found.due == date(2027, 1, 26)
        assert "délai de 12 mois fixé par la juridiction" in found.explanation

    def test_cp_131_22_missing_delay_uses_the_legal_maximum_and_says_so(self):
        found = deadlines(self.tig())[EXECUTION_TIG]
        assert found.due == date(2027, 7, 26)
        assert "maximum légal de 18 mois" in found.explanation

    def test_cp_131_22_delay_above_18_months_is_refused(self):
        # Refused as a note (the page shows it), not computed with a delay the law forbids.
        report = measure_report(self.tig(tig_delay_months=24), AS_OF)
        assert report.planned_end.day is None
        assert "131-22" in report.planned_end.explanation
        assert not [d for d in report.deadlines if d.kind == "execution_tig"]
        assert any("131-22" in note for note in report.notes)

    def test_cp_131_22_incarceration_and_jap_suspension_push_the_due_date(self):
        item = self.tig(
            tig_delay_months=12,
            timeline={
                "person_periods": (
                    Suspension(date(2026, 3, 1), date(2026, 3, 31), "incarceration"),
                ),
                "suspensions": (
                    Suspension(date(2026, 6, 1), date(2026, 6, 11), "motif_grave", "ordonnance"),
                ),
            },
        )
        report = measure_report(item, AS_OF)
        tig = {d.kind: d for d in report.deadlines}[EXECUTION_TIG]
        assert tig.due == date(2027, 1, 26) + timedelta(days=40)
        assert report.planned_end.day == tig.due  # one TIG due date everywhere

    def test_cp_131_22_the_delay_ends_when_all_hours_are_done(self):
        item = self.tig(actions=Actions(tig_hours_done=Decimal(100)))
        assert deadlines(item, date(2028, 1, 1))[EXECUTION_TIG].status == DONE

    def test_cp_131_22_unknown_executoire_date_is_a_note(self):
        item = case("tig", tig_hours=Decimal(100))
        assert EXECUTION_TIG not in deadlines(item)
        assert "exécutoire non renseignée" in notes(item)


class TestCP131_5_1Stage:
    def test_cp_131_5_1_stage_within_6_months_of_the_final_conviction(self):
        item = case("stage", timeline={"final_on": date(2026, 2, 28)})
        found = deadlines(item)[EXECUTION_STAGE]
        assert found.due == date(2026, 8, 28)
        assert "définitive" in found.explanation

    def test_cp_131_5_1_month_end(self):
        item = case("stage", timeline={"final_on": date(2026, 8, 31)})
        assert deadlines(item)[EXECUTION_STAGE].due == date(2027, 2, 28)

    def test_cp_r_131_40_done_with_the_end_of_stage_certificate(self):
        item = case(
            "stage",
            timeline={"final_on": date(2026, 2, 28)},
            actions=Actions(stage_completed_on=date(2026, 5, 2)),
        )
        assert deadlines(item, date(2026, 12, 1))[EXECUTION_STAGE].status == DONE


class TestCP132_65Ajournement:
    def test_cp_132_65_decision_on_the_penalty_within_one_year(self):
        item = case("ajournement_probation", timeline={"duration_months": 6})
        assert deadlines(item)[DECISION_AJOURNEMENT].due == date(2027, 1, 15)


class TestEndOfMeasure:
    def probation(self, **kwargs) -> MeasureCase:
        timeline = {"executoire_on": date(2026, 1, 26), "duration_months": 12}
        timeline.update(kwargs.pop("timeline", {}))
        return case(timeline=timeline, **kwargs)

    def test_end_report_one_month_before_the_planned_end(self):
        found = deadlines(self.probation())
        assert found[FIN_MESURE].due == date(2027, 1, 25)
        assert found[RAPPORT_FIN_MESURE].due == date(2026, 12, 25)
        assert found[RAPPORT_FIN_MESURE].last_working_day == date(2026, 12, 24)

    def test_cp_132_43_incarceration_moves_the_end_and_its_report(self):
        item = self.probation(
            timeline={
                "person_periods": (
                    Suspension(date(2026, 3, 1), date(2026, 4, 10), "incarceration"),
                )
            }
        )
        found = deadlines(item)
        assert found[FIN_MESURE].due == date(2027, 3, 6)
        assert found[RAPPORT_FIN_MESURE].due == date(2027, 2, 6)

    def test_an_ended_measure_is_done_and_keeps_no_later_deadline(self):
        item = self.probation(
            timeline={"ended_on": date(2026, 6, 1), "outcome": "revocation_totale"},
            release_date=date(2026, 9, 1),
        )
        found = deadlines(item, date(2026, 7, 1))
        assert found[FIN_MESURE].status == DONE
        assert PREMIERE_CONVOCATION not in found and RAPPORT_FIN_MESURE not in found


class TestStatus:
    def test_status_boundaries(self):
        due = date(2026, 3, 10)
        assert deadline_status(due, due, date(2026, 3, 11), done=False, notice_days=7) == OVERDUE
        assert deadline_status(due, due, due, done=False, notice_days=7) == DUE_SOON
        assert deadline_status(due, due, date(2026, 3, 3), done=False, notice_days=7) == DUE_SOON
        assert deadline_status(due, due, date(2026, 3, 2), done=False, notice_days=7) == UPCOMING
        assert deadline_status(due, due, date(2027, 1, 1), done=True, notice_days=7) == DONE

    def test_overdue_says_by_how_many_days(self):
        found = deadlines(case(release_date=date(2026, 1, 2)), date(2026, 2, 3))
        assert found[PREMIERE_CONVOCATION].status == OVERDUE
        assert "Dépassée de 1 jour au 03/02/2026" in found[PREMIERE_CONVOCATION].explanation


class TestEveryRuleHasItsRow:
    def test_every_rule_cites_a_row_of_legal_sources(self):
        text = LEGAL_SOURCES.read_text(encoding="utf-8")
        rows = set(re.findall(r"\|\s*`?(R-[A-Z0-9-]+)`?\s*\|", text))
        missing = {rule.source for rule in RULES.values()} - rows
        assert not missing, f"Rows missing in docs/legal-sources.md: {sorted(missing)}"

    def test_every_rule_is_closed_by_a_recorded_action(self):
        fields = set(Actions.__dataclass_fields__) | {"ended_on"}
        assert {rule.closed_by for rule in RULES.values()} <= fields


# --- Properties -----------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
maybe_day = st.one_of(st.none(), DAYS)


@st.composite
def cases(draw) -> tuple[MeasureCase, date]:
    kind = draw(
        st.sampled_from(
            [
                "sursis_probatoire",
                "sursis_probatoire_renforce",
                "tig",
                "stage",
                "ajournement_probation",
                "ssj",
                "surveillance_judiciaire",
                "ddse",
            ]
        )
    )
    judgment = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31)))
    later = st.integers(0, 400).map(lambda n: judgment + timedelta(days=n))
    maybe_later = st.one_of(st.none(), later)
    periods = draw(
        st.lists(
            st.tuples(
                st.integers(-100, 900),
                st.integers(1, 200),
                st.sampled_from(["incarceration", "service_national", "arse", "motif_grave"]),
            ),
            max_size=3,
        )
    )
    duration = {
        "sursis_probatoire": draw(st.integers(12, 60)),
        "sursis_probatoire_renforce": draw(st.integers(12, 36)),
        "ajournement_probation": draw(st.integers(1, 12)),
    }.get(kind)
    timeline = MeasureTimeline(
        measure_type=kind,
        judgment=judgment,
        execution_provisoire=draw(st.booleans()),
        executoire_on=draw(maybe_later),
        final_on=draw(maybe_later),
        notified_on=draw(maybe_later),
        duration_months=duration,
        end=draw(maybe_later) if kind in ("ssj", "surveillance_judiciaire", "ddse") else None,
        person_periods=tuple(
            Suspension(judgment + timedelta(days=o), judgment + timedelta(days=o + n), r)
            for o, n, r in periods
        ),
    )
    procedure = Procedure(
        convict_present_at_hearing=draw(st.booleans()),
        prison_ferme_months=draw(st.one_of(st.none(), st.integers(1, 24))),
        release_date=draw(maybe_later),
        file_received_on=draw(maybe_later),
        spip_referral_on=draw(maybe_later),
        court_set_obligations=draw(st.booleans()),
        renforce_ordered_on=draw(maybe_later) if kind == "sursis_probatoire" else None,
        tig_delay_months=draw(st.one_of(st.none(), st.integers(1, 18))),
        tig_hours=Decimal(draw(st.integers(20, 400))),
    )
    conviction = ConvictionFacts(ssj_encouru=draw(st.booleans()))
    as_of = judgment + timedelta(days=draw(st.integers(0, 2500)))
    return MeasureCase(timeline, conviction, procedure, Actions()), as_of


def record(item: MeasureCase, kind: str, on: date) -> MeasureCase:
    """The action the deadline of `kind` asks for, recorded on `on`."""
    field = RULES[kind].closed_by
    actions = item.actions
    if field == "ended_on":
        return replace(item, timeline=replace(item.timeline, ended_on=on))
    if field == "evaluations":
        return replace(item, actions=replace(actions, evaluations=(*actions.evaluations, on)))
    if field == "tig_hours_done":
        hours = item.procedure.tig_hours or Decimal(0)
        return replace(item, actions=replace(actions, tig_hours_done=hours))
    return replace(item, actions=replace(actions, **{field: on}))


class TestProperties:
    @given(cases())
    def test_no_deadline_stays_overdue_after_the_action_it_asks_for_is_recorded(self, drawn):
        item, as_of = drawn
        for found in measure_report(item, as_of).deadlines:
            if found.status != OVERDUE:
                continue
            after = deadlines(record(item, found.kind, as_of), as_of)
            if found.kind in after:
                assert after[found.kind].status != OVERDUE, found.kind

    @given(cases(), st.sampled_from([None, "57", "971", "974"]))
    def test_last_working_day_is_on_or_before_the_due_date_and_a_working_day(
        self, drawn, subdivision
    ):
        item, as_of = drawn
        for found in measure_report(item, as_of, subdivision=subdivision).deadlines:
            assert found.last_working_day <= found.due
            assert is_working_day(found.last_working_day, subdivision)
            assert found.article in found.explanation
            assert found.source.startswith("R-")

    @given(cases())
    def test_every_deadline_is_on_or_after_its_starting_event(self, drawn):
        item, as_of = drawn
        for found in measure_report(item, as_of).deadlines:
            if found.kind != RAPPORT_FIN_MESURE:
                assert found.due >= item.timeline.judgment

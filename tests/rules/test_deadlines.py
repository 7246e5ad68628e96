"""Legal deadlines (domain.md §7), named after the article and case."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import deadlines as module
from parcours.rules.deadlines import (
    A_VENIR,
    CONVOCATION_JAP_723_15,
    CONVOCATION_SPIP_723_15,
    DEADLINE_RULES,
    DEPASSEE,
    EXECUTION_STAGE,
    EXECUTION_TIG,
    FIN_MESURE,
    IMMINENTE,
    OBLIGATIONS_RENFORCE,
    PREMIERE_CONVOCATION,
    PREMIERE_CONVOCATION_SSJ,
    RAPPORT_SPIP_723_15_1,
    REEVALUATION_ANNUELLE,
    Deadline,
    DeadlineRule,
    MeasureFacts,
    alerts,
    deadline,
    delay_label,
    first_convocation_after_release,
    measure_deadlines,
    measure_end,
    procedure_723_15,
    renforce_obligations,
    stage_completion,
    tig_completion,
    urgency,
    yearly_reassessment,
)


class TestCPP741_1FirstConvocation:
    def test_741_1_first_convocation_within_8_days_when_ssj_eligible(self):
        item = first_convocation_after_release(date(2026, 3, 2), ssj_eligible=True)
        assert item.kind == PREMIERE_CONVOCATION_SSJ
        assert item.due == date(2026, 3, 10)
        assert item.article == "CPP art. 741-1"
        assert "8 jours" in item.explanation
        assert "10/03/2026" in item.explanation

    def test_741_1_first_convocation_within_1_month_otherwise(self):
        item = first_convocation_after_release(date(2026, 3, 2), ssj_eligible=False)
        assert item.kind == PREMIERE_CONVOCATION
        assert item.due == date(2026, 4, 2)
        assert "1 mois" in item.explanation
        assert "CPP art. 741-1" in item.explanation

    def test_741_1_release_on_31_january_plus_1_month(self):
        assert first_convocation_after_release(date(2025, 1, 31), ssj_eligible=False).due == date(
            2025, 2, 28
        )

    def test_741_1_release_on_31_january_leap_year(self):
        assert first_convocation_after_release(date(2024, 1, 31), ssj_eligible=False).due == date(
            2024, 2, 29
        )

    def test_741_1_8_days_across_month_and_year_end(self):
        assert first_convocation_after_release(date(2025, 12, 28), ssj_eligible=True).due == date(
            2026, 1, 5
        )

    def test_741_1_8_days_across_leap_day(self):
        assert first_convocation_after_release(date(2028, 2, 25), ssj_eligible=True).due == date(
            2028, 3, 4
        )


class TestCPP723_15FreeConvicts:
    def test_723_15_jap_30_days_spip_45_days(self):
        jap, spip, _report = procedure_723_15(date(2026, 1, 10))
        assert (jap.kind, jap.due, jap.article) == (
            CONVOCATION_JAP_723_15,
            date(2026, 2, 9),
            "CPP art. 723-15",
        )
        assert (spip.kind, spip.due, spip.article) == (
            CONVOCATION_SPIP_723_15,
            date(2026, 2, 24),
            "CPP art. 723-15",
        )
        assert "réception du dossier" in spip.explanation

    def test_723_15_1_spip_report_within_2_months(self):
        report = procedure_723_15(date(2026, 1, 10))[2]
        assert report.kind == RAPPORT_SPIP_723_15_1
        assert report.due == date(2026, 3, 10)
        assert report.article == "CPP art. 723-15-1"

    def test_723_15_1_report_from_30_december_clamps_to_february_end(self):
        assert procedure_723_15(date(2025, 12, 30))[2].due == date(2026, 2, 28)
        assert procedure_723_15(date(2027, 12, 30))[2].due == date(2028, 2, 29)

    def test_723_15_30_days_in_a_leap_february(self):
        assert procedure_723_15(date(2024, 2, 1))[0].due == date(2024, 3, 2)
        assert procedure_723_15(date(2025, 2, 1))[0].due == date(2025, 3, 3)


class TestCP132_41_1Renforce:
    def test_132_41_1_renforce_obligations_within_4_months(self):
        item = renforce_obligations(date(2026, 3, 15))
        assert item.kind == OBLIGATIONS_RENFORCE
        assert item.due == date(2026, 7, 15)
        assert item.article == "CP art. 132-41-1"
        assert "4 mois" in item.explanation
        assert "du jugement" in item.explanation

    def test_132_41_1_judgment_on_31_october_clamps_to_28_february(self):
        assert renforce_obligations(date(2026, 10, 31)).due == date(2027, 2, 28)
        assert renforce_obligations(date(2027, 10, 31)).due == date(2028, 2, 29)


class TestCPP741_2YearlyReassessment:
    def test_741_2_yearly_reassessment(self):
        item = yearly_reassessment(date(2025, 5, 1), date(2026, 2, 10))
        assert item.kind == REEVALUATION_ANNUELLE
        assert item.due == date(2027, 2, 10)
        assert item.article == "CPP art. 741-2"

    def test_741_2_without_assessment_counts_from_measure_start(self):
        assert yearly_reassessment(date(2025, 5, 1)).due == date(2026, 5, 1)

    def test_741_2_assessment_on_29_february_falls_on_28_february(self):
        assert yearly_reassessment(date(2023, 1, 1), date(2024, 2, 29)).due == date(2025, 2, 28)


class TestCP131_22TigAndStages:
    def test_131_22_tig_18_months(self):
        item = tig_completion(date(2026, 1, 15))
        assert item.kind == EXECUTION_TIG
        assert item.due == date(2027, 7, 15)
        assert item.article == "CP art. 131-22"
        assert "18 mois" in item.explanation

    def test_131_22_tig_from_31_august_clamps_to_february_end(self):
        assert tig_completion(date(2025, 8, 31)).due == date(2027, 2, 28)
        assert tig_completion(date(2026, 8, 31)).due == date(2028, 2, 29)

    def test_131_22_tig_shorter_delay_set_by_court(self):
        assert tig_completion(date(2026, 1, 15), months=12).due == date(2027, 1, 15)

    def test_131_22_tig_delay_over_18_months_is_refused(self):
        with pytest.raises(ValueError, match="18 mois"):
            tig_completion(date(2026, 1, 15), months=24)

    def test_131_22_tig_suspension_pushes_deadline_back(self):
        item = tig_completion(date(2026, 1, 15), suspended_days=10)
        assert item.due == date(2027, 7, 25)
        assert "suspension" in item.explanation

    def test_131_5_1_stage_within_6_months(self):
        item = stage_completion(date(2026, 8, 31))
        assert item.kind == EXECUTION_STAGE
        assert item.due == date(2027, 2, 28)
        assert item.article == "CP art. 131-5-1"

    def test_131_5_1_stage_delay_over_6_months_is_refused(self):
        with pytest.raises(ValueError, match=r"CP art\. 131-5-1"):
            stage_completion(date(2026, 1, 1), months=7)


class TestMeasureEnd:
    def test_measure_end_on_its_end_date_with_30_days_notice(self):
        item = measure_end(date(2026, 12, 31))
        assert item.kind == FIN_MESURE
        assert item.due == date(2026, 12, 31)
        assert item.notice_days == 30
        assert urgency(item, date(2026, 12, 1)) == (IMMINENTE, 30)
        assert urgency(item, date(2026, 11, 30)) == (A_VENIR, 31)

    def test_measure_end_notice_is_a_parameter(self):
        item = measure_end(date(2026, 12, 31), notice_days=60)
        assert urgency(item, date(2026, 11, 1)) == (IMMINENTE, 60)


class TestRulesAreData:
    def test_every_kind_has_an_article_entry_except_measure_end(self):
        for kind, rule in DEADLINE_RULES.items():
            assert rule.label
            if kind != FIN_MESURE:
                assert rule.article.startswith(("CP art. ", "CPP art. "))

    def test_renumbering_an_article_is_a_one_line_change(self, monkeypatch):
        renumbered = DeadlineRule(
            "Première convocation", "CPP art. L.999-1", "de la libération", 0, 8
        )
        monkeypatch.setitem(DEADLINE_RULES, PREMIERE_CONVOCATION_SSJ, renumbered)
        item = first_convocation_after_release(date(2026, 3, 2), ssj_eligible=True)
        assert item.article == "CPP art. L.999-1"
        assert "CPP art. L.999-1" in item.explanation

    def test_delays_are_data_too(self, monkeypatch):
        rule = DEADLINE_RULES[CONVOCATION_SPIP_723_15]
        monkeypatch.setitem(
            DEADLINE_RULES,
            CONVOCATION_SPIP_723_15,
            DeadlineRule(rule.label, rule.article, rule.from_event, days=60),
        )
        assert procedure_723_15(date(2026, 1, 1))[1].due == date(2026, 3, 2)

    def test_no_article_literal_outside_the_rules_table(self):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        table = next(
            node
            for node in tree.body
            if isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "DEADLINE_RULES"
        )
        in_table = {id(node) for node in ast.walk(table)}
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        scattered = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "art. " in node.value
            and id(node) not in in_table | docstrings
        ]
        assert scattered == []

    def test_delay_label(self):
        assert delay_label(1, 0) == "1 mois"
        assert delay_label(0, 1) == "1 jour"
        assert delay_label(0, 45) == "45 jours"
        assert delay_label(2, 3) == "2 mois et 3 jours"

    def test_negative_delay_is_refused(self):
        with pytest.raises(ValueError):
            deadline(PREMIERE_CONVOCATION, date(2026, 1, 1), days=-1)


class TestMeasureDeadlines:
    def test_sursis_probatoire_renforce_after_release(self):
        facts = MeasureFacts(
            type_code="sursis_probatoire_renforce",
            start=date(2026, 1, 10),
            end=date(2028, 1, 10),
            judgment=date(2026, 1, 5),
            release=date(2026, 1, 10),
            ssj_eligible=True,
        )
        kinds = [item.kind for item in measure_deadlines(facts)]
        assert kinds == [
            PREMIERE_CONVOCATION_SSJ,
            OBLIGATIONS_RENFORCE,
            REEVALUATION_ANNUELLE,
            FIN_MESURE,
        ]

    def test_tig_measure_uses_enforceable_date_and_court_delay(self):
        facts = MeasureFacts(
            type_code="tig", start=date(2026, 2, 1), enforceable_from=date(2026, 1, 20)
        )
        (item,) = measure_deadlines(facts)
        assert (item.kind, item.due) == (EXECUTION_TIG, date(2027, 7, 20))
        facts = MeasureFacts(type_code="tig", start=date(2026, 2, 1), completion_months=6)
        assert measure_deadlines(facts)[0].due == date(2026, 8, 1)

    def test_stage_measure(self):
        (item,) = measure_deadlines(MeasureFacts(type_code="stage", start=date(2026, 2, 1)))
        assert (item.kind, item.due) == (EXECUTION_STAGE, date(2026, 8, 1))

    def test_723_15_file(self):
        facts = MeasureFacts(type_code="suivi_milieu_ferme", file_received_723_15=date(2026, 1, 10))
        assert [item.kind for item in measure_deadlines(facts)] == [
            CONVOCATION_JAP_723_15,
            CONVOCATION_SPIP_723_15,
            RAPPORT_SPIP_723_15_1,
        ]

    def test_measure_without_known_dates_has_no_deadline(self):
        assert measure_deadlines(MeasureFacts(type_code="ddse")) == []

    def test_plain_sursis_probatoire_has_no_4_month_deadline(self):
        facts = MeasureFacts(
            type_code="sursis_probatoire", start=date(2026, 1, 1), judgment=date(2026, 1, 1)
        )
        assert [item.kind for item in measure_deadlines(facts)] == [REEVALUATION_ANNUELLE]


def make(label: str, due: date, notice: int | None = None) -> Deadline:
    return Deadline("test", label, due, "CPP art. 0", f"{label}.", notice)


class TestAlerts:
    today = date(2026, 6, 15)

    def test_urgency_levels(self):
        assert urgency(make("a", date(2026, 6, 14)), self.today) == (DEPASSEE, 1)
        assert urgency(make("b", date(2026, 6, 15)), self.today) == (IMMINENTE, 0)
        assert urgency(make("c", date(2026, 6, 22)), self.today) == (IMMINENTE, 7)
        assert urgency(make("d", date(2026, 6, 23)), self.today) == (A_VENIR, 8)

    def test_imminence_window_is_a_parameter(self):
        assert urgency(make("d", date(2026, 6, 23)), self.today, imminent_days=10)[0] == IMMINENTE

    def test_alerts_sorted_overdue_first_by_days_overdue_then_by_due_date(self):
        items = [
            make("soon", date(2026, 6, 20)),
            make("later", date(2026, 9, 1)),
            make("overdue 2 days", date(2026, 6, 13)),
            make("today", date(2026, 6, 15)),
            make("overdue 30 days", date(2026, 5, 16)),
        ]
        found = alerts(items, self.today)
        assert [a.deadline.label for a in found] == [
            "overdue 30 days",
            "overdue 2 days",
            "today",
            "soon",
            "later",
        ]
        assert [a.urgency for a in found] == [DEPASSEE, DEPASSEE, IMMINENTE, IMMINENTE, A_VENIR]
        assert found[0].days == 30

    def test_alert_messages_in_french(self):
        found = alerts(
            [make("Rapport", date(2026, 6, 14)), make("Convocation", date(2026, 6, 16))],
            self.today,
        )
        assert found[0].message == (
            "Rapport : échéance dépassée de 1 jour (le 14/06/2026) (CPP art. 0)."
        )
        assert found[1].message == "Convocation : échéance dans 1 jour, le 16/06/2026 (CPP art. 0)."
        today_alert = alerts([make("Visite", self.today)], self.today)[0]
        assert "aujourd'hui" in today_alert.message

    def test_horizon_leaves_out_far_deadlines_but_keeps_overdue(self):
        items = [make("far", date(2027, 1, 1)), make("old", date(2025, 1, 1))]
        found = alerts(items, self.today, horizon_days=60)
        assert [a.deadline.label for a in found] == ["old"]

    def test_measure_end_imminent_30_days_before(self):
        found = alerts([measure_end(date(2026, 7, 10))], self.today)
        assert found[0].urgency == IMMINENTE

    def test_no_deadline_no_alert(self):
        assert alerts([], self.today) == []

    @given(
        st.lists(st.integers(-400, 400), max_size=12),
        st.integers(0, 30),
    )
    def test_alert_order_property(self, offsets, imminent_days):
        items = [make(f"d{i}", self.today + timedelta(days=o)) for i, o in enumerate(offsets)]
        found = alerts(items, self.today, imminent_days=imminent_days)
        assert len(found) == len(items)
        levels = [a.urgency for a in found]
        overdue = [a for a in found if a.urgency == DEPASSEE]
        rest = [a for a in found if a.urgency != DEPASSEE]
        assert levels[: len(overdue)] == [DEPASSEE] * len(overdue)
        assert [a.days for a in overdue] == sorted((a.days for a in overdue), reverse=True)
        assert [a.deadline.due for a in rest] == sorted(a.deadline.due for a in rest)
        for alert in found:
            if alert.urgency == DEPASSEE:
                assert alert.deadline.due < self.today
            elif alert.urgency == IMMINENTE:
                assert 0 <= alert.days <= imminent_days
            else:
                assert alert.days > imminent_days

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    def test_every_deadline_is_after_its_starting_event(self, start):
        for item in [
            first_convocation_after_release(start, ssj_eligible=True),
            first_convocation_after_release(start, ssj_eligible=False),
            *procedure_723_15(start),
            renforce_obligations(start),
            yearly_reassessment(start),
            tig_completion(start),
            stage_completion(start),
        ]:
            assert item.due > start
            assert item.article in item.explanation

"""Ledgers: victim compensation (CP art. 132-45 5°) and TIG hours (CP art. 131-8, 131-22)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.ledgers import (
    TIG_CONTRAVENTION_5,
    TIG_DELIT,
    Installment,
    Payment,
    WorkSession,
    compensation_problems,
    compensation_status,
    format_euros,
    format_hours,
    tig_hours_problem,
    tig_progress,
    work_sessions_problems,
)
from parcours.rules.legal_deadlines import EXECUTION_TIG as TIG_KIND
from parcours.rules.legal_deadlines import MeasureCase, Procedure, measure_report
from parcours.rules.timeline import MeasureTimeline, Suspension

D = Decimal
NBSP = "\u00a0"
SCHEDULE = [
    Installment(date(2026, 1, 31), D("100.00")),
    Installment(date(2026, 2, 28), D("100.00")),
    Installment(date(2026, 3, 31), D("100.00")),
]


class TestCP132_45_5VictimCompensation:
    def test_132_45_5_nothing_paid_before_first_installment(self):
        status = compensation_status(D("300"), SCHEDULE, [], date(2026, 1, 15))
        assert status.paid_total == 0
        assert status.balance == D("300")
        assert status.arrears == 0
        assert status.next_installment == Installment(date(2026, 1, 31), D("100.00"))
        assert not status.fully_paid
        assert "CP art. 132-45 5°" in status.explanation
        assert "Aucun arriéré" in status.explanation

    def test_132_45_5_installment_due_today_is_not_yet_arrears(self):
        status = compensation_status(D("300"), SCHEDULE, [], date(2026, 1, 31))
        assert status.arrears == 0
        assert status.next_installment == Installment(date(2026, 1, 31), D("100.00"))

    def test_132_45_5_arrears_from_the_day_after_due_date(self):
        status = compensation_status(D("300"), SCHEDULE, [], date(2026, 2, 1))
        assert status.due_to_date == D("100.00")
        assert status.arrears == D("100.00")
        assert status.next_installment == Installment(date(2026, 2, 28), D("100.00"))
        assert f"Arriéré : 100,00{NBSP}€" in status.explanation

    def test_132_45_5_partial_payments_reduce_arrears(self):
        payments = [Payment(date(2026, 2, 5), D("60.50"))]
        status = compensation_status(D("300"), SCHEDULE, payments, date(2026, 3, 10))
        assert status.paid_total == D("60.50")
        assert status.balance == D("239.50")
        assert status.arrears == D("139.50")

    def test_132_45_5_payment_in_advance_settles_next_installment(self):
        payments = [Payment(date(2026, 1, 20), D("150.00"))]
        status = compensation_status(D("300"), SCHEDULE, payments, date(2026, 2, 10))
        assert status.arrears == 0
        assert status.next_installment == Installment(date(2026, 2, 28), D("50.00"))
        assert f"Prochaine échéance : 50,00{NBSP}€ le 28/02/2026" in status.explanation

    def test_132_45_5_payments_after_the_date_are_not_counted(self):
        payments = [Payment(date(2026, 3, 1), D("100.00"))]
        status = compensation_status(D("300"), SCHEDULE, payments, date(2026, 2, 15))
        assert status.paid_total == 0

    def test_132_45_5_fully_paid(self):
        payments = [Payment(date(2026, 1, 30), D("200.00")), Payment(date(2026, 3, 2), D("100"))]
        status = compensation_status(D("300"), SCHEDULE, payments, date(2026, 3, 5))
        assert status.fully_paid
        assert status.balance == 0
        assert status.next_installment is None
        assert "entièrement réglé" in status.explanation

    def test_132_45_5_unscheduled_remainder_is_reported(self):
        status = compensation_status(D("500"), SCHEDULE, [], date(2026, 1, 1))
        assert status.scheduled_total == D("300")
        assert f"200,00{NBSP}€ ne sont pas encore échéancés" in status.explanation

    def test_132_45_5_overpayment_is_flagged_not_negative(self):
        payments = [Payment(date(2026, 1, 5), D("350"))]
        status = compensation_status(D("300"), SCHEDULE, payments, date(2026, 1, 10))
        assert status.balance == 0
        assert status.overpaid == D("50")
        assert "Trop-versé" in status.explanation
        assert any("paiements" in p for p in compensation_problems(D("300"), SCHEDULE, payments))

    def test_132_45_5_schedule_beyond_amount_ordered_is_refused(self):
        problems = compensation_problems(D("250"), SCHEDULE)
        assert problems == [
            f"L'échéancier (300,00{NBSP}€) dépasse le montant ordonné (250,00{NBSP}€)."
        ]
        with pytest.raises(ValueError, match="échéancier"):
            compensation_status(D("250"), SCHEDULE, [], date(2026, 1, 1))

    @pytest.mark.parametrize("amount", [D("0"), D("-10"), D("10.001"), D("NaN")])
    def test_132_45_5_amounts_positive_in_cents(self, amount):
        assert compensation_problems(amount, []) != []
        assert compensation_problems(D("300"), [Installment(date(2026, 1, 1), amount)]) != []
        assert compensation_problems(D("300"), [], [Payment(date(2026, 1, 1), amount)]) != []

    def test_132_45_5_valid_ledger_has_no_problem(self):
        assert compensation_problems(D("300"), SCHEDULE, [Payment(date(2026, 1, 1), D("1"))]) == []

    def test_format_euros_french(self):
        assert format_euros(D("1234.5")) == f"1{NBSP}234,50{NBSP}€"
        assert format_euros(D("0")) == f"0,00{NBSP}€"

    @given(
        st.lists(st.tuples(st.integers(0, 365), st.integers(1, 50_000)), min_size=1, max_size=8),
        st.lists(st.tuples(st.integers(0, 365), st.integers(1, 50_000)), max_size=8),
        st.integers(0, 400),
    )
    def test_132_45_5_ledger_invariants(self, installments, payments, offset):
        base = date(2026, 1, 1)
        schedule = [Installment(base + timedelta(days=d), D(c) / 100) for d, c in installments]
        paid = [Payment(base + timedelta(days=d), D(c) / 100) for d, c in payments]
        ordered = sum((i.amount for i in schedule), D(0)) + D("10.00")
        on = base + timedelta(days=offset)
        status = compensation_status(ordered, schedule, paid, on)
        assert status.balance >= 0 and status.arrears >= 0
        assert status.arrears <= status.due_to_date
        assert status.paid_total + status.balance - status.overpaid == ordered
        assert status.fully_paid == (status.balance == 0)
        if status.next_installment is not None:
            assert status.next_installment.due >= on
            assert status.next_installment.amount > 0
        if status.arrears > 0:  # paying the arrears clears them
            settle = Payment(on, status.arrears)
            assert compensation_status(ordered, schedule, [*paid, settle], on).arrears == 0


class TestCP131_8TigHours:
    def test_131_8_delit_20_to_400_hours(self):
        assert tig_hours_problem(20, TIG_DELIT) is None
        assert tig_hours_problem(400, TIG_DELIT) is None
        assert "CP art. 131-8" in (tig_hours_problem(401, TIG_DELIT) or "")
        assert "de 20 à 400 heures" in (tig_hours_problem(19, TIG_DELIT) or "")

    def test_131_8_contravention_5e_classe_20_to_120_hours(self):
        assert tig_hours_problem(120, TIG_CONTRAVENTION_5) is None
        assert "de 20 à 120 heures" in (tig_hours_problem(121, TIG_CONTRAVENTION_5) or "")

    def test_131_8_missing_hours_is_refused(self):
        assert tig_hours_problem(None) is not None

    def test_131_8_unknown_offence_kind_is_a_programming_error(self):
        with pytest.raises(ValueError):
            tig_hours_problem(50, "crime")

    def test_work_sessions_positive_and_at_most_24_hours_a_day(self):
        assert work_sessions_problems([WorkSession(date(2026, 1, 5), D("0"))])
        day = date(2026, 1, 5)
        sessions = [WorkSession(day, D("20")), WorkSession(day, D("5"))]
        assert work_sessions_problems(sessions) == ["Plus de 24 heures déclarées le 05/01/2026."]
        assert work_sessions_problems([WorkSession(day, D("7.5"))]) == []

    def test_format_hours_french(self):
        assert format_hours(D("12")) == f"12{NBSP}h"
        assert format_hours(D("12.50")) == f"12,5{NBSP}h"


def weekly(start: date, weeks: int, hours: str = "7") -> list[WorkSession]:
    return [WorkSession(start + timedelta(weeks=n), D(hours)) for n in range(weeks)]


DUE = date(2027, 7, 1)  # 18 months after 01/01/2026 (legal_deadlines computes it: its tests)


class TestCP131_22TigProgress:
    start = date(2026, 1, 1)

    def test_131_22_register_shows_the_due_date_it_is_given(self):
        progress = tig_progress(100, [], self.start, self.start, due=DUE)
        assert progress.deadline == DUE
        assert "CP art. 131-22" in progress.explanation
        assert "01/07/2027" in progress.explanation

    def test_131_22_register_shows_the_computation_of_the_timeline(self):
        words = "Délai d'exécution : au plus tard le 01/07/2027 (délai de 18 mois…)."
        progress = tig_progress(100, [], self.start, self.start, due=DUE, due_explanation=words)
        assert words in progress.explanation

    def test_131_22_hours_done_and_remaining(self):
        sessions = weekly(self.start, 4)
        progress = tig_progress(100, sessions, self.start, date(2026, 2, 1), due=DUE)
        assert progress.hours_done == D("28")
        assert progress.remaining == D("72")
        assert not progress.completed

    def test_131_22_sessions_after_today_are_not_counted(self):
        sessions = weekly(self.start, 10)
        progress = tig_progress(100, sessions, self.start, date(2026, 1, 10), due=DUE)
        assert progress.hours_done == D("14")

    def test_131_22_required_pace_in_hours_per_week(self):
        # 70 hours left, 10 weeks (70 days) to go, today and deadline included.
        today = date(2027, 7, 1) - timedelta(days=69)
        sessions = weekly(self.start, 3, "10")
        progress = tig_progress(100, sessions, self.start, today, due=DUE)
        assert progress.required_pace == D("7.0")

    def test_131_22_observed_pace_over_last_8_weeks(self):
        sessions = [*weekly(self.start, 4, "10"), *weekly(date(2026, 3, 2), 8, "3.5")]
        progress = tig_progress(200, sessions, self.start, date(2026, 4, 26), due=DUE)
        assert progress.observed_pace == D("3.5")

    def test_131_22_observed_pace_window_is_a_parameter(self):
        sessions = [*weekly(self.start, 4, "10"), *weekly(date(2026, 3, 2), 8, "3.5")]
        progress = tig_progress(200, sessions, self.start, date(2026, 4, 26), pace_weeks=4, due=DUE)
        assert progress.observed_pace == D("3.5")
        assert "4 dernières semaines" in progress.explanation

    def test_131_22_good_pace_no_alert(self):
        sessions = weekly(self.start, 10)
        progress = tig_progress(120, sessions, self.start, date(2026, 3, 9), due=DUE)
        assert progress.alerts == ()
        assert progress.projected_completion is not None
        assert progress.projected_completion <= progress.deadline

    def test_131_22_slow_pace_alert(self):
        sessions = weekly(self.start, 12, "1")
        progress = tig_progress(200, sessions, self.start, date(2026, 3, 20), due=DUE)
        assert progress.projected_completion is not None
        assert progress.projected_completion > progress.deadline
        assert len(progress.alerts) == 1
        alert = progress.alerts[0]
        assert "Le rythme actuel ne permet pas de finir à temps" in alert
        assert "CP art. 131-22" in alert
        assert "01/07/2027" in alert

    def test_131_22_no_hours_at_all_after_8_weeks_alerts(self):
        progress = tig_progress(100, [], self.start, date(2026, 3, 1), due=DUE)
        assert progress.projected_completion is None
        assert "rythme actuel ne permet pas de finir à temps" in progress.alerts[0]

    def test_131_22_no_pace_alert_in_first_8_weeks(self):
        progress = tig_progress(100, [], self.start, date(2026, 2, 1), due=DUE)
        assert progress.alerts == ()
        assert "pas d'alerte sur le rythme" in progress.explanation

    def test_131_22_deadline_passed_with_hours_left_alerts(self):
        sessions = weekly(self.start, 5)
        progress = tig_progress(100, sessions, self.start, date(2027, 7, 2), due=DUE)
        assert progress.required_pace is None
        assert len(progress.alerts) == 1
        assert "Délai d'exécution dépassé (CP art. 131-22)" in progress.alerts[0]
        assert f"il reste 65{NBSP}h" in progress.alerts[0]

    def test_131_22_deadline_day_itself_is_not_passed(self):
        progress = tig_progress(100, [], self.start, date(2027, 7, 1), due=DUE)
        assert not any("dépassé" in alert for alert in progress.alerts)
        assert progress.required_pace == D("700.0")

    def test_131_22_completed_tig_no_alert_even_after_deadline(self):
        sessions = weekly(self.start, 15)
        progress = tig_progress(100, sessions, self.start, date(2028, 1, 1), due=DUE)
        assert progress.completed
        assert progress.remaining == 0
        assert progress.alerts == ()
        assert progress.projected_completion == self.start + timedelta(weeks=14)
        assert "entièrement effectuées" in progress.explanation

    def test_131_22_not_yet_enforceable(self):
        progress = tig_progress(100, [], self.start, date(2025, 12, 1), due=DUE)
        assert progress.alerts == ()
        assert "à compter du 01/01/2026" in progress.explanation

    def test_131_22_invalid_inputs_are_refused(self):
        with pytest.raises(ValueError):
            tig_progress(0, [], self.start, self.start, due=DUE)
        with pytest.raises(ValueError):
            tig_progress(100, [WorkSession(self.start, D("-1"))], self.start, self.start, due=DUE)
        with pytest.raises(ValueError):
            tig_progress(100, [], self.start, self.start, pace_weeks=0, due=DUE)

    @given(
        st.integers(20, 400),
        st.dictionaries(st.integers(0, 700), st.integers(1, 16), max_size=30),
        st.integers(-30, 700),
    )
    def test_131_22_progress_invariants(self, ordered, raw_sessions, offset):
        sessions = [
            WorkSession(self.start + timedelta(days=d), D(h) / 2) for d, h in raw_sessions.items()
        ]
        today = self.start + timedelta(days=offset)
        progress = tig_progress(ordered, sessions, self.start, today, due=DUE)
        assert progress.remaining >= 0
        assert progress.completed == (progress.remaining == 0)
        assert progress.remaining == max(D(ordered) - progress.hours_done, 0)
        assert progress.observed_pace >= 0
        if progress.completed:
            assert progress.alerts == ()
        if today > progress.deadline and not progress.completed:
            assert any("dépassé" in alert for alert in progress.alerts)
        if progress.required_pace is not None:
            assert progress.required_pace >= 0


def test_cp_131_22_register_takes_the_one_tig_due_date_of_the_timeline():
    """Issue 13: the register shows the due date of legal_deadlines (suspensions included)."""
    timeline = MeasureTimeline(
        "tig",
        date(2026, 1, 15),
        executoire_on=date(2026, 1, 26),
        person_periods=(Suspension(date(2026, 3, 1), date(2026, 3, 31), "incarceration"),),
    )
    report = measure_report(
        MeasureCase(timeline, procedure=Procedure(tig_delay_months=12)), date(2026, 4, 1)
    )
    due = next(d.due for d in report.deadlines if d.kind == TIG_KIND)
    progress = tig_progress(100, [], date(2026, 1, 26), date(2026, 4, 1), due=due)
    assert progress.deadline == due == date(2027, 2, 25)

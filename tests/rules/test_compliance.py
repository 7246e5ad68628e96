"""Obligation compliance (CP art. 132-44 2°, 132-45), named after the article and case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.compliance import (
    A_JOUR,
    EN_RETARD,
    JUSTIFICATIF_ATTENDU,
    MANQUEMENT,
    PROOF_ACCEPTED,
    PROOF_PENDING,
    PROOF_REFUSED,
    SANS_JUSTIFICATIF,
    STATE_ORDER,
    STATUS_LABELS,
    STATUS_ORDER,
    ComplianceResult,
    ComplianceState,
    ObligationTerms,
    Period,
    Proof,
    applies_during_incarceration,
    covers,
    evaluate,
    evaluate_obligation,
    measure_status,
    obligation_periods,
    person_status,
    status_rank,
    terms_problem,
    worst_status,
)
from parcours.rules.dates import Span

TODAY = date(2026, 6, 15)
# CP art. 132-45 3°: medical care, proven by a monthly attestation de soins.
SOINS = ObligationTerms(start=date(2026, 1, 1), cadence_months=1)  # grace 15, breach 30, window 7


def accepted(received: date, start: date | None = None, end: date | None = None) -> Proof:
    return Proof(received, PROOF_ACCEPTED, start, end)


def pending(received: date, start: date | None = None, end: date | None = None) -> Proof:
    return Proof(received, PROOF_PENDING, start, end)


def january_to(month: int) -> list[Proof]:
    """Accepted monthly attestations for January..month 2026, each handed in on the 25th."""
    return [accepted(date(2026, m, 25)) for m in range(1, month + 1)]


class TestCP132_45_3MedicalCare:
    def test_132_45_3_monthly_care_attestation_up_to_date(self):
        result = evaluate(SOINS, january_to(3), date(2026, 4, 10))
        assert result.status == A_JOUR
        assert result.next_due_date == date(2026, 4, 30)
        assert result.overdue_since is None
        assert result.uncovered_periods == ()
        assert "À jour" in result.explanation
        assert "30/04/2026" in result.explanation

    def test_132_45_3_current_month_already_proven_is_up_to_date_in_window(self):
        result = evaluate(SOINS, january_to(3), date(2026, 3, 28))
        assert result.status == A_JOUR
        assert result.next_due_date == date(2026, 4, 30)

    def test_132_45_3_attestation_expected_in_last_7_days_before_due_date(self):
        proofs = january_to(2)
        assert evaluate(SOINS, proofs, date(2026, 3, 23)).status == A_JOUR
        result = evaluate(SOINS, proofs, date(2026, 3, 24))
        assert result.status == JUSTIFICATIF_ATTENDU
        assert result.next_due_date == date(2026, 3, 31)
        assert "au plus tard le 31/03/2026" in result.explanation

    def test_132_45_3_due_date_itself_is_not_late(self):
        result = evaluate(SOINS, january_to(2), date(2026, 3, 31))
        assert result.status == JUSTIFICATIF_ATTENDU
        assert result.uncovered_periods == ()

    def test_132_45_3_within_15_days_grace_still_expected(self):
        result = evaluate(SOINS, january_to(2), date(2026, 4, 15))
        assert result.status == JUSTIFICATIF_ATTENDU
        assert result.overdue_since == date(2026, 4, 1)
        assert result.uncovered_periods == (
            Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31)),
        )
        assert "délai de tolérance de 15 jours" in result.explanation

    def test_132_45_3_late_after_grace(self):
        result = evaluate(SOINS, january_to(2), date(2026, 4, 16))
        assert result.status == EN_RETARD
        assert "dépassée de 16 jours" in result.explanation
        assert "du 01/03/2026 au 31/03/2026" in result.explanation

    def test_132_45_3_breach_30_days_after_due_date(self):
        assert evaluate(SOINS, january_to(2), date(2026, 4, 30)).status == EN_RETARD
        result = evaluate(SOINS, january_to(2), date(2026, 5, 1))
        assert result.status == MANQUEMENT
        assert "seuil de manquement : 30 jours" in result.explanation

    def test_132_45_3_refused_attestation_does_not_count(self):
        proofs = [*january_to(2), Proof(date(2026, 3, 25), PROOF_REFUSED)]
        assert evaluate(SOINS, proofs, date(2026, 4, 20)).status == EN_RETARD

    def test_132_45_3_late_attestation_counts_with_its_coverage_period(self):
        late = accepted(date(2026, 4, 20), date(2026, 3, 1), date(2026, 3, 31))
        assert evaluate(SOINS, [*january_to(2), late], date(2026, 4, 22)).status == A_JOUR

    def test_132_45_3_late_attestation_without_coverage_counts_for_month_received(self):
        late = accepted(date(2026, 4, 20))  # covers April, March still missing
        result = evaluate(SOINS, [*january_to(2), late], date(2026, 4, 25))
        assert result.status == EN_RETARD

    def test_132_45_3_one_attestation_covering_a_quarter(self):
        quarter = accepted(date(2026, 1, 5), date(2026, 1, 1), date(2026, 3, 31))
        result = evaluate(SOINS, [quarter], date(2026, 3, 28))
        assert result.status == A_JOUR
        assert result.next_due_date == date(2026, 4, 30)

    def test_132_45_3_proof_dated_after_today_is_ignored(self):
        future = accepted(date(2026, 4, 20), date(2026, 3, 1), date(2026, 3, 31))
        assert evaluate(SOINS, [*january_to(2), future], date(2026, 4, 17)).status == EN_RETARD

    def test_132_45_3_several_missing_months_are_listed_oldest_first(self):
        result = evaluate(SOINS, [], date(2026, 3, 20))
        assert result.status == MANQUEMENT
        assert [p.start for p in result.uncovered_periods] == [date(2026, 1, 1), date(2026, 2, 1)]
        assert result.overdue_since == date(2026, 2, 1)
        assert "2 périodes échues" in result.explanation
        assert "du 01/01/2026 au 31/01/2026" in result.explanation


class TestPendingProof:
    def test_pending_proof_moves_late_back_to_expected(self):
        proofs = [*january_to(2), pending(date(2026, 4, 20), date(2026, 3, 1), date(2026, 3, 31))]
        result = evaluate(SOINS, proofs, date(2026, 4, 25))
        assert result.status == JUSTIFICATIF_ATTENDU
        assert result.awaiting_review == (
            Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31)),
        )
        assert result.overdue_since is None
        assert "en attente de validation" in result.explanation
        assert "20/04/2026" in result.explanation

    def test_pending_proof_received_before_breach_threshold_holds_off_breach(self):
        march = pending(date(2026, 4, 20), date(2026, 3, 1), date(2026, 3, 31))
        proofs = [*january_to(2), march, accepted(date(2026, 4, 25))]
        result = evaluate(SOINS, proofs, date(2026, 5, 20))  # March due 50 days ago
        assert result.status == JUSTIFICATIF_ATTENDU
        assert "en attente de validation" in result.explanation

    def test_pending_proof_received_after_breach_threshold_keeps_breach(self):
        proofs = [*january_to(2), pending(date(2026, 5, 5), date(2026, 3, 1), date(2026, 3, 31))]
        assert evaluate(SOINS, proofs, date(2026, 5, 6)).status == MANQUEMENT

    def test_pending_proof_is_not_accepted_coverage(self):
        proofs = [*january_to(2), pending(date(2026, 3, 25))]
        result = evaluate(SOINS, proofs, date(2026, 4, 2))
        assert result.status == JUSTIFICATIF_ATTENDU
        assert len(result.uncovered_periods) == 1
        assert result.next_due_date == date(2026, 4, 30)

    def test_accepting_the_pending_proof_brings_back_up_to_date(self):
        proofs = [*january_to(2), accepted(date(2026, 4, 20), date(2026, 3, 1), date(2026, 3, 31))]
        assert evaluate(SOINS, proofs, date(2026, 4, 22)).status == A_JOUR


class TestRecordedBreach:
    def test_recorded_breach_forces_manquement(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        result = evaluate(terms, january_to(2), date(2026, 3, 12))
        assert result.status == MANQUEMENT
        assert result.breach_active
        assert "Manquement constaté le 10/03/2026" in result.explanation

    def test_recorded_breach_ignored_before_its_date(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        assert evaluate(terms, january_to(2), date(2026, 3, 9)).status == A_JOUR

    def test_recorded_breach_not_lifted_by_earlier_proof(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        early_march = accepted(date(2026, 3, 2))
        assert evaluate(terms, [*january_to(2), early_march], date(2026, 3, 12)).status == (
            MANQUEMENT
        )

    def test_recorded_breach_lifted_by_later_accepted_proof_for_the_period(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        result = evaluate(terms, [*january_to(2), accepted(date(2026, 3, 20))], date(2026, 3, 25))
        assert result.status == A_JOUR
        assert not result.breach_active
        assert "a été levé" in result.explanation

    def test_recorded_breach_lifted_by_proof_for_a_later_period(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        april = accepted(date(2026, 4, 5))  # March itself never proven
        result = evaluate(terms, [*january_to(2), april], date(2026, 4, 10))
        assert not result.breach_active
        assert result.status == JUSTIFICATIF_ATTENDU  # March: within grace on its own

    def test_recorded_breach_not_lifted_by_pending_proof(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 3, 10)
        )
        proofs = [*january_to(2), pending(date(2026, 3, 20))]
        assert evaluate(terms, proofs, date(2026, 3, 25)).status == MANQUEMENT


class TestPeriodsAndCadence:
    def test_periods_cut_in_calendar_months_from_31_january(self):
        terms = ObligationTerms(start=date(2025, 1, 31), cadence_months=1)
        assert [(p.start, p.end) for p in obligation_periods(terms, date(2025, 4, 30))] == [
            (date(2025, 1, 31), date(2025, 2, 27)),
            (date(2025, 2, 28), date(2025, 3, 30)),
            (date(2025, 3, 31), date(2025, 4, 29)),
            (date(2025, 4, 30), date(2025, 5, 30)),
        ]

    def test_periods_in_leap_year_february(self):
        terms = ObligationTerms(start=date(2024, 1, 31), cadence_months=1)
        assert obligation_periods(terms, date(2024, 2, 1))[0].end == date(2024, 2, 28)
        assert obligation_periods(terms, date(2024, 3, 1))[1].start == date(2024, 2, 29)

    def test_periods_in_days(self):
        terms = ObligationTerms(start=date(2026, 1, 1), cadence_days=14)
        periods = obligation_periods(terms, date(2026, 1, 20))
        assert [(p.start, p.due) for p in periods] == [
            (date(2026, 1, 1), date(2026, 1, 14)),
            (date(2026, 1, 15), date(2026, 1, 28)),
        ]

    def test_quarterly_cadence(self):
        terms = ObligationTerms(start=date(2026, 1, 1), cadence_months=3)
        assert obligation_periods(terms, date(2026, 4, 1))[1] == Period(
            date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 30)
        )

    def test_last_period_is_cut_at_end_date(self):
        terms = ObligationTerms(start=date(2026, 1, 1), end=date(2026, 3, 15), cadence_months=1)
        periods = obligation_periods(terms, date(2027, 1, 1))
        assert len(periods) == 3
        assert periods[-1] == Period(date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 15))

    def test_coverage_overlap_or_reception_within_period(self):
        march = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31))
        assert covers(accepted(date(2026, 3, 31)), march)
        assert not covers(accepted(date(2026, 4, 1)), march)
        assert covers(accepted(date(2026, 5, 1), date(2026, 3, 31), date(2026, 4, 30)), march)
        assert not covers(accepted(date(2026, 5, 1), date(2026, 4, 1), date(2026, 4, 30)), march)


class TestStartAndEnd:
    def test_obligation_not_started_is_up_to_date_without_due_date(self):
        result = evaluate(SOINS, [], date(2025, 12, 31))
        assert result.status == A_JOUR
        assert result.next_due_date is None
        assert "commence le 01/01/2026" in result.explanation

    def test_ended_obligation_fully_proven_is_up_to_date(self):
        terms = ObligationTerms(start=date(2026, 1, 1), end=date(2026, 3, 31), cadence_months=1)
        result = evaluate(terms, january_to(3), date(2026, 9, 1))
        assert result.status == A_JOUR
        assert result.next_due_date is None
        assert "fin de l'obligation" in result.explanation

    def test_ended_obligation_has_no_period_after_its_end(self):
        terms = ObligationTerms(start=date(2026, 1, 1), end=date(2026, 3, 31), cadence_months=1)
        result = evaluate(terms, january_to(3), date(2027, 1, 1))
        assert result.uncovered_periods == ()

    def test_ended_obligation_missing_last_proof_keeps_ageing(self):
        terms = ObligationTerms(start=date(2026, 1, 1), end=date(2026, 3, 31), cadence_months=1)
        assert evaluate(terms, january_to(2), date(2026, 4, 10)).status == JUSTIFICATIF_ATTENDU
        assert evaluate(terms, january_to(2), date(2026, 6, 1)).status == MANQUEMENT


class TestOneOffProof:
    # e.g. CP art. 132-45 1°: proof of enrolment in a training course, once.
    terms = ObligationTerms(start=date(2026, 1, 10))  # due 30 days after start

    def test_one_off_proof_due_30_days_after_start(self):
        result = evaluate(self.terms, [], date(2026, 1, 20))
        assert result.status == A_JOUR
        assert result.next_due_date == date(2026, 2, 9)
        assert evaluate(self.terms, [], date(2026, 2, 2)).status == JUSTIFICATIF_ATTENDU

    def test_one_off_proof_late_then_breach(self):
        assert evaluate(self.terms, [], date(2026, 2, 25)).status == EN_RETARD
        result = evaluate(self.terms, [], date(2026, 3, 12))
        assert result.status == MANQUEMENT
        assert "à compter du 10/01/2026" in result.explanation

    def test_one_off_proof_received_late_still_counts(self):
        result = evaluate(self.terms, [accepted(date(2026, 3, 20))], date(2026, 4, 1))
        assert result.status == A_JOUR
        assert result.next_due_date is None

    def test_one_off_due_date_capped_at_end(self):
        terms = ObligationTerms(start=date(2026, 1, 10), end=date(2026, 1, 20))
        assert obligation_periods(terms, date(2026, 6, 1))[0].due == date(2026, 1, 20)


class TestTermsValidation:
    def test_end_before_start_is_refused(self):
        with pytest.raises(ValueError, match="fin de l'obligation"):
            ObligationTerms(start=date(2026, 1, 2), end=date(2026, 1, 1))

    def test_cadence_in_months_and_days_is_refused(self):
        assert "pas les deux" in (
            terms_problem(start=date(2026, 1, 1), cadence_months=1, cadence_days=30) or ""
        )

    def test_zero_cadence_is_refused(self):
        assert terms_problem(start=date(2026, 1, 1), cadence_days=0) is not None

    def test_breach_threshold_below_grace_is_refused(self):
        assert "seuil de manquement" in (
            terms_problem(start=date(2026, 1, 1), grace_days=20, breach_after_days=10) or ""
        )

    def test_consistent_terms_are_accepted(self):
        assert terms_problem(start=date(2026, 1, 1), cadence_months=1) is None

    def test_proof_with_half_coverage_is_refused(self):
        with pytest.raises(ValueError, match="période couverte"):
            Proof(date(2026, 1, 1), PROOF_ACCEPTED, date(2026, 1, 1), None)

    def test_proof_with_unknown_status_is_refused(self):
        with pytest.raises(ValueError):
            Proof(date(2026, 1, 1), "valide")


class TestRollUps:
    def test_worst_status_order(self):
        assert worst_status([A_JOUR, MANQUEMENT, EN_RETARD]) == MANQUEMENT
        assert worst_status([A_JOUR, JUSTIFICATIF_ATTENDU]) == JUSTIFICATIF_ATTENDU
        assert worst_status([EN_RETARD, JUSTIFICATIF_ATTENDU]) == EN_RETARD

    def test_measure_without_obligation_is_up_to_date(self):
        assert measure_status([]) == A_JOUR

    def test_measure_takes_worst_obligation(self):
        results = [evaluate(SOINS, january_to(3), date(2026, 4, 10)), evaluate(SOINS, [], TODAY)]
        assert measure_status(results) == MANQUEMENT

    def test_person_without_measure_has_no_status(self):
        assert person_status([]) is None

    def test_person_takes_worst_measure(self):
        assert person_status([A_JOUR, EN_RETARD, JUSTIFICATIF_ATTENDU]) == EN_RETARD

    def test_unknown_status_is_refused(self):
        with pytest.raises(ValueError):
            worst_status(["inconnu"])


# --- Properties -------------------------------------------------------------------------------

BASE = date(2025, 6, 1)
DAY_RANGE = 500


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


@st.composite
def obligation_terms(draw: st.DrawFn) -> ObligationTerms:
    start = day(draw(st.integers(0, 200)))
    end = draw(st.one_of(st.none(), st.integers(0, 300).map(lambda n: start + timedelta(days=n))))
    cadence = draw(
        st.one_of(
            st.tuples(st.integers(1, 3), st.none()),
            st.tuples(st.none(), st.integers(7, 45)),
            st.just((None, None)),
        )
    )
    grace = draw(st.integers(0, 20))
    breach = grace + draw(st.integers(0, 40))
    breach_on = draw(st.one_of(st.none(), st.integers(0, DAY_RANGE).map(day)))
    return ObligationTerms(
        start=start,
        end=end,
        cadence_months=cadence[0],
        cadence_days=cadence[1],
        grace_days=grace,
        breach_after_days=breach,
        window_days=draw(st.integers(0, 15)),
        one_off_due_days=draw(st.integers(0, 45)),
        breach_recorded_on=breach_on,
    )


@st.composite
def proofs(draw: st.DrawFn, status: str | None = None, max_day: int = DAY_RANGE) -> Proof:
    received = day(draw(st.integers(0, max_day)))
    coverage = draw(
        st.one_of(
            st.none(),
            st.tuples(st.integers(0, DAY_RANGE), st.integers(0, 90)),
        )
    )
    start, end = (None, None) if coverage is None else (day(coverage[0]), day(sum(coverage)))
    return Proof(
        received,
        status or draw(st.sampled_from([PROOF_ACCEPTED, PROOF_REFUSED, PROOF_PENDING])),
        start,
        end,
    )


def rank(result: ComplianceResult) -> int:
    return status_rank(result.status)


class TestComplianceProperties:
    @given(obligation_terms(), st.lists(proofs(), max_size=6), st.integers(0, DAY_RANGE))
    def test_never_both_late_and_up_to_date(self, terms, proof_list, offset):
        result = evaluate(terms, proof_list, day(offset))
        assert result.status in STATUS_ORDER
        if result.status == A_JOUR:
            assert result.uncovered_periods == ()
            assert result.overdue_since is None
            assert not result.breach_active
        if result.status == EN_RETARD:
            assert result.overdue_since is not None
        if result.status in (EN_RETARD, MANQUEMENT):
            assert result.uncovered_periods or result.breach_active
        assert result.explanation

    @given(
        obligation_terms(),
        st.data(),
        st.integers(0, DAY_RANGE),
        st.integers(0, 200),
    )
    def test_status_monotonic_in_time_without_new_proofs(self, terms, data, offset, advance):
        earlier = day(offset)
        later = earlier + timedelta(days=advance)
        known = data.draw(st.lists(proofs(max_day=offset), max_size=6))
        assert all(proof.received <= earlier for proof in known)
        assert rank(evaluate(terms, known, later)) >= rank(evaluate(terms, known, earlier))

    @given(
        obligation_terms(),
        st.lists(proofs(), max_size=6),
        proofs(status=PROOF_ACCEPTED),
        st.integers(0, DAY_RANGE),
    )
    def test_adding_an_accepted_proof_never_makes_status_worse(
        self, terms, proof_list, extra, offset
    ):
        today = day(offset)
        before = evaluate(terms, proof_list, today)
        after = evaluate(terms, [*proof_list, extra], today)
        assert rank(after) <= rank(before)

    @given(obligation_terms(), st.lists(proofs(), max_size=6), st.integers(0, DAY_RANGE))
    def test_status_never_better_than_evidence_allows(self, terms, proof_list, offset):
        today = day(offset)
        result = evaluate(terms, proof_list, today)
        known = [p for p in proof_list if p.received <= today]
        for period in obligation_periods(terms, today):
            proven = any(covers(p, period) for p in known if p.status == PROOF_ACCEPTED)
            waiting = any(covers(p, period) for p in known if p.status == PROOF_PENDING)
            if proven or waiting:
                continue
            if period.due + timedelta(days=terms.grace_days) < today:
                assert rank(result) >= status_rank(EN_RETARD)
            if period.due + timedelta(days=terms.breach_after_days) < today:
                assert result.status == MANQUEMENT
            if period.due < today:
                assert period in result.uncovered_periods
                assert rank(result) >= status_rank(JUSTIFICATIF_ATTENDU)

    @given(obligation_terms(), st.lists(proofs(), max_size=6), st.integers(0, DAY_RANGE))
    def test_next_due_date_is_today_or_later(self, terms, proof_list, offset):
        today = day(offset)
        result = evaluate(terms, proof_list, today)
        if result.next_due_date is not None:
            assert result.next_due_date >= today
        if today < terms.start:
            assert result.status == A_JOUR
            assert result.next_due_date is None


def test_132_44_1_missed_convocation_recorded_as_manquement_shows_for_90_days() -> None:
    """CP 132-44 1° (answer the convocations) has no proof cadence: only a recorded manquement
    gives it a status, for DEFAULT_CONDUCT_MEMORY_DAYS after the latest one."""
    from parcours.rules.compliance import DEFAULT_CONDUCT_MEMORY_DAYS, MANQUEMENT, conduct_status

    missed = date(2026, 11, 2)
    assert conduct_status(None, date(2026, 11, 27)) is None
    result = conduct_status(missed, date(2026, 11, 27))
    assert result is not None and result.status == MANQUEMENT
    assert "2 novembre 2026" in result.explanation or "02/11/2026" in result.explanation
    last_day = missed + timedelta(days=DEFAULT_CONDUCT_MEMORY_DAYS)
    assert conduct_status(missed, last_day) is not None
    assert conduct_status(missed, last_day + timedelta(days=1)) is None
    assert conduct_status(date(2026, 12, 1), date(2026, 11, 27)) is None  # not yet known


# --- Issue 13: "justificatif manquant", and incarceration (CP art. 132-43 al. 2) -------------


class TestJustificatifManquant:
    def test_a_proof_36_days_late_is_justificatif_manquant_not_manquement(self):
        result = evaluate_obligation(SOINS, january_to(3), date(2026, 6, 5))
        assert result.status == SANS_JUSTIFICATIF
        assert STATUS_LABELS[result.status] == "Justificatif manquant"
        assert result.explanation.startswith("Justificatif manquant")
        assert "pas un manquement constaté" in result.explanation

    def test_legacy_evaluate_still_says_manquement_for_the_apps(self):
        assert evaluate(SOINS, january_to(3), date(2026, 6, 5)).status == MANQUEMENT

    def test_a_recorded_breach_is_a_manquement_in_both_vocabularies(self):
        terms = ObligationTerms(
            start=date(2026, 1, 1), cadence_months=1, breach_recorded_on=date(2026, 4, 2)
        )
        assert evaluate_obligation(terms, january_to(3), date(2026, 4, 10)).status == MANQUEMENT
        assert evaluate(terms, january_to(3), date(2026, 4, 10)).status == MANQUEMENT

    def test_the_new_order_puts_justificatif_manquant_below_a_recorded_manquement(self):
        assert tuple(ComplianceState) == STATE_ORDER
        assert status_rank(EN_RETARD) < status_rank(SANS_JUSTIFICATIF) < status_rank(MANQUEMENT)
        assert worst_status([SANS_JUSTIFICATIF, EN_RETARD]) == SANS_JUSTIFICATIF

    @given(st.integers(0, 200))
    def test_both_vocabularies_agree_except_for_the_automatic_status(self, offset):
        today = date(2026, 1, 1) + timedelta(days=offset)
        old = evaluate(SOINS, january_to(2), today)
        new = evaluate_obligation(SOINS, january_to(2), today)
        expected = MANQUEMENT if new.status == SANS_JUSTIFICATIF else new.status
        assert old.status == expected
        assert old.next_due_date == new.next_due_date


class TestCP132_43ObligationsStopDuringIncarceration:
    jail = Span(date(2026, 3, 10), date(2026, 5, 20))

    def test_cp_132_43_proofs_due_during_incarceration_are_not_owed(self):
        terms = ObligationTerms(start=date(2026, 1, 1), cadence_months=1, suspended=(self.jail,))
        result = evaluate_obligation(terms, january_to(2), date(2026, 5, 15))
        assert result.status == A_JOUR
        assert "suspendue" in result.explanation and "132-43" in result.explanation
        assert result.next_due_date == date(2026, 5, 31)

    def test_cp_132_43_the_proof_due_after_release_is_owed_again(self):
        terms = ObligationTerms(start=date(2026, 1, 1), cadence_months=1, suspended=(self.jail,))
        result = evaluate_obligation(terms, january_to(2), date(2026, 7, 10))
        assert result.status == SANS_JUSTIFICATIF  # May (due 31/05, after release) is missing
        assert [p.due for p in result.uncovered_periods] == [date(2026, 5, 31), date(2026, 6, 30)]

    def test_cp_132_43_contact_and_appearing_bans_keep_applying(self):
        assert applies_during_incarceration("cp_132_45_13")
        assert applies_during_incarceration("cp_132_45_9")
        assert applies_during_incarceration("cp_132_45_18_bis")
        assert not applies_during_incarceration("cp_132_45_3")
        assert not applies_during_incarceration("cp_132_44_1")


class TestCP132_43IncarcerationSpansOfThePerson:
    """evaluate_obligation(incarcerations=…, obligation_code=…): the person's incarcerations
    suspend the obligation unless it is a ban on contact or on appearing (CP 132-43 al. 2)."""

    # February's attestation (due 28/02) is missing; custody from 05/03 to 01/06 (first day out).
    custody = (Span(date(2026, 3, 5), date(2026, 6, 1)),)

    def evaluate(self, today: date, code: str = "cp_132_45_3") -> str:
        return evaluate_obligation(
            SOINS,
            january_to(1),
            today,
            incarcerations=self.custody,
            obligation_code=code,
        ).status

    def test_cp_132_43_care_obligation_owes_no_proof_due_in_custody(self):
        result = evaluate_obligation(
            SOINS,
            january_to(2),
            date(2026, 5, 15),
            incarcerations=self.custody,
            obligation_code="cp_132_45_3",
        )
        assert result.status == A_JOUR  # March, April, May due in custody: not owed
        assert "132-43" in result.explanation
        assert result.next_due_date == date(2026, 6, 30)  # June, the first due after release

    def test_cp_132_43_a_missing_proof_does_not_age_in_custody(self):
        # 4 days late on 04/03, then custody: still 4 days late on 15/05 (within the grace).
        assert self.evaluate(date(2026, 5, 15)) == JUSTIFICATIF_ATTENDU
        # Without custody the same proof would be 76 days late.
        assert evaluate_obligation(SOINS, january_to(1), date(2026, 5, 15)).status == (
            SANS_JUSTIFICATIF
        )
        # It ages again from release: 4 + 14 = 18 days late on 14/06, 4 + 27 = 31 on 27/06.
        assert self.evaluate(date(2026, 6, 14)) == EN_RETARD
        assert self.evaluate(date(2026, 6, 26)) == EN_RETARD
        assert self.evaluate(date(2026, 6, 28)) == SANS_JUSTIFICATIF

    def test_cp_132_43_no_contact_ban_keeps_applying_in_custody(self):
        assert self.evaluate(date(2026, 5, 15), code="cp_132_45_13") == SANS_JUSTIFICATIF
        assert self.evaluate(date(2026, 5, 15), code="cp_132_45_18_bis") == SANS_JUSTIFICATIF

    def test_cp_132_43_an_ongoing_incarceration_suspends_until_release(self):
        ongoing = (Span(date(2026, 3, 5)),)
        result = evaluate_obligation(
            SOINS,
            january_to(2),
            date(2026, 12, 1),
            incarcerations=ongoing,
            obligation_code="cp_132_45_1",
        )
        assert result.status == A_JOUR
        assert result.next_due_date is None  # nothing is owed while it lasts
        assert "suspendue depuis le 05/03/2026" in result.explanation

    @given(st.integers(1, 400), st.integers(0, 300))
    def test_cp_132_43_custody_never_makes_the_status_worse(self, length, offset):
        custody = (Span(date(2026, 2, 1), date(2026, 2, 1) + timedelta(days=length)),)
        today = date(2026, 1, 1) + timedelta(days=offset)
        free = evaluate_obligation(SOINS, january_to(1), today)
        held = evaluate_obligation(
            SOINS, january_to(1), today, incarcerations=custody, obligation_code="cp_132_45_3"
        )
        assert status_rank(held.status) <= status_rank(free.status)

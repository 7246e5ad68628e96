"""Query budgets: list and detail pages run a fixed number of queries, whatever the row count."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.audit.services import extra_queries
from parcours.obligations.models import Obligation
from parcours.rules.vocabulary import ComplianceState

from .factories import MeasureFactory, PersonFactory, measure_type
from .helpers import count_queries

pytestmark = pytest.mark.django_db


def add_people(cast, count: int, referent=None):
    for _ in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=referent or cast.cpip)
        MeasureFactory(person=person)
        MeasureFactory(person=person, measure_type=measure_type("tig"))


# Caseload page: session, user (+ organisation + SPIP), count, page of people (values, referent
# and antenna joined), their current measures (values, measure types joined). The filter choices
# (measure types, antennas, CPIPs: three queries) come from the cache after the warm-up request
# (people.selectors.filter_choices; the cold page: test_caseload_filters.py).
# The release countdown (people.selectors.upcoming_releases): one more query when the page shows
# someone ever detained (Person.ever_detained), none otherwise.
CASELOAD_QUERIES = 5


def test_caseload_queries_do_not_grow_with_rows(cast, clients):
    url = reverse("people:caseload")
    add_people(cast, 2)
    few, _ = count_queries(clients["cpip"], url)
    add_people(cast, 20)
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == CASELOAD_QUERIES, "\n".join(q[:120] for q in sql)


def test_service_caseload_queries_do_not_grow_with_rows(cast, clients):
    url = reverse("people:caseload")
    add_people(cast, 2, referent=cast.cpip2)
    few, _ = count_queries(clients["dpip"], url)
    add_people(cast, 20, referent=cast.cpip2)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql
    assert many == CASELOAD_QUERIES, "\n".join(q[:120] for q in sql)


# Person file, one tab at a time (people.panels.person_file, docs/adr/0018): each tab pays the
# door (session, user (+ organisation + SPIP), person (+ SPIP, antenna, referent)) and the journal
# (its insert, and the chain's last hash read: audit.services.extra_queries), then its own panels.
FILE_QUERIES = 4 + extra_queries()
JOURNAL_QUERIES = extra_queries()
# Synthèse: identity (addresses), alerts, measures (+ type, tribunal) and their obligations
# (prefetch, type joined), appointments (from a year ago onwards, type and place joined, with the
# last five before it in a subquery: agenda.panels).
# The justificatifs add one prefetch when obligations exist.
# The situation pénale (the latest écrou, establishment and computed situation joined) is read
# only for a person ever detained (Person.ever_detained): one more query, shared with the
# Détention tab's panels (ECROU_QUERIES).
AGENDA_PANEL_QUERIES = 1
ECROU_QUERIES = 1
# The current measures' expected ends, as the calendar computes them (measures.selectors.
# expected_ends: the measures' timeline fields, the incarceration periods, the suspensions).
EXPECTED_END_QUERIES = 3
SYNTHESE_QUERIES = FILE_QUERIES + 1 + 1 + 2 + AGENDA_PANEL_QUERIES + EXPECTED_END_QUERIES
# Suivi de la mesure: the calendar (measures/panels.py: the measures (+ type) and their
# suspensions (prefetch), the incarceration periods, and the cases of the legal rules
# (measures.selectors.read_cases: measures, incarcerations, suspensions, evaluations, reports
# transmitted, JAP hearings held, first SPIP meeting held after each measure's origin, TIG
# hours)); the registres (the person's measures and obligations as on the Synthèse, the TIG
# ledgers, the compensation ledgers (+ installments and payments, prefetched, when there is one));
# manquements (+ measure); the referents' history (assignments + CPIP); the changes of SPIP
# (handovers/panels.py: SPIPs and authors joined). The TIG ledgers add one prefetch of their
# sessions when a ledger exists.
CALENDAR_PANEL_QUERIES = 3 + 8
HANDOVER_PANEL_QUERIES = 1
SUIVI_QUERIES = FILE_QUERIES + CALENDAR_PANEL_QUERIES + 2 + 1 + 1 + 1 + 1 + HANDOVER_PANEL_QUERIES
# Notes et rapports: the last notes (author joined), the reports the user may see.
ECRITS_QUERIES = FILE_QUERIES + 1 + 1
# Échanges: the last messages, the received SMS ("SMS reçus", notifications/panels.py), the
# remote check-ins (checkins/panels.py: the last check-ins and the plans).
# The person's space (space/panels.py): the space account (+ who changed it) and the last
# notices (+ author).
INBOUND_PANEL_QUERIES = 1
CHECKINS_PANEL_QUERIES = 2
SPACE_PANEL_QUERIES = 2
ECHANGES_QUERIES = (
    FILE_QUERIES + 1 + INBOUND_PANEL_QUERIES + CHECKINS_PANEL_QUERIES + SPACE_PANEL_QUERIES
)
# Accompagnement: the last assessments (assessments/panels.py: measure and type joined), the plan
# (plans/panels.py: the person's current plans (in force, in
# preparation); with a plan in force, its goals and their steps: two more), the referrals
# ("Orientations", partners/panels.py: partner joined).
PLAN_PANEL_QUERIES = 1
PARTNERS_PANEL_QUERIES = 1
ASSESSMENTS_PANEL_QUERIES = 1
ACCOMPAGNEMENT_QUERIES = (
    FILE_QUERIES + PLAN_PANEL_QUERIES + PARTNERS_PANEL_QUERIES + ASSESSMENTS_PANEL_QUERIES
)
# Détention: nothing for a person never detained; else the latest écrou (read once for the
# detention and release panels), then five lists, and the release plan for an open écrou.
DETENTION_QUERIES = FILE_QUERIES
TAB_QUERIES = {
    "synthese": SYNTHESE_QUERIES,
    "suivi": SUIVI_QUERIES,
    "ecrits": ECRITS_QUERIES,
    "echanges": ECHANGES_QUERIES,
    "accompagnement": ACCOMPAGNEMENT_QUERIES,
    "detention": DETENTION_QUERIES,
}


def tab_url(person, slug: str) -> str:
    if slug == "synthese":
        return reverse("people:detail", args=[person.public_id])
    return reverse("people:tab", args=[person.public_id, slug])


@pytest.mark.parametrize("slug", sorted(TAB_QUERIES))
def test_each_tab_of_the_person_file_runs_its_own_panels_queries(cast, clients, slug):
    url = tab_url(cast.person, slug)
    count_queries(clients["cpip"], url)  # warm-up: the panels' registry, caches
    count, sql = count_queries(clients["cpip"], url)
    assert count == TAB_QUERIES[slug], "\n".join(q[:120] for q in sql)


@pytest.mark.parametrize("slug", ["synthese", "suivi"])
def test_person_file_queries_do_not_grow_with_measures_and_history(cast, clients, slug):
    url = tab_url(cast.person, slug)
    few, _ = count_queries(clients["cpip"], url)
    for _ in range(10):
        MeasureFactory(person=cast.person, measure_type=measure_type("stage"))
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == TAB_QUERIES[slug], "\n".join(q[:120] for q in sql)


def test_a_person_without_current_measure_pays_no_obligation_or_end_query(cast, clients):
    from parcours.measures.models import Measure

    url = tab_url(cast.person, "synthese")
    current, sql = count_queries(clients["cpip"], url)
    assert any("obligations_obligation" in q for q in sql)
    Measure.objects.filter(person=cast.person).update(status="terminee")
    ended, sql = count_queries(clients["cpip"], url)
    assert not any("obligations_obligation" in q for q in sql)
    # Nor the expected ends of current measures (three queries).
    assert ended == current - 1 - EXPECTED_END_QUERIES, "\n".join(q[:120] for q in sql)


def test_only_a_person_once_detained_pays_the_ecrou_query(cast, clients):
    from parcours.people.models import Person

    from .detention.factories import first_ecrou

    url = tab_url(cast.person, "synthese")
    never, sql = count_queries(clients["cpip"], url)
    assert never == SYNTHESE_QUERIES
    assert not any("detention_ecrou" in q for q in sql)
    ecrou = first_ecrou(cast.person)  # Ecrou.save flags the person
    assert Person.objects.get(pk=cast.person.pk).ever_detained
    once, sql = count_queries(clients["cpip"], url)
    assert once == never + ECROU_QUERIES, "\n".join(q[:120] for q in sql)
    assert 'id="situation-penale"' in clients["cpip"].get(url).content.decode()
    assert ecrou.released_on is None


def test_team_view_queries_do_not_grow_with_cpips_or_people(cast, clients):
    url = reverse("people:team")
    add_people(cast, 3)
    few, _ = count_queries(clients["dpip"], url)
    add_people(cast, 15, referent=cast.cpip2)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql


def test_journal_queries_do_not_grow_with_events(cast, clients):
    url = reverse("audit:journal")
    person_url = reverse("people:detail", args=[cast.person.public_id])
    clients["cpip"].get(person_url)
    few, _ = count_queries(clients["dpip"], url)
    for _ in range(15):
        clients["cpip"].get(person_url)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql


def test_person_file_queries_do_not_grow_with_obligations_and_proofs(
    cast, clients, settings, tmp_path
):
    from .obligations.factories import make_obligation, make_proof

    settings.MEDIA_ROOT = tmp_path / "private"
    url = tab_url(cast.person, "synthese")
    make_proof(make_obligation(cast.person))
    few, _ = count_queries(clients["cpip"], url)
    second = MeasureFactory(person=cast.person, measure_type=measure_type("tig"))
    for code in ("cp_132_45_3", "cp_132_45_9", "cp_132_45_1", "cp_132_45_21"):
        obligation = make_obligation(cast.person, code=code)
        for _ in range(3):
            make_proof(obligation)
        other = make_obligation(cast.person, code=code, measure=second)
        make_proof(other, kind="papier", stored_path="", decision_reason="Illisible")
    # Every column the template reads is loaded (the panel reads only some: obligations.panels).
    Obligation.objects.filter(measure=second).update(
        compliance_status=ComplianceState.EN_RETARD,
        compliance_next_due=date(2026, 12, 1),
        compliance_explanation="Justificatif attendu depuis le 1er décembre.",
    )
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    # The justificatifs: one prefetch once obligations exist.
    assert many == SYNTHESE_QUERIES + 1, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_breaches(cast, clients):
    from parcours.breaches.models import Breach

    url = tab_url(cast.person, "suivi")
    few, _ = count_queries(clients["cpip"], url)
    measure = cast.person.measures.order_by("pk").first()
    for day in range(1, 8):
        Breach.objects.create(
            person=cast.person,
            measure=measure,
            kind="absence",
            occurred_on=f"2026-10-{day:02d}",
            facts="Absent à la convocation.",
            proposed_step="rappel",
            chosen_step="rappel",
        )
    many, sql = count_queries(clients["cpip"], url)
    assert few == many == SUIVI_QUERIES, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_tig_sessions(cast, clients):
    from datetime import date

    from tests.ledgers.factories import add_session, first_tig_ledger

    url = tab_url(cast.person, "suivi")
    ledger = first_tig_ledger(cast.person)
    add_session(ledger, date(2026, 2, 2))
    few, _ = count_queries(clients["cpip"], url)
    for day in range(3, 28):
        add_session(ledger, date(2026, 2, day), "2.5")
    many, sql = count_queries(clients["cpip"], url)
    # The TIG ledgers add one query, their sessions one prefetch; their one due date (issue 13,
    # R-CP-131-22) the measures' suspensions (prefetch) and the person's incarcerations.
    assert few == many == SUIVI_QUERIES + 3, "\n".join(q[:120] for q in sql)


def _appointments_today(cast, count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from .agenda.factories import make_appointment

    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for i in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        make_appointment(cast, person=person, starts_at=start + timedelta(minutes=5 * i))


@pytest.mark.parametrize("name", ["agenda:reception", "agenda:day"])
def test_agenda_pages_do_not_grow_with_appointments(cast, clients, name):
    from django.utils import timezone

    from .agenda.factories import agenda_for, with_slots

    with_slots(agenda_for(cast))
    params = {"day": timezone.localdate().isoformat()}
    _appointments_today(cast, 2)
    few, _ = count_queries(clients["cpip"], reverse(name), params)
    _appointments_today(cast, 12)
    many, sql = count_queries(clients["cpip"], reverse(name), params)
    assert few == many, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_compensation_payments(cast, clients):
    from datetime import date
    from decimal import Decimal

    from parcours.ledgers.models import CompensationPayment

    from .ledgers.factories import first_compensation_ledger

    ledger = first_compensation_ledger(cast.person)
    url = tab_url(cast.person, "suivi")
    few, _ = count_queries(clients["cpip"], url)
    for day in range(1, 11):
        CompensationPayment.objects.create(
            ledger=ledger, paid_on=date(2026, 3, day), amount=Decimal("10")
        )
    many, sql = count_queries(clients["cpip"], url)
    assert few == many == SUIVI_QUERIES + 2, "\n".join(q[:120] for q in sql)


# --- Partners (issue 17) ----------------------------------------------------------------------


def _referrals(cast, count: int, **fields):
    from .partners.factories import make_referral

    return [make_referral(cast, **fields) for _ in range(count)]


def test_partner_pages_do_not_grow_with_referrals(cast, clients):
    """The partner's list (referrals with person, obligation, TIG ledger joined, addresses
    prefetched; one journal row), its export, and one referral's page with its sessions."""
    from datetime import date

    from parcours.partners.models import ReferralSession
    from parcours.rules.vocabulary import ReferralStatus

    from .partners.factories import profile_for

    _referrals(cast, 2)
    client = clients["partenaire"]
    for name in ("partners:inbox", "partners:inbox_csv"):
        few, _ = count_queries(client, reverse(name))
        _referrals(cast, 10)
        many, sql = count_queries(client, reverse(name))
        assert few == many, "\n".join(q[:120] for q in sql)
    referral = _referrals(cast, 1, status=ReferralStatus.EN_COURS)[0]
    url = reverse("partners:inbox_detail", args=[referral.public_id])
    few, _ = count_queries(client, url)
    for day in range(1, 11):
        ReferralSession.objects.create(
            referral=referral, day=date(2027, 3, day), attended=True, recorded_by=cast.partenaire
        )
    many, sql = count_queries(client, url)
    assert few == many, "\n".join(q[:120] for q in sql)
    # The directory: one query for the profiles whatever their number.
    from .factories import OrganisationFactory

    profile_for(cast.partner, cast.spip)
    few, _ = count_queries(clients["cpip"], reverse("partners:directory"))
    for i in range(10):
        org = OrganisationFactory(kind="partenaire", name=f"Association {i}")
        profile_for(org, cast.spip, "association")
    many, sql = count_queries(clients["cpip"], reverse("partners:directory"))
    assert few == many, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_referrals(cast, clients):
    url = tab_url(cast.person, "accompagnement")
    _referrals(cast, 1)
    few, _ = count_queries(clients["cpip"], url)
    _referrals(cast, 10)
    many, sql = count_queries(clients["cpip"], url)
    assert few == many == ACCOMPAGNEMENT_QUERIES, "\n".join(q[:120] for q in sql)


# --- Plans d'accompagnement (parcours/plans) ------------------------------------------------------


def _grow_plan(cast, plan, goals: int, steps: int) -> None:
    from parcours.plans.models import Goal, Step

    for index in range(goals):
        goal = Goal.objects.create(plan=plan, domain="emploi", text=f"But {index}", order=index)
        Step.objects.bulk_create(
            Step(goal=goal, text=f"Étape {n}", actor="partenaire", partner=cast.partner)
            for n in range(steps)
        )


def test_plan_panel_queries_do_not_grow_with_goals_and_steps(cast, clients):
    from .plans.factories import in_force

    url = tab_url(cast.person, "accompagnement")
    plan = in_force(cast.cpip, cast.person)
    few, _ = count_queries(clients["cpip"], url)
    _grow_plan(cast, plan, 5, 4)
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    # The plan in force's goals, then their steps (partner joined), then the referrals made from
    # its steps (partners.selectors.step_links).
    assert many == ACCOMPAGNEMENT_QUERIES + 3, "\n".join(q[:120] for q in sql)


# A plan's page: session, user (+ organisation + SPIP), the plan (through the scope), the person
# (+ SPIP, antenna, referent), the journal's insert; the goals, their steps (partner joined), the
# referrals made from the steps (partners.selectors.step_links).
PLAN_DETAIL_QUERIES = 8 + JOURNAL_QUERIES
# The person's plans: the same doors, the versions (with their goal counts), the goals, the
# steps of the plan in force and their referrals.
PLAN_PERSON_QUERIES = 8 + JOURNAL_QUERIES


@pytest.mark.parametrize("name", ["plans:detail", "plans:print", "plans:person"])
def test_plan_pages_do_not_grow_with_goals_and_steps(cast, clients, name):
    from .plans.factories import in_force

    plan = in_force(cast.cpip, cast.person)
    target = cast.person if name == "plans:person" else plan
    url = reverse(name, args=[target.public_id])
    few, _ = count_queries(clients["cpip"], url)
    _grow_plan(cast, plan, 6, 5)
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    expected = PLAN_PERSON_QUERIES if name == "plans:person" else PLAN_DETAIL_QUERIES
    assert many == expected, "\n".join(q[:120] for q in sql)


def test_plans_to_countersign_do_not_grow_with_rows(cast, clients):
    from parcours.plans.models import Plan, PlanSettings

    from .plans.factories import in_force

    PlanSettings.objects.create(spip=cast.spip, countersignature_required=True)
    url = reverse("plans:to_countersign")
    in_force(cast.cpip, cast.person)
    few, _ = count_queries(clients["dpip"], url)
    for _ in range(12):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        in_force(cast.cpip, person)
    assert Plan.objects.filter(status="a_contresigner").count() == 13
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql
    # Session, user, the setting, the count, the page (person and referent joined).
    assert many == 5, "\n".join(q[:120] for q in sql)


# --- Assessments (issue 17) ----------------------------------------------------------------------
# The person file's "Évaluations" panel (assessments/panels.py) adds one query: the person's last
# assessments, measure and type joined.
# It is on the Accompagnement tab (ACCOMPAGNEMENT_QUERIES counts it).


def _assessed_people(cast, count: int) -> None:
    from datetime import date

    from .assessments.factories import draft

    for _ in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        MeasureFactory(person=person, start_date=date(2027, 1, 2))
        draft(person)
        MeasureFactory(person=person, start_date=date(2027, 2, 2))  # no assessment yet


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("assessments:to_do", "cpip"),
        ("assessments:to_do", "dpip"),
        ("assessments:indicators", "dpip"),
    ],
)
def test_assessment_lists_do_not_grow_with_people(cast, clients, name, role):
    _assessed_people(cast, 2)
    few, _ = count_queries(clients[role], reverse(name))
    _assessed_people(cast, 10)
    many, sql = count_queries(clients[role], reverse(name))
    assert few == many, "\n".join(q[:120] for q in sql)


# The person's page: the door (session, user, person, journal), the assessments (questionnaire,
# measure, author joined) and the digital self-assessments; the fill page: the door only.
@pytest.mark.parametrize("name", ["person", "detail", "fill", "compare"])
def test_assessment_pages_do_not_grow_with_assessments(cast, clients, name):
    from parcours.assessments import services
    from parcours.rules.vocabulary import AssessmentKind

    from .assessments.factories import draft, finished

    def url():
        if name == "person":
            return reverse("assessments:person", args=[cast.person.public_id])
        latest = cast.person.assessments.order_by("-pk").first()
        return reverse(f"assessments:{name}", args=[latest.public_id])

    finished(cast.person)
    draft(cast.person, kind=AssessmentKind.REEXAMEN)
    few, _ = count_queries(clients["cpip"], url())
    for _ in range(4):
        finished(cast.person, kind=AssessmentKind.FIN_MESURE)
        services.record_digital_self_assessment(
            cast.person, {"numerique.acces": "oui"}, "papier", cast.cpip
        )
    draft(cast.person, kind=AssessmentKind.REEXAMEN, measure=None)
    many, sql = count_queries(clients["cpip"], url())
    assert few == many, "\n".join(q[:120] for q in sql)


# --- Referrals from plan steps (issue 17, "Orienter") -------------------------------------------


@pytest.mark.parametrize("name", ["plans:detail", "plans:person"])
def test_plan_pages_do_not_grow_with_the_referrals_of_their_steps(cast, clients, name):
    from parcours.plans.models import Step

    from .partners.factories import make_referral
    from .plans.factories import in_force

    plan = in_force(cast.cpip, cast.person)
    _grow_plan(cast, plan, 2, 3)
    target = cast.person if name == "plans:person" else plan
    url = reverse(name, args=[target.public_id])
    steps = list(Step.objects.filter(goal__plan=plan, actor="partenaire"))
    make_referral(cast, plan_step=steps[0])
    few, _ = count_queries(clients["cpip"], url)
    for step in steps[1:]:
        make_referral(cast, plan_step=step)
    many, sql = count_queries(clients["cpip"], url)
    expected = PLAN_PERSON_QUERIES if name == "plans:person" else PLAN_DETAIL_QUERIES
    assert few == many == expected, "\n".join(q[:120] for q in sql)

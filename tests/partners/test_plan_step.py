"""Referrals from a plan step ("Orienter"): the step's link, the form prefilled from the step,
the referral tied to its step (and back), its status beside the step on the plan's pages; a
step of another person is a 404, a malformed one or a step one cannot orient from a 400. The
step moves with its referral (started, done), and keeps it through a new version of the plan."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.partners import services
from parcours.partners.models import Referral
from parcours.plans import services as plan_services
from parcours.plans.models import Step
from parcours.rules.referrals import Action, Actor, step_status_after
from parcours.rules.vocabulary import ReferralStatus, StepActor, StepStatus

from ..conftest import Cast
from ..factories import PersonFactory
from ..helpers import file_tab, quiet, text
from ..obligations.factories import make_obligation
from ..plans.factories import agree, draft, in_force, step_on
from .factories import make_referral, profile_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

STEP_TEXT = "S'inscrire et suivre l'accompagnement renforcé"


def _partner_step(cast: Cast, person=None, *, plan=None) -> Step:
    person = person or cast.person
    plan = plan or in_force(cast.cpip, person)
    step = step_on(plan, actor=StepActor.PARTENAIRE, due_on=None, text=STEP_TEXT)
    step.partner = cast.partner
    step.save(update_fields=["partner"])
    return step


def _create_url(person, step: Step | None = None, raw: str | None = None) -> str:
    url = reverse("partners:referral_create", args=[person.public_id])
    value = raw if raw is not None else (str(step.public_id) if step else "")
    return f"{url}?etape={value}" if value else url


def test_the_plan_offers_orienter_on_an_open_partner_step_only(cast: Cast, clients) -> None:
    profile_for(cast.partner, cast.spip)
    step = _partner_step(cast)
    link = _create_url(cast.person, step)
    detail = text(clients["cpip"].get(reverse("plans:detail", args=[step.goal.plan.public_id])))
    assert link in detail
    assert link in text(clients["cpip"].get(file_tab(cast.person, "plan")))
    # Not for a reader who may not write, nor once the step is done.
    assert link not in text(clients["secretariat"].get(file_tab(cast.person, "plan")))
    Step.objects.filter(pk=step.pk).update(status=StepStatus.FAIT)
    detail = text(clients["cpip"].get(reverse("plans:detail", args=[step.goal.plan.public_id])))
    assert link not in detail


def test_the_form_is_prefilled_from_the_step(cast: Cast, clients) -> None:
    profile = profile_for(cast.partner, cast.spip)
    obligation = make_obligation(cast.person, "cp_132_45_1")
    step = _partner_step(cast)
    page = text(clients["cpip"].get(_create_url(cast.person, step)))
    assert 'id="etape-du-plan"' in page and STEP_TEXT in page
    assert f'<option value="{profile.pk}" selected>' in page
    assert '<option value="france_travail_emploi" selected>' in page
    assert f'<option value="{obligation.pk}" selected>' in page
    assert f'name="etape" value="{step.public_id}"' in page  # kept by "Proposer ces partenaires"


def test_the_referral_is_tied_to_its_step_and_its_status_shows_beside_it(cast: Cast, clients):
    profile = profile_for(cast.partner, cast.spip)
    obligation = make_obligation(cast.person, "cp_132_45_1")
    step = _partner_step(cast)
    response = clients["cpip"].post(
        _create_url(cast.person, step),
        {
            "kind": "france_travail_emploi",
            "partner": profile.pk,
            "obligation": obligation.pk,
            "reason": STEP_TEXT,
        },
    )
    assert response.status_code == 302, text(response)
    referral = Referral.objects.get(person=cast.person)
    assert referral.plan_step == step
    event = AuditEvent.objects.filter(object_id=str(referral.public_id)).get()
    assert event.details["etape"] == str(step.public_id)
    # The referral's page links back to the step.
    page = text(clients["cpip"].get(reverse("partners:referral", args=[referral.public_id])))
    assert f"#etape-{step.public_id}" in page and STEP_TEXT in page
    # The plan's page and the person file show its status beside the step.
    plan_url = reverse("plans:detail", args=[step.goal.plan.public_id])
    row = text(clients["cpip"].get(plan_url)).split(f'id="etape-{step.public_id}"')[1]
    row = row.split("</tr>")[0]
    assert "Orientation vers France Travail Lille" in row and "Brouillon" in row
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.ACCEPTEE)
    row = text(clients["cpip"].get(plan_url)).split(f'id="etape-{step.public_id}"')[1]
    assert "Acceptée" in row.split("</tr>")[0]
    panel = text(clients["cpip"].get(file_tab(cast.person, "plan"))).split('id="plan"')[1]
    assert "Orientation vers France Travail Lille" in panel.split("</section>")[0]


def test_a_referral_without_step_stays_off_the_plan(cast: Cast, clients) -> None:
    step = _partner_step(cast)
    make_referral(cast)
    page = text(clients["cpip"].get(reverse("plans:detail", args=[step.goal.plan.public_id])))
    assert "Orientation vers" not in page


def test_a_step_of_another_person_is_not_found(cast: Cast) -> None:
    profile = profile_for(cast.partner, cast.spip)
    neighbour = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    step = _partner_step(cast, neighbour)
    cpip = quiet(cast.cpip)
    url = _create_url(cast.person, step)
    assert cpip.get(url).status_code == 404
    data = {"kind": "france_travail_emploi", "partner": profile.pk, "reason": "Inscription."}
    assert cpip.post(url, data).status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.parametrize("raw", ["pas-une-etape", "1234", "' OR 1=1 --"])
def test_a_malformed_step_is_a_french_400(cast: Cast, raw: str) -> None:
    response = quiet(cast.cpip).get(_create_url(cast.person, raw=raw))
    assert response.status_code == 400
    assert "Identifiant d'étape invalide" in text(response)


def test_a_step_of_a_draft_or_a_closed_step_is_refused(cast: Cast) -> None:
    profile = profile_for(cast.partner, cast.spip)
    cpip = quiet(cast.cpip)
    in_draft = _partner_step(cast, plan=draft(cast.cpip, cast.person))
    response = cpip.get(_create_url(cast.person, in_draft))
    assert response.status_code == 400 and "plan en vigueur" in text(response)
    data = {"kind": "france_travail_emploi", "partner": profile.pk, "reason": "Inscription."}
    assert cpip.post(_create_url(cast.person, in_draft), data).status_code == 400
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    done = _partner_step(cast, other)
    Step.objects.filter(pk=done.pk).update(status=StepStatus.ABANDONNE, reason="Autre solution")
    response = cpip.get(_create_url(other, done))
    assert response.status_code == 400 and "faite ou abandonnée" in text(response)
    assert not Referral.objects.exists()


# --- The step moves with its referral (rules.referrals.step_status_after) ----------------------


def _act(cast: Cast, referral: Referral, action: str, reason: str = "") -> Referral:
    referral.refresh_from_db()
    actor = Actor.SPIP if action == Action.CLOTURER else Actor.PARTENAIRE
    user = cast.cpip if actor == Actor.SPIP else cast.partenaire
    return services.transition(
        acting_user=user,
        referral=referral,
        action=action,
        actor=actor,
        reason=reason,
        expected_version=referral.version,
    )


def test_rules_a_step_only_moves_forward_with_its_referral() -> None:
    after = step_status_after
    assert after(ReferralStatus.EN_COURS, StepStatus.A_FAIRE) == StepStatus.EN_COURS
    assert after(ReferralStatus.TERMINEE, StepStatus.A_FAIRE) == StepStatus.FAIT
    assert after(ReferralStatus.TERMINEE, StepStatus.EN_COURS) == StepStatus.FAIT
    assert after(ReferralStatus.EN_COURS, StepStatus.FAIT) is None
    assert after(ReferralStatus.TERMINEE, StepStatus.ABANDONNE) is None
    for status in (ReferralStatus.REFUSEE, ReferralStatus.ANNULEE, ReferralStatus.CLOTUREE):
        assert after(status, StepStatus.A_FAIRE) is None


def test_the_partner_starting_then_ending_moves_the_step_and_journals_it(cast: Cast) -> None:
    step = _partner_step(cast)
    referral = make_referral(cast, status=ReferralStatus.ACCEPTEE, plan_step=step)
    _act(cast, referral, Action.DEBUTER)
    step.refresh_from_db()
    assert step.status == StepStatus.EN_COURS and step.updated_by == cast.partenaire
    _act(cast, referral, Action.TERMINER, "Trois entretiens, inscription faite.")
    step.refresh_from_db()
    assert step.status == StepStatus.FAIT and step.done_on == timezone.localdate()
    states = AuditEvent.objects.filter(object_id=str(step.public_id)).values_list(
        "actor", "details__etat"
    )
    partner = cast.partenaire.pk
    assert {(partner, StepStatus.EN_COURS), (partner, StepStatus.FAIT)} <= set(states)


def test_a_refusal_leaves_the_step_and_a_dropped_step_stays_dropped(cast: Cast) -> None:
    step = _partner_step(cast)
    refused = make_referral(cast, status=ReferralStatus.ENVOYEE, plan_step=step)
    _act(cast, refused, Action.REFUSER, "Pas de place avant juin.")
    step.refresh_from_db()
    assert step.status == StepStatus.A_FAIRE
    Step.objects.filter(pk=step.pk).update(status=StepStatus.ABANDONNE, reason="Déménagement")
    running = make_referral(cast, status=ReferralStatus.ACCEPTEE, plan_step=step)
    _act(cast, running, Action.DEBUTER)
    step.refresh_from_db()
    assert step.status == StepStatus.ABANDONNE


def test_a_new_version_keeps_the_referral_on_the_copied_step(cast: Cast, clients) -> None:
    step = _partner_step(cast)
    referral = make_referral(cast, status=ReferralStatus.ACCEPTEE, plan_step=step)
    new = plan_services.start_plan(cast.cpip, cast.person)
    copy = Step.objects.get(goal__plan=new, text=STEP_TEXT)
    assert copy.lineage == step.lineage and copy.pk != step.pk
    agree(cast.cpip, new)  # in force: the first version is replaced
    # The new version's page shows the referral beside the copied step.
    page = text(clients["cpip"].get(reverse("plans:detail", args=[new.public_id])))
    row = page.split(f'id="etape-{copy.public_id}"')[1].split("</tr>")[0]
    assert "Orientation vers France Travail Lille" in row and "Acceptée" in row
    # Its progress moves the step in force, not the replaced one.
    _act(cast, referral, Action.DEBUTER)
    copy.refresh_from_db()
    step.refresh_from_db()
    assert copy.status == StepStatus.EN_COURS and step.status == StepStatus.A_FAIRE


def test_steps_written_separately_have_their_own_lineage(cast: Cast) -> None:
    plan = in_force(cast.cpip, cast.person)
    first = step_on(plan, actor=StepActor.PARTENAIRE, due_on=None, text="Un")
    second = step_on(plan, actor=StepActor.PARTENAIRE, due_on=None, text="Deux")
    assert first.lineage != second.lineage

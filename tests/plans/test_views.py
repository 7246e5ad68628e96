"""Plan pages: the person-file panel, building a draft through the pages (confirmation before a
removal, 409 on a stale form), the agreement, the step's quick update (HTMX and without), the
printable page and the PDF, "Plans à contresigner" and the SPIP's setting."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from parcours.audit.models import AuditEvent
from parcours.plans import services
from parcours.plans.models import Goal, Plan, PlanSettings, Step
from parcours.rules.vocabulary import PlanStatus, StepActor, StepStatus

from ..helpers import file_tab, text
from .factories import draft, first_goal, first_step, in_force, step_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _detail(cast):
    """The person file's tab that shows the plan (Accompagnement)."""
    return file_tab(cast.person, "plan")


def test_panel_shows_goals_by_domain_steps_and_the_overdue_ones(cast, clients):
    plan = in_force(cast.cpip, cast.person, goals=2)
    step_on(
        plan,
        actor=StepActor.PERSONNE,
        due_on=timezone.localdate() - timedelta(days=3),
        text="Déposer le dossier de logement social",
    )
    page = text(clients["cpip"].get(_detail(cast)))
    panel = page.split('id="plan"')[1].split("</section>")[0]
    assert "Plan d'accompagnement" in page
    assert "Version 1, en vigueur depuis le 16/03/2027" in panel
    assert "Logement" in panel and "Emploi et formation" in panel
    assert "Déposer le dossier de logement social — La personne, pour le 13/03/2027" in panel
    assert "1 en retard" in panel
    assert "Étapes faites : <strong>0 sur 3</strong>" in panel


def test_panel_without_plan_offers_to_prepare_it_and_is_hidden_from_the_court(cast, clients):
    page = text(clients["cpip"].get(_detail(cast)))
    assert "Aucun plan d'accompagnement" in page and "Préparer le plan" in page
    assert 'id="plan"' not in text(clients["jap"].get(_detail(cast)))
    assert 'id="plan"' not in text(clients["secretariat"].get(_detail(cast)))


def test_building_a_plan_through_the_pages(cast, clients):
    client = clients["cpip"]
    response = client.post(reverse("plans:start", args=[cast.person.public_id]))
    plan = Plan.objects.get(person=cast.person)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[plan.public_id]
    )
    response = client.post(
        reverse("plans:goal_create", args=[plan.public_id]),
        {"domain": "emploi", "text": "Reprendre une formation"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    response = client.post(
        reverse("plans:step_create", args=[goal.public_id]),
        {
            "text": "S'inscrire à France Travail",
            "actor": "partenaire",
            "partner": str(cast.partner.pk),
            "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    step = Step.objects.get(goal=goal)
    assert step.partner == cast.partner
    page = text(client.get(reverse("plans:detail", args=[plan.public_id])))
    assert "Reprendre une formation" in page
    assert "Partenaire : France Travail Lille" in page
    assert "Enregistrer l'accord de la personne" in page
    plan.refresh_from_db()
    response = client.post(
        reverse("plans:agreement", args=[plan.public_id]),
        {
            "version": plan.version,
            "agreed_on": timezone.localdate().isoformat(),
            "mode": "signature_papier",
            "person_words": "Je veux travailler dans la logistique.",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EN_VIGUEUR
    page = text(client.get(reverse("plans:detail", args=[plan.public_id])))
    assert "ses objectifs et ses étapes ne se modifient plus" in page
    assert "Ajouter un objectif" not in page
    # The goal of the plan in force cannot be edited through its page either.
    response = client.post(
        reverse("plans:goal_edit", args=[goal.public_id]),
        {"version": goal.version, "domain": "emploi", "text": "Autre"},
    )
    assert response.status_code == 400
    assert "Ouvrez une nouvelle version" in text(response)


def test_a_step_partner_without_partner_is_a_french_400(cast, clients):
    plan = draft(cast.cpip, cast.person)
    response = clients["cpip"].post(
        reverse("plans:step_create", args=[first_goal(plan).public_id]),
        {"text": "Atelier", "actor": "partenaire"},
    )
    assert response.status_code == 400
    assert "Choisissez le partenaire ou précisez-le" in text(response)


def test_removal_asks_for_confirmation_then_removes(cast, clients):
    plan = draft(cast.cpip, cast.person, goals=2)
    goal = first_goal(plan)
    url = reverse("plans:goal_delete", args=[goal.public_id])
    page = text(clients["cpip"].get(url))
    assert "Supprimer l'objectif « Objectif 1 » et ses 1 étape du brouillon" in page
    assert Goal.objects.filter(pk=goal.pk).exists()  # the GET removes nothing
    response = clients["cpip"].post(url, {"version": goal.version})
    assert response.status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_a_stale_edit_answers_409_and_keeps_the_saved_version(cast, clients):
    plan = draft(cast.cpip, cast.person)
    step = first_step(plan)
    url = reverse("plans:step_edit", args=[step.public_id])
    data = {"version": step.version, "text": "Version de Camille", "actor": "cpip"}
    services.update_step(
        cast.dpip,
        step,
        services.StepData(text="Version du DPIP", actor="cpip"),
        expected_version=step.version,
    )
    response = clients["cpip"].post(url, data)
    assert response.status_code == 409
    assert "Modifié par quelqu'un d'autre" in text(response)
    step.refresh_from_db()
    assert step.text == "Version du DPIP"


def test_step_quick_update_with_htmx_swaps_the_row_and_works_without(cast, clients):
    plan = in_force(cast.cpip, cast.person)
    step = first_step(plan)
    url = reverse("plans:step_status", args=[step.public_id])
    response = clients["cpip"].post(
        url, {"version": step.version, "status": "en_cours"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    row = text(response)
    assert row.lstrip().startswith(f'<tr id="etape-{step.public_id}">')
    assert "En cours" in row
    # A stale quick update (the row was read before): the whole page goes to the step's form.
    response = clients["cpip"].post(
        url, {"version": step.version, "status": "fait"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Redirect"] == url
    step.refresh_from_db()
    assert step.status == StepStatus.EN_COURS
    response = clients["cpip"].post(url, {"version": step.version, "status": "fait"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#etape-{step.public_id}")
    step.refresh_from_db()
    assert step.status == StepStatus.FAIT and step.done_on == timezone.localdate()
    response = clients["cpip"].post(url, {"version": step.version, "status": "abandonne"})
    assert response.status_code == 400
    assert "Indiquez pourquoi l'étape est abandonnée" in text(response)


def test_printable_page_and_pdf_in_french(cast, clients):
    plan = in_force(cast.cpip, cast.person, goals=2)
    page = text(clients["cpip"].get(reverse("plans:print", args=[plan.public_id])))
    assert "Signatures" in page and "Objectif 2" in page and "Mettre à jour" not in page
    before = AuditEvent.objects.filter(action="export").count()
    response = clients["cpip"].get(reverse("plans:pdf", args=[plan.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Plan d'accompagnement" in content
    assert "Logement" in content and "Objectif : Objectif 1" in content
    assert "Signature de la personne" in content
    assert AuditEvent.objects.filter(action="export").count() == before + 1


def test_countersignature_pages(cast, clients):
    PlanSettings.objects.create(spip=cast.spip, countersignature_required=True)
    plan = in_force(cast.cpip, cast.person)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.A_CONTRESIGNER
    page = text(clients["dpip"].get(reverse("plans:to_countersign")))
    assert "DURAND Lucas" in page and "Examiner et contresigner" in page
    assert (
        clients["cpip"].get(reverse("plans:countersign", args=[plan.public_id])).status_code == 403
    )
    response = clients["dpip"].post(
        reverse("plans:countersign", args=[plan.public_id]), {"version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EN_VIGUEUR and plan.countersigned_by == cast.dpip
    assert "Aucun plan n'attend de contresignature" in text(
        clients["dpip"].get(reverse("plans:to_countersign"))
    )


def test_settings_page_turns_the_countersignature_on(cast, clients):
    url = reverse("plans:settings")
    assert clients["cpip"].get(url).status_code == 403
    response = clients["dpip"].post(url, {"countersignature_required": "on"})
    assert response.status_code == 302
    assert services.countersignature_required(cast.spip.pk)
    page = text(clients["dpip"].get(url))
    assert "checked" in page


def test_history_lists_every_version(cast, clients):
    first = in_force(cast.cpip, cast.person)
    second = services.start_plan(cast.cpip, cast.person)
    page = text(clients["cpip"].get(reverse("plans:person", args=[cast.person.public_id])))
    assert "Version 2 en préparation" in page
    assert reverse("plans:detail", args=[first.public_id]) in page
    assert reverse("plans:detail", args=[second.public_id]) in page
    assert "Nouvelle version" not in page  # one draft at a time
    start = text(clients["cpip"].get(reverse("plans:start", args=[cast.person.public_id])))
    assert "La version 2 est déjà en préparation" in start
    assert reverse("plans:detail", args=[second.public_id]) in start

"""Pages of the individual plan: a person's plans (in force, in preparation, history), one
version (edited while a draft), its goals and steps, the person's agreement, the DPIP's
countersignature, the progress of a step (HTMX on the plan's page, a plain form without it), the
printable page and the PDF, the plans waiting for a countersignature, the SPIP's setting.

Thin: the doors open the file, `form_page` answers the forms (400, 409), the services write, the
selectors read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.core.pagination import paginate
from parcours.measures.selectors import spip_today
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.rules.vocabulary import PlanStatus, StepStatus

from . import selectors, services
from .access import (
    MANAGERS,
    READERS,
    goal_door,
    goal_door_by_goal_id,
    may_countersign,
    may_write,
    plan_door,
    step_door,
)
from .documents import plan_pdf
from .forms import (
    AgreementForm,
    GoalForm,
    ReturnForm,
    SettingsForm,
    StepForm,
    StepStatusForm,
    VersionForm,
)
from .models import Goal, Plan, Step

FORM_METHODS = ("GET", "POST")


def _today(request: AuthedRequest) -> Any:
    return spip_today(request.user.service_timezone)


def _plan_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("plans:detail", args=[plan.public_id])
    return f"{url}#{anchor}" if anchor else url


def _not_now(request: AuthedRequest, plan: Plan, status: str, message: str) -> HttpResponse | None:
    """A page that acts on a plan in one state, opened (GET) on a plan in another: back to the
    plan with the French reason. A POST goes on to the service, which refuses it (400)."""
    if request.method == "GET" and plan.status != status:
        messages.info(request, message)
        return redirect(_plan_url(plan))
    return None


def _draft_only(request: AuthedRequest, plan: Plan) -> HttpResponse | None:
    return _not_now(request, plan, PlanStatus.BROUILLON, services.NOT_DRAFT)


def _awaiting_only(request: AuthedRequest, plan: Plan) -> HttpResponse | None:
    return _not_now(request, plan, PlanStatus.A_CONTRESIGNER, services.NOT_AWAITING)


def _context(access: PersonAccess, plan: Plan, title: str, **extra: Any) -> dict[str, Any]:
    """The context of a form about one version of the plan."""
    return {"title": title, "person": access.person, "plan": plan, **extra}


def _confirm(
    request: AuthedRequest,
    target: Plan | Goal | Step,
    act: Callable[..., object],
    done: Saved,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page that asks for a confirmation (a countersignature, a removal), then acts on
    `target` at the version the page was read at (`act(user, target, expected_version=…)`) and
    goes to `done`."""
    form = VersionForm(posted(request), initial={"version": target.version})

    def save(form: VersionForm) -> Saved:
        act(request.user, target, expected_version=form.cleaned_data["version"])
        return done

    return form_page(request, form, template, context, save=save, current=target)


@person_door_by_person_id(roles=READERS)
def person_plans(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The person's plan in force, the version in preparation and the history of versions."""
    person = access.person
    versions = selectors.history(person)
    in_force, pending = selectors.in_force_and_pending(versions)
    return render(
        request,
        "plans/person.html",
        {
            "title": "Plan d'accompagnement",
            "person": person,
            "access": access,
            "in_force": in_force,
            "pending": pending,
            "view": (
                selectors.plan_view(in_force, _today(request), links=True) if in_force else None
            ),
            "versions": versions,
            "can_write": may_write(request, access),
        },
    )


@person_door_by_person_id(roles=READERS, methods=FORM_METHODS, allow=may_write)
def start(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """ "Préparer le plan" (a first draft) or "Nouvelle version" (a copy of the plan in force)."""
    person = access.person
    in_force, pending = selectors.current_and_pending(person)
    form = forms.Form(posted(request))

    def save(form: forms.Form) -> Saved:
        plan = services.start_plan(request.user, person)
        message = (
            f"Version {plan.number} ouverte : elle reprend le plan en vigueur, à modifier avec "
            "la personne."
            if in_force
            else "Plan d'accompagnement ouvert : ajoutez les objectifs convenus avec la personne."
        )
        return Saved(_plan_url(plan), message)

    context = {
        "title": "Nouvelle version du plan" if in_force else "Préparer le plan",
        "person": person,
        "in_force": in_force,
        "pending": pending,
    }
    return form_page(request, form, "plans/start.html", context, save=save)


def _detail_context(request: AuthedRequest, plan: Plan, access: PersonAccess) -> dict[str, Any]:
    view = selectors.plan_view(plan, _today(request), links=True)
    can_write = may_write(request, access)
    return {
        "title": f"Plan d'accompagnement — version {plan.number}",
        "person": access.person,
        "access": access,
        "plan": plan,
        "view": view,
        "editable": can_write and plan.is_draft,
        "can_progress": can_write and plan.status in (PlanStatus.BROUILLON, PlanStatus.EN_VIGUEUR),
        "can_countersign": plan.status == PlanStatus.A_CONTRESIGNER
        and may_countersign(request, plan, access),
        "step_statuses": StepStatus.choices,
    }


@plan_door(roles=READERS)
def plan_detail(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    """One version of the plan: editable while a draft, read-only otherwise (the steps of the
    plan in force move on with "État")."""
    return render(request, "plans/detail.html", _detail_context(request, plan, access))


@plan_door(roles=READERS)
def plan_print(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    """The plan on one printable page (the browser's print; the PDF for the signed copy)."""
    context = _detail_context(request, plan, access)
    context.update(editable=False, can_progress=False, can_countersign=False, printing=True)
    return render(request, "plans/print.html", context)


@plan_door(roles=READERS)
def plan_pdf_view(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    content = plan_pdf(plan, selectors.plan_view(plan, _today(request)))
    record(
        AuditAction.EXPORT,
        actor=request.user,
        obj=plan,
        person=access.person,
        details={"document": "plan_accompagnement", "version": plan.number},
    )
    return document(content, f"plan-accompagnement-v{plan.number}.pdf")


@plan_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def agreement(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    """The person's agreement: date, how, in their own words."""
    if (elsewhere := _draft_only(request, plan)) is not None:
        return elsewhere
    initial = {
        "version": plan.version,
        "agreed_on": plan.agreed_on or _today(request),
        "mode": plan.agreement_mode,
        "person_words": plan.person_words,
    }
    form = AgreementForm(posted(request), initial=initial)

    def save(form: AgreementForm) -> Saved:
        data = form.cleaned_data
        saved = services.record_agreement(
            request.user,
            plan,
            agreed_on=data["agreed_on"],
            mode=data["mode"],
            person_words=data.get("person_words") or "",
            expected_version=data["version"],
        )
        if saved.status == PlanStatus.A_CONTRESIGNER:
            message = "Accord enregistré : le plan attend la contresignature d'un DPIP."
        else:
            message = "Accord enregistré : le plan est en vigueur."
        return Saved(_plan_url(saved), message)

    waits = services.countersignature_required(access.person.spip_id)
    context = _context(access, plan, "Accord de la personne", waits=waits)
    return form_page(request, form, "plans/agreement.html", context, save=save, current=plan)


@plan_door(roles=MANAGERS, methods=FORM_METHODS, allow=may_countersign)
def countersign(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _awaiting_only(request, plan)) is not None:
        return elsewhere
    done = Saved(_plan_url(plan), "Plan contresigné : il est en vigueur.")
    view = selectors.plan_view(plan, _today(request), links=True)
    context = _context(access, plan, "Contresigner le plan", view=view)
    return _confirm(request, plan, services.countersign, done, "plans/countersign.html", context)


@plan_door(roles=MANAGERS, methods=FORM_METHODS, allow=may_countersign)
def return_to_draft(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _awaiting_only(request, plan)) is not None:
        return elsewhere
    form = ReturnForm(posted(request), initial={"version": plan.version})

    def save(form: ReturnForm) -> Saved:
        data = form.cleaned_data
        services.return_to_draft(
            request.user, plan, comment=data["comment"], expected_version=data["version"]
        )
        return Saved(_plan_url(plan), "Le plan est renvoyé au CPIP en brouillon.")

    context = _context(access, plan, "Renvoyer le plan en brouillon")
    return form_page(request, form, "plans/return.html", context, save=save, current=plan)


def _goal_data(form: GoalForm) -> dict[str, Any]:
    """What a goal's form tells the service, on its creation as on its edit."""
    return {"domain": form.cleaned_data["domain"], "text": form.cleaned_data["text"]}


@plan_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def goal_create(request: AuthedRequest, plan: Plan, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _draft_only(request, plan)) is not None:
        return elsewhere
    form = GoalForm(posted(request))

    def save(form: GoalForm) -> Saved:
        goal = services.add_goal(request.user, plan, **_goal_data(form))
        return Saved(_plan_url(plan, f"objectif-{goal.public_id}"), "Objectif ajouté.")

    context = _context(access, plan, "Ajouter un objectif")
    return form_page(request, form, "plans/goal_form.html", context, save=save)


@goal_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def goal_edit(request: AuthedRequest, goal: Goal, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _draft_only(request, goal.plan)) is not None:
        return elsewhere
    initial = {"version": goal.version, "domain": goal.domain, "text": goal.text}
    form = GoalForm(posted(request), initial=initial)

    def save(form: GoalForm) -> Saved:
        version = form.cleaned_data.get("version")
        services.update_goal(request.user, goal, **_goal_data(form), expected_version=version)
        return Saved(_plan_url(goal.plan, f"objectif-{goal.public_id}"), "Objectif modifié.")

    context = _context(access, goal.plan, "Modifier l'objectif", goal=goal)
    return form_page(request, form, "plans/goal_form.html", context, save=save, current=goal)


@goal_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def goal_delete(request: AuthedRequest, goal: Goal, access: PersonAccess) -> HttpResponse:
    """Confirmation, then the removal of the goal and its steps."""
    if (elsewhere := _draft_only(request, goal.plan)) is not None:
        return elsewhere
    done = Saved(_plan_url(goal.plan), f"Objectif « {goal.text} » supprimé.")
    steps = selectors.step_count(goal)
    context = _context(
        access, goal.plan, "Supprimer l'objectif", target=goal, what="l'objectif", steps=steps
    )
    return _confirm(request, goal, services.delete_goal, done, "plans/delete.html", context)


def _step_data(form: StepForm) -> services.StepData:
    data = form.cleaned_data
    return services.StepData(
        text=data["text"],
        actor=data["actor"],
        partner_id=data.get("partner"),
        partner_detail=data.get("partner_detail") or "",
        due_on=data.get("due_on"),
    )


@goal_door_by_goal_id(roles=READERS, methods=FORM_METHODS, allow=may_write)
def step_create(request: AuthedRequest, goal: Goal, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _draft_only(request, goal.plan)) is not None:
        return elsewhere
    form = StepForm(posted(request), partners=selectors.partner_choices())

    def save(form: StepForm) -> Saved:
        step = services.add_step(request.user, goal, _step_data(form))
        return Saved(_plan_url(goal.plan, f"etape-{step.public_id}"), "Étape ajoutée.")

    context = _context(access, goal.plan, "Ajouter une étape", goal=goal)
    return form_page(request, form, "plans/step_form.html", context, save=save)


@step_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def step_edit(request: AuthedRequest, step: Step, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _draft_only(request, step.goal.plan)) is not None:
        return elsewhere
    initial = {
        "version": step.version,
        "text": step.text,
        "actor": step.actor,
        "partner": step.partner_id,
        "partner_detail": step.partner_detail,
        "due_on": step.due_on,
    }
    form = StepForm(posted(request), initial=initial, partners=selectors.partner_choices())

    def save(form: StepForm) -> Saved:
        services.update_step(
            request.user, step, _step_data(form), expected_version=form.cleaned_data["version"]
        )
        return Saved(_plan_url(step.goal.plan, f"etape-{step.public_id}"), "Étape modifiée.")

    context = _context(access, step.goal.plan, "Modifier l'étape", goal=step.goal, step=step)
    return form_page(request, form, "plans/step_form.html", context, save=save, current=step)


@step_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def step_delete(request: AuthedRequest, step: Step, access: PersonAccess) -> HttpResponse:
    if (elsewhere := _draft_only(request, step.goal.plan)) is not None:
        return elsewhere
    done = Saved(_plan_url(step.goal.plan), f"Étape « {step.text} » supprimée.")
    context = _context(
        access, step.goal.plan, "Supprimer l'étape", target=step, what="l'étape", steps=0
    )
    return _confirm(request, step, services.delete_step, done, "plans/delete.html", context)


@step_door(roles=READERS, methods=FORM_METHODS, allow=may_write)
def step_status(request: AuthedRequest, step: Step, access: PersonAccess) -> HttpResponse:
    """The progress of a step. On the plan's page an HTMX request swaps the step's row; without
    JavaScript the form posts here and comes back to the plan."""
    initial = {
        "version": step.version,
        "status": step.status,
        "done_on": step.done_on,
        "reason": step.reason,
    }
    form = StepStatusForm(posted(request), initial=initial)
    plan = step.goal.plan

    def save(form: StepStatusForm) -> Saved:
        data = form.cleaned_data
        services.set_step_status(
            request.user,
            step,
            status=data["status"],
            reason=data.get("reason") or "",
            done_on=data.get("done_on"),
            expected_version=data["version"],
        )
        return Saved(
            _plan_url(plan, f"etape-{step.public_id}"),
            f"« {step.text} » : {StepStatus(step.status).label.lower()}.",
        )

    context = _context(access, plan, "État de l'étape", step=step)
    response = form_page(request, form, "plans/step_status.html", context, save=save, current=step)
    if request.htmx and response.status_code in (400, 409):
        # HTMX swaps no error: the whole page goes to the step's form, with its saved state.
        messages.error(
            request,
            "Cette étape a été modifiée entre-temps : voici son état enregistré."
            if response.status_code == 409
            else "L'état n'a pas pu être enregistré : précisez-le ici.",
        )
        redirected = HttpResponse(status=200)
        redirected["HX-Redirect"] = reverse("plans:step_status", args=[step.public_id])
        return redirected
    if request.htmx and response.status_code == 302:
        step.overdue = step.overdue_on(_today(request))
        selectors.attach_links([step])
        return render(
            request,
            "plans/includes/step_row.html",
            {
                "step": step,
                "plan": plan,
                "person": access.person,
                "can_progress": True,
                "editable": plan.is_draft,
                "step_statuses": StepStatus.choices,
            },
        )
    return response


@allowed(roles=MANAGERS)
def to_countersign(request: AuthedRequest) -> HttpResponse:
    """Plans à contresigner: the SPIP's plans agreed with the person, waiting for a DPIP."""
    page = paginate(request, selectors.to_countersign(request.user))
    return render(
        request,
        "plans/to_countersign.html",
        {
            "title": "Plans à contresigner",
            "page": page,
            "required": services.countersignature_required(request.user.spip_id),
        },
    )


@allowed(roles=MANAGERS, methods=FORM_METHODS)
def plan_settings(request: AuthedRequest) -> HttpResponse:
    """The SPIP's setting: whether a plan waits for a DPIP's countersignature."""
    spip = request.user.organisation.spip if request.user.organisation else None
    if spip is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP.")
    required = services.countersignature_required(spip.pk)
    form = SettingsForm(posted(request), initial={"countersignature_required": required})

    def save(form: SettingsForm) -> Saved:
        value = form.cleaned_data["countersignature_required"]
        services.update_settings(request.user, spip, countersignature_required=value)
        return Saved(
            reverse("plans:settings"),
            "Les plans entrent désormais en vigueur après la contresignature d'un DPIP."
            if value
            else "Les plans entrent désormais en vigueur dès l'accord de la personne.",
        )

    context = {"title": "Plans d'accompagnement : paramètres du service", "spip": spip}
    return form_page(request, form, "plans/settings.html", context, save=save)

"""Opportunités, marks, their review, and the CAP. Thin: doors open the objects, selectors read,
services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.core.pagination import querystring_without_page
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.rules.french import agree

from . import selectors, services
from .access import (
    MANAGER_ROLES,
    MARK_DENIED,
    OPPORTUNITY_ROLES,
    commission_door,
    item_door,
    mark_door,
    may_mark,
)
from .forms import (
    AddItemForm,
    CommissionForm,
    DecisionForm,
    ItemActionForm,
    MarkForm,
    OpportunityFilterForm,
    ReviewForm,
)
from .models import AdjustmentMark, Commission, CommissionItem

PAGE_SIZE = 50


@allowed(roles=OPPORTUNITY_ROLES)
def opportunities(request: AuthedRequest) -> HttpResponse:
    """Opportunités: the CPIP's detainees (or the SPIP's for the encadrement) eligible now,
    within 90 days, or almost, for each adjustment; filters, sort by date, pages."""
    user = request.user
    form = OpportunityFilterForm(request.GET or None, user=user)
    status = 200
    rows: list[selectors.Opportunity] = []
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        cpip = data.get("cpip")
        establishment = data.get("etablissement")
        filters = selectors.Filters(
            adjustment=data.get("amenagement") or "",
            eligibility=data.get("classe") or "",
            referent=cpip.pk if cpip else None,
            establishment=establishment.pk if establishment else None,
            hide_dismissed=not data.get("ecartes"),
            descending=data.get("tri") == "-date",
        )
        rows = selectors.opportunities(user, filters, timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "adjustments/opportunities.html",
        {
            "title": "Opportunités d'aménagement",
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
            "is_manager": user.role in MANAGER_ROLES,
        },
        status=status,
    )


@person_door_by_person_id(
    roles=OPPORTUNITY_ROLES, methods=("GET", "POST"), allow=may_mark, denied=MARK_DENIED
)
def person_opportunities(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """One detainee: each adjustment's assessment with its reasons and articles, and its mark
    (dossier en préparation, proposé à la CAP, écarté)."""
    person = access.person
    form = MarkForm(posted(request))

    def save(form: MarkForm) -> Saved:
        data = form.cleaned_data
        mark = services.set_mark(
            request.user,
            person,
            adjustment=data["adjustment"],
            status=data["status"],
            reason=data["reason"],
            refusal=data["refusal"],
            expected_version=data["version"],
        )
        return saved_at(
            "adjustments:person",
            person,
            f"{mark.get_adjustment_display()} : {mark.get_status_display().lower()}.",
        )

    found = selectors.person_opportunities(person, timezone.localdate())
    rows = [(a, found.marks.get(a.adjustment.value)) for a in found.assessments]
    return form_page(
        request,
        form,
        "adjustments/person.html",
        {
            "title": "Opportunités d'aménagement",
            "person": person,
            "ecrou": found.ecrou,
            "rows": rows,
            "can_mark": access.can_edit_measures,
            "mark_choices": MarkForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        },
        save=save,
    )


@allowed(roles=MANAGER_ROLES)
def reviews(request: AuthedRequest) -> HttpResponse:
    """The "écarté" marks of the SPIP's detainees for the encadrement to confirm or reopen."""
    return render(
        request,
        "adjustments/reviews.html",
        {
            "title": "Aménagements écartés à revoir",
            "marks": selectors.marks_to_review(request.user),
        },
    )


@mark_door(roles=MANAGER_ROLES, methods=("POST",))
def review(request: AuthedRequest, mark: AdjustmentMark, access: PersonAccess) -> HttpResponse:
    form = ReviewForm(request.POST)

    def save(form: ReviewForm) -> Saved:
        confirm = form.cleaned_data["decision"] == "confirmer"
        services.review_mark(
            request.user,
            mark,
            confirm=confirm,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        return Saved(
            reverse("adjustments:reviews"),
            "L'écart est confirmé." if confirm else "L'aménagement est rouvert.",
        )

    return form_page(
        request,
        form,
        "adjustments/review_form.html",
        {"title": "Revoir un aménagement écarté", "mark": mark},
        save=save,
        current=mark,
    )


@allowed(roles=MANAGER_ROLES, methods=("GET", "POST"))
def commissions(request: AuthedRequest) -> HttpResponse:
    """The SPIP's commissions, and the form to plan one."""
    form = CommissionForm(posted(request), user=request.user)

    def save(form: CommissionForm) -> Saved:
        # The form's fields are the service's arguments: establishment, held_on, members.
        commission = services.create_commission(request.user, **form.cleaned_data)
        return saved_at(
            "adjustments:commission", commission, "La commission est créée : composez sa liste."
        )

    return form_page(
        request,
        form,
        "adjustments/commissions.html",
        {
            "title": "Commissions de l'application des peines",
            "commissions": selectors.commissions(request.user)[:100],
        },
        save=save,
    )


def _commission_page(
    request: AuthedRequest, commission: Commission, *, status: int = 200, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "adjustments/commission.html",
        {
            "title": str(commission),
            "commission": commission,
            "items": selectors.commission_items(commission),
            "candidates": selectors.candidates(request.user, commission),
            "error": error,
            "is_past": commission.held_on <= timezone.localdate(),
        },
        status=status,
    )


@commission_door(roles=MANAGER_ROLES, methods=("GET", "POST"))
def commission(request: AuthedRequest, commission: Commission) -> HttpResponse:
    """The CAP's list (add from the candidates, order, remove), each line's avis and decision."""
    if request.method == "GET":
        return _commission_page(request, commission)
    form = AddItemForm(request.POST)
    if not form.is_valid():
        return _commission_page(
            request, commission, status=400, error="Choisissez une personne et l'objet de l'examen."
        )
    person = selectors.detainee(request.user, form.cleaned_data["person"])
    if person is None:
        return _commission_page(request, commission, status=400, error="Personne introuvable.")
    try:
        services.add_to_commission(
            request.user,
            commission,
            person=person,
            kind=form.cleaned_data["kind"],
            adjustment=form.cleaned_data["adjustment"],
        )
    except Refused as refused:
        return _commission_page(request, commission, status=400, error=str(refused))
    messages.success(request, f"{person} est {agree(person.sex, 'inscrit')} à la commission.")
    return redirect("adjustments:commission", commission.public_id)


@item_door(roles=MANAGER_ROLES, methods=("POST",))
def item_action(request: AuthedRequest, item: CommissionItem, access: PersonAccess) -> HttpResponse:
    form = ItemActionForm(request.POST)
    if not form.is_valid():
        return _commission_page(
            request, item.commission, status=400, error="Action inconnue sur cette inscription."
        )
    action = form.cleaned_data["action"]
    try:
        if action == "retirer":
            services.remove_from_commission(request.user, item)
            removed = agree(item.person.sex, "retiré")
            messages.success(request, f"{item.person} est {removed} de la liste.")
        elif action in ("monter", "descendre"):
            services.move_item(request.user, item, up=action == "monter")
        else:
            report = services.prepare_avis(request.user, item)
            return redirect("reports:edit", report.public_id)
    except Refused as refused:
        return _commission_page(request, item.commission, status=400, error=str(refused))
    return redirect("adjustments:commission", item.commission.public_id)


@item_door(roles=MANAGER_ROLES, methods=("GET", "POST"))
def decision(request: AuthedRequest, item: CommissionItem, access: PersonAccess) -> HttpResponse:
    """The decision taken on one line after the commission."""
    initial: dict[str, Any] = {"version": item.version}
    if item.decision:
        initial.update(
            decision=item.decision,
            note=item.decision_note,
            months=item.reduction_months,
            days=item.reduction_days,
        )
    form = DecisionForm(posted(request), initial=initial)

    def save(form: DecisionForm) -> Saved:
        data = form.cleaned_data
        services.record_decision(
            request.user,
            item,
            decision=data["decision"],
            note=data["note"],
            months=data["months"] or 0,
            days=data["days"] or 0,
            expected_version=data["version"],
        )
        return saved_at("adjustments:commission", item.commission, "La décision est enregistrée.")

    return form_page(
        request,
        form,
        "adjustments/decision.html",
        {"title": "Décision de la commission", "item": item},
        save=save,
        current=item,
    )

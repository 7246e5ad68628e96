"""Partners pages. Thin: doors open (access.py), forms check, services write, selectors read.

SPIP side: the directory (list with search and filters, detail, edit by the encadrement, a new
convention), a new referral from the person file, a referral's page with its actions.
The partner side ("Mes orientations") is partners.space_views. An action refused (its reason
missing or too long, a forbidden transition) shows the referral's page again (400) with the
typed text and the French message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.audit.services import record_consultation
from parcours.core.doors import allowed
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.measures.access import may_edit_measures
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.panels import person_file_url
from parcours.plans.models import Step
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import ConsentMeans

from . import selectors, services
from .access import (
    DIRECTORY_EDITORS,
    DIRECTORY_READERS,
    REFERRAL_WRITERS,
    profile_door,
    referral_door,
)
from .forms import (
    ActionForm,
    AgreementForm,
    DirectoryFilterForm,
    ProfileForm,
    ReferralForm,
)
from .models import PartnerProfile, Referral

FORM_METHODS = ("GET", "POST")
BACK_TO_REFERRAL = "Retour à l'orientation"
PARTNER_SPACE = {"espace": "partenaire"}


# --- Directory ----------------------------------------------------------------------------------


@allowed(roles=DIRECTORY_READERS)
def directory(request: AuthedRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.filtered_directory(request.user, **{k: v for k, v in filters.items() if v})
    return render(
        request,
        "partners/directory.html",
        {
            "title": "Annuaire des partenaires",
            "form": form,
            "profiles": profiles,
            "filtered": any(filters.values()) if filters else False,
            "may_edit": request.user.role in DIRECTORY_EDITORS,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@profile_door(roles=DIRECTORY_READERS)
def profile(request: AuthedRequest, profile: PartnerProfile) -> HttpResponse:
    return render(
        request,
        "partners/profile.html",
        {
            "title": profile.organisation.name,
            "profile": profile,
            "agreements": list(profile.agreements.all()),
            "may_edit": request.user.role in DIRECTORY_EDITORS,
        },
    )


@profile_door(roles=DIRECTORY_EDITORS, methods=FORM_METHODS)
def profile_edit(request: AuthedRequest, profile: PartnerProfile) -> HttpResponse:
    form = ProfileForm(posted(request), instance=profile, initial={"version": profile.version})

    def save(form: ProfileForm) -> Saved:
        services.update_profile(
            acting_user=request.user,
            profile=form.save(commit=False),
            expected_version=form.cleaned_data["version"],
        )
        return saved_at("partners:profile", profile, "Fiche enregistrée.")

    context = {"title": f"Modifier la fiche — {profile.organisation.name}", "profile": profile}
    return form_page(
        request, form, "partners/profile_form.html", context, save=save, current=profile
    )


@profile_door(roles=DIRECTORY_EDITORS, methods=FORM_METHODS)
def agreement_add(request: AuthedRequest, profile: PartnerProfile) -> HttpResponse:
    form = AgreementForm(posted(request))

    def save(form: AgreementForm) -> Saved:
        services.add_agreement(
            acting_user=request.user, profile=profile, agreement=form.save(commit=False)
        )
        return saved_at("partners:profile", profile, "Convention ajoutée.")

    context = {"title": f"Nouvelle convention — {profile.organisation.name}", "profile": profile}
    return form_page(request, form, "partners/agreement_form.html", context, save=save)


# --- Referrals, SPIP side -----------------------------------------------------------------------


def _person_back(access: PersonAccess) -> str:
    return person_file_url(access.person.public_id, "orientations")


def _plan_back(person: Any) -> str:
    return person_file_url(person.public_id, "plan")


def _refused(request: AuthedRequest, errors: list[str], back: str, label: str) -> HttpResponse:
    return render(
        request,
        "partners/refused.html",
        {"title": "Action refusée", "errors": errors, "back": back, "back_label": label},
        status=400,
    )


def _plan_step(request: AuthedRequest, person: Any) -> Step | HttpResponse | None:
    """The plan step of `?etape=` ("Orienter" on the plan): None without one, the French 400
    for a malformed identifier or a step one cannot orient from; another person's step is a
    404 (selectors.plan_step_of)."""
    raw = request.GET.get("etape", "")
    if not raw:
        return None
    back = _plan_back(person)
    try:
        step_id = UUID(raw)
    except ValueError:
        return _refused(request, ["Identifiant d'étape invalide."], back, "Retour au dossier")
    step = selectors.plan_step_of(person, step_id)
    try:
        services.check_plan_step(person, step)
    except Refused as refused:
        return _refused(request, [str(refused)], back, "Retour au dossier")
    return step


@person_door_by_person_id(roles=REFERRAL_WRITERS, methods=FORM_METHODS, allow=may_edit_measures)
def referral_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    step = _plan_step(request, person)
    if isinstance(step, HttpResponse):
        return step
    # "Choisir un partenaire": the list narrowed by kind and département (GET, no script).
    narrow = DirectoryFilterForm(request.GET or None)
    wanted = narrow.cleaned_data if narrow.is_valid() else {}
    kind = wanted.get("accepts", "")
    choices = selectors.referral_form_choices(person, kind=kind, area=wanted.get("area", ""))
    initial = selectors.step_prefill(step, choices) if step is not None else {}
    if kind:
        initial["kind"] = kind
    form = ReferralForm(posted(request), initial=initial or None, **choices)

    def save(form: ReferralForm) -> Saved:
        data = form.cleaned_data
        referral = services.create_referral(
            acting_user=request.user,
            person=person,
            partner=data["partner"].organisation,
            kind=data["kind"],
            reason=data["reason"],
            obligation=data.get("obligation"),
            measure=data.get("measure"),
            consent_given_on=data.get("consent_given_on"),
            consent_means=data.get("consent_means") or "",
            plan_step=step,
        )
        return saved_at(
            "partners:referral",
            referral,
            "Orientation enregistrée en brouillon : relisez-la puis envoyez-la.",
        )

    context = {
        "title": "Nouvelle orientation",
        "person": person,
        "narrow": narrow,
        "kinds": rules.KINDS,
        "step": step,
        "back": _plan_back(person) if step is not None else _person_back(access),
    }
    return form_page(request, form, "partners/referral_form.html", context, save=save)


@dataclass(frozen=True)
class ActionFailure:
    """A refused action, for the referral's page shown again: the action, the text typed (kept
    in its text area), the message on that text and the other messages."""

    action: str
    reason: str
    reason_errors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _actions(
    referral: Referral, actor: str, failed: ActionFailure | None = None
) -> list[dict[str, Any]]:
    """The buttons of `actor` on `referral`; after a refused action, its text and messages."""
    rows = []
    missing_consent = rules.consent_problem(referral.kind_rules, referral.consent_given_on)
    for code in rules.actions_for(referral.status, actor):
        refused = failed is not None and failed.action == code
        rows.append(
            {
                "code": code,
                "label": rules.Action(code).label,
                "needs_reason": rules.needs_reason(code),
                "asks_consent": code == rules.Action.ENVOYER and missing_consent is not None,
                "reason": failed.reason if failed is not None and refused else "",
                "errors": failed.reason_errors if failed is not None and refused else [],
            }
        )
    return rows


def _referral_page(
    request: AuthedRequest,
    referral: Referral,
    access: PersonAccess,
    failed: ActionFailure | None = None,
) -> HttpResponse:
    actions = _actions(referral, rules.Actor.SPIP, failed) if access.can_edit_measures else []
    return render(
        request,
        "partners/referral.html",
        {
            "title": str(referral),
            "referral": referral,
            "person": access.person,
            "kind": referral.kind_rules,
            "actions": actions,
            "consent_means": ConsentMeans.choices,
            "failed": failed,
            **selectors.referral_history(referral),
        },
        status=200 if failed is None else 400,
    )


@referral_door(roles=REFERRAL_WRITERS)
def referral(request: AuthedRequest, referral: Referral, access: PersonAccess) -> HttpResponse:
    return _referral_page(request, referral, access)


def _apply(
    request: AuthedRequest,
    referral: Referral,
    actor: str,
    back: str,
    page: Callable[[ActionFailure], HttpResponse],
) -> HttpResponse:
    """A POST of an action form: the transition, or the referral's page again (`page(failed)`,
    400) with the text typed and the French reason it is refused; a stale version is a 409
    (CaseErrorsMiddleware)."""
    allowed = rules.actions_for(referral.status, actor)
    form = ActionForm(request.POST, allowed=allowed)
    action, typed = request.POST.get("action", ""), request.POST.get("reason", "")
    if not form.is_valid():
        # Under the action's text area when the page shows one; at the top of the page otherwise.
        beside = "reason" if action in allowed and rules.needs_reason(action) else None
        reason_errors = [str(e) for e in form.errors.get("reason", [])] if beside else []
        others = [str(e) for name, errs in form.errors.items() if name != beside for e in errs]
        return page(ActionFailure(action, typed, reason_errors, others))
    try:
        services.transition(
            acting_user=request.user,
            referral=referral,
            action=form.cleaned_data["action"],
            actor=actor,
            reason=form.cleaned_data.get("reason", ""),
            expected_version=form.cleaned_data["version"],
            consent_given_on=form.cleaned_data.get("consent_given_on"),
            consent_means=form.cleaned_data.get("consent_means") or "",
        )
    except Refused as refused:
        return page(ActionFailure(action, typed, errors=[str(refused)]))
    messages.success(request, f"Orientation : {referral.get_status_display().lower()}.")
    return redirect(back)


@referral_door(roles=REFERRAL_WRITERS, methods=("POST",), allow=may_edit_measures)
def referral_action(
    request: AuthedRequest, referral: Referral, access: PersonAccess
) -> HttpResponse:
    back = reverse("partners:referral", args=[referral.public_id])

    def page(failed: ActionFailure) -> HttpResponse:
        record_consultation(request.user, referral, access.person)
        return _referral_page(request, referral, access, failed)

    return _apply(request, referral, rules.Actor.SPIP, back, page)

"""Partners pages. Thin: doors open (access.py), forms check, services write, selectors read.

SPIP side: the directory (list with search and filters, detail, edit by the encadrement, a new
convention), a new referral from the person file, a referral's page with its actions.
Partner side ("Mes orientations"): the list (status filter, pagination), the CSV export, a
referral's page, accept / decline, a session, the end, an attestation. The partner's templates
receive only projections (projection.PartnerView), never a referral or a person.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.core.pagination import paginate, querystring_without_page
from parcours.measures.access import may_edit_measures
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.panels import person_file_url
from parcours.plans.models import Step
from parcours.rules import referrals as rules

from . import selectors, services
from .access import (
    DIRECTORY_EDITORS,
    DIRECTORY_READERS,
    PARTNER_ROLES,
    REFERRAL_WRITERS,
    partner_referral_door,
    profile_door,
    referral_door,
)
from .forms import (
    ActionForm,
    AgreementForm,
    AttestationForm,
    DirectoryFilterForm,
    PartnerListFilter,
    ProfileForm,
    ReferralForm,
    SessionForm,
)
from .models import PartnerProfile, Referral
from .projection import CSV_COLUMNS, project

FORM_METHODS = ("GET", "POST")
BACK_TO_REFERRAL = "Retour à l'orientation"


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


def _actions(referral: Referral, actor: str) -> list[dict[str, Any]]:
    return [
        {
            "code": a,
            "label": rules.Action(a).label,
            "needs_reason": rules.needs_reason(a),
        }
        for a in rules.actions_for(referral.status, actor)
    ]


@referral_door(roles=REFERRAL_WRITERS)
def referral(request: AuthedRequest, referral: Referral, access: PersonAccess) -> HttpResponse:
    actions = _actions(referral, rules.Actor.SPIP) if access.can_edit_measures else []
    return render(
        request,
        "partners/referral.html",
        {
            "title": str(referral),
            "referral": referral,
            "person": access.person,
            "kind": referral.kind_rules,
            "actions": actions,
            **selectors.referral_history(referral),
        },
    )


def _apply(request: AuthedRequest, referral: Referral, actor: str, back: str) -> HttpResponse:
    """A POST of an action form: the transition, or the French reason it is refused (400);
    a stale version is a 409 (CaseErrorsMiddleware)."""
    form = ActionForm(request.POST, allowed=rules.actions_for(referral.status, actor))
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _refused(request, errors, back, BACK_TO_REFERRAL)
    try:
        services.transition(
            acting_user=request.user,
            referral=referral,
            action=form.cleaned_data["action"],
            actor=actor,
            reason=form.cleaned_data.get("reason", ""),
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refused:
        return _refused(request, [str(refused)], back, BACK_TO_REFERRAL)
    messages.success(request, f"Orientation : {referral.get_status_display().lower()}.")
    return redirect(back)


@referral_door(roles=REFERRAL_WRITERS, methods=("POST",), allow=may_edit_measures)
def referral_action(
    request: AuthedRequest, referral: Referral, access: PersonAccess
) -> HttpResponse:
    back = reverse("partners:referral", args=[referral.public_id])
    return _apply(request, referral, rules.Actor.SPIP, back)


# --- The partner space --------------------------------------------------------------------------


def _journal_list(request: AuthedRequest, action: str, label: str, rows: list[Any]) -> None:
    """The partner's list of referrals, read or exported: journaled with the referrals shown."""
    record(
        action,
        actor=request.user,
        object_type="orientations",
        object_label=label,
        details={"espace": "partenaire", "orientations": [r.public_id for r in rows]},
    )


@allowed(roles=PARTNER_ROLES)
def inbox(request: AuthedRequest) -> HttpResponse:
    form = PartnerListFilter(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = paginate(request, selectors.partner_list(request.user, status))
    rows = [project(r) for r in page.object_list]
    _journal_list(request, AuditAction.CONSULTATION, "Liste des orientations du partenaire", rows)
    return render(
        request,
        "partners/inbox.html",
        {
            "title": "Mes orientations",
            "form": form,
            "rows": rows,
            "page": page,
            "querystring": querystring_without_page(request),
            "organisation": request.user.organisation,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _csv_cell(value: Any) -> str:
    """A cell of the export; formulas neutralised (security.md, bar 10)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


@allowed(roles=PARTNER_ROLES)
def inbox_csv(request: AuthedRequest) -> HttpResponse:
    rows = [project(r) for r in selectors.partner_list(request.user)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(getattr(row, attr)) for _, attr in CSV_COLUMNS])
    _journal_list(request, AuditAction.EXPORT, "Export CSV des orientations du partenaire", rows)
    content = "\ufeff" + buffer.getvalue()
    return document(content, "orientations.csv", "text/csv; charset=utf-8", attachment=True)


def _partner_page(request: AuthedRequest, referral: Referral) -> str:
    return reverse("partners:inbox_detail", args=[referral.public_id])


@partner_referral_door(roles=PARTNER_ROLES)
def inbox_detail(request: AuthedRequest, referral: Referral) -> HttpResponse:
    view = project(referral, with_history=True)
    return render(
        request,
        "partners/inbox_detail.html",
        {
            "title": f"Orientation — {view.kind_label}",
            "view": view,
            "actions": _actions(referral, rules.Actor.PARTENAIRE),
            "version": referral.version,
            "may_record": referral.status in rules.SESSION_STATUSES,
        },
    )


@partner_referral_door(roles=PARTNER_ROLES, methods=("POST",))
def inbox_action(request: AuthedRequest, referral: Referral) -> HttpResponse:
    return _apply(request, referral, rules.Actor.PARTENAIRE, _partner_page(request, referral))


@partner_referral_door(roles=PARTNER_ROLES, methods=FORM_METHODS)
def inbox_session(request: AuthedRequest, referral: Referral) -> HttpResponse:
    view = project(referral)
    form = SessionForm(posted(request), tig=view.records_tig_hours)

    def save(form: SessionForm) -> Saved:
        data = form.cleaned_data
        services.record_session(
            acting_user=request.user,
            referral=referral,
            day=data["day"],
            attended=data["attended"],
            note=data.get("note", ""),
            hours=data.get("hours"),
        )
        return Saved(_partner_page(request, referral), "Séance enregistrée.")

    context = {"title": "Enregistrer une séance", "view": view}
    return form_page(request, form, "partners/inbox_form.html", context, save=save)


@partner_referral_door(roles=PARTNER_ROLES, methods=FORM_METHODS)
def inbox_attestation(request: AuthedRequest, referral: Referral) -> HttpResponse:
    view = project(referral)
    form = AttestationForm(posted(request), request.FILES if request.method == "POST" else None)

    def save(form: AttestationForm) -> Saved:
        assert form.checked is not None
        services.upload_attestation(
            acting_user=request.user,
            referral=referral,
            checked=form.checked,
            received_on=form.cleaned_data["received_on"],
        )
        return Saved(
            _partner_page(request, referral),
            "Attestation déposée : le SPIP la vérifiera.",
        )

    context = {"title": "Déposer une attestation", "view": view, "upload": True}
    return form_page(request, form, "partners/inbox_form.html", context, save=save)

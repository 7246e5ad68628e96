"""The partner space's pages ("Mes orientations", /partenaires/mes-orientations/): the list
(status filter, pagination), the CSV export, a referral's page, accept / decline, a session
(recorded, corrected, deleted), the end, an attestation. The templates receive only projections
(projection.PartnerView), never a referral or a person. The SPIP side is partners.views."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.audit.models import AuditAction
from parcours.audit.services import record, record_consultation
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.core.pagination import paginate, querystring_without_page
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import ReferralStatus

from . import selectors, services
from .access import (
    PARTNER_ROLES,
    partner_referral_door,
)
from .forms import (
    AttestationForm,
    PartnerListFilter,
    SessionForm,
)
from .models import Referral, ReferralSession
from .projection import CSV_COLUMNS, csv_row, project, session_row
from .views import (
    BACK_TO_REFERRAL,
    FORM_METHODS,
    PARTNER_SPACE,
    ActionFailure,
    _actions,
    _apply,
    _refused,
)


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


@allowed(roles=PARTNER_ROLES)
def inbox_csv(request: AuthedRequest) -> HttpResponse:
    rows = [project(r) for r in selectors.partner_list(request.user)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for row in rows:
        writer.writerow(csv_row(row))
    _journal_list(request, AuditAction.EXPORT, "Export CSV des orientations du partenaire", rows)
    content = "\ufeff" + buffer.getvalue()
    return document(content, "orientations.csv", "text/csv; charset=utf-8", attachment=True)


def _partner_page(request: AuthedRequest, referral: Referral) -> str:
    return reverse("partners:inbox_detail", args=[referral.public_id])


def _partner_detail(
    request: AuthedRequest, referral: Referral, failed: ActionFailure | None = None
) -> HttpResponse:
    view = project(referral, with_history=True)
    return render(
        request,
        "partners/inbox_detail.html",
        {
            "title": f"Orientation — {view.kind_label}",
            "view": view,
            "actions": _actions(referral, rules.Actor.PARTENAIRE, failed),
            "version": referral.version,
            "may_record": referral.status in rules.SESSION_STATUSES,
            "failed": failed,
        },
        status=200 if failed is None else 400,
    )


@partner_referral_door(roles=PARTNER_ROLES)
def inbox_detail(request: AuthedRequest, referral: Referral) -> HttpResponse:
    return _partner_detail(request, referral)


@partner_referral_door(roles=PARTNER_ROLES, methods=("POST",))
def inbox_action(request: AuthedRequest, referral: Referral) -> HttpResponse:
    def page(failed: ActionFailure) -> HttpResponse:
        record_consultation(request.user, referral, referral.person, details=PARTNER_SPACE)
        return _partner_detail(request, referral, failed)

    return _apply(request, referral, rules.Actor.PARTENAIRE, _partner_page(request, referral), page)


@partner_referral_door(roles=PARTNER_ROLES, methods=FORM_METHODS)
def inbox_session(request: AuthedRequest, referral: Referral) -> HttpResponse:
    view = project(referral)
    form = SessionForm(posted(request), tig=view.records_tig_hours)

    def save(form: SessionForm) -> Saved:
        data = form.cleaned_data
        accepted = referral.status == ReferralStatus.ACCEPTEE
        services.record_session(
            acting_user=request.user,
            referral=referral,
            day=data["day"],
            attended=data["attended"],
            note=data.get("note", ""),
            hours=data.get("hours"),
        )
        messages.success(request, "Séance enregistrée.")
        if accepted and referral.status == ReferralStatus.EN_COURS:  # the first session
            messages.info(request, "L'accompagnement est maintenant en cours.")
        return Saved(_partner_page(request, referral))

    context = {"title": "Enregistrer une séance", "view": view}
    return form_page(request, form, "partners/inbox_form.html", context, save=save)


def _correctable_session(
    request: AuthedRequest, referral: Referral, session_id: UUID
) -> ReferralSession | HttpResponse:
    """The referral's session `session_id` (404 otherwise), or the French 400 saying why the
    partner may no longer change it (its hours validated, the referral refused or closed)."""
    session = selectors.partner_session(referral, session_id)
    problem = services.session_correctable(referral, session)
    if problem:
        return _refused(request, [problem], _partner_page(request, referral), BACK_TO_REFERRAL)
    return session


@partner_referral_door(roles=PARTNER_ROLES, methods=FORM_METHODS)
def inbox_session_edit(
    request: AuthedRequest, referral: Referral, session_id: UUID
) -> HttpResponse:
    session = _correctable_session(request, referral, session_id)
    if isinstance(session, HttpResponse):
        return session
    view = project(referral)
    initial = {
        "day": session.day,
        "attended": "oui" if session.attended else "non",
        "note": session.note,
        "hours": session.hours,
    }
    form = SessionForm(posted(request), tig=view.records_tig_hours, initial=initial)

    def save(form: SessionForm) -> Saved:
        data = form.cleaned_data
        services.update_session(
            acting_user=request.user,
            referral=referral,
            session=session,
            day=data["day"],
            attended=data["attended"],
            note=data.get("note", ""),
            hours=data.get("hours"),
        )
        return Saved(_partner_page(request, referral), "Séance corrigée.")

    context: dict[str, Any] = {"title": "Modifier une séance", "view": view}
    if view.records_tig_hours:
        context["intro"] = "Les heures corrigées remplacent les heures à valider par le SPIP."
    return form_page(request, form, "partners/inbox_form.html", context, save=save)


@partner_referral_door(roles=PARTNER_ROLES, methods=FORM_METHODS)
def inbox_session_delete(
    request: AuthedRequest, referral: Referral, session_id: UUID
) -> HttpResponse:
    """GET asks for the confirmation; POST deletes (journaled)."""
    session = _correctable_session(request, referral, session_id)
    if isinstance(session, HttpResponse):
        return session
    back = _partner_page(request, referral)
    if request.method == "POST":
        try:
            services.delete_session(acting_user=request.user, referral=referral, session=session)
        except Refused as refused:
            return _refused(request, [str(refused)], back, BACK_TO_REFERRAL)
        messages.success(request, "Séance supprimée.")
        return redirect(back)
    return render(
        request,
        "partners/session_delete.html",
        {
            "title": "Supprimer une séance",
            "view": project(referral),
            "session": session_row(referral, session),
            "back": back,
        },
    )


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

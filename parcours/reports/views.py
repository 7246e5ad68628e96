"""Reports to the judge: the lists, a report, its editor (form and JSON autosave), its workflow
actions and its files. Thin: doors open the report (through the person's door), selectors read
the lists, services write."""

from __future__ import annotations

import json
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.errors import ConflictError, MotifRequired
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.core.middleware import mark_private
from parcours.people.access import PersonAccess, may_edit_measures, person_door_by_person_id
from parcours.rules import reports as rules

from . import selectors, services
from .access import (
    REPORT_ROLES,
    SPIP_REPORT_ROLES,
    WRITE_DENIED,
    WRITER_ROLES,
    actor_for,
    editing_refusal,
    report_door,
)
from .forms import ActionForm, ContentForm, NewReportForm
from .headings import shown_sections
from .models import Report, ReportKind

MAX_AUTOSAVE_BYTES = 512 * 1024
COURT_ROLES = (Role.JAP, Role.GREFFE_SAP)
STALE_ACTION = "Le rapport a changé depuis l'ouverture de la page : vérifiez-le puis recommencez."
UNREADABLE = "Contenu de la sauvegarde illisible : version et rubriques attendues."


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    mark_private(response)
    return response


# --- Lists ------------------------------------------------------------------------------------


@allowed(roles=SPIP_REPORT_ROLES)
def my_reports(request: AuthedRequest) -> HttpResponse:
    """Mes rapports: late first, then drafts sent back, other drafts, submitted, validated;
    then by due date (none last)."""
    mine = selectors.my_reports(request.user)
    return render(
        request,
        "reports/my_reports.html",
        {"title": "Mes rapports", "open_reports": mine.open, "sent_reports": mine.sent},
    )


@allowed(roles=(Role.DPIP, Role.DFSPIP))
def to_validate(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "reports/to_validate.html",
        {"title": "Rapports à valider", "reports": selectors.to_validate(request.user)},
    )


@allowed(roles=COURT_ROLES)
def court_reports(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "reports/court_reports.html",
        {"title": "Rapports reçus", "reports": selectors.court_reports(request.user)},
    )


# --- A new report -----------------------------------------------------------------------------


@person_door_by_person_id(
    roles=WRITER_ROLES, methods=("GET", "POST"), allow=may_edit_measures, denied=WRITE_DENIED
)
def report_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    # ?type=incident&mesure=<public_id> preselects (e.g. from a breach's "rapport d'incident").
    initial: dict[str, Any] = {}
    if request.GET.get("type") in ReportKind.values:
        initial["kind"] = request.GET["type"]
    if request.GET.get("mesure"):
        initial["measure"] = selectors.person_measure_pk(person, request.GET["mesure"])
    form = NewReportForm(posted(request), person=person, initial=initial)

    def save(form: NewReportForm) -> Saved:
        report = services.create_report(
            acting_user=request.user, person=person, **form.cleaned_data
        )
        return saved_at(
            "reports:edit", report, "Le rapport est créé et prérempli à partir du dossier."
        )

    return form_page(
        request,
        form,
        "reports/report_create.html",
        {"title": "Nouveau rapport", "person": person},
        save=save,
    )


# --- A report and its workflow ----------------------------------------------------------------


def _detail_context(request: AuthedRequest, report: Report, access: PersonAccess) -> dict[str, Any]:
    actor = actor_for(request.user, report)
    actions = rules.available_actions(report.status, actor)
    return {
        "title": report.get_kind_display(),
        "report": report,
        "person": access.person,
        "sections": [
            {**s, "text": report.content.get(s["key"], "")} for s in shown_sections(report)
        ],
        "events": selectors.report_events(report, court=request.user.role in COURT_ROLES),
        "actions": [(a, rules.ACTION_LABELS[a], a in rules.COMMENT_REQUIRED) for a in actions],
        "can_edit": rules.refusal(report.status, rules.MODIFIER, actor) is None,
        "is_court": request.user.role in COURT_ROLES,
        "overdue": rules.is_overdue(report.status, report.due_date, timezone.localdate()),
    }


@report_door(roles=REPORT_ROLES)
def report_detail(request: AuthedRequest, report: Report, access: PersonAccess) -> HttpResponse:
    return render(request, "reports/report_detail.html", _detail_context(request, report, access))


@report_door(roles=REPORT_ROLES, methods=("POST",))
def report_transition(request: AuthedRequest, report: Report, access: PersonAccess) -> HttpResponse:
    """One workflow action; refused (403), a comment or the avis missing (400) or a stale page
    (409): the report's page again, with the reason."""
    form = ActionForm(request.POST)
    error = ""
    status = 400
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.apply_action(
                acting_user=request.user,
                report=report,
                action=action,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ReportIncomplete as incomplete:  # the writer completes it: 400
            error = str(incomplete)
        except services.ReportRefused as refused:
            if rules.already_done(report.status, action):
                messages.info(
                    request,
                    f"Déjà fait : {rules.ACTION_DONE[action][0].lower()}"
                    f"{rules.ACTION_DONE[action][1:]}",
                )
                return redirect("reports:detail", public_id=report.public_id)
            error, status = str(refused), 403
            if action in rules.COMMENT_REQUIRED and "Indiquez" in error:
                status = 400
                form.add_error("comment", error)
                error = ""
        except ConflictError:
            error, status = STALE_ACTION, 409
        else:
            messages.success(request, rules.ACTION_DONE[action])
            return redirect("reports:detail", public_id=report.public_id)
        report, access = report_door.open(request, report.public_id, journal=False)
    context = _detail_context(request, report, access)
    context.update(action_form=form, action_error=error)
    return render(request, "reports/report_detail.html", context, status=status)


# --- The editor -------------------------------------------------------------------------------


def _server_copy(report: Report) -> dict[str, Any]:
    """The saved text, for the editor facing a conflict (JSON and page)."""
    by = report.content_updated_by
    at = report.content_updated_at
    return {
        "version": report.version,
        "content": {k: report.content.get(k, "") for k in report.section_keys},
        "updated_by": (by.get_full_name() or by.get_username()) if by is not None else "",
        "updated_at": timezone.localtime(at).strftime("%d/%m/%Y à %H:%M") if at else "",
    }


@report_door(roles=WRITER_ROLES, methods=("GET", "POST"))
def report_edit(request: AuthedRequest, report: Report, access: PersonAccess) -> HttpResponse:
    """The editor without script (the script saves through `report_autosave`)."""
    refused = editing_refusal(request.user, report)
    if refused:
        raise PermissionDenied(refused)
    form = ContentForm(
        posted(request),
        initial={"version": report.version}
        | {f"section-{k}": report.content.get(k, "") for k in report.section_keys},
        sections=shown_sections(report),
    )

    def save(form: ContentForm) -> Saved:
        try:
            services.save_content(
                acting_user=request.user,
                report=report,
                content=form.content(),
                expected_version=form.cleaned_data["version"],
            )
        except services.ReportRefused as error:  # no longer a draft since the page was opened
            raise PermissionDenied(str(error)) from None
        return saved_at("reports:detail", report, "Le rapport est enregistré.")

    def saved_copy() -> dict[str, Any]:
        report.refresh_from_db()
        copy = _server_copy(report)
        copy["sections"] = [
            {"heading": s["heading"], "text": copy["content"].get(s["key"], "")}
            for s in shown_sections(report)
        ]
        return copy

    return form_page(
        request,
        form,
        "reports/report_edit.html",
        {
            "title": f"Rédaction — {report.get_kind_display()}",
            "report": report,
            "person": access.person,
        },
        save=save,
        current=saved_copy,
    )


def _autosave_payload(request: AuthedRequest, report: Report) -> dict[str, Any] | str:
    """{"version": n, "content": {section key: text}} from the body, or the French reason."""
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return "Le texte envoyé est trop long."
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return UNREADABLE
    if not isinstance(payload, dict):
        return UNREADABLE
    version, content = payload.get("version"), payload.get("content")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version < 2**31
        or not isinstance(content, dict)
    ):
        return UNREADABLE
    problems = rules.content_problems(content, report.section_keys)
    return " ".join(problems) if problems else payload


@allowed(roles=WRITER_ROLES, methods=("POST",))
def report_autosave(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """JSON autosave: {"version": n, "content": {section key: text}} → 200 {version} | 400 |
    403 (not editable, e.g. transmitted) | 409 {server copy}. The report door is opened here
    so that a motif asked is a JSON 403, not the motif page."""
    try:
        report, _access = report_door.open(request, public_id, journal=False)
    except MotifRequired:
        return _json({"error": "Ouvrez d'abord le dossier de la personne."}, 403)
    payload = _autosave_payload(request, report)
    if isinstance(payload, str):
        return _json({"error": payload}, 400)
    refused = editing_refusal(request.user, report)
    if refused:
        return _json({"error": refused}, 403)
    try:
        saved = services.save_content(
            acting_user=request.user,
            report=report,
            content=payload["content"],
            expected_version=payload["version"],
        )
    except ConflictError:
        report.refresh_from_db()
        return _json(
            {
                "error": "Ce rapport a été modifié ailleurs depuis l'ouverture de la page.",
                "server": _server_copy(report),
            },
            409,
        )
    except services.ReportRefused as error:
        return _json({"error": str(error)}, 403)
    at = saved.content_updated_at or timezone.now()
    return _json(
        {
            "version": saved.version,
            "saved_at": at.isoformat(),
            "saved_at_display": timezone.localtime(at).strftime("%H:%M:%S"),
        }
    )


# --- Files ------------------------------------------------------------------------------------


def _download(
    request: AuthedRequest, report: Report, access: PersonAccess, kind: str
) -> HttpResponse | FileResponse:
    file = services.report_file(
        acting_user=request.user, report=report, motif=access.motif, kind=kind
    )
    response: HttpResponse | FileResponse
    if file.path is None:
        response = document(file.data, file.name, file.content_type, attachment=True)
    else:
        response = FileResponse(
            file.path.open("rb"),
            as_attachment=True,
            filename=file.name,
            content_type=file.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    mark_private(response)
    return response


# The files journal their own consultation or export (services.report_file), not the door.
@report_door(roles=REPORT_ROLES, journal=())
def report_pdf(request: AuthedRequest, report: Report, access: PersonAccess) -> HttpResponse:
    # A FileResponse streams; the doors' typing only knows HttpResponse.
    return cast(HttpResponse, _download(request, report, access, "pdf"))


@report_door(roles=REPORT_ROLES, journal=())
def report_docx(request: AuthedRequest, report: Report, access: PersonAccess) -> HttpResponse:
    return cast(HttpResponse, _download(request, report, access, "docx"))

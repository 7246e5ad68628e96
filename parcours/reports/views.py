from __future__ import annotations

import json
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parcours.accounts.models import Role
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError
from parcours.core.permissions import require_roles
from parcours.people.access import MotifRequired, get_person_for
from parcours.rules import reports as rules

from . import services, storage
from .access import (
    REPORT_ROLES,
    SPIP_REPORT_ROLES,
    WRITER_ROLES,
    actor_for,
    get_report_for,
    visible_reports,
)
from .forms import ActionForm, ContentForm, NewReportForm
from .models import Report, ReportEvent, ReportKind, ReportStatus

MAX_AUTOSAVE_BYTES = 512 * 1024


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _with_overdue(reports: QuerySet[Report]) -> QuerySet[Report]:
    today = timezone.localdate()
    return reports.annotate(
        overdue=Case(
            When(
                Q(due_date__lt=today) & ~Q(status__in=rules.FROZEN_STATUSES),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _listing(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.select_related("person", "measure__measure_type", "author")


@require_http_methods(["GET"])
@require_roles(*SPIP_REPORT_ROLES)
def my_reports(request: HttpRequest) -> HttpResponse:
    """Mes rapports: late first, then drafts sent back, other drafts, submitted, validated;
    then by due date (none last)."""
    user = request.user
    mine = visible_reports(user).filter(Q(author=user) | Q(person__referent=user))  # type: ignore[arg-type]
    sent_back = Exists(ReportEvent.objects.filter(report=OuterRef("pk"), action=rules.RENVOYER))
    order = Case(
        When(Q(status=ReportStatus.BROUILLON) & Q(was_sent_back=True), then=Value(0)),
        When(status=ReportStatus.BROUILLON, then=Value(1)),
        When(status=ReportStatus.SOUMIS, then=Value(2)),
        When(status=ReportStatus.VALIDE, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    open_reports = list(
        _listing(_with_overdue(mine.exclude(status__in=rules.FROZEN_STATUSES)))
        .annotate(was_sent_back=sent_back)
        .annotate(rank=order)
        .order_by("-overdue", "rank", F("due_date").asc(nulls_last=True), "-pk")
    )
    for report in open_reports:
        report.returned = report.rank == 0  # type: ignore[attr-defined]
    sent = list(
        _listing(mine.filter(status__in=rules.FROZEN_STATUSES)).order_by("-transmitted_at")[:20]
    )
    return render(
        request,
        "reports/my_reports.html",
        {"title": "Mes rapports", "open_reports": open_reports, "sent_reports": sent},
    )


@require_http_methods(["GET"])
@require_roles(Role.DPIP, Role.DFSPIP)
def to_validate(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    submitted = visible_reports(user).filter(status=ReportStatus.SOUMIS)
    reports = list(
        _listing(_with_overdue(submitted)).order_by(
            "-overdue", F("due_date").asc(nulls_last=True), "pk"
        )
    )
    return render(
        request, "reports/to_validate.html", {"title": "Rapports à valider", "reports": reports}
    )


@require_http_methods(["GET"])
@require_roles(Role.JAP, Role.GREFFE_SAP)
def court_reports(request: HttpRequest) -> HttpResponse:
    reports = list(
        _listing(visible_reports(request.user))  # type: ignore[arg-type]
        .select_related("measure__tribunal")
        .order_by(
            Case(
                When(status=ReportStatus.TRANSMIS, then=Value(0)),
                When(status=ReportStatus.RECU, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "-transmitted_at",
        )[:200]
    )
    return render(
        request, "reports/court_reports.html", {"title": "Rapports reçus", "reports": reports}
    )


@require_http_methods(["GET", "POST"])
@require_roles(*WRITER_ROLES)
def report_create(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, person_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas y rédiger un rapport.")
    person = access.person
    # ?type=incident&mesure=<public_id> preselects (e.g. from a breach's "rapport d'incident").
    initial: dict[str, Any] = {}
    if request.GET.get("type") in ReportKind.values:
        initial["kind"] = request.GET["type"]
    wanted = request.GET.get("mesure", "")
    if wanted:
        initial["measure"] = (
            person.measures.filter(public_id=wanted).values_list("pk", flat=True).first()
            if _is_uuid(wanted)
            else None
        )
    form = NewReportForm(
        request.POST if request.method == "POST" else None, person=person, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(
                acting_user=request.user,  # type: ignore[arg-type]
                person=person,
                kind=form.cleaned_data["kind"],
                measure=form.cleaned_data["measure"],
                due_date=form.cleaned_data["due_date"],
            )
        except (services.ReportRefused, ValueError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Le rapport est créé et prérempli à partir du dossier.")
            return redirect("reports:edit", public_id=report.public_id)
    return render(
        request,
        "reports/report_create.html",
        {"title": "Nouveau rapport", "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request: HttpRequest, report: Report, access: Any) -> dict[str, Any]:
    actor = actor_for(request.user, report)  # type: ignore[arg-type]
    actions = rules.available_actions(report.status, actor)
    is_court = getattr(request.user, "role", None) in (Role.JAP, Role.GREFFE_SAP)
    return {
        "title": report.get_kind_display(),
        "report": report,
        "person": access.person,
        "sections": [{**s, "text": report.content.get(s["key"], "")} for s in report.sections],
        "events": list(report.events.select_related("actor")),
        "actions": [(a, rules.ACTION_LABELS[a], a in rules.COMMENT_REQUIRED) for a in actions],
        "can_edit": rules.refusal(report.status, rules.MODIFIER, actor) is None,
        "is_court": is_court,
        "overdue": rules.is_overdue(report.status, report.due_date, timezone.localdate()),
    }


@require_http_methods(["GET"])
@require_roles(*REPORT_ROLES)
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        report, access = get_report_for(request, public_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    return render(request, "reports/report_detail.html", _detail_context(request, report, access))


@require_http_methods(["POST"])
@require_roles(*REPORT_ROLES)
def report_transition(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        report, access = get_report_for(request, public_id, journal=False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    form = ActionForm(request.POST)
    error = ""
    status = 400
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.apply_action(
                acting_user=request.user,  # type: ignore[arg-type]
                report=report,
                action=action,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ReportRefused as refused:
            error, status = str(refused), 403
            if action in rules.COMMENT_REQUIRED and "Indiquez" in error:
                status = 400
                form.add_error("comment", error)
                error = ""
        except ConflictError:
            error, status = (
                "Le rapport a changé depuis l'ouverture de la page : vérifiez-le puis recommencez.",
                409,
            )
        else:
            messages.success(request, f"Action effectuée : {rules.ACTION_LABELS[action]}.")
            return redirect("reports:detail", public_id=report.public_id)
        report, access = get_report_for(request, public_id, journal=False)
    context = _detail_context(request, report, access)
    context.update(action_form=form, action_error=error)
    return render(request, "reports/report_detail.html", context, status=status)


def _editable(request: HttpRequest, report: Report) -> str | None:
    return rules.refusal(report.status, rules.MODIFIER, actor_for(request.user, report))  # type: ignore[arg-type]


def _server_copy(report: Report) -> dict[str, Any]:
    by = report.content_updated_by
    at = report.content_updated_at
    return {
        "version": report.version,
        "content": {k: report.content.get(k, "") for k in report.section_keys},
        "updated_by": (by.get_full_name() or by.get_username()) if by is not None else "",
        "updated_at": timezone.localtime(at).strftime("%d/%m/%Y à %H:%M") if at else "",
    }


@require_http_methods(["GET", "POST"])
@require_roles(*WRITER_ROLES)
def report_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        report, access = get_report_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    refused = _editable(request, report)
    if refused:
        raise PermissionDenied(refused)
    initial = {"version": report.version} | {
        f"section-{k}": report.content.get(k, "") for k in report.section_keys
    }
    form = ContentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        sections=report.sections,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_content(
                acting_user=request.user,  # type: ignore[arg-type]
                report=report,
                content=form.content(),
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            report.refresh_from_db()
            conflict = _server_copy(report)
        except services.ReportRefused as error:
            raise PermissionDenied(str(error)) from None
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le rapport est enregistré.")
            return redirect("reports:detail", public_id=report.public_id)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "reports/report_edit.html",
        {
            "title": f"Rédaction — {report.get_kind_display()}",
            "report": report,
            "person": access.person,
            "form": form,
            "conflict": conflict,
            "conflict_sections": [
                {"heading": s["heading"], "text": conflict["content"].get(s["key"], "")}
                for s in report.sections
            ]
            if conflict
            else [],
            "server_updated_at": report.content_updated_at.isoformat()
            if report.content_updated_at
            else "",
        },
        status=status,
    )


@require_http_methods(["POST"])
@require_roles(*WRITER_ROLES)
def report_autosave(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """JSON autosave: {"version": n, "content": {section key: text}} → 200 {version} | 400 |
    403 (not editable, e.g. transmitted) | 409 {server copy}."""
    try:
        report, _access = get_report_for(request, public_id, journal=False)
    except MotifRequired:
        return _json({"error": "Ouvrez d'abord le dossier de la personne."}, 403)
    unreadable = "Contenu de la sauvegarde illisible : version et rubriques attendues."
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return _json({"error": "Le texte envoyé est trop long."}, 400)
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return _json({"error": unreadable}, 400)
    if not isinstance(payload, dict):
        return _json({"error": unreadable}, 400)
    version, content = payload.get("version"), payload.get("content")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version < 2**31
        or not isinstance(content, dict)
    ):
        return _json({"error": unreadable}, 400)
    problems = rules.content_problems(content, report.section_keys)
    if problems:
        return _json({"error": " ".join(problems)}, 400)
    refused = _editable(request, report)
    if refused:
        return _json({"error": refused}, 403)
    try:
        saved = services.save_content(
            acting_user=request.user,  # type: ignore[arg-type]
            report=report,
            content=content,
            expected_version=version,
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


def _download(request: HttpRequest, public_id: UUID, kind: str) -> HttpResponse | FileResponse:
    try:
        report, access = get_report_for(request, public_id, journal=False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = f"{report.reference}-{report.kind}.{kind}"
    if report.is_frozen:
        path = storage.resolve(report.pdf_path if kind == "pdf" else report.docx_path)
        digest = report.pdf_sha256 if kind == "pdf" else report.docx_sha256
        body: Any = path.open("rb")
        projet = False
    else:
        from parcours.documents import build_docx, build_pdf

        from .document import report_document

        document = report_document(report)
        data = build_pdf(document) if kind == "pdf" else build_docx(document)
        digest, body, projet = storage.sha256(data), None, True
        name = f"PROJET-{name}"
    record(
        AuditAction.EXPORT if projet else AuditAction.CONSULTATION,
        actor=request.user,
        obj=report,
        object_type="report",
        person_public_id=access.person.public_id,
        spip_id=access.person.spip_id,
        motif=access.motif,
        details={"fichier": name, "format": kind, "sha256": digest, "projet": projet},
    )
    response: HttpResponse | FileResponse
    if projet:
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = FileResponse(body, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
@require_roles(*REPORT_ROLES)
def report_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    # A FileResponse is a streaming response; the role decorator's typing only knows HttpResponse.
    return cast(HttpResponse, _download(request, public_id, "pdf"))


@require_http_methods(["GET"])
@require_roles(*REPORT_ROLES)
def report_docx(request: HttpRequest, public_id: UUID) -> HttpResponse:
    # A FileResponse is a streaming response; the role decorator's typing only knows HttpResponse.
    return cast(HttpResponse, _download(request, public_id, "docx"))

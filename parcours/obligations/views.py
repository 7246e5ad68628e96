from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError
from parcours.measures.access import get_measure_for
from parcours.people.access import MotifRequired

from . import services, storage
from .access import FILE_READER_ROLES, WRITER_ROLES, get_obligation_for, get_proof_for
from .forms import DecisionForm, ObligationForm, ObligationTypePickForm, ProofForm
from .models import Obligation, ObligationType, Proof

READ_ONLY = "Vous pouvez consulter ce dossier mais pas le modifier."


def _back(person_public_id: UUID, anchor: str = "mesures") -> str:
    return reverse("people:detail", args=[person_public_id]) + f"#{anchor}"


def _require_writer_role(request: HttpRequest, what: str) -> None:
    if getattr(request.user, "role", None) not in WRITER_ROLES:
        raise PermissionDenied(f"Votre rôle ne permet pas {what}.")


@require_http_methods(["GET", "POST"])
def obligation_create(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    _require_writer_role(request, "d'ajouter une obligation")
    try:
        measure, access = get_measure_for(request, measure_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied(READ_ONLY)
    person = access.person
    code = request.POST.get("obligation_type") if request.method == "POST" else None
    code = code or request.GET.get("type") or ""
    obligation_type = ObligationType.objects.current().filter(code=code).first()
    context = {"person": person, "measure": measure, "title": "Nouvelle obligation"}
    if request.method == "GET" and obligation_type is None:
        pick = ObligationTypePickForm(request.GET if "type" in request.GET else None)
        if pick.is_bound:
            pick.is_valid()  # shows "choix invalide" for an unknown code
        return render(
            request,
            "obligations/obligation_form.html",
            {**context, "pick": pick},
            status=400 if pick.is_bound else 200,
        )
    form = ObligationForm(
        request.POST if request.method == "POST" else None, obligation_type=obligation_type
    )
    if request.method == "POST" and form.is_valid():
        obligation = services.add_obligation(
            acting_user=request.user,  # type: ignore[arg-type]
            measure=measure,
            obligation=form.save(commit=False),
        )
        messages.success(request, "L'obligation est enregistrée.")
        return redirect(_back(person.public_id, f"obligation-{obligation.public_id}"))
    return render(
        request,
        "obligations/obligation_form.html",
        {**context, "form": form, "obligation_type": obligation_type},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def obligation_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _require_writer_role(request, "de modifier une obligation")
    try:
        obligation, access = get_obligation_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied(READ_ONLY)
    form = ObligationForm(request.POST if request.method == "POST" else None, instance=obligation)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_obligation(
                acting_user=request.user,  # type: ignore[arg-type]
                obligation=form.save(commit=False),
                changed=form.changed_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError:
            conflict = Obligation.objects.select_related("obligation_type").get(pk=obligation.pk)
        else:
            messages.success(request, "L'obligation est mise à jour.")
            return redirect(_back(access.person.public_id, f"obligation-{obligation.public_id}"))
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "obligations/obligation_form.html",
        {
            "title": f"Modifier — {obligation.obligation_type.article}",
            "form": form,
            "person": access.person,
            "measure": obligation.measure,
            "obligation": obligation,
            "obligation_type": obligation.obligation_type,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def proof_create(request: HttpRequest, obligation_id: UUID) -> HttpResponse:
    _require_writer_role(request, "d'ajouter un justificatif")
    try:
        obligation, access = get_obligation_for(
            request, obligation_id, journal=request.method == "GET"
        )
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied(READ_ONLY)
    form = ProofForm(request.POST, request.FILES) if request.method == "POST" else ProofForm()
    if request.method == "POST" and form.is_valid():
        services.add_proof(
            acting_user=request.user,  # type: ignore[arg-type]
            obligation=obligation,
            proof=form.save(commit=False),
            checked=form.checked,
        )
        messages.success(request, "Le justificatif est enregistré.")
        return redirect(_back(access.person.public_id, f"obligation-{obligation.public_id}"))
    return render(
        request,
        "obligations/proof_form.html",
        {
            "title": "Nouveau justificatif",
            "form": form,
            "person": access.person,
            "obligation": obligation,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def proof_download(request: HttpRequest, public_id: UUID) -> HttpResponse | FileResponse:
    """Streams a justificatif's file as an attachment; the consultation is journaled."""
    if getattr(request.user, "role", None) not in FILE_READER_ROLES:
        raise PermissionDenied("Votre rôle ne permet pas d'ouvrir les justificatifs.")
    try:
        proof, access = get_proof_for(request, public_id, journal=False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not proof.has_file:
        raise Http404("Ce justificatif n'a pas de fichier.")
    path = storage.resolve(proof.stored_path)
    person = access.person
    record(
        AuditAction.CONSULTATION,
        actor=request.user,
        obj=proof,
        object_type="proof",
        person_public_id=person.public_id,
        spip_id=person.spip_id,
        motif=access.motif,
        motif_detail=access.motif_detail,
        details={"fichier": proof.original_name, "sha256": proof.sha256},
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=proof.original_name or f"justificatif.{path.suffix.lstrip('.')}",
        content_type=proof.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def proof_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _require_writer_role(request, "d'examiner un justificatif")
    try:
        proof, access = get_proof_for(request, public_id, journal=False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied(READ_ONLY)
    form = DecisionForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.decide_proof(
                acting_user=request.user,  # type: ignore[arg-type]
                proof=proof,
                status=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ConflictError:
            conflict = Proof.objects.get(pk=proof.pk)
        else:
            messages.success(request, f"Le justificatif est {proof.get_status_display().lower()}.")
            return redirect(
                _back(access.person.public_id, f"obligation-{proof.obligation.public_id}")
            )
    return render(
        request,
        "obligations/proof_decision.html",
        {
            "title": "Examen du justificatif",
            "form": form,
            "person": access.person,
            "proof": proof,
            "conflict": conflict,
        },
        status=409 if conflict else 400,
    )

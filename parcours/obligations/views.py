"""Obligation and justificatif pages. Thin: the doors open the file (the measure's, the
obligation's, the justificatif's), `form_page` answers the forms, the services write."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import Saved, form_page, posted, versioned_edit
from parcours.documents.uploads import journal_upload_refusal
from parcours.measures.access import may_edit_measures, measure_door_by_measure_id
from parcours.measures.models import Measure
from parcours.people.access import PersonAccess
from parcours.people.models import Person
from parcours.rules.dates import local_date

from . import selectors, services, storage
from .access import (
    FILE_READER_ROLES,
    WRITER_ROLES,
    obligation_door,
    obligation_door_by_obligation_id,
    proof_door,
    proof_file_door,
)
from .forms import DecisionForm, ObligationForm, ObligationTypePickForm, ProofForm
from .models import Obligation, Proof

FORM_METHODS = ("GET", "POST")


def _at_obligation(person: Person, obligation: Obligation) -> str:
    """The person file at the obligation's line."""
    return reverse("people:detail", args=[person.public_id]) + f"#obligation-{obligation.public_id}"


@measure_door_by_measure_id(roles=WRITER_ROLES, methods=FORM_METHODS, allow=may_edit_measures)
def obligation_create(
    request: AuthedRequest, measure: Measure, access: PersonAccess
) -> HttpResponse:
    """Step one picks the obligation in the catalogue (GET `type`), step two its terms."""
    person = access.person
    code = request.POST.get("obligation_type") if request.method == "POST" else None
    obligation_type = selectors.current_obligation_type(code or request.GET.get("type") or "")
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
    form = ObligationForm(posted(request), obligation_type=obligation_type, measure=measure)

    def save(form: ObligationForm) -> Saved:
        obligation = services.add_obligation(
            acting_user=request.user, measure=measure, obligation=form.save(commit=False)
        )
        return Saved(_at_obligation(person, obligation), "L'obligation est enregistrée.")

    context = {**context, "obligation_type": obligation_type}
    return form_page(request, form, "obligations/obligation_form.html", context, save=save)


@obligation_door(roles=WRITER_ROLES, methods=FORM_METHODS, allow=may_edit_measures)
def obligation_edit(
    request: AuthedRequest, obligation: Obligation, access: PersonAccess
) -> HttpResponse:
    form = ObligationForm(posted(request), instance=obligation)

    def save(form: ObligationForm) -> Saved:
        services.update_obligation(
            acting_user=request.user,
            obligation=form.save(commit=False),
            **versioned_edit(form),
        )
        return Saved(_at_obligation(access.person, obligation), "L'obligation est mise à jour.")

    context = {
        "title": f"Modifier — {obligation.obligation_type.article}",
        "person": access.person,
        "measure": obligation.measure,
        "obligation": obligation,
        "obligation_type": obligation.obligation_type,
    }
    return form_page(
        request, form, "obligations/obligation_form.html", context, save=save, current=obligation
    )


@obligation_door_by_obligation_id(roles=WRITER_ROLES, methods=FORM_METHODS, allow=may_edit_measures)
def proof_create(
    request: AuthedRequest, obligation: Obligation, access: PersonAccess
) -> HttpResponse:
    form = (
        ProofForm(request.POST, request.FILES)
        if request.method == "POST"
        else ProofForm(today=local_date(timezone.now(), access.person.spip.timezone))
    )

    def save(form: ProofForm) -> Saved:
        services.add_proof(
            acting_user=request.user,
            obligation=obligation,
            proof=form.save(commit=False),
            checked=form.checked,
        )
        return Saved(_at_obligation(access.person, obligation), "Le justificatif est enregistré.")

    context = {"title": "Nouveau justificatif", "person": access.person, "obligation": obligation}
    response = form_page(request, form, "obligations/proof_form.html", context, save=save)
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None and form.errors.get("file"):
        # Every refused upload is journaled (issue 14): who, on whose file, which file, why.
        journal_upload_refusal(
            acting_user=request.user,
            person=access.person,
            file_name=upload.name or "",
            size=upload.size,
            reasons=[str(error) for error in form.errors["file"]],
            context="justificatif",
        )
    return response


@proof_file_door(roles=FILE_READER_ROLES)
def proof_download(request: AuthedRequest, proof: Proof, access: PersonAccess) -> FileResponse:
    """Streams a justificatif's file as an attachment; the door journals the consultation."""
    path = storage.resolve(proof.stored_path)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=proof.original_name or f"justificatif.{path.suffix.lstrip('.')}",
        content_type=proof.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@proof_door(roles=WRITER_ROLES, methods=("POST",), allow=may_edit_measures)
def proof_decide(request: AuthedRequest, proof: Proof, access: PersonAccess) -> HttpResponse:
    form = DecisionForm(request.POST)

    def save(form: DecisionForm) -> Saved:
        services.decide_proof(
            acting_user=request.user,
            proof=proof,
            status=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
        return Saved(
            _at_obligation(access.person, proof.obligation),
            f"Le justificatif est {proof.get_status_display().lower()}.",
        )

    context = {"title": "Examen du justificatif", "person": access.person, "proof": proof}
    return form_page(
        request, form, "obligations/proof_decision.html", context, save=save, current=proof
    )

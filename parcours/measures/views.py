from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from parcours.accounts.models import Role
from parcours.core.errors import ConflictError
from parcours.people.access import MotifRequired, get_person_for

from . import services
from .access import get_measure_for
from .forms import MeasureForm
from .models import Measure


def _back(person_public_id: UUID) -> str:
    return reverse("people:detail", args=[person_public_id]) + "#mesures"


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, person_id: UUID) -> HttpResponse:
    if getattr(request.user, "role", None) not in (Role.CPIP, Role.DPIP, Role.DFSPIP):
        raise PermissionDenied("Votre rôle ne permet pas d'ajouter une mesure.")
    try:
        access = get_person_for(request, person_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    person = access.person
    form = MeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_measure(
            acting_user=request.user,  # type: ignore[arg-type]
            person=person,
            measure=form.save(commit=False),
        )
        messages.success(request, "La mesure est enregistrée.")
        return redirect(_back(person.public_id))
    return render(
        request,
        "measures/measure_form.html",
        {"title": "Nouvelle mesure", "form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if getattr(request.user, "role", None) not in (Role.CPIP, Role.DPIP, Role.DFSPIP):
        raise PermissionDenied("Votre rôle ne permet pas de modifier une mesure.")
    try:
        measure, access = get_measure_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    form = MeasureForm(request.POST if request.method == "POST" else None, instance=measure)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_measure(
                acting_user=request.user,  # type: ignore[arg-type]
                measure=form.save(commit=False),
                changed=form.changed_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError:
            conflict = Measure.objects.select_related("measure_type").get(pk=measure.pk)
        else:
            messages.success(request, "La mesure est mise à jour.")
            return redirect(_back(access.person.public_id))
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "measures/measure_form.html",
        {
            "title": f"Modifier — {measure.measure_type}",
            "form": form,
            "person": access.person,
            "measure": measure,
            "conflict": conflict,
        },
        status=status,
    )

"""Remote check-in screens: a person's plan and check-ins (from the person file), one check-in
with the CPIP's review, and the CPIP's list of check-ins to review or missed. Thin."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.errors import ConflictError, Refused
from parcours.core.forms_flow import posted
from parcours.core.pagination import paginate
from parcours.obligations import storage
from parcours.obligations.uploads import JPEG, PDF, PNG
from parcours.people.access import PersonAccess, person_door_by_person_id

from . import selectors, services
from .access import READERS, checkin_door
from .forms import PlanForm, ReviewForm
from .models import Checkin

FORM_METHODS = ("GET", "POST")
CONTENT_TYPES = {kind.extension: kind.content_type for kind in (PDF, PNG, JPEG)}


@person_door_by_person_id(roles=READERS, methods=FORM_METHODS)
def person_page(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The person's plans and check-ins; the CPIP sets or changes a plan (POST)."""
    person = access.person
    measures = selectors.measure_choices(person)
    form = PlanForm(posted(request), measures=measures)
    status = 200
    if request.method == "POST":
        if not access.can_edit_measures:
            raise PermissionDenied("Seul le CPIP référent règle le contrôle à distance.")
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            measure = next(
                (m for m in selectors.person_measures(person) if m.pk == data["measure"]), None
            )
            try:
                if measure is None:
                    raise Refused("Choisissez une mesure de la personne.")
                services.save_plan(
                    acting_user=request.user,
                    person=person,
                    measure=measure,
                    data=services.PlanData(
                        rhythm=data["rhythm"],
                        every_days=data["every_days"] if data["rhythm"] == "jours" else None,
                        weekday=data["weekday"] if data["rhythm"] == "hebdo" else None,
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        active=data["active"],
                    ),
                    version=int(request.POST.get("version") or 0) or None,
                )
                flash.success(request, "Le contrôle à distance est enregistré.")
                return redirect("checkins:person", person_id=person.public_id)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            except ConflictError:
                form.add_error(None, "Ce réglage a été modifié entre-temps : rechargez la page.")
                status = 409
    today = timezone.localdate()
    return render(
        request,
        "checkins/person.html",
        {
            "title": "Contrôle à distance",
            "person": person,
            "access": access,
            "plans": selectors.person_plans(person),
            "rows": selectors.rows(selectors.person_checkins(person, 50), today),
            "form": form,
            "can_edit": access.can_edit_measures,
        },
        status=status,
    )


@checkin_door(roles=READERS, methods=FORM_METHODS)
def review(request: AuthedRequest, checkin: Checkin) -> HttpResponse:
    """One check-in: the person's answer and the CPIP's review (vu / suite à donner)."""
    form = ReviewForm(posted(request), initial={"lu": services.review_token(checkin)})
    status = 200
    if request.method == "POST":
        status = 400
        if checkin.answered_at is None:
            form.add_error(None, "La personne n'a pas encore répondu : rien à revoir.")
        elif form.is_valid():
            services.review_checkin(
                acting_user=request.user,
                checkin=checkin,
                review=form.cleaned_data["review"],
                comment=form.cleaned_data["comment"],
                read_token=form.cleaned_data["lu"],
            )
            flash.success(request, "La revue est enregistrée.")
            return redirect("checkins:list")
    today = timezone.localdate()
    return render(
        request,
        "checkins/review.html",
        {
            "title": f"Contrôle du {checkin.due_date:%d/%m/%Y}",
            "row": selectors.rows([checkin], today)[0],
            "form": form,
        },
        status=status,
    )


@allowed(roles=READERS)
def follow_list(request: AuthedRequest) -> HttpResponse:
    """The check-ins to review and the missed ones (a CPIP: their people; DPIP: the service)."""
    today = timezone.localdate()
    page = paginate(request, selectors.to_follow(request.user, today=today))
    return render(
        request,
        "checkins/list.html",
        {
            "title": "Contrôles à distance",
            "page": page,
            "rows": selectors.rows(list(page.object_list), today),
        },
    )


@checkin_door(roles=READERS)
def proof(request: AuthedRequest, checkin: Checkin) -> FileResponse:
    """The proof the person attached, as an attachment; the door journals the consultation."""
    if not checkin.proof_path:
        raise Http404("Aucun justificatif pour ce contrôle.")
    path = storage.resolve(checkin.proof_path)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=checkin.proof_name or f"justificatif.{path.suffix.lstrip('.')}",
        content_type=CONTENT_TYPES.get(path.suffix.lstrip("."), "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

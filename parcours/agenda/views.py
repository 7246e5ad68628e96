"""Agenda screens: day view, booking, outcome, rescheduling, reception, letters, feeds."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from parcours.accounts.models import OrganisationKind, User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.db import statistics_reads
from parcours.core.errors import ConflictError
from parcours.core.permissions import require_roles
from parcours.people.access import MotifRequired, get_person_for
from parcours.people.models import Person
from parcours.rules.agenda import Action, AppointmentStatus

from . import services
from .access import (
    AGENDA_ROLES,
    BOOKING_ROLES,
    SETUP_ROLES,
    can_book,
    get_appointment_for,
    visible_appointments,
)
from .forms import BookingForm, DayForm, OutcomeForm, PlaceForm, RescheduleForm, SlotTemplateForm
from .models import Agenda, Appointment, AppointmentType, CalendarFeed, Place, Slot


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _local_bounds(day: Any, tz: Any) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, start + timedelta(days=1)


def _journal_list(request: HttpRequest, label: str, count: int, **details: Any) -> None:
    """Lists of appointments show names: the consultation is journaled, as for people lists."""
    user = _user(request)
    record(
        AuditAction.CONSULTATION,
        actor=user,
        object_type="agenda",
        object_label=label[:200],
        spip_id=user.spip_id,
        details={"rendez-vous affichés": count, **details},
    )


# Day view -----------------------------------------------------------------------------------


@require_roles(*AGENDA_ROLES)
@require_http_methods(["GET"])
def day_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agendas = services.agendas_for(user)
    form = DayForm(request.GET or None, agendas=agendas)
    if request.GET and not form.is_valid():
        return render(request, "agenda/day.html", {"title": "Agenda", "form": form}, status=400)
    data = form.cleaned_data if request.GET else {}
    day = data.get("day") or timezone.localdate()
    agenda = data.get("agenda") or agendas.filter(agent=user).first() or agendas.first()
    rows: list[dict[str, Any]] = []
    if agenda is not None:
        start, end = _local_bounds(day, agenda.place.tz)
        appointments = list(
            visible_appointments(user)
            .filter(agenda=agenda)
            .between(start, end)
            .exclude(status=AppointmentStatus.REPORTE)
            .select_related("person", "appointment_type")
        )
        slots = list(
            Slot.objects.filter(agenda=agenda, starts_at__gte=start, starts_at__lt=end)
            .select_related("appointment_type")
            .order_by("starts_at")
        )
        for slot in slots:
            rows.append({"at": slot.starts_at, "slot": slot, "appointments": []})
        by_slot = {row["slot"].pk: row for row in rows}
        for appointment in appointments:
            row = by_slot.get(appointment.slot_id or -1)
            if row is not None:
                row["appointments"].append(appointment)
            else:
                rows.append(
                    {"at": appointment.starts_at, "slot": None, "appointments": [appointment]}
                )
        rows.sort(key=lambda r: r["at"])
        _journal_list(request, f"Agenda {agenda} du {day:%d/%m/%Y}", len(appointments))
    return render(
        request,
        "agenda/day.html",
        {
            "title": "Agenda",
            "form": form,
            "agenda": agenda,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "rows": rows,
            "can_setup": user.role in SETUP_ROLES,
            "can_book_slots": user.role in BOOKING_ROLES,
            "now": timezone.now(),
        },
    )


# Booking ------------------------------------------------------------------------------------


def _booking_door(request: HttpRequest, person_id: UUID) -> Any:
    if _user(request).role not in BOOKING_ROLES:
        raise PermissionDenied("Votre rôle ne permet pas de fixer un rendez-vous.")
    access = get_person_for(request, person_id, journal=request.method == "GET")
    if not can_book(_user(request), access):
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas fixer de rendez-vous.")
    return access


def _default_type(person: Person) -> AppointmentType | None:
    code = "suivi" if person.appointments.exists() else "premiere_convocation"
    return AppointmentType.objects.filter(code=code).first()


def _booking_request(form: BookingForm, person: Person) -> services.BookingRequest:
    data = form.cleaned_data
    assert form.starts_at is not None
    return services.BookingRequest(
        person=person,
        appointment_type=data["appointment_type"],
        agenda=data["agenda"],
        starts_at=form.starts_at,
        duration=int(data["duration"]),
        slot=form.chosen_slot,
        measure_id=data["measure"].pk if data.get("measure") else None,
        comment=data.get("comment", ""),
        sms=bool(data.get("sms")),
        email=bool(data.get("email")),
    )


def _free_slots_context(
    agenda: Agenda | None, kind: AppointmentType | None, chosen: Slot | None = None
) -> dict[str, Any]:
    if agenda is None:
        return {"free_slots": []}
    now = timezone.now()
    slots = list(
        services.free_slots(agenda, now, now + timedelta(days=60), kind.pk if kind else None)[:30]
    )
    if chosen is not None and chosen.remaining and chosen.starts_at > now:
        slots = [chosen, *[slot for slot in slots if slot.pk != chosen.pk]]
    return {
        "free_slots": slots,
        "slot_tz": agenda.place.tz,
        "chosen_slot": chosen.public_id if chosen is not None else None,
    }


def _slot_from_query(request: HttpRequest, agendas: Any) -> Slot | None:
    """`?creneau=<uuid>` from the agenda's "Réserver" link: a slot of the user's agendas."""
    raw = request.GET.get("creneau") or ""
    try:
        slot_id = UUID(raw)
    except ValueError:
        return None
    return (
        Slot.objects.filter(public_id=slot_id, agenda__in=agendas)
        .select_related("agenda__place__spip", "appointment_type")
        .first()
    )


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = _booking_door(request, person_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    person = access.person
    user = _user(request)
    agendas = services.agendas_for(user)
    from parcours.notifications.services import sms_possible

    sms_problem = sms_possible(person)
    default_type = _default_type(person)
    default_agenda = services.default_agenda(user, person)
    initial = {
        "appointment_type": default_type,
        "agenda": default_agenda,
        "sms": sms_problem is None,
        "email": bool(person.email),
    }
    chosen_slot = _slot_from_query(request, agendas)
    if chosen_slot is not None:
        initial.update(agenda=chosen_slot.agenda, appointment_type=chosen_slot.appointment_type)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        person=person,
        agendas=agendas,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.book(
                    acting_user=user,
                    req=_booking_request(form, person),
                    every_weeks=form.cleaned_data.get("every_weeks") or 0,
                    count=form.cleaned_data.get("count") or 1,
                )
            except services.BookingRefused as refused:
                form.add_error(None, str(refused))
            else:
                first = created[0]
                local = first.local_start
                text = f"Rendez-vous fixé le {local:%d/%m/%Y à %H:%M}"
                if len(created) > 1:
                    text += f" (série de {len(created)} rendez-vous)"
                messages.success(request, text + ".")
                return redirect("agenda:detail", public_id=first.public_id)
        status = 400
    agenda = form["agenda"].value()
    chosen_agenda = agendas.filter(pk=agenda).first() if str(agenda or "").isdigit() else None
    kind_value = form["appointment_type"].value()
    kind = (
        AppointmentType.objects.filter(pk=kind_value).first()
        if str(kind_value or "").isdigit()
        else None
    )
    return render(
        request,
        "agenda/book.html",
        {
            "title": "Fixer un rendez-vous",
            "form": form,
            "person": person,
            "sms_problem": sms_problem,
            **_free_slots_context(
                chosen_agenda or (chosen_slot.agenda if chosen_slot else default_agenda),
                kind or (chosen_slot.appointment_type if chosen_slot else default_type),
                chosen_slot,
            ),
        },
        status=status,
    )


@require_http_methods(["GET"])
def free_slots(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """HTMX partial: the next free slots of the chosen agenda and type."""
    try:
        _booking_door(request, person_id)
    except MotifRequired:
        raise PermissionDenied("Motif requis.") from None
    agendas = services.agendas_for(_user(request))
    agenda = (
        agendas.filter(pk=request.GET.get("agenda") or 0).first()
        if str(request.GET.get("agenda") or "").isdigit()
        else None
    )
    kind_id = request.GET.get("appointment_type") or ""
    kind = AppointmentType.objects.filter(pk=kind_id).first() if kind_id.isdigit() else None
    return render(request, "agenda/includes/free_slots.html", _free_slots_context(agenda, kind))


@require_http_methods(["POST"])
def preview(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """HTMX partial: the messages the booking would send, with their send times."""
    try:
        access = _booking_door(request, person_id)
    except MotifRequired:
        raise PermissionDenied("Motif requis.") from None
    person = access.person
    form = BookingForm(request.POST, person=person, agendas=services.agendas_for(_user(request)))
    previews: list[Any] = []
    problem = ""
    if form.is_valid() and form.starts_at is not None:
        from parcours.notifications.services import preview_messages

        data = form.cleaned_data
        appointment = Appointment(
            person=person,
            spip_id=person.spip_id,
            appointment_type=data["appointment_type"],
            agenda=data["agenda"],
            place=data["agenda"].place,
            starts_at=form.starts_at,
            ends_at=form.starts_at + timedelta(minutes=int(data["duration"])),
        )
        previews = preview_messages(
            appointment, sms=bool(data.get("sms")), email=bool(data.get("email"))
        )
    else:
        problem = "Choisissez un créneau ou une date et une heure pour voir les messages."
    return render(
        request, "agenda/includes/preview.html", {"previews": previews, "problem": problem}
    )


@require_roles(*BOOKING_ROLES)
@require_http_methods(["GET"])
def slot_book(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Booking from the agenda: a free slot, then the person (search by name or APPI number)."""
    user = _user(request)
    try:
        slot = Slot.objects.select_related("agenda__place__spip", "appointment_type").get(
            public_id=public_id, agenda__place__spip_id=user.spip_id
        )
    except Slot.DoesNotExist:
        raise Http404("Créneau introuvable.") from None
    query = (request.GET.get("q") or "").strip()[:100]
    people: list[Person] = []
    error = ""
    if query:
        # As on "Tout le service" of the caseload: people are found by name, not browsed.
        if len(query) < 3:
            error = "Tapez au moins 3 caractères du nom ou le numéro APPI."
        else:
            found = Person.objects.visible_to(user).matching(query).select_related("referent")
            people = list(found.order_by("last_name", "first_names")[:20])
            record(
                AuditAction.RECHERCHE,
                actor=user,
                details={"q": query, "écran": "réservation d'un créneau"},
            )
    return render(
        request,
        "agenda/slot_book.html",
        {
            "title": "Réserver un créneau",
            "slot": slot,
            "query": query,
            "people": people,
            "error": error,
            "full": slot.remaining == 0,
        },
        status=400 if error else 200,
    )


# One appointment ----------------------------------------------------------------------------


def _appointment_or_redirect(request: HttpRequest, public_id: UUID, journal: bool) -> Any:
    if _user(request).role not in AGENDA_ROLES:
        raise PermissionDenied("Votre rôle ne donne pas accès aux agendas.")
    return get_appointment_for(request, public_id, journal=journal)


@require_http_methods(["GET"])
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        appointment, access = _appointment_or_redirect(request, public_id, True)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    chain = _reschedule_history(appointment)
    user = _user(request)
    return render(
        request,
        "agenda/detail.html",
        {
            "title": "Rendez-vous",
            "appointment": appointment,
            "person": access.person,
            "history": chain,
            "can_book": user.role in BOOKING_ROLES and can_book(user, access),
            "outcome_form": OutcomeForm(initial={"version": appointment.version}),
            "is_past": appointment.starts_at <= timezone.now(),
            "breach_url": _breach_url(appointment),
        },
    )


def _reschedule_history(appointment: Appointment, limit: int = 20) -> list[Appointment]:
    """The appointments this one replaces, most recent first (up to `limit`). One query: the
    person's rescheduled appointments, then the chain is followed in memory (walking
    `rescheduled_from` would cost one query per report)."""
    if not appointment.pk:
        return []
    by_successor = {
        old.rescheduled_to_id: old
        for old in Appointment.objects.filter(
            person_id=appointment.person_id, rescheduled_to__isnull=False
        ).only("public_id", "starts_at", "outcome_reason", "rescheduled_to_id")
    }
    chain: list[Appointment] = []
    previous = by_successor.get(appointment.pk)
    while previous is not None and len(chain) < limit:
        chain.append(previous)
        previous = by_successor.get(previous.pk)
    return chain


def _breach_url(appointment: Appointment) -> str:
    if appointment.status != AppointmentStatus.ABSENT:
        return ""
    if not appointment.appointment_type.counts_for_compliance:
        return ""
    url = reverse("breaches:create", args=[appointment.person.public_id])
    return f"{url}?rdv={appointment.public_id}"


@require_POST
def outcome(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if _user(request).role not in BOOKING_ROLES:
        raise PermissionDenied("Votre rôle ne permet pas de saisir le résultat d'un rendez-vous.")
    try:
        appointment, access = _appointment_or_redirect(request, public_id, False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not can_book(_user(request), access):
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    form = OutcomeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_outcome(
                acting_user=_user(request),
                appointment=appointment,
                action=Action(form.cleaned_data["action"]),
                reason=form.cleaned_data.get("reason", ""),
                proof=form.cleaned_data.get("proof", ""),
                expected_version=form.cleaned_data["version"],
                sms=bool(form.cleaned_data.get("sms")),
            )
        except ConflictError:
            form.add_error(
                None,
                "Ce rendez-vous a été modifié par quelqu'un d'autre entre-temps. Rechargez la "
                "page pour voir son état actuel.",
            )
            status = 409
        except services.BookingRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Résultat enregistré : {appointment.get_status_display()}.")
            back = request.POST.get("next") or ""
            if back.startswith("/agenda/accueil/"):
                return redirect(back)
            return redirect("agenda:detail", public_id=appointment.public_id)
    appointment.refresh_from_db()
    return render(
        request,
        "agenda/detail.html",
        {
            "title": "Rendez-vous",
            "appointment": appointment,
            "person": access.person,
            "history": [],
            "can_book": True,
            "outcome_form": form,
            "is_past": appointment.starts_at <= timezone.now(),
            "breach_url": _breach_url(appointment),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if _user(request).role not in BOOKING_ROLES:
        raise PermissionDenied("Votre rôle ne permet pas de reporter un rendez-vous.")
    try:
        appointment, access = _appointment_or_redirect(request, public_id, request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    user = _user(request)
    if not can_book(user, access):
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    person = access.person
    agendas = services.agendas_for(user)
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        person=person,
        agendas=agendas,
        initial={
            "version": appointment.version,
            "appointment_type": appointment.appointment_type,
            "agenda": appointment.agenda,
            "measure": appointment.measure,
            "duration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
            "sms": True,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                new = services.reschedule(
                    acting_user=user,
                    appointment=appointment,
                    req=_booking_request(form, person),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError:
                form.add_error(
                    None,
                    "Ce rendez-vous a été modifié par quelqu'un d'autre entre-temps. Rechargez "
                    "la page.",
                )
                status = 409
            except services.BookingRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, f"Rendez-vous reporté au {new.local_start:%d/%m/%Y à %H:%M}."
                )
                return redirect("agenda:detail", public_id=new.public_id)
    return render(
        request,
        "agenda/reschedule.html",
        {
            "title": "Reporter le rendez-vous",
            "form": form,
            "appointment": appointment,
            "person": person,
            **_free_slots_context(appointment.agenda, appointment.appointment_type),
        },
        status=status,
    )


# Reception ----------------------------------------------------------------------------------


def _reception_context(request: HttpRequest) -> tuple[DayForm, dict[str, Any]]:
    user = _user(request)
    places = services.places_for(user)
    form = DayForm(request.GET or None, places=places)
    if request.GET and not form.is_valid():
        return form, {}
    data = form.cleaned_data if request.GET else {}
    day = data.get("day") or timezone.localdate()
    # By default the place of the user's own antenna.
    place = (
        data.get("place")
        or places.filter(organisation_id=user.organisation_id).first()
        or places.first()
    )
    appointments: list[Appointment] = []
    if place is not None:
        start, end = _local_bounds(day, place.tz)
        appointments = list(
            visible_appointments(user)
            .filter(place=place)
            .between(start, end)
            .exclude(status=AppointmentStatus.REPORTE)
            .select_related("person", "appointment_type", "agent")
            .order_by("starts_at", "person__last_name")
        )
    now = timezone.now()
    for appointment in appointments:
        appointment.is_late = (  # type: ignore[attr-defined]
            appointment.status == AppointmentStatus.PLANIFIE
            and appointment.arrived_at is None
            and appointment.starts_at + timedelta(minutes=15) < now
        )
    counts = {
        "expected": sum(1 for a in appointments if a.status == AppointmentStatus.PLANIFIE),
        "arrived": sum(1 for a in appointments if a.arrived_at is not None),
        "late": sum(1 for a in appointments if getattr(a, "is_late", False)),
    }
    return form, {"place": place, "day": day, "appointments": appointments, "counts": counts}


@require_roles(*AGENDA_ROLES)
@require_http_methods(["GET"])
def reception(request: HttpRequest) -> HttpResponse:
    form, context = _reception_context(request)
    if not context:
        return render(
            request, "agenda/reception.html", {"title": "Accueil", "form": form}, status=400
        )
    place = context["place"]
    _journal_list(
        request,
        f"Accueil {place or ''} du {context['day']:%d/%m/%Y}",
        len(context["appointments"]),
    )
    return render(
        request,
        "agenda/reception.html",
        {"title": "Aujourd'hui à l'accueil", "form": form, **context},
    )


@require_roles(*AGENDA_ROLES)
@require_http_methods(["GET"])
def reception_pdf(request: HttpRequest) -> HttpResponse:
    from .documents import day_agenda_pdf

    _form, context = _reception_context(request)
    if not context or context["place"] is None:
        raise Http404("Aucun lieu à imprimer.")
    _journal_list(
        request,
        f"Impression de l'agenda {context['place']} du {context['day']:%d/%m/%Y}",
        len(context["appointments"]),
    )
    pdf = day_agenda_pdf(context["place"], context["day"], context["appointments"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{context["day"]:%Y-%m-%d}.pdf"'
    return response


@require_POST
def arrived(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if _user(request).role not in BOOKING_ROLES:
        raise PermissionDenied("Votre rôle ne permet pas de gérer l'accueil.")
    try:
        appointment, access = _appointment_or_redirect(request, public_id, False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    if not can_book(_user(request), access):
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    try:
        services.mark_arrived(acting_user=_user(request), appointment=appointment)
    except services.BookingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{appointment.person.last_name.upper()} est arrivé(e) à l'accueil."
        )
    back = request.POST.get("next") or ""
    if back.startswith("/agenda/accueil/"):
        return redirect(back)
    return redirect("agenda:reception")


# Letters ------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def letter(request: HttpRequest, public_id: UUID, fmt: str) -> HttpResponse:
    from .documents import convocation_docx, convocation_pdf

    if _user(request).role not in AGENDA_ROLES:
        raise PermissionDenied("Votre rôle ne donne pas accès aux agendas.")
    if fmt not in ("pdf", "docx"):
        raise Http404("Format inconnu : PDF ou DOCX.")
    try:
        appointment, _access = _appointment_or_redirect(request, public_id, False)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    record(
        AuditAction.EXPORT,
        actor=_user(request),
        obj=appointment,
        person_public_id=appointment.person.public_id,
        spip_id=appointment.spip_id,
        details={"document": f"convocation ({fmt})"},
    )
    name = f"convocation-{appointment.local_start:%Y-%m-%d}"
    if fmt == "pdf":
        response = HttpResponse(convocation_pdf(appointment), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    else:
        response = HttpResponse(
            convocation_docx(appointment),
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


# Set-up: places and slot templates ------------------------------------------------------------


@require_roles(*SETUP_ROLES)
@require_http_methods(["GET"])
def places(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agendas = Agenda.objects.select_related("agent").annotate(template_count=Count("templates"))
    rows = list(
        Place.objects.filter(spip_id=user.spip_id)
        .select_related("organisation")
        .prefetch_related(Prefetch("agendas", queryset=agendas))
        .order_by("name")
    )
    return render(request, "agenda/places.html", {"title": "Lieux et agendas", "places": rows})


def _organisations_for(user: User) -> Any:
    from parcours.accounts.models import Organisation

    return Organisation.objects.filter(
        spip_id=user.spip_id, kind__in=[OrganisationKind.ANTENNE, OrganisationKind.SPIP]
    ).order_by("name")


@require_roles(*SETUP_ROLES)
@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PlaceForm(
        request.POST if request.method == "POST" else None,
        organisations=_organisations_for(user),
    )
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        place.spip_id = user.spip_id
        place.save()
        Agenda.objects.create(place=place, label=f"{place.name} — agenda commun")
        record(AuditAction.CREATION, actor=user, obj=place)
        messages.success(request, f"Lieu « {place.name} » créé avec son agenda commun.")
        return redirect("agenda:places")
    return render(
        request,
        "agenda/place_form.html",
        {"title": "Nouveau lieu", "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _agenda_for_setup(request: HttpRequest, public_id: UUID) -> Agenda:
    try:
        return Agenda.objects.select_related("place__spip", "agent").get(
            public_id=public_id, place__spip_id=_user(request).spip_id
        )
    except Agenda.DoesNotExist:
        raise Http404("Agenda introuvable.") from None


@require_roles(*SETUP_ROLES)
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agenda = _agenda_for_setup(request, public_id)
    form = SlotTemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"valid_from": timezone.localdate(), "capacity": 1, "duration": 45},
    )
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.agenda = agenda
        try:
            services.save_template(acting_user=_user(request), template=template)
        except services.BookingRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Modèle de créneau enregistré ; les créneaux sont générés.")
            return redirect("agenda:places")
    return render(
        request,
        "agenda/template_form.html",
        {
            "title": "Nouveau modèle de créneau",
            "form": form,
            "agenda": agenda,
            "templates": agenda.templates.select_related("appointment_type"),
        },
        status=400 if request.method == "POST" else 200,
    )


# Calendar feeds -----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@require_roles(*AGENDA_ROLES)
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("creer", "revoquer"):
            messages.error(request, "Action inconnue : créer ou révoquer un lien.")
            return render(request, "agenda/feeds.html", {"title": "Abonnement agenda"}, status=400)
        now = timezone.now()
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        if action == "creer":
            token = secrets.token_urlsafe(32)
            CalendarFeed.objects.create(user=user, token_hash=_token_hash(token))
            new_url = request.build_absolute_uri(reverse("agenda:ical", args=[token]))
            messages.success(
                request, "Nouveau lien d'abonnement créé ; l'ancien ne fonctionne plus."
            )
        else:
            messages.success(request, "Lien d'abonnement révoqué.")
        record(
            AuditAction.MODIFICATION,
            actor=user,
            object_type="flux_agenda",
            object_label=f"Flux iCalendar de {user.get_username()} : {action}",
        )
    active = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return render(
        request,
        "agenda/feeds.html",
        {"title": "Abonnement agenda", "active": active, "new_url": new_url},
    )


@login_not_required
@require_http_methods(["GET"])
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar feed by secret token: initials and type only, never sensitive data."""
    from .documents import ical_feed

    if len(token) > 100:
        raise Http404("Flux introuvable.")
    feed = (
        CalendarFeed.objects.select_related("user__organisation")
        .filter(token_hash=_token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("Flux introuvable.")
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(
            agent=feed.user,
            starts_at__gte=now - timedelta(days=30),
            starts_at__lt=now + timedelta(days=180),
        )
        .exclude(status=AppointmentStatus.REPORTE)
        .select_related("person", "appointment_type", "place")
        .order_by("starts_at")[:2000]
    )
    rows = list(appointments)
    # Read by the agent's calendar software, with the agent's token: journaled in their name.
    record(
        AuditAction.CONSULTATION,
        actor=feed.user,
        object_type="flux_agenda",
        object_label=f"Flux iCalendar de {feed.user.get_username()}",
        spip_id=feed.user.spip_id,
        details={"rendez-vous": len(rows)},
    )
    response = HttpResponse(ical_feed(feed.user, rows), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


# Indicators ---------------------------------------------------------------------------------


@require_roles(*AGENDA_ROLES)
@require_http_methods(["GET"])
def indicators(request: HttpRequest) -> HttpResponse:
    from .indicators import indicator_rows

    user = _user(request)
    try:
        days = int(request.GET.get("jours") or 90)
    except ValueError:
        days = 0
    if not 7 <= days <= 730:
        return render(
            request,
            "agenda/indicators.html",
            {"title": "Indicateurs", "error": "Choisissez une période entre 7 et 730 jours."},
            status=400,
        )
    with statistics_reads():
        context = indicator_rows(user, days)
    return render(
        request, "agenda/indicators.html", {"title": "Indicateurs", "days": days, **context}
    )

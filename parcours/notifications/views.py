from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from parcours.accounts.models import User
from parcours.agenda.models import Appointment, AppointmentType, Place
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.pagination import paginate, querystring_without_page
from parcours.core.permissions import require_roles
from parcours.people.models import Person
from parcours.rules.notifications import (
    PLACEHOLDERS,
    SMS_FORBIDDEN,
    Channel,
    MessageRole,
    MessageState,
    TransitionRefused,
    can_move,
    gsm_length,
    sms_parts,
)

from . import services
from .access import OUTBOX_ROLES, TEMPLATE_ROLES, get_message_for, messages_visible_to
from .forms import OutboxFilterForm, ReminderSettingsForm, TemplateForm
from .models import MessageTemplate, NotificationSettings


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- STOP (public) ----------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The STOP link of an SMS: confirmation page, then the refusal is recorded."""
    public_id = services.person_id_from_stop_token(token)
    if public_id is None:
        raise Http404("Lien invalide.")
    person = (
        Person.objects.filter(public_id=public_id)
        .only("pk", "public_id", "spip_id", "refuses_sms", "last_name", "first_names")
        .first()
    )
    if person is None:
        raise Http404("Lien invalide.")
    done = False
    if request.method == "POST":
        services.record_sms_refusal(person)
        done = True
    return render(
        request,
        "notifications/stop.html",
        {"title": "Ne plus recevoir de SMS", "done": done, "already": person.refuses_sms},
    )


# --- Outbox -----------------------------------------------------------------------------------


@require_roles(*OUTBOX_ROLES)
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The SPIP's messages (a CPIP: those of their people), failed first, newest first."""
    user = _user(request)
    form = OutboxFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = messages_visible_to(user)
    if data.get("etat"):
        qs = qs.filter(state=data["etat"])
    if data.get("objet"):
        qs = qs.filter(role=data["objet"])
    if data.get("canal"):
        qs = qs.filter(channel=data["canal"])
    zone = timezone.get_current_timezone()
    if data.get("du"):
        qs = qs.filter(send_at__gte=datetime.combine(data["du"], time.min, tzinfo=zone))
    if data.get("au"):
        qs = qs.filter(
            send_at__lt=datetime.combine(data["au"] + timedelta(days=1), time.min, tzinfo=zone)
        )
    failed_first = Case(
        When(state=MessageState.ECHOUE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    page = paginate(
        request,
        qs.select_related("person").order_by(failed_first, "-send_at", "-pk"),
    )
    failed = messages_visible_to(user).filter(state=MessageState.ECHOUE).count()
    return render(
        request,
        "notifications/outbox.html",
        {
            "title": "Messages",
            "form": form,
            "page": page,
            "failed": failed,
            "querystring": querystring_without_page(request),
            "can_edit_templates": user.role in TEMPLATE_ROLES,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _message_action(
    request: HttpRequest, public_id: uuid.UUID, target: MessageState, verb: str
) -> HttpResponse:
    user = _user(request)
    message = get_message_for(user, public_id)
    allowed = can_move(message.state, target)
    if request.method == "POST":
        try:
            if target is MessageState.PROGRAMME:
                services.retry_message(message, acting_user=user)
                flash.success(request, "Le message est relancé : il part dans un instant.")
            else:
                services.cancel_message(message, acting_user=user)
                flash.success(request, "Le message est annulé : il ne sera pas envoyé.")
        except TransitionRefused as error:
            flash.error(request, str(error))
        return redirect("notifications:outbox")
    record(
        AuditAction.CONSULTATION,
        actor=user,
        obj=message,
        person_public_id=message.person.public_id,
        spip_id=message.person.spip_id,
    )
    return render(
        request,
        "notifications/message_confirm.html",
        {"title": f"{verb} un message", "message": message, "allowed": allowed, "verb": verb},
    )


@require_roles(*OUTBOX_ROLES)
@require_http_methods(["GET", "POST"])
def retry(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _message_action(request, public_id, MessageState.PROGRAMME, "Relancer")


@require_roles(*OUTBOX_ROLES)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _message_action(request, public_id, MessageState.ANNULE, "Annuler")


# --- Templates and reminder settings (DPIP, DFSPIP) -------------------------------------------


def _sample_appointment(user: User) -> Appointment:
    """An unsaved appointment with example values, for the preview of a template."""
    spip = user.organisation.spip if user.organisation else None
    place = (
        Place.objects.filter(spip=spip, is_active=True)
        .select_related("spip")
        .order_by("pk")
        .first()
    )
    if place is None:
        place = Place(
            spip=spip,
            name="Antenne du SPIP",
            address="1 rue de la République",
            postal_code="59000",
            city="Lille",
            phone="+33320000000",
            access_url="https://exemple.justice.fr/acces",
        )
    kind = AppointmentType(label="Entretien de suivi SPIP")
    zone = ZoneInfo(spip.timezone if spip else "Europe/Paris")
    day = timezone.localdate() + timedelta(days=7)
    starts = datetime.combine(day, time(14, 30), tzinfo=zone)
    person = Person(public_id=uuid.UUID(int=0), last_name="EXEMPLE", first_names="Exemple")
    return Appointment(
        person=person,
        place=place,
        appointment_type=kind,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
    )


@require_roles(*TEMPLATE_ROLES)
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    """The SPIP's message texts (its own or the national ones) and its reminder settings."""
    user = _user(request)
    spip_id = user.spip_id
    if spip_id is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP.")
    instance = NotificationSettings.objects.filter(spip_id=spip_id).first() or NotificationSettings(
        spip_id=spip_id,
        reminder_days_before=settings.PARCOURS_REMINDER_DAYS,
        reminder_hour=settings.PARCOURS_REMINDER_HOUR,
    )
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, instance=instance
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record(
            AuditAction.MODIFICATION,
            actor=user,
            obj=saved,
            object_id=str(saved.pk),
            spip_id=spip_id,
            details={
                "rappel_jours_avant": saved.reminder_days_before,
                "rappel_heure": saved.reminder_hour,
            },
        )
        flash.success(request, "Réglages du rappel enregistrés.")
        return redirect("notifications:templates")
    own = set(MessageTemplate.objects.filter(spip_id=spip_id).values_list("role", "channel"))
    texts = services.templates_for(spip_id)
    rows = [
        {
            "role": role,
            "channel": channel,
            "own": (role.value, channel.value) in own,
            "body": texts[(role.value, channel.value)][1],
        }
        for role in MessageRole
        for channel in Channel
    ]
    return render(
        request,
        "notifications/templates.html",
        {"title": "Modèles de messages", "rows": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_roles(*TEMPLATE_ROLES)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, role: str, channel: str) -> HttpResponse:
    """Edits one text of the SPIP with a live preview (HTMX) on an example appointment."""
    try:
        message_role, message_channel = MessageRole(role), Channel(channel)
    except ValueError:
        raise Http404("Modèle introuvable.") from None
    user = _user(request)
    spip_id = user.spip_id
    current = MessageTemplate.objects.filter(
        spip_id=spip_id, role=message_role, channel=message_channel
    ).first()
    subject, body = services.templates_for(spip_id)[(role, channel)]
    sample = _sample_appointment(user)
    stop = services.stop_url(sample.person)

    def rendered_body(text: str) -> str:
        return services.render_message("", text, sample, message_channel, stop=stop)[1]

    action = request.POST.get("action", "")
    if request.method == "POST" and action == "revenir" and current is not None:
        current.delete()
        record(
            AuditAction.MODIFICATION,
            actor=user,
            object_type="messagetemplate",
            object_id=f"{role}/{channel}",
            object_label=f"Modèle {message_role.label} ({message_channel.label})",
            spip_id=spip_id,
            details={"texte": "texte national rétabli"},
        )
        flash.success(request, "Le texte national est rétabli.")
        return redirect("notifications:templates")
    form = TemplateForm(
        request.POST if request.method == "POST" else None,
        channel=message_channel,
        rendered=rendered_body,
        initial={"subject": subject, "body": body},
    )
    posted = request.method == "POST"
    valid = form.is_valid() if posted else True
    source_subject = request.POST.get("subject", "") if posted else subject
    source_body = (request.POST.get("body", "") if posted else body).replace("\r\n", "\n")
    prev_subject, prev_body = services.render_message(
        source_subject, source_body, sample, message_channel, stop=stop
    )
    length = gsm_length(prev_body) if message_channel is Channel.SMS else None
    preview = {
        "subject": prev_subject,
        "body": prev_body,
        "length": length,
        "parts": sms_parts(prev_body) if message_channel is Channel.SMS else None,
    }
    if request.htmx and request.method == "POST" and action == "apercu":  # type: ignore[attr-defined]
        return render(
            request,
            "notifications/includes/template_preview.html",
            {"preview": preview, "form": form, "channel": message_channel},
        )
    stamp = current.updated_at.isoformat() if current is not None else ""
    based_on = request.POST.get("based_on", "") if posted else stamp
    conflict = None
    if request.method == "POST" and valid and action != "apercu":
        cleaned = form.cleaned_data
        with transaction.atomic():
            # Optimistic locking: the text saved since this page was opened is never overwritten.
            saved = (
                MessageTemplate.objects.select_for_update()
                .filter(spip_id=spip_id, role=message_role, channel=message_channel)
                .first()
            )
            if (saved.updated_at.isoformat() if saved is not None else "") != based_on:
                conflict = saved or MessageTemplate(body=body, subject=subject)
            else:
                MessageTemplate.objects.update_or_create(
                    spip_id=spip_id,
                    role=message_role,
                    channel=message_channel,
                    defaults={
                        "subject": cleaned.get("subject", ""),
                        "body": cleaned["body"],
                        "updated_by": user,
                    },
                )
    if request.method == "POST" and valid and action != "apercu" and conflict is None:
        cleaned = form.cleaned_data
        record(
            AuditAction.MODIFICATION,
            actor=user,
            object_type="messagetemplate",
            object_id=f"{role}/{channel}",
            object_label=f"Modèle {message_role.label} ({message_channel.label})",
            spip_id=spip_id,
            details={"texte": cleaned["body"][:500]},
        )
        flash.success(request, "Le modèle est enregistré ; il s'applique aux prochains messages.")
        return redirect("notifications:templates")
    placeholders = [
        (name, label)
        for name, label in PLACEHOLDERS.items()
        if not (message_channel is Channel.SMS and name in SMS_FORBIDDEN)
    ]
    return render(
        request,
        "notifications/template_form.html",
        {
            "title": f"Modèle : {message_role.label} ({message_channel.label})",
            "form": form,
            "preview": preview,
            "channel": message_channel,
            "role": message_role,
            "own": current is not None,
            "placeholders": placeholders,
            "based_on": based_on,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" and not valid else 200),
    )

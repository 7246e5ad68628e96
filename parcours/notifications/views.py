"""Outbox screens: the public STOP link, the outbox with its staff actions (doors), and the
SPIP's texts and reminder settings. Thin: doors open, selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Organisation
from parcours.core.doors import allowed
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.core.pagination import paginate, querystring_without_page
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
from parcours.rules.vocabulary import InboundMatch

from . import inbound, selectors, services
from .access import (
    INBOUND_ROLES,
    OUTBOX_ROLES,
    TEMPLATE_ROLES,
    TRIAGE_ROLES,
    inbound_door,
    message_door,
    open_stop_link,
)
from .forms import (
    InboundActionForm,
    InboundFilterForm,
    OutboxFilterForm,
    ReminderSettingsForm,
    TemplateForm,
)
from .models import InboundMessage, Message, MessageTemplate

NO_SPIP = "Votre compte n'est rattaché à aucun SPIP."
TRIAGE_DENIED = "Seuls la direction et le secrétariat rattachent un message."


# --- STOP (public) ----------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The STOP link of an SMS: confirmation page, then the refusal is recorded."""
    person = open_stop_link(token)
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


@allowed(roles=OUTBOX_ROLES)
def outbox(request: AuthedRequest) -> HttpResponse:
    """The SPIP's messages (a CPIP: those of their people), failed first, newest first."""
    user = request.user
    form = OutboxFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "notifications/outbox.html",
        {
            "title": "Messages",
            "form": form,
            "page": paginate(request, selectors.outbox(user, filters)),
            "failed": selectors.failed_count(user),
            "querystring": querystring_without_page(request),
            "can_edit_templates": user.role in TEMPLATE_ROLES,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _message_action(
    request: AuthedRequest, message: Message, target: MessageState, verb: str
) -> HttpResponse:
    """GET: the confirmation page (the door journaled the consultation); POST: the move."""
    if request.method == "POST":
        try:
            if target is MessageState.PROGRAMME:
                services.retry_message(message, acting_user=request.user)
                flash.success(request, "Le message est relancé : il part dans un instant.")
            else:
                services.cancel_message(message, acting_user=request.user)
                flash.success(request, "Le message est annulé : il ne sera pas envoyé.")
        except TransitionRefused as error:
            flash.error(request, str(error))
        return redirect("notifications:outbox")
    return render(
        request,
        "notifications/message_confirm.html",
        {
            "title": f"{verb} un message",
            "message": message,
            "allowed": can_move(message.state, target),
            "verb": verb,
        },
    )


@message_door(roles=OUTBOX_ROLES, methods=("GET", "POST"))
def retry(request: AuthedRequest, message: Message) -> HttpResponse:
    return _message_action(request, message, MessageState.PROGRAMME, "Relancer")


@message_door(roles=OUTBOX_ROLES, methods=("GET", "POST"))
def cancel(request: AuthedRequest, message: Message) -> HttpResponse:
    return _message_action(request, message, MessageState.ANNULE, "Annuler")


# --- Templates and reminder settings (DPIP, DFSPIP) -------------------------------------------


def _spip(request: AuthedRequest) -> Organisation:
    organisation = request.user.organisation
    spip = organisation.spip if organisation is not None else None
    if spip is None:
        raise PermissionDenied(NO_SPIP)
    return spip


@allowed(roles=TEMPLATE_ROLES, methods=("GET", "POST"))
def templates(request: AuthedRequest) -> HttpResponse:
    """The SPIP's message texts (its own or the national ones) and its reminder settings."""
    spip = _spip(request)
    form = ReminderSettingsForm(posted(request), instance=selectors.reminder_settings_row(spip.pk))

    def save(form: ReminderSettingsForm) -> Saved:
        services.save_reminder_settings(
            acting_user=request.user,
            spip_id=spip.pk,
            reminder_days_before=form.cleaned_data["reminder_days_before"],
            reminder_hour=form.cleaned_data["reminder_hour"],
        )
        return Saved(reverse("notifications:templates"), "Réglages du rappel enregistrés.")

    return form_page(
        request,
        form,
        "notifications/templates.html",
        {"title": "Modèles de messages", "rows": selectors.template_rows(spip.pk)},
        save=save,
    )


@allowed(roles=TEMPLATE_ROLES, methods=("GET", "POST"))
def template_edit(request: AuthedRequest, role: str, channel: str) -> HttpResponse:
    """Edits one text of the SPIP with a live preview (HTMX) on an example appointment."""
    try:
        message_role, message_channel = MessageRole(role), Channel(channel)
    except ValueError:
        raise Http404("Modèle introuvable.") from None
    spip = _spip(request)
    current = selectors.own_template(spip.pk, message_role, message_channel)
    posted = request.method == "POST"
    action = request.POST.get("action", "")
    if posted and action == "revenir" and current is not None:
        services.restore_national_template(
            acting_user=request.user, spip_id=spip.pk, role=message_role, channel=message_channel
        )
        flash.success(request, "Le texte national est rétabli.")
        return redirect("notifications:templates")
    subject, body = services.templates_for(spip.pk)[(message_role, message_channel)]
    sample = services.sample_appointment(spip)
    stop_link = services.stop_url(sample.person)

    def rendered(source_subject: str, source_body: str) -> tuple[str, str]:
        return services.render_message(
            source_subject, source_body, sample, message_channel, stop=stop_link
        )

    form = TemplateForm(
        request.POST if posted else None,
        channel=message_channel,
        rendered=lambda text: rendered("", text)[1],
        initial={"subject": subject, "body": body},
    )
    source_body = (request.POST.get("body", "") if posted else body).replace("\r\n", "\n")
    shown_subject, shown_body = rendered(
        request.POST.get("subject", "") if posted else subject, source_body
    )
    is_sms = message_channel is Channel.SMS
    preview = {
        "subject": shown_subject,
        "body": shown_body,
        "length": gsm_length(shown_body) if is_sms else None,
        "parts": sms_parts(shown_body) if is_sms else None,
    }
    if posted and action == "apercu" and request.htmx:
        return render(
            request,
            "notifications/includes/template_preview.html",
            {"preview": preview, "form": form, "channel": message_channel},
        )
    based_on = request.POST.get("based_on", "") if posted else _stamp(current)
    context = {
        "title": f"Modèle : {message_role.label} ({message_channel.label})",
        "preview": preview,
        "channel": message_channel,
        "role": message_role,
        "own": current is not None,
        "placeholders": [
            (name, label)
            for name, label in PLACEHOLDERS.items()
            if not (is_sms and name in SMS_FORBIDDEN)
        ],
        "based_on": based_on,
    }
    if posted and action == "apercu":  # the preview without script: nothing is saved
        status = 200 if form.is_valid() else 400
        return render(
            request,
            "notifications/template_form.html",
            {**context, "form": form, "conflict": None},
            status=status,
        )

    def save(form: TemplateForm) -> Saved:
        services.save_template(
            acting_user=request.user,
            spip_id=spip.pk,
            role=message_role,
            channel=message_channel,
            subject=form.cleaned_data.get("subject", ""),
            body=form.cleaned_data["body"],
            based_on=based_on,
        )
        return Saved(
            reverse("notifications:templates"),
            "Le modèle est enregistré ; il s'applique aux prochains messages.",
        )

    return form_page(request, form, "notifications/template_form.html", context, save=save)


def _stamp(template: MessageTemplate | None) -> str:
    return template.updated_at.isoformat() if template is not None else ""


# --- Inbound SMS: the provider's webhook (public, signed) and "Messages reçus" ----------------


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["POST"])
def inbound_webhook(request: HttpRequest) -> HttpResponse:
    """An SMS received by the provider (contract: inbound.py, README "Réponses par SMS")."""
    body = request.body
    try:
        inbound.check_signature(
            secret=settings.PARCOURS_SMS_INBOUND_SECRET,
            timestamp=request.headers.get(inbound.TIMESTAMP_HEADER, ""),
            given=request.headers.get(inbound.SIGNATURE_HEADER, ""),
            body=body,
            now=timezone.now(),
        )
        payload = inbound.parse_payload(body)
    except inbound.InboundRefused as refusal:
        prefix = "Accès refusé : " if refusal.status == 403 else "Requête invalide : "
        return JsonResponse(
            {"erreur": f"{prefix}{refusal}"},
            status=refusal.status,
            json_dumps_params={"ensure_ascii": False},
        )
    _message, created = inbound.receive_inbound(payload)
    return JsonResponse({"statut": "recu" if created else "deja_recu"})


@allowed(roles=INBOUND_ROLES)
def inbound_list(request: AuthedRequest) -> HttpResponse:
    """The SMS received from the user's people (a CPIP: theirs; the service: all, and the shared
    numbers to attach), unread items first by default."""
    form = InboundFilterForm(request.GET or None)
    valid = form.is_valid()
    state = (form.cleaned_data.get("etat") if valid else "") or "a_lire"
    return render(
        request,
        "notifications/inbound_list.html",
        {
            "title": "Messages reçus",
            "form": form,
            "state": state,
            "page": paginate(request, selectors.inbound_list(request.user, state)),
            "querystring": querystring_without_page(request),
            "can_triage": request.user.role in TRIAGE_ROLES,
        },
        status=200 if valid or not request.GET else 400,
    )


@inbound_door(roles=INBOUND_ROLES, methods=("GET", "POST"))
def inbound_detail(request: AuthedRequest, message: InboundMessage) -> HttpResponse:
    """One SMS received: mark it read; a shared number: attach it to one of the people."""
    can_triage = request.user.role in TRIAGE_ROLES and message.match == InboundMatch.AMBIGU
    candidates = selectors.visible_candidates(request.user, message) if can_triage else []
    form = InboundActionForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                if action == "lu":
                    inbound.mark_inbound_read(acting_user=request.user, inbound=message)
                    flash.success(request, "Le message est marqué comme lu.")
                    return redirect("notifications:inbound_list")
                if not can_triage:
                    raise PermissionDenied(TRIAGE_DENIED)
                chosen = next(
                    (p for p in candidates if p.public_id == form.cleaned_data["personne"]), None
                )
                if chosen is None:
                    raise Refused(inbound.ASSIGN_NOT_CANDIDATE)
                inbound.assign_inbound(
                    acting_user=request.user, inbound=message, person_id=chosen.pk
                )
                flash.success(request, "Le message est rattaché : le référent le verra.")
                return redirect("notifications:inbound_list")
            except Refused as refusal:
                form.add_error(None, str(refusal))
    return render(
        request,
        "notifications/inbound_detail.html",
        {
            "title": "SMS reçu",
            "message": message,
            "form": form,
            "candidates": candidates,
            "can_triage": can_triage,
        },
        status=status,
    )

"""Dessaisissement pages: the list (received, sent), the request from the person file, one
handover with the receiving service's decision, the withdrawal. Thin: the doors open, the
selectors read, the services write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.core.pagination import paginate, querystring_without_page
from parcours.people.access import (
    TRANSFER_DENIED,
    PersonAccess,
    may_transfer,
    person_door_by_person_id,
)
from parcours.people.panels import person_file_url
from parcours.rules.handovers import WAITING_DAYS, HandoverAction

from . import selectors, services
from .access import (
    DECIDE_DENIED,
    REQUESTERS,
    WITHDRAW_DENIED,
    handover_door,
    may_withdraw,
    receives,
    sends,
)
from .forms import HandoverDecisionForm, HandoverRequestForm, HandoverWithdrawForm
from .models import Handover

FORM_METHODS = ("GET", "POST")


def _detail_url(handover: Handover) -> str:
    return reverse("handovers:detail", args=[handover.public_id])


@allowed(roles=REQUESTERS)
def handover_list(request: AuthedRequest) -> HttpResponse:
    """Reçus (the encadrement of the receiving SPIP) and Envoyés (the sending side)."""
    user = request.user
    today = timezone.localdate()
    page = paginate(request, selectors.received(user))
    page.object_list = selectors.mark_late(page.object_list, today)
    context = {
        "title": "Changements de SPIP",
        "page": page,
        "querystring": querystring_without_page(request),
        "sent": selectors.mark_late(selectors.sent(user)[:100], today),
        "waiting_days": WAITING_DAYS,
    }
    return render(request, "handovers/list.html", context)


@person_door_by_person_id(
    roles=REQUESTERS, methods=FORM_METHODS, allow=may_transfer, denied=TRANSFER_DENIED
)
def handover_request(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = HandoverRequestForm(posted(request), person_spip_id=person.spip_id)

    def save(form: HandoverRequestForm) -> Saved:
        data = form.cleaned_data
        handover = services.request_handover(
            acting_user=request.user,
            person=person,
            to_spip=data["to_spip"],
            reason=data["reason"],
            new_address=data["new_address"],
            jap_order_on=data["jap_order_on"],
        )
        return Saved(
            person_file_url(person.public_id, "changement-spip"),
            f"La demande est envoyée au {handover.to_spip}. Le dossier reste au service "
            "jusqu'à sa décision.",
        )

    context = {
        "title": "Dessaisir au profit d'un autre SPIP",
        "person": person,
        "history": selectors.of_person(person),
    }
    return form_page(request, form, "handovers/request.html", context, save=save)


@handover_door(roles=REQUESTERS, methods=FORM_METHODS)
def handover_detail(request: AuthedRequest, handover: Handover) -> HttpResponse:
    """One handover; the receiving encadrement decides here (the sender only reads)."""
    user = request.user
    deciding = receives(user, handover) and handover.status == services.S.EN_ATTENTE
    if request.method == "POST" and not receives(user, handover):
        raise PermissionDenied(DECIDE_DENIED)
    form = HandoverDecisionForm(posted(request), user=user, version=handover.version)

    def save(form: HandoverDecisionForm) -> Saved:
        data = form.cleaned_data
        version = data.get("version")
        if data["decision"] == HandoverAction.REFUSER:
            services.close_handover(
                acting_user=user,
                handover=handover,
                action=HandoverAction.REFUSER,
                reason=data["note"],
                expected_version=version,
            )
            return Saved(reverse("handovers:list"), "Le dessaisissement est refusé.")
        services.accept_handover(
            acting_user=user,
            handover=handover,
            expected_version=version,
            antenna=data["antenna"],
            referent=data["referent"],
            tribunal=data["tribunal"],
            note=data["note"],
        )
        return Saved(
            reverse("people:detail", args=[handover.person.public_id]),
            "Le dossier a rejoint votre service.",
        )

    context = {
        "title": f"Dessaisissement — {handover.person}",
        "handover": handover,
        "deciding": deciding,
        "withdrawable": sends(user, handover) and handover.status == services.S.EN_ATTENTE,
        "consequences": selectors.consequences(handover) if deciding else None,
        "days": selectors.waiting_days(handover, timezone.localdate()),
        "late": selectors.mark_late([handover], timezone.localdate())[0].late,
    }
    return form_page(request, form, "handovers/detail.html", context, save=save, current=handover)


@handover_door(roles=REQUESTERS, methods=FORM_METHODS, allow=may_withdraw, denied=WITHDRAW_DENIED)
def handover_withdraw(request: AuthedRequest, handover: Handover) -> HttpResponse:
    form = HandoverWithdrawForm(posted(request), version=handover.version)

    def save(form: HandoverWithdrawForm) -> Saved:
        services.close_handover(
            acting_user=request.user,
            handover=handover,
            action=HandoverAction.ANNULER,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
        return Saved(_detail_url(handover), "La demande de dessaisissement est retirée.")

    context = {"title": "Retirer la demande de dessaisissement", "handover": handover}
    return form_page(request, form, "handovers/withdraw.html", context, save=save, current=handover)

"""Release preparation pages: a detainee's checklist (from the person file), "Préparer la
sortie", the expected date, ticking an item, the CPP 741-1 notice, the upcoming releases of a
CPIP or a service, and the indicators of a SPIP. Thin: the doors open the file, `form_page`
answers the forms, the services write, the selectors read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.db import statistics_reads
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.measures.access import WRITERS
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import Person
from parcours.rules import release as rules

from . import selectors, services
from .access import INDICATOR_ROLES, READERS, UPCOMING_ROLES, item_door, may_prepare
from .documents import notice_pdf
from .forms import ExpectedDateForm, ItemForm, PeriodForm, PrepareForm
from .models import ReleaseItem

FORM_METHODS = ("GET", "POST")
NOT_DETAINED = "Cette personne n'a pas d'écrou en cours : pas de préparation à la sortie."


def _page(person: Person) -> str:
    return reverse("release:person", args=[person.public_id])


def _open_ecrou(person: Person) -> Any:
    ecrou = selectors.open_ecrou(person)
    if ecrou is None:
        raise Http404(NOT_DETAINED)
    return ecrou


def _open_plan(person: Person) -> Any:
    """The release preparation of the person's open écrou (404 when none is open)."""
    plan = getattr(_open_ecrou(person), "release_plan", None)
    if plan is None:
        raise Http404("Aucune préparation à la sortie n'est ouverte.")
    return plan


@person_door_by_person_id(roles=READERS)
def person_release(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The checklist page of a detainee."""
    person = access.person
    ecrou = _open_ecrou(person)
    today = timezone.localdate()
    plan = getattr(ecrou, "release_plan", None)
    expected = selectors.expected_release(ecrou)
    notice = selectors.notice_measure(person.pk) if plan else None
    first = selectors.first_appointment_after(person.pk, expected) if expected else None
    return render(
        request,
        "release/person.html",
        {
            "title": "Préparation à la sortie",
            "person": person,
            "access": access,
            "ecrou": ecrou,
            "expected": expected,
            "countdown": rules.countdown_label(expected, today) if expected else "",
            "checklist": selectors.checklist(plan, today) if plan else None,
            "notice_measure": notice,
            "first_appointment": first,
            "prepare_form": PrepareForm(),
        },
    )


@person_door_by_person_id(roles=WRITERS, methods=FORM_METHODS, allow=may_prepare)
def prepare(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """ "Préparer la sortie": opens the checklist (computed date, or the date given)."""
    person = access.person
    ecrou = _open_ecrou(person)
    form = PrepareForm(posted(request))

    def save(form: PrepareForm) -> Saved:
        plan = services.prepare_release(
            request.user, ecrou, expected_on=form.cleaned_data.get("expected_on")
        )
        return Saved(
            _page(person),
            f"Préparation à la sortie ouverte : libération prévisionnelle le "
            f"{plan.expected_on:%d/%m/%Y}.",
        )

    context = {
        "title": "Préparer la sortie",
        "person": person,
        "ecrou": ecrou,
        "expected": selectors.expected_release(ecrou),
    }
    return form_page(request, form, "release/prepare.html", context, save=save)


@person_door_by_person_id(roles=WRITERS, methods=FORM_METHODS, allow=may_prepare)
def expected_date(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    plan = _open_plan(person)
    initial = {"version": plan.version, "expected_on": plan.expected_on}
    form = ExpectedDateForm(posted(request), initial=initial)

    def save(form: ExpectedDateForm) -> Saved:
        services.set_expected_date(
            request.user,
            plan,
            expected_on=form.cleaned_data["expected_on"],
            expected_version=form.cleaned_data["version"],
        )
        return Saved(_page(person), "La date de libération prévisionnelle est enregistrée.")

    context = {"title": "Date de libération prévisionnelle", "person": person, "plan": plan}
    return form_page(request, form, "release/expected_date.html", context, save=save, current=plan)


@item_door(roles=WRITERS, methods=FORM_METHODS, allow=may_prepare)
def item_edit(request: AuthedRequest, item: ReleaseItem, access: PersonAccess) -> HttpResponse:
    """Ticking an item: fait (with its date), sans objet (with a reason), or back to do."""
    initial = {
        "version": item.version,
        "status": item.status if item.status != rules.ItemStatus.A_FAIRE else rules.ItemStatus.FAIT,
        "done_on": item.done_on,
        "reason": item.reason,
        "owner": item.owner,
        "owner_detail": item.owner_detail,
    }
    form = ItemForm(posted(request), initial=initial)

    def save(form: ItemForm) -> Saved:
        data = form.cleaned_data
        services.update_item(
            request.user,
            item,
            services.ItemChange(
                status=data["status"],
                reason=data.get("reason") or "",
                owner=data["owner"],
                owner_detail=data.get("owner_detail") or "",
                done_on=data.get("done_on"),
            ),
            expected_version=data["version"],
        )
        return Saved(_page(access.person), f"« {item.label} » : {item.get_status_display()}.")

    context = {"title": "Démarche de sortie", "person": access.person, "item": item}
    return form_page(request, form, "release/item_form.html", context, save=save, current=item)


@person_door_by_person_id(roles=WRITERS, methods=("POST",), allow=may_prepare)
def check_agenda(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """Ticks "Premier rendez-vous au SPIP" when the agenda holds one after the release."""
    plan = _open_plan(access.person)
    if services.tick_first_appointments(request.user, plan_ids=[plan.pk]):
        messages.success(request, "Premier rendez-vous au SPIP trouvé dans l'agenda : coché.")
    else:
        messages.info(
            request,
            "Aucun rendez-vous n'est fixé dans l'agenda à partir de la date de libération "
            "prévisionnelle.",
        )
    return redirect(_page(access.person))


@person_door_by_person_id(roles=WRITERS, allow=may_prepare)
def notice(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The CPP 741-1 notice (PDF), when a sursis probatoire follows the release."""
    person = access.person
    ecrou = _open_ecrou(person)
    expected = selectors.expected_release(ecrou)
    measure = selectors.notice_measure(person.pk)
    if measure is None or expected is None:
        return render(
            request,
            "release/notice_missing.html",
            {"title": "Avis de l'article 741-1", "person": person},
            status=404,
        )
    content = notice_pdf(person, ecrou, measure, expected)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        obj=ecrou,
        person=person,
        details={"document": "avis_741_1"},
    )
    return document(content, "avis-741-1.pdf")


@allowed(roles=UPCOMING_ROLES)
def upcoming(request: AuthedRequest) -> HttpResponse:
    """Sorties à venir: a CPIP's people (the service's for the encadrement) whose expected
    release falls within 90 days, by date, with the countdown and the checklist's progress."""
    user = request.user
    today = timezone.localdate()
    own_only = user.role == Role.CPIP
    rows = selectors.upcoming(user, today, own_only=own_only)
    return render(
        request,
        "release/upcoming.html",
        {
            "title": "Mes sorties à venir" if own_only else "Sorties à venir du service",
            "rows": rows,
            "days": rules.UPCOMING_DAYS,
            "own_only": own_only,
        },
    )


def _default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=365), today


@allowed(roles=INDICATOR_ROLES)
def indicators(request: AuthedRequest) -> HttpResponse:
    """Releases of the SPIP over a period: prepared, under an adjustment, sorties sèches."""
    user = request.user
    start, end = _default_period(timezone.localdate())
    form = PeriodForm(request.GET or {"start": start, "end": end})
    context: dict[str, Any] = {"title": "Indicateurs de sortie", "form": form}
    if not form.is_valid() or user.spip_id is None:
        return render(request, "release/indicators.html", {**context, "table": None}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    with statistics_reads():
        rows = selectors.releases(user.spip_id, start, end)
    by_establishment: dict[str, list[rules.ReleaseFact]] = {}
    for row in rows:
        by_establishment.setdefault(row.ecrou.establishment.name, []).append(row.fact)
    table = [(name, rules.indicators(facts)) for name, facts in sorted(by_establishment.items())]
    total = rules.indicators(row.fact for row in rows)
    return render(
        request,
        "release/indicators.html",
        {**context, "table": table, "total": total, "start": start, "end": end},
    )

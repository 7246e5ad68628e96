"""People screens: the caseload, the team, the person file (panels), break the glass, and the
identity forms. Thin: doors open the file, selectors read lists, services write."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role, User
from parcours.core.doors import allowed, journal_refusal
from parcours.core.forms_flow import Saved, form_page, posted, versioned_edit
from parcours.core.pagination import paginate, querystring_without_page

from . import selectors, services
from .access import (
    CASELOAD_ROLES,
    NEEDS_MOTIF,
    TRANSFER_DENIED,
    PersonAccess,
    can_create_person,
    entitlement,
    grant_motif,
    held_grant,
    may_edit_identity,
    may_transfer,
    person_door,
    visible_person,
)
from .forms import AddressForm, CaseloadFilterForm, MotifForm, PersonForm, TransferForm
from .models import Person, PersonQuerySet
from .panels import person_file, tab_url

IDENTITY_WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
TRANSFER_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)
BREAK_GLASS_ROLES = (Role.CPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT)


@allowed(roles=CASELOAD_ROLES)
def caseload(request: AuthedRequest) -> HttpResponse:
    """Mes personnes suivies: search, filters, sort, database pagination."""
    user = request.user
    params = request.GET.copy()
    params.setdefault("perimetre", "mes" if user.role == Role.CPIP else "service")
    form: Any
    if request.GET:
        form = CaseloadFilterForm(params, user=user)
        valid = form.is_valid()
        filters: dict[str, Any] = form.cleaned_data if valid else {}
    else:
        # The page as first opened (no filter asked): the defaults need no validation, and the
        # form is built only if the cached filter bar must be rendered again.
        form = SimpleLazyObject(lambda: CaseloadFilterForm(params, user=user))
        valid, filters = True, {"perimetre": params["perimetre"]}
    found = selectors.caseload(user, filters)
    page = paginate(request, found.people)
    page.object_list = selectors.page_rows(cast(PersonQuerySet, page.object_list))
    # HTMX (live search): only the results block is sent back.
    template = "people/caseload.html#resultats" if request.htmx else "people/caseload.html"
    return render(
        request,
        template,
        {
            "title": "Mes personnes suivies"
            if found.scope == "mes"
            else "Personnes suivies du service",
            "form": form,
            "page": page,
            "scope": found.scope,
            "notice": found.notice,
            "querystring": querystring_without_page(request),
            "can_create": can_create_person(user),
            "filters_cache_key": _filters_cache_key(user, found.scope, params),
            "form_valid": valid,
        },
        status=200 if valid else 400,
    )


def _filters_cache_key(user: User, scope: str, params: QueryDict) -> str | None:
    """The filter bar's HTML depends only on the SPIP's choices (their generation), the role,
    the scope and the values asked: rendered once per such key (the caseload is the most opened
    page). A name search is not cached (too many values, and a name is better not kept)."""
    if params.get("q"):
        return None
    values = params.copy()
    values.pop("page", None)
    generation = selectors.filter_choices_generation()
    return f"{generation}:{user.spip_id}:{user.role}:{scope}:{values.urlencode()}"


@allowed(roles=(Role.DPIP, Role.DFSPIP))
def team(request: AuthedRequest) -> HttpResponse:
    """Caseload per CPIP, raw and weighted, against the target of 60 files."""
    loads = selectors.team(request.user)
    return render(
        request,
        "people/team.html",
        {
            "title": "Mon équipe",
            "rows": loads.rows,
            "target": loads.target,
            "total": loads.total,
            "unassigned": loads.unassigned,
        },
    )


@person_door(roles=CASELOAD_ROLES)
def person_detail(
    request: AuthedRequest, access: PersonAccess, onglet: str | None = None
) -> HttpResponse:
    """The person file, one tab at a time: the header and the tabs here, every section a panel of
    its app (people.panels). The first tab is `people:detail`, the others `people:tab`."""
    tab = person_file.tab(onglet or person_file.default_tab)
    if tab is None or onglet == person_file.default_tab:
        raise Http404("Cet onglet du dossier n'existe pas.")
    person = access.person
    offered = person_file.tabs_for(request.user.role)
    return render(
        request,
        "people/person_detail.html",
        {
            "title": f"{person.display_name} — {tab.label}",
            "person": person,
            "access": access,
            "tab": tab,
            "tab_closed": tab not in offered,
            "tabs": [(t, tab_url(person.public_id, t.slug)) for t in offered],
            "panels": person_file.build(request, access, tab.slug),
        },
    )


def _file_url(person: Person) -> str:
    """The person file's first tab."""
    return reverse("people:detail", args=[person.public_id])


def _next_page(request: AuthedRequest, person: Person) -> str:
    """Back to the page the door was asked for (a path of this site), else the file."""
    target = request.POST.get("suivant") or request.GET.get("suivant") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return _file_url(person)


@allowed(roles=BREAK_GLASS_ROLES, methods=("GET", "POST"))
def motif(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Break the glass: a motif before opening a colleague's file, journaled (a 404 too: the
    page names a person, like a door)."""
    try:
        person = visible_person(request.user, public_id)
    except Http404:
        journal_refusal(request, person_door.name, public_id, 404)
        raise
    if entitlement(request.user, person) != NEEDS_MOTIF or held_grant(request, person):
        return redirect(_next_page(request, person))
    form = MotifForm(posted(request))
    if request.method == "POST" and form.is_valid():
        grant_motif(
            request, person, form.cleaned_data["motif"], form.cleaned_data["detail"].strip()
        )
        return redirect(_next_page(request, person))
    return render(
        request,
        "people/motif.html",
        {
            "title": "Motif de consultation",
            "person": person,
            "form": form,
            "next": _next_page(request, person),
        },
        status=400 if request.method == "POST" else 200,
    )


@allowed(roles=IDENTITY_WRITERS, methods=("GET", "POST"))
def person_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not can_create_person(user):
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP.")
    form = PersonForm(posted(request), user=user)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        duplicates = services.find_duplicates(user, form.cleaned_data)
        if not duplicates or request.POST.get("confirmer_doublon") == "1":
            person = services.create_person(acting_user=user, person=form.save(commit=False))
            messages.success(request, f"La personne {person} est enregistrée.")
            return redirect("people:detail", public_id=person.public_id)
    status = 200 if request.method == "GET" else (409 if duplicates else 400)
    return render(
        request,
        "people/person_form.html",
        {"title": "Nouvelle personne suivie", "form": form, "duplicates": duplicates},
        status=status,
    )


@person_door(roles=IDENTITY_WRITERS, methods=("GET", "POST"), allow=may_edit_identity)
def person_edit(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = PersonForm(posted(request), instance=person, user=request.user)

    def save(form: PersonForm) -> Saved:
        services.update_person(
            acting_user=request.user,
            person=form.save(commit=False),
            **versioned_edit(form),
        )
        return Saved(_file_url(person), "Les modifications sont enregistrées.")

    context = {"title": f"Modifier — {person}", "person": person}
    return form_page(request, form, "people/person_form.html", context, save=save, current=person)


@person_door(
    roles=TRANSFER_ROLES, methods=("GET", "POST"), allow=may_transfer, denied=TRANSFER_DENIED
)
def person_transfer(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = TransferForm(posted(request), user=request.user, person=person)

    def save(form: TransferForm) -> Saved:
        new_referent = form.cleaned_data["new_referent"]
        services.transfer_person(
            acting_user=request.user,
            person=person,
            new_referent=new_referent,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
        # A CPIP who hands a file over no longer opens it as referent.
        back = reverse("people:caseload") if request.user.role == Role.CPIP else _file_url(person)
        return Saved(back, f"Le suivi est transféré à {new_referent.get_full_name()}.")

    context = {"title": "Transférer le suivi", "person": person}
    return form_page(request, form, "people/transfer.html", context, save=save, current=person)


@person_door(roles=IDENTITY_WRITERS, methods=("GET", "POST"), allow=may_edit_identity)
def address_add(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = AddressForm(posted(request))

    def save(form: AddressForm) -> Saved:
        services.add_address(
            acting_user=request.user, person=person, address=form.save(commit=False)
        )
        return Saved(_file_url(person) + "#adresses", "La nouvelle adresse est enregistrée.")

    context = {"title": "Nouvelle adresse", "person": person}
    return form_page(request, form, "people/address_form.html", context, save=save)

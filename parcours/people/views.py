from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from parcours.accounts.models import OrganisationKind, Role, User
from parcours.alerts.models import Alert, with_urgency
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.db import statistics_reads
from parcours.core.errors import ConflictError
from parcours.core.pagination import paginate, querystring_without_page
from parcours.core.permissions import require_roles
from parcours.ledgers.display import compensation_ledgers_for, tig_ledgers_for
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.access import FILE_READER_ROLES
from parcours.obligations.models import Obligation, Proof
from parcours.rules.breaches import BreachFact, propose_next_step
from parcours.rules.caseload import load_level

from . import services
from .access import (
    COURT_ROLES,
    SPIP_ROLES,
    MotifRequired,
    can_create_person,
    get_person_for,
    grant_motif,
)
from .forms import SORTS, AddressForm, CaseloadFilterForm, MotifForm, PersonForm, TransferForm
from .models import Person
from .panels import panel_context

# Whoever may list people or open a person file (the door then scopes each one).
CASELOAD_ROLES = (*SPIP_ROLES, *COURT_ROLES)


def _current_measures_prefetch() -> Prefetch:
    return Prefetch(
        "measures",
        queryset=Measure.objects.filter(status__in=CURRENT_STATUSES)
        .select_related("measure_type")
        .order_by("-judgment_date"),
        to_attr="current_measures",
    )


@require_roles(*CASELOAD_ROLES)
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """Mes personnes suivies: search, filters, sort, database pagination."""
    user: User = request.user  # type: ignore[assignment]
    default_scope = "mes" if user.role == Role.CPIP else "service"
    params = request.GET.copy()
    params.setdefault("perimetre", default_scope)
    form = CaseloadFilterForm(params, user=user)
    people = Person.objects.visible_to(user)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    scope = data.get("perimetre") or default_scope
    query = (data.get("q") or "").strip()
    notice = ""
    if scope == "mes":
        people = people.filter(referent=user)
    elif user.role in (Role.CPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT) and len(query) < 3:
        # Colleagues' people are found by name, not browsed.
        people = people.none()
        notice = "Pour chercher dans tout le service, saisissez au moins 3 caractères du nom."
    if query:
        people = people.matching(query)
        if scope == "service":
            record(AuditAction.RECHERCHE, actor=user, details={"q": query[:100]})
    if data.get("type"):
        people = people.filter(
            Exists(
                Measure.objects.filter(
                    person_id=OuterRef("pk"),
                    measure_type__code=data["type"],
                    status__in=[data["statut"]] if data.get("statut") else CURRENT_STATUSES,
                )
            )
        )
    elif data.get("statut"):
        people = people.filter(
            Exists(Measure.objects.filter(person_id=OuterRef("pk"), status=data["statut"]))
        )
    if data.get("conformite"):
        people = people.filter(compliance_status=data["conformite"])
    if data.get("antenne"):
        people = people.filter(antenna__public_id=data["antenne"])
    if data.get("referent") and scope == "service":
        people = people.filter(referent__public_id=data["referent"])
    order = SORTS.get(data.get("tri") or "nom", SORTS["nom"])
    people = people.select_related("referent", "antenna").prefetch_related(
        _current_measures_prefetch()
    )
    page = paginate(request, people.order_by(*order))
    # HTMX (live search): only the results block is sent back.
    template = "people/caseload.html#resultats" if request.htmx else "people/caseload.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "title": "Mes personnes suivies" if scope == "mes" else "Personnes suivies du service",
            "form": form,
            "page": page,
            "scope": scope,
            "notice": notice,
            "querystring": querystring_without_page(request),
            "can_create": can_create_person(user),
        },
        status=200 if form.is_valid() else 400,
    )


@require_roles(Role.DPIP, Role.DFSPIP)
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """Caseload per CPIP, raw and weighted, against the target of 60 files."""
    user: User = request.user  # type: ignore[assignment]
    cpips = User.objects.filter(role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True)
    if (
        user.role == Role.DPIP
        and user.organisation
        and user.organisation.kind == OrganisationKind.ANTENNE
    ):
        cpips = cpips.filter(organisation=user.organisation)
    heaviest = (
        Measure.objects.filter(person_id=OuterRef("pk"), status__in=CURRENT_STATUSES)
        .order_by("-measure_type__caseload_weight")
        .values("measure_type__caseload_weight")[:1]
    )
    weight = Coalesce(
        Subquery(heaviest, output_field=DecimalField(max_digits=4, decimal_places=2)),
        Decimal("1.00"),
        output_field=DecimalField(max_digits=4, decimal_places=2),
    )
    cpip_ids = list(cpips.values_list("pk", flat=True))
    with statistics_reads():  # the caseload counts may come from the replica
        loads = {
            row["referent_id"]: row
            for row in Person.objects.filter(referent_id__in=cpip_ids)
            .annotate(weight=weight)
            .values("referent_id")
            .annotate(count=Count("id"), weighted=Sum("weight"))
            .order_by()
        }
    target = settings.PARCOURS_CASELOAD_TARGET
    rows = []
    for cpip in cpips.select_related("organisation").order_by("last_name", "first_name"):
        load = loads.get(cpip.pk, {"count": 0, "weighted": Decimal("0")})
        weighted = Decimal(load["weighted"] or 0).quantize(Decimal("0.1"))
        rows.append(
            {
                "cpip": cpip,
                "count": load["count"],
                "weighted": weighted,
                "level": load_level(weighted, target),
                "percent": int(weighted * 100 / target),
            }
        )
    unassigned = Person.objects.visible_to(user).filter(referent__isnull=True).count()
    total = sum(r["count"] for r in rows)
    return render(
        request,
        "people/team.html",
        {
            "title": "Mon équipe",
            "rows": rows,
            "target": target,
            "total": total,
            "unassigned": unassigned,
        },
    )


def _motif_redirect(person: Person) -> HttpResponse:
    return redirect("people:motif", public_id=person.public_id)


@require_roles(*CASELOAD_ROLES)
@require_GET
def person_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, public_id)
    except MotifRequired as needed:
        return _motif_redirect(needed.person)
    person = access.person
    proofs = Proof.objects.order_by("-received_on", "-pk")
    obligations = Obligation.objects.select_related("obligation_type").prefetch_related(
        Prefetch("proofs", queryset=proofs)
    )
    measures = list(
        Measure.objects.filter(person=person)
        .select_related("measure_type", "tribunal")
        .prefetch_related(Prefetch("obligations", queryset=obligations))
        .order_by("-judgment_date", "-pk")
    )
    current = [m for m in measures if m.is_current]
    past = [m for m in measures if not m.is_current]
    assignments = list(person.assignments.select_related("cpip", "assigned_by")[:20])
    addresses = list(person.addresses.all()[:20])
    alerts = with_urgency(Alert.objects.filter(person=person), timezone.localdate())
    breaches = list(person.breaches.select_related("measure__measure_type")[:20])
    breach_proposal = propose_next_step(
        [BreachFact(b.occurred_on, b.serious) for b in breaches], timezone.localdate()
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "title": person.display_name,
            "person": person,
            "access": access,
            "can_open_proofs": getattr(request.user, "role", None) in FILE_READER_ROLES,
            "current_measures": current,
            "past_measures": past,
            "assignments": assignments,
            "addresses": addresses,
            "alerts": alerts,
            "breaches": breaches,
            "breach_proposal": breach_proposal,
            "current_address": next((a for a in addresses if a.until is None), None),
            **tig_ledgers_for(person, current, timezone.localdate()),
            **compensation_ledgers_for(person, current, timezone.localdate()),
            **panel_context(request, access),
        },
    )


@require_roles(Role.CPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT)
@require_http_methods(["GET", "POST"])
def motif(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Break the glass: a motif before opening a colleague's file, journaled."""
    try:
        access = get_person_for(request, public_id, journal=False)
        return redirect("people:detail", public_id=access.person.public_id)
    except MotifRequired as needed:
        person = needed.person
    form = MotifForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        grant_motif(
            request,
            request.user,  # type: ignore[arg-type]
            person.public_id,
            form.cleaned_data["motif"],
            form.cleaned_data["detail"].strip(),
        )
        return redirect("people:detail", public_id=person.public_id)
    return render(
        request,
        "people/motif.html",
        {"title": "Motif de consultation", "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_roles(Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_create_person(user):
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP.")
    form = PersonForm(request.POST if request.method == "POST" else None, user=user)
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


def _require(flag: bool, message: str) -> None:
    if not flag:
        raise PermissionDenied(message)


@require_roles(Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return _motif_redirect(needed.person)
    _require(access.can_edit_identity, "Vous pouvez consulter ce dossier mais pas le modifier.")
    person = access.person
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, instance=person, user=request.user)  # type: ignore[arg-type]
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                acting_user=request.user,  # type: ignore[arg-type]
                person=form.save(commit=False),
                changed=form.changed_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError:
            conflict = True
        else:
            messages.success(request, "Les modifications sont enregistrées.")
            return redirect("people:detail", public_id=person.public_id)
    current = Person.objects.get(pk=person.pk) if conflict else None
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "people/person_form.html",
        {"title": f"Modifier — {person}", "form": form, "person": person, "conflict": current},
        status=status,
    )


@require_roles(Role.CPIP, Role.DPIP, Role.DFSPIP)
@require_http_methods(["GET", "POST"])
def person_transfer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return _motif_redirect(needed.person)
    _require(access.can_transfer, "Seuls le référent et l'encadrement peuvent transférer.")
    person = access.person
    data = request.POST if request.method == "POST" else None
    form = TransferForm(data, user=request.user, person=person)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.transfer_person(
            acting_user=request.user,  # type: ignore[arg-type]
            person=person,
            new_referent=form.cleaned_data["new_referent"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            f"Le suivi est transféré à {form.cleaned_data['new_referent'].get_full_name()}.",
        )
        if request.user.role == Role.CPIP:  # type: ignore[union-attr]
            return redirect("people:caseload")
        return redirect("people:detail", public_id=person.public_id)
    return render(
        request,
        "people/transfer.html",
        {"title": "Transférer le suivi", "form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@require_roles(Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return _motif_redirect(needed.person)
    _require(access.can_edit_identity, "Vous pouvez consulter ce dossier mais pas le modifier.")
    person = access.person
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_address(
            acting_user=request.user,  # type: ignore[arg-type]
            person=person,
            address=form.save(commit=False),
        )
        messages.success(request, "La nouvelle adresse est enregistrée.")
        return redirect(reverse("people:detail", args=[person.public_id]) + "#adresses")
    return render(
        request,
        "people/address_form.html",
        {"title": "Nouvelle adresse", "form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )

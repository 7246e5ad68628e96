"""Reads of people lists: the caseload with its filters and the team's caseloads.

Every selector starts from the user's scope (`Person.objects.visible_to`, or `find_people` for a
search). The measures are reached through the `measures` relation (people sits below the
measures app and never imports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce

from parcours.accounts.models import OrganisationKind, Role, User
from parcours.core.db import statistics_reads
from parcours.rules.caseload import load_level
from parcours.rules.measures import CURRENT_STATUSES

from .access import find_people
from .models import Person, PersonQuerySet, related_manager

if TYPE_CHECKING:
    from django.db.models import QuerySet

SORTS = {
    "nom": ("last_name", "first_names", "pk"),
    "-nom": ("-last_name", "-first_names", "-pk"),
    "naissance": ("birth_date", "pk"),
    "recent": ("-created_at", "-pk"),
}


def _measures() -> QuerySet[Any]:
    return related_manager(Person, "measures").all()


def current_measures_prefetch() -> Prefetch:
    """The current measures of each listed person (one query for the page), as
    `person.current_measures`, newest judgment first."""
    return Prefetch(
        "measures",
        queryset=_measures()
        .filter(status__in=CURRENT_STATUSES)
        .select_related("measure_type")
        .order_by("-judgment_date"),
        to_attr="current_measures",
    )


@dataclass(frozen=True)
class Caseload:
    people: PersonQuerySet
    scope: str
    notice: str


def caseload(user: User, filters: dict[str, Any]) -> Caseload:
    """Mes personnes suivies (`perimetre=mes`, a CPIP's default) or the service's people,
    filtered and sorted, with their current measures; not yet paginated."""
    default_scope = "mes" if user.role == Role.CPIP else "service"
    scope = filters.get("perimetre") or default_scope
    found = find_people(user, filters.get("q") or "", own_only=scope == "mes")
    people = found.people
    if filters.get("type"):
        statuses = [filters["statut"]] if filters.get("statut") else CURRENT_STATUSES
        people = people.filter(
            Exists(
                _measures().filter(
                    person_id=OuterRef("pk"),
                    measure_type__code=filters["type"],
                    status__in=statuses,
                )
            )
        )
    elif filters.get("statut"):
        people = people.filter(
            Exists(_measures().filter(person_id=OuterRef("pk"), status=filters["statut"]))
        )
    if filters.get("conformite"):
        people = people.filter(compliance_status=filters["conformite"])
    if filters.get("antenne"):
        people = people.filter(antenna__public_id=filters["antenne"])
    if filters.get("referent") and scope == "service":
        people = people.filter(referent__public_id=filters["referent"])
    order = SORTS.get(filters.get("tri") or "nom", SORTS["nom"])
    people = (
        people.select_related("referent", "antenna")
        .prefetch_related(current_measures_prefetch())
        .order_by(*order)
    )
    return Caseload(people=people, scope=scope, notice=found.notice)


@dataclass(frozen=True)
class TeamRow:
    cpip: User
    count: int
    weighted: Decimal
    level: str
    percent: int


@dataclass(frozen=True)
class Team:
    rows: list[TeamRow]
    target: int
    total: int
    unassigned: int


def team(user: User) -> Team:
    """Caseload per CPIP of the DPIP's antenna (the DFSPIP: the SPIP), raw and weighted by the
    heaviest current measure, against the target of PARCOURS_CASELOAD_TARGET files."""
    cpips = User.objects.filter(role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True)
    if (
        user.role == Role.DPIP
        and user.organisation
        and user.organisation.kind == OrganisationKind.ANTENNE
    ):
        cpips = cpips.filter(organisation=user.organisation)
    heaviest = (
        _measures()
        .filter(person_id=OuterRef("pk"), status__in=CURRENT_STATUSES)
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
            TeamRow(
                cpip=cpip,
                count=load["count"],
                weighted=weighted,
                level=load_level(weighted, target),
                percent=int(weighted * 100 / target),
            )
        )
    unassigned = Person.objects.visible_to(user).filter(referent__isnull=True).count()
    return Team(rows=rows, target=target, total=sum(r.count for r in rows), unassigned=unassigned)

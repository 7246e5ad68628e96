"""Reads of people lists: the caseload with its filters and the team's caseloads.

Every selector starts from the user's scope (`Person.objects.visible_to`, or `find_people` for a
search). The measures are reached through the `measures` relation (people sits below the
measures app and never imports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DecimalField, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.catalog.models import MeasureType
from parcours.core.db import statistics_reads
from parcours.rules.caseload import load_level
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.release import UPCOMING_DAYS

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


def followed_people(user: User) -> PersonQuerySet:
    """The people `user` may see (`Person.objects.visible_to`); for a CPIP, only those they
    follow as referent."""
    people = Person.objects.visible_to(user)
    if user.role == Role.CPIP:
        people = people.filter(referent=user)
    return people


def _measures() -> QuerySet[Any]:
    return related_manager(Person, "measures").all()


# The columns a caseload row shows (people.templatetags.caseload), read as values: the rest of the
# person, the referent and the antenna is left unread and no model is built (the page is the most
# opened one; each selected column and instance costs, docs/benchmarks.md "Request floor").
ROW_FIELDS = (
    "id",
    "public_id",
    "last_name",
    "first_names",
    "birth_date",
    "appi_number",
    "compliance_status",
    "referent_id",
    "referent__first_name",
    "referent__last_name",
    "antenna_id",
    "antenna__name",
    "ever_detained",
)


class CurrentMeasure(NamedTuple):
    label: str
    status: str


def page_rows(people: QuerySet[Person]) -> list[dict[str, Any]]:
    """The rows of one page of `caseload(…).people` (a slice): the ROW_FIELDS values of each
    person with `current_measures` (type label and status, newest judgment first), in two
    narrow queries."""
    rows = list(people.values(*ROW_FIELDS))
    if not rows:
        return rows
    by_person: dict[int, list[CurrentMeasure]] = {row["id"]: [] for row in rows}
    measures = (
        _measures()
        .filter(person_id__in=list(by_person), status__in=CURRENT_STATUSES)
        .order_by("-judgment_date")
        .values_list("person_id", "measure_type__label", "status")
    )
    for person_id, label, status in measures:
        by_person[person_id].append(CurrentMeasure(label, status))
    # The countdown: only for the people ever detained (none on most pages: no query).
    held = [row["id"] for row in rows if row["ever_detained"]]
    releases = upcoming_releases(held) if held else {}
    for row in rows:
        row["current_measures"] = by_person[row["id"]]
        row["release_on"] = releases.get(row["id"])
    return rows


def upcoming_releases(person_ids: list[int]) -> dict[int, date]:
    """The expected release date of those of `person_ids` held in custody whose release falls
    within rules.release.UPCOMING_DAYS (the caseload's countdown), in one query: the open écrou
    (detention) with the date its release plan counts down to, else its computed release date.
    Read through the `ecrous` relation: people sits below the detention and release apps."""
    today = timezone.localdate()
    found = (
        related_manager(Person, "ecrous")
        .filter(person_id__in=person_ids, released_on__isnull=True)
        .annotate(expected=Coalesce("release_plan__expected_on", "situation__release_date"))
        .filter(expected__gte=today, expected__lte=today + timedelta(days=UPCOMING_DAYS))
        .order_by("expected")
        .values_list("person_id", "expected")
    )
    releases: dict[int, date] = {}
    for person_id, expected in found:
        releases.setdefault(person_id, expected)
    return releases


@dataclass(frozen=True)
class Caseload:
    people: PersonQuerySet  # counted and sliced by the paginator; a page's rows: page_rows()
    scope: str
    notice: str


# The "statut" filter's value for every measure still running (people.forms.ACTIVE_MEASURES).
ACTIVE_MEASURES = "actives"


def _measure_filter(type_code: str, status: str) -> dict[str, Any]:
    """The lookups a person's measure must match: of the type, with the status (or any of the
    running ones); nothing to match when neither is asked."""
    wanted: dict[str, Any] = {"measure_type__code": type_code} if type_code else {}
    if status == ACTIVE_MEASURES:
        wanted["status__in"] = CURRENT_STATUSES
    elif status:
        wanted["status"] = status
    return wanted


def caseload(user: User, filters: dict[str, Any]) -> Caseload:
    """Mes personnes suivies (`perimetre=mes`, a CPIP's default) or the service's people,
    filtered and sorted; not yet paginated (a page's rows: `page_rows`)."""
    default_scope = "mes" if user.role == Role.CPIP else "service"
    scope = filters.get("perimetre") or default_scope
    found = find_people(user, filters.get("q") or "", own_only=scope == "mes")
    people = found.people
    wanted = _measure_filter(filters.get("type") or "", filters.get("statut") or "")
    if wanted:
        people = people.filter(Exists(_measures().filter(person_id=OuterRef("pk"), **wanted)))
    if filters.get("conformite"):
        people = people.filter(compliance_status=filters["conformite"])
    if filters.get("antenne"):
        people = people.filter(antenna__public_id=filters["antenne"])
    if filters.get("referent") and scope == "service":
        people = people.filter(referent__public_id=filters["referent"])
    order = SORTS.get(filters.get("tri") or "nom", SORTS["nom"])
    return Caseload(people=people.order_by(*order), scope=scope, notice=found.notice)


# The caseload's filter choices (measure types, the service's antennas and CPIPs) ------------------

# Three queries on every caseload request for lists that change a few times a year: they are kept
# in Django's cache per SPIP. Saving or deleting a user, an organisation or a measure type starts
# a new generation (people.apps connects the signals); the TTL bounds what no signal reports
# (a queryset.update(), another process when the cache is per process).
FILTER_CHOICES_TTL = 60  # seconds
_GENERATION_KEY = "people:filter-choices:generation"


@dataclass(frozen=True)
class FilterChoices:
    measure_types: list[tuple[str, str]]  # (code, label)
    antennas: list[tuple[str, str]]  # (public id, name)
    cpips: list[tuple[str, str]]  # (public id, "LAST_NAME First name")


def service_antennas(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.ANTENNE, spip_id=user.spip_id, is_active=True
    )


def service_cpips(user: User) -> QuerySet[User]:
    return User.objects.filter(
        role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True
    ).order_by("last_name", "first_name")


def filter_choices(user: User) -> FilterChoices:
    """The choices of the caseload's filter bar for the user's SPIP (cached, see above)."""
    key = f"people:filter-choices:{filter_choices_generation()}:{user.spip_id}"
    found: FilterChoices | None = cache.get(key)
    if found is None:
        antennas = service_antennas(user).values_list("public_id", "name")
        cpips = service_cpips(user).values_list("public_id", "last_name", "first_name")
        found = FilterChoices(
            measure_types=list(MeasureType.objects.current().values_list("code", "label")),
            antennas=[(str(a), n) for a, n in antennas],
            cpips=[(str(p), f"{ln} {fn}") for p, ln, fn in cpips],
        )
        cache.set(key, found, FILTER_CHOICES_TTL)
    return found


def filter_choices_generation() -> str:
    """The current generation of the filter choices: part of any cache key built on them (the
    caseload's rendered filter bar, people/caseload.html)."""
    return str(cache.get(_GENERATION_KEY, 0))


def forget_filter_choices(**_signal: Any) -> None:
    """A new generation of cached filter choices (receiver of the models' save and delete)."""
    cache.set(_GENERATION_KEY, uuid4().hex, None)


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

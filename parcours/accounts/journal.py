from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format

from parcours.accounts.http import AuthedRequest
from parcours.audit.models import AuditEvent
from parcours.core.doors import allowed
from parcours.core.pagination import paginate, querystring_without_page

from .journal_forms import AuditFilterForm
from .models import OrganisationKind, Role, User

# Account objects: an administrator reads their label (a staff account, not a person followed).
ACCOUNT_OBJECT_TYPES = frozenset({"user", "organisation"})
JOURNAL_PAGE_SIZE = 50
# The journal only grows (a SPIP's rows number in the millions at national scale): its pages
# count at most this many events (200 pages); the dates "du" and "au" reach further back.
JOURNAL_COUNT_CAP = 10_000


def technical_only(user: User) -> bool:
    """A technical administrator reads the journal's technical data (who, when, action, object
    type and public id, request), never the names of the people followed: no object label of a
    case object, no free-text motif detail, no search by name."""
    return user.role == Role.ADMIN


@cache
def _model_names() -> dict[str, str]:
    return {str(m._meta.model_name): str(m._meta.verbose_name) for m in apps.get_models()}


def object_type_label(code: str) -> str:
    """The French name of a journaled object type: the model's verbose name for a record
    ("referral" → "orientation"), a door's name as it is (already French: "personne")."""
    return _model_names().get(code, code)


def shown_object(event: AuditEvent, technical: bool) -> str:
    """What the "Objet" column shows of an event."""
    if not technical or (event.object_type in ACCOUNT_OBJECT_TYPES and not event.person_public_id):
        return event.object_label
    kind = object_type_label(event.object_type) if event.object_type else ""
    return " ".join(part for part in (kind, event.object_id) if part)


UTC_IN_LABEL = re.compile(r"(\d{2}/\d{2}/\d{4}) (\d{2}:\d{2}) UTC")


def local_label(label: str) -> str:
    """An object label with its "dd/mm/YYYY HH:MM UTC" instants (agenda labels are stored in
    UTC) shown in the current zone, the reader's SPIP's (accounts.middleware)."""

    def local(match: re.Match[str]) -> str:
        try:
            at = datetime.strptime(f"{match[1]} {match[2]}", "%d/%m/%Y %H:%M").replace(tzinfo=UTC)
        except ValueError:
            return match[0]
        return f"{timezone.localtime(at):%d/%m/%Y %H:%M}"

    return UTC_IN_LABEL.sub(local, label)


def role_label(code: str) -> str:
    """The French label of a stored role code ("cpip" → "CPIP (conseiller…)"), the code if
    unknown (a role since removed)."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """DPIP / DFSPIP: their SPIP; admin: all (a SPIP admin: their SPIP); CPIP: own actions."""
    qs = AuditEvent.objects.all()  # the rows carry the actor's name and role: no join
    if user.role in (Role.DPIP, Role.DFSPIP) and user.spip_id:
        return qs.filter(spip_id=user.spip_id)
    if user.role == Role.ADMIN and user.organisation is not None:
        if user.organisation.kind == OrganisationKind.SPIP:
            return qs.filter(spip_id=user.organisation.spip_id)
        return qs
    if user.role == Role.CPIP:
        return qs.filter(actor=user)
    return qs.none()


@allowed(
    roles=(
        Role.DPIP,
        Role.DFSPIP,
        Role.ADMIN,
        Role.CPIP,
    )
)
def journal(request: AuthedRequest) -> HttpResponse:
    user = request.user
    technical = technical_only(user)
    form = AuditFilterForm(request.GET or None, technical=technical)
    events = events_visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["utilisateur"]:
            events = events.filter(actor_username__icontains=data["utilisateur"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["objet"]:
            term = data["objet"].strip()
            if technical:
                events = events.filter(object_id=term)
            else:
                events = events.filter(Q(object_label__icontains=term) | Q(object_id=term))
        tz = timezone.get_current_timezone()
        if data["du"]:
            events = events.filter(at__gte=datetime.combine(data["du"], time.min, tzinfo=tz))
        if data["au"]:
            end = datetime.combine(data["au"] + timedelta(days=1), time.min, tzinfo=tz)
            events = events.filter(at__lt=end)
    page = paginate(
        request, events.order_by("-at", "-id"), JOURNAL_PAGE_SIZE, count_cap=JOURNAL_COUNT_CAP
    )
    page.object_list = list(page.object_list)
    for event in page.object_list:
        event.shown_object = local_label(shown_object(event, technical))
        event.role_label = role_label(event.actor_role) if event.actor_role else ""
    return render(
        request,
        "audit/journal.html",
        {
            "title": "Journal des accès" if user.role != Role.CPIP else "Mes actions",
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
            "technical": technical,
            "count_cap": number_format(JOURNAL_COUNT_CAP, force_grouping=True),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )

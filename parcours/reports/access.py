"""The one door to reports.

Lists: `visible_reports(user)` (and `selectors`). One report: `report_door`, on `open_report`,
which then goes through the person's door (`people.access.open_person`: 404 outside scope,
motif, journal).

- CPIP: the reports they wrote and those of the people they follow (a colleague's break-the-glass
  motif opens the person file, not its reports: security matrix, "Reports: no").
- DPIP / DFSPIP: every report of their SPIP (validation).
- JAP / greffe SAP: only reports transmitted (or later) whose measure was ordered by their own
  tribunal — never a draft.
- Everyone else (secrétariat, psychologue, surveillant, partenaire, admin): none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.core.doors import Door, get_or_404
from parcours.people.access import COURT_ROLES, PersonAccess, open_person
from parcours.rules import reports as rules

from .models import Report

if TYPE_CHECKING:
    from parcours.accounts.http import AuthedRequest
    from parcours.accounts.models import User

# Roles that have a reports page at all (others: 403 before any lookup).
SPIP_REPORT_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)
REPORT_ROLES = (*SPIP_REPORT_ROLES, Role.JAP, Role.GREFFE_SAP)
WRITER_ROLES = SPIP_REPORT_ROLES
# The refusal of a new report to a reader of the file who may not write its measures
# (`people.access.may_edit_measures`).
WRITE_DENIED = "Vous pouvez consulter ce dossier mais pas y rédiger un rapport."


def visible_reports(user: User) -> QuerySet[Report]:
    qs = Report.objects.all()
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    if user.role in SPIP_REPORT_ROLES:
        if user.spip_id is None:
            return qs.none()
        qs = qs.filter(person__spip_id=user.spip_id)
        if user.role == Role.CPIP:
            qs = qs.filter(Q(author=user) | Q(person__referent=user))
        return qs
    if user.role in COURT_ROLES:
        return qs.filter(
            status__in=rules.COURT_VISIBLE_STATUSES, measure__tribunal_id=user.organisation_id
        )
    return qs.none()


def actor_for(user: User, report: Report) -> rules.Actor:
    """The capacities `user` holds on `report` (see rules.reports)."""
    capacities = set()
    person = report.person
    if user.role in SPIP_REPORT_ROLES and user.spip_id and person.spip_id == user.spip_id:
        if user.role == Role.CPIP and (
            report.author_id == user.pk or person.referent_id == user.pk
        ):
            capacities.add(rules.REDACTEUR)
        if user.role in (Role.DPIP, Role.DFSPIP):
            capacities.add(rules.ENCADREMENT)
            if report.author_id == user.pk:
                capacities.add(rules.REDACTEUR)
    if (
        user.role in COURT_ROLES
        and report.measure is not None
        and report.measure.tribunal_id == user.organisation_id
    ):
        capacities.add(rules.JURIDICTION)
    return rules.Actor(frozenset(capacities), is_author=report.author_id == user.pk)


def editing_refusal(user: User, report: Report) -> str | None:
    """Why `user` may not change the text of `report` now (French), or None."""
    return rules.refusal(report.status, rules.MODIFIER, actor_for(user, report))


def open_report(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> tuple[Report, PersonAccess]:
    """The opener of `report_door`. Http404 outside scope; MotifRequired only for a report whose
    person the user no longer follows (an author whose file was transferred)."""
    reports = visible_reports(request.user).select_related(
        "person",
        "measure__measure_type",
        "measure__tribunal",
        "author",
        "validated_by",
        "content_updated_by",
    )
    report = get_or_404(reports, "Rapport introuvable.", public_id=public_id)
    access = open_person(request, report.person.public_id, journal=journal)
    report.person = access.person
    return report, access


# `@report_door(…)` → view(request, report, access).
report_door: Door[tuple[Report, PersonAccess]] = Door("rapport", open_report)

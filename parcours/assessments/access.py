"""The doors to assessments and digital self-assessments.

Lists: `visible_assessments(user)` (selectors). One record: `assessment_door` /
`digital_door`, through the person's door (people.access.file_record_opener): 404 outside the
user's SPIP, a motif for a colleague's file (then read-only), the consultation journaled.

- CPIP, DPIP, DFSPIP: the assessments of their SPIP's people (a CPIP opens a colleague's file
  only with a motif, read-only). Writing: the referent CPIP and the encadrement
  (`PersonAccess.can_edit_measures`).
- Everyone else (secrétariat, court, psychologue, surveillant, partenaire, admin): 403 before
  any lookup — an assessment holds health and family information that is not theirs to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.measures.access import may_edit_measures
from parcours.people.access import PersonAccess, file_record_opener

from .models import Assessment, DigitalSelfAssessment

if TYPE_CHECKING:
    from parcours.accounts.models import User

READ_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)
WRITE_ROLES = READ_ROLES
SERVICE_ROLES = (Role.DPIP, Role.DFSPIP)
EDIT_DENIED = "Vous pouvez consulter ce dossier mais pas en modifier les évaluations."


def visible_assessments(user: User) -> QuerySet[Assessment]:
    if user.role not in READ_ROLES or not user.spip_id:
        return Assessment.objects.none()
    return Assessment.objects.filter(person__spip_id=user.spip_id)


# Writing is the measures' writers' (the referent, the encadrement), as for plans.
may_write = may_edit_measures


assessment_door: Door[tuple[Assessment, PersonAccess]] = Door(
    "évaluation",
    file_record_opener(
        Assessment.objects.select_related(
            "person", "measure__measure_type", "questionnaire", "author", "content_updated_by"
        ),
        "person",
        "Évaluation introuvable.",
    ),
)
digital_door: Door[tuple[DigitalSelfAssessment, PersonAccess]] = Door(
    "autoévaluation numérique",
    file_record_opener(
        DigitalSelfAssessment.objects.select_related("person", "questionnaire", "recorded_by"),
        "person",
        "Autoévaluation introuvable.",
    ),
)

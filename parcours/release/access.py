"""The doors of release preparation: a checklist item opens through its person's door (404
outside the user's scope, a motif for a colleague's file, the consultation journaled).

Who writes: the roles that write a file's records (CPIP, DPIP, DFSPIP), on a file they may
edit (`PersonAccess.can_edit_measures`: the referent, the encadrement). Who reads: whoever
opens the person file. The upcoming releases: CPIP (their own people), DPIP and DFSPIP (the
service); the indicators: DPIP and DFSPIP."""

from __future__ import annotations

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.measures.access import WRITERS, may_edit_measures
from parcours.people.access import CASELOAD_ROLES, PersonAccess, file_record_opener

from .models import ReleaseItem

READERS = CASELOAD_ROLES
UPCOMING_ROLES = WRITERS
INDICATOR_ROLES = (Role.DPIP, Role.DFSPIP)

open_item = file_record_opener(
    ReleaseItem.objects.select_related("plan__person"),
    "plan__person",
    "Démarche introuvable.",
)
item_door: Door[tuple[ReleaseItem, PersonAccess]] = Door("démarche de sortie", open_item)

# The `allow` of the writing views: the referent and the encadrement (not a motif's read-only
# opening of a colleague's file).
may_prepare = may_edit_measures

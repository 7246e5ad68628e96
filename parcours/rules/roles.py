"""The roles of Parcours' users and their groups (shared domain, "Who does what").

Pure vocabulary: the rules reason about who may do what (reports, access), the models store a
user's role (`accounts.User.role`), the screens show its label.
"""

from __future__ import annotations

from parcours.rules.vocabulary import Role

SPIP_STAFF_ROLES = frozenset(
    {Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT, Role.PSYCHOLOGUE, Role.SURVEILLANT}
)
MANAGER_ROLES = frozenset({Role.DPIP, Role.DFSPIP})
COURT_ROLES = frozenset({Role.JAP, Role.GREFFE_SAP})

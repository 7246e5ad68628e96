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

# Obligations whose details (parameters such as the care structure) and justificatifs are health
# data (R-HEALTH-PROOFS; security.md, "Health / addiction details"): CP art. 132-45 3° (medical
# examination, treatment or care), 20° (prise en charge sanitaire, sociale, éducative ou
# psychologique) and 22° (injonction de soins). Catalogue codes.
HEALTH_OBLIGATIONS = frozenset({"cp_132_45_3", "cp_132_45_20", "cp_132_45_22"})
# Who may read them (security.md, "Health / addiction details"): the referent CPIP, the
# encadrement and the psychologist. Not a CPIP colleague who opened the file with a motif (break
# the glass), nor the court (it reads what the SPIP puts in a transmitted report), nor the DDSE
# surveillant (electronic monitoring needs no care attestation), nor the secretariat.
HEALTH_READER_ROLES = frozenset({Role.CPIP, Role.DPIP, Role.DFSPIP, Role.PSYCHOLOGUE})


def is_health_obligation(obligation_code: str) -> bool:
    return obligation_code in HEALTH_OBLIGATIONS


def may_read_health(role: str | None, *, break_glass: bool) -> bool:
    """Whether a reader of the file may read its health details: a role of HEALTH_READER_ROLES,
    and for a CPIP only as the referent (not through a break-the-glass motif)."""
    return role in HEALTH_READER_ROLES and not (break_glass and role == Role.CPIP)


def may_read_obligation_details(
    role: str | None, obligation_code: str, *, break_glass: bool = False
) -> bool:
    """Whether `role` may read an obligation's parameters and open its justificatifs' files
    (the other conditions — scope, motif, file readers — are the doors')."""
    return not is_health_obligation(obligation_code) or may_read_health(
        role, break_glass=break_glass
    )

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
# Who may read them: the CPIP, the encadrement, the psychologist and the court. Not the DDSE
# surveillant (electronic monitoring needs no care attestation), nor the secretariat.
HEALTH_READER_ROLES = frozenset(
    {Role.CPIP, Role.DPIP, Role.DFSPIP, Role.PSYCHOLOGUE, Role.JAP, Role.GREFFE_SAP}
)


def is_health_obligation(obligation_code: str) -> bool:
    return obligation_code in HEALTH_OBLIGATIONS


def may_read_obligation_details(role: str | None, obligation_code: str) -> bool:
    """Whether `role` may read an obligation's parameters and open its justificatifs' files
    (the other conditions — scope, motif, file readers — are the doors')."""
    return not is_health_obligation(obligation_code) or role in HEALTH_READER_ROLES

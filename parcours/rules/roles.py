"""The roles of Parcours' users and their groups (shared domain, "Who does what").

Pure vocabulary: the rules reason about who may do what (reports, access), the models store a
user's role (`accounts.User.role`), the screens show its label.
"""

from __future__ import annotations

from parcours.rules.choices import Choices


class Role(Choices):
    CPIP = "cpip", "CPIP"
    DPIP = "dpip", "DPIP (chef de service)"
    DFSPIP = "dfspip", "DFSPIP (directeur)"
    SECRETARIAT = "secretariat", "Secrétariat / accueil"
    PSYCHOLOGUE = "psychologue", "Psychologue"
    SURVEILLANT = "surveillant", "Surveillant (DDSE)"
    JAP = "jap", "Juge de l'application des peines"
    GREFFE_SAP = "greffe_sap", "Greffe SAP"
    PARTENAIRE = "partenaire", "Partenaire"
    ADMIN = "admin", "Administrateur technique"


SPIP_STAFF_ROLES = frozenset(
    {Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT, Role.PSYCHOLOGUE, Role.SURVEILLANT}
)
MANAGER_ROLES = frozenset({Role.DPIP, Role.DFSPIP})
COURT_ROLES = frozenset({Role.JAP, Role.GREFFE_SAP})

"""Demo organisations and accounts: one DISP, two SPIP in different time zones (Nord, La Réunion),
their antennas and tribunals, a partner, the documented demo accounts and other CPIP (12 in all).

Idempotent: organisations and accounts are found by natural key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from faker import Faker

from .models import (
    NO_ROLE,
    GrantDecision,
    Organisation,
    OrganisationKind,
    Role,
    RoleGrant,
    SiteType,
    User,
)

MAIN_CPIP = "cpip.demo"  # the walk-through's CPIP: the demo gives them a full caseload
DEMO_SPIPS = ("spip59", "spip974")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    org_key: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("cpip.demo", "Camille", "Martin", Role.CPIP, "lille", "CPIP, antenne de Lille"),
    DemoAccount("cpip2.demo", "Julien", "Bernard", Role.CPIP, "lille", "CPIP, même antenne"),
    DemoAccount(
        "cpip.autre.demo", "Nadia", "Payet", Role.CPIP, "st-denis", "CPIP, SPIP de La Réunion"
    ),
    DemoAccount("dpip.demo", "Sophie", "Lefebvre", Role.DPIP, "lille", "DPIP, antenne de Lille"),
    DemoAccount(
        "secretariat.demo", "Karim", "Benali", Role.SECRETARIAT, "lille", "Secrétariat, Lille"
    ),
    DemoAccount("jap.demo", "Hélène", "Roussel", Role.JAP, "tj-lille", "JAP, TJ de Lille"),
    DemoAccount(
        "partenaire.demo", "Marc", "Dupuis", Role.PARTENAIRE, "ft-lille", "France Travail Lille"
    ),
    DemoAccount("admin.demo", "Alex", "Morel", Role.ADMIN, "admin", "Administrateur technique"),
]

# The milieu fermé of the demo (issue 15): a fictional prison, its CPIP (parcours.detention.demo).
PRISON_NAME = "Centre pénitentiaire de Sequedin-les-Aulnes (fictif)"
PRISON_CODE = "CP-SLA"
MF_CPIP = DemoAccount(
    "cpip.mf.demo",
    "Léa",
    "Vasseur",
    Role.CPIP,
    "sequedin",
    "CPIP milieu fermé, centre pénitentiaire (fictif)",
)

# (key, kind, name, parent key, site type, timezone, code)
ORGANISATIONS = [
    (
        "admin",
        OrganisationKind.ADMINISTRATION,
        "Administration Parcours",
        None,
        "",
        "Europe/Paris",
        "",
    ),
    ("disp", OrganisationKind.DISP, "DISP de Lille", None, "", "Europe/Paris", "DISP-LIL"),
    ("spip59", OrganisationKind.SPIP, "SPIP du Nord", "disp", SiteType.SIEGE, "Europe/Paris", "59"),
    (
        "lille",
        OrganisationKind.ANTENNE,
        "Antenne de Lille",
        "spip59",
        SiteType.MILIEU_OUVERT,
        "Europe/Paris",
        "",
    ),
    (
        "douai",
        OrganisationKind.ANTENNE,
        "Antenne de Douai",
        "spip59",
        SiteType.MILIEU_OUVERT,
        "Europe/Paris",
        "",
    ),
    (
        "sequedin",
        OrganisationKind.ANTENNE,
        "Antenne du centre pénitentiaire de Lille-Loos-Sequedin",
        "spip59",
        SiteType.MILIEU_FERME,
        "Europe/Paris",
        "",
    ),
    # Issue 15: a fictional prison of the Nord SPIP, attached to its milieu fermé antenna.
    (
        "prison",
        OrganisationKind.ETABLISSEMENT,
        PRISON_NAME,
        "sequedin",
        "",
        "Europe/Paris",
        PRISON_CODE,
    ),
    (
        "spip974",
        OrganisationKind.SPIP,
        "SPIP de La Réunion",
        "disp",
        SiteType.SIEGE,
        "Indian/Reunion",
        "974",
    ),
    (
        "st-denis",
        OrganisationKind.ANTENNE,
        "Antenne de Saint-Denis",
        "spip974",
        SiteType.MILIEU_OUVERT,
        "Indian/Reunion",
        "",
    ),
    (
        "st-pierre",
        OrganisationKind.ANTENNE,
        "Antenne de Saint-Pierre",
        "spip974",
        SiteType.MILIEU_OUVERT,
        "Indian/Reunion",
        "",
    ),
    (
        "tj-lille",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Lille",
        "spip59",
        "",
        "Europe/Paris",
        "",
    ),
    (
        "tj-douai",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Douai",
        "spip59",
        "",
        "Europe/Paris",
        "",
    ),
    (
        "tj-st-denis",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Saint-Denis",
        "spip974",
        "",
        "Indian/Reunion",
        "",
    ),
    (
        "ft-lille",
        OrganisationKind.PARTENAIRE,
        "France Travail — agence de Lille",
        None,
        "",
        "Europe/Paris",
        "",
    ),
]

# Other CPIP per antenna (besides the demo accounts): 12 CPIP in all.
EXTRA_CPIP = {"lille": 3, "douai": 3, "sequedin": 1, "st-denis": 1, "st-pierre": 1}


def ensure_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for key, kind, name, parent_key, site_type, tz, code in ORGANISATIONS:
        parent = orgs.get(parent_key) if parent_key else None
        org, _ = Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={"parent": parent, "site_type": site_type, "timezone": tz, "code": code},
        )
        spip: Organisation | None = None
        if kind == OrganisationKind.SPIP:
            spip = org
        elif kind in (OrganisationKind.ANTENNE, OrganisationKind.TRIBUNAL) and parent:
            spip = parent
        elif kind == OrganisationKind.ETABLISSEMENT and parent:
            spip = parent.spip
        if org.spip_id != (spip.pk if spip else None):
            org.spip = spip
            org.save(update_fields=["spip"])
        orgs[key] = org
    return orgs


def _ensure_user(
    username: str, first: str, last: str, role: str, org: Organisation, password_hash: str
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "role": role,
            "organisation": org,
            "email": f"{username}@parcours.invalid",
        },
    )
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def ensure_accounts(orgs: dict[str, Organisation], password: str) -> dict[str, User]:
    # One shared demo password: hash it once (argon2 is slow on purpose), not once per account.
    password_hash = make_password(password)
    users = {
        a.username: _ensure_user(
            a.username, a.first_name, a.last_name, a.role, orgs[a.org_key], password_hash
        )
        for a in DEMO_ACCOUNTS
    }
    fake = Faker("fr_FR")
    fake.seed_instance(59974)
    for key, count in EXTRA_CPIP.items():
        for i in range(count):
            first, last = fake.first_name(), fake.last_name()
            users[f"cpip.{key}.{i}"] = _ensure_user(
                f"cpip.{key}.{i + 1}", first, last, Role.CPIP, orgs[key], password_hash
            )
    _ensure_pending_request(orgs, users["admin.demo"], password_hash)
    return users


PENDING_DEMO_ACCOUNT = "nouveau.demo"


def _ensure_pending_request(
    orgs: dict[str, Organisation], requester: User, password_hash: str
) -> None:
    """A new CPIP of Lille whose role waits for a second person: dpip.demo sees it in "Demandes de
    rôle" (created directly, like every demo account; the real flow is accounts.services)."""
    account = _ensure_user(
        PENDING_DEMO_ACCOUNT, "Inès", "Moreau", NO_ROLE, orgs["lille"], password_hash
    )
    if not RoleGrant.objects.filter(user=account).exists():
        RoleGrant.objects.create(
            user=account,
            role=Role.CPIP,
            organisation=orgs["lille"],
            previous_role=NO_ROLE,
            previous_organisation=orgs["lille"],
            requested_by=requester,
            decision=GrantDecision.EN_ATTENTE,
        )


def ensure_milieu_ferme_cpip(orgs: dict[str, Organisation], password: str) -> User:
    """cpip.mf.demo, the milieu fermé CPIP of the demo prison (kept out of `ensure_accounts`'s
    answer, so the milieu ouvert people are drawn among the same CPIP as before)."""
    existing = User.objects.filter(username=MF_CPIP.username).first()
    if existing is not None:
        return existing
    a = MF_CPIP
    return _ensure_user(
        a.username, a.first_name, a.last_name, a.role, orgs[a.org_key], make_password(password)
    )


def demo_accounts_text(password: str) -> str:
    lines = ["Comptes de démonstration (mot de passe commun : " + password + ")"]
    for account in [*DEMO_ACCOUNTS[:2], MF_CPIP, *DEMO_ACCOUNTS[2:]]:
        lines.append(f"  {account.username:<18} {account.description}")
    lines.append(
        f"  {PENDING_DEMO_ACCOUNT:<18} Sans rôle : rôle de CPIP demandé, à valider par dpip.demo"
    )
    return "\n".join(lines)


def demo_spips(orgs: dict[str, Organisation]) -> list[Organisation]:
    """The two demo SPIP (Nord, La Réunion)."""
    return [orgs[key] for key in DEMO_SPIPS]

"""Demo partners of the Nord SPIP (Lille): France Travail (the existing `ft-lille`), a mission
locale, the SIAO, a CSAPA, two associations and two TIG host structures (all fictional), with
their directory entries and agreements; one partner account per TIG host; referrals in every
status for the main CPIP's people (`partenaire.demo` sees France Travail's). Idempotent:
organisations and accounts by natural key, referrals only when there are none yet. Composed by
parcours.demo after the ledgers (`seed(orgs, users) -> counts`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP
from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.ledgers.models import TigLedger, TigSession
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.rules.vocabulary import PartnerKind, ReferralStatus

from .models import Agreement, PartnerProfile, Referral, ReferralSession

# (key, name, kind, accepted kinds, services, phone, address, TIG host account)
PARTNERS = [
    (
        "ft-lille",
        None,
        PartnerKind.FRANCE_TRAVAIL,
        ["france_travail_emploi"],
        "Inscription, accompagnement intensif vers l'emploi, ateliers CV.",
        "03 20 00 10 01",
        "12 rue Nationale, 59000 Lille",
        "",
    ),
    (
        "ml-lille",
        "Mission locale de Lille (fictive)",
        PartnerKind.MISSION_LOCALE,
        ["mission_locale"],
        "Insertion des 16-25 ans, garantie jeunes, formation.",
        "03 20 00 10 02",
        "5 boulevard de la Liberté, 59000 Lille",
        "",
    ),
    (
        "siao-59",
        "SIAO du Nord (fictif)",
        PartnerKind.SIAO,
        ["siao_hebergement"],
        "Hébergement d'urgence et d'insertion, orientation vers les CHRS.",
        "03 20 00 10 03",
        "20 rue de Paris, 59000 Lille",
        "",
    ),
    (
        "csapa-lille",
        "CSAPA Lille Métropole (fictif)",
        PartnerKind.CSAPA,
        ["csapa_soins"],
        "Consultations en addictologie, suivi des obligations de soins.",
        "03 20 00 10 04",
        "8 rue Gambetta, 59000 Lille",
        "",
    ),
    (
        "asso-reinsertion",
        "Association Trait d'union (fictive)",
        PartnerKind.ASSOCIATION,
        ["accompagnement_associatif"],
        "Accompagnement social, accès aux droits.",
        "03 20 00 10 05",
        "3 rue Solférino, 59000 Lille",
        "",
    ),
    (
        "asso-numerique",
        "Association Clic solidaire (fictive)",
        PartnerKind.ASSOCIATION,
        ["accompagnement_associatif"],
        "Ateliers d'inclusion numérique, démarches en ligne.",
        "03 20 00 10 06",
        "14 rue de Béthune, 59000 Lille",
        "",
    ),
    (
        "tig-lomme",
        "Mairie de Lomme — services techniques (fictif)",
        PartnerKind.TIG,
        ["tig"],
        "Accueil de TIG : espaces verts, entretien.",
        "03 20 00 10 07",
        "Place de l'Hôtel de Ville, 59160 Lomme",
        "tig.lomme.demo",
    ),
    (
        "tig-resto",
        "Restos du cœur de Lille-Sud (fictif)",
        PartnerKind.TIG,
        ["tig"],
        "Accueil de TIG : logistique, distribution.",
        "03 20 00 10 08",
        "40 rue du Faubourg des Postes, 59000 Lille",
        "tig.resto.demo",
    ),
]

PLAIN = (
    ReferralStatus.BROUILLON,
    ReferralStatus.ENVOYEE,
    ReferralStatus.ACCEPTEE,
    ReferralStatus.REFUSEE,
    ReferralStatus.EN_COURS,
    ReferralStatus.TERMINEE,
    ReferralStatus.CLOTUREE,
    ReferralStatus.ANNULEE,
)
WITH_SESSIONS = {ReferralStatus.EN_COURS, ReferralStatus.TERMINEE, ReferralStatus.CLOTUREE}
KIND_OF: dict[str, str] = {
    PartnerKind.FRANCE_TRAVAIL: "france_travail_emploi",
    PartnerKind.MISSION_LOCALE: "mission_locale",
    PartnerKind.SIAO: "siao_hebergement",
    PartnerKind.CSAPA: "csapa_soins",
    PartnerKind.ASSOCIATION: "accompagnement_associatif",
}
OBLIGATION_OF = {
    "france_travail_emploi": "cp_132_45_1",
    "mission_locale": "cp_132_45_1",
    "csapa_soins": "cp_132_45_3",
}


def _partner_org(orgs: dict[str, Organisation], key: str, name: str | None) -> Organisation:
    if name is None:
        return orgs[key]
    org, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.PARTENAIRE, name=name, defaults={"timezone": "Europe/Paris"}
    )
    return org


def ensure_directory(orgs: dict[str, Organisation]) -> dict[str, PartnerProfile]:
    spip = orgs["spip59"]
    profiles = {}
    for key, name, kind, accepted, services, phone, address, _account in PARTNERS:
        org = _partner_org(orgs, key, name)
        profile, created = PartnerProfile.objects.get_or_create(
            organisation=org,
            defaults={
                "spip": spip,
                "partner_kind": kind,
                "areas": "59",
                "services": services,
                "phone": phone,
                "email": f"contact@{key}.invalid",
                "address": address,
                "accepted_kinds": accepted,
            },
        )
        if created:
            Agreement.objects.create(
                profile=profile,
                title=f"Convention de partenariat SPIP du Nord — {org.name}",
                starts_on=date(2025, 1, 1),
                ends_on=date(2027, 12, 31),
                document_reference=f"CONV-59-{key.upper()}",
            )
        profiles[key] = profile
    return profiles


def _ensure_host_accounts(profiles: dict[str, PartnerProfile], password: str) -> int:
    created = 0
    password_hash = None
    for key, _name, _kind, _acc, _srv, _phone, _addr, username in PARTNERS:
        if not username or User.objects.filter(username=username).exists():
            continue
        password_hash = password_hash or make_password(password)
        User.objects.create(
            username=username,
            first_name="Accueil",
            last_name="TIG",
            role=Role.PARTENAIRE,
            organisation=profiles[key].organisation,
            email=f"{username}@parcours.invalid",
            password=password_hash,
        )
        created += 1
    return created


def _obligation(person: Person, code: str | None) -> Obligation | None:
    if code is None:
        return None
    return (
        Obligation.objects.filter(measure__person=person, obligation_type__code=code)
        .order_by("pk")
        .first()
    )


def _referral(
    person: Person,
    profile: PartnerProfile,
    kind: str,
    status: str,
    cpip: User,
    today: date,
    partner_user: User | None,
    **fields: Any,
) -> Referral:
    sent = status not in (ReferralStatus.BROUILLON,)
    referral = Referral.objects.create(
        person=person,
        partner=profile.organisation,
        kind=kind,
        reason="Orientation proposée en entretien ; merci de proposer un premier rendez-vous.",
        consent_given_on=today - timedelta(days=20),
        consent_means="oral",
        status=status,
        status_reason={  # type: ignore[call-overload]
            ReferralStatus.REFUSEE: "Plus de place disponible ce trimestre.",
            ReferralStatus.ANNULEE: "La personne a trouvé un emploi entre-temps.",
        }.get(status, ""),
        end_note=(
            "Accompagnement mené à son terme ; la personne a suivi les ateliers."
            if status in (ReferralStatus.TERMINEE, ReferralStatus.CLOTUREE)
            else ""
        ),
        # Before its first session (three weeks ago): a session never predates the sending.
        sent_at=timezone.now() - timedelta(days=25) if sent else None,
        created_by=cpip,
        **fields,
    )
    if status in WITH_SESSIONS and partner_user is not None:
        for week in (3, 2, 1):
            ReferralSession.objects.create(
                referral=referral,
                day=today - timedelta(days=7 * week),
                attended=week != 2,
                note="" if week != 2 else "Absent, prévenu la veille.",
                recorded_by=partner_user,
            )
    return referral


@transaction.atomic
def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    profiles = ensure_directory(orgs)
    accounts = _ensure_host_accounts(profiles, settings.DEMO_PASSWORD)
    if Referral.objects.exists():
        return {"partner_accounts": accounts}
    cpip = users[MAIN_CPIP]
    today = timezone.localdate()
    people = list(Person.objects.filter(referent=cpip).order_by("pk")[:40])
    partner_users = {
        u.organisation_id: u for u in User.objects.filter(role=Role.PARTENAIRE).order_by("pk")
    }
    count = 0
    index = 0
    # France Travail gets a referral in every status (partenaire.demo's list); the others a few.
    plan: list[tuple[str, tuple[str, ...]]] = [
        ("ft-lille", PLAIN),
        ("ml-lille", (ReferralStatus.ENVOYEE, ReferralStatus.EN_COURS)),
        ("siao-59", (ReferralStatus.ENVOYEE, ReferralStatus.ACCEPTEE)),
        ("csapa-lille", (ReferralStatus.EN_COURS, ReferralStatus.TERMINEE)),
        ("asso-reinsertion", (ReferralStatus.REFUSEE,)),
        ("asso-numerique", (ReferralStatus.EN_COURS,)),
    ]
    for key, statuses in plan:
        profile = profiles[key]
        kind = KIND_OF[profile.partner_kind]
        for status in statuses:
            if not people:
                break
            person = people[index % len(people)]
            index += 1
            obligation = _obligation(person, OBLIGATION_OF.get(kind))
            _referral(
                person,
                profile,
                kind,
                status,
                cpip,
                today,
                partner_users.get(profile.organisation_id),
                obligation=obligation,
                measure=obligation.measure if obligation else None,
            )
            count += 1
    count += _tig_referrals(profiles, partner_users, today)
    return {"partner_accounts": accounts, "referrals": count}


def _open_tig_ledgers(spip: Organisation, today: date) -> list[TigLedger]:
    """The TIG registers of two current TIG measures of the SPIP (the demo opens none)."""
    measures = (
        Measure.objects.filter(
            measure_type__code="tig",
            status__in=CURRENT_STATUSES,
            person__spip=spip,
            person__referent__isnull=False,
            tig_ledger__isnull=True,
        )
        .select_related("person__referent")
        .order_by("pk")[:2]
    )
    return [
        TigLedger.objects.create(
            person=m.person,
            measure=m,
            hours_ordered=120,
            offence="delit",
            enforceable_from=m.start_date or m.judgment_date or today,
            created_by=m.person.referent,
        )
        for m in measures
    ]


def _tig_referrals(
    profiles: dict[str, PartnerProfile], partner_users: dict[int | None, User], today: date
) -> int:
    """The demo TIG ledgers: one running placement per host, with hours waiting for the CPIP."""
    ledgers = list(
        TigLedger.objects.filter(person__spip=next(iter(profiles.values())).spip)
        .select_related("person__referent", "measure")
        .order_by("pk")[:2]
    )
    if not ledgers:
        ledgers = _open_tig_ledgers(next(iter(profiles.values())).spip, today)
    count = 0
    for ledger, key in zip(ledgers, ("tig-lomme", "tig-resto"), strict=False):
        profile = profiles[key]
        host = partner_users.get(profile.organisation_id)
        cpip = ledger.person.referent or ledger.created_by
        if host is None or cpip is None:
            continue
        referral = _referral(
            ledger.person,
            profile,
            "tig",
            ReferralStatus.EN_COURS,
            cpip,
            today,
            None,
            measure=ledger.measure,
        )
        day = today - timedelta(days=2)
        session = TigSession.objects.create(
            ledger=ledger,
            day=day,
            hours=Decimal("4"),
            host_structure=profile.organisation.name[:200],
            recorded_by=host,
            pending=True,
        )
        ReferralSession.objects.create(
            referral=referral,
            day=day,
            attended=True,
            hours=Decimal("4"),
            tig_session=session,
            recorded_by=host,
        )
        count += 1
    return count

"""Field minimisation (security.md, bar 3): for each referral kind, every page of the partner
space and the CSV export show the fields of the kind's data set and none of the others. Unique
markers sit in every other field of the person's file (identity details, address, housing, the
obligation, the measure's incarceration, notes); the offence never appears."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parcours.notes.models import Note
from parcours.partners.models import ReferralSession
from parcours.people.models import Address, IncarcerationPeriod, Person
from parcours.rules import referrals as rules
from parcours.rules.referrals import Field
from parcours.rules.vocabulary import Housing, OrganisationKind, ReferralStatus

from ..conftest import Cast
from ..factories import OrganisationFactory, UserFactory
from ..helpers import quiet, text
from ..ledgers.factories import first_tig_ledger, tig_measure
from ..obligations.factories import make_obligation
from .factories import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

# Never shown to any partner, whatever the kind.
ALWAYS_HIDDEN = {
    "birth_name": "ZXNAISSANCE",
    "aliases": "ZXALIAS",
    "birth_place": "ZXLIEUNAISSANCE",
    "nationality": "ZXNATIONALITE",
    "languages": "ZXLANGUES",
    "appi_number": "ZX9999999",
}
ADDRESS = "ZXADRESSE"
NOTE = "ZXNOTE"
PRISON = "ZXETABLISSEMENT"
PHONE, EMAIL = "+33611223344", "zxcontact@exemple.invalid"
PHONE_SHOWN = "06 11 22 33 44"  # the national format (people.phones.display_phone)
HOUSING_LABEL = Housing.HEBERGE_TIERS.label
OBLIGATION_LABEL = "Se soumettre à des mesures d'examen médical"  # cp_132_45_3
OFFENCE_LABEL = "Délit"


def _file_with_markers(cast: Cast) -> Person:
    person = cast.person
    Person.objects.filter(pk=person.pk).update(
        phone=PHONE, email=EMAIL, housing=Housing.HEBERGE_TIERS, **ALWAYS_HIDDEN
    )
    Address.objects.create(
        person=person,
        line=f"12 rue {ADDRESS}",
        postal_code="59000",
        city="Lille",
        since=date(2026, 1, 1),
    )
    IncarcerationPeriod.objects.create(
        person=person, start=date(2025, 1, 1), end=date(2025, 2, 1), establishment=PRISON
    )
    Note.objects.create(
        person=person,
        spip=person.spip,
        author=cast.cpip,
        kind="entretien",
        event_date=date(2027, 3, 1),
        body_html=f"<p>{NOTE}</p>",
        body_text=NOTE,
    )
    person.refresh_from_db()
    return person


def _partner_pages(client, referral) -> dict[str, str]:
    pages = {
        "liste": text(client.get(reverse("partners:inbox"))),
        "export": client.get(reverse("partners:inbox_csv")).content.decode("utf-8-sig"),
    }
    for name in ("inbox_detail", "inbox_session", "inbox_attestation"):
        response = client.get(reverse(f"partners:{name}", args=[referral.public_id]))
        assert response.status_code == 200, name
        pages[name] = text(response)
    return pages


@pytest.mark.parametrize("kind", [k.code for k in rules.KINDS])
def test_partner_pages_show_only_the_kinds_data_set(cast: Cast, kind: str) -> None:
    person = _file_with_markers(cast)
    kind_rules = rules.kind(kind)
    org = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name=f"Partenaire {kind}")
    user = UserFactory(username=f"p-{kind}", role="partenaire", organisation=org)
    obligation = make_obligation(person, "cp_132_45_3", parameters={"nature": "ZXPARAMETRE"})
    measure = person.measures.order_by("pk").first()
    if kind_rules.tig_hours:
        first_tig_ledger(person, host_structure="ZXSTRUCTURE")
        measure = tig_measure(person)
    referral = make_referral(
        cast,
        kind=kind,
        partner=org,
        status=ReferralStatus.EN_COURS,
        obligation=obligation,
        measure=measure,
    )
    pages = _partner_pages(quiet(user), referral)
    shown = kind_rules.fields
    for where, body in pages.items():
        problems = [m for m in ALWAYS_HIDDEN.values() if m in body]
        problems += [
            m for m in (NOTE, PRISON, "ZXPARAMETRE", "ZXSTRUCTURE", OFFENCE_LABEL) if m in body
        ]
        if Field.ADRESSE not in shown:
            problems += [ADDRESS] if ADDRESS in body else []
        if Field.LOGEMENT not in shown:
            problems += [HOUSING_LABEL] if HOUSING_LABEL in body else []
        if Field.OBLIGATION not in shown:
            problems += [OBLIGATION_LABEL] if OBLIGATION_LABEL in body else []
        if Field.TIG not in shown:
            problems += ["heures ordonnées"] if "heures ordonnées" in body.lower() else []
        assert not problems, f"{kind}, {where}: {problems}"
    detail, export = pages["inbox_detail"], pages["export"]
    # What the data set holds is there (the test would pass on an empty page otherwise).
    assert person.last_name.upper() in detail and person.last_name.upper() in export
    assert PHONE_SHOWN in detail and PHONE_SHOWN in export and EMAIL in export
    if Field.ADRESSE in shown:
        assert ADDRESS in detail and ADDRESS in export
    if Field.LOGEMENT in shown:
        assert HOUSING_LABEL in detail
    if Field.OBLIGATION in shown:
        assert OBLIGATION_LABEL in detail and OBLIGATION_LABEL in export
    if Field.TIG in shown:
        assert "120" in detail


def test_the_export_neutralises_formulas(cast: Cast) -> None:
    Person.objects.filter(pk=cast.person.pk).update(first_names='=HYPERLINK("x")')
    make_referral(cast)
    body = quiet(cast.partenaire).get(reverse("partners:inbox_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ";=HYPERLINK" not in body and ';"=HYPERLINK' not in body


def test_partners_never_reach_notes_reports_or_the_file(cast: Cast) -> None:
    referral = make_referral(cast)
    client = quiet(cast.partenaire)
    person_id = cast.person.public_id
    for url in (
        reverse("people:detail", args=[person_id]),
        reverse("notes:person_list", kwargs={"person_id": person_id}),
        reverse("reports:create", kwargs={"person_id": person_id}),
        reverse("partners:referral", args=[referral.public_id]),
    ):
        assert client.get(url).status_code in (403, 404), url


# --- Once refused or closed: only what tells the referral existed --------------------------------


@pytest.mark.parametrize(
    "status", [ReferralStatus.REFUSEE, ReferralStatus.CLOTUREE, ReferralStatus.ANNULEE]
)
def test_a_refused_or_closed_referral_keeps_no_identity_nor_contact(
    cast: Cast, status: str
) -> None:
    """Canary: the person's phone and birth date never appear for such a referral, page and
    CSV (a cancelled referral is gone from the partner space altogether)."""
    person = _file_with_markers(cast)
    obligation = make_obligation(person, "cp_132_45_3")
    referral = make_referral(
        cast,
        kind="siao_hebergement",
        status=status,
        obligation=obligation,
        sent_at=datetime(2027, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Paris")),
        reason="ZXMESSAGE pour le partenaire",
        status_reason="ZXMOTIF",
        end_note="ZXBILAN",
    )
    ReferralSession.objects.create(
        referral=referral,
        day=date(2027, 3, 5),
        attended=True,
        note="ZXOBSERVATION",
        recorded_by=cast.partenaire,
    )
    client = quiet(cast.partenaire)
    response = client.get(reverse("partners:inbox_detail", args=[referral.public_id]))
    pages = {
        "liste": text(client.get(reverse("partners:inbox"))),
        "export": client.get(reverse("partners:inbox_csv")).content.decode("utf-8-sig"),
        "detail": text(response),
    }
    hidden = (
        PHONE,
        PHONE_SHOWN,
        "17/05/1990",
        "1990-05-17",
        EMAIL,
        person.last_name.upper(),
        person.first_names,
        ADDRESS,
        HOUSING_LABEL,
        OBLIGATION_LABEL,
        "ZXMESSAGE",
        "ZXMOTIF",
        "ZXBILAN",
        "ZXOBSERVATION",
    )
    for where, body in pages.items():
        found = [marker for marker in hidden if marker in body]
        assert not found, f"{status}, {where}: {found}"
    label = rules.kind("siao_hebergement").label
    initials = f"{person.first_names[0]}. {person.last_name[0]}.".upper()
    if status == ReferralStatus.ANNULEE:
        assert response.status_code == 404
        assert label not in pages["export"]
        return
    assert response.status_code == 200
    detail, export = pages["detail"], pages["export"]
    # What says the referral existed: its kind, status, dates, the person's initials.
    assert label in detail and label in export
    assert initials in detail and initials in export and initials in pages["liste"]
    assert "02/03/2027" in detail and "02/03/2027" in export
    assert "05/03/2027" in detail
    assert "ne sont plus affichées" in detail

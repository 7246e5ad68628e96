"""Field minimisation (security.md, bar 3): for each referral kind, every page of the partner
space and the CSV export show the fields of the kind's data set and none of the others. Unique
markers sit in every other field of the person's file (identity details, address, housing, the
obligation, the measure's incarceration, notes); the offence never appears."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.notes.models import Note
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
PHONE, EMAIL = "0611223344", "zxcontact@exemple.invalid"
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
    assert PHONE in detail and EMAIL in export
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

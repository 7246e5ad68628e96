"""The partner directory: the SPIP's list with search and filters, the edit by the encadrement
(journaled, 409 on a stale version), another SPIP's entry is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.rules.vocabulary import OrganisationKind, PartnerKind

from ..conftest import Cast
from ..factories import OrganisationFactory
from ..helpers import quiet, text
from .factories import profile_for

pytestmark = pytest.mark.django_db


def _siao(cast: Cast):
    org = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name="SIAO du Pas-de-Calais")
    profile = profile_for(org, cast.spip, PartnerKind.SIAO)
    profile.areas = "62"
    profile.accepted_kinds = ["siao_hebergement"]
    profile.save()
    return profile


def test_the_directory_filters_by_kind_area_and_accepted_kind(cast: Cast) -> None:
    profile_for(cast.partner, cast.spip)
    _siao(cast)
    client = quiet(cast.cpip)
    url = reverse("partners:directory")
    everything = text(client.get(url))
    assert "France Travail Lille" in everything and "SIAO du Pas-de-Calais" in everything
    by_kind = text(client.get(url, {"kind": "siao"}))
    assert "France Travail Lille" not in by_kind and "SIAO du Pas-de-Calais" in by_kind
    by_area = text(client.get(url, {"area": "59"}))
    assert "France Travail Lille" in by_area and "SIAO du Pas-de-Calais" not in by_area
    by_accepts = text(client.get(url, {"accepts": "tig"}))
    assert "France Travail Lille" in by_accepts and "SIAO du Pas-de-Calais" not in by_accepts
    search = text(client.get(url, {"q": "calais"}))
    assert "SIAO du Pas-de-Calais" in search and "France Travail Lille" not in search
    assert "Aucun partenaire ne correspond" in text(client.get(url, {"q": "introuvable"}))
    assert client.get(url, {"kind": "licorne"}).status_code == 400


def test_an_empty_directory_says_so(cast: Cast) -> None:
    assert "annuaire des partenaires du service est vide" in text(
        quiet(cast.cpip).get(reverse("partners:directory"))
    )


def test_another_spips_entry_does_not_exist(cast: Cast) -> None:
    profile = profile_for(cast.partner, cast.spip)
    client = quiet(cast.cpip_autre)
    assert client.get(reverse("partners:profile", args=[profile.public_id])).status_code == 404
    assert "France Travail Lille" not in text(client.get(reverse("partners:directory")))


def test_the_encadrement_edits_a_profile_journaled_and_versioned(cast: Cast) -> None:
    profile = profile_for(cast.partner, cast.spip)
    url = reverse("partners:profile_edit", args=[profile.public_id])
    data = {
        "version": profile.version,
        "partner_kind": "france_travail",
        "areas": "59",
        "services": "Accompagnement intensif",
        "phone": "03 20 11 22 33",
        "email": "ft@exemple.invalid",
        "address": "1 place de la République, Lille",
        "accepted_kinds": ["france_travail_emploi"],
    }
    assert quiet(cast.cpip).post(url, data).status_code == 403
    dpip = quiet(cast.dpip)
    assert dpip.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.accepted_kinds == ["france_travail_emploi"] and profile.version == 2
    assert AuditEvent.objects.filter(
        actor=cast.dpip, action=AuditAction.MODIFICATION, object_id=str(profile.public_id)
    ).exists()
    stale = dpip.post(url, {**data, "areas": "62"})
    assert stale.status_code == 409
    profile.refresh_from_db()
    assert profile.areas == "59"
    bad = dpip.post(url, {**data, "version": profile.version, "areas": "Nord"})
    assert bad.status_code == 400
    assert "numéros de département" in text(bad)


def test_an_agreement_is_added_with_ordered_dates(cast: Cast) -> None:
    profile = profile_for(cast.partner, cast.spip)
    url = reverse("partners:agreement_add", args=[profile.public_id])
    dpip = quiet(cast.dpip)
    bad = dpip.post(
        url, {"title": "Convention", "starts_on": "2027-01-01", "ends_on": "2026-01-01"}
    )
    assert bad.status_code == 400 and "précède son début" in text(bad)
    ok = dpip.post(url, {"title": "Convention 2027", "starts_on": "2027-01-01"})
    assert ok.status_code == 302
    assert "Convention 2027" in text(
        dpip.get(reverse("partners:profile", args=[profile.public_id]))
    )


def test_a_partner_sees_only_its_own_entry(cast: Cast) -> None:
    own = profile_for(cast.partner, cast.spip)
    siao = _siao(cast)
    client = quiet(cast.partenaire)
    listing = text(client.get(reverse("partners:directory")))
    assert reverse("partners:profile", args=[own.public_id]) in listing
    assert "SIAO du Pas-de-Calais" not in listing
    assert client.get(reverse("partners:profile", args=[siao.public_id])).status_code == 404

"""Correcting and deleting the entries of an écrou (détention à imputer, réductions, sanctions,
transferts): the pages (the person's door: another SPIP 404, a colleague with a motif reads
only, 403), the optimistic locking (409), the journal and the recomputed dates; and the bounds
of what is entered (rules.sentences) on the forms and the simulator, and their messages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.core.errors import Refused
from parcours.detention import services
from parcours.detention.models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    SentenceSituation,
    Transfer,
)
from parcours.detention.situations import refresh
from parcours.rules import sentences

from ..helpers import quiet, text
from .factories import first_ecrou, prison

REAL_ENGINE = sentences.compute  # the tests run the stand-in (conftest), except where said
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]

ARRAS = "Maison d'arrêt d'Arras"


def release_date(ecrou: Ecrou) -> date | None:
    return SentenceSituation.objects.get(ecrou=ecrou).release_date


def edit_url(kind: str, entry) -> str:
    return reverse("detention:entry_edit", args=[kind, entry.public_id])


def delete_url(kind: str, entry) -> str:
    return reverse("detention:entry_delete", args=[kind, entry.public_id])


@pytest.fixture
def ecrou(cast, django_capture_on_commit_callbacks):
    """The person's écrou of 01/09/2026 with a 2-year sentence, its dates computed."""
    with django_capture_on_commit_callbacks(execute=True):
        found = first_ecrou(cast.person)
        services.add_sentence(cast.cpip, found, rank=2, months=1)
    return found


@pytest.fixture
def entries(cast, ecrou, django_capture_on_commit_callbacks):
    """One entry of each kind, recorded through the services (dates recomputed)."""
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "imputation": services.add_prior_custody(
                cast.cpip,
                ecrou,
                kind="detention_provisoire",
                start=date(2026, 3, 1),
                end=date(2026, 3, 11),
            ),
            "reduction": services.record_reduction(
                cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 5), days=20
            ),
            "sanction": services.record_sanction(cast.cpip, ecrou, on=date(2026, 10, 2)),
            "transfert": services.record_transfer(
                cast.cpip, ecrou, on=date(2026, 12, 1), to_establishment=prison(cast.spip, ARRAS)
            ),
        }


EDITS = {
    "imputation": {
        "kind": "detention_provisoire",
        "start": "2026-02-01",
        "end": "2026-03-11",
        "note": "mandat de dépôt",
    },
    "reduction": {"kind": "rp", "granted_on": "2027-01-05", "months": "0", "days": "50"},
    "sanction": {"on": "2026-10-03", "violence": "on", "description": "coups"},
    "transfert": {"on": "2026-12-02"},
}


def test_the_panel_links_each_entry_to_its_edit_and_delete_pages(cast, clients, entries):
    tab = reverse("people:tab", args=[cast.person.public_id, "detention"])
    page = text(clients["cpip"].get(tab))
    for kind, entry in entries.items():
        assert edit_url(kind, entry) in page
        assert delete_url(kind, entry) in page
    jap = text(clients["jap"].get(tab))
    assert edit_url("reduction", entries["reduction"]) not in jap


def test_edit_prior_custody_recomputes_the_dates_and_journals(
    cast, clients, ecrou, entries, django_capture_on_commit_callbacks
):
    entry = entries["imputation"]
    before = release_date(ecrou)
    url = edit_url("imputation", entry)
    assert 'value="2026-03-01"' in clients["cpip"].get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["cpip"].post(url, {**EDITS["imputation"], "version": entry.version})
    assert response.status_code == 302, text(response)
    entry.refresh_from_db()
    assert (entry.start, entry.note, entry.version) == (date(2026, 2, 1), "mandat de dépôt", 2)
    # 28 more days of custody to deduct (stand-in engine: day for day).
    assert (before - release_date(ecrou)).days == 28
    event = AuditEvent.objects.filter(object_type="priorcustody", action="modification").get()
    assert set(event.details["champs"]) == {"start", "note"}


def test_edit_reduction_recomputes_the_dates(
    cast, clients, ecrou, entries, django_capture_on_commit_callbacks
):
    entry = entries["reduction"]
    before = release_date(ecrou)
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["cpip"].post(
            edit_url("reduction", entry), {**EDITS["reduction"], "version": entry.version}
        )
    assert response.status_code == 302, text(response)
    assert ReductionDecision.objects.get(pk=entry.pk).days == 50
    assert (before - release_date(ecrou)).days == 30


def test_edit_sanction_changes_what_the_lsc_reads(
    cast, clients, ecrou, entries, django_capture_on_commit_callbacks
):
    entry = entries["sanction"]
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["dpip"].post(
            edit_url("sanction", entry), {**EDITS["sanction"], "version": entry.version}
        )
    assert response.status_code == 302, text(response)
    entry.refresh_from_db()
    assert (entry.on, entry.violence, entry.description) == (date(2026, 10, 3), True, "coups")
    situation = SentenceSituation.objects.get(ecrou=ecrou)
    assert situation.result["lsc_de_plein_droit"]["excluded_by"]


def test_edit_transfer_moves_the_ecrou(cast, clients, ecrou, entries):
    entry = entries["transfert"]
    other = prison(cast.spip, "Centre de détention de Bapaume")
    response = clients["cpip"].post(
        edit_url("transfert", entry),
        {"on": "2026-12-02", "to_establishment": other.pk, "version": entry.version},
    )
    assert response.status_code == 302, text(response)
    entry.refresh_from_db()
    assert (entry.on, entry.to_establishment) == (date(2026, 12, 2), other)
    ecrou.refresh_from_db()
    assert ecrou.establishment == other
    assert ecrou.incarceration.establishment == other.name


def test_only_the_latest_transfer_is_corrected_or_deleted(cast, clients, ecrou, entries):
    first = entries["transfert"]
    services.record_transfer(
        cast.cpip, ecrou, on=date(2027, 1, 10), to_establishment=prison(cast.spip)
    )
    response = clients["cpip"].post(delete_url("transfert", first), {"version": first.version})
    assert response.status_code == 400
    assert "Seul le transfert le plus récent (le 10/01/2027)" in text(response)
    assert Transfer.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize(
    "kind,model",
    [
        ("imputation", PriorCustody),
        ("reduction", ReductionDecision),
        ("sanction", DisciplinarySanction),
        ("transfert", Transfer),
    ],
)
def test_delete_each_kind_after_confirmation_journaled(
    cast, clients, ecrou, entries, kind, model, django_capture_on_commit_callbacks
):
    entry = entries[kind]
    url = delete_url(kind, entry)
    page = clients["cpip"].get(url)
    assert page.status_code == 200
    assert "sera retiré" in text(page) and "Cette suppression est journalisée" in text(page)
    assert model.objects.filter(pk=entry.pk).exists()  # a GET deletes nothing
    assert clients["cpip"].post(url, {"version": "7"}).status_code == 409
    assert model.objects.filter(pk=entry.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["cpip"].post(url, {"version": str(entry.version)})
    assert response.status_code == 302
    assert not model.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.filter(object_type="ecrou", action="modification").latest("pk")
    assert str(model._meta.verbose_name) in event.details["entree_supprimee"]


def test_delete_custody_and_reduction_recompute_the_dates(
    cast, clients, ecrou, entries, django_capture_on_commit_callbacks
):
    before = release_date(ecrou)
    for kind in ("imputation", "reduction"):
        entry = entries[kind]
        with django_capture_on_commit_callbacks(execute=True):
            clients["cpip"].post(delete_url(kind, entry), {"version": str(entry.version)})
    # 10 days of custody and 20 days of reduction no longer deducted.
    assert (release_date(ecrou) - before).days == 30


def test_delete_transfer_gives_the_ecrou_back_its_establishment(cast, clients, ecrou, entries):
    entry = entries["transfert"]
    assert ecrou.establishment.name == ARRAS
    response = clients["cpip"].post(delete_url("transfert", entry), {"version": entry.version})
    assert response.status_code == 302
    ecrou.refresh_from_db()
    assert ecrou.establishment == prison(cast.spip)
    assert ecrou.incarceration.establishment == prison(cast.spip).name


@pytest.mark.parametrize("kind", ["imputation", "reduction", "sanction", "transfert"])
def test_a_stale_edit_is_a_409_and_writes_nothing(cast, clients, entries, kind):
    entry = entries[kind]
    type(entry).objects.filter(pk=entry.pk).update(version=5)
    data = {**EDITS[kind], "version": "1"}
    if kind == "transfert":
        data["to_establishment"] = prison(cast.spip, "Centre de détention de Bapaume").pk
    response = clients["cpip"].post(edit_url(kind, entry), data)
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in text(response)
    assert type(entry).objects.get(pk=entry.pk).version == 5


@pytest.mark.parametrize("action", ["entry_edit", "entry_delete"])
def test_another_spip_gets_404_journaled(cast, clients, entries, action):
    url = reverse(f"detention:{action}", args=["reduction", entries["reduction"].public_id])
    assert clients["cpip_autre"].get(url).status_code == 404
    assert clients["cpip_autre"].post(url, {"version": "1"}).status_code == 404
    assert ReductionDecision.objects.filter(pk=entries["reduction"].pk).exists()
    assert AuditEvent.objects.filter(action="refus", object_type="saisie").exists()


@pytest.mark.parametrize("action", ["entry_edit", "entry_delete"])
def test_a_colleague_reads_with_a_motif_but_gets_403(cast, clients, entries, action):
    url = reverse(f"detention:{action}", args=["sanction", entries["sanction"].public_id])
    client = clients["cpip2"]
    assert reverse("people:motif", args=[cast.person.public_id]) in client.get(url)["Location"]
    motif = reverse("people:motif", args=[cast.person.public_id])
    assert client.post(motif, {"motif": "permanence", "detail": ""}).status_code == 302
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": "1"}).status_code == 403
    assert DisciplinarySanction.objects.filter(pk=entries["sanction"].pk).exists()


def test_the_court_gets_403(cast, clients, entries):
    assert clients["jap"].get(edit_url("reduction", entries["reduction"])).status_code == 403


def test_a_kind_that_does_not_match_the_entry_is_404(cast, clients, entries):
    assert clients["cpip"].get(edit_url("sanction", entries["reduction"])).status_code == 404
    assert clients["cpip"].get(edit_url("inconnu", entries["reduction"])).status_code == 404


# --- Bounds of what is entered ---------------------------------------------------------------


def test_cpp_716_4_custody_from_1950_before_birth_is_refused(cast, clients, ecrou):
    url = reverse("detention:entry_create", args=[ecrou.public_id, "imputation"])
    response = clients["cpip"].post(
        url, {"kind": "detention_provisoire", "start": "1950-01-01", "end": "2025-11-01"}
    )
    assert response.status_code == 400
    assert "précède la date de naissance de la personne" in text(response)
    assert not PriorCustody.objects.exists()


def test_cpp_716_4_custody_before_birth_is_refused_by_the_service(cast, ecrou):
    with pytest.raises(Refused, match="précède la date de naissance"):
        services.add_prior_custody(
            cast.cpip, ecrou, kind="autre", start=date(1950, 1, 1), end=date(2025, 11, 1)
        )


def test_cpp_721_a_reduction_above_the_ceiling_is_refused_with_the_ceiling(cast, clients, ecrou):
    # 2 years and 1 month: 12 months + 14 days at most (CPP 721).
    url = reverse("detention:entry_create", args=[ecrou.public_id, "reduction"])
    response = clients["cpip"].post(
        url, {"kind": "rp", "granted_on": "2027-01-05", "months": "36", "days": "0"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "plafond de 12 mois et 14 jours" in page and "CPP art. 721" in page
    assert not ReductionDecision.objects.exists()


def test_cpp_721_correcting_a_reduction_above_the_ceiling_is_refused(cast, clients, entries):
    entry = entries["reduction"]
    response = clients["cpip"].post(
        edit_url("reduction", entry),
        {"kind": "rp", "granted_on": "2027-01-05", "months": "13", "version": entry.version},
    )
    assert response.status_code == 400
    assert "plafond de 12 mois et 14 jours" in text(response)
    assert ReductionDecision.objects.get(pk=entry.pk).months == 0


def test_a_reduction_of_99999999999_days_is_refused_in_french(cast, clients, ecrou):
    url = reverse("detention:entry_create", args=[ecrou.public_id, "reduction"])
    response = clients["cpip"].post(
        url, {"kind": "rp", "granted_on": "2027-01-05", "days": "99999999999"}
    )
    assert response.status_code == 400
    assert "inférieure ou égale à 9999" in text(response)


SENTENCE = {"nature": "delit", "execution": "successive", "rank": "3"}


def test_unit_bound_a_delit_of_999_years_is_refused_like_the_simulator(cast, clients, ecrou):
    url = reverse("detention:sentence_create", args=[ecrou.public_id])
    response = clients["cpip"].post(url, {**SENTENCE, "years": "999"})
    assert response.status_code == 400
    assert "inférieure ou égale à 99" in text(response)
    assert SentenceLine.objects.filter(ecrou=ecrou).count() == 2


def test_cp_131_12_131_13_a_contravention_with_prison_is_refused(cast, clients, ecrou):
    url = reverse("detention:sentence_create", args=[ecrou.public_id])
    response = clients["cpip"].post(url, {**SENTENCE, "nature": "contravention", "years": "2"})
    assert response.status_code == 400
    assert "CP art. 131-12 et 131-13" in text(response)
    with pytest.raises(Refused, match="131-12"):
        services.add_sentence(cast.cpip, ecrou, nature="contravention", days=5)


def test_cp_132_23_a_surete_longer_than_the_sentence_is_refused_on_the_form(cast, clients, ecrou):
    url = reverse("detention:sentence_create", args=[ecrou.public_id])
    response = clients["cpip"].post(url, {**SENTENCE, "years": "2", "surete_years": "3"})
    assert response.status_code == 400
    assert "CP art. 132-23" in text(response)


def test_add_sentence_prefills_the_next_free_rank(cast, clients, ecrou):
    page = clients["cpip"].get(reverse("detention:sentence_create", args=[ecrou.public_id]))
    assert 'name="rank" value="3"' in page.content.decode()


def test_a_reduction_dated_1900_says_the_bound(cast, clients, ecrou):
    url = reverse("detention:entry_create", args=[ecrou.public_id, "reduction"])
    response = clients["cpip"].post(url, {"kind": "rp", "granted_on": "1900-01-01", "days": "5"})
    assert response.status_code == 400
    page = text(response)
    assert "La date de la décision (01/01/1900) ne peut pas être antérieure au 01/01/1950" in page
    assert "est invalide" not in page


# --- The simulator ---------------------------------------------------------------------------

SIM = {
    "cas-birth_date": "1990-05-04",
    "cas-ecrou_date": "2026-09-01",
    "peine1-years": "2",
    "peine1-nature": "delit",
}


def simulate(cast, data):
    full = dict(data)
    for i in range(1, 5):
        full.setdefault(f"peine{i}-nature", "delit")
        full.setdefault(f"rp{i}-kind", "rp")
    return quiet(cast.cpip).post(reverse("detention:simulator"), full)


def test_simulator_page_has_its_title(cast, clients):
    page = clients["cpip"].get(reverse("detention:simulator")).content.decode()
    assert "<title>Simulateur de dates — Parcours</title>" in page


def test_simulator_cp_132_23_refuses_a_surete_longer_than_the_sentence(cast):
    response = simulate(cast, {**SIM, "peine1-surete_years": "3"})
    assert response.status_code == 400
    assert "CP art. 132-23" in text(response)


def test_simulator_cp_131_12_131_13_refuses_a_contravention_with_prison(cast):
    response = simulate(cast, {**SIM, "peine1-nature": "contravention"})
    assert response.status_code == 400
    assert "CP art. 131-12 et 131-13" in text(response)


def test_simulator_cpp_721_refuses_a_reduction_above_the_ceiling(cast):
    response = simulate(
        cast, {**SIM, "rp1-kind": "rp", "rp1-granted_on": "2027-01-05", "rp1-months": "36"}
    )
    assert response.status_code == 400
    assert "plafond de 12 mois" in text(response)


def test_simulator_cpp_716_4_refuses_custody_longer_than_the_life(cast):
    response = simulate(cast, {**SIM, "cas-pre_trial_days": "27698"})
    assert response.status_code == 400
    assert "dépasse le temps écoulé entre la naissance et l'écrou" in text(response)


def test_simulator_ecrou_date_out_of_bounds_says_the_bounds(cast, monkeypatch):
    monkeypatch.setattr(sentences, "compute", REAL_ENGINE)
    response = simulate(cast, {**SIM, "cas-ecrou_date": "9999-12-31"})
    assert response.status_code == 400
    page = text(response)
    assert "La date d'écrou (31/12/9999) doit être comprise entre le 01/01/1900" in page
    assert "date hors des bornes" not in page


def test_the_situation_error_names_the_fields_in_french(cast, ecrou, monkeypatch):
    monkeypatch.setattr(sentences, "compute", REAL_ENGINE)
    for rank in (3, 4, 5):
        SentenceLine.objects.create(ecrou=ecrou, rank=rank, years=99)
    refresh([ecrou.pk])
    error = SentenceSituation.objects.get(ecrou=ecrou).error
    assert error == "Peines : durée totale supérieure à 200 ans."

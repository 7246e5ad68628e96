"""The detention pages: doors (another SPIP's écrou is a 404, the court reads but never writes,
a colleague is asked a motif), the panels of the person file (their content and a constant
number of queries), the forms (400 with French errors, 409 on a stale version) and the
simulator."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.detention import services
from parcours.detention.models import Ecrou, SentenceLine, SentenceSituation
from parcours.detention.situations import refresh

from ..helpers import client_for, count_queries, file_tab, quiet, text
from .factories import first_ecrou, first_sentence, prison

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


def person_url(cast):
    """The file's "Détention" tab (the record and the release preparation)."""
    return file_tab(cast.person, "detention")


def file_text(client, cast) -> str:
    """The Synthèse (the situation pénale) and the "Détention" tab, as one text."""
    synthese = text(client.get(file_tab(cast.person, "situation-penale")))
    return synthese + text(client.get(person_url(cast)))


def test_the_person_file_shows_the_situation_with_why_and_the_record(cast, clients):
    ecrou = first_ecrou(cast.person)
    services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 5), days=20)
    services.add_prior_custody(
        cast.cpip, ecrou, kind="arse", start=date(2026, 3, 1), end=date(2026, 3, 11)
    )
    refresh([ecrou.pk])
    page = file_text(clients["cpip"], cast)
    assert "Situation pénale" in page
    # 2 years from 01/09/2026, minus 10 days of custody and 20 days of reduction (stand-in).
    assert "Date de fin de peine prévisionnelle" in page
    assert "01/08/2028" in page
    assert "Admissible à la libération conditionnelle à compter du" in page
    assert "<summary>Pourquoi ?</summary>" in page
    assert "CPP art. 716-4" in page
    assert "Calculée au 16/03/2027" in page
    assert "sera libéré" not in page
    assert "Écrou n° 12345" in page and "Centre pénitentiaire de Lille-Sequedin" in page
    assert "Assignation à résidence sous surveillance électronique (ARSE) du 01/03/2026" in page
    assert "Ajouter une peine" in page


def test_the_engine_error_is_shown_plainly(cast, clients, monkeypatch):
    from parcours.rules import sentences

    def broken(case):
        raise sentences.InputError("sentences[0].definitive_on", "date manquante")

    monkeypatch.setattr(sentences, "compute", broken)
    refresh([first_ecrou(cast.person).pk])
    page = text(clients["cpip"].get(file_tab(cast.person, "situation-penale")))
    assert (
        "Dates non calculées : Peine 1, date à laquelle la condamnation est définitive : "
        "date manquante" in page
    )
    assert "sentences[0]" not in page


def test_the_court_reads_the_record_but_has_no_edit_link(cast, clients):
    ecrou = first_ecrou(cast.person)
    refresh([ecrou.pk])
    page = file_text(clients["jap"], cast)
    assert "Écrou n° 12345" in page and "Situation pénale" in page
    assert "Ajouter une peine" not in page and "Modifier l'écrou" not in page
    edit = reverse("detention:ecrou_edit", args=[ecrou.public_id])
    assert clients["jap"].get(edit).status_code == 403


def test_another_spip_gets_404_and_the_refusal_is_journaled(cast, clients):
    ecrou = first_ecrou(cast.person)
    for url in (
        reverse("detention:ecrou_edit", args=[ecrou.public_id]),
        reverse("detention:sentence_create", args=[ecrou.public_id]),
        reverse("detention:entry_create", args=[ecrou.public_id, "reduction"]),
        reverse("detention:sentence_edit", args=[first_sentence(cast.person).public_id]),
    ):
        assert clients["cpip_autre"].get(url).status_code == 404
    assert AuditEvent.objects.filter(action="refus", object_type="ecrou").exists()


def test_a_colleague_is_asked_a_motif_and_then_reads_only(cast, clients):
    ecrou = first_ecrou(cast.person)
    url = reverse("detention:ecrou_edit", args=[ecrou.public_id])
    response = clients["cpip2"].get(url)
    assert response.status_code == 302
    assert reverse("people:motif", args=[cast.person.public_id]) in response["Location"]


def test_no_panel_for_a_reader_when_there_is_no_ecrou(cast, clients):
    assert "titre-detention" not in file_text(clients["jap"], cast)
    page = file_text(clients["cpip"], cast)
    assert "Aucun écrou enregistré" in page and "Saisir un écrou" in page
    assert "Situation pénale" not in page


@pytest.mark.parametrize("role", ["cpip", "jap"])
def test_panels_run_a_constant_number_of_queries(cast, role):
    client = client_for(cast.user(role))
    url = person_url(cast)
    without, _ = count_queries(client, url)
    ecrou = first_ecrou(cast.person)
    refresh([ecrou.pk])
    few, _ = count_queries(client, url)
    for i in range(4):
        services.add_sentence(cast.cpip, ecrou, months=i + 1)
        services.record_reduction(
            cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 1 + i), days=5
        )
        services.record_sanction(cast.cpip, ecrou, on=date(2026, 10, 1 + i))
        services.add_prior_custody(
            cast.cpip,
            ecrou,
            kind="autre",
            start=date(2025, 1, 1 + 2 * i),
            end=date(2025, 1, 2 + 2 * i),
        )
    services.record_transfer(
        cast.cpip, ecrou, on=date(2026, 12, 1), to_establishment=prison(cast.spip, "MA d'Arras")
    )
    refresh([ecrou.pk])
    many, sql = count_queries(client, url)
    assert few == many, "\n".join(q[:120] for q in sql)
    # The latest écrou (establishment and situation joined) is read once for the detention and
    # release panels, and only once the person was detained (Person.ever_detained); "Détention"
    # reads its five lists, "Préparation à la sortie" its checklist.
    assert many == without + 1 + 5 + 1


def test_create_ecrou_form_lists_only_the_spip_establishments_and_redirects(cast, clients):
    own = prison(cast.spip)
    from parcours.accounts.models import Organisation

    foreign = Organisation.objects.create(
        kind="etablissement", name="CP du Port", spip=cast.other_spip
    )
    url = reverse("detention:ecrou_create", args=[cast.person.public_id])
    page = text(clients["cpip"].get(url))
    assert own.name in page and foreign.name not in page
    response = clients["cpip"].post(
        url, {"establishment": foreign.pk, "number": "9", "start": "2027-01-04"}
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    response = clients["cpip"].post(
        url, {"establishment": own.pk, "number": "9", "start": "2027-01-04"}
    )
    assert response.status_code == 302
    assert Ecrou.objects.get(person=cast.person).number == "9"


def test_sentence_forms_400_and_409(cast, clients):
    ecrou = first_ecrou(cast.person)
    url = reverse("detention:sentence_create", args=[ecrou.public_id])
    response = clients["cpip"].post(url, {"nature": "delit", "execution": "successive"})
    assert response.status_code == 400
    assert "Indiquez une durée" in text(response)
    response = clients["cpip"].post(
        url,
        {
            "nature": "delit",
            "execution": "successive",
            "months": "6",
            "definitive_on": "2027-04-01",
        },
    )
    assert response.status_code == 400
    assert "ne peut pas être dans le futur" in text(response)
    sentence = first_sentence(cast.person)
    edit = reverse("detention:sentence_edit", args=[sentence.public_id])
    stale = {
        "rank": "1",
        "years": "3",
        "months": "0",
        "days": "0",
        "execution": "successive",
        "nature": "delit",
        "surete_years": "0",
        "surete_months": "0",
        "surete_days": "0",
        "version": str(sentence.version),
    }
    SentenceLine.objects.filter(pk=sentence.pk).update(version=5)
    response = clients["cpip"].post(edit, stale)
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in text(response)
    stale["version"] = "5"
    assert clients["cpip"].post(edit, stale).status_code == 302
    assert SentenceLine.objects.get(pk=sentence.pk).years == 3


def test_entry_of_an_unknown_kind_is_404_and_a_refusal_is_400(cast, clients):
    ecrou = first_ecrou(cast.person)
    assert (
        clients["cpip"]
        .get(reverse("detention:entry_create", args=[ecrou.public_id, "inconnu"]))
        .status_code
        == 404
    )
    url = reverse("detention:entry_create", args=[ecrou.public_id, "reduction"])
    response = clients["cpip"].post(
        url, {"kind": "rp", "granted_on": "2026-05-01", "months": "0", "days": "10"}
    )
    assert response.status_code == 400
    assert "antérieure à l'écrou du 01/09/2026" in text(response)


def test_release_closes_the_ecrou(cast, clients):
    ecrou = first_ecrou(cast.person)
    url = reverse("detention:ecrou_release", args=[ecrou.public_id])
    response = clients["cpip"].post(
        url, {"released_on": "2027-03-10", "kind": "lc", "version": str(ecrou.version)}
    )
    assert response.status_code == 302
    ecrou.refresh_from_db()
    assert ecrou.released_on == date(2027, 3, 10)


SIM = {
    "cas-birth_date": "1990-05-04",
    "cas-ecrou_date": "2026-09-01",
    "cas-pre_trial_days": "10",
    "peine1-years": "1",
    "peine1-nature": "delit",
    "rp1-kind": "rp",
    "rp1-granted_on": "2027-01-05",
    "rp1-days": "20",
}


def _blank_rows(data):
    full = dict(data)
    for i in range(1, 5):
        full.setdefault(f"peine{i}-nature", "delit")
        full.setdefault(f"rp{i}-kind", "rp")
    return full


@pytest.mark.parametrize("role", ["cpip", "dpip", "jap"])
def test_simulator_computes_without_saving(cast, clients, role):
    before = AuditEvent.objects.count()
    url = reverse("detention:simulator")
    assert clients[role].get(url).status_code == 200
    response = clients[role].post(url, _blank_rows(SIM))
    assert response.status_code == 200, text(response)
    page = text(response)
    # 1 year from 01/09/2026 minus 10 days of custody and 20 of reduction (stand-in engine).
    assert "01/08/2027" in page
    assert "<summary>Pourquoi ?</summary>" in page
    assert not Ecrou.objects.exists() and not SentenceSituation.objects.exists()
    assert AuditEvent.objects.count() == before


def test_simulator_names_each_invalid_field(cast, clients):
    url = reverse("detention:simulator")
    data = _blank_rows(
        {
            "cas-birth_date": "2030-01-01",
            "cas-ecrou_date": "2026-09-01",
            "peine2-recidive": "on",
            "rp1-days": "10",
            "peine3-years": "abc",
        }
    )
    response = quiet(cast.cpip).post(url, data)
    assert response.status_code == 400
    page = text(response)
    assert "La date d'écrou doit suivre la date de naissance" in page
    assert "Indiquez la durée de la peine" in page  # peine 1 is required
    assert "Indiquez la durée de cette peine, ou videz ses autres champs" in page
    assert "Indiquez la date de la décision" in page
    assert "Saisissez un nombre entier" in page
    assert "Peine 3 — Années" in page and "Décision 1 — Décision du" in page


def test_simulator_empty_post_is_400_in_french(cast, clients):
    response = quiet(cast.cpip).post(reverse("detention:simulator"))
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in text(response)


def test_simulator_is_refused_to_the_secretariat(cast, clients):
    assert clients["secretariat"].get(reverse("detention:simulator")).status_code == 403


def test_simulator_places_the_engine_refusal_on_its_field(cast, clients, monkeypatch):
    from parcours.rules import sentences

    def refuse(case):
        raise sentences.InputError("sentences[0].definitive_on", "date requise pour ce calcul")

    monkeypatch.setattr(sentences, "compute", refuse)
    response = clients["cpip"].post(reverse("detention:simulator"), _blank_rows(SIM))
    assert response.status_code == 400
    assert "Date requise pour ce calcul" in text(response)


def test_delete_a_sentence_after_confirmation(cast, clients):
    sentence = first_sentence(cast.person)
    url = reverse("detention:sentence_delete", args=[sentence.public_id])
    page = clients["cpip"].get(url)
    assert page.status_code == 200
    assert "sera retirée de l'écrou" in text(page)
    assert clients["cpip"].post(url, {"version": "9"}).status_code == 409
    assert clients["cpip"].post(url, {"version": str(sentence.version)}).status_code == 302
    assert not SentenceLine.objects.filter(pk=sentence.pk).exists()


def test_edit_the_ecrou_keeps_the_period_in_step(cast, clients):
    ecrou = services.create_ecrou(
        cast.cpip,
        cast.person,
        establishment=prison(cast.spip),
        number="E-1",
        start=date(2026, 9, 1),
    )
    url = reverse("detention:ecrou_edit", args=[ecrou.public_id])
    assert 'value="E-1"' in clients["dpip"].get(url).content.decode()
    response = clients["dpip"].post(
        url,
        {
            "establishment": ecrou.establishment_id,
            "number": "E-2",
            "start": "2026-08-31",
            "hebergement": "on",
            "version": str(ecrou.version),
        },
    )
    assert response.status_code == 302
    ecrou.refresh_from_db()
    assert (ecrou.number, ecrou.start, ecrou.hebergement) == ("E-2", date(2026, 8, 31), True)
    period = ecrou.incarceration
    assert (period.start, period.source) == (date(2026, 8, 31), "Écrou n° E-2")
    event = AuditEvent.objects.filter(object_type="ecrou", action="modification").latest("pk")
    assert set(event.details["champs"]) == {"number", "start", "hebergement"}

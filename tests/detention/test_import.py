"""Import of detention extracts (parcours.detention.importer): the écrous, sentences, reductions
and custody to deduct of a CSV, idempotent, with a French report of the rejected lines; the
command and the page of the encadrement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from parcours.accounts.models import OrganisationKind
from parcours.audit.models import AuditEvent
from parcours.detention import importer
from parcours.detention.models import Ecrou, PriorCustody, ReductionDecision, SentenceLine
from parcours.people.models import IncarcerationPeriod
from parcours.rules.vocabulary import AuditAction
from tests.factories import OrganisationFactory, PersonFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

HEADERS = [
    "type_ligne",
    "numero_appi",
    "code_etablissement",
    "numero_ecrou",
    "date_ecrou",
    "date_liberation",
    "mode_sortie",
    "rang",
    "annees",
    "mois",
    "jours",
    "date_definitive",
    "nature",
    "recidive",
    "faits",
    "surete_annees",
    "juridiction",
    "date_decision",
    "infraction",
    "type_reduction",
    "retiree",
    "nature_detention",
    "debut",
    "fin",
]
APPI = "2024 0000 0001"  # typed with spaces: normalised
OTHER_APPI = "202400000002"
ECROU = {
    "numero_appi": APPI,
    "code_etablissement": "CP-T",
    "numero_ecrou": "24001",
    "date_ecrou": "15/03/2024",
}


def sentence(**values: str) -> dict[str, str]:
    row = {**ECROU, "type_ligne": "peine", "rang": "1", "annees": "2", "nature": "délit"}
    row.update(date_definitive="01/03/2024", recidive="non", faits="")
    return {**row, **values}


def reduction(**values: str) -> dict[str, str]:
    row = {**ECROU, "type_ligne": "reduction", "type_reduction": "rp"}
    row.update(date_decision="15/03/2025", mois="3", retiree="non")
    return {**row, **values}


def custody(**values: str) -> dict[str, str]:
    row = {**ECROU, "type_ligne": "detention_anterieure", "nature_detention": "arse"}
    row.update(debut="01/01/2023", fin="01/04/2023")
    return {**row, **values}


def csv_of(rows: list[dict[str, str]], delimiter: str = ";") -> bytes:
    lines = [delimiter.join(HEADERS)]
    for row in rows:
        lines.append(delimiter.join(row.get(h, "") for h in HEADERS))
    return ("\n".join(lines) + "\n").encode()


VALID = [
    sentence(faits="violences_conjugales|ssj_encouru", surete_annees="1", juridiction="TJ Lille"),
    sentence(rang="2", annees="", mois="8", recidive="oui"),
    reduction(),
    reduction(mois="", jours="20", retiree="oui", date_decision="15/04/2025"),
    custody(),
]


@pytest.fixture
def mf(cast: Any) -> Any:
    cast.prison = OrganisationFactory(
        kind=OrganisationKind.ETABLISSEMENT,
        name="Centre pénitentiaire d'essai",
        code="CP-T",
        parent=cast.antenna,
        spip=cast.spip,
    )
    cast.other_prison = OrganisationFactory(
        kind=OrganisationKind.ETABLISSEMENT,
        name="Centre pénitentiaire de La Réunion",
        code="CP-R",
        parent=cast.other_antenna,
        spip=cast.other_spip,
    )
    cast.spip.code = "59"
    cast.spip.save(update_fields=["code"])
    cast.person.appi_number = "202400000001"
    cast.person.save(update_fields=["appi_number"])
    cast.other_person.appi_number = OTHER_APPI
    cast.other_person.save(update_fields=["appi_number"])
    return cast


def run(mf: Any, rows: list[dict[str, str]], apply: bool = True) -> importer.ImportReport:
    return importer.run_import(mf.dpip, mf.spip, csv_of(rows), apply=apply, file_name="x.csv")


def test_valid_file_creates_the_ecrou_its_sentences_reductions_and_custody(mf: Any) -> None:
    report = run(mf, VALID)
    assert report.rejected == []
    assert report.created == {"ecrous": 1, "peines": 2, "reductions": 2, "detentions": 1}
    ecrou = Ecrou.objects.get(establishment=mf.prison, number="24001")
    assert ecrou.person == mf.person
    assert str(ecrou.start) == "2024-03-15" and ecrou.released_on is None
    # The bulk insert flags the person (the file then reads the écrou: Person.ever_detained).
    assert type(mf.person).objects.get(pk=mf.person.pk).ever_detained
    first, second = SentenceLine.objects.filter(ecrou=ecrou).order_by("rank")
    assert (first.years, first.months, first.nature, first.surete_years) == (2, 0, "delit", 1)
    assert first.flags == ["ssj_encouru", "violences_conjugales"]
    assert first.court == "TJ Lille" and str(first.definitive_on) == "2024-03-01"
    assert (second.years, second.months, second.recidive) == (0, 8, True)
    assert sorted(ReductionDecision.objects.values_list("months", "days", "withdrawn")) == [
        (0, 20, True),
        (3, 0, False),
    ]
    prior = PriorCustody.objects.get(ecrou=ecrou)
    assert (prior.kind, prior.days) == ("arse", 90)
    # The person's incarceration (which suspends their probation measures) follows the écrou.
    period = IncarcerationPeriod.objects.get(person=mf.person)
    assert ecrou.incarceration == period and str(period.start) == "2024-03-15"
    journal = AuditEvent.objects.filter(object_type="ecrou", person_public_id=mf.person.public_id)
    assert journal.get().action == AuditAction.CREATION
    summary = AuditEvent.objects.get(object_type="import_detention")
    assert summary.details["lignes"] == 5 and summary.spip_id == mf.spip.pk


def test_reimporting_the_same_file_changes_nothing(mf: Any) -> None:
    run(mf, VALID)
    before = [
        m.objects.count()
        for m in (Ecrou, SentenceLine, ReductionDecision, PriorCustody, IncarcerationPeriod)
    ]
    versions = list(SentenceLine.objects.values_list("version", flat=True))
    ecrou_rows = AuditEvent.objects.filter(object_type="ecrou").count()
    report = run(mf, VALID)
    assert report.changes == 0 and report.unchanged == 5 and report.rejected == []
    after = [
        m.objects.count()
        for m in (Ecrou, SentenceLine, ReductionDecision, PriorCustody, IncarcerationPeriod)
    ]
    assert after == before
    assert list(SentenceLine.objects.values_list("version", flat=True)) == versions
    assert AuditEvent.objects.filter(object_type="ecrou").count() == ecrou_rows


def test_a_changed_line_updates_the_sentence_and_the_release(mf: Any) -> None:
    run(mf, VALID)
    released = {"date_liberation": "02/05/2026", "mode_sortie": "lc"}
    second = sentence(rang="2", annees="", mois="8", recidive="oui", **released)
    rows = [sentence(annees="3", **released), second]
    report = run(mf, rows)
    assert report.updated == {"ecrous": 1, "peines": 1}
    line = SentenceLine.objects.get(rank=1)
    assert (line.years, line.version) == (3, 2)
    ecrou = Ecrou.objects.get()
    assert (str(ecrou.released_on), ecrou.release_kind, ecrou.version) == ("2026-05-02", "lc", 2)
    assert str(IncarcerationPeriod.objects.get().end) == "2026-05-02"
    assert AuditEvent.objects.filter(object_type="ecrou", action=AuditAction.MODIFICATION).exists()


def test_preview_counts_like_the_import_and_writes_nothing(mf: Any) -> None:
    report = run(mf, VALID, apply=False)
    assert report.created["peines"] == 2 and not report.applied
    assert not Ecrou.objects.exists() and not SentenceLine.objects.exists()
    assert not AuditEvent.objects.filter(object_type__in=["ecrou", "import_detention"]).exists()


UNKNOWN_PERSON = "Personne inconnue dans votre SPIP (numéro APPI)."


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (sentence(type_ligne="amende"), "type_ligne", "Valeur inconnue « amende »"),
        (sentence(numero_appi=""), "numero_appi", "Numéro APPI obligatoire"),
        (sentence(numero_appi="209900000099"), "numero_appi", UNKNOWN_PERSON),
        (sentence(code_etablissement="CP-X"), "code_etablissement", "Établissement inconnu"),
        (sentence(code_etablissement="CP-R"), "code_etablissement", "Établissement inconnu"),
        (sentence(numero_ecrou=""), "numero_ecrou", "Numéro d'écrou obligatoire"),
        (sentence(numero_ecrou="9" * 31), "numero_ecrou", "trop long"),
        (sentence(date_ecrou="2024/03/15"), "date_ecrou", "Date illisible"),
        (sentence(date_ecrou=""), "date_ecrou", "Date obligatoire"),
        (sentence(date_liberation="01/03/2024"), "date_liberation", "doit suivre"),
        (sentence(mode_sortie="evasion"), "mode_sortie", "Valeur inconnue"),
        (sentence(mode_sortie="lc"), "mode_sortie", "suppose une date de libération"),
        (sentence(rang=""), "rang", "Rang d'exécution obligatoire"),
        (sentence(rang="un"), "rang", "Nombre entier positif"),
        (sentence(annees="0"), "annees", "durée de la peine est nulle"),
        (sentence(annees="1200"), "annees", "trop grande"),
        (sentence(annees="999"), "annees", "au plus 99 ans"),
        (sentence(surete_annees="3"), "surete_annees", "CP art. 132-23"),
        (sentence(faits="terrorisme|vol"), "faits", "Fait inconnu « vol »"),
        (sentence(nature="contravention"), "nature", "crime ou délit"),
        (sentence(recidive="peut-être"), "recidive", "« oui » ou « non »"),
        (sentence(date_definitive="31/02/2024"), "date_definitive", "Date illisible"),
        (reduction(date_decision=""), "date_decision", "Date obligatoire"),
        (reduction(mois="0"), "mois", "quantum de la réduction est nul"),
        (reduction(type_reduction="grace"), "type_reduction", "Valeur inconnue"),
        (custody(nature_detention=""), "nature_detention", "obligatoire"),
        (custody(fin="01/01/2023"), "fin", "doit suivre le début"),
    ],
)
def test_each_rejection_names_its_line_column_and_reason(
    mf: Any, row: dict[str, str], column: str, fragment: str
) -> None:
    report = run(mf, [sentence(numero_ecrou="24999"), row])
    assert len(report.rejected) == 1
    rejection = report.rejected[0]
    assert (rejection.line, rejection.column) == (3, column)
    assert fragment in rejection.reason
    assert f"Ligne 3, colonne « {column} »" in report.as_text()
    # The good line went in; the rejected one wrote nothing.
    assert report.accepted == 1
    assert list(Ecrou.objects.values_list("number", flat=True)) == ["24999"]
    assert SentenceLine.objects.count() == 1


def test_another_spip_person_is_rejected_exactly_as_an_unknown_one(mf: Any) -> None:
    report = run(mf, [sentence(numero_appi=OTHER_APPI), sentence(numero_appi="209900000099")])
    reasons = {(r.column, r.reason) for r in report.rejected}
    assert reasons == {("numero_appi", UNKNOWN_PERSON)}
    assert not Ecrou.objects.exists()
    assert not IncarcerationPeriod.objects.filter(person=mf.other_person).exists()


def test_an_ecrou_number_is_one_person_and_one_set_of_dates(mf: Any) -> None:
    second: Any = PersonFactory(spip=mf.spip, antenna=mf.antenna, appi_number="202400000003")
    report = run(
        mf,
        [
            sentence(),
            sentence(rang="2", numero_appi=second.appi_number),
            sentence(rang="3", date_ecrou="16/03/2024"),
        ],
    )
    assert [(r.line, r.column) for r in report.rejected] == [(3, "numero_appi"), (4, "date_ecrou")]
    assert "ligne 2" in report.rejected[0].reason
    # Later, another file giving the same écrou to someone else is refused too.
    report = run(mf, [sentence(numero_appi=second.appi_number, rang="5")])
    assert report.rejected[0].column == "numero_ecrou"
    assert SentenceLine.objects.count() == 1


def test_a_rank_given_twice_for_one_ecrou_is_rejected(mf: Any) -> None:
    report = run(mf, [sentence(), sentence(annees="4")])
    assert [(r.line, r.column) for r in report.rejected] == [(3, "rang")]
    assert "ligne 2" in report.rejected[0].reason
    assert SentenceLine.objects.get().years == 2


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "vide"),
        (b"numero_appi;rang\n1;2\n", "Colonnes obligatoires absentes"),
        (b"%PDF-1.7\x00\x01\x02binary", "binaire"),
        (csv_of([])[:-1] + b";autre\n", "Colonnes inconnues : autre"),
        (b";".join(h.encode() for h in HEADERS) + b"\n", "aucune ligne"),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(mf: Any, data: bytes, fragment: str) -> None:
    with pytest.raises(importer.ImportFileError, match=fragment):
        importer.run_import(mf.dpip, mf.spip, data, apply=True)


def test_comma_separated_windows_1252_file_with_iso_dates(mf: Any) -> None:
    rows = [sentence(date_ecrou="2024-03-15", infraction="Vol aggravé, récidive")]
    text = csv_of(rows, delimiter=",").decode().replace("Vol aggravé, récidive", '"Vol aggravé"')
    report = importer.run_import(mf.dpip, mf.spip, text.encode("cp1252"), apply=True)
    assert report.rejected == []
    assert SentenceLine.objects.get().offence == "Vol aggravé"


# The page


URL = "/detention/import/"


def upload(name: str, data: bytes) -> dict[str, Any]:
    return {"fichier": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_import_page_is_the_encadrements(mf: Any) -> None:
    assert reverse("detention_import:import") == URL
    assert client_for(mf.dpip).get(URL).status_code == 200
    for user in (mf.cpip, mf.secretariat, mf.jap):
        assert client_for(user).get(URL).status_code == 403
    # An administrator attached to no SPIP has nowhere to import.
    assert client_for(mf.admin).get(URL).status_code == 403


def test_upload_preview_then_confirm(mf: Any) -> None:
    client = client_for(mf.dpip)
    rows = [*VALID, sentence(rang="4", annees="x")]
    response = client.post(URL, upload("extrait.csv", csv_of(rows)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aperçu : rien n'est encore enregistré" in page
    assert "Nombre entier positif attendu" in page and "<td>7</td>" in page
    assert not Ecrou.objects.exists()
    digest = response.context["confirm"].initial["empreinte"]
    response = client.post(URL, {"empreinte": "0" * 64})
    assert response.status_code == 400 and not Ecrou.objects.exists()
    response = client.post(URL, {"empreinte": digest})
    assert response.status_code == 200 and "Rapport d'import" in response.content.decode()
    assert SentenceLine.objects.count() == 2
    # The preview is used once.
    assert client.post(URL, {"empreinte": digest}).status_code == 400


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("extrait.pdf", b"%PDF-1.7", "extension .csv"),
        ("extrait.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "binaire"),
        ("extrait.csv", b"nom;prenom\nDurand;Lucas\n", "Colonnes obligatoires absentes"),
    ],
)
def test_a_non_csv_upload_is_a_400_and_journaled(
    mf: Any, name: str, data: bytes, fragment: str
) -> None:
    response = client_for(mf.dpip).post(URL, upload(name, data))
    assert response.status_code == 400
    assert fragment in response.content.decode()
    refused = AuditEvent.objects.get(action=AuditAction.TELEVERSEMENT_REFUSE)
    assert refused.details["fichier"] == name and refused.actor_username == mf.dpip.username
    assert not Ecrou.objects.exists()


def test_a_post_without_file_is_a_400(mf: Any) -> None:
    assert client_for(mf.dpip).post(URL, {}).status_code == 400


# The command


def test_command_imports_previews_and_refuses(mf: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "extrait.csv"
    path.write_bytes(csv_of(VALID))
    call_command("import_detention", str(path), "--spip", "59", "--apercu")
    assert "Aperçu" in capsys.readouterr().out and not Ecrou.objects.exists()
    call_command("import_detention", str(path), "--spip", "59", "--utilisateur", "dpip")
    out = capsys.readouterr().out
    assert "Import effectué : 5 ligne(s) lue(s), 5 acceptée(s), 0 rejet(s)." in out
    assert SentenceLine.objects.count() == 2
    call_command("import_detention", str(path), "--spip", "59")
    assert "Lignes déjà à jour : 5." in capsys.readouterr().out
    with pytest.raises(CommandError, match="SPIP inconnu"):
        call_command("import_detention", str(path), "--spip", "00")
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_detention", str(tmp_path / "absent.csv"), "--spip", "59")
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="vide"):
        call_command("import_detention", str(path), "--spip", "59")


def test_the_situations_of_the_ecrous_touched_are_recomputed_after_commit(
    mf: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    calls: list[list[int]] = []

    class Situations:
        @staticmethod
        def refresh(ids: list[int]) -> int:
            calls.append(list(ids))
            return len(ids)

    monkeypatch.setattr(importer.importlib, "import_module", lambda name: Situations)
    with django_capture_on_commit_callbacks(execute=True):
        run(mf, VALID)
    assert calls == [[Ecrou.objects.get().pk]]
    with django_capture_on_commit_callbacks(execute=True):
        run(mf, VALID)  # nothing changed: nothing to recompute
        run(mf, VALID, apply=False)  # a preview commits nothing
    assert calls == [[Ecrou.objects.get().pk]]

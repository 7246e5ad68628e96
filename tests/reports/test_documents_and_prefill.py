"""A report's files (DOCX and PDF, read back) and its prefill from the file and template."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from docx import Document as Docx
from pypdf import PdfReader

from parcours.breaches.models import Breach
from parcours.documents import french_date
from parcours.reports import services, storage
from parcours.reports.prefill import PREFILLERS, PrefillContext, appointments, prefill_content
from parcours.reports.templates_data import template_for, templates
from parcours.rules import reports as r
from parcours.rules.vocabulary import BreachKind, NextStep
from tests.agenda.factories import make_appointment
from tests.breaches.factories import first_breach
from tests.conftest import Cast
from tests.helpers import file_tab
from tests.ledgers.factories import first_tig_ledger
from tests.obligations.factories import make_obligation

from .factories import draft_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def transmitted(cast: Cast) -> Any:
    report = draft_report(cast.person)
    report = services.save_content(
        acting_user=cast.cpip,
        report=report,
        content={"conclusion": "Nous proposons le maintien de la mesure."},
        expected_version=report.version,
    )
    for user, action in (
        (cast.cpip, r.SOUMETTRE),
        (cast.dpip, r.VALIDER),
        (cast.cpip, r.TRANSMETTRE),
    ):
        report = services.apply_action(acting_user=user, report=report, action=action)
    return report


def test_frozen_docx_and_pdf_carry_the_report(cast: Cast) -> None:
    report = transmitted(cast)
    today_fr = french_date(report.transmitted_at, "Europe/Paris")
    expected = (
        "SPIP du Nord",
        "Antenne de Lille",
        f"Lille, le {today_fr}",
        "Rapport de situation / annuel",
        "DURAND Lucas",
        "Sursis probatoire",
        "TJ de Lille",
        f"Réf. : {report.reference}",
        "Nous proposons le maintien de la mesure.",
        "Validé par Sophie Lefebvre",
    )
    doc = Docx(io.BytesIO(storage.resolve(report.docx_path).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for fragment in expected:
        assert fragment in text, fragment
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Objet", "Identité et situation administrative", "Mesure suivie"]
    assert "PROJET" not in text
    reader = PdfReader(io.BytesIO(storage.resolve(report.pdf_path).read_bytes()))
    pdf = "\n".join(page.extract_text() for page in reader.pages)
    for fragment in expected:
        assert fragment in pdf, fragment
    assert f"Page 1 / {len(reader.pages)}" in pdf


def test_the_date_line_is_in_the_spip_time_zone(cast: Cast) -> None:
    from parcours.reports.document import report_document

    report = draft_report(cast.person)
    cast.spip.timezone = "Indian/Reunion"
    cast.spip.save()
    report.person.spip.timezone = "Indian/Reunion"
    when = datetime(2026, 11, 27, 21, 30, tzinfo=ZoneInfo("UTC"))
    doc = report_document(report, when=when)
    assert doc.date_line == "Lille, le 28 novembre 2026"
    assert doc.watermark.startswith("PROJET")


def test_template_version_in_force_on_the_creation_date() -> None:
    assert template_for("situation", date(2026, 9, 30))["effective_from"] == "2020-01-01"
    newer = template_for("situation", date(2026, 10, 1))
    assert newer["effective_from"] == "2026-10-01"
    assert "reevaluation" in [s["key"] for s in newer["sections"]]
    with pytest.raises(ValueError):
        template_for("inconnu", date(2026, 10, 1))


def test_every_template_is_well_formed() -> None:
    from parcours.reports.models import ReportKind

    assert set(templates()) == set(ReportKind.values)
    for kind, data in templates().items():
        for version in data["versions"]:
            date.fromisoformat(version["effective_from"])
            keys = [s["key"] for s in version["sections"]]
            assert len(keys) == len(set(keys)), kind
            for section in version["sections"]:
                assert section["heading"]
                assert section["prefill"] is None or section["prefill"] in PREFILLERS, section


def test_report_keeps_its_template_version(cast: Cast) -> None:
    report = services.create_report(
        acting_user=cast.cpip, person=cast.person, kind="situation", today=date(2026, 9, 1)
    )
    assert report.template_version == "2020-01-01"
    assert "reevaluation" not in report.section_keys


def test_prefill_from_the_file(cast: Cast) -> None:
    measure = cast.person.measures.get()
    make_obligation(cast.person)
    first_breach(cast.person)
    first_tig_ledger(cast.person)
    sections = template_for("fin_mesure", date(2026, 11, 27))["sections"]
    content = prefill_content(sections, PrefillContext(cast.person, None, date(2026, 11, 27)))
    assert "DURAND" in content["identite"] and "Lucas" in content["identite"]
    assert "Sursis probatoire" in content["mesures"] and "TJ de Lille" in content["mesures"]
    assert "CP art. 132-45 3°" in content["obligations"]
    assert "Justificatif non fourni" in content["manquements"]
    assert "TIG de 120 h" in content["tig"]
    assert content["bilan"] == ""
    only = prefill_content(sections, PrefillContext(cast.person, measure, date(2026, 11, 27)))
    assert "Pas de travail d'intérêt général" in only["tig"]


def test_a_new_prefill_key_is_one_function(cast: Cast) -> None:
    from parcours.reports.prefill import prefiller

    @prefiller("essai_test")
    def essai(ctx: PrefillContext) -> str:
        return f"Essai pour {ctx.person.last_name}"

    try:
        content = prefill_content(
            [{"key": "x", "heading": "X", "prefill": "essai_test"}],
            PrefillContext(cast.person, None, date(2026, 11, 27)),
        )
        assert content == {"x": "Essai pour Durand"}
    finally:
        PREFILLERS.pop("essai_test")


def test_prefill_appointments_kept_and_missed(cast: Cast) -> None:
    """The 2026-11-27 versions of the situation, incident and end-of-measure reports carry the
    attendance of the last twelve months, with the missed appointments listed."""
    now = timezone.now()
    for days, status, reason in (
        (40, "honore", ""),
        (30, "honore", ""),
        (20, "absent", ""),
        (10, "excuse", "Hospitalisation"),
        (400, "absent", ""),  # more than a year ago: not counted
    ):
        make_appointment(
            cast,
            starts_at=now - timedelta(days=days),
            status=status,
            outcome_reason=reason,
        )
    sections = template_for("situation", timezone.localdate())["sections"]
    assert any(s["key"] == "rendez_vous" for s in sections)
    assert all(
        s["key"] != "rendez_vous" for s in template_for("situation", date(2026, 11, 26))["sections"]
    )
    text = prefill_content(sections, PrefillContext(cast.person, None, timezone.localdate()))[
        "rendez_vous"
    ]
    assert "2 rendez-vous honorés, 1 absence non excusée, 1 absence excusée" in text
    assert "Hospitalisation" in text


def test_prefill_says_what_each_absence_figure_counts(cast: Cast, clients: Any) -> None:
    """The exploratory test's case: a recorded « absence à une convocation » and no appointment
    marked absent. The Synthèse counts appointments (0 absence); the report says the same of the
    appointments and gives the recorded manquement on its own line, named as such."""
    today = timezone.localdate()
    make_appointment(cast, starts_at=timezone.now() - timedelta(days=30), status="honore")
    Breach.objects.create(
        person=cast.person,
        measure=cast.person.measures.get(),
        kind=BreachKind.ABSENCE,
        occurred_on=today - timedelta(days=20),
        facts="Absent à la convocation du 24/02.",
        proposed_step=NextStep.RAPPEL,
        chosen_step=NextStep.RAPPEL,
    )
    synthese = clients["cpip"].get(file_tab(cast.person, "rendez-vous")).content.decode()
    assert "1 honoré, 0 absence non excusée, 0 excusée" in synthese
    text = appointments(PrefillContext(cast.person, None, today))
    lines = text.splitlines()
    assert lines[0] == (
        "Rendez-vous de l'agenda sur les douze derniers mois : 1 rendez-vous honoré, "
        "0 absence non excusée, 0 absence excusée."
    )
    assert lines[1] == "Manquements enregistrés sur la même période : 1 absence à une convocation."
    assert lines[2] == (
        "Au total, 1 absence non excusée (rendez-vous marqués absents et absences enregistrées "
        "comme manquements un autre jour)."
    )

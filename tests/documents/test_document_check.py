"""The document check (issue 16): the text of every generated PDF and DOCX — a report of each
type, the convocation, the reception day — read back and checked for what a court would send
back: ISO dates, "(e)" forms when the sex is recorded, English amounts, a title printed twice,
internal words, nested parentheses."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from pypdf import PdfReader

from parcours.agenda import documents as agenda_documents
from parcours.breaches.models import Breach
from parcours.documents import Document, build_docx, build_pdf
from parcours.notifications.services import render_message, templates_for
from parcours.reports import services
from parcours.reports.document import report_document
from parcours.reports.prefill import PrefillContext, appointments, breaches
from parcours.reports.templates_data import templates
from parcours.rules import reports as r
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.vocabulary import BreachKind, NextStep
from tests.agenda.factories import make_appointment
from tests.conftest import Cast
from tests.factories import MeasureFactory
from tests.helpers import client_for
from tests.obligations.factories import make_obligation
from tests.release.factories import release_plan
from tests.reports.factories import draft_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
GENDER_MARK = re.compile(r"\w\(e\)")
PLURAL_MARK = re.compile(r"\w\((?:s|x|es)\)")
ENGLISH_AMOUNT = re.compile(r"\d\.\d{2}\s?€")
NESTED_PARENTHESES = re.compile(r"\([^()]*\(")
INTERNAL_WORDS = ("Modèle en vigueur", "template", "prefill", "None", "TODO", "nan €")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    lines += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(lines)


def problems(text: str, title: str, *, sex_known: bool) -> list[str]:
    """What the document check refuses in a document's text (empty list: accepted)."""
    found = [f"date ISO : {m}" for m in ISO_DATE.findall(text)]
    if sex_known:
        found += [f"forme (e) : {m}" for m in GENDER_MARK.findall(text)]
    found += [f"pluriel (s) : {m}" for m in PLURAL_MARK.findall(text)]
    found += [f"montant anglais : {m}" for m in ENGLISH_AMOUNT.findall(text)]
    found += [f"parenthèses imbriquées : {m}" for m in NESTED_PARENTHESES.findall(text)]
    found += [f"mot interne : {w}" for w in INTERNAL_WORDS if w in text]
    lines = [line.strip() for line in text.splitlines()]
    if lines.count(title.strip()) != 1:
        found.append(f"titre « {title} » imprimé {lines.count(title.strip())} fois")
    return found


def both_texts(doc: Document) -> dict[str, str]:
    return {"pdf": pdf_text(build_pdf(doc)), "docx": docx_text(build_docx(doc))}


def assert_accepted(doc: Document, *, sex_known: bool = True) -> dict[str, str]:
    texts = both_texts(doc)
    for kind, text in texts.items():
        assert problems(text, doc.title, sex_known=sex_known) == [], (kind, doc.title, text)
    return texts


# --- The check itself can fail ------------------------------------------------------------------


def test_the_check_refuses_each_class_of_defect() -> None:
    bad = (
        "Convocation\nConvocation\nModèle en vigueur au 2026-11-27\nRené, né(e) le 01/02/1990\n"
        "Montant : 1200.00 €\nValidé par Sophie (DPIP (chef de service))\nMesure(s) suivie(s)"
    )
    found = problems(bad, "Convocation", sex_known=True)
    assert any(p.startswith("date ISO") for p in found)
    assert any(p.startswith("forme (e)") for p in found)
    assert any(p.startswith("pluriel (s)") for p in found)
    assert any(p.startswith("montant anglais") for p in found)
    assert any(p.startswith("parenthèses imbriquées") for p in found)
    assert any(p.startswith("mot interne") for p in found)
    assert any(p.startswith("titre") for p in found)
    assert (
        problems("Convocation\nLe 27 novembre 2026, 1 200,00 €", "Convocation", sex_known=True)
        == []
    )


# --- The documents ---------------------------------------------------------------------------


@pytest.fixture
def man(cast: Cast) -> Any:
    person = cast.person
    person.sex = "M"
    person.save(update_fields=["sex"])
    # An amount in the file (obligation 4°: family contribution), shown in the report prefill.
    make_obligation(person, code="cp_132_45_4", parameters={"montant": "1200.00"})
    return person


@pytest.mark.parametrize("kind", sorted(templates()))
def test_a_draft_report_of_each_type_passes_the_check(cast: Cast, man: Any, kind: str) -> None:
    report = draft_report(man, kind=kind)
    texts = assert_accepted(report_document(report))
    assert "Né le" in texts["docx"] and "Née le" not in texts["docx"]


def test_a_transmitted_report_passes_the_check_and_names_the_validator_flatly(
    cast: Cast, man: Any
) -> None:
    report = draft_report(man)
    for user, action in ((cast.cpip, r.SOUMETTRE), (cast.dpip, r.VALIDER)):
        report = services.apply_action(acting_user=user, report=report, action=action)
    texts = assert_accepted(report_document(report, final=True))
    assert "1 200,00 €" in texts["docx"].replace("\u00a0", " ")
    assert "(DPIP (" not in texts["pdf"]


def test_a_woman_is_nee_in_the_report(cast: Cast) -> None:
    person = cast.person
    person.sex = "F"
    person.save(update_fields=["sex"])
    texts = assert_accepted(report_document(draft_report(person)))
    assert "Née le" in texts["docx"]


def test_unknown_sex_keeps_the_neutral_form(cast: Cast) -> None:
    person = cast.person
    person.sex = "X"
    person.save(update_fields=["sex"])
    texts = assert_accepted(report_document(draft_report(person)), sex_known=False)
    assert "Né(e) le" in texts["docx"]


def test_the_convocation_passes_the_check_and_agrees_with_the_recorded_sex(
    cast: Cast, man: Any
) -> None:
    appointment = make_appointment(cast)
    doc = agenda_documents.convocation_document(appointment)
    texts = assert_accepted(doc)
    for text in texts.values():
        assert "convoqué par" in text and "reçu par" in text
        assert "Monsieur Lucas DURAND" in text
    man.sex = "F"
    man.save(update_fields=["sex"])
    appointment.refresh_from_db()
    texts = assert_accepted(agenda_documents.convocation_document(appointment))
    assert "convoquée par" in texts["docx"] and "reçue par" in texts["docx"]
    assert "Madame Lucas DURAND" in texts["docx"]


def test_the_reception_day_passes_the_check(cast: Cast, man: Any) -> None:
    appointment = make_appointment(cast)
    appointment.arrived_at = appointment.starts_at
    appointment.save(update_fields=["arrived_at"])
    day = appointment.local_start.date()
    doc = agenda_documents.day_agenda_document(appointment.place, day, [appointment])
    texts = assert_accepted(doc)
    assert "arrivé" in texts["pdf"] and "arrivé(e)" not in texts["pdf"]


# --- Prefill figures from one source ------------------------------------------------------------


def test_an_absence_breach_and_the_appointments_absences_agree(cast: Cast, man: Any) -> None:
    """The issue's case: "0 absence(s) non excusée(s)" beside a recorded "Absence à une
    convocation" breach. Now the breach counts, once even when the appointment says it too."""
    today = timezone.localdate()
    ctx = PrefillContext(person=man, measure=man.measures.order_by("pk").first(), today=today)
    assert "Aucun rendez-vous" in appointments(ctx)

    past = datetime.combine(today - timedelta(days=20), datetime.min.time(), tzinfo=UTC)
    missed = make_appointment(
        cast, starts_at=past + timedelta(hours=9), status=AppointmentStatus.ABSENT
    )
    make_appointment(cast, starts_at=past + timedelta(days=7, hours=9), status="honore")

    def absence_breach(day: date) -> None:
        Breach.objects.create(
            person=man,
            measure=ctx.measure,
            kind=BreachKind.ABSENCE,
            occurred_on=day,
            facts="Absent à la convocation.",
            proposed_step=NextStep.RAPPEL,
            chosen_step=NextStep.RAPPEL,
        )

    absence_breach(missed.local_start.date())  # the same absence, recorded twice
    text = appointments(ctx)
    assert "1 rendez-vous honoré, 1 absence non excusée, 0 absence excusée." in text

    absence_breach(today - timedelta(days=40))  # an absence known only as a breach
    text = appointments(ctx)
    assert "2 absences non excusées" in text
    assert text.count("manquement enregistré") == 1
    assert breaches(ctx).count("Absence à une convocation") == 2


# --- Plural marks agree with the count; the release notice; SMS and e-mail texts -------------


def test_the_measures_heading_agrees_with_the_measures_listed(cast: Cast, man: Any) -> None:
    """ "Mesure(s) suivie(s)" in the template: one measure attached, or the measures the section
    lists (a report without a measure lists the person's current ones)."""
    one = draft_report(man)
    assert one.measure is not None
    texts = assert_accepted(report_document(one))
    assert "Mesure suivie" in texts["docx"] and "Mesures suivies" not in texts["docx"]
    MeasureFactory(person=man)
    several = draft_report(man, measure=None)
    texts = assert_accepted(report_document(several))
    assert "Mesures suivies" in texts["pdf"] and "Mesure suivie\n" not in texts["pdf"]
    client = client_for(cast.cpip)
    for report, heading in ((one, "Mesure suivie"), (several, "Mesures suivies")):
        for name in ("reports:detail", "reports:edit"):
            page = client.get(reverse(name, args=[report.public_id])).content.decode()
            assert heading in page and "(s)" not in page, name
            assert "Modèle" not in page and "Modèle en vigueur" not in page, name
            assert f"Version {report.version}" not in page, name


@pytest.mark.parametrize(("sex", "word"), [("M", "soumis."), ("F", "soumise.")])
def test_the_release_notice_passes_the_check(cast: Cast, man: Any, sex: str, word: str) -> None:
    man.sex = sex
    man.save(update_fields=["sex"])
    release_plan(man)
    response = client_for(cast.cpip).get(reverse("release:notice", args=[man.public_id]))
    text = pdf_text(response.content)
    assert (
        problems(text, "Avis de convocation devant le SPIP à la libération", sex_known=True) == []
    )
    assert word in " ".join(text.split())


@pytest.mark.parametrize("sex", ["M", "F"])
def test_sms_and_email_texts_pass_the_check(cast: Cast, man: Any, sex: str) -> None:
    """Every default SMS and e-mail (each role and channel), rendered for a man and a woman."""
    man.sex = sex
    man.save(update_fields=["sex"])
    appointment = make_appointment(cast)
    for (role, channel), (subject, body) in templates_for(man.spip_id).items():
        subject, body = render_message(subject, body, appointment, channel, stop="https://s/x")
        text = f"{subject}\n{body}"
        found = problems(f"Message\n{text}", "Message", sex_known=True)
        assert found == [], (role, channel, text)

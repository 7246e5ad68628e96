"""The screens: the person's page and chart, fill + HTMX autosave (200 / 400 / 409), the plain
form's 409, finishing, the printable page, the comparison, the digital self-assessment, the
to-do list, the indicator and the person-file panel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.rules.vocabulary import AssessmentKind, AssessmentStatus

from ..factories import MeasureFactory, PersonFactory
from ..helpers import file_tab, quiet, text
from .factories import ALL_JUDGED, draft, finished, save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(assessment: Assessment, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {"version": assessment.version}
    for qid, value in assessment.answers.items():
        data[f"q-{qid}"] = value
    data["confirmer"] = list(assessment.unconfirmed)
    data.update(extra)
    return data


def test_fill_page_has_a_labelled_field_per_question_and_anchors(cast) -> None:
    assessment = draft(cast.person)
    body = text(quiet(cast.cpip).get(reverse("assessments:fill", args=[assessment.public_id])))
    for domain in assessment.definition.domains:
        assert f'href="#domaine-{domain.code}"' in body
        assert f'id="domaine-{domain.code}"' in body
    assert 'for="q-emploi-diplome"' in body and 'id="q-emploi-diplome"' in body
    assert "Suggestion du dossier" in body
    assert 'hx-post="' + reverse("assessments:autosave", args=[assessment.public_id]) in body


def test_autosave_saves_and_sends_the_new_version_out_of_band(cast) -> None:
    assessment = draft(cast.person)
    url = reverse("assessments:autosave", args=[assessment.public_id])
    data = form_data(assessment, **{"q-emploi.diplome": "CAP", "d-logement-need": "modere"})
    response = quiet(cast.cpip).post(url, data, **HTMX)
    assert response.status_code == 200
    body = text(response)
    assert "Enregistré" in body
    assert f'value="{assessment.version + 1}" hx-swap-oob="true"' in body
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.answers["emploi.diplome"] == "CAP"
    assert saved.judgements["logement"]["need"] == "modere"


def test_autosave_on_a_stale_version_answers_409_with_a_choice(cast) -> None:
    assessment = draft(cast.person)
    url = reverse("assessments:autosave", args=[assessment.public_id])
    save(assessment, user=cast.dpip, answers={"emploi.diplome": "Bac"})
    response = quiet(cast.cpip).post(url, form_data(assessment), **HTMX)
    assert response.status_code == 409
    body = text(response)
    assert "modifiée ailleurs" in body and "Sophie Lefebvre" in body
    assert "Garder ma version" in body
    assert Assessment.objects.get(pk=assessment.pk).answers["emploi.diplome"] == "Bac"


def test_autosave_refuses_bad_answers_with_400_in_french(cast) -> None:
    assessment = draft(cast.person)
    url = reverse("assessments:autosave", args=[assessment.public_id])
    response = quiet(cast.cpip).post(
        url,
        form_data(
            assessment, **{"famille.enfants_a_charge": "", "q-famille.enfants_a_charge": "x"}
        ),
        **HTMX,
    )
    assert response.status_code == 400
    assert "saisissez un nombre entier" in text(response)


def test_plain_form_conflict_shows_both_versions_with_409(cast) -> None:
    assessment = draft(cast.person)
    save(assessment, user=cast.dpip, answers={"emploi.diplome": "Bac pro"})
    url = reverse("assessments:fill", args=[assessment.public_id])
    response = quiet(cast.cpip).post(url, form_data(assessment, **{"q-emploi.diplome": "Brevet"}))
    assert response.status_code == 409
    body = text(response)
    assert "Bac pro" in body  # the saved copy
    assert 'value="Brevet"' in body  # what was typed is kept in the form
    current = Assessment.objects.get(pk=assessment.pk)
    assert f'name="version" id="id_version" value="{current.version}"' in body


def test_finish_then_read_only(cast) -> None:
    assessment = save(draft(cast.person))
    client = quiet(cast.cpip)
    url = reverse("assessments:finish", args=[assessment.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": assessment.version})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.TERMINEE
    fill = client.get(reverse("assessments:fill", args=[assessment.public_id]))
    assert fill.status_code == 302  # to the read-only page
    autosave = client.post(
        reverse("assessments:autosave", args=[assessment.public_id]), form_data(assessment), **HTMX
    )
    assert autosave.status_code == 400 and "terminée" in text(autosave)


def test_finish_lists_what_is_missing(cast) -> None:
    assessment = draft(cast.person)
    url = reverse("assessments:finish", args=[assessment.public_id])
    body = text(quiet(cast.cpip).get(url))
    assert "À compléter avant de terminer" in body and "indiquez votre appréciation" in body
    response = quiet(cast.cpip).post(url, {"version": assessment.version})
    assert response.status_code == 400


def test_printable_page_and_comparison_with_the_previous_one(cast) -> None:
    first = finished(
        cast.person, judgements={**ALL_JUDGED, "logement": {"need": "important", "reasons": "Rue."}}
    )
    second = draft(cast.person, kind=AssessmentKind.REEXAMEN)
    second = save(second, answers={**second.answers, "emploi.diplome": "CAP"})
    client = quiet(cast.cpip)
    detail = text(client.get(reverse("assessments:detail", args=[first.public_id])))
    assert "Besoin important" in detail and "Rue." in detail
    response = client.get(reverse("assessments:compare", args=[second.public_id]))
    assert response.status_code == 200
    body = text(response)
    assert "Amélioration" in body  # logement: important → modéré
    assert "Plus haut diplôme ou qualification" in body and "CAP" in body
    none = text(client.get(reverse("assessments:compare", args=[first.public_id])))
    assert "rien à comparer" in none


def test_person_page_draws_a_chart_and_its_table(cast) -> None:
    finished(cast.person)
    finished(
        cast.person,
        kind=AssessmentKind.REEXAMEN,
        judgements={**ALL_JUDGED, "sante": {"need": "important", "reasons": "Rechute."}},
    )
    body = text(quiet(cast.cpip).get(reverse("assessments:person", args=[cast.person.public_id])))
    assert body.count("<svg") >= 8
    assert 'role="img"' in body and "<desc" in body
    assert "Appréciation du besoin par domaine et par évaluation terminée" in body
    assert "style=" not in body.split("<main", 1)[-1].split("</main>", 1)[0]


def test_digital_transcription_shows_suggested_steps(cast) -> None:
    client = quiet(cast.cpip)
    url = reverse("assessments:digital_create", args=[cast.person.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "filled_on": "2027-03-10",
            "channel": "papier",
            "q-numerique.acces": "oui",
            "q-numerique.courriel": "non",
        },
    )
    assert response.status_code == 302
    entry = DigitalSelfAssessment.objects.get(person=cast.person)
    assert entry.recorded_by == cast.cpip and entry.filled_on == date(2027, 3, 10)
    body = text(client.get(response["Location"]))
    assert "Atelier d'inclusion numérique" in body
    assert "Créer une adresse électronique" in body


def test_to_do_lists_overdue_initial_assessments_first(cast) -> None:
    late = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=late, start_date=date(2026, 10, 1))
    soon = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=soon, start_date=date(2027, 3, 1))
    colleague = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2)
    MeasureFactory(person=colleague, start_date=date(2027, 3, 1))
    finished(cast.person)
    # Each person by their file's id, not their name: Faker may give two people one surname.
    body = text(quiet(cast.cpip).get(reverse("assessments:to_do")))
    assert str(late.public_id) in body and str(soon.public_id) in body
    assert body.index(str(late.public_id)) < body.index(str(soon.public_id))
    assert str(colleague.public_id) not in body
    assert str(cast.person.public_id) not in body  # done
    service = text(quiet(cast.dpip).get(reverse("assessments:to_do")))
    assert str(colleague.public_id) in service


def test_indicator_figures_for_the_dpip(cast) -> None:
    today = date(2027, 3, 16)
    on_time = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=on_time, start_date=today - timedelta(days=200))
    finished(on_time)  # completed today: 110 days late
    overdue = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=overdue, start_date=today - timedelta(days=100))
    pending = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=pending, start_date=today - timedelta(days=10))
    recent = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=recent, start_date=today - timedelta(days=30))
    finished(recent)  # on time
    # cast.person's measure started in 2025: outside the 365-day window.
    from parcours.assessments.selectors import delay_indicator

    figures = delay_indicator(cast.spip.pk, today)
    assert (figures.due, figures.on_time, figures.late_done, figures.overdue, figures.pending) == (
        3,
        1,
        1,
        1,
        1,
    )
    body = text(quiet(cast.dpip).get(reverse("assessments:indicators")))
    assert "33 % (1 sur 3)" in body
    assert "pas un délai légal" in body


def test_the_person_file_shows_the_panel_to_the_spip_only(cast) -> None:
    finished(cast.person)
    url = file_tab(cast.person, "evaluations")
    body = text(quiet(cast.cpip).get(url))
    assert 'id="evaluations"' in body and "Évaluation initiale" in body
    assert reverse("assessments:create", args=[cast.person.public_id]) in body
    assert 'id="evaluations"' not in text(quiet(cast.jap).get(url))
    assert 'id="evaluations"' not in text(quiet(cast.secretariat).get(url))

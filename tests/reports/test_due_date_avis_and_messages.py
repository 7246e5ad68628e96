"""A report's due date is between today and one year ahead; a report does not go to validation
or to the judge with its avis to the magistrate empty (a draft may be saved so); each workflow
action says what it did in French."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from parcours.reports import services
from parcours.reports.models import Report
from parcours.rules import reports as r
from tests.conftest import Cast
from tests.helpers import client_for, quiet

from .factories import draft_report, report_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

AVIS = "Avis et propositions au magistrat"


# --- « À rendre le » ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2020-01-01", r.DUE_DATE_PAST),
        ("2027-03-15", r.DUE_DATE_PAST),  # yesterday
        ("2028-03-17", r.DUE_DATE_TOO_FAR),  # one year and a day
        ("2099-12-31", r.DUE_DATE_TOO_FAR),
    ],
)
def test_a_due_date_in_the_past_or_beyond_a_year_is_a_french_400(
    cast: Cast, due: str, message: str
) -> None:
    url = reverse("reports:create", args=[cast.person.public_id])
    response = quiet(cast.cpip).post(url, {"kind": "incident", "due_date": due})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("due", ["2027-03-16", "2028-03-16"])  # today, one year ahead
def test_a_due_date_from_today_to_one_year_ahead_is_accepted(cast: Cast, due: str) -> None:
    url = reverse("reports:create", args=[cast.person.public_id])
    response = client_for(cast.cpip).post(url, {"kind": "incident", "due_date": due})
    assert response.status_code == 302
    assert str(Report.objects.get().due_date) == due


def test_the_due_date_messages_are_french_constants() -> None:
    assert r.DUE_DATE_PAST == "La date « À rendre le » ne peut pas être passée."
    assert r.DUE_DATE_TOO_FAR == "La date « À rendre le » ne peut pas dépasser un an."


# --- The avis to the magistrate -------------------------------------------------------------------


def _incident(cast: Cast, avis: str) -> Report:
    return draft_report(cast.person, kind="incident", avis=avis)


@pytest.mark.parametrize("avis", ["", "  \n\t "])
def test_an_empty_avis_is_refused_at_submission_naming_the_section(cast: Cast, avis: str) -> None:
    report = _incident(cast, avis)
    with pytest.raises(services.ReportIncomplete) as refused:
        services.apply_action(acting_user=cast.cpip, report=report, action=r.SOUMETTRE)
    assert f"« {AVIS} »" in str(refused.value)
    report.refresh_from_db()
    assert report.status == r.BROUILLON and report.version == 1


def test_a_draft_is_saved_with_its_avis_empty(cast: Cast) -> None:
    report = _incident(cast, "Proposition.")
    saved = services.save_content(
        acting_user=cast.cpip,
        report=report,
        content={"conclusion": "", "faits": "Absent le 12/03."},
        expected_version=report.version,
    )
    assert saved.content["conclusion"] == "" and saved.status == r.BROUILLON


def test_the_page_answers_a_french_400_naming_the_empty_section(cast: Cast) -> None:
    report = _incident(cast, "")
    url = reverse("reports:transition", args=[report.public_id])
    response = quiet(cast.cpip).post(url, {"action": r.SOUMETTRE, "version": report.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"« {AVIS} »" in page and "vide" in page
    assert Report.objects.get(pk=report.pk).status == r.BROUILLON


def test_an_empty_avis_is_never_validated_nor_transmitted(cast: Cast) -> None:
    """A report submitted before the rule (or its avis emptied some other way) stops there."""
    submitted = report_in(cast.person, r.SOUMIS, kind="incident", avis="")
    with pytest.raises(services.ReportIncomplete, match=AVIS):
        services.apply_action(acting_user=cast.dpip, report=submitted, action=r.VALIDER)
    validated = report_in(cast.person, r.VALIDE, kind="incident", avis="")
    with pytest.raises(services.ReportIncomplete, match=AVIS):
        services.apply_action(acting_user=cast.cpip, report=validated, action=r.TRANSMETTRE)
    validated.refresh_from_db()
    assert validated.status == r.VALIDE and not validated.pdf_path


def test_the_conclusion_of_a_situation_report_is_required_too(cast: Cast) -> None:
    report = draft_report(cast.person, kind="situation", avis="")
    with pytest.raises(services.ReportIncomplete, match="Conclusion et propositions au magistrat"):
        services.apply_action(acting_user=cast.cpip, report=report, action=r.SOUMETTRE)


# --- Flash messages -------------------------------------------------------------------------------


def _flash(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_each_action_says_what_it_did_in_french(cast: Cast) -> None:
    report = draft_report(cast.person)
    url = reverse("reports:transition", args=[report.public_id])
    steps = [
        (cast.cpip, r.SOUMETTRE, "", "Le rapport est soumis à validation."),
        (cast.dpip, r.RENVOYER, "Préciser.", "Le rapport est renvoyé au rédacteur."),
        (cast.cpip, r.SOUMETTRE, "", "Le rapport est soumis à validation."),
        (cast.dpip, r.VALIDER, "", "Le rapport est validé."),
        (cast.cpip, r.TRANSMETTRE, "", "Le rapport est transmis au JAP."),
        (cast.jap, r.ACCUSER_RECEPTION, "", "La réception du rapport est enregistrée."),
        (cast.jap, r.ENREGISTRER_DECISION, "Rappel.", "La décision du juge est enregistrée."),
    ]
    for version, (user, action, comment, message) in enumerate(steps, start=1):
        response = client_for(user).post(
            url, {"action": action, "version": version, "comment": comment}
        )
        assert response.status_code == 302, (action, response.status_code)
        assert _flash(response) == [message], action
        assert "Action effectuée" not in message
    assert set(r.ACTION_DONE) == set(r.ACTIONS) - {r.MODIFIER}

"""Forms of the measure's timeline: incarceration periods on the person, suspensions on a
measure (French errors and 4xx, 404 for another SPIP, versioned edits), the measure form's
sections, and the person file's calendar with « Pourquoi cette échéance ? »."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.alerts.models import Alert
from parcours.measures.models import MeasureSuspension
from parcours.people.models import IncarcerationPeriod
from parcours.rules.legal_deadlines import FIN_MESURE
from tests.helpers import file_tab

from ..conftest import Cast
from .factories import first_suspension, ongoing_incarceration

pytestmark = pytest.mark.django_db


def test_cp_132_43_incarceration_added_moves_the_end_alert(cast: Cast, clients: Any) -> None:
    m = cast.person.measures.get()
    m.executoire_on, m.start_date = date(2025, 3, 1), None
    m.save()
    url = reverse("measures:incarceration_create", args=[cast.person.public_id])
    assert "Nouvelle période d" in clients["cpip"].get(url).content.decode()
    response = clients["cpip"].post(
        url, {"start": "2025-06-01", "end": "2025-07-01", "establishment": "CP Lille"}
    )
    assert response.status_code == 302
    period = IncarcerationPeriod.objects.get(person=cast.person)
    assert (period.start, period.end, period.created_by) == (
        date(2025, 6, 1),
        date(2025, 7, 1),
        cast.cpip,
    )
    # 24 months from 01/03/2025 = 28/02/2027, + 30 days of incarceration.
    alert = Alert.objects.get(measure=m, kind=FIN_MESURE)
    assert alert.due_date == date(2027, 3, 30)
    assert "incarcération du 01/06/2025 au 30/06/2025 inclus" in alert.explanation


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2025-06-01", "end": "2025-05-01"}, "doit être postérieure au début"),
        ({"start": "2030-01-01"}, "ne peut pas être dans le futur"),
        ({"start": "2025-06-01", "end": "2030-01-01"}, "laissez-la vide"),
        ({"start": "pas une date"}, "Saisissez une date valide"),
    ],
)
def test_bad_incarceration_is_a_400_in_french(
    cast: Cast, clients: Any, data: dict[str, str], message: str
) -> None:
    url = reverse("measures:incarceration_create", args=[cast.person.public_id])
    response = clients["cpip"].post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IncarcerationPeriod.objects.exists()


def test_other_spip_incarceration_and_suspension_are_404(cast: Cast, clients: Any) -> None:
    period = ongoing_incarceration(cast.person)
    suspension = first_suspension(cast.person)
    for url in (
        reverse("measures:incarceration_edit", args=[period.public_id]),
        reverse("measures:incarceration_end", args=[period.public_id]),
        reverse("measures:suspension_edit", args=[suspension.public_id]),
        reverse("measures:suspension_create", args=[suspension.measure.public_id]),
        reverse("measures:incarceration_create", args=[cast.person.public_id]),
    ):
        assert clients["cpip_autre"].get(url).status_code == 404
        assert clients["cpip_autre"].post(url, {"start": "2025-01-01"}).status_code == 404


def test_ending_an_incarceration_asks_a_confirmation(cast: Cast, clients: Any) -> None:
    period = ongoing_incarceration(cast.person)
    url = reverse("measures:incarceration_end", args=[period.public_id])
    response = clients["cpip"].post(url, {"end": "2027-01-15", "version": period.version})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer la libération." in response.content.decode()
    response = clients["cpip"].post(
        url, {"end": "2026-10-01", "confirm": "on", "version": period.version}
    )
    assert response.status_code == 400
    assert "postérieure au début" in response.content.decode()
    response = clients["cpip"].post(
        url, {"end": "2027-01-15", "confirm": "on", "version": period.version}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.end == date(2027, 1, 15)
    assert period.version == 2
    # Already ended (a second click, a colleague): back to the calendar, saying so, unchanged.
    response = clients["cpip"].post(
        url, {"end": "2027-02-01", "confirm": "on", "version": period.version}, follow=True
    )
    assert response.redirect_chain[0][0].endswith("#calendrier")
    assert "déjà terminée (libération le 15/01/2027)" in response.content.decode()
    period.refresh_from_db()
    assert (period.end, period.version) == (date(2027, 1, 15), 2)


def test_stale_incarceration_edit_is_a_409_showing_the_saved_version(
    cast: Cast, clients: Any
) -> None:
    period = ongoing_incarceration(cast.person)
    url = reverse("measures:incarceration_edit", args=[period.public_id])
    data = {"start": "2026-11-02", "establishment": "CP Annœullin", "version": period.version}
    assert clients["cpip"].post(url, data).status_code == 302
    response = clients["dpip"].post(url, {**data, "establishment": "MA Lille"})
    assert response.status_code == 409
    assert "CP Annœullin" in response.content.decode()


def test_suspension_for_a_serious_reason_on_the_measure(cast: Cast, clients: Any) -> None:
    m = cast.person.measures.get()
    url = reverse("measures:suspension_create", args=[m.public_id])
    body = clients["cpip"].get(url).content.decode()
    assert "Suspension par le JAP pour motif grave" in body
    assert "incarceration" not in body  # recorded on the person, not here
    response = clients["cpip"].post(
        url, {"reason": "incarceration", "start": "2026-04-01", "end": "2026-04-15"}
    )
    assert response.status_code == 400
    response = clients["cpip"].post(
        url,
        {"reason": "motif_grave", "start": "2026-04-01", "end": "2026-04-15", "source": "ord."},
    )
    assert response.status_code == 302
    assert MeasureSuspension.objects.get(measure=m).reason == "motif_grave"


def test_jap_reads_the_calendar_but_cannot_add(cast: Cast, clients: Any) -> None:
    ongoing_incarceration(cast.person)
    url = reverse("measures:incarceration_create", args=[cast.person.public_id])
    assert clients["jap"].get(url).status_code == 403
    body = clients["jap"].get(file_tab(cast.person, "calendrier")).content
    text = body.decode()
    assert "Calendrier des mesures" in text
    assert "Incarcération depuis le 02/11/2026" in text
    assert "Ajouter une période d'incarcération" not in text


def test_person_file_shows_planned_end_and_why(cast: Cast, clients: Any) -> None:
    body = clients["cpip"].get(file_tab(cast.person, "calendrier"))
    text = body.content.decode()
    assert "Fin prévue :" in text
    assert "<summary>Pourquoi cette échéance ?</summary>" in text
    assert "Ajouter une suspension" in text


def test_measure_form_in_sections(cast: Cast, clients: Any) -> None:
    m = cast.person.measures.get()
    text = clients["cpip"].get(reverse("measures:edit", args=[m.public_id])).content.decode()
    for legend in ("Jugement", "Exécution", "Condamnation", "TIG"):
        assert f'fr-h5">{legend}' in text
    assert "jamais utilisées comme filtre" in text

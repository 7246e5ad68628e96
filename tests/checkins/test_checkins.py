"""Remote check-in (contrôle à distance): the plan, the due rows, the person's answer, the
CPIP's review, missed check-ins shown (never a breach), the pages and their scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditAction, AuditEvent
from parcours.breaches.models import Breach
from parcours.checkins import selectors, services
from parcours.checkins.models import Checkin
from parcours.core.errors import Refused
from tests.conftest import Cast
from tests.helpers import client_for, file_tab, quiet, text

from ..obligations.factories import tiny_image
from .factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def plan_data(**overrides: Any) -> services.PlanData:
    values: dict[str, Any] = {
        "rhythm": "jours",
        "every_days": 7,
        "weekday": None,
        "start_date": timezone.localdate() - timedelta(days=14),
        "end_date": None,
        "active": True,
    }
    values.update(overrides)
    return services.PlanData(**values)


def test_saving_a_plan_generates_the_due_rows_and_is_journaled(cast: Cast) -> None:
    measure = cast.person.measures.first()
    plan = services.save_plan(
        acting_user=cast.cpip, person=cast.person, measure=measure, data=plan_data()
    )
    today = timezone.localdate()
    dates = sorted(Checkin.objects.filter(plan=plan).values_list("due_date", flat=True))
    assert dates == [today - timedelta(days=14), today - timedelta(days=7), today]
    assert AuditEvent.objects.filter(
        object_id=str(plan.public_id), action=AuditAction.CREATION, actor=cast.cpip
    ).exists()
    # Idempotent: the nightly run creates nothing more today.
    assert services.generate_all(today=today) == 0


def test_a_stale_plan_edit_is_a_conflict(cast: Cast) -> None:
    from parcours.core.errors import ConflictError

    measure = cast.person.measures.first()
    services.save_plan(acting_user=cast.cpip, person=cast.person, measure=measure, data=plan_data())
    with pytest.raises(ConflictError):
        services.save_plan(
            acting_user=cast.cpip,
            person=cast.person,
            measure=measure,
            data=plan_data(every_days=3),
            version=99,
        )


def test_an_incomplete_rhythm_is_refused(cast: Cast) -> None:
    with pytest.raises(Refused, match="jour de la semaine"):
        services.save_plan(
            acting_user=cast.cpip,
            person=cast.person,
            measure=cast.person.measures.first(),
            data=plan_data(rhythm="hebdo", every_days=None, weekday=None),
        )


def test_the_person_answers_with_a_proof(cast: Cast) -> None:
    plan = make_plan(cast.person)
    services.generate_checkins(plan, today=timezone.localdate())
    due = selectors.due_checkins(cast.person, today=timezone.localdate())
    assert len(due) == 3
    answered = services.submit_checkin(
        due[0],
        {"situation_changed": True, "address": "3 rue des Lilas, Lille", "message": "Déménagé"},
        upload=SimpleUploadedFile("bail.png", tiny_image(), content_type="image/png"),
    )
    assert answered.answered_at is not None
    assert answered.proof_path.startswith("controles/")
    assert answered.address == "3 rue des Lilas, Lille"
    assert len(selectors.due_checkins(cast.person, today=timezone.localdate())) == 2
    with pytest.raises(Refused):
        services.submit_checkin(answered, {"message": "encore"})


def test_a_disguised_file_is_refused(cast: Cast) -> None:
    plan = make_plan(cast.person)
    services.generate_checkins(plan, today=timezone.localdate())
    checkin = selectors.due_checkins(cast.person, today=timezone.localdate())[0]
    with pytest.raises(ValidationError):
        services.submit_checkin(
            checkin, {}, upload=SimpleUploadedFile("x.png", b"<script>", content_type="image/png")
        )
    checkin.refresh_from_db()
    assert checkin.answered_at is None


def test_a_check_in_not_yet_due_cannot_be_answered(cast: Cast) -> None:
    plan = make_plan(cast.person)
    future = Checkin.objects.create(
        plan=plan, person=cast.person, due_date=timezone.localdate() + timedelta(days=3)
    )
    with pytest.raises(Refused):
        services.submit_checkin(future, {"message": "en avance"})


def test_a_missed_check_in_is_shown_but_never_a_breach(cast: Cast) -> None:
    plan = make_plan(cast.person)
    services.generate_checkins(plan, today=timezone.localdate())
    breaches_before = Breach.objects.count()
    client = client_for(cast.cpip)
    listing = text(client.get(reverse("checkins:list")))
    assert listing.count("Non rempli") == 2  # the two past due dates; today's is still open
    panel = text(client.get(file_tab(cast.person, "controle-a-distance")))
    assert "Contrôle à distance" in panel
    assert "Non rempli" in panel
    services.generate_all(today=timezone.localdate() + timedelta(days=30))
    assert Breach.objects.count() == breaches_before


def test_the_cpip_reviews_an_answer(cast: Cast) -> None:
    plan = make_plan(cast.person)
    services.generate_checkins(plan, today=timezone.localdate())
    checkin = selectors.due_checkins(cast.person, today=timezone.localdate())[0]
    services.submit_checkin(checkin, {"message": "J'ai perdu mon travail"})
    url = reverse("checkins:review", args=[checkin.public_id])
    client = client_for(cast.cpip)
    assert "J&#x27;ai perdu mon travail" in client.get(url).content.decode()
    response = client.post(url, {"review": "suite", "comment": "Appeler la personne", "lu": ""})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.review == "suite"
    assert checkin.reviewed_by == cast.cpip
    assert AuditEvent.objects.filter(
        object_id=str(checkin.public_id), action=AuditAction.MODIFICATION, actor=cast.cpip
    ).exists()
    # Reviewed: out of the list of what is to review.
    assert "perdu" not in text(client.get(reverse("checkins:list")))


def test_two_reviews_at_once_do_not_overwrite_each_other(cast: Cast) -> None:
    plan = make_plan(cast.person)
    services.generate_checkins(plan, today=timezone.localdate())
    checkin = selectors.due_checkins(cast.person, today=timezone.localdate())[0]
    services.submit_checkin(checkin, {"message": "Nouvelle adresse"})
    url = reverse("checkins:review", args=[checkin.public_id])
    # Both open the page before either saves: the page carries the review it showed (none).
    for client in (client_for(cast.cpip), client_for(cast.dpip)):
        assert 'type="hidden" name="lu"' in client.get(url).content.decode()
    first = client_for(cast.cpip).post(url, {"review": "suite", "comment": "Appeler", "lu": ""})
    assert first.status_code == 302
    second = quiet(cast.dpip).post(url, {"review": "vu", "comment": "RAS", "lu": ""})
    assert second.status_code == 409
    assert "revu par quelqu" in text(second)
    checkin.refresh_from_db()
    assert (checkin.review, checkin.review_comment, checkin.reviewed_by) == (
        "suite",
        "Appeler",
        cast.cpip,
    )
    # Read again, the DPIP can review on top of the saved one.
    token = services.review_token(checkin)
    again = client_for(cast.dpip).post(url, {"review": "vu", "comment": "RAS", "lu": token})
    assert again.status_code == 302


def test_the_plan_form_in_the_browserless_flow(cast: Cast) -> None:
    url = reverse("checkins:person", kwargs={"person_id": cast.person.public_id})
    client = client_for(cast.cpip)
    measure = cast.person.measures.first()
    bad = quiet(cast.cpip).post(
        url, {"measure": measure.pk, "rhythm": "hebdo", "start_date": "2027-03-01"}
    )
    assert bad.status_code == 400
    assert "Choisissez le jour de la semaine" in text(bad)
    good = client.post(
        url,
        {
            "measure": measure.pk,
            "rhythm": "hebdo",
            "weekday": "0",
            "start_date": "2027-03-01",
            "active": "on",
        },
    )
    assert good.status_code == 302
    assert Checkin.objects.filter(person=cast.person).count() == 3  # Mondays 1, 8, 15 March
    # The JAP reads nothing here; a colleague must give a motif first.
    assert quiet(cast.jap).get(url).status_code == 403
    assert quiet(cast.cpip2).get(url).status_code == 302


def test_another_spip_never_reaches_a_check_in(cast: Cast) -> None:
    from .factories import first_checkin

    checkin = first_checkin(cast.person)
    url = reverse("checkins:review", args=[checkin.public_id])
    assert quiet(cast.cpip_autre).get(url).status_code == 404
    assert quiet(cast.cpip2).get(url).status_code == 404
    assert quiet(cast.dpip).get(url).status_code == 200


def test_the_cpip_downloads_the_attached_proof(cast: Cast) -> None:
    from .factories import first_checkin

    checkin = first_checkin(cast.person)
    url = reverse("checkins:proof", args=[checkin.public_id])
    assert quiet(cast.cpip).get(url).status_code == 404  # nothing attached
    checkin = first_checkin(cast.person, proof=True)
    response = client_for(cast.cpip).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert quiet(cast.cpip_autre).get(url).status_code == 404

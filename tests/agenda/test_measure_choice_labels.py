"""The measure of an appointment (booking, report) and of a referral is named as in the note,
report and assessment forms (measures.forms.MeasureChoiceField): its type and judgment date, so
two current sursis probatoires are told apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.measures.models import Measure
from parcours.obligations.models import Obligation
from parcours.partners.forms import ReferralForm
from parcours.partners.models import PartnerProfile
from parcours.rules.vocabulary import MeasureStatus
from tests.conftest import Cast
from tests.factories import MeasureFactory
from tests.helpers import client_for

from .factories import make_appointment

pytestmark = pytest.mark.django_db


def _two_sursis(cast: Cast) -> list[Measure]:
    Measure.objects.filter(person=cast.person).delete()
    return [
        MeasureFactory(person=cast.person, judgment_date=date(2025, 3, 1)),
        MeasureFactory(person=cast.person, judgment_date=date(2026, 6, 12)),
        MeasureFactory(
            person=cast.person, judgment_date=date(2020, 1, 9), status=MeasureStatus.TERMINEE
        ),
    ]


def _options(form_field: Any) -> list[str]:
    return [str(label) for value, label in form_field.choices if value != ""]


def test_booking_form_names_each_measure_by_its_judgment(cast: Cast) -> None:
    _two_sursis(cast)
    page = client_for(cast.cpip).get(reverse("agenda:book", args=[cast.person.public_id]))
    form = page.context["form"]
    assert _options(form.fields["measure"]) == [
        "Sursis probatoire — jugement du 12/06/2026",
        "Sursis probatoire — jugement du 01/03/2025",
    ]
    body = page.content.decode()
    assert "Sursis probatoire (En cours)" not in body
    assert "Sursis probatoire — jugement du 12/06/2026" in body


def test_reschedule_form_names_each_measure_by_its_judgment(cast: Cast) -> None:
    _two_sursis(cast)
    appointment = make_appointment(cast)
    page = client_for(cast.cpip).get(reverse("agenda:reschedule", args=[appointment.public_id]))
    assert "Sursis probatoire — jugement du 01/03/2025" in page.content.decode()
    assert "Sursis probatoire (En cours)" not in page.content.decode()


def test_referral_form_names_each_measure_by_its_judgment(cast: Cast) -> None:
    _two_sursis(cast)
    form = ReferralForm(
        profiles=PartnerProfile.objects.none(),
        obligations=Obligation.objects.none(),
        measures=Measure.objects.filter(person=cast.person, status=MeasureStatus.EN_COURS),
    )
    assert sorted(_options(form.fields["measure"])) == [
        "Sursis probatoire — jugement du 01/03/2025",
        "Sursis probatoire — jugement du 12/06/2026",
    ]
    assert form.fields["measure"].label == "Mesure (obligatoire pour un TIG)"
    assert form.fields["measure"].required is False

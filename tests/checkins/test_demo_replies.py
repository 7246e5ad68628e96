"""The demo of issue 18 (notifications.demo, checkins.demo): SMS replies that answered
appointments and items to read; remote check-ins answered, reviewed and missed, no breach."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parcours.agenda.models import AppointmentReply
from parcours.breaches.models import Breach
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.checkins.selectors import rows
from parcours.notifications.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_sms_replies_and_remote_check_ins(settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=60)
    breaches = Breach.objects.count()
    assert InboundMessage.objects.filter(to_read=True).exists()
    assert AppointmentReply.objects.filter(channel="sms").exists()
    assert CheckinPlan.objects.count() == 3
    checkins = list(Checkin.objects.all())
    assert any(c.answered_at for c in checkins)
    assert any(row.missed for row in rows(checkins, timezone.localdate()))
    assert Checkin.objects.filter(review="vu").exists()
    # Seeding again creates nothing more.
    call_command("seed_demo", people=60)
    assert CheckinPlan.objects.count() == 3
    assert Breach.objects.count() == breaches

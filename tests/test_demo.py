"""Demo data: only in demo mode, idempotent, with the documented accounts."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from parcours.accounts.demo import DEMO_ACCOUNTS
from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.breaches.models import Breach
from parcours.detention import demo as detention_demo
from parcours.measures.models import Measure
from parcours.notifications.models import Message
from parcours.obligations.models import ComplianceState, Obligation, Proof
from parcours.people.models import Person
from parcours.rules.notifications import MessageState

pytestmark = pytest.mark.django_db


def test_demo_data_needs_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", people=10)
    assert not User.objects.exists()


def test_demo_seed_is_idempotent_and_documented(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", people=60)
    steps = set(Breach.objects.values_list("proposed_step", flat=True))
    assert steps == {"rappel", "convocation", "rapport_incident"}
    breaches = Breach.objects.count()
    counts = (User.objects.count(), Person.objects.count(), Measure.objects.count())
    call_command("seed_demo", people=60)
    assert (User.objects.count(), Person.objects.count(), Measure.objects.count()) == counts
    assert Breach.objects.count() == breaches
    assert counts[1] == 60 + detention_demo.TOTAL  # and the demo prison's detainees
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(settings.DEMO_PASSWORD)
    spips = Organisation.objects.filter(kind=OrganisationKind.SPIP)
    assert {s.timezone for s in spips} == {"Europe/Paris", "Indian/Reunion"}
    cpip = User.objects.get(username="cpip.demo")
    assert Person.objects.filter(referent=cpip).exists()
    other = User.objects.get(username="cpip.autre.demo")
    assert other.spip_id != cpip.spip_id
    assert User.objects.get(username="cpip2.demo").organisation_id == cpip.organisation_id
    assert User.objects.filter(role="cpip").count() == 13  # with cpip.mf.demo


def test_readme_documents_every_demo_account_and_the_password(settings):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert f"`{settings.DEMO_PASSWORD}`" in readme
    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in readme


def test_demo_shows_every_compliance_status(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", people=40)
    statuses = set(Person.objects.values_list("compliance_status", flat=True))
    assert set(ComplianceState.values) <= statuses
    cpip = User.objects.get(username="cpip.demo")
    assert Person.objects.filter(referent=cpip).exclude(compliance_status="").exists()
    counts = (Obligation.objects.count(), Proof.objects.count())
    assert counts[0] > 0 and counts[1] > 0
    call_command("seed_demo", people=40)
    assert (Obligation.objects.count(), Proof.objects.count()) == counts


@pytest.mark.parametrize(
    "day", ["2026-12-02T08:00:00+01:00", "2027-03-16T10:30:00+01:00", "2027-07-03T23:30:00+02:00"]
)
def test_each_demo_spip_has_delivered_and_failed_messages_whatever_the_day(settings, day):
    """The outbox screens (and their browser test) rely on failed messages in each SPIP: on
    2 December 2026 the first appointments ahead were all in La Réunion and the Nord had none."""
    settings.DEMO_MODE = True
    with time_machine.travel(day, tick=True):
        call_command("seed_demo", people=60)
    for spip in Organisation.objects.filter(kind=OrganisationKind.SPIP):
        states = list(Message.objects.filter(spip=spip).values_list("state", flat=True))
        assert states.count(MessageState.ECHOUE) == 2, spip
        assert states.count(MessageState.DELIVRE) == 3, spip

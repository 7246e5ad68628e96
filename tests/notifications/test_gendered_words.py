"""SMS and e-mail texts agree with the person's recorded sex: {convoque}, {attendu}, {presente}
give "convoqué"/"convoquée"…, and "(e)" only when the sex is not recorded. Texts stored with the
old "(e)" forms are upgraded by the notifications migration 0002."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps

from parcours.notifications.models import MessageTemplate
from parcours.notifications.services import (
    default_templates,
    render_message,
    schedule_appointment_messages,
    templates_for,
)
from parcours.rules.notifications import Channel, MessageRole, template_problems

from .factories import make_appointment

pytestmark = pytest.mark.django_db

GENDER_MARK = re.compile(r"\w\(e\)")
MIGRATION = importlib.import_module("parcours.notifications.migrations.0002_gendered_placeholders")


def rendered_for(person: Any) -> dict[tuple[str, str], str]:
    """Every default text (each role and channel), subject and body, rendered for `person`."""
    appointment = make_appointment(person)
    texts = {}
    for (role, channel), (subject, body) in templates_for(person.spip_id).items():
        subject, body = render_message(subject, body, appointment, channel, stop="https://s/x")
        texts[(role, channel)] = f"{subject}\n{body}"
    return texts


@pytest.mark.parametrize(
    ("sex", "words"),
    [
        ("F", ("convoquée", "attendue", "présentée")),
        ("M", ("convoqué ", "attendu ", "présenté.")),
    ],
)
def test_texts_agree_with_the_recorded_sex(cast: Any, sex: str, words: tuple[str, ...]) -> None:
    cast.person.sex = sex
    cast.person.save(update_fields=["sex"])
    texts = rendered_for(cast.person)
    assert len(texts) == len(MessageRole) * len(Channel)
    for key, text in texts.items():
        assert not GENDER_MARK.search(text), (key, text)
        assert "{" not in text, (key, text)
    assert words[0] in texts[("convocation", "email")]
    assert words[1] in texts[("absence", "sms")] and words[1] in texts[("absence", "email")]
    assert words[2] in texts[("absence", "email")]


def test_unknown_sex_keeps_the_neutral_form(cast: Any) -> None:
    cast.person.sex = "X"
    cast.person.save(update_fields=["sex"])
    texts = rendered_for(cast.person)
    assert "convoqué(e)" in texts[("convocation", "email")]
    assert "attendu(e)" in texts[("absence", "sms")]


def test_scheduled_messages_use_the_persons_sex(cast: Any) -> None:
    person = cast.person
    person.sex, person.email = "F", "lea.durand@example.org"
    person.save()
    schedule_appointment_messages(
        make_appointment(person), acting_user=cast.cpip, sms=False, email=True
    )
    body = person.messages.get(role="convocation").body
    assert "Vous êtes convoquée le " in body


def test_default_texts_use_only_known_placeholders() -> None:
    for (_role, channel), (subject, body) in default_templates().items():
        assert template_problems(body, channel) == []
        assert "(e)" not in subject + body
    # The new placeholders are known; an unknown one is still refused.
    assert template_problems("Vous êtes {convoque} le {date}. {stop}", "sms") == []
    assert any("Champ inconnu" in p for p in template_problems("{convoquee} {stop}", "sms"))


def test_stored_texts_are_upgraded_and_back(cast: Any) -> None:
    old = "Vous étiez attendu(e) et ne vous êtes pas présenté(e). {stop}"
    own = MessageTemplate.objects.create(spip=cast.spip, role="absence", channel="sms", body=old)
    national = MessageTemplate.objects.create(
        role="convocation",
        channel="email",
        subject="Vous êtes convoqué(e)",
        body="Vous êtes convoqué(e) le {date}.",
    )
    untouched = MessageTemplate.objects.create(
        spip=cast.spip, role="rappel", channel="sms", body="Rappel {date}. {stop}"
    )
    MIGRATION.forward(apps, None)
    own.refresh_from_db()
    national.refresh_from_db()
    assert own.body == "Vous étiez {attendu} et ne vous êtes pas {presente}. {stop}"
    assert template_problems(own.body, "sms") == []
    assert (national.subject, national.body) == (
        "Vous êtes {convoque}",
        "Vous êtes {convoque} le {date}.",
    )
    assert MessageTemplate.objects.get(pk=untouched.pk).body == "Rappel {date}. {stop}"
    MIGRATION.backward(apps, None)
    own.refresh_from_db()
    assert own.body == old

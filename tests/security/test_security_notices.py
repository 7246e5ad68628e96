"""Security notices (parcours/accounts/notices.py): a staff member is told by e-mail when their
second factor is activated, removed or reset, when recovery codes are renewed or one is used,
and when their password is set; sent by the task worker after commit, never blocking the change,
and never carrying a code."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from parcours.accounts import mfa, notices, services
from parcours.audit.models import AuditAction, AuditEvent
from parcours.core import context
from tests.conftest import Cast
from tests.helpers import IMMEDIATE_TASKS
from tests.security.test_two_factor import enrolled, events

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_email(cast: Cast) -> Cast:
    for user in (cast.cpip, cast.admin):
        user.email = f"{user.username}@parcours.invalid"
        user.save(update_fields=["email"])
    return cast


def notices_to(user: Any) -> list[Any]:
    return [m for m in mail.outbox if m.to == [user.email]]


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_enrolment_and_a_recovery_code_are_told_without_any_code(
    with_email: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = with_email
    with (
        context.bound(context.RequestContext("req-1", "203.0.113.9")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _device, codes = enrolled(cast.cpip)
    [activated] = notices_to(cast.cpip)
    assert activated.subject == notices.SUBJECT
    assert "La double authentification a été activée sur votre compte." in activated.body
    assert "depuis l'adresse 203.0.113.9" in activated.body
    assert not any(code in activated.body for code in codes)
    with django_capture_on_commit_callbacks(execute=True):
        assert mfa.verify(cast.cpip, codes[0]).ok
    used = notices_to(cast.cpip)[-1]
    assert "Un code de secours a servi" in used.body and "Il vous en reste 9." in used.body
    assert codes[0] not in used.body


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_an_administrator_s_reset_is_told_to_the_user_not_to_the_administrator(
    with_email: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = with_email
    enrolled(cast.cpip)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert mfa.remove_devices(acting_user=cast.admin, user=cast.cpip)
    [told] = notices_to(cast.cpip)
    assert "Un administrateur a réinitialisé" in told.body
    assert not notices_to(cast.admin)


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_a_password_set_from_the_link_is_told(
    with_email: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.password_set(user=with_email.cpip)
    [told] = notices_to(with_email.cpip)
    assert "Le mot de passe de votre compte a été défini." in told.body


def test_the_notice_is_queued_after_commit_only_and_not_for_failures_or_without_address(
    with_email: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = with_email
    queued = DBTaskResult.objects.filter(task_path__endswith="send_security_notice")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolled(cast.cpip)
    assert not queued.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert not mfa.verify(cast.cpip, "zzzzzzzz").ok  # a failure: journaled, not told
        enrolled(cast.cpip2)  # no e-mail address: no notice
    assert queued.count() == 1
    assert events(cast.cpip2, mfa.ACTIVATION)


class _Down:
    """An e-mail backend whose provider is down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("smtp down")


@override_settings(TASKS=IMMEDIATE_TASKS, EMAIL_BACKEND=f"{__name__}._Down")
def test_an_e_mail_provider_down_does_not_stop_the_change(
    with_email: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = with_email
    enrolled(cast.cpip)
    with django_capture_on_commit_callbacks(execute=True):
        codes = mfa.regenerate_recovery_codes(cast.cpip)
    assert len(codes) == mfa.RECOVERY_CODE_COUNT
    assert mfa.recovery_codes_left(cast.cpip) == mfa.RECOVERY_CODE_COUNT
    assert not mail.outbox
    assert AuditEvent.objects.filter(
        action=AuditAction.DOUBLE_FACTEUR, details__evenement=mfa.CODES_REGENERES
    ).exists()


def test_a_deactivated_account_gets_no_notice(with_email: Cast) -> None:
    cast = with_email
    cast.cpip.is_active = False
    cast.cpip.save(update_fields=["is_active"])
    sent = notices.send_security_notice.call(
        cast.cpip.pk, "activation", "2026-12-07T10:00Z", "", None
    )
    assert sent == "sans destinataire" and not mail.outbox


def test_the_time_is_the_user_s_service_time(with_email: Cast) -> None:
    cast = with_email
    cast.spip.timezone = "Indian/Reunion"
    cast.spip.save(update_fields=["timezone"])
    notices.send_security_notice.call(
        cast.cpip.pk, "desactivation", "2026-12-07T10:00:00+00:00", "", None
    )
    [told] = notices_to(cast.cpip)
    assert "le 07/12/2026 à 14:00" in told.body  # UTC+4

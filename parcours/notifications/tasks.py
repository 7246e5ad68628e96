"""Tasks of the notifications app (django-tasks; the database backend runs them in `db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import send_message


@task()
def send_message_task(message_id: int) -> str:
    """Sends one message of the outbox when it is due (queued with run_after = its send time)."""
    return send_message(message_id)

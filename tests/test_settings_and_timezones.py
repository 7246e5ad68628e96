"""Production settings pass Django's deploy checks; pages speak the SPIP's time zone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from parcours.audit.models import AuditAction
from parcours.audit.services import record

BASE_DIR = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "PARCOURS_HTTPS": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-0123456789-abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "parcours.justice.fr",
        "PARCOURS_PUBLIC_URL": "https://parcours.justice.fr",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_overseas_spip_pages_show_local_time(cast, clients):
    # 12:00 UTC is 16:00 in La Réunion and 13:00 in Lille (winter time).
    with time_machine.travel(datetime(2026, 1, 15, 12, 0, tzinfo=UTC), tick=False):
        record(AuditAction.CONSULTATION, actor=cast.cpip_autre, obj=cast.other_person)
        record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person)
    reunion = clients["cpip_autre"].get(reverse("audit:journal")).content.decode()
    lille = clients["cpip"].get(reverse("audit:journal")).content.decode()
    assert "15/01/2026 16:00:00" in reunion
    assert "15/01/2026 13:00:00" in lille


@pytest.mark.django_db
def test_jap_lists_only_people_judged_by_their_tribunal(cast, clients):
    response = clients["jap"].get(reverse("people:caseload"))
    assert response.status_code == 200
    assert [row["public_id"] for row in response.context["page"].object_list] == [
        cast.person.public_id
    ]


@pytest.mark.django_db
def test_partner_and_admin_have_no_caseload(cast, clients):
    for role in ("partenaire", "admin"):
        assert clients[role].get(reverse("people:caseload")).status_code == 403

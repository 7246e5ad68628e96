"""Finding 3 (issue 14): production refuses to start without a secret key of its own, an allowed
host and a public address; `check --deploy` reports each as an error (parcours.E001–E005)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from parcours.core.checks import check_production_settings, refuse_unsafe_start

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "Zq3-" + "production-secret-key-for-the-test-only-0123456789-xyz"
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "PARCOURS_HTTPS": "1",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "parcours.justice.fr",
    "PARCOURS_PUBLIC_URL": "https://parcours.justice.fr",
}
UNSET = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "PARCOURS_PUBLIC_URL", "PARCOURS_DEMO")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in (*UNSET, "DATABASE_URL")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def ids(settings_changes: dict[str, Any], settings: Any) -> set[str]:
    for name, value in settings_changes.items():
        setattr(settings, name, value)
    return {message.id for message in check_production_settings()}


PROPER = {
    "DEBUG": False,
    "DEMO_MODE": False,
    "SECRET_KEY": GOOD_KEY,
    "SECRET_KEY_FROM_ENVIRONMENT": True,
    "ALLOWED_HOSTS": ["parcours.justice.fr"],
    "ALLOWED_HOSTS_FROM_ENVIRONMENT": True,
    "PARCOURS_PUBLIC_URL": "https://parcours.justice.fr",
    "PUBLIC_URL_FROM_ENVIRONMENT": True,
    "PARCOURS_MFA_REQUIRED": True,
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, set()),
        ({"SECRET_KEY_FROM_ENVIRONMENT": False}, {"parcours.E001"}),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me-" + "x" * 20}, {"parcours.E002"}),
        ({"SECRET_KEY": "a" * 60}, {"parcours.E002"}),
        ({"ALLOWED_HOSTS_FROM_ENVIRONMENT": False}, {"parcours.E003"}),
        ({"ALLOWED_HOSTS": ["localhost", "127.0.0.1"]}, {"parcours.E003"}),
        ({"ALLOWED_HOSTS": ["*"]}, {"parcours.E003"}),
        ({"PUBLIC_URL_FROM_ENVIRONMENT": False}, {"parcours.E004"}),
        ({"PARCOURS_PUBLIC_URL": "http://parcours.justice.fr"}, {"parcours.E004"}),
        ({"PARCOURS_PUBLIC_URL": "https://127.0.0.1:8000"}, {"parcours.E004"}),
        ({"PARCOURS_MFA_REQUIRED": False}, {"parcours.E005"}),
    ],
)
def test_each_unsafe_setting_is_a_deploy_error(
    settings: Any, change: dict[str, Any], expected: set[str]
) -> None:
    assert ids({**PROPER, **change}, settings) == expected


def test_start_up_refuses_in_production_but_not_in_development(settings: Any) -> None:
    ids({**PROPER, "SECRET_KEY_FROM_ENVIRONMENT": False}, settings)
    with pytest.raises(ImproperlyConfigured, match=r"parcours\.E001.*DJANGO_SECRET_KEY"):
        refuse_unsafe_start()
    settings.DEMO_MODE = True  # make run
    refuse_unsafe_start()
    settings.DEMO_MODE, settings.DEBUG = False, True
    refuse_unsafe_start()


def test_check_deploy_fails_without_a_secret_key_and_with_the_development_key() -> None:
    missing = run(["manage.py", "check", "--deploy"], DJANGO_DEBUG="0", PARCOURS_HTTPS="1")
    assert missing.returncode != 0
    output = missing.stdout + missing.stderr
    assert "parcours.E001" in output
    assert "parcours.E003" in output
    assert "parcours.E004" in output
    dev_key = run(
        ["manage.py", "check", "--deploy"],
        **{**PRODUCTION, "DJANGO_SECRET_KEY": "dev-only-insecure-key-change-me-" + "x" * 20},
    )
    assert dev_key.returncode != 0
    assert "parcours.E002" in dev_key.stdout + dev_key.stderr


def test_check_deploy_is_clean_with_proper_production_settings() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_application_refuses_to_start_without_a_secret_key() -> None:
    code = "import config.wsgi"
    refused = run(["-c", code], DJANGO_DEBUG="0")
    assert refused.returncode != 0
    assert "refuse de démarrer" in refused.stderr
    assert "DJANGO_SECRET_KEY" in refused.stderr
    assert run(["-c", code], **PRODUCTION).returncode == 0
    # The worker command too, with a clear message and no traceback.
    worker = run(["manage.py", "db_worker", "--batch"], DJANGO_DEBUG="0")
    assert worker.returncode != 0
    assert "parcours.E001" in worker.stderr
    assert "Traceback" not in worker.stderr

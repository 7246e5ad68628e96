"""Reports URLs with unknown or malformed identifiers: a French 404, never a 500 (the same checks
as tests/test_bad_input.py, limited to this app so they run on their own)."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Cast
from tests.test_bad_input import (
    GET_ONLY,
    NOT_UUIDS,
    POST_ONLY,
    _url_with,
    quiet,
    text,
    uuid_url_names,
)

pytestmark = pytest.mark.django_db


def report_names() -> list[str]:
    return [n for n in uuid_url_names() if n.startswith("reports:")]


def test_every_reports_uuid_url_is_checked() -> None:
    assert len(report_names()) == 7


@pytest.mark.parametrize("role", ["cpip", "dpip", "jap"])
def test_unknown_and_malformed_identifiers(cast: Cast, role: str) -> None:
    client = quiet(cast.user(role))
    problems = []
    for name in report_names():
        for method in ("GET", "POST"):
            if (method == "POST" and name in GET_ONLY) or (method == "GET" and name in POST_ONLY):
                continue
            for value in [str(uuid.uuid4()), *NOT_UUIDS]:
                url = _url_with(name, value)
                response = client.get(url) if method == "GET" else client.post(url)
                status = response.status_code
                refused_by_role = status == 403 and role == "jap"
                if not refused_by_role and (
                    status != 404 or "Page introuvable" not in text(response)
                ):
                    problems.append(f"{role} {method} {url}: {status}")
    assert not problems, "\n".join(problems[:20])

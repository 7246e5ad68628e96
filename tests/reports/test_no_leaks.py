"""No report leaks: over random (user, report) pairs, the door answers exactly what the access
rules say, on the page and on both files; never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.reports.models import Report
from parcours.rules import reports as r
from tests.conftest import ROLE_NAMES, Cast
from tests.helpers import quiet

from .factories import report_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def may_see(cast: Cast, role: str, report: Report) -> bool:
    """The rule, written independently of reports/access.py."""
    own_spip = report.person.spip_id == cast.spip.pk
    if role in ("cpip", "cpip_autre"):
        user = cast.user(role)
        return report.author_id == user.pk or report.person.referent_id == user.pk
    if role == "dpip":
        return own_spip
    if role == "jap":
        return (
            report.status in r.FROZEN_STATUSES
            and report.measure is not None
            and (report.measure.tribunal_id == cast.tribunal.pk)
        )
    return False  # cpip2 (colleague), secretariat, partenaire, admin


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    role=st.sampled_from(ROLE_NAMES),
    status=st.sampled_from(r.STATUSES),
    other_spip=st.booleans(),
    page=st.sampled_from(["reports:detail", "reports:pdf", "reports:docx"]),
)
def test_reports_never_leak(
    cast: Cast, role: str, status: str, other_spip: bool, page: str
) -> None:
    person = cast.other_person if other_spip else cast.person
    report = report_in(person, status)
    report = Report.objects.select_related("person", "measure").get(pk=report.pk)
    response = quiet(cast.user(role)).get(reverse(page, args=[report.public_id]))
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    if role in ("secretariat", "partenaire", "admin"):
        assert response.status_code == 403
    elif may_see(cast, role, report):
        assert response.status_code == 200, (role, status, other_spip, page)
    else:
        assert response.status_code == 404, (role, status, other_spip, page)

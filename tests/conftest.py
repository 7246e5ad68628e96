"""The cast of test users, named after the demo accounts, encodes who may see what.

- cpip: referent of `person` (antenne de Lille, SPIP du Nord)
- cpip2: same antenna, not referent ("break the glass" with a motif)
- cpip_autre: another SPIP (La Réunion): 404 everywhere on Nord data
- dpip, secretariat: Nord SPIP staff; jap: TJ de Lille (person has a measure there)
- partenaire, admin: no case data
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from parcours.accounts.models import Organisation, OrganisationKind, Role, SiteType, User
from parcours.people.models import Person

from .factories import MeasureFactory, OrganisationFactory, PersonFactory, UserFactory
from .helpers import client_for, use_strict_templates

# An undefined template variable fails the test (tests/helpers.py, StrictTemplateVariable); the
# browser tests' server does the same through tests/e2e/strict_settings.py.
use_strict_templates()

# CI explores the same examples on every run (a new counter-example is found locally, not as a
# random red build); developers' runs keep exploring.
# Generation speed depends on the machine's load (2 cores shared with xdist workers and browser
# tests): the too_slow health check would fail on load, not on a bug.
hypothesis_settings.register_profile(
    "default", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)
hypothesis_settings.load_profile("default")
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@dataclass
class Cast:
    spip: Organisation
    antenna: Organisation
    other_spip: Organisation
    other_antenna: Organisation
    tribunal: Organisation
    partner: Organisation
    admin_org: Organisation
    cpip: User
    cpip2: User
    cpip_autre: User
    dpip: User
    secretariat: User
    jap: User
    partenaire: User
    admin: User
    person: Person
    other_person: Person

    def user(self, role_name: str) -> User:
        return getattr(self, role_name)


ROLE_NAMES = [
    "cpip",
    "cpip2",
    "cpip_autre",
    "dpip",
    "secretariat",
    "jap",
    "partenaire",
    "admin",
]


# Every test runs on the same calendar: a Tuesday in March 2027, mid-morning in Paris (a working
# day, no holiday within a week, after the effective date of every catalogue and report template
# version in the repository). A test that needs another date
# travels there itself. `PARCOURS_TEST_NOW=2026-12-02T08:00:00+01:00 make test-fast` runs the suite
# on another day, to hunt calendar-dependent code; CI always runs on this one.
FIXED_NOW = datetime.fromisoformat(os.environ.get("PARCOURS_TEST_NOW", "2027-03-16T10:30:00+01:00"))


@pytest.fixture(autouse=True)
def fixed_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """The clock starts at FIXED_NOW for each test and ticks from there (durations stay real).
    Browser tests read the clock of their server instead (tests/e2e/conftest.py)."""
    if request.node.get_closest_marker("e2e") is not None:
        yield
        return
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_setup(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow: tests hash with MD5, except the test of argon2 itself
    (tests/test_authentication.py checks the production setting). WhiteNoise would scan every
    static file each time a test client builds its middleware chain: pages, not static files,
    are under test here (tests/e2e serves them for real)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_USE_FINDERS = False
    # The suite signs its cast in with force_login: two-factor sign-in is required only in the
    # tests about it (tests/security/test_two_factor.py turns it on).
    settings.PARCOURS_MFA_REQUIRED = False


@pytest.fixture
def cast(db: None) -> Cast:
    spip = OrganisationFactory(kind=OrganisationKind.SPIP, name="SPIP du Nord")
    antenna = OrganisationFactory(
        kind=OrganisationKind.ANTENNE,
        name="Antenne de Lille",
        parent=spip,
        spip=spip,
        site_type=SiteType.MILIEU_OUVERT,
    )
    other_spip = OrganisationFactory(
        kind=OrganisationKind.SPIP, name="SPIP de La Réunion", timezone="Indian/Reunion"
    )
    other_antenna = OrganisationFactory(
        kind=OrganisationKind.ANTENNE,
        name="Antenne de Saint-Denis",
        parent=other_spip,
        spip=other_spip,
        timezone="Indian/Reunion",
    )
    tribunal = OrganisationFactory(
        kind=OrganisationKind.TRIBUNAL, name="TJ de Lille", parent=spip, spip=spip
    )
    partner = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name="France Travail Lille")
    admin_org = OrganisationFactory(kind=OrganisationKind.ADMINISTRATION, name="Administration")
    cpip = UserFactory(
        username="cpip",
        first_name="Camille",
        last_name="Martin",
        role=Role.CPIP,
        organisation=antenna,
    )
    cpip2 = UserFactory(
        username="cpip2",
        first_name="Julien",
        last_name="Bernard",
        role=Role.CPIP,
        organisation=antenna,
    )
    cpip_autre = UserFactory(
        username="cpip_autre",
        first_name="Nadia",
        last_name="Payet",
        role=Role.CPIP,
        organisation=other_antenna,
    )
    dpip = UserFactory(
        username="dpip",
        first_name="Sophie",
        last_name="Lefebvre",
        role=Role.DPIP,
        organisation=antenna,
    )
    secretariat = UserFactory(
        username="secretariat",
        first_name="Karim",
        last_name="Benali",
        role=Role.SECRETARIAT,
        organisation=antenna,
    )
    jap = UserFactory(
        username="jap",
        first_name="Hélène",
        last_name="Roussel",
        role=Role.JAP,
        organisation=tribunal,
    )
    partenaire = UserFactory(
        username="partenaire",
        first_name="Marc",
        last_name="Dupuis",
        role=Role.PARTENAIRE,
        organisation=partner,
    )
    admin = UserFactory(
        username="admin",
        first_name="Alex",
        last_name="Morel",
        role=Role.ADMIN,
        organisation=admin_org,
    )
    person = PersonFactory(
        spip=spip, antenna=antenna, referent=cpip, last_name="Durand", first_names="Lucas"
    )
    MeasureFactory(person=person, tribunal=tribunal)
    other_person = PersonFactory(
        spip=other_spip, antenna=other_antenna, referent=cpip_autre, last_name="Hoarau"
    )
    MeasureFactory(person=other_person)
    return Cast(
        spip=spip,
        antenna=antenna,
        other_spip=other_spip,
        other_antenna=other_antenna,
        tribunal=tribunal,
        partner=partner,
        admin_org=admin_org,
        cpip=cpip,
        cpip2=cpip2,
        cpip_autre=cpip_autre,
        dpip=dpip,
        secretariat=secretariat,
        jap=jap,
        partenaire=partenaire,
        admin=admin,
        person=person,
        other_person=other_person,
    )


@pytest.fixture
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Justificatifs and report documents go to a temporary MEDIA_ROOT (the modules that store
    files use it for every test: `pytest.mark.usefixtures("private_media")`)."""
    root = tmp_path / "private"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def clients(cast: Cast) -> dict[str, Client]:
    return {name: client_for(cast.user(name)) for name in ROLE_NAMES}


# --- Transactional tests (two real connections) ----------------------------------------------

TRUNCATE_GUARD = "ALTER TABLE audit_auditevent {} TRIGGER audit_event_no_truncate"


def _reload_catalogues() -> None:
    """The catalogues come from data migrations; a transactional test's flush empties them, so
    the next transactional test loads them again (idempotent)."""
    from parcours.agenda.loader import load_appointment_types
    from parcours.agenda.models import AppointmentType
    from parcours.catalog.loader import load_measure_types
    from parcours.catalog.models import MeasureType
    from parcours.obligations.loader import load_obligation_types
    from parcours.obligations.models import ObligationType

    load_measure_types(MeasureType)
    load_obligation_types(ObligationType)
    load_appointment_types(AppointmentType)


@pytest.fixture(scope="module")
def rearm_truncate_guard(django_db_blocker: Any) -> Any:
    """Re-arms the journal's append-only guard once pytest-django has emptied the tables (module
    teardown: after the flush that ends each transactional test of the module)."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(TRUNCATE_GUARD.format("ENABLE"))


@pytest.fixture
def allow_flush(rearm_truncate_guard: None, transactional_db: None) -> Any:
    """For tests with several real connections (threads): the data is committed, so the test
    ends with a TRUNCATE of every table, which the journal's trigger refuses (ADR 0003). The guard
    is lifted for that flush only, and re-armed by `rearm_truncate_guard`."""
    from django.db import connection

    _reload_catalogues()
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(TRUNCATE_GUARD.format("DISABLE"))

"""The demo data (Faker fr_FR, fixed seeds): each app's `demo.py`, composed in the order of the
layers. One DISP, two SPIP in different time zones, antennas, tribunals, a partner, 12 CPIP and
the demo accounts; ~800 people with realistic measures, obligations and manquements; ledgers,
agendas and appointments with their messages, notes and reports.

Idempotent: organisations and accounts are found by natural key; people (with their measures,
obligations and manquements) are generated only when the demo SPIP have none yet; each later
step creates nothing when its data is already there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parcours.accounts import demo as accounts
from parcours.accounts.models import User
from parcours.adjustments import demo as adjustments
from parcours.agenda import demo as agenda
from parcours.breaches import demo as breaches
from parcours.ledgers import demo as ledgers
from parcours.measures import demo as measures
from parcours.notes import demo as notes
from parcours.obligations import demo as obligations
from parcours.obligations.compliance import refresh_compliance
from parcours.people import demo as people
from parcours.people.models import Person
from parcours.reports import demo as reports

SEED = 2026

# The steps run once the people exist, `(orgs, users) -> what they created`, each idempotent.
# adjustments.seed reads the detainees of the detention demo: it runs after it.
LATER_STEPS = (
    ledgers.seed,
    agenda.seed,
    agenda.seed_messages,
    notes.seed,
    reports.seed,
    adjustments.seed,
)


def seed(total_people: int = 800) -> dict[str, int]:
    """Loads the demo data; returns what was created this time."""
    orgs = accounts.ensure_organisations()
    before = User.objects.count()
    users = accounts.ensure_accounts(orgs, settings.DEMO_PASSWORD)
    counts = {"users": User.objects.count() - before, "people": 0}
    if not Person.objects.filter(spip__in=accounts.demo_spips(orgs)).exists():
        main_cpip = users[accounts.MAIN_CPIP]
        with transaction.atomic():
            created = people.create_people(orgs, users, total_people, SEED)
            made = measures.create_measures(created, orgs, SEED)
            made += measures.create_timeline_cases(created, main_cpip)
            obligations.create_obligations(made, main_cpip, SEED)
            breaches.create_breaches(made, main_cpip, SEED)
        counts["people"] = len(created)
    refresh_compliance(today=timezone.localdate())
    for step in LATER_STEPS:
        counts.update(step(orgs, users))
    return counts

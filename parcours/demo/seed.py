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
from parcours.accounts.models import Organisation, User
from parcours.adjustments import demo as adjustments
from parcours.agenda import demo as agenda
from parcours.assessments import demo as assessments
from parcours.breaches import demo as breaches
from parcours.catalog.models import MeasureType
from parcours.checkins import demo as checkins
from parcours.detention import demo as detention
from parcours.handovers import demo as handovers
from parcours.ledgers import demo as ledgers
from parcours.measures import demo as measures
from parcours.measures.models import Measure, MeasureStatus
from parcours.notes import demo as notes
from parcours.notifications import demo as notifications
from parcours.obligations import demo as obligations
from parcours.obligations.compliance import refresh_compliance
from parcours.partners import demo as partners
from parcours.people import demo as people
from parcours.people.models import Person
from parcours.plans import demo as plans
from parcours.release import demo as release
from parcours.reports import demo as reports
from parcours.rules.dates import add_months
from parcours.rules.vocabulary import Milieu
from parcours.space import demo as space

SEED = 2026

# The steps run once the people exist, `(orgs, users) -> what they created`, each idempotent.
# notifications.seed: sent reminders and the people's SMS replies (issue 18), after the messages;
# checkins.seed: remote check-ins of the main CPIP's people (issue 18).
LATER_STEPS = (
    ledgers.seed,
    agenda.seed,
    agenda.seed_messages,
    notifications.seed,
    notes.seed,
    assessments.seed,
    plans.seed,
    partners.seed,  # issue 17: the Lille partners, their directory, referrals in every status
    checkins.seed,
    reports.seed,
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
    counts.update(seed_milieu_ferme(orgs, users))
    counts.update(release.seed(orgs, users))
    # Marks, a CAP and a validated avis on the demo prison's detainees (after them).
    counts.update(adjustments.seed(orgs, users))
    # The person's own space (issue 18): a few Lille people of cpip.demo (after the agenda).
    counts.update(space.seed(orgs, users))
    # Two files of La Réunion asked to the Nord SPIP (dessaisissement): dpip.demo decides.
    counts.update(handovers.seed(orgs, users))
    counts["users"] = User.objects.count() - before
    return counts


def seed_milieu_ferme(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """The demo prison's detainees (detention.demo), followed by cpip.mf.demo and the antenna's
    other CPIP, with their measures: the suivi en détention of those in custody; for those
    released, the LC / LSC / probation that followed, or nothing (a sortie sèche)."""
    mf_cpip = accounts.ensure_milieu_ferme_cpip(orgs, settings.DEMO_PASSWORD)
    others = [u for u in users.values() if u.organisation_id == mf_cpip.organisation_id]
    with transaction.atomic():
        seeded = detention.seed(orgs, [mf_cpip, *others[:1]])
        if seeded.detainees:
            _detention_measures(seeded, orgs["tj-lille"], mf_cpip)
    return seeded.counts()


def _detention_measures(
    seeded: detention.Seeded, tribunal: Organisation, cpip: User
) -> list[Measure]:
    types = {t.code: t for t in MeasureType.objects.current()}
    made: list[Measure] = []
    for detainee in seeded.detainees:
        ecrou, release = detainee.ecrou, detainee.release
        judged = min(line.judged_on for line in ecrou.sentences.all() if line.judged_on)
        made.append(
            Measure(
                person=detainee.person,
                measure_type=types["suivi_milieu_ferme"],
                tribunal=tribunal,
                judgment_date=judged,
                start_date=ecrou.start,
                end_date=release,
                milieu=Milieu.FERME,
                status=MeasureStatus.EN_COURS if release is None else MeasureStatus.TERMINEE,
                created_by=cpip,
            )
        )
        follow = detainee.case.after_release
        if release is not None and follow:
            made.append(
                Measure(
                    person=detainee.person,
                    measure_type=types[follow],
                    tribunal=tribunal,
                    judgment_date=release,
                    start_date=release,
                    end_date=add_months(release, 12),
                    release_date=release,
                    probation_months=12 if types[follow].has_probation_period else None,
                    milieu=Milieu.OUVERT,
                    status=MeasureStatus.EN_COURS,
                    created_by=cpip,
                )
            )
    Measure.objects.bulk_create(made, batch_size=500)
    return made

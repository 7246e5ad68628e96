"""Demo reports in each status for the main CPIP's people (measures of the TJ de Lille),
validated by dpip.demo; the transmitted ones are visible to jap.demo."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP
from parcours.accounts.models import Organisation, User
from parcours.people.models import Person
from parcours.rules import reports as rules

from . import services
from .models import Report, ReportKind

# A report's way through the workflow (action, who acts, comment), and the one sent back.
THROUGH = [
    (rules.SOUMETTRE, "cpip", ""),
    (rules.VALIDER, "dpip", ""),
    (rules.TRANSMETTRE, "cpip", ""),
    (rules.ACCUSER_RECEPTION, "jap", ""),
    (rules.ENREGISTRER_DECISION, "jap", "Rappel des obligations à l'audience du 15 janvier."),
]
SENT_BACK = [
    (rules.SOUMETTRE, "cpip", ""),
    (rules.RENVOYER, "dpip", "Préciser le plan d'accompagnement et les démarches logement."),
]
# (kind, steps taken, due in … days): a draft overdue, one sent back, then one further along the
# way each time.
PLANS = [
    (ReportKind.SITUATION, [], -5),
    (ReportKind.EVALUATION, SENT_BACK, 10),
    (ReportKind.INCIDENT, THROUGH[:1], 3),
    (ReportKind.AMENAGEMENT, THROUGH[:2], 12),
    (ReportKind.SITUATION, THROUGH[:3], -2),
    (ReportKind.FIN_MESURE, THROUGH[:4], -20),
    (ReportKind.EVALUATION, THROUGH, -40),
]

# What the demo's writer proposes to the magistrate.
AVIS = (
    "Au regard de l'investissement de la personne dans son suivi, le service propose le "
    "maintien de la mesure dans ses modalités actuelles."
)


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """The reports of PLANS. Idempotent: nothing is created when cpip.demo already has reports."""
    cpip, dpip, jap = users.get(MAIN_CPIP), users.get("dpip.demo"), users.get("jap.demo")
    tribunal = orgs.get("tj-lille")
    if cpip is None or dpip is None or jap is None or tribunal is None:
        return {"reports": 0}
    if Report.objects.filter(author=cpip).exists():
        return {"reports": 0}
    people = list(
        Person.objects.filter(referent=cpip, measures__tribunal=tribunal)
        .select_related("spip", "antenna", "referent")
        .distinct()
        .order_by("pk")[:7]
    )
    if not people:
        return {"reports": 0}
    actors = {"cpip": cpip, "dpip": dpip, "jap": jap}
    today = timezone.localdate()
    created = 0
    for index, (kind, steps, due_in) in enumerate(PLANS):
        person = people[index % len(people)]
        measure = person.measures.filter(tribunal=tribunal).order_by("pk").first()
        report = services.create_report(
            acting_user=cpip,
            person=person,
            kind=kind,
            measure=measure,
            due_date=today + timedelta(days=due_in),
        )
        report.person = person
        report.measure = measure
        if steps:  # the avis to the magistrate, written before the report leaves the draft
            report = services.save_content(
                acting_user=cpip,
                report=report,
                content=dict.fromkeys(rules.avis_sections(kind, report.section_keys), AVIS),
                expected_version=report.version,
            )
            report.person = person
            report.measure = measure
        for action, actor, comment in steps:
            report = services.apply_action(
                acting_user=actors[actor], report=report, action=action, comment=comment
            )
            report.person = person
            report.measure = measure
        created += 1
    return {"reports": created}

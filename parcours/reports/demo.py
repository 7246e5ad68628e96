from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parcours.rules import reports as rules


def seed(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, int]:
    """Reports in each status for cpip.demo's people (measures of the TJ de Lille), validated by
    dpip.demo; the transmitted ones are visible to jap.demo. Idempotent: nothing is created when
    cpip.demo already has reports."""
    from parcours.people.models import Person

    from . import services
    from .models import Report, ReportKind

    cpip, dpip, jap = users.get("cpip.demo"), users.get("dpip.demo"), users.get("jap.demo")
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
    today = timezone.localdate()
    plans: list[tuple[str, list[tuple[str, Any, str]], int]] = [
        (ReportKind.SITUATION, [], -5),  # draft, overdue
        (
            ReportKind.EVALUATION,
            [
                (rules.SOUMETTRE, cpip, ""),
                (
                    rules.RENVOYER,
                    dpip,
                    "Préciser le plan d'accompagnement et les démarches logement.",
                ),
            ],
            10,
        ),
        (ReportKind.INCIDENT, [(rules.SOUMETTRE, cpip, "")], 3),
        (
            ReportKind.AMENAGEMENT,
            [(rules.SOUMETTRE, cpip, ""), (rules.VALIDER, dpip, "")],
            12,
        ),
        (
            ReportKind.SITUATION,
            [
                (rules.SOUMETTRE, cpip, ""),
                (rules.VALIDER, dpip, ""),
                (rules.TRANSMETTRE, cpip, ""),
            ],
            -2,
        ),
        (
            ReportKind.FIN_MESURE,
            [
                (rules.SOUMETTRE, cpip, ""),
                (rules.VALIDER, dpip, ""),
                (rules.TRANSMETTRE, cpip, ""),
                (rules.ACCUSER_RECEPTION, jap, ""),
            ],
            -20,
        ),
        (
            ReportKind.EVALUATION,
            [
                (rules.SOUMETTRE, cpip, ""),
                (rules.VALIDER, dpip, ""),
                (rules.TRANSMETTRE, cpip, ""),
                (rules.ACCUSER_RECEPTION, jap, ""),
                (
                    rules.ENREGISTRER_DECISION,
                    jap,
                    "Rappel des obligations à l'audience du 15 janvier.",
                ),
            ],
            -40,
        ),
    ]
    if not people:
        return {"reports": 0}
    created = 0
    for index, (kind, steps, due_in) in enumerate(plans):
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
        for action, actor, comment in steps:
            report = services.apply_action(
                acting_user=actor, report=report, action=action, comment=comment
            )
            report.person = person
            report.measure = measure
        created += 1
    return {"reports": created}

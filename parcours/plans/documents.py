"""The plan as a document (PDF through parcours.documents, like the reports and the letters):
the person, the version and its agreement, each domain's goals and their steps, the signatures
of the person and the CPIP (and the DPIP's countersignature where it was given)."""

from __future__ import annotations

from datetime import date

from parcours.documents import Bullets, Document, Paragraph, Section, build_pdf, french_date
from parcours.people.documents import (
    identity_section,
    person_document,
    printed_name,
    service_name,
    spip_zone,
)
from parcours.rules.french import short_date
from parcours.rules.vocabulary import PlanStatus, StepStatus

from .models import Plan, Step
from .selectors import PlanView

SETTLED = (PlanStatus.EN_VIGUEUR, PlanStatus.REMPLACE)


def _step(step: Step) -> str:
    when = f" — échéance : {short_date(step.due_on)}" if step.due_on else ""
    state = StepStatus(step.status).label
    if step.status == StepStatus.FAIT and step.done_on:
        state = f"fait le {short_date(step.done_on)}"
    elif step.status == StepStatus.ABANDONNE:
        state = f"abandonné ({step.reason})"
    return f"{step.text} — {step.actor_label()}{when} — {state}"


def plan_document(plan: Plan, view: PlanView, *, on: date | None = None) -> Document:
    person = plan.person
    tz = spip_zone(person)
    details = [("Version du plan", f"{plan.number} ({PlanStatus(plan.status).label.lower()})")]
    if plan.measure is not None:
        details.append(("Mesure", plan.measure.measure_type.label))
    if plan.in_force_on:
        details.append(("En vigueur depuis le", french_date(plan.in_force_on, tz)))
    if plan.agreed_on:
        details.append(
            (
                "Accord de la personne",
                f"le {french_date(plan.agreed_on, tz)} ({plan.get_agreement_mode_display()})",
            )
        )
    sections = [identity_section("Personne accompagnée", person, details)]
    if plan.person_words:
        sections.append(
            Section("Ce que la personne dit de son plan", [Paragraph(plan.person_words)])
        )
    if not view.domains:
        sections.append(Section("Objectifs", [Paragraph("Aucun objectif n'est encore fixé.")]))
    for domain in view.domains:
        blocks: list[Paragraph | Bullets] = []
        for goal in domain.goals:
            blocks.append(Paragraph(f"Objectif : {goal.text}"))
            steps = [_step(step) for step in goal.steps.all()]
            blocks.append(Bullets(steps) if steps else Paragraph("Aucune étape prévue."))
        sections.append(Section(domain.label, list(blocks)))
    signatures = [
        Paragraph("Signature de la personne :"),
        Paragraph("Signature du conseiller pénitentiaire d'insertion et de probation :"),
    ]
    if plan.countersigned_at and plan.countersigned_by:
        signatures.append(
            Paragraph(
                f"Contresigné le {french_date(plan.countersigned_at, tz)} par "
                f"{plan.countersigned_by.get_full_name()} (DPIP)."
            )
        )
    sections.append(Section("Signatures", signatures))
    return person_document(
        person,
        title="Plan d'accompagnement",
        references=[f"Plan d'accompagnement — version {plan.number}"],
        sections=sections,
        footer=f"plan d'accompagnement de {printed_name(person)}, version {plan.number}",
        metadata={"title": "Plan d'accompagnement", "author": service_name(person)},
        on=on,
        watermark="" if plan.status in SETTLED else "PROJET",
    )


def plan_pdf(plan: Plan, view: PlanView) -> bytes:
    return build_pdf(plan_document(plan, view))
